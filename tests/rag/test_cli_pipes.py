"""The real command in a shell pipeline and on a busy port: one line, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED

pytestmark = pytest.mark.slow


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSRAG_", "CHROMA_"))}
    return env | {"NEWSRAG_HOME": str(home), "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}


def test_output_into_a_closed_pipe_and_a_busy_port_are_quiet(tmp_path: Path) -> None:
    cli = f"{sys.executable} -m rag.faces.cli"
    env = _env(tmp_path)
    subprocess.run([*cli.split(), "ingest", str(SEED)], env=env, check=True, capture_output=True)
    for command in (
        f"{cli} list | head -c 3",
        f"{cli} ask 'Who leads the delegation?' --json | head -c 5",
    ):
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(
            [*cli.split(), "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"newsrag: error: port {port} on 127.0.0.1 is in use" in done.stderr
    assert "choose another --port" in done.stderr
