"""Speed and scale benchmark, newsrag beside the LangChain recipe in the same run.

``python -m eval.bench`` (see ``eval/bench/__main__.py``): ingest rates against the raw encoder
and the recipe, re-ingest, cold start, retrieval and answer latency with peak memory at two
store sizes (embedded, through a Chroma server, and with concurrent clients). Every timing is a
median over repeats; every figure has the recipe's beside it. The chat under load (1 user vs
20 through Gradio, threads vs the answer pool) is ``python -m eval.bench.chat_load``.
"""

from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "realtimeqa-dev"
REPO = Path(__file__).resolve().parents[2]
