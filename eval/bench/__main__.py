"""``python -m eval.bench``: see eval/bench/command.py."""

import sys

from eval.bench.command import main

sys.exit(main())
