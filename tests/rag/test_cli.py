import json
import subprocess
import sys
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.core.embeddings import DEFAULT_EMBEDDING_MODEL, LocalMiniLM, LocalMiniLML3, LocalStatic
from rag.core.settings import Settings
from rag.faces.cli import main
from tests.conftest import REPO, SEED, SEED_ARTICLE_ID
from tests.fakes import HashingEmbedder


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_missing_path_is_one_line_and_nonzero(capsys, tmp_path: Path) -> None:
    code, out, err = _run(capsys, "ingest", str(tmp_path / "nope"), "--home", str(tmp_path / "h"))
    assert code == 1 and out == ""
    assert err == f"newsrag: error: {tmp_path / 'nope'}: no such file or folder; check the path\n"


def test_empty_question_is_one_line_and_nonzero(capsys, tmp_path: Path) -> None:
    code, _, err = _run(capsys, "ask", "  ", "--home", str(tmp_path / "h"))
    assert code == 1
    assert err.startswith("newsrag: error: the question is empty;") and err.count("\n") == 1


def test_home_may_stand_before_or_after_the_command(capsys, tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    Assistant(Settings(home=before), embeddings=HashingEmbedder()).ingest([SEED])
    code, _, err = _run(capsys, "--home", str(before), "stats")
    assert code == 1 and f"the store at {before} was built with test:hashing" in err
    code, _, err = _run(capsys, "stats", "--home", str(before))
    assert code == 1 and f"the store at {before} was built with test:hashing" in err
    code, out, _ = _run(capsys, "--home", str(after), "list")
    assert code == 0 and out == ""


def test_store_of_another_model_is_one_line(capsys, monkeypatch, tmp_path: Path) -> None:
    home = tmp_path / "h"
    Assistant(Settings(home=home), embeddings=HashingEmbedder()).ingest([SEED])
    code, _, err = _run(capsys, "stats", "--home", str(home))
    assert code == 1
    assert err == (
        f"newsrag: error: the store at {home} was built with test:hashing, which this newsrag "
        "cannot load; use another --home, or ingest the articles again into a new one\n"
    )
    monkeypatch.setenv("NEWSRAG_EMBEDDING_MODEL", "local:all-MiniLM-L6-v2")
    code, _, err = _run(capsys, "stats", "--home", str(home))
    assert code == 1
    assert err.startswith(
        f"newsrag: error: the store at {home} was built with test:hashing "
        "(256-d vectors), not local:all-MiniLM-L6-v2 (384-d)"
    )


def test_a_store_keeps_the_model_it_was_built_with(capsys, tmp_path: Path) -> None:
    """When the default encoder changes, existing stores go on with theirs (no model loads)."""
    home = tmp_path / "h"
    l3 = LocalMiniLML3()
    assert l3.name != DEFAULT_EMBEDDING_MODEL or LocalMiniLM().name != DEFAULT_EMBEDDING_MODEL
    for embedder, dimension in ((LocalMiniLM(), 384), (l3, 384), (LocalStatic(), 256)):
        where = home / embedder.name.replace(":", "-")
        assert Assistant(Settings(home=where), embeddings=embedder).stats()["chunks"] == 0
        stats = Assistant(Settings(home=where)).stats()
        assert (stats["embedding_model"], stats["embedding_dim"]) == (embedder.name, dimension)
        assert Assistant(Settings(home=where)).pipeline.embedder.name == embedder.name


def test_corrupted_store_through_the_real_command_has_no_traceback(tmp_path: Path) -> None:
    home = tmp_path / "h"
    (home / "chroma").mkdir(parents=True)
    (home / "chroma" / "chroma.sqlite3").write_bytes(b"garbage" * 500)
    done = subprocess.run(
        [sys.executable, "-m", "rag.faces.cli", "--home", str(home), "list"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"newsrag: error: cannot open the store at {home}")
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1


@pytest.mark.slow
def test_ingest_ask_list_stats_delete_with_the_real_model(capsys, tmp_path: Path) -> None:
    home = str(tmp_path / "h")
    code, out, err = _run(capsys, "ingest", str(SEED) + "/", "--home", home, "--json")
    report = json.loads(out)
    assert code == 0 and report["added"] == [SEED_ARTICLE_ID]
    assert [Path(s["where"]).name for s in report["skipped"]] == ["qa.jsonl"]

    code, out, _ = _run(
        capsys, "ask", "Who leads the Pakistani delegation?", "--home", home, "--json"
    )
    data = json.loads(out)
    assert code == 0 and not data["refused"] and "Mohammed Saeed" in data["answer"]
    assert data["citations"][0]["article_id"] == SEED_ARTICLE_ID
    assert data["citations"][0]["quote"] in data["answer"]

    code, out, _ = _run(capsys, "ask", "Who leads the Pakistani delegation?", "--home", home)
    lines = out.splitlines()
    assert (  # the reader quotes the sentence that names him first
        "The Pakistani team, led by Lt. Gen. Mohammed Saeed, Chief of General Staff, arrived in "
        "the U.S. capital on Sunday afternoon. [1]" in lines[0]
    )
    assert (
        lines[1]
        .strip()
        .startswith("[1] Pakistan, U.S. Defence Talks In Washington To Improve Security — \u201c")
    )

    code, out, _ = _run(capsys, "list", "--home", home)
    assert out.splitlines()[1].startswith(f"{SEED_ARTICLE_ID}\t-\tsample article\t")
    code, out, _ = _run(capsys, "stats", "--home", home, "--json")
    stats = json.loads(out)
    assert (stats["articles"], stats["embedding_model"], stats["embedding_dim"]) == (
        1,
        "local:all-MiniLM-L6-v2",
        384,
    )
    code, out, _ = _run(capsys, "delete", SEED_ARTICLE_ID, "--home", home)
    assert code == 0 and out == f"deleted {SEED_ARTICLE_ID} ({stats['chunks']} chunks)\n"
    code, _, err = _run(capsys, "delete", SEED_ARTICLE_ID, "--home", home)
    assert code == 1 and "no article with id" in err


@pytest.mark.slow
def test_eval_command_writes_reports_compares_and_gates(capsys, tmp_path: Path) -> None:
    out = tmp_path / "r" / "report.json"
    code, stdout, _ = _run(capsys, "eval", str(SEED), "--out", str(out), "--home", str(tmp_path))
    assert code == 0 and stdout.startswith("| dataset | pipeline | n | correct |")
    first = json.loads(out.read_text())
    assert first["summary"]["seed"]["newsrag"]["questions"] == 23
    assert (tmp_path / "eval-stores" / "seed" / "newsrag" / "chroma").is_dir()  # --home keeps them
    assert not (tmp_path / "chroma").exists()  # and never touches the home's own store
    assert len(first["rows"]) == 23 and out.with_suffix(".md").read_text().startswith("| dataset")
    strict = tmp_path / "t.toml"
    strict.write_text("[seed.newsrag]\ncorrect = 0.99\n")
    code, stdout, err = _run(
        capsys,
        "eval",
        str(SEED),
        "--json",
        "--compare",
        str(out),
        "--check",
        str(strict),
        "--home",
        str(tmp_path),
    )
    data = json.loads(stdout)
    assert code == 1
    assert err.startswith("newsrag: threshold: seed/newsrag: correct = 0.8261 is below the floor")
    assert data["check"]["problems"] == [err.split("threshold: ", 1)[1].strip()]
    assert not any(d["regression"] for d in data["compare"])  # same pipeline, same numbers


def test_eval_of_a_folder_that_is_not_a_dataset(capsys, tmp_path: Path) -> None:
    code, _, err = _run(capsys, "eval", str(tmp_path), "--home", str(tmp_path))
    assert code == 1
    assert (
        err
        == f"newsrag: error: {tmp_path}: not a dataset folder (needs articles.jsonl and qa.jsonl)\n"
    )


@pytest.mark.parametrize(
    "env, message",
    [
        (
            {"NEWSRAG_K": "abc"},
            "newsrag: error: bad setting: NEWSRAG_K: Input should be a valid "
            "integer, unable to parse string as an integer; fix the environment "
            "variable\n",
        ),
        (
            {"NEWSRAG_CHUNK_TOKENS": "32"},
            "newsrag: error: bad setting: Value error, "
            "chunk_overlap_tokens (40) must be smaller than "
            "chunk_tokens (32); fix the environment variable\n",
        ),
    ],
)
def test_bad_settings_are_one_line(capsys, monkeypatch, tmp_path: Path, env, message) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    code, _, err = _run(capsys, "stats", "--home", str(tmp_path))
    assert code == 1 and err == message


def test_k_must_be_positive(capsys, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ask", "Who?", "--k", "0", "--home", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "argument --k: must be a whole number of at least 1, not '0'" in capsys.readouterr().err


def test_ingest_modules_import_on_their_own() -> None:
    for module in ("ingest.chunk", "ingest.sources", "ingest.index"):
        done = subprocess.run(
            [sys.executable, "-c", f"import {module}"],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
