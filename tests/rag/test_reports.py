"""Reports that differ (rag/query/reading/reports.py), on readings made by hand: which passages
count as reports of one slot, when the newest is an update, and what is a wire copy."""

from __future__ import annotations

from dataclasses import dataclass

from rag.core.reader_net import PassageReading
from rag.core.types import Chunk, Hit
from rag.query.reading.candidates import candidate_sentences
from rag.query.reading.read import Evidence, Reading
from rag.query.reading.reports import compare_reports


@dataclass(frozen=True)
class _Card:
    """A reader card whose answer probability is the logit itself (no model here)."""

    def answer_probability(self, logit: float) -> float:
        return logit


def _evidence(
    article_id: str,
    published: str,
    text: str,
    value: str,
    p: float,
    others: tuple[str, ...] = (),
    title: str = "",
) -> Evidence:
    start = text.index(value)
    chunk = Chunk(f"{article_id}:0", article_id, 0, text, 0, len(text), 0)
    spans = tuple((text.index(o), text.index(o) + len(o), 1.0) for o in others)
    hit = Hit(
        chunk,
        1.0,
        title=title,
        published=published,
        source=article_id.upper(),
        reading=PassageReading(p, start, start + len(value), 5.0, others=spans),
    )
    sentences = candidate_sentences([hit])  # a span in the headline: the first (as the reader)
    sentence = next((c for c in sentences if c.start <= start < c.end), sentences[0])
    return Evidence(sentence, {"span": 5.0}, score=p)


def _found(*evidence: Evidence, question: str = ""):  # noqa: ANN202
    reading = Reading(list(evidence))
    return compare_reports(reading, _Card(), 0.3, question)  # type: ignore[arg-type]


FIRST = "At least 41 people died in the fire aboard the ferry Saltrenne off Port Avel on Saturday."


def test_the_same_sentence_with_a_new_figure_is_not_a_wire_copy() -> None:
    later = FIRST.replace("At least 41", "At least 57")
    found = _found(
        _evidence("a1", "2026-02-14", FIRST, "41", 0.8),
        _evidence("a2", "2026-02-16", later, "57", 0.7),
    )
    assert found is not None
    assert [s.value.text for s in found.sides] == ["57", "41"]


def test_a_copy_of_one_wire_story_counts_once() -> None:
    found = _found(
        _evidence("a1", "2026-02-14", FIRST, "41", 0.8),
        _evidence("a2", "2026-02-15", FIRST, "41", 0.7),
    )
    assert found is None


def test_a_revision_word_elsewhere_in_the_passage_is_no_update() -> None:
    first = "Police said 23 people were hurt as a coach overturned at Pellow on Castelmarch Road."
    later = (
        "Police said 31 people were hurt as a coach overturned at Pellow on Castelmarch Road. "
        "The crash raised questions about coaches on the Pellow pass."
    )
    found = _found(
        _evidence("a1", "2026-07-19", first, "23", 0.8),
        _evidence("a2", "2026-07-20", later, "31", 0.8),
    )
    assert found is not None and found.kind == "differ"
    raised = later.replace("Police said 31 people were", "Police raised the number to 31 people")
    found = _found(
        _evidence("a1", "2026-07-19", first, "23", 0.8),
        _evidence("a2", "2026-07-20", raised, "31", 0.8),
    )
    assert found is not None and found.kind == "update"


def test_passages_of_two_stories_are_not_two_reports() -> None:
    # they share only words that open a sentence ("Authorities", "Reuters"): two stories
    a = "Reuters said 41 people died in the Kelso mine collapse, Authorities confirmed."
    b = "Reuters said 57 people died when the Marrow dam burst, Authorities confirmed."
    a = "Authorities " + a[0].lower() + a[1:]
    found = _found(
        _evidence("a1", "2026-02-14", a, "41", 0.8),
        _evidence("a2", "2026-02-16", b, "57", 0.8),
    )
    assert found is None


def test_a_name_opening_both_sentences_counts_toward_one_story() -> None:
    # their only shared names are "Ferrowyn Robotics", opening each sentence; a sentence's first
    # word counts as a name when the next word is capitalised too
    a = "Ferrowyn Robotics reported first-quarter revenue of 412 million crowns on Tuesday."
    b = "Ferrowyn Robotics restated its results, revising revenue down to 389 million crowns."
    found = _found(
        _evidence("a1", "2026-05-06", a, "412 million crowns", 0.8),
        _evidence("a2", "2026-05-20", b, "389 million crowns", 0.7),
    )
    assert found is not None and found.kind == "update"
    assert [s.value.text for s in found.sides] == ["389 million crowns", "412 million crowns"]
    lone = b.replace("Ferrowyn Robotics restated", "Ferrowyn restated")  # one word: no name
    assert (
        _found(
            _evidence("a1", "2026-05-06", a, "412 million crowns", 0.8),
            _evidence("a2", "2026-05-20", lone, "389 million crowns", 0.7),
        )
        is None
    )


def test_a_later_report_that_cuts_the_figure_to_its_value_is_an_update() -> None:
    first = "Judge Ama Petrov fined Dunmere Haulage £640,000 over the death of Kieran Osgood."
    later = (
        "The Court of Appeal has cut the fine imposed on Dunmere Haulage over the death of "
        "Kieran Osgood to £410,000."
    )
    found = _found(
        _evidence("a1", "2026-05-26", first, "£640,000", 0.8),
        _evidence("a2", "2026-09-15", later, "£410,000", 0.8),
    )
    assert found is not None and found.kind == "update"
    assert [s.value.text for s in found.sides] == ["£410,000", "£640,000"]
    # the same verb with the value not after its "to" says nothing about this figure
    other = "The Court of Appeal cut the costs order and left the fine at £410,000 in place."
    found = _found(
        _evidence("a1", "2026-05-26", first, "£640,000", 0.8),
        _evidence(
            "a2",
            "2026-09-15",
            other.replace("Appeal", "Appeal in the Dunmere Haulage case"),
            "£410,000",
            0.8,
        ),
    )
    assert found is not None and found.kind == "differ"


def test_one_name_the_question_asks_about_makes_one_story_within_two_weeks() -> None:
    # the two reports share one name, Tervick, which the question names: one snowstorm
    question = "How many flights were cancelled at Tervick airport because of the snowstorm?"
    a = "A snowstorm closed the runway at Tervick, forcing the cancellation of 264 flights."
    b = "Flights at Tervick airport were back on Wednesday after airlines cancelled 297 flights."
    found = _found(
        _evidence("a1", "2026-02-11", a, "264 flights", 0.8),
        _evidence("a2", "2026-02-12", b, "297 flights", 0.8),
        question=question,
    )
    assert found is not None and found.kind == "differ"
    assert [s.value.text for s in found.sides] == ["297 flights", "264 flights"]
    # without the question, or a month apart, one shared name is not enough
    assert (
        _found(
            _evidence("a1", "2026-02-11", a, "264 flights", 0.8),
            _evidence("a2", "2026-02-12", b, "297 flights", 0.8),
        )
        is None
    )
    assert (
        _found(
            _evidence("a1", "2026-02-11", a, "264 flights", 0.8),
            _evidence("a2", "2026-03-20", b, "297 flights", 0.8),
            question=question,
        )
        is None
    )


def test_the_asked_value_is_read_from_a_span_that_gives_two() -> None:
    question = "How deep is the sinkhole that opened in Threlford high street?"
    a = "The hole in Threlford, about six metres across and 15 metres deep, appeared at 4am."
    b = "The hole in Threlford, which is 6m wide and 10 metres deep, has been fenced off."
    found = _found(
        _evidence("a1", "2026-06-01", a, "about six metres across and 15 metres deep", 0.8),
        _evidence("a2", "2026-06-04", b, "6m wide and 10 metres deep", 0.8),
        question=question,
    )
    assert found is not None
    assert [s.value.text for s in found.sides] == ["10 metres deep", "15 metres deep"]


def test_a_later_final_count_read_weakly_still_updates() -> None:
    # the reader reads the later report under the line (0.2 < 0.3), but it gives "a final count
    # of" its figure: a revision naming its value, so it counts
    first = "At least 13 people were killed when a train derailed near Sarnek in Estravia."
    later = "Estravia's rail authority gave a final count of 24 people killed near Sarnek."
    found = _found(
        _evidence("a1", "2026-03-03", first, "13 people", 0.8),
        _evidence("a2", "2026-03-09", later, "24 people", 0.2),
    )
    assert found is not None and found.kind == "update"
    assert [s.value.text for s in found.sides] == ["24 people", "13 people"]
    elsewhere = later.replace("a final count of 24 people", "a final count, with 24 people")
    found = _found(
        _evidence("a1", "2026-03-03", first, "13 people", 0.8),
        _evidence("a2", "2026-03-09", elsewhere, "24 people", 0.2),
    )  # a count of people six days later counts however weakly read; its passage says "final"
    assert found is not None and found.kind == "update"


def test_an_earlier_report_read_weakly_counts_when_the_newer_says_it_revises() -> None:
    first = "Eighty-one were hurt when a balloon came down at the Brockhallow show."
    later = "The ambulance service now says 114 people were injured at the Brockhallow show."
    question = "How many people were hurt when a balloon crashed at the Brockhallow show?"
    found = _found(
        _evidence("a2", "2026-06-14", later, "114 people", 0.75),
        _evidence("a1", "2026-06-13", first, "Eighty-one", 0.2),
        question=question,
    )
    assert found is not None and found.kind == "update"
    assert [s.value.text for s in found.sides] == ["114 people", "Eighty-one"]
    weaker = _found(
        _evidence("a2", "2026-06-14", later, "114 people", 0.75),
        _evidence("a1", "2026-06-13", first, "Eighty-one", 0.1),
        question=question,
    )
    assert weaker is None  # a bare number under EARLIER_LINE (0.2) stays out even so
    plain = later.replace("now says", "said")  # no revision said: the weak reading stays out
    assert (
        _found(
            _evidence("a2", "2026-06-14", plain, "114 people", 0.75),
            _evidence("a1", "2026-06-13", first, "Eighty-one", 0.2),
            question=question,
        )
        is None
    )
    counted = first.replace("Eighty-one were", "Eighty-one people were")
    found = _found(
        _evidence("a2", "2026-06-14", plain, "114 people", 0.75),
        _evidence("a1", "2026-06-13", counted, "Eighty-one people", 0.1),
        question=question,
    )  # a count of the anchor's kind of thing, a day apart, is a report however weakly read
    assert found is not None and [s.value.text for s in found.sides] == [
        "114 people",
        "Eighty-one people",
    ]


def test_a_report_read_as_another_slot_is_read_again_for_the_anchors_measure() -> None:
    first = "A jury at Pellbury Crown Court deliberated for 29 hours before convicting Amos Rell."
    later = (
        "Jurors at Pellbury Crown Court spent 33 hours on their verdict over six days before "
        "convicting Amos Rell."
    )
    question = "How long did the jury take to reach a verdict on Amos Rell?"
    found = _found(
        _evidence("a1", "2026-03-02", first, "29 hours", 0.9),
        _evidence("a2", "2026-03-06", later, "over six days", 0.05),  # the reader's other slot
        question=question,
    )
    assert found is not None and found.kind == "differ"
    assert [s.value.text for s in found.sides] == ["33 hours", "29 hours"]
    agreeing = later.replace("33 hours", "29 hours")
    found = _found(
        _evidence("a1", "2026-03-02", first, "29 hours", 0.9),
        _evidence("a2", "2026-03-06", agreeing, "over six days", 0.05),
        question=question,
    )
    assert found is None
    bare = first.replace("29 hours", "29")  # a bare number says too little to read again for
    assert (
        _found(
            _evidence("a1", "2026-03-02", bare, "29", 0.9),
            _evidence("a2", "2026-03-06", later, "over six days", 0.05),
            question=question,
        )
        is None
    )


def test_a_later_report_that_gives_the_older_figure_beside_its_own_is_an_update() -> None:
    first = "The wreck found off Gullmarsh Point is about 410 years old, divers said."
    later = (
        "Tests put the age of the Gullmarsh Point wreck at about 330 years, younger than the "
        "410 years divers first gave."
    )
    question = "How old is the wreck found off Gullmarsh Point?"
    found = _found(
        _evidence("a1", "2026-05-01", first, "about 410 years", 0.9),
        _evidence("a2", "2026-05-09", later, "about 330 years", 0.03),  # read weakly
        question=question,
    )
    assert found is not None and found.kind == "update"
    assert [s.value.text for s in found.sides] == ["about 330 years", "about 410 years"]
    part = (
        "Its budget stands at the revised £410 million set in May, of which the state pays "
        "330 million."
    )
    money = "The Gullmarsh Point sea wall will cost £410 million, the council said."
    assert (
        _found(
            _evidence("a1", "2026-05-01", money, "£410 million", 0.9),
            _evidence("a2", "2026-05-09", part, "330 million", 0.03),
            question="What will the Gullmarsh Point sea wall cost?",
        )
        is None
    )  # a part of the figure, not another report of it


def test_a_reading_of_another_measure_than_the_question_names_is_no_report() -> None:
    first = "The Hollenby coastal walk, a 212km route, was won by Ines Varro in 9:41:07."
    later = "Ines Varro finished the Hollenby coastal walk in 9:52:30 over the 212-kilometre route."
    found = _found(
        _evidence("a1", "2026-04-11", first, "9:41:07", 0.9),
        _evidence("a2", "2026-04-12", later, "9:52:30", 0.9),
        question="What distance does the Hollenby coastal walk cover?",
    )
    assert found is None
    found = _found(
        _evidence("a1", "2026-04-11", first, "9:41:07", 0.9),
        _evidence("a2", "2026-04-12", later, "9:52:30", 0.9),
        question="How long did Ines Varro take on the Hollenby coastal walk?",
    )
    assert found is not None and [s.value.text for s in found.sides] == ["9:52:30", "9:41:07"]


def test_a_second_reading_far_from_the_anchor_is_another_figure() -> None:
    first = "Brackwater Cells closed its first day of trading with a market value of $3.1bn."
    later = (
        "Its founders each still hold shares in Brackwater Cells worth about $420m, its first "
        "day of trading showed."
    )
    question = "What was Brackwater Cells worth after its first day of trading?"
    found = _found(
        _evidence("a1", "2026-04-06", first, "$3.1bn", 0.9),
        _evidence("a2", "2026-04-08", later, "founders", 0.05),
        question=question,
    )
    assert found is None  # $420m is 7x off $3.1bn: a part, not another report


def test_an_older_figure_beside_the_newer_makes_it_an_update() -> None:
    first = "The Carrow steam fair drew 514 engines on Saturday, its organisers said."
    later = (
        "The Carrow steam fair drew 552 engines, organisers said after checking entry forms, "
        "well above the 514 they counted on the day."
    )
    found = _found(
        _evidence("a1", "2026-06-06", first, "514", 0.9),
        _evidence("a2", "2026-06-09", later, "552 engines", 0.9),
        question="How many engines came to the Carrow steam fair?",
    )
    assert found is not None and found.kind == "update"


def test_a_newer_figure_after_tests_or_a_move_is_an_update() -> None:
    first = "Lanmoor customs put the street value of the seized heroin at €62 million."
    later = (
        "The heroin seized at Lanmoor had a street value of €77 million, customs said on "
        "Friday, after laboratory tests showed it was purer than thought."
    )
    question = "What was the heroin seized at Lanmoor worth?"
    found = _found(
        _evidence("a1", "2026-10-01", first, "€62 million", 0.9),
        _evidence("a2", "2026-10-05", later, "€77 million", 0.9),
        question=question,
    )
    assert found is not None and found.kind == "update"
    plain = later.split(", after")[0] + "."
    found = _found(
        _evidence("a1", "2026-10-01", first, "€62 million", 0.9),
        _evidence("a2", "2026-10-05", plain, "€77 million", 0.9),
        question=question,
    )
    assert found is not None and found.kind == "differ"
    gala = "The Tarrow Hall gala will be held on 14 May, the trustees said."
    moved = "The Tarrow Hall gala has been moved to 2 June, the trustees said."
    found = _found(
        _evidence("a1", "2026-04-01", gala, "14 May", 0.9),
        _evidence("a2", "2026-04-04", moved, "2 June", 0.9),
    )
    assert found is not None and found.kind == "update"


def test_a_number_of_another_measure_is_not_the_older_figure_beside_the_newer() -> None:
    first = "The Harlow Vale budget raises parking charges by 20 percent from March."
    later = (
        "Harlow Vale councillors voted 31 to 20 for the bypass, with around 60 percent of "
        "the money coming from a national fund."
    )
    found = _found(
        _evidence("a1", "2026-01-10", first, "20 percent", 0.9),
        _evidence("a2", "2026-02-20", later, "around 60 percent", 0.04),
        question="By what percentage will parking in Harlow Vale cost more?",
    )
    assert found is None  # nor, 41 days later and read weakly, another value of the measure


def test_a_reading_of_another_kind_than_the_question_asks_for_is_no_report() -> None:
    first = "The Korvan Museum director, Ilse Varga, 52, said the wing would open in May."
    later = "KORVAN, September 13 — Ilse Varga, the Korvan Museum director, opened the wing."
    question = "How old is Ilse Varga, the Korvan Museum director?"
    found = _found(
        _evidence("a1", "2026-09-10", first, "52", 0.9),
        _evidence("a2", "2026-09-13", later, "13", 0.8),  # a day of the month, no age
        question=question,
    )
    assert found is None


def test_a_report_read_as_another_slot_gives_the_readers_next_span_of_that_measure() -> None:
    record = "Kaja Sollberg rode 53.104 kilometres in an hour on the Ravelstoke velodrome track."
    ratified = (
        "Officials ratified the Ravelstoke hour record of Sollberg at 52.968 kilometres. "
        "Sollberg completed 212 laps and a fraction on the Ravelstoke velodrome track."
    )
    question = "What distance did Kaja Sollberg cover in her hour on the Ravelstoke track?"
    found = _found(
        _evidence("a1", "2026-07-18", record, "53.104 kilometres", 0.9),
        _evidence("a2", "2026-07-26", ratified, "212 laps", 0.8, others=("52.968 kilometres",)),
        question=question,
    )
    assert found is not None
    assert [s.value.text for s in found.sides] == ["52.968 kilometres", "53.104 kilometres"]
    assert found.sides[0].evidence.candidate.text.startswith("Officials ratified")  # its quote
    nothing = _found(
        _evidence("a1", "2026-07-18", record, "53.104 kilometres", 0.9),
        _evidence("a2", "2026-07-26", ratified, "212 laps", 0.8, others=("a fraction",)),
        question=question,
    )
    assert nothing is None


def test_a_weakly_read_report_of_exactly_the_anchors_measure_counts() -> None:
    first = "Around 6,350 tonnes of rock and soil slid onto the Saltcoath coast road on Monday."
    second = "Engineers at the Saltcoath landslip said 9,400 tonnes had come down from the cliff."
    question = "What weight of rock and soil fell onto the road near Saltcoath?"
    weak = _found(
        _evidence("a1", "2026-03-24", first, "Around 6,350 tonnes", 0.49),
        _evidence("a2", "2026-03-30", second, "9,400 tonnes", 0.03),
        question=question,
    )
    assert weak is not None
    assert [s.value.text for s in weak.sides] == ["9,400 tonnes", "Around 6,350 tonnes"]
    unread = _found(
        _evidence("a1", "2026-03-24", first, "Around 6,350 tonnes", 0.49),
        _evidence("a2", "2026-03-30", second, "9,400 tonnes", 0.01),
        question=question,
    )
    assert unread is None  # under MEASURE_LINE (0.02)
    weeks = _found(
        _evidence("a1", "2026-03-24", first, "Around 6,350 tonnes", 0.49),
        _evidence("a2", "2026-05-30", second, "9,400 tonnes", 0.03),
        question=question,
    )
    assert weeks is None  # more than 14 days away: another story that names the same road


def test_a_weakly_read_score_or_race_time_is_no_report() -> None:
    first = "Cosmo Dewhurst won the men's race at the Tellowen Marathon in 2:08:53 on Sunday."
    second = "Tesfalem Guddisa of Tellowen Harriers said the Tellowen Marathon winner ran 2:08:35."
    question = "What was the winning time in the men's race at the Tellowen Marathon?"
    weak = _found(
        _evidence("a1", "2026-04-12", first, "2:08:53", 0.45),
        _evidence("a2", "2026-04-13", second, "2:08:35", 0.03),
        question=question,
    )
    assert weak is None  # a story gives many tallies ("9-1" on the road beside a final's "2-1")
    strong = _found(
        _evidence("a1", "2026-04-12", first, "2:08:53", 0.45),
        _evidence("a2", "2026-04-13", second, "2:08:35", 0.4),
        question=question,
    )
    assert strong is not None and [s.value.text for s in strong.sides] == ["2:08:35", "2:08:53"]


def test_an_older_report_that_also_gives_the_anchors_value_answered_another_slot() -> None:
    older = "The Friends of Faldonbury Pier, who raised £86,000 towards repairs, welcomed it."
    newer = "Faldonbury council confirmed the Faldonbury Pier sale for 1.45 million pounds."
    title = "Council sells Faldonbury Pier to leisure firm for £1.45m"
    question = "What price has the buyer agreed to pay for Faldonbury Pier?"
    found = _found(
        _evidence("a2", "2026-08-26", newer, "1.45 million pounds", 0.7),
        _evidence("a1", "2026-08-12", older, "£86,000", 0.4, title=title),
        question=question,
    )
    assert found is None
    found = _found(
        _evidence("a2", "2026-08-26", newer, "1.45 million pounds", 0.7),
        _evidence("a1", "2026-08-12", older, "£86,000", 0.4, title="Faldonbury Pier sold"),
        question=question,
    )
    assert found is not None  # without the price anywhere in it, £86,000 is its report


def test_a_newer_report_set_against_an_earlier_account_is_an_update() -> None:
    first = "Ravelstoke Museum paid £184,000 for the medieval astrolabe at auction in March."
    later = "Ravelstoke Museum paid £219,500 for the medieval astrolabe it bought in March."
    question = "How much did Ravelstoke Museum pay for the medieval astrolabe?"
    headline = "Ravelstoke astrolabe cost more than museum said, papers show"
    found = _found(
        _evidence("a1", "2026-03-26", first, "£184,000", 0.8),
        _evidence("a2", "2026-04-03", later, "£219,500", 0.7, title=headline),
        question=question,
    )
    assert found is not None and found.kind == "update"
    assert [s.value.text for s in found.sides] == ["£219,500", "£184,000"]
    fresh = "A fresh survey of the Ravelstoke collection put the astrolabe's price at £219,500."
    found = _found(
        _evidence("a1", "2026-03-26", first, "£184,000", 0.8),
        _evidence("a2", "2026-04-03", fresh, "£219,500", 0.7),
        question=question,
    )
    assert found is not None and found.kind == "update"
    found = _found(
        _evidence("a1", "2026-03-26", first, "£184,000", 0.8),
        _evidence("a2", "2026-04-03", later, "£219,500", 0.7, title="Astrolabe goes on show"),
        question=question,
    )
    assert found is not None and found.kind == "differ"  # two outlets, no revision said


def test_a_next_best_reading_counts_only_with_the_anchors_words_around_it() -> None:
    ruling = "A court in Khimki ruled that Brittney Griner's detention be extended six months."
    question = "How many months was Brittney Griner's detention extended by the Khimki court?"
    held = (
        "Brittney Griner was arrested at a Moscow airport in February, a WNBA star. "
        "She has been held in Khimki for more than four months since her arrest."
    )
    other_slot = _found(
        _evidence("a1", "2022-06-30", ruling, "six months", 0.8),
        _evidence("a2", "2022-07-01", held, "February", 0.5, others=("more than four months",)),
        question=question,
    )
    assert other_slot is None  # the reader's second reading; only "Khimki" is the anchor's
    extended = (
        "Brittney Griner was arrested at a Moscow airport in February, a WNBA star. "
        "The Khimki court extended the detention of Brittney Griner by five months."
    )
    found = _found(
        _evidence("a1", "2022-06-30", ruling, "six months", 0.8),
        _evidence("a2", "2022-07-01", extended, "February", 0.5, others=("five months",)),
        question=question,
    )
    assert found is not None and [s.value.text for s in found.sides] == [
        "five months",
        "six months",
    ]


def test_a_span_of_another_measure_gives_way_to_the_readers_next_best_that_fits() -> None:
    first = (
        "Spokewell's Hobbinford plant built 218,400 bicycles last year. Of those, 58.3% were "
        "sold abroad, the Hobbinford company said."
    )
    later = "Spokewell's Hobbinford plant sold 63.8% of its bicycles abroad, its accounts show."
    question = "What proportion of the bikes made at Spokewell's Hobbinford plant were sold abroad?"
    found = _found(
        _evidence("a1", "2026-01-28", first, "218,400 bicycles", 0.8, others=("58.3%",)),
        _evidence("a2", "2026-02-09", later, "63.8%", 0.7),
        question=question,
    )
    assert found is not None
    assert [s.value.text for s in found.sides] == ["63.8%", "58.3%"]
    assert found.sides[1].evidence.candidate.text.startswith("Of those")  # its own sentence


def test_a_value_only_the_headline_gives_is_quoted_from_the_headline() -> None:
    title = "Verrachi violin fetches €412,000 at Merovia sale"
    first = f"{title}\n\nA violin by Anselmo Verrachi went under the hammer in Merovia on Tuesday."
    later = "The Verrachi violin auctioned in Merovia was sold to the conservatoire for €389,000."
    found = _found(
        _evidence("a1", "2026-04-01", first, "€412,000", 0.8, title=title),
        _evidence("a2", "2026-04-04", later, "€389,000", 0.8),
        question="How much did the Verrachi violin sold in Merovia go for?",
    )
    assert found is not None
    quoted = found.sides[1].evidence.candidate
    assert quoted.text == title and first[quoted.start : quoted.end] == title
