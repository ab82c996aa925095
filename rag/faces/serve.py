"""Run the chat (``newsrag serve``): the answer pool, the upload staging folder, Gradio's queue,
the server, and shutdown. The page itself is rag/faces/app.py.

Usage: ``serve(Assistant(), host="127.0.0.1", port=7860, workers=2)``

Questions are answered by ``workers`` processes (rag/pool.py), so concurrent users use every
core; ``workers=0`` answers in threads of this process (as an Assistant built with injected
models must, since workers build theirs from the settings). Unset, it is NEWSRAG_WORKERS, else
one per core offline and 0 in LLM mode, where the endpoint's latency dominates and threads keep
more calls in flight than a small pool would.
"""

from __future__ import annotations

import os
from pathlib import Path

import gradio as gr

from rag.assistant import Assistant
from rag.core.connect import make_home
from rag.faces.app import build_app
from rag.faces.login import LoginGuard
from rag.pool import AnswerPool, worker_count

THREADS = 4  # questions answered at once in threads (Gradio's concurrency limit)
CSS = """
.nr-source { border-left: 3px solid #6366f1; padding: 4px 10px; margin: 8px 0; }
.nr-title { font-weight: 600; }
.nr-marker { color: #4f46e5; margin-right: 4px; }
.nr-meta, .nr-url { font-size: 0.85em; color: #6b7280; }
.nr-para { margin: 6px 0; line-height: 1.45; }
.nr-para mark { background: #fde68a; padding: 0 2px; }
.nr-checks { font-size: 0.85em; color: #92400e; }
.nr-empty { color: #6b7280; }
"""


def answer_workers(assistant: Assistant, workers: int | None = None) -> int:
    """How many answering processes ``serve`` starts (0: threads): ``workers`` when given,
    else NEWSRAG_WORKERS, else one per core offline and 0 in LLM mode."""
    if workers is not None:
        return workers
    if assistant.settings.workers is None and assistant.mode == "llm":
        return 0
    return worker_count(assistant.settings)


def serve(
    assistant: Assistant,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: tuple[str, str] | None = None,
    max_upload_mb: int = 10,
    workers: int | None = None,
) -> None:
    """Run the chat until interrupted (blocks); the answering processes stop with it. Uploads
    are staged under NEWSRAG_HOME, not in the machine-wide temp folder; a login (``auth``) is
    guarded against guessing."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    make_home(assistant.settings)
    staging = Path(assistant.settings.home) / "uploads" / "incoming"
    staging.mkdir(parents=True, exist_ok=True)
    os.environ["GRADIO_TEMP_DIR"] = str(staging)  # read by Gradio for each upload
    n = answer_workers(assistant, workers)
    pool = AnswerPool(assistant.settings, n).start() if n else None
    try:
        app = build_app(assistant, max_upload_mb, pool)
        app.queue(default_concurrency_limit=max(THREADS, n))
        app.launch(
            server_name=host,
            server_port=port,
            auth=LoginGuard(*auth) if auth else None,
            max_file_size=f"{max_upload_mb}mb",
            show_error=False,
            css=CSS,
            theme=gr.themes.Default(font=["ui-sans-serif", "system-ui", "sans-serif"]),
            footer_links=[],
        )
    finally:
        if pool is not None:
            pool.close()
