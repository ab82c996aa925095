"""The ``newsrag`` command line: every command, option and help text (argparse).

Usage: ``args = build_parser().parse_args(["ask", "Who leads ...?", "--json"])``
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from rag.core.dates import parse_date


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--home",
        type=Path,
        default=argparse.SUPPRESS,
        help="store directory (default: NEWSRAG_HOME or ~/.newsrag)",
    )
    parser = argparse.ArgumentParser(
        prog="newsrag",
        description="Question answering over news articles, with exact cited quotes.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "ingest", parents=[common], help="ingest files, folders, JSONL corpora, web pages, feeds"
    )
    p.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--every",
        type=_duration,
        metavar="DURATION",
        help="ingest again every DURATION (e.g. 30m, 2h, 90s) until Ctrl-C: keeps feeds current",
    )

    p = sub.add_parser("ask", parents=[common], help="answer a question with citations")
    p.add_argument("question", help='the question, in quotes: "Who leads the delegation?"')
    p.add_argument("--json", action="store_true", help="print one JSON object")
    _question_options(p)

    p = sub.add_parser(
        "timeline", parents=[common], help="a developing story as dated, cited events"
    )
    p.add_argument("query", help='the story, in quotes: "Brackenfell wildfire"')
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--source", metavar="NAME", help="only articles from this outlet/source")
    p.add_argument(
        "--since", type=_date_arg, metavar="DATE", help="only events on/after DATE (YYYY-MM-DD)"
    )
    p.add_argument(
        "--until", type=_date_arg, metavar="DATE", help="only events on/before DATE (YYYY-MM-DD)"
    )

    p = sub.add_parser("chat", parents=[common], help="a conversation in the terminal")
    _question_options(p)

    p = sub.add_parser("serve", parents=[common], help="the chat in a browser (Gradio)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=7860, help="port (default 7860)")
    p.add_argument(
        "--workers",
        type=_whole,
        metavar="N",
        help="processes answering questions side by side (default: NEWSRAG_WORKERS, else one "
        "per CPU core; in LLM mode 0); 0 answers in threads of the server",
    )

    p = sub.add_parser("eval", parents=[common], help="score pipelines against gold Q&A sets")
    p.add_argument("datasets", nargs="+", type=Path, metavar="DATASET_DIR")
    p.add_argument("--json", action="store_true", help="print the whole report as one JSON object")
    p.add_argument("--out", type=Path, help="write the JSON report here (and a .md beside it)")
    p.add_argument("--distractors", action="store_true", help="also ingest distractors.jsonl.gz")
    p.add_argument(
        "--no-question-dates",
        action="store_true",
        help="ignore the sets' question_date (by default each question is asked as of it)",
    )
    p.add_argument(
        "--pipeline",
        action="append",
        choices=("newsrag", "baseline"),
        help="pipeline to run (repeatable; default newsrag)",
    )
    p.add_argument("--compare", type=Path, help="an earlier JSON report to show deltas against")
    p.add_argument("--check", type=Path, help="thresholds TOML; exit 1 when a metric misses")
    p.add_argument(
        "--stores",
        type=Path,
        help="keep the eval stores here for the next run (default: HOME/eval-stores with "
        "--home, else a temp dir; your own store is never used)",
    )

    p = sub.add_parser("list", parents=[common], help="list stored articles")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("stats", parents=[common], help="store statistics")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("check", parents=[common], help="find (and --repair) store damage")
    p.add_argument(
        "--repair",
        action="store_true",
        help="drop broken chunks and index damaged articles again from their stored text",
    )
    p.add_argument("--json", action="store_true")
    p = sub.add_parser(
        "reindex",
        parents=[common],
        help="embed the stored chunks again with another model (resumable; questions keep "
        "being answered meanwhile)",
    )
    p.add_argument(
        "--model",
        help="the embedding model to move to (default: NEWSRAG_EMBEDDING_MODEL, else the "
        "default for new stores)",
    )
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("delete", parents=[common], help="delete an article and its chunks")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    return parser


def _question_options(p: argparse.ArgumentParser) -> None:
    """What ``ask`` and ``chat`` share: how many chunks, and which articles may answer."""
    p.add_argument(
        "--k", type=_positive, metavar="N", help="passages to read (default: NEWSRAG_K, 5)"
    )
    p.add_argument("--source", metavar="NAME", help="only articles from this outlet/source")
    p.add_argument(
        "--since", type=_date_arg, metavar="DATE", help="only articles published on/after DATE"
    )
    p.add_argument(
        "--until", type=_date_arg, metavar="DATE", help="only articles published on/before DATE"
    )
    p.add_argument(
        "--as-of",
        type=_date_arg,
        metavar="DATE",
        help="answer as on DATE: nothing published later, the latest before it first "
        "(DATE as YYYY-MM-DD)",
    )


def _duration(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    number, unit = text[:-1], text[-1:].lower()
    if unit not in units or not number.replace(".", "", 1).isdigit() or float(number) <= 0:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 90s, 30m, 2h)")
    return float(number) * units[unit]


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"not a port: {text!r} (use 1-65535)")
    return int(text)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def _whole(text: str) -> int:
    if not text.isdigit() or int(text) > 64:
        raise argparse.ArgumentTypeError(f"must be a whole number from 0 to 64, not {text!r}")
    return int(text)


def _date_arg(text: str) -> date:
    parsed = parse_date(text)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)")
    return parsed
