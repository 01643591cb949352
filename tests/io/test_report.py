"""The review page is one self-contained, escaped HTML file carrying only what a reviewer needs."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from review_records import AS_OF, NOTE_A, NOTE_B, NOTE_ID, build, build_many

from pipeline.io.report import read_page_data, render_report, write_report
from pipeline.io.report_data import ReportOptions, report_data, snippet_bounds, triage_order, written_value
from pipeline.io.tables import verdict_state
from pipeline.schema import Criterion, CriterionVerdict, Evidence, Note, PatientResult

EVERYONE = ReportOptions(include_ineligible=True)


@pytest.fixture(scope="module")
def page():
    trial, results, notes, facts = build()
    return render_report(trial, results, notes, facts, as_of=AS_OF, options=EVERYONE)


def _data(page: str) -> dict:
    return read_page_data(page)


def _all_text(page: str) -> str:
    """Everything the page carries: its markup and its (compressed) data."""
    return page + json.dumps(_data(page), ensure_ascii=False)


def _patient(data: dict, pid: str) -> dict:
    (p,) = [p for p in data["patients"] if p["id"] == pid]
    return p


def test_report_has_no_network_references(page):
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "<link" not in page.lower()


def test_report_escapes_note_text_in_markup(page):
    assert "<script>window.__pwned" not in page
    assert "<b>bold?</b>" not in page
    assert _data(page)["notes"]["PA"][NOTE_ID][2] == NOTE_A  # carried as data, never as markup


def test_report_escapes_trial_title(page):
    assert "Test &amp; &lt;trial&gt;" in page


def test_report_embedded_data_round_trips_note_text(page):
    assert _data(page)["notes"]["PA"][NOTE_ID][2] == NOTE_A


def test_report_data_evidence_offsets_point_at_the_quote():
    trial, results, notes, _ = build()
    data = report_data(trial, results, notes, EVERYONE)
    quotes = {(r.patient_id, e.start): e.text for r in results for v in r.criteria for e in v.evidence}
    for p in data["patients"]:
        for row in p["ev"]:
            text = data["notes"][p["id"]][p["docs"][row[0]]][2]
            assert text[row[1]:row[2]] == quotes[(p["id"], row[1])]


def test_report_data_keys_notes_by_patient_when_note_ids_repeat():
    trial, results, notes, _ = build()
    data = report_data(trial, results, notes, EVERYONE)
    assert data["notes"]["PA"][NOTE_ID][2] == NOTE_A
    assert data["notes"]["PB"][NOTE_ID][2] == NOTE_B


def test_report_leaves_out_ineligible_patients_notes_by_default():
    trial, results, notes, _ = build()
    assert {r.patient_id: r.status for r in results}["PB"] == "ineligible"
    page = render_report(trial, results, notes, as_of=AS_OF)
    data = _data(page)
    assert "PB" not in data["notes"] and "Follow-up" not in _all_text(page)
    assert _patient(data, "PB")["ev"][0][-1] == "Platelets 60 x10^9/L"  # the quote stays, the note does not


def test_report_carries_only_notes_behind_evidence():
    trial, results, notes, _ = build()
    extra = Note(patient_id="PA", note_id="N9", date=dt.date(2025, 8, 1), note_type="social work", text="Lives alone in Leeds.")
    page = render_report(trial, results, [*notes, extra], as_of=AS_OF)
    assert "Leeds" not in _all_text(page) and "N9" not in _data(page)["notes"]["PA"]


def test_report_snippets_only_carries_the_evidence_sentence_not_the_note():
    trial, results, notes, _ = build()
    page = render_report(trial, results, notes, as_of=AS_OF, options=ReportOptions(snippets_only=True))
    data = _data(page)
    pa = _patient(data, "PA")
    texts = [t[2] for t in data["notes"]["PA"].values()]
    assert "Screening note" not in _all_text(page)
    assert sorted(texts) == ["Labs: platelets 180 x10^9/L.", "No history of tuberculosis."]
    for row in pa["ev"]:
        assert data["notes"]["PA"][pa["docs"][row[0]]][2][row[1]:row[2]] in ("tuberculosis", "platelets 180 x10^9/L")


@pytest.mark.parametrize("text,quote,value,unit,written", [
    ("Total bilirubin              0.6        mg/dL   0.2-1.2", "Total bilirubin", 10.26, "umol/L", "0.6        mg/dL"),
    ("Hb 128 g/L, WBC 6.4", "Hb", 128.0, "g/L", "128 g/L"),
    ("ANC 4.1 x10^9/L today", "ANC", 4.1, "10^9/L", "4.1 x10^9/L"),
    ("ECOG 1. Target lesion 3 cm", "ECOG", 1.0, None, "1"),
    ("Platelets 60 x10^9/L", "Platelets 60 x10^9/L", 60.0, "10^9/L", "Platelets 60 x10^9/L"),
])
def test_written_value_highlight_covers_mention_and_value(text, quote, value, unit, written):
    start = text.index(quote)
    ev = Evidence(source_id="N1", start=start, end=start + len(quote), text=quote, value=value, unit=unit)
    end, shown = written_value(text, ev)
    assert shown == written and text[start:end].endswith(written)


def test_written_value_does_not_reach_the_next_line():
    text = "Hemoglobin pending\n12 g/dL last month"
    ev = Evidence(source_id="N1", start=0, end=10, text="Hemoglobin", value=120.0, unit="g/L")
    assert written_value(text, ev) == (10, "")


def test_snippet_bounds_is_the_sentence_around_the_evidence():
    text = "First sentence here. PMH: hypertension. No history of TB. Last one."
    s0, s1 = snippet_bounds(text, text.index("TB"), text.index("TB") + 2)
    assert text[s0:s1] == "No history of TB."


@pytest.mark.parametrize("kind,verdict,state", [
    ("inclusion", "met", "pass"), ("inclusion", "not_met", "fail"), ("exclusion", "met", "fail"),
    ("exclusion", "not_met", "pass"), ("exclusion", "unknown", "open"), ("inclusion", "not_computable", "manual"),
])
def test_verdict_state_reads_exclusions_the_patients_way(kind, verdict, state):
    assert verdict_state(kind, verdict) == state


def _eligible(pid: str, backed: int, rank: int) -> PatientResult:
    ev = [Evidence(source_id="N1", start=0, end=1, text="x")]
    verdicts = [CriterionVerdict(criterion_id=f"I{i}", kind="inclusion", text="t", start=0, end=1, verdict="met",
                                 evidence=ev if i < backed else []) for i in range(3)]
    return PatientResult(patient_id=pid, status="eligible", score=100.0, rank=rank, criteria=verdicts)


def test_triage_order_puts_the_best_confirmed_of_tied_patients_first():
    tied = [_eligible("P1", 1, 1), _eligible("P2", 3, 2), _eligible("P3", 2, 3)]
    assert [r.patient_id for r in triage_order(tied)] == ["P2", "P3", "P1"]


def test_report_groups_evidence_by_sub_condition():
    trial, results, notes, _ = build()
    pa = next(r for r in results if r.patient_id == "PA")
    both = Criterion.model_validate({**trial.criteria[0].model_dump(), "id": "I2", "constraints": [
        c.model_dump() | {"id": f"I2.c{i}", "concept": concept}
        for i, (c, concept) in enumerate([(trial.criteria[0].constraints[0], "platelets"),
                                          (trial.criteria[1].constraints[0], "tuberculosis")], 1)]})
    evidence = [e for v in pa.criteria for e in v.evidence]
    verdict = CriterionVerdict(criterion_id="I2", kind="inclusion", text=both.text, start=0, end=1, verdict="met",
                               evidence=evidence)
    trial2 = trial.model_copy(update={"criteria": [both]})
    data = report_data(trial2, [pa.model_copy(update={"criteria": [verdict]})], notes, EVERYONE)
    p = data["patients"][0]
    groups = {g[0]: [p["ev"][i] for i in g[1:]] for g in p["v"][0][2]}
    assert sorted(groups) == [0, 1]
    assert [NOTE_A[r[1]:r[2]] for r in groups[0]] == ["platelets 180 x10^9/L"]
    assert [NOTE_A[r[1]:r[2]] for r in groups[1]] == ["tuberculosis"]


def test_report_lists_patients_in_triage_order(page):
    assert [p["id"] for p in _data(page)["patients"]] == ["PA", "PB"]


def test_write_report_creates_parent_folders(tmp_path):
    trial, results, notes, facts = build()
    out = write_report(tmp_path / "sub" / "r.html", trial, results, notes, facts, as_of=AS_OF)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_data_is_the_same_for_the_same_input():
    trial, results, notes, _ = build()
    assert render_report(trial, results, notes, as_of=AS_OF) == render_report(trial, results, notes, as_of=AS_OF)


def test_report_of_a_thousand_patients_stays_under_five_megabytes():
    trial, results, notes = build_many(1000)
    size = len(render_report(trial, results, notes, as_of=AS_OF).encode("utf-8"))
    assert size < 5_000_000, f"{size:,} bytes"
