"""`newsrag serve` and `--home` fail as one line, not a traceback (issue 25, item 8). Only
loopback addresses are bound here; an address this machine lacks is checked through the error
translation, never by binding one."""

from __future__ import annotations

import errno
import socket
from pathlib import Path

import pytest

import rag.assistant
from rag.faces.cli import main
from rag.faces.listen import check_listen, listen_problem, url_host
from tests.fakes import HashingEmbedder


@pytest.fixture
def hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    real = rag.assistant.Assistant
    monkeypatch.setattr(
        rag.assistant, "Assistant", lambda s, **kw: real(s, embeddings=HashingEmbedder(), **kw)
    )


def test_a_home_that_is_a_file_is_one_line(hashing, tmp_path: Path, capsys) -> None:
    home = tmp_path / "notes.txt"
    home.write_text("not a folder\n")
    assert main(["--home", str(home), "list"]) == 1
    assert capsys.readouterr().err == (
        f"newsrag: error: the home {home} is a file, not a folder; give --home (or "
        "NEWSRAG_HOME) a folder, which is created when missing\n"
    )
    assert main(["--home", str(home / "sub"), "list"]) == 1
    assert capsys.readouterr().err == (
        f"newsrag: error: cannot create the home folder {home / 'sub'} (Not a directory); give "
        "--home (or NEWSRAG_HOME) a folder you can write\n"
    )


def test_serve_on_a_port_in_use_names_the_port(hashing, tmp_path: Path, capsys) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--home", str(tmp_path)]
        assert main(args) == 1
    assert capsys.readouterr().err == (
        f"newsrag: error: port {port} on 127.0.0.1 is in use; is another server running? "
        "choose another --port\n"
    )


def test_a_free_loopback_port_passes_the_check() -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    assert check_listen("127.0.0.1", port) == "127.0.0.1"


def test_an_ipv6_address_is_bracketed_for_gradio_and_the_url() -> None:
    assert [url_host(h) for h in ("::1", "[::1]", "127.0.0.1", "localhost", "fe80::1")] == [
        "[::1]",
        "[::1]",
        "127.0.0.1",
        "localhost",
        "[fe80::1]",
    ]


def test_an_address_this_machine_lacks_is_blamed_not_the_port() -> None:
    missing = OSError(errno.EADDRNOTAVAIL, "Cannot assign requested address")
    assert listen_problem("10.9.8.7", 7860, missing) == (
        "--host 10.9.8.7: this machine has no such address; use 127.0.0.1 (this machine only), "
        "0.0.0.0 (every address it has) or one of its own addresses"
    )
    unknown = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    assert listen_problem("no-such-host", 7860, unknown).startswith(
        "--host no-such-host: not an address or a name this machine can resolve"
    )
