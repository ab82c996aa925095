"""The ``newsrag`` command: parse arguments, call Assistant, print. No logic of its own.

Usage: ``newsrag ingest eval/datasets/seed/``; ``newsrag ask "Who leads ...?" --json``
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rag.citations import format_sources
from rag.dates import parse_date
from rag.errors import InputError, NewsragError
from rag.settings import Settings
from rag.types import Answer, IngestReport, Restart


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--home",
        type=Path,
        default=argparse.SUPPRESS,
        help="store directory (default: NEWSRAG_HOME or ~/.newsrag)",
    )
    parser = argparse.ArgumentParser(
        prog="newsrag", description=__doc__.splitlines()[0], parents=[common]
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", parents=[common], help="ingest files, folders, JSONL corpora")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("ask", parents=[common], help="answer a question with citations")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--k", type=_positive, help="chunks to retrieve")
    p.add_argument("--source", help="only articles from this outlet/source")
    p.add_argument("--since", type=_date_arg, help="only articles published on/after DATE")
    p.add_argument("--until", type=_date_arg, help="only articles published on/before DATE")

    p = sub.add_parser("chat", parents=[common], help="a conversation in the terminal")
    p.add_argument("--k", type=_positive, help="chunks to retrieve")
    p.add_argument("--source", help="only articles from this outlet/source")
    p.add_argument("--since", type=_date_arg, help="only articles published on/after DATE")
    p.add_argument("--until", type=_date_arg, help="only articles published on/before DATE")

    p = sub.add_parser("serve", parents=[common], help="the chat in a browser (Gradio)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=_positive, default=7860, help="port (default 7860)")

    p = sub.add_parser("eval", parents=[common], help="score pipelines against gold Q&A sets")
    p.add_argument("datasets", nargs="+", type=Path, metavar="DATASET_DIR")
    p.add_argument("--json", action="store_true", help="print the whole report as one JSON object")
    p.add_argument("--out", type=Path, help="write the JSON report here (and a .md beside it)")
    p.add_argument("--distractors", action="store_true", help="also ingest distractors.jsonl.gz")
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
        help="keep the eval stores here for the next run (default: a temp dir)",
    )

    p = sub.add_parser("list", parents=[common], help="list stored articles")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("stats", parents=[common], help="store statistics")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("delete", parents=[common], help="delete an article and its chunks")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        home = getattr(args, "home", None)  # before or after the command name
        settings = Settings(home=home) if home else Settings()
        from rag.assistant import Assistant  # after argument errors, which need no models

        return COMMANDS[args.command](Assistant(settings), args)
    except NewsragError as exc:
        print(f"newsrag: error: {exc}", file=sys.stderr)
        return 1
    except ValidationError as exc:
        first = exc.errors()[0]
        field = "_".join(str(p) for p in first["loc"]).upper()
        where = f"NEWSRAG_{field}: " if field else ""
        print(
            f"newsrag: error: bad setting: {where}{first['msg']}; fix the environment variable",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("newsrag: interrupted", file=sys.stderr)
        return 130


def _ingest(assistant: Any, args: argparse.Namespace) -> int:
    def progress(report: IngestReport) -> None:
        if not args.json:
            done = len(report.added) + len(report.updated) + len(report.unchanged)
            print(
                f"\r  {done} articles, {report.chunks_embedded} chunks embedded",
                end="",
                file=sys.stderr,
                flush=True,
            )

    report = assistant.ingest(args.paths, progress=progress)
    if args.json:
        _print_json(report.to_dict())
    else:
        print("", file=sys.stderr)
        for skipped in report.skipped:
            kind = "error" if skipped.error else "skipped"
            print(f"{kind}: {skipped.where}: {skipped.reason}", file=sys.stderr)
        print(
            f"added {len(report.added)}, updated {len(report.updated)}, unchanged "
            f"{len(report.unchanged)}, skipped {len(report.skipped)} "
            f"({len(report.errors)} errors); {report.chunks_added} chunks added, "
            f"{report.chunks_deleted} removed, {report.chunks_embedded} embedded "
            f"in {report.seconds:.1f}s"
        )
    return 1 if report.errors else 0


def _ask(assistant: Any, args: argparse.Namespace) -> int:
    options = {"k": args.k, "source": args.source, "since": args.since, "until": args.until}
    if args.json:
        _print_json(assistant.ask(args.question, **options).to_dict())
        return 0
    _print_streamed(assistant.stream(args.question, **options))
    return 0


def _chat(assistant: Any, args: argparse.Namespace) -> int:
    """A terminal conversation: each follow-up is condensed with the turns before it."""
    options = {"k": args.k, "source": args.source, "since": args.since, "until": args.until}
    history: list[Answer] = []
    print(f"newsrag chat ({_mode_line(assistant)}); an empty line or Ctrl-D ends", file=sys.stderr)
    while True:
        try:
            question = input("> " if sys.stdin.isatty() else "").strip()
        except EOFError:
            break
        if question in ("", "exit", "quit", "/exit", "/quit"):
            break
        try:
            answer = _print_streamed(assistant.stream(question, history=history, **options))
        except NewsragError as exc:  # one bad turn does not end the conversation
            print(f"newsrag: error: {exc}", file=sys.stderr)
            continue
        if answer is not None:
            history.append(answer)
    return 0


def _print_streamed(events: Iterator[str | Answer]) -> Answer | None:
    """Print pieces as they arrive, then the sources and what the checks found."""
    answer: Answer | None = None
    printed = False
    for event in events:
        if isinstance(event, Restart):
            print("\n[the model's reply broke off; the offline answer follows]", flush=True)
        elif isinstance(event, str):
            print(event, end="", flush=True)
            printed = True
        else:
            answer = event
    if printed:
        print()
    if answer is None:
        return None
    if answer.condensed_question and answer.condensed_question != answer.question:
        print(f"    (searched for: {answer.condensed_question})", file=sys.stderr)
    for line in format_sources(answer.citations):
        print(f"    {line}")
    for claim in answer.unsupported:
        print(f"    unsupported: “{claim.claim}” ({claim.reason})", file=sys.stderr)
    if answer.dropped_markers:
        dropped = ", ".join(f"[{n}]" for n in answer.dropped_markers)
        print(f"    dropped markers that cite no source: {dropped}", file=sys.stderr)
    if answer.fallback:
        print(
            f"newsrag: warning: {answer.fallback}; answered offline (extractive) instead",
            file=sys.stderr,
        )
    return answer


def _serve(assistant: Any, args: argparse.Namespace) -> int:
    from rag.app import serve  # Gradio loads only for this command

    settings = assistant.settings
    print(
        f"newsrag: serving {settings.home} at http://{args.host}:{args.port} "
        f"({_mode_line(assistant)}); Ctrl-C stops",
        file=sys.stderr,
    )
    serve(assistant, args.host, args.port, settings.auth_pair(), settings.max_upload_mb)
    return 0


def _mode_line(assistant: Any) -> str:
    if assistant.mode == "llm":
        return f"answers by {assistant.settings.model}"
    return "offline extractive answers"


def _list(assistant: Any, args: argparse.Namespace) -> int:
    infos = assistant.list_articles()
    if args.json:
        _print_json(
            {"articles": [vars(i) if hasattr(i, "__dict__") else _as_dict(i) for i in infos]}
        )
        return 0
    for info in infos:
        print(
            f"{info.id}\t{info.published or '-'}\t{info.source or '-'}\t{info.n_chunks} chunks\t"
            f"{info.title}"
        )
    print(f"{len(infos)} articles", file=sys.stderr)
    return 0


def _stats(assistant: Any, args: argparse.Namespace) -> int:
    stats = assistant.stats()
    if args.json:
        _print_json(stats)
    else:
        for key, value in stats.items():
            print(f"{key}: {value}")
    return 0


def _delete(assistant: Any, args: argparse.Namespace) -> int:
    removed = assistant.delete(args.id)
    if args.json:
        _print_json({"deleted": args.id, "chunks_deleted": removed})
    else:
        print(f"deleted {args.id} ({removed} chunks)")
    return 0


def _eval(assistant: Any, args: argparse.Namespace) -> int:
    from eval.harness import print_progress, run
    from eval.report import check, compare, load_thresholds, to_markdown

    if args.out and args.out.suffix == ".md":
        raise InputError(f"{args.out}: --out names the JSON report (the .md goes beside it)")
    report = run(
        args.datasets,
        assistant.settings,
        pipelines=args.pipeline or ["newsrag"],
        distractors=args.distractors,
        stores=args.stores,
        progress=None if args.json else print_progress,
    )
    data = report.to_dict()
    if args.compare:
        data["compare"] = compare(data, _read_json(args.compare))
    problems = check(data["summary"], load_thresholds(args.check)) if args.check else []
    data["check"] = {"thresholds": str(args.check) if args.check else None, "problems": problems}
    markdown = to_markdown(data)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        args.out.with_suffix(".md").write_text(markdown + "\n", encoding="utf-8")
    if args.json:
        _print_json(data)
    else:
        print(markdown)
        for d in data.get("compare", []):
            if d["regression"]:
                print(
                    f"regression: {d['group']}/{d['pipeline']} {d['metric']} "
                    f"{d['before']} -> {d['after']}"
                )
    for problem in problems:
        print(f"newsrag: threshold: {problem}", file=sys.stderr)
    return 1 if problems else 0


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable JSON report ({exc})") from exc


COMMANDS = {
    "ingest": _ingest,
    "ask": _ask,
    "chat": _chat,
    "serve": _serve,
    "eval": _eval,
    "list": _list,
    "stats": _stats,
    "delete": _delete,
}


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def _date_arg(text: str) -> date:
    parsed = parse_date(text)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)")
    return parsed


def _as_dict(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


def _print_json(obj: dict[str, Any]) -> None:
    print(json.dumps(obj, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
