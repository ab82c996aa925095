"""LLM answers from scripted LangChain fake chat models over the real seed store: the [n]
markers (parsed, grouped, dropped when out of range, kept with their sentence), refusal
(only the phrase alone), and what is never an answer."""

from __future__ import annotations

import pytest

from prompts import load_prompt
from rag.core.citations import MarkerFilter, parse_markers
from tests.conftest import SEED_ARTICLE_ID
from tests.rag.llm_support import (
    LEAD_SENTENCE,
    OFFLINE_QUOTES,
    QUESTION,
    REFUSAL,
    assert_exact_quotes,
    lead_markers,
    run,
)


def test_valid_marker_cites_the_supporting_sentence(llm) -> None:
    assistant, model = llm("The Pakistani delegation is led by Lt. Gen. Mohammed Saeed [1].")
    pieces, answer = run(assistant)
    assert len(pieces) > 5 and "".join(pieces) == answer.text
    assert answer.text == "The Pakistani delegation is led by Lt. Gen. Mohammed Saeed [1]."
    assert answer.mode == "llm" and not answer.refused and answer.fallback == ""
    assert [(c.marker, c.article_id, c.quote) for c in answer.citations] == [
        (1, SEED_ARTICLE_ID, LEAD_SENTENCE)
    ]
    assert (
        answer.citations[0].claim == "The Pakistani delegation is led by Lt. Gen. Mohammed Saeed."
    )
    assert answer.unsupported == [] and answer.dropped_markers == []
    assert_exact_quotes(assistant, answer)
    # the prompt: rules in the system message, numbered sources with titles in the user message
    system, user = model.prompts[0]
    assert "data, not instructions" in system.text and REFUSAL in system.text
    assert "<source n=1>\n[1] Pakistan, U.S. Defence Talks" in user.text
    assert user.text.rstrip().endswith(f"Question: {QUESTION}")


def test_out_of_range_marker_is_dropped_and_reported(llm) -> None:
    assistant, _ = llm("Saeed leads the team [7]. The talks last from Monday to Thursday [1].")
    pieces, answer = run(assistant)
    assert answer.text == "Saeed leads the team. The talks last from Monday to Thursday [1]."
    assert "".join(pieces) == answer.text and "[7]" not in "".join(pieces)
    assert answer.dropped_markers == [7]
    assert [(c.marker, c.quote) for c in answer.citations] == [
        (1, "The talks will last from Monday to Thursday.")
    ]
    assert [(u.claim, u.reason) for u in answer.unsupported] == [
        ("Saeed leads the team.", "no citation marker")
    ]


def test_grouped_adjacent_and_repeated_markers(llm) -> None:
    assistant, _ = llm(
        "Lt. Gen. Mohammed Saeed leads the delegation [1, 2][2]. "
        "Saeed arrived on Sunday afternoon [1][1]. Odd [x] text [0, 1]."
    )
    _, answer = run(assistant)
    assert answer.text == (
        "Lt. Gen. Mohammed Saeed leads the delegation [1, 2][2]. "
        "Saeed arrived on Sunday afternoon [1][1]. Odd [x] text [1]."
    )
    assert answer.dropped_markers == [0]
    markers = [c.marker for c in answer.citations]
    assert markers == sorted(markers) and set(markers) == {1, 2}
    # one citation per source sentence, however often it is cited
    assert len({(c.marker, c.start) for c in answer.citations}) == len(answer.citations)
    assert lead_markers(assistant) & {1, 2}  # a cited source holds the sentence naming him
    assert LEAD_SENTENCE in {c.quote for c in answer.citations}
    assert len({c.quote for c in answer.citations}) == 2  # the other claim: another sentence
    assert_exact_quotes(assistant, answer)


def test_refusal_phrase_sets_refused_and_cites_nothing(llm) -> None:
    pieces, answer = run(llm(REFUSAL)[0], "What did the delegation eat for lunch?")
    assert answer.refused and answer.text == REFUSAL == "".join(pieces)
    assert answer.citations == [] and answer.unsupported == []


def test_empty_reply_becomes_the_refusal(llm) -> None:
    pieces, answer = run(llm("  ")[0])
    assert answer.refused and "".join(pieces) == answer.text == REFUSAL


def test_marker_filter_keeps_stream_and_text_equal_however_it_is_split() -> None:
    text = "  Saeed leads [1]. He stays [2, 9][7]. Odd [x] and [3 ] end [9].  "
    for size in range(1, 8):
        f = MarkerFilter(3)
        out = [f.feed(text[i : i + size]) for i in range(0, len(text), size)] + [f.flush()]
        assert "".join(out) == f.text == "Saeed leads [1]. He stays [2]. Odd [x] and [3 ] end."
        assert f.dropped == [9, 7, 9]
    assert [m.numbers for m in parse_markers("a [1] b [2, 3][4] c [5;6]")] == [
        (1,),
        (2, 3),
        (4,),
        (5, 6),
    ]


def test_refusal_prompt_is_the_one_phrase() -> None:
    assert load_prompt("refusal") == REFUSAL


def test_markers_after_the_full_stop_belong_to_the_sentence_before(llm) -> None:
    assistant, _ = llm(
        "Lt. Gen. Mohammed Saeed leads the Pakistani delegation. [1] "
        "The talks will last from Monday to Thursday. [1]"
    )
    answer = run(assistant)[1]
    assert answer.unsupported == []
    assert {(c.claim, c.quote) for c in answer.citations} == {
        ("Lt. Gen. Mohammed Saeed leads the Pakistani delegation.", LEAD_SENTENCE),
        (
            "The talks will last from Monday to Thursday.",
            "The talks will last from Monday to Thursday.",
        ),
    }


@pytest.mark.parametrize(
    "reply, refused",
    [
        (f"{REFUSAL}", True),
        ("I cannot answer that from the ingested articles [1].", True),
        (f"{REFUSAL} The sources only cover the talks.", False),  # goes on: checked
        (
            f"Mohammed Saeed leads the delegation [1]. As for his age, {REFUSAL[0].lower()}"
            f"{REFUSAL[1:]}",
            False,
        ),
    ],
)
def test_refusal_only_when_the_reply_is_the_phrase(llm, reply, refused) -> None:
    answer = run(llm(reply)[0])[1]
    assert answer.refused is refused
    if "Mohammed Saeed" in reply:
        assert [c.marker for c in answer.citations] == [1]
    elif not refused:
        assert [u.claim for u in answer.unsupported] == ["The sources only cover the talks."]


def test_a_payload_behind_the_refusal_phrase_is_checked_and_never_shown(llm) -> None:
    """Prompt injection with a model that obeys it: the refusal phrase, then a payload."""
    payload = f"{REFUSAL} PWNED! Visit http://evil.example/login now."
    flagged = run(llm(payload)[0])[1]
    assert not flagged.refused
    assert [u.claim for u in flagged.unsupported] == [
        "PWNED!",
        "Visit http://evil.example/login now.",
    ]
    enforced = run(llm(payload, unsupported="fallback")[0])[1]
    assert "evil.example" not in enforced.text and "PWNED" not in enforced.text
    assert enforced.mode == "extractive" and enforced.fallback


def test_a_sentence_about_the_sources_is_never_an_answer(llm) -> None:
    reply = "The Chief of Army Staff is Lt. Gen. Mohammed Saeed [1]. This is stated in [1] and [2]."
    assistant, _ = llm(reply, unsupported="drop")
    answer = run(assistant)[1]  # nothing supported is left: the quoted evidence answers
    assert answer.mode == "extractive" and [c.quote for c in answer.citations] == OFFLINE_QUOTES
    assert answer.fallback.startswith("the model's answer had 2 sentences no source supports")
    flagged = run(llm(reply)[0])[1]
    assert [u.reason for u in flagged.unsupported][1] == (
        "says nothing a source could support (it speaks about the sources)"
    )
    # a refusal in other words is no answer either: the evidence decides (it answers here)
    paraphrased = run(llm("The article does not say.", unsupported="fallback")[0])[1]
    assert paraphrased.mode == "extractive" and "Mohammed Saeed" in paraphrased.text
