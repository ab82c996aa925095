"""The ``newsrag`` console script: ``rag.faces.cli.main``, made quick for a one-shot ``ask``.

A cold question spends most of its time loading spaCy (~0.9 s) and then, on the same core, the
store and the encoder (~0.8 s). For ``ask`` spaCy starts first, in a helper process on the
other core (rag/oneshot.py), and once the answer is printed the process leaves without the
interpreter's finalization (dropping Chroma's bindings, the ONNX session ...: ~0.3 s): a
question writes nothing, and stdout and stderr are flushed first. Every other command (and
``python -m rag.faces.cli``) runs as before.
"""

from __future__ import annotations

import os
import sys

from rag.faces.cli_args import build_parser


def run() -> None:
    argv = sys.argv[1:]
    one_shot = build_parser().parse_args(argv).command == "ask"  # bad arguments exit here
    nlp = None
    if one_shot:
        from rag.oneshot import question_nlp

        nlp = question_nlp()
    from rag.faces.cli import main  # after the helper started: its imports take ~0.2 s

    code = main(argv, nlp=nlp)
    if not one_shot:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # `newsrag ask ... | head`: the reader left
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
