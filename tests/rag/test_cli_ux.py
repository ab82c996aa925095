"""A new user's first hour at the command line (hardening issue, item 10)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import rag.assistant
from rag.core.types import Citation
from rag.faces.cli import main
from rag.faces.render import format_sources
from tests.fakes import HashingEmbedder

STORY = {
    "id": "bridge",
    "title": "Bridge opens",
    "source": "Daily",
    "published": "2023-02-12",
    "text": "Bridge opens\n\nThe mayor opened the bridge on Monday. “It is done. We waited ten "
    "years,” she said. It cost five million dollars.",
}


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    real = rag.assistant.Assistant
    monkeypatch.setattr(
        rag.assistant, "Assistant", lambda s, **kw: real(s, embeddings=HashingEmbedder(), **kw)
    )
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps(STORY) + "\n")
    home = ["--home", str(tmp_path / "h")]
    assert main(["ingest", str(corpus), *home]) == 0
    return home


def test_a_source_line_never_leaves_a_quote_open() -> None:
    cite = Citation(1, "bridge", "Bridge opens", "", "", "c1", "“It is done.", 0, 12)
    whole = Citation(2, "bridge", "Bridge opens", "", "", "c1", "“It is done,” she said.", 0, 9)
    assert format_sources([cite, whole]) == [
        "[1] Bridge opens — ““It is done.”",
        "[2] Bridge opens — “It is done,” she said.",
    ]


def test_list_has_a_header_and_counts_in_english(cli, capsys) -> None:
    capsys.readouterr()
    assert main(["list", *cli]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "ID\tPUBLISHED\tSOURCE\tCHUNKS\tTITLE"
    assert out.splitlines()[1].startswith("bridge\t2023-02-12\tDaily\t")
    assert err == "1 article\n"


def test_a_filter_that_matches_nothing_says_so(cli, capsys) -> None:
    capsys.readouterr()
    assert main(["ask", "Who opened the bridge?", "--source", "Nowhere Times", *cli]) == 1
    assert capsys.readouterr().err == (
        "newsrag: error: no stored article matches the filters (source 'Nowhere Times'); "
        "loosen the filters\n"
    )


def test_piped_chat_reads_like_a_transcript(cli, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Who opened the bridge?\nHow much did it cost?\n"))
    capsys.readouterr()
    assert main(["chat", *cli]) == 0
    out = capsys.readouterr().out
    first, second = out.split("\n\n> ")[:2]
    assert first.startswith("> Who opened the bridge?\n")
    assert second.startswith("How much did it cost?\n")
    assert "    [1] Bridge opens" in first


def test_an_empty_question_is_refused_before_anything_loads(capsys, monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise AssertionError("the Assistant was built for an empty question")

    monkeypatch.setattr(rag.assistant, "Assistant", boom)
    assert main(["ask", "   "]) == 1
    assert capsys.readouterr().err.startswith("newsrag: error: the question is empty")


def test_ask_help_says_what_to_type(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["ask", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert 'the question, in quotes: "Who leads the delegation?"' in text
    assert "passages to read (default: NEWSRAG_K, 5)" in text
    assert "(DATE as YYYY-MM-DD)" in text and "--since DATE" in text


def test_progress_is_reported_per_article_with_the_expected_total(tmp_path: Path) -> None:
    from rag.assistant import Assistant
    from rag.core.settings import Settings

    corpus = tmp_path / "many.jsonl"
    rows = [
        {"id": f"a{i}", "title": f"Story {i}", "text": f"Story {i}\n\n" + "Word salad. " * 40}
        for i in range(100)
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    seen: list[tuple[int, int]] = []
    assistant = Assistant(Settings(home=tmp_path / "h"), embeddings=HashingEmbedder())
    assistant.ingest([corpus], progress=lambda r: seen.append((r.done, r.expected)))
    assert {total for _, total in seen} == {100}
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == 100 and len(set(done)) > 3  # batches give 2


def test_ingesting_the_sample_folder_counts_its_one_article_and_no_duplicate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`newsrag ingest eval/datasets/seed/` (the README's first command): the bar counted
    qa.jsonl's 23 lines ("3/25", stopping at 12%) and the .txt copy was "a duplicate". Now the
    bar counts the article and the line saying qa.jsonl is skipped."""
    from tests.conftest import SEED

    real = rag.assistant.Assistant
    monkeypatch.setattr(
        rag.assistant, "Assistant", lambda s, **kw: real(s, embeddings=HashingEmbedder(), **kw)
    )
    assert main(["ingest", str(SEED) + "/", "--home", str(tmp_path / "h")]) == 0
    out, err = capsys.readouterr()
    assert "2/2" in err and "/25" not in err and "/24" not in err  # the article, qa.jsonl
    assert "added 1, updated 0, unchanged 0, duplicate 0, failed 0" in out
    assert "duplicate:" not in err and "skipped: " + str(SEED / "qa.jsonl") in err


def test_garbled_binary_and_misdated_files_through_newsrag_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hardening issue items 5-7 through the command: a stray byte is replaced and said (the
    article stored, exit 0); a late NUL byte and a front-matter date that is no date are each
    one line naming the file (and line), nothing stored, exit 1; the good file beside them is."""
    real = rag.assistant.Assistant
    monkeypatch.setattr(
        rag.assistant, "Assistant", lambda s, **kw: real(s, embeddings=HashingEmbedder(), **kw)
    )
    home = ["--home", str(tmp_path / "h")]
    stray = tmp_path / "stray.txt"
    stray.write_bytes(b"Harbour caf\xc3\xa9 reopens\n\nIts owner paid \xa3400 for the sign.\n")
    assert main(["ingest", str(stray), *home]) == 0
    out, err = capsys.readouterr()
    assert "added 1," in out and f"{stray}: not valid UTF-8: 1 stray byte (the first on" in err
    assert "caf\u00e9" in main_list_titles(home, capsys)

    late = tmp_path / "late-nul.txt"
    late.write_bytes(b"Long story\n\n" + b"The council met again. " * 4000 + b"\x00tail\n")
    dated = tmp_path / "dated.txt"
    dated.write_text("---\npublished: 2023-13-45\n---\nHarbour Notes\n\nThe board met.\n")
    good = tmp_path / "good.txt"
    good.write_text("Ferry Notes\n\nThe ferry ran on time all week.\n")
    assert main(["ingest", str(late), str(dated), str(good), *home]) == 1
    out, err = capsys.readouterr()
    assert "added 1, updated 0, unchanged 0, duplicate 0, failed 2" in out
    assert f"error: {late}: a binary file (it contains NUL bytes), not text" in err
    assert f"error: {dated}:2: published: '2023-13-45' is not a date; write it as" in err
    assert sorted(main_list_titles(home, capsys).splitlines()) == [
        "Ferry Notes",
        "Harbour caf\u00e9 reopens",
    ]


def main_list_titles(home: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["list", "--json", *home]) == 0
    return "\n".join(a["title"] for a in json.loads(capsys.readouterr().out)["articles"])
