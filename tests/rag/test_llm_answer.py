"""LLM answers with scripted LangChain fake chat models over the real seed store: marker parsing
and dropping, claim grounding, refusal, condensing, usage and cost, failures and fallback."""

from __future__ import annotations

from pathlib import Path

import httpx
import openai
import pytest

from prompts import load_prompt
from rag.assistant import Assistant
from rag.core.citations import MarkerFilter, parse_markers
from rag.core.embeddings import LocalMiniLM
from rag.core.errors import ConfigError, LLMError
from rag.core.settings import Settings
from rag.core.types import Answer, Restart, Turn
from rag.query.llm.chat import llm_mode
from rag.query.llm.pricing import DEFAULT_PRICES, estimate_cost, load_prices
from tests.conftest import SEED_ARTICLE_ID
from tests.fakes import BreakingChatModel, FailingChatModel, ScriptedChatModel

QUESTION = "Who leads the Pakistani delegation?"
REFUSAL = "I cannot answer that from the ingested articles."
LEAD_SENTENCE = (
    "The Pakistani team, led by Lt. Gen. Mohammed Saeed, Chief of General Staff, arrived in "
    "the U.S. capital on Sunday afternoon."
)
# the offline answer to QUESTION quotes the sentence holding the reader's answer span
OFFLINE_QUOTES = [LEAD_SENTENCE]


@pytest.fixture
def llm(seeded: Assistant, minilm: LocalMiniLM):
    """An Assistant over the seeded store whose chat model replies from a script."""

    def make(*replies: str, **settings: object) -> tuple[Assistant, ScriptedChatModel]:
        model = ScriptedChatModel.replying(*replies)
        # these tests read what the grounding found, so unsupported sentences are only flagged
        s = seeded.settings.model_copy(update={"unsupported": "flag", **settings})
        return Assistant(s, embeddings=minilm, store=seeded.pipeline.store, chat_model=model), model

    return make


def run(assistant: Assistant, question: str = QUESTION, **kw: object) -> tuple[list[str], Answer]:
    *pieces, final = assistant.stream(question, **kw)
    assert all(isinstance(p, str) for p in pieces) and isinstance(final, Answer)
    return pieces, final  # type: ignore[return-value]


def lead_markers(assistant: Assistant, question: str = QUESTION) -> set[int]:
    """The source numbers the prompt gives the chunks holding LEAD_SENTENCE (chunks overlap;
    their order is the reader's)."""
    hits = assistant.retrieve(question).hits
    return {n for n, h in enumerate(hits, 1) if LEAD_SENTENCE in h.chunk.text}


def assert_exact_quotes(assistant: Assistant, answer: Answer) -> None:
    for c in answer.citations:
        assert assistant.get_article(c.article_id).text[c.start : c.end] == c.quote


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


def test_claims_without_markers_are_unsupported(llm) -> None:
    _, answer = run(llm("Mohammed Saeed leads the delegation.")[0])
    assert not answer.refused and answer.citations == []
    assert [(u.claim, u.reason, u.markers) for u in answer.unsupported] == [
        ("Mohammed Saeed leads the delegation.", "no citation marker", ())
    ]
    u = answer.unsupported[0]
    assert answer.text[u.start : u.end] == "Mohammed Saeed leads the delegation."


def test_weakly_supported_claim_is_flagged(llm) -> None:
    _, answer = run(llm("The moon is made of green cheese [3].")[0])
    assert len(answer.unsupported) == 1
    weak = answer.unsupported[0]
    assert weak.markers == (3,) and weak.reason.startswith("weak support in the cited source")
    assert weak.support < 0.35


def test_refusal_phrase_sets_refused_and_cites_nothing(llm) -> None:
    pieces, answer = run(llm(REFUSAL)[0], "What did the delegation eat for lunch?")
    assert answer.refused and answer.text == REFUSAL == "".join(pieces)
    assert answer.citations == [] and answer.unsupported == []


def test_empty_reply_becomes_the_refusal(llm) -> None:
    pieces, answer = run(llm("  ")[0])
    assert answer.refused and "".join(pieces) == answer.text == REFUSAL


def test_follow_up_is_condensed_before_retrieval(llm) -> None:
    assistant, model = llm(
        "How long will the Pakistani delegation's talks in Washington last?",
        "The talks last from Monday to Thursday [1].",
    )
    history = [Turn(QUESTION, f"{LEAD_SENTENCE} [1]")]
    pieces, answer = run(assistant, "How long will they stay?", history=history)
    condense_prompt, answer_prompt = model.prompts
    assert f"User: {QUESTION}" in condense_prompt[0].text
    assert "Follow-up question: How long will they stay?" in condense_prompt[0].text
    assert answer.question == "How long will they stay?"
    assert answer.condensed_question == (
        "How long will the Pakistani delegation's talks in Washington last?"
    )
    assert answer_prompt[-1].text.rstrip().endswith(f"Question: {answer.condensed_question}")
    streamed = "".join(pieces)
    assert streamed == answer.text and "Washington last" not in streamed
    assert answer.citations[0].quote == "The talks will last from Monday to Thursday."
    # usage counts both calls: the condense call adds to the answer call
    assert answer.usage["prompt_tokens"] > 900 and answer.usage["completion_tokens"] >= 20


def test_offline_follow_up_adds_the_previous_topic(seeded: Assistant) -> None:
    previous = seeded.ask(QUESTION)
    answer = seeded.ask("How long will they stay?", history=[previous])
    assert answer.mode == "extractive"
    assert answer.condensed_question == "How long will they stay? (leads Pakistani delegation)"
    assert seeded.ask(QUESTION, history=[previous]).condensed_question == QUESTION


def test_usage_counted_with_tiktoken_and_cost_from_the_price_table(llm) -> None:
    reply = "Lt. Gen. Mohammed Saeed leads it [1]."
    assistant, _ = llm(reply, model="gpt-4.1-mini")
    _, answer = run(assistant)
    enc = assistant.pipeline.chunker.encoding
    assert answer.usage_source == "tiktoken"
    assert answer.usage["completion_tokens"] == len(enc.encode(reply))
    assert answer.usage["total_tokens"] == answer.usage["prompt_tokens"] + len(enc.encode(reply))
    expected = (answer.usage["prompt_tokens"] * 0.40 + len(enc.encode(reply)) * 1.60) / 1e6
    assert answer.cost_usd == pytest.approx(expected)
    data = answer.to_dict()
    assert data["usage"] == answer.usage and data["cost_usd"] == round(expected, 6)


def test_unknown_model_has_no_cost_and_the_table_can_be_overridden(llm, tmp_path: Path) -> None:
    assistant, _ = llm("Saeed [1].", model="smollm2")
    assert run(assistant)[1].cost_usd is None
    table = tmp_path / "prices.toml"
    table.write_text('[models."smollm2"]\ninput = 1.0\noutput = 2.0\n', encoding="utf-8")
    assistant, _ = llm("Saeed [1].", model="smollm2", prices=table)
    answer = run(assistant)[1]
    usage = answer.usage
    assert answer.cost_usd == pytest.approx(
        (usage["prompt_tokens"] + 2 * usage["completion_tokens"]) / 1e6
    )
    prices = load_prices(None)
    assert estimate_cost("gpt-4.1-mini-2025-04-14", {"prompt_tokens": 10**6}, prices) == 0.40
    assert prices == DEFAULT_PRICES
    table.write_text('[models."x"]\ninput = "cheap"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r'NEWSRAG_PRICES: .*\[models."x"\] needs numbers'):
        load_prices(table)


def _auth_error() -> openai.AuthenticationError:
    request = httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions")
    response = httpx.Response(401, request=request, json={"error": {"message": "bad key"}})
    return openai.AuthenticationError("bad key", response=response, body=None)


def test_endpoint_failure_falls_back_to_the_extractive_answer(
    seeded: Assistant, minilm: LocalMiniLM
) -> None:
    model = FailingChatModel(messages=iter([]), error=_auth_error())
    assistant = Assistant(
        seeded.settings, embeddings=minilm, store=seeded.pipeline.store, chat_model=model
    )
    pieces, answer = run(assistant)
    assert answer.fallback.startswith("the endpoint rejected the API key (401 from")
    assert answer.mode == "extractive" and "Mohammed Saeed" in answer.text
    assert "".join(pieces) == answer.text


def test_endpoint_failure_without_fallback_is_one_clear_error(
    seeded: Assistant, minilm: LocalMiniLM
) -> None:
    model = FailingChatModel(messages=iter([]), error=_auth_error())
    settings = seeded.settings.model_copy(update={"fallback": "none"})
    assistant = Assistant(
        settings, embeddings=minilm, store=seeded.pipeline.store, chat_model=model
    )
    with pytest.raises(
        LLMError, match=r"^the endpoint rejected the API key \(401 from .*OPENAI_API_KEY"
    ):
        assistant.ask(QUESTION)


def test_mode_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NEWSRAG_LLM"):
        monkeypatch.delenv(name, raising=False)
    assert llm_mode(Settings()) == "extractive"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1")
    assert llm_mode(Settings()) == "openai"
    monkeypatch.setenv("NEWSRAG_LLM", "extractive")
    assert llm_mode(Settings()) == "extractive"
    monkeypatch.delenv("OPENAI_BASE_URL")
    monkeypatch.setenv("NEWSRAG_LLM", "openai")
    with pytest.raises(ConfigError, match="NEWSRAG_LLM=openai needs OPENAI_API_KEY"):
        llm_mode(Settings())
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert llm_mode(Settings()) == "openai"
    assert Settings().openai_api_key.get_secret_value() == "sk-test"  # type: ignore[union-attr]


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


def test_a_condenser_reply_that_is_no_question_is_not_used(llm) -> None:
    assistant, _ = llm("Saeed leads it.", "The talks last from Monday to Thursday [1].")
    history = [Turn(QUESTION, f"{LEAD_SENTENCE} [1]")]
    answer = run(assistant, "How long will they stay?", history=history)[1]
    assert answer.condensed_question == "How long will they stay? (leads Pakistani delegation)"


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


def test_a_reply_that_breaks_off_is_replaced_by_the_offline_answer(
    seeded: Assistant, minilm: LocalMiniLM
) -> None:
    request = httpx.Request("POST", "http://127.0.0.1:9/v1/chat/completions")
    model = BreakingChatModel(
        messages=iter([]),
        pieces=["Lt. Gen. ", "Mohammed Saeed"],
        error=openai.APIConnectionError(request=request),
    )
    assistant = Assistant(
        seeded.settings, embeddings=minilm, store=seeded.pipeline.store, chat_model=model
    )
    *pieces, answer = assistant.stream(QUESTION)
    assert pieces[:2] == ["Lt. Gen.", " Mohammed Saeed"] and isinstance(pieces[2], Restart)
    assert "".join(pieces[3:]) == answer.text and answer.mode == "extractive"
    assert answer.fallback == "the endpoint broke off in mid-answer (APIConnectionError)"
    assert [c.quote for c in answer.citations] == OFFLINE_QUOTES


def test_a_blank_key_is_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "")
    monkeypatch.setenv("OPENAI_BASE_URL", " ")
    settings = Settings()
    assert settings.openai_api_key is None and settings.openai_base_url is None
    assert llm_mode(settings) == "extractive"


def test_the_llm_condenses_even_when_the_answerer_was_built_first(llm) -> None:
    assistant, model = llm("Where do the talks take place?", "In Washington [1].")
    assert assistant.pipeline.answerer.mode == "llm"
    answer = run(assistant, "Where are they?", history=[Turn(QUESTION, "Saeed [1]")])[1]
    assert answer.condensed_question == "Where do the talks take place?"
    assert len(model.prompts) == 2


def test_offline_follow_ups_keep_the_topic_over_several_turns(seeded: Assistant) -> None:
    first = seeded.ask(QUESTION)
    second = seeded.ask("How long will they stay?", history=[first])
    third = seeded.ask("Where will they meet?", history=[first, second])
    assert third.condensed_question == (
        "Where will they meet? (long stay leads Pakistani delegation)"
    )


def test_an_entity_swap_does_not_pass_the_claim_check(llm) -> None:
    """The invented answer seen with a 1.5B model: the right name on the wrong office, with a
    [1] on a sentence that shares the office's words but not the name."""
    reply = "The Chief of Army Staff is Lt. Gen. Mohammed Saeed [1]."
    assistant, _ = llm(reply)
    (claim,) = run(assistant)[1].unsupported
    assert claim.claim == "The Chief of Army Staff is Lt. Gen. Mohammed Saeed."
    assert (
        claim.reason.startswith("names “") and "which the cited sentence does not" in claim.reason
    )
    faithful = run(llm("Lt. Gen. Mohammed Saeed leads the Pakistani team [1].")[0])[1]
    assert faithful.unsupported == [] and faithful.citations[0].quote == LEAD_SENTENCE


def test_a_negated_claim_does_not_pass_the_claim_check(llm) -> None:
    """The probe's case (issue 25): the model says the opposite of the sentence it cites."""
    reply = "Lt. Gen. Mohammed Saeed did not lead the Pakistani team [1]."
    assistant, _ = llm(reply)
    (claim,) = run(assistant)[1].unsupported
    assert claim.claim == "Lt. Gen. Mohammed Saeed did not lead the Pakistani team."
    assert claim.reason == "says “not lead”; the cited sentence does not negate it"
    fell = run(llm("The Pakistani team left the U.S. capital on Sunday afternoon [1].")[0])[1]
    assert [u.reason for u in fell.unsupported] == [
        "says “left” where the cited sentence says “arrived”"
    ]


def test_an_unsupported_sentence_gives_way_to_the_quoted_evidence(llm) -> None:
    reply = "Lt. Gen. Mohammed Saeed leads the Pakistani team [1]. He likes tea."
    assistant, _ = llm(reply, unsupported="fallback")
    pieces, answer = run(assistant)
    assert answer.mode == "extractive" and answer.citations and not answer.unsupported
    assert answer.fallback == (
        "the model's answer had 1 sentence no source supports (“He likes tea.”: no citation "
        "marker); the quoted evidence answers instead"
    )
    assert_exact_quotes(assistant, answer)
    assert answer.usage["total_tokens"] > 0 and answer.usage_source == "tiktoken"  # still spent
    restart = next(i for i, p in enumerate(pieces) if isinstance(p, Restart))
    assert "".join(pieces[restart + 1 :]) == answer.text


def test_the_evidence_decides_a_refusal_not_the_model(llm) -> None:
    refusing, model = llm(REFUSAL, unsupported="fallback")
    answer = run(refusing)[1]  # the sources do answer: the quoted evidence replaces the refusal
    assert not answer.refused and answer.mode == "extractive" and "Mohammed Saeed" in answer.text
    assert answer.fallback.startswith("the model refused although the sources answer")
    unanswerable, model = llm(
        "Pakistan's defence budget is 10 billion dollars [1].", unsupported="fallback"
    )
    answer = run(unanswerable, "What is the salary of the Pakistani finance minister's driver?")[1]
    assert answer.refused and answer.text == REFUSAL and model.prompts == []  # never asked


def test_drop_keeps_the_supported_sentences_and_drops_the_rest(llm) -> None:
    swap = "The Chief of Army Staff is Lt. Gen. Mohammed Saeed [1]."
    reply = f"Lt. Gen. Mohammed Saeed leads the Pakistani team [1]. {swap} He likes tea."
    assistant, _ = llm(reply, unsupported="drop")
    pieces, answer = run(assistant)
    assert answer.mode == "llm" and answer.fallback == "" and not answer.refused
    (citation,) = answer.citations  # cited with a source holding the sentence, wherever it ranks
    assert citation.quote == LEAD_SENTENCE and citation.marker in lead_markers(assistant)
    assert answer.text == f"Lt. Gen. Mohammed Saeed leads the Pakistani team [{citation.marker}]."
    assert answer.unsupported == [] and answer.support == 1.0
    dropped = [(u.claim, u.reason.split(";")[0]) for u in answer.dropped_claims]
    assert dropped[0][0] == "The Chief of Army Staff is Lt. Gen. Mohammed Saeed."
    assert dropped[0][1].startswith("names “") and dropped[1] == (
        "He likes tea.",
        "no citation marker",
    )
    assert (
        reply[answer.dropped_claims[1].start : answer.dropped_claims[1].end].strip()
        == "He likes tea."
    )
    assert_exact_quotes(assistant, answer)
    restart = next(i for i, p in enumerate(pieces) if isinstance(p, Restart))
    assert "".join(pieces[:restart]) == reply  # what streamed first is withdrawn
    assert "".join(pieces[restart + 1 :]) == answer.text
    assert answer.to_dict()["dropped_claims"][1]["claim"] == "He likes tea."


def test_drop_falls_back_to_the_quoted_evidence_when_nothing_supported_is_left(llm) -> None:
    assistant, _ = llm(
        "He likes tea. The Chief of Army Staff is Lt. Gen. Mohammed Saeed [1].", unsupported="drop"
    )
    answer = run(assistant)[1]
    assert answer.mode == "extractive" and [c.quote for c in answer.citations] == OFFLINE_QUOTES
    assert answer.fallback.startswith("the model's answer had 2 sentences no source supports")
    assert answer.dropped_claims == []


def test_drop_cites_a_supported_sentence_the_model_left_without_a_marker(llm) -> None:
    reply = "Lt. Gen. Mohammed Saeed leads the Pakistani team. He likes tea."
    assistant, _ = llm(reply, unsupported="drop")
    pieces, answer = run(assistant)
    assert answer.mode == "llm" and answer.fallback == ""
    (citation,) = answer.citations  # cited with a source holding the sentence, wherever it ranks
    assert citation.quote == LEAD_SENTENCE and citation.marker in lead_markers(assistant)
    assert answer.text == f"Lt. Gen. Mohammed Saeed leads the Pakistani team [{citation.marker}]."
    assert [(u.claim, u.reason.split(";")[0]) for u in answer.dropped_claims] == [
        ("He likes tea.", "no citation marker")
    ]
    assert_exact_quotes(assistant, answer)
    assert "".join(pieces[pieces.index(Restart()) + 1 :]) == answer.text
    flagged = run(llm(reply, unsupported="flag")[0])[1]  # only drop looks for a source
    assert [u.reason for u in flagged.unsupported] == ["no citation marker"] * 2


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


def test_drop_keeps_two_sentences_that_share_a_quote(llm) -> None:
    reply = (
        "Lt. Gen. Mohammed Saeed leads the Pakistani team [1]. "
        "The Pakistani team arrived in the U.S. capital on Sunday [1]."
    )
    pieces, answer = run(llm(reply, unsupported="drop")[0])
    assert answer.text == reply and answer.dropped_claims == []
    assert not any(isinstance(p, Restart) for p in pieces)
    assert {c.quote for c in answer.citations} == {LEAD_SENTENCE}


def test_drop_leaves_a_fully_cited_answer_as_written(llm) -> None:
    reply = "The Pakistani delegation is led by Lt. Gen. Mohammed Saeed [1]."
    pieces, answer = run(llm(reply, unsupported="drop")[0])
    assert answer.text == reply and not any(isinstance(p, Restart) for p in pieces)
    assert answer.dropped_claims == [] and answer.citations[0].quote == LEAD_SENTENCE
