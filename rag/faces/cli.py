"""The ``newsrag`` command: parse arguments, call Assistant, print. No logic of its own.

Usage: ``newsrag ingest eval/datasets/seed/``; ``newsrag ask "Who leads ...?" --json``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import ValidationError

from rag.core.errors import InputError, NewsragError
from rag.core.settings import Settings
from rag.core.types import Answer, Filters, Restart
from rag.faces.cli_args import build_parser
from rag.faces.progress import CountBar, ProgressBar
from rag.faces.render import format_sources, terminal_safe


def main(argv: Sequence[str] | None = None, *, nlp: Any = None) -> int:
    """Run one command; ``nlp`` (an Nlp already loading, rag/faces/launch.py) serves a question."""
    args = build_parser().parse_args(argv)
    if args.command == "ask" and not " ".join(str(args.question).split()):
        print(
            'newsrag: error: the question is empty; ask something, e.g. newsrag ask "Who ...?"',
            file=sys.stderr,
        )  # before seconds of loading
        return 1
    try:
        home = getattr(args, "home", None)  # before or after the command name
        settings = Settings(home=home) if home else Settings()
        from rag.assistant import Assistant  # after argument errors, which need no models

        notice = _notice if not getattr(args, "json", False) else None
        return COMMANDS[args.command](Assistant(settings, notice=notice, nlp=nlp), args)
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
    except BrokenPipeError:  # `newsrag list | head`: the reader left; nothing more to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _ingest(assistant: Any, args: argparse.Namespace) -> int:
    code = _ingest_once(assistant, args)
    while args.every:
        next_at = time.strftime("%H:%M:%S", time.localtime(time.time() + args.every))
        print(f"next ingest at {next_at} (Ctrl-C stops)", file=sys.stderr, flush=True)
        time.sleep(args.every)
        code = _ingest_once(assistant, args)
    return code


def _ingest_once(assistant: Any, args: argparse.Namespace) -> int:
    bar = None if args.json else ProgressBar()
    try:
        report = assistant.ingest(args.paths, progress=bar.update if bar else None)
    finally:
        if bar:
            bar.close()
    if args.json:
        _print_json(report.to_dict())
    else:
        for skipped in report.skipped:
            kind = "error" if skipped.error else "duplicate" if skipped.duplicate else "skipped"
            print(f"{kind}: {skipped.where}: {skipped.reason}", file=sys.stderr)
        print(report.summary(), flush=True)
    return 1 if report.errors else 0


def _options(args: argparse.Namespace) -> dict[str, Any]:
    filters = Filters(source=args.source, since=args.since, until=args.until, as_of=args.as_of)
    return {"k": args.k, "filters": filters}


def _ask(assistant: Any, args: argparse.Namespace) -> int:
    options = _options(args)
    if args.json:
        _print_json(assistant.ask(args.question, **options).to_dict())
        return 0
    _print_streamed(assistant.stream(args.question, **options))
    return 0


def _timeline(assistant: Any, args: argparse.Namespace) -> int:
    filters = Filters(source=args.source, since=args.since, until=args.until)
    timeline = assistant.timeline(args.query, filters)
    if args.json:
        _print_json(timeline.to_dict())
        return 0
    if not timeline.events:
        print(f"No dated events found for {args.query!r}; try the names the articles use.")
        return 0
    print(terminal_safe(timeline.text))
    print("\nSources:")
    for e in timeline.events:
        c = e.citation
        also = f" (also: {', '.join(e.also)})" if e.also else ""
        line = f"  [{c.marker}] {c.title} — {e.source} {c.published} ({c.article_id}){also}"
        print(terminal_safe(line))
    return 0


def _chat(assistant: Any, args: argparse.Namespace) -> int:
    """A terminal conversation: each follow-up is condensed with the turns before it."""
    options = _options(args)
    history: list[Answer] = []
    print(f"newsrag chat ({_mode_line(assistant)}); an empty line or Ctrl-D ends", file=sys.stderr)
    while True:
        interactive = sys.stdin.isatty()
        try:
            question = input("> " if interactive else "").strip()
        except EOFError:
            break
        if question in ("", "exit", "quit", "/exit", "/quit"):
            break
        if not interactive:  # piped: show what was asked, like a transcript
            print(f"> {terminal_safe(question)}")
        try:
            answer = _print_streamed(assistant.stream(question, history=history, **options))
        except NewsragError as exc:  # one bad turn does not end the conversation
            print(f"newsrag: error: {exc}", file=sys.stderr)
            continue
        print(flush=True)  # a blank line between turns
        if answer is not None:
            history.append(answer)
    return 0


def _print_streamed(events: Iterator[str | Answer]) -> Answer | None:
    """Print pieces as they arrive, then the sources and what the checks found."""
    answer: Answer | None = None
    printed = False
    for event in events:
        if isinstance(event, Restart):
            print("\n[the reply above is withdrawn; the checked answer follows]", flush=True)
        elif isinstance(event, str):
            print(terminal_safe(event), end="", flush=True)
            printed = True
        else:
            answer = event
    if printed:
        print()
    if answer is None:
        return None
    for line in format_sources(answer.citations):
        print(f"    {terminal_safe(line)}")
    if answer.condensed_question and answer.condensed_question != answer.question:
        print(f"    (searched for: {terminal_safe(answer.condensed_question)})")
    if answer.refused and answer.closest:
        print("    closest passages (not a confirmed answer):")
        for line in format_sources(answer.closest):
            print(f"      {terminal_safe(line)}")
    for claim in answer.unsupported:
        print(f"    unsupported: “{claim.claim}” ({claim.reason})", file=sys.stderr)
    for claim in answer.dropped_claims:
        print(f"    dropped: “{claim.claim}” ({claim.reason})", file=sys.stderr)
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
    from rag.faces.listen import check_listen
    from rag.faces.serve import answer_workers, serve  # Gradio loads only for this command

    settings = assistant.settings
    host = check_listen(args.host, args.port)  # Gradio would blame the port for any failure
    workers = answer_workers(assistant, args.workers)
    how = f"{workers} answering process{'es' if workers > 1 else ''}" if workers else "threads"
    print(
        f"newsrag: serving {settings.home} at http://{host}:{args.port} "
        f"({_mode_line(assistant)}, {how}); Ctrl-C stops",
        file=sys.stderr,
    )
    try:
        serve(assistant, host, args.port, settings.auth_pair(), settings.max_upload_mb, workers)
    except OSError as exc:  # taken between the check and Gradio's bind
        raise InputError(f"cannot listen on {host}:{args.port} ({exc})") from None
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
    if infos:
        print("ID\tPUBLISHED\tSOURCE\tCHUNKS\tTITLE")
    for info in infos:
        print(
            terminal_safe(
                f"{info.id}\t{info.published or '-'}\t{info.source or '-'}\t"
                f"{info.n_chunks} chunks\t{info.title}"
            )
        )
    print(_count(len(infos), "article"), file=sys.stderr)
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


def _check(assistant: Any, args: argparse.Namespace) -> int:
    if args.repair:
        health, report = assistant.repair()
    else:
        health, report = assistant.check(), None
    if args.json:
        found = {"articles": health.articles, "chunks": health.chunks, "ok": health.ok}
        found["problems"] = [_as_dict(p) for p in health.problems]
        if report is not None:
            found["repair"] = report.to_dict() | {"chunks_dropped": len(health.to_drop())}
        _print_json(found)
        return 0 if health.ok or report is not None else 1
    for problem in health.problems:
        print(f"{problem.kind}: {problem.article_id}: {problem.detail}")
    print(f"{health.articles} articles, {health.chunks} chunks: ", end="")
    if health.ok:
        print("no problems")
        return 0
    if report is None:
        print(f"{len(health.problems)} problems; `newsrag check --repair` fixes them")
        return 1
    print(
        f"{len(health.problems)} problems repaired: {len(health.to_drop())} chunks dropped, "
        f"{len(report.added) + len(report.updated)} articles indexed again"
    )
    return 0


def _reindex(assistant: Any, args: argparse.Namespace) -> int:
    bar = None if args.json else CountBar("chunks")
    try:
        report = assistant.reindex(args.model, progress=bar.update if bar else None)
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        _print_json(_as_dict(report))
    else:
        print(report.summary())
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _notice(message: str) -> None:
    print(f"newsrag: {message}", file=sys.stderr, flush=True)


def _eval(assistant: Any, args: argparse.Namespace) -> int:
    from eval.command import run_command  # eval sits beside the faces; it loads only here

    return run_command(args, assistant.settings)


COMMANDS = {
    "ingest": _ingest,
    "reindex": _reindex,
    "ask": _ask,
    "timeline": _timeline,
    "chat": _chat,
    "serve": _serve,
    "eval": _eval,
    "list": _list,
    "stats": _stats,
    "delete": _delete,
    "check": _check,
}


def _as_dict(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


def _print_json(obj: dict[str, Any]) -> None:
    print(json.dumps(obj, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
