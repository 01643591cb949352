"""The per-note shortcuts of the note-context pass give what plain searches give: qualifier cues from
windows answered by a sentence's search, sentence and clause bounds from the memo, date readers that skip
text without digits."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipeline.extract import fact_context as FC
from pipeline.extract import note_text as NT
from pipeline.extract.dates import find_dates
from pipeline.extract.facts import extract
from pipeline.schema import Note, QualifierCue

COHORT = Path(__file__).resolve().parents[2] / "corpora" / "cohort" / "notes.jsonl"


def _plain_qualifier_cues(text, f, facts):
    """The windows searched one by one, as the pass did before it shared a sentence's search."""
    cs, ce = FC.mention_context(text, f, facts)
    ss, se = NT._sentence_bounds(text, f.start, f.end)
    out = []
    for gid, sup, con in FC.qualifier_patterns():
        windows = (("supports", sup, "context", cs, ce), ("contradicts", con, "context", cs, ce),
                   ("contradicts", con, "after", f.end, se), ("supports", sup, "sentence", ss, se))
        for polarity, rx, scope, lo, hi in windows:
            m = rx.search(text, lo, max(lo, hi))
            bound = next((o.end for o in facts if o.start == ce and o.end <= se and o.concept != f.concept), None)
            if m is None and (polarity, scope) == ("supports", "context") and bound is not None:
                # a support that runs into the mention ending the context ('pneumonia, on antibiotics')
                m = rx.search(text, lo, bound)
                m = m if m is not None and m.start() < ce < m.end() else None
            if m:
                out.append(QualifierCue(group=gid, polarity=polarity, scope=scope, text=m.group(0), start=m.start(),
                                        end=m.end()))
    return out


def _cohort_notes(n: int = 40) -> list[Note]:
    with open(COHORT, encoding="utf-8") as fh:
        return [Note.model_validate(json.loads(line)) for _, line in zip(range(n), fh)]


def test_qualifier_cues_equal_plain_searches_on_cohort_notes():
    compared = with_cues = 0
    for note in _cohort_notes():
        facts = [f for f in extract([note]) if not f.statement]
        for f in facts:
            got = FC._qualifier_cues(note.text, f, facts)
            assert got == _plain_qualifier_cues(note.text, f, facts)
            compared += 1
            with_cues += bool(got)
    assert compared > 300 and with_cues > 20  # both paths (no qualifier word; some) were exercised


@pytest.mark.parametrize("text", [
    "Hypertension, well controlled on amlodipine. No new lesions; stable disease.",
    "Hep B (remote, resolved) - on entecavir.\nAsthma: mild, uncontrolled.",
    "Pleural effusion requiring thoracentesis. Normal LFTs; creatinine elevated.",
])
def test_qualifier_cues_equal_plain_searches_on_every_span(text):
    note = Note(patient_id="p", note_id="n", date=dt.date(2025, 9, 1), text=text)
    facts = [f for f in extract([note]) if not f.statement]
    for start in range(0, len(text) - 3, 3):  # every window start, sentence-final and not
        probe = facts[0].model_copy(update={"start": start, "end": start + 3, "concept": "probe"})
        assert FC._qualifier_cues(text, probe, facts) == _plain_qualifier_cues(text, probe, facts)


def test_sentence_and_clause_bounds_from_memo_equal_a_fresh_scan():
    text = "PMH: HTN; DM2, diet controlled. MI 2019 (stent x2, 2020).\nMeds: none! Plan? CT in 3 mo."
    for start in range(len(text)):
        for end in (start, min(len(text), start + 4)):
            assert NT.sentence_bounds(text, start, end) == NT._sentence_bounds(text, start, end)
            assert NT.clause_span(text, start, end) == NT._clause_span(text, start, end)


def test_dates_without_digits_are_only_relative_ones():
    ref = dt.date(2025, 9, 1)
    text = "Seen yesterday; last month she had fevers. Plan reviewed two weeks ago."
    found = find_dates(text, ref, 0, len(text))
    assert [(d.relative, d.date) for d in found] == [(True, dt.date(2025, 8, 31)), (True, dt.date(2025, 8, 1)),
                                                      (True, dt.date(2025, 8, 18))]
    assert NT.dates_in("since last spring", ref) == []
    assert NT.dates_in("since March 2024", ref) == [(6, dt.date(2024, 3, 31))]


def test_interior_space_equals_the_token_array_reading():
    import random

    import numpy

    from pipeline.extract.assertion import interior_space

    def by_array(is_space) -> bool:
        words = numpy.flatnonzero(is_space == 0)
        return bool(words.size) and bool(is_space[words[0] : words[-1] + 1].any())

    r = random.Random(3)
    for _ in range(3000):
        flags = numpy.array([r.random() < 0.3 for _ in range(r.randint(0, 12))], dtype=numpy.uint64)
        spaces = numpy.flatnonzero(flags).tolist()
        start = r.randint(0, len(flags))
        end = r.randint(start, len(flags))
        assert interior_space(spaces, start, end) == by_array(flags[start:end])


@pytest.mark.parametrize("patterns", [
    (r"(?<![\w-])(?:stable|well controlled)(?![\w-])", r"(?<![\w-])(?:major(?![\s-]+depress)|severe)(?![\w-])"),
    (r"\bno(?:t)? (?:active|new)\b", r"resolv(?:ed|ing)"),  # not words_pattern's shape: plain alternation
])
def test_any_of_finds_something_exactly_where_one_pattern_does(patterns):
    import re

    rxs = tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    anyone = NT.any_of(rxs)
    assert anyone is not None
    text = "Major depression, stable. Not new; resolving HTN, severe-ish. well controlled-DM major"
    for lo in range(0, len(text), 2):
        for hi in range(lo, len(text) + 1, 3):
            assert (anyone.search(text, lo, hi) is None) == all(rx.search(text, lo, hi) is None for rx in rxs)


def test_any_of_refuses_patterns_it_cannot_combine():
    import re

    assert NT.any_of((re.compile(r"(a)\1"), re.compile("b"))) is None  # a numbered back-reference
    assert NT.any_of((re.compile("a", re.IGNORECASE), re.compile("b"))) is None  # different flags
