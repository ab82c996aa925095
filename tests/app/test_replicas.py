"""Two `newsrag serve` replicas on one `chroma run` server, a third process ingesting: both
answer from the new article within seconds (eval/bench/replicas.py does the work; the bench
reports the same figures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.bench.processes import chroma_run
from eval.bench.replicas import PROBE_ANSWER, replica_lag
from tests.conftest import SEED

pytestmark = pytest.mark.integration


def test_two_replicas_answer_from_a_third_process_ingest_within_five_seconds(
    tmp_path: Path,
) -> None:
    with chroma_run(tmp_path / "server") as port:
        lag = replica_lag(tmp_path, port, SEED)
    assert len(lag.seconds) == 2
    for seconds, reply in zip(lag.seconds, lag.replies, strict=True):
        assert PROBE_ANSWER in reply and "[\\[1\\]](#source-1)" in reply, reply
        assert seconds <= 5.0, lag
