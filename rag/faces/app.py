"""The Gradio chat page (``newsrag serve``, see rag/faces/serve.py): thin. It calls Assistant (or
the answer pool, which streams the same events from worker processes) and renders Answer with
``rag.faces.render``; errors become Gradio warnings with the one-line message, never a traceback.

Usage: ``build_app(assistant).launch()``; ``build_app(assistant, pool=AnswerPool(...).start())``
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import gradio as gr

from prompts import load_prompt
from rag.assistant import Assistant, web_addresses
from rag.core.dates import parse_date
from rag.core.errors import InputError, NewsragError
from rag.core.types import Answer, Filters, IngestReport, Restart, Turn
from rag.faces.render import (
    answer_markdown,
    escape_markdown,
    ingest_markdown,
    sources_html,
    timeline_answer,
)
from rag.faces.uploads import owner_folder, shown_name, stage_upload
from rag.pool import AnswerPool

ALL_SOURCES = "All sources"


def mode_note(assistant: Assistant) -> str:
    """Which answerer speaks: shown above the chat."""
    if assistant.mode == "llm":
        return (
            f"**Answers by** `{assistant.settings.model}` at `{assistant.endpoint}`; "
            "every citation is checked against the sources."
        )
    return (
        "**Answers: offline extractive** — the sentences that answer best are quoted verbatim "
        "from the articles (no API key needed)."
    )


def example_questions(assistant: Assistant, limit: int = 4) -> list[str]:
    """The example questions of prompts/examples.txt whose articles are in the store."""
    stored = {a.id for a in assistant.list_articles()}
    out: list[str] = []
    for line in load_prompt("examples").splitlines():
        article_id, _, question = line.partition("\t")
        if line.startswith("#") or article_id not in stored or question in out:
            continue
        out.append(question)
        if len(out) == limit:
            break
    return out


def source_choices(assistant: Assistant) -> list[str]:
    return [ALL_SOURCES] + sorted({a.source for a in assistant.list_articles() if a.source})


def reply(
    assistant: Assistant,
    question: str,
    chat: list[dict[str, str]],
    answers: list[Answer],
    filters: tuple[str, str, str, float],
    pool: AnswerPool | None = None,
) -> Iterator[tuple[Any, ...]]:
    """Stream one answer into the conversation: (chat, answers, sources panel, question box).
    With ``pool`` a worker process answers; the events and the rendering are the same. The
    conversation is the ``chat`` the client sends: the session's answers count only for the
    turns it holds (an API caller sending an empty chat asks a standalone question)."""
    question = (question or "").strip()
    if not question:
        gr.Warning("Type a question first.")
        return
    chat = list(chat or [])
    answers = history_of(chat, answers)
    chat = [*chat, {"role": "user", "content": question}, {"role": "assistant", "content": ""}]
    try:
        options = _filters(*filters)
        final: Answer | None = None
        text = ""
        for event in (pool or assistant).stream(question, history=answers, **options):
            if isinstance(event, Answer):
                final = event
            else:
                text = "" if isinstance(event, Restart) else text + event
                chat[-1] = {"role": "assistant", "content": escape_markdown(text)}
                yield chat, answers, gr.skip(), ""
    except NewsragError as exc:  # one bad question does not end the conversation
        gr.Warning(str(exc))
        chat[-1] = {"role": "assistant", "content": f"⚠️ {escape_markdown(str(exc))}"}
        yield chat, answers, gr.skip(), question
        return
    assert final is not None
    chat[-1] = {"role": "assistant", "content": answer_markdown(final)}
    yield chat, [*answers, final], sources_html(final, assistant.get_article), ""


def timeline_reply(
    assistant: Assistant,
    query: str,
    chat: list[dict[str, str]],
    answers: list[Answer],
    filters: tuple[str, str, str, float],
) -> tuple[Any, ...]:
    """The story the question box names as a dated timeline in the conversation, its sources
    in the panel: (chat, answers, sources panel, question box)."""
    query = (query or "").strip()
    if not query:
        gr.Warning("Type the story first, e.g. Storm Idris, then press Timeline.")
        return chat, answers, gr.skip(), query
    chat = list(chat or [])
    answers = history_of(chat, answers)
    try:
        timeline = assistant.timeline(query, _filters(*filters)["filters"])
    except NewsragError as exc:
        gr.Warning(str(exc))
        return chat, answers, gr.skip(), query
    shown = timeline_answer(timeline)
    chat += [
        {"role": "user", "content": f"Timeline: {escape_markdown(query)}"},
        {"role": "assistant", "content": answer_markdown(shown)},
    ]
    return chat, [*answers, shown], sources_html(shown, assistant.get_article), ""


def history_of(chat: list[dict[str, str]], answers: list[Answer]) -> list[Answer]:
    """The session's answers behind the assistant turns of ``chat``: the last as many as it
    shows (none for an empty chat, whatever the session asked before)."""
    turns = sum(1 for m in chat if isinstance(m, dict) and m.get("role") == "assistant")
    return answers[len(answers) - turns :] if turns else []


def add_uploads(
    assistant: Assistant,
    files: list[str] | None,
    max_upload_mb: int,
    progress: gr.Progress,
    owner: str = "",
) -> tuple:
    """Ingest uploaded files: (report, source choices, upload box). ``owner`` is the chat
    session: its uploads are kept apart from every other session's, so a file name another user
    also chose never replaces that user's article; re-uploading a name in one session updates."""
    if not files:
        gr.Warning("Choose one or more .txt, .md, .html or .jsonl files first.")
        return gr.skip(), gr.skip(), gr.skip()
    uploads = Path(assistant.settings.home) / "uploads"
    try:
        folder = uploads / owner_folder(owner)
        paths = [stage_upload(f, folder, max_upload_mb) for f in files]
        progress(0, desc="Ingesting")

        def tick(report: IngestReport) -> None:
            total = max(report.expected, report.done, 1)
            desc = f"{report.done}/{total} articles, {report.chunks_embedded} chunks embedded"
            progress((report.done, total), desc=desc, unit="articles")

        report = assistant.ingest(paths, progress=tick, id_space=owner_folder(owner))
    except NewsragError as exc:
        gr.Warning(str(exc))
        return f"⚠️ {exc}", gr.skip(), gr.skip()
    report.skipped = [replace(x, where=shown_name(x.where, uploads)) for x in report.skipped]
    return ingest_markdown(report), gr.update(choices=source_choices(assistant)), None


def add_urls(assistant: Assistant, text: str, progress: gr.Progress) -> tuple:
    """Ingest the pages and feeds listed in the URL box (one per line): (report, sources, box).
    Local and private addresses are refused unless NEWSRAG_ALLOW_PRIVATE_URLS is set: a chat
    user is not the machine's owner."""
    try:
        urls = web_addresses(text)  # http(s) only: a path here would read the server's files
    except NewsragError as exc:
        gr.Warning(str(exc))
        return f"⚠️ {exc}", gr.skip(), gr.skip()
    if not urls:
        gr.Warning("Paste the address of a news page or an RSS/Atom feed first.")
        return gr.skip(), gr.skip(), gr.skip()
    try:
        progress(0, desc="Fetching")

        def tick(report: IngestReport) -> None:
            total = max(report.expected, report.done, 1)
            progress((report.done, total), desc=f"{report.done} articles", unit="articles")

        allow = assistant.settings.allow_private_urls
        report = assistant.ingest(urls, progress=tick, allow_private=allow)
    except NewsragError as exc:
        gr.Warning(str(exc))
        return f"⚠️ {exc}", gr.skip(), gr.skip()
    return ingest_markdown(report), gr.update(choices=source_choices(assistant)), ""


def build_app(
    assistant: Assistant, max_upload_mb: int = 10, pool: AnswerPool | None = None
) -> gr.Blocks:
    """The chat page: conversation, sources panel, filters and an "Add articles" area.
    Questions go to ``pool`` when given; ingests and the sources panel use ``assistant``."""

    def ask(
        question: str,
        chat: list[dict[str, str]],
        answers: list[Answer],
        source: str,
        since: str,
        until: str,
        k: float,
    ) -> Iterator[tuple[Any, ...]]:
        yield from reply(assistant, question, chat, answers, (source, since, until, k), pool)

    def timeline(
        query: str,
        chat: list[dict[str, str]],
        answers: list[Answer],
        source: str,
        since: str,
        until: str,
        k: float,
    ) -> tuple[Any, ...]:
        return timeline_reply(assistant, query, chat, answers, (source, since, until, k))

    def add_articles(
        files: list[str] | None,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (how Gradio asks for progress)
    ) -> tuple:
        owner = getattr(request, "session_hash", None) or ""
        return add_uploads(assistant, files, max_upload_mb, progress, owner)

    def fetch_urls(
        text: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (how Gradio asks for progress)
    ) -> tuple:
        return add_urls(assistant, text, progress)

    def answer(
        question: str,
        history: list[list[str]] | None = None,
        source: str = "",
        since: str = "",
        until: str = "",
        k: int = 0,
    ) -> dict[str, Any]:
        """Plain data for API callers: the answer as `newsrag ask --json` prints it (text,
        refused, citations with exact quotes and offsets, condensed_question, ...). ``history``:
        earlier [question, answer text] pairs of the conversation, oldest first."""
        turns = [Turn(str(q), str(a)) for q, a in history or []]
        try:
            options = _filters(source or ALL_SOURCES, since, until, k or assistant.settings.k)
            *_, final = (pool or assistant).stream(question, history=turns, **options)
        except NewsragError as exc:
            return {"error": str(exc)}
        assert isinstance(final, Answer)
        return final.to_dict()

    def clear() -> tuple:
        return [], [], sources_html(None, assistant.get_article)

    with gr.Blocks(title="newsrag") as app:
        gr.Markdown("## newsrag — questions about your news articles")
        gr.Markdown(mode_note(assistant), elem_id="mode")
        answers = gr.State([])
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(elem_id="chat", label="Conversation", height=460)
                with gr.Row():
                    question = gr.Textbox(
                        elem_id="question",
                        show_label=False,
                        placeholder="Ask about the articles (Who leads the delegation?), "
                        "or name a story (Storm Idris) and press Timeline",
                        scale=5,
                    )
                    send = gr.Button("Ask", variant="primary", elem_id="ask", scale=1, min_width=80)
                    story = gr.Button("Timeline", elem_id="timeline", scale=1, min_width=80)
                    new = gr.Button("New conversation", elem_id="new", scale=1, min_width=80)
                examples = example_questions(assistant)
                if examples:
                    gr.Examples(examples=[[q] for q in examples], inputs=[question])
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                sources = gr.HTML(sources_html(None, assistant.get_article), elem_id="sources")
        with gr.Accordion("Filters", open=False):
            with gr.Row():
                source = gr.Dropdown(
                    source_choices(assistant), value=ALL_SOURCES, label="Outlet / source"
                )
                since = gr.Textbox(label="Published from (YYYY-MM-DD)", elem_id="since")
                until = gr.Textbox(label="Published until (YYYY-MM-DD)", elem_id="until")
                k = gr.Slider(1, 20, value=assistant.settings.k, step=1, label="Sources to read")
        with gr.Accordion("Add articles", open=False, elem_id="add-articles"):
            upload = gr.File(
                file_count="multiple",  # no file_types: Gradio's own check of them fails
                # with its generic "Error" and a server traceback (a file named ".md"); the
                # handler checks the type and says what is wrong in one line
                type="filepath",
                label=f"Upload .txt, .md, .html or .jsonl (up to {max_upload_mb} MB each)",
                elem_id="upload",
            )
            add = gr.Button("Add articles", elem_id="add")
            with gr.Row():
                url_box = gr.Textbox(
                    label="Or add from the web: a news page or an RSS/Atom feed (one per line)",
                    placeholder="https://example.org/world/rss.xml",
                    elem_id="url-box",
                    scale=5,
                )
                fetch = gr.Button("Fetch", elem_id="fetch", scale=1)
            ingest_report = gr.Markdown(elem_id="ingest-report")

        inputs = [question, chat, answers, source, since, until, k]
        outputs = [chat, answers, sources, question]
        send.click(ask, inputs, outputs)
        question.submit(ask, inputs, outputs)
        story.click(timeline, inputs, outputs)
        new.click(clear, None, outputs[:3])  # leaves what is typed in the question box
        chat.clear(clear, None, outputs[:3])  # the chat's own bin button forgets the turns too
        app.load(lambda: gr.update(choices=source_choices(assistant)), None, source)
        add.click(add_articles, [upload], [ingest_report, source, upload])
        fetch.click(fetch_urls, [url_box], [ingest_report, source, url_box])
        gr.api(answer, api_name="answer")
    return app


def _filters(source: str, since: str, until: str, k: float) -> dict[str, Any]:
    """The chat's filter boxes as ``stream`` options; InputError names a bad date box."""
    days: dict[str, Any] = {}
    for name, value in (("since", since), ("until", until)):
        value = (value or "").strip()
        days[name] = parse_date(value) if value else None
        if value and days[name] is None:
            raise InputError(f"{name}: not a date: {value!r} (use YYYY-MM-DD)")
    chosen = None if source in ("", ALL_SOURCES) else source
    return {"k": int(k), "filters": Filters(source=chosen, **days)}
