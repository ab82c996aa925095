"""The faces: the `newsrag` command line (cli, cli_args, progress, launch, listen) and the Gradio
chat (app, serve, login, render, uploads). Thin: they parse, call the ``Assistant`` facade (or
the answer pool) and render its ``Answer``; nothing below imports them."""
