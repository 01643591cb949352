"""Property-based tests (hypothesis, fixed seed, bounded example counts): readers, the listing parser
and extraction never crash on any input, every offset stays inside its text and quotes it exactly,
and every input record is accounted for as a note or as a named problem."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import ListingError, NotesError
from pipeline.extract import runner
from pipeline.extract.targets import Match, select_non_overlapping
from pipeline.io.notes import read_notes
from pipeline.schema import Note

FIXED = settings(derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                                         HealthCheck.function_scoped_fixture])
"""derandomize: the examples come from a fixed seed, so every run tests the same inputs."""


def fixed(n: int) -> settings:
    """The fixed-seed settings with at most ``n`` examples."""
    return settings(FIXED, max_examples=n)

WORDS = ["ECOG", "1", "p16", "negative", "No", "history", "of", "HIV", ".", "Platelets", "150", "x10^9/L", "\n",
         "pembrolizumab", "since", "2024-01-05", "(", ")", "≥", "Hb", "10.2", "g/dL", "mother", "had", "breast", "cancer",
         "\u2028", "😀", "\U0001D538", "\x00", "\t", "denies", "?", "MI", "SCC", "of", "tonsil", "62-year-old", "man"]
clinical_text = st.lists(st.sampled_from(WORDS) | st.text(max_size=6), min_size=1, max_size=60).map(" ".join)
any_text = st.text(max_size=300) | clinical_text


def _check_facts(text: str, facts) -> None:
    for f in facts:
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start:f.end] == f.text
        for c in f.cues:
            assert 0 <= c.start <= c.end <= len(text) and text[c.start:c.end] == c.text


@fixed(60)
@given(text=any_text)
def test_property_extraction_never_crashes_and_quotes_exactly(text):
    if not text:
        return
    note = Note(patient_id="P", note_id="N", date=dt.date(2025, 1, 1), text=text)
    _check_facts(text, runner.note_facts(note))


@fixed(30)
@given(parts=st.lists(clinical_text, min_size=1, max_size=6))
def test_property_extraction_in_small_pieces_keeps_offsets_exact(parts, monkeypatch):
    text = "\n\n".join(parts) or "."
    monkeypatch.setattr(runner, "PIECE_CHARS", 40)
    monkeypatch.setattr(runner, "piece_bounds", lambda t, size=40: _bounds(t, size))
    note = Note(patient_id="P", note_id="N", date=dt.date(2025, 1, 1), text=text)
    _check_facts(text, runner.note_facts(note))


_bounds = runner.piece_bounds


@fixed(200)
@given(text=st.text(max_size=400), size=st.integers(min_value=2, max_value=60))
def test_property_piece_bounds_tile_the_text(text, size):
    bounds = runner.piece_bounds(text, size)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] and a[0] < a[1] <= a[0] + size for a, b in zip(bounds, bounds[1:]))


def _naive(cands):
    chosen, taken = [], []
    for c in sorted(cands, key=lambda c: (not c.user, -(c.end - c.start), c.start)):
        if any(c.start < e and s < c.end for s, e in taken):
            continue
        chosen.append(c)
        taken.append((c.start, c.end))
    return sorted(chosen, key=lambda c: c.start)


spans = st.tuples(st.integers(0, 60), st.integers(0, 12), st.booleans()).map(lambda t: Match(t[0], t[0] + t[1], "c", t[2]))


@fixed(300)
@given(cands=st.lists(spans, max_size=40))
def test_property_select_non_overlapping_equals_the_pairwise_definition(cands):
    assert select_non_overlapping(cands) == _naive(cands)


@fixed(40)
@given(text=any_text)
def test_property_listing_parser_never_crashes_and_quotes_exactly(text):
    from pipeline.extract.criteria import parse_criteria_text

    try:
        trial = parse_criteria_text(text)
    except ListingError:
        return
    for c in trial.criteria:
        assert trial.text[c.start:c.end] == c.text
        for k in c.constraints:
            assert trial.text[k.start:k.end] == k.text


GOOD = {"patient_id": "P1", "note_id": "N1", "date": "2025-03-04", "note_type": "x", "text": "ECOG 1."}
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                           max_leaves=6)
records = st.fixed_dictionaries({}, optional={k: json_values | st.just(v) for k, v in GOOD.items()})
lines = st.one_of(records.map(lambda r: json.dumps(r).encode()), st.binary(max_size=40),
                  st.just(json.dumps(GOOD).encode()), st.text(max_size=30).map(lambda t: t.encode("utf-8", "surrogatepass")))


@fixed(150)
@given(rows=st.lists(lines, max_size=8))
def test_property_jsonl_reader_accounts_for_every_line(rows, tmp_path_factory):
    rows = [r.replace(b"\n", b" ") for r in rows]
    path = tmp_path_factory.mktemp("p") / "n.jsonl"
    path.write_bytes(b"\n".join(rows))
    try:
        notes, problems = read_notes(path)
    except NotesError as err:
        assert "[E0" in str(err)
        return
    text = path.read_bytes().decode("utf-8", "surrogateescape")
    if text.lstrip().startswith("["):
        return  # read as one JSON array when it parses as one
    non_blank = [ln for ln in text.split("\n") if ln.rstrip("\r").strip()]
    assert len(notes) + len(problems) == len(non_blank)
    for p in problems:
        assert p.code.startswith("E") and str(path) in p.message
    for n in notes:
        assert n.text.strip() and n.patient_id.strip() and n.note_id.strip()


@fixed(100)
@given(data=st.binary(max_size=300))
def test_property_csv_reader_never_crashes(data, tmp_path_factory):
    path = tmp_path_factory.mktemp("p") / "n.csv"
    path.write_bytes(b"patient_id,note_id,date,note_type,text\n" + data)
    try:
        notes, problems = read_notes(path)
    except NotesError as err:
        assert "[E0" in str(err)
        return
    assert all(p.message.startswith(f"[{p.code}] {path}") for p in problems)


@pytest.mark.parametrize("enc", ["utf-16", "utf-32"])
def test_property_reader_with_bom_keeps_every_record(tmp_path, enc):
    path = tmp_path / "n.jsonl"
    path.write_bytes("\n".join(json.dumps({**GOOD, "note_id": f"N{i}"}) for i in range(5)).encode(enc))
    notes, problems = read_notes(path)
    assert len(notes) == 5 and problems == []
