"""The review page is one self-contained, escaped HTML file."""
from __future__ import annotations

import json
import re

import pytest
from review_records import AS_OF, NOTE_A, NOTE_B, NOTE_ID, build

from pipeline.io.report import render_report, report_data, write_report


@pytest.fixture(scope="module")
def page():
    trial, results, notes, facts = build()
    return render_report(trial, results, notes, facts, as_of=AS_OF)


def test_report_has_no_network_references(page):
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "<link" not in page.lower()


def test_report_escapes_note_text_in_markup_and_data(page):
    assert "<script>window.__pwned" not in page
    assert "<b>bold?</b>" not in page


def test_report_escapes_trial_title(page):
    assert "Test &amp; &lt;trial&gt;" in page


def test_report_embedded_data_round_trips_note_text(page):
    raw = re.search(r'<script id="report-data" type="application/json">(.*?)</script>', page, re.DOTALL).group(1)
    assert json.loads(raw)["notes"]["PA"][NOTE_ID]["text"] == NOTE_A


def test_report_data_evidence_quotes_match_note_offsets():
    _, results, notes, _ = build()
    data = report_data(results, notes)
    for pid, verdicts in data["verdicts"].items():
        for item in verdicts.values():
            for ev in item["evidence"]:
                assert data["notes"][pid][ev["source_id"]]["text"][ev["start"]:ev["end"]] == ev["text"]


def test_report_data_keys_notes_by_patient_when_note_ids_repeat():
    _, results, notes, _ = build()
    data = report_data(results, notes)
    assert data["notes"]["PA"][NOTE_ID]["text"] == NOTE_A
    assert data["notes"]["PB"][NOTE_ID]["text"] == NOTE_B


def test_report_lists_patients_in_rank_order(page):
    assert page.index('data-pid="PA"') < page.index('data-pid="PB"')


def test_write_report_creates_parent_folders(tmp_path):
    trial, results, notes, facts = build()
    out = write_report(tmp_path / "sub" / "r.html", trial, results, notes, facts, as_of=AS_OF)
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
