import json
import shutil
from pathlib import Path

import pytest

from ingest.sources import read_sources, resolve_sources, split_sources
from rag.core.errors import InputError
from rag.core.types import Article, Skipped
from tests.conftest import SEED, SEED_ARTICLE_ID


def _read(*paths: Path) -> list[Article | Skipped]:
    return list(read_sources(resolve_sources(list(paths))))


def test_seed_folder_yields_jsonl_article_and_text_file_and_skips_qa(tmp_path: Path) -> None:
    folder = tmp_path / "seed"
    shutil.copytree(SEED, folder)
    (text,) = [json.loads(line)["text"] for line in (SEED / "articles.jsonl").open()]
    (folder / "pakistan-us-defence-talks.txt").write_text(text)
    items = _read(folder)
    articles = [i for i in items if isinstance(i, Article)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [a.id for a in articles][0] == SEED_ARTICLE_ID
    assert articles[1].id.startswith("pakistan-us-defence-talks-")
    assert articles[0].text == articles[1].text  # same article, same cleaned text
    assert not articles[0].text.endswith("Exit mobile version")
    assert articles[1].title == "Pakistan, U.S. Defence Talks In Washington To Improve Security"
    assert [(Path(s.where).name, s.error) for s in skipped] == [("qa.jsonl", False)]


def test_file_ids_are_stable(tmp_path: Path) -> None:
    f = tmp_path / "story.md"
    f.write_text("# Story\n\nBody text here.")
    first, second = _read(f), _read(f)
    assert first[0].id == second[0].id and first[0].id.startswith("story-")
    assert first[0].title == "Story"


def test_folder_is_recursive_sorted_and_ignores_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text("Alpha\n\nAlpha body.")
    (tmp_path / "b" / "c.html").write_text(
        "<html><body><article><p>Gamma body text is long "
        "enough to be kept by the extractor.</p></article>"
        "</body></html>"
    )
    (tmp_path / ".git" / "x.txt").write_text("hidden")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    items = _read(tmp_path)
    assert [type(i).__name__ for i in items] == ["Article", "Article", "Skipped"]
    assert items[0].title == "Alpha"
    assert "Gamma body text" in items[1].text
    assert items[2].reason == "not an article file type" and not items[2].error


def test_jsonl_bad_lines_name_file_line_and_field(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        "\n".join(
            [
                json.dumps(
                    {"id": "ok-1", "title": "T", "text": "Fine text.", "published": "2022/06/17"}
                ),
                "{not json",
                json.dumps({"id": "no-text", "title": "T"}),
                json.dumps({"id": "bad-title", "title": ["x"], "text": "t"}),
                json.dumps({"title": "No id", "url": "https://e.org/x", "text": "Other text."}),
                "",
            ]
        )
    )
    items = _read(corpus)
    problems = {i.where: i.reason for i in items if isinstance(i, Skipped)}
    assert problems == {
        f"{corpus}:2": "invalid JSON (Expecting property name enclosed in double quotes at "
        "column 2); fix or remove the line",
        f"{corpus}:3": "field 'text' is missing; every line needs the article text",
        f"{corpus}:4": "field 'title' must be a string, not list",
    }
    articles = [i for i in items if isinstance(i, Article)]
    assert articles[0].id == "ok-1" and articles[0].published == "2022/06/17"
    assert articles[1].id.startswith("a-") and articles[1].origin == f"{corpus}:5"


def test_a_cp1252_file_is_read_with_a_warning(tmp_path: Path) -> None:
    old = tmp_path / "cp1252.txt"
    text = "Caf\u00e9 owners in M\u00fcnster say the \u201cnew\u201d rules cost \u00a35,000 a year."
    old.write_bytes(("Local news\n\n" + text + " " + text).encode("cp1252"))
    warning, article = _read(old)
    assert isinstance(warning, Skipped) and not warning.error
    assert (
        warning.reason.startswith("not UTF-8: read as cp125") and "check the text" in warning.reason
    )
    assert isinstance(article, Article) and text in article.text


def test_utf8_with_a_stray_byte_stays_utf8_and_says_so(tmp_path: Path) -> None:
    """Issue 25 item 5: one bad byte in a UTF-8 file used to send the whole file through cp932
    ("cafﾃｩ"); now only that byte is replaced, and the warning names its line."""
    path = tmp_path / "stray.txt"
    body = "Harbour caf\u00e9 reopens\n\nThe caf\u00e9 on the quay reopened on Monday.\n"
    path.write_bytes(body.encode() + b"Its owner paid \xa3400 for the sign.\n")
    warning, article = _read(path)
    assert (warning.where, warning.reason, warning.error) == (
        str(path),
        "not valid UTF-8: 1 stray byte (the first on line 4) replaced with \ufffd; check the "
        "text or save the file as UTF-8",
        False,
    )
    assert isinstance(article, Article)
    assert "The caf\u00e9 on the quay reopened on Monday." in article.text
    assert "Its owner paid \ufffd400 for the sign." in article.text


def test_a_nul_byte_anywhere_makes_a_binary_file(tmp_path: Path) -> None:
    """Issue 25 item 6: the check read only the first 64 KB."""
    path = tmp_path / "late-nul.txt"
    path.write_bytes(b"Long story\n\n" + b"The council met again. " * 4000 + b"\x00tail\n")
    assert len(path.read_bytes()) > 65536
    assert [(i.where, i.reason) for i in _read(path)] == [
        (str(path), "a binary file (it contains NUL bytes), not text")
    ]


def test_binary_deep_oversized_and_textless_inputs_are_one_clear_line_each(
    tmp_path: Path,
) -> None:
    nul = tmp_path / "zeros.txt"
    nul.write_bytes(b"\x00" * 4096)
    assert [(i.where, i.reason) for i in _read(nul)] == [
        (str(nul), "a binary file (it contains NUL bytes), not text")
    ]
    deep = tmp_path / "deep.jsonl"
    good = {"id": "ok", "title": "Fine", "text": "A normal article about the harbour."}
    deep.write_text(json.dumps(good) + "\n" + "[" * 5000 + "]" * 5000 + "\n")
    bad, ok = _read(deep)  # line problems first, then the articles
    assert isinstance(ok, Article) and ok.id == "ok"
    assert (bad.where, bad.reason) == (
        f"{deep}:2",
        "JSON nested too deeply; fix or remove the line",
    )
    notext = tmp_path / "titles.jsonl"
    notext.write_text(json.dumps({"id": "a", "title": "No body"}) + "\n")
    [item] = _read(notext)
    assert item.error and item.reason.endswith("not an article corpus; every line needs 'text'")
    boolean = tmp_path / "bool.jsonl"
    boolean.write_text(json.dumps({"id": True, "text": "Some text here."}) + "\n")
    [item] = _read(boolean)
    assert item.error and item.reason == "field 'id' must be a string, not bool"
    big = tmp_path / "big.txt"
    big.write_text("word " * 500_000)
    [item] = list(read_sources([big], max_article_bytes=1_000_000))
    assert item.error and item.reason == (
        "too big for one article (2.5 MB; the limit is 1 MB, NEWSRAG_MAX_ARTICLE_MB)"
    )


def test_an_unreadable_subfolder_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(Shown with os.walk reporting EACCES: the tests may run as root, who reads anything.)"""
    import os

    corpus = tmp_path / "corpus"
    (corpus / "locked").mkdir(parents=True)
    (corpus / "a.txt").write_text("Headline\n\nBody text.")
    real_walk = os.walk

    def walk(top, onerror=None):  # type: ignore[no-untyped-def]
        for root, dirs, names in real_walk(top):
            if "locked" in dirs:
                dirs.remove("locked")
                onerror(PermissionError(13, "Permission denied", str(Path(root) / "locked")))
            yield root, dirs, names

    monkeypatch.setattr("ingest.sources.os.walk", walk)
    items = _read(corpus)
    assert [(i.where, i.reason) for i in items if isinstance(i, Skipped)] == [
        (
            str(corpus / "locked"),
            "cannot read the folder (Permission denied); check its permissions",
        )
    ]
    assert [i.title for i in items if isinstance(i, Article)] == ["Headline"]


def test_explicit_unsupported_file_is_an_error(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF")
    [item] = _read(pdf)
    assert item.error and item.reason.startswith("unsupported file type .pdf; use one of")


def test_missing_path_and_urls_fail_before_reading(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt: no such file or folder; check the path"):
        resolve_sources([tmp_path / "nope.txt"])
    with pytest.raises(InputError, match="nothing to ingest"):
        resolve_sources([])
    paths, urls = split_sources([tmp_path, "https://example.org/feed.xml "])
    assert (paths, urls) == ([tmp_path], ["https://example.org/feed.xml"])
    with pytest.raises(InputError, match=r"ftp://x/a: only http:// and https:// URLs"):
        split_sources(["ftp://x/a"])
    with pytest.raises(InputError, match=r"nope\.txt: no such file or folder"):
        split_sources(["https://example.org/", tmp_path / "nope.txt"])  # nothing fetched yet


def test_front_matter_gives_a_text_file_its_date_outlet_and_title(tmp_path: Path) -> None:
    (tmp_path / "talks.txt").write_text(
        "---\ntitle: 'Defence talks open'\ndate: 2023-02-12\noutlet: Dawn\n"
        "url: https://example.org/talks\nauthor: Staff\ntags: ignored\n---\n"
        "Pakistan and the U.S. will talk about defence on February 13.\n",
        encoding="utf-8",
    )
    (article,) = read_sources([tmp_path / "talks.txt"])
    assert isinstance(article, Article)
    assert (article.title, article.published, article.source, article.url, article.author) == (
        "Defence talks open",
        "2023-02-12",
        "Dawn",
        "https://example.org/talks",
        "Staff",
    )
    assert article.text == "Pakistan and the U.S. will talk about defence on February 13."


def test_front_matter_in_markdown_and_a_bad_line_named(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\npublished: 2024-05-01\n---\n# Head\n\nBody text here.\n")
    (tmp_path / "b.txt").write_text("---\npublished 2024-05-01\n---\nBody.\n")
    md, bad = read_sources([tmp_path / "a.md", tmp_path / "b.txt"])
    assert isinstance(md, Article) and md.published == "2024-05-01" and md.title == "Head"
    assert isinstance(bad, Skipped) and bad.where == f"{tmp_path / 'b.txt'}:2"
    assert bad.reason == (
        "front matter lines look like 'key: value', not 'published 2024-05-01'; "
        "fix the front matter block"
    )


@pytest.mark.parametrize(
    ("block", "line", "reason"),
    [
        ("---\ntitle: T\npublished: 2023-13-45\n---\n", 3, "published: '2023-13-45'"),
        ("---\ndate: last Tuesday\n---\n", 2, "date: 'last Tuesday'"),
        ("---\nsource: X\n\npublished: 99999-01-01\n---\n", 4, "published: '99999-01-01'"),
        ("---\ndate: 'not before 2031 probably'\n---\n", 2, "date: 'not before 2031 probably'"),
    ],
)
def test_a_front_matter_date_that_is_no_date_is_refused_with_its_line(
    tmp_path: Path, block: str, line: int, reason: str
) -> None:
    """Issue 25 item 7: such dates were stored verbatim (or read as 2031-01-01)."""
    path = tmp_path / "dated.txt"
    path.write_text(block + "Harbour Notes\n\nThe harbour board met.\n", encoding="utf-8")
    assert [(i.where, i.reason) for i in read_sources([path])] == [
        (
            f"{path}:{line}",
            f"{reason} is not a date; write it as YYYY-MM-DD (e.g. 2023-02-12), or leave the line "
            "out; fix the front matter block",
        )
    ]


def test_an_unclosed_front_matter_block_is_refused_not_stored_as_a_title(tmp_path: Path) -> None:
    path = tmp_path / "open.md"
    path.write_text("---\ntitle: Harbour\npublished: 2023-02-12\nThe board met.\n", "utf-8")
    assert [(i.where, i.reason) for i in read_sources([path])] == [
        (
            f"{path}:1",
            "the front matter block opened with '---' is never closed; end it with a '---' line "
            "before the article text; fix the front matter block",
        )
    ]
    written = tmp_path / "dates.txt"  # the written forms a newsroom uses still pass
    for value in ("2023-02-12T10:00:00+00:00", "2023/02/12", "12 February 2023", "Feb 12, 2023"):
        written.write_text(f"---\ndate: {value}\n---\nBody text.\n", encoding="utf-8")
        (article,) = read_sources([written])
        assert isinstance(article, Article) and article.published == value


def test_a_text_without_front_matter_is_unchanged(tmp_path: Path) -> None:
    (tmp_path / "c.txt").write_text("Title line\n\n--- not front matter ---\nBody.\n")
    (article,) = read_sources([tmp_path / "c.txt"])
    assert isinstance(article, Article) and article.text.startswith("Title line")
    assert article.published == "" and "--- not front matter ---" in article.text
