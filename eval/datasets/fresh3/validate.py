#!/usr/bin/env python3
"""Validate the fresh3 held-out news QA set (stdlib only). Exits 1 on any problem."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from fresh_check import check  # noqa: E402 - eval/datasets/fresh_check.py, shared by the sets

sys.exit(check(HERE, "f3-", r"202[4-6]-\d\d-\d\d", (350, 700)).report())
