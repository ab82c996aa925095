"""The per-article cap (NEWSRAG_PER_ARTICLE, 2) must not hide the chunk that answers (hardening
issue, item 17: with the cap, the answering chunk of a 3-chunk article was never read; cap 0
answered). The reader reads the fused candidates before the cap, so an article keeps the chunks
the reader rates best, not the two the first stage ranked highest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.assistant import Assistant
from rag.core.settings import Settings
from rag.pipeline import build_pipeline

pytestmark = pytest.mark.slow

QUESTION = "How many boats will the new marina in Port Halden hold?"
ANSWER = "Plans filed with the county show room for 240 vessels up to 15 metres"
MARINA = [  # three chunks: the first two talk like the question, the third answers it
    "The new marina at Port Halden was the main subject of the harbour board meeting on Tuesday. "
    "Board members spent three hours on how many boats the new marina in Port Halden would hold, "
    "and how many boats the old harbour can hold now. Residents of the old town said the new "
    "marina would block their view of the bay, and two fishermen said the new marina would take "
    "the quay they have used for forty years. The chair said the new marina had been debated "
    "for a decade. A petition against the new marina had 800 names, the clerk said, and the "
    "board would answer it in writing.",
    "Supporters of the new marina said it would bring visitors to Port Halden all year. The "
    "tourism office said the new marina could add two hundred jobs in cafes, shops and boat "
    "repair. A sailing club said the new marina in Port Halden would hold its boats all winter "
    "and let it host races again, and a ferry company asked for a berth at the new marina for "
    "its summer service. The harbour master said the new marina would need a new breakwater, "
    "which the state would pay for. Work on the new marina is due to start in April if the "
    "permit is granted.",
    f"{ANSWER}, a fuel dock and a boatyard. The developer, Halden Quay Partners, will lease the "
    "seabed from the county for 50 years. Construction is expected to take two summers, with "
    "the first pontoons open in 2027. The county's planning committee will hold a public hearing "
    "in March before it decides on the permit. Environmental groups want a survey of the "
    "eelgrass beds near the harbour mouth first.",
]
OTHERS = [
    (
        "bakery",
        "Quay Street bakery wins sourdough prize",
        "A bakery on Quay Street won the "
        "regional sourdough prize after a blind tasting by five judges.",
    ),
    (
        "dunes",
        "Volunteers clear the northern dunes",
        "Volunteers cleared four tonnes of plastic from the northern dunes over the weekend.",
    ),
    (
        "ferry",
        "Skerry Island ferry to run hourly",
        "The ferry to Skerry Island will run hourly from May, the operator announced.",
    ),
    (
        "customs",
        "Customs house renamed",
        "Councillors voted to rename the old customs house after a local lifeboat captain.",
    ),
]


def test_the_cap_keeps_the_chunk_the_reader_finds_the_answer_in(tmp_path: Path) -> None:
    rows = [
        {
            "id": "marina",
            "title": "Port Halden debates its new marina",
            "text": "Port Halden debates its new marina\n\n" + "\n\n".join(MARINA),
        }
    ]
    rows += [{"id": i, "title": t, "text": f"{t}\n\n{body}"} for i, t, body in OTHERS]
    corpus = tmp_path / "harbour.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    settings = Settings(home=tmp_path / "home")
    assert settings.per_article == 2
    assistant = Assistant(settings)
    assistant.ingest([corpus])
    assert assistant.stats()["chunks"] == 3 + len(OTHERS)

    first_stage = build_pipeline(settings).retriever
    first_stage.reranker = None  # the order the cap saw before the reader: chunk 3 cut off
    fused = first_stage.retrieve(QUESTION, 5).hits
    assert [(h.chunk.article_id, h.chunk.index) for h in fused][:2] == [
        ("marina", 1),
        ("marina", 0),
    ]
    assert ("marina", 2) not in [(h.chunk.article_id, h.chunk.index) for h in fused]

    hits = assistant.retrieve(QUESTION, 5).hits
    assert ("marina", 2) in [(h.chunk.article_id, h.chunk.index) for h in hits]
    answer = assistant.ask(QUESTION)
    assert not answer.refused
    assert any(c.quote.startswith(ANSWER) for c in answer.citations), answer.text
