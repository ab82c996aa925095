"""Fixtures of the tests/rag modules."""

from tests.rag.llm_support import llm  # noqa: F401 (the fixture, for every module here)
