"""Terminal tables: readable fixed-width rows."""
from __future__ import annotations

from review_records import build

from pipeline.io.tables import SCORE_NOTE, constraint_summary, criteria_table, results_table
from pipeline.schema import Constraint, Window


def test_results_table_one_row_per_patient_in_rank_order():
    trial, results, _, _ = build()
    rows = results_table(trial, results).splitlines()[3:-2]
    assert [r.split()[1] for r in rows] == [r.patient_id for r in results]


def test_results_table_shows_status_counts_and_reasons():
    trial, results, _, _ = build()
    text = results_table(trial, results)
    pb = next(l for l in text.splitlines() if " PB " in l)
    assert "ineligible" in pb and "fails I1" in pb


def test_results_table_columns_are_aligned():
    trial, results, _, _ = build()
    lines = results_table(trial, results).splitlines()
    header, rows = lines[1], lines[3:-2]
    col = header.index("status")
    assert all(r[col - 2:col] == "  " for r in rows)


def test_results_table_footer_counts_statuses():
    trial, results, _, _ = build()
    assert results_table(trial, results).splitlines()[-2] == "2 patients: 1 eligible, 0 need review, 1 ineligible"


def test_results_table_explains_the_score_in_one_line_under_the_table():
    trial, results, _, _ = build()
    assert results_table(trial, results).splitlines()[-1] == SCORE_NOTE


def test_results_table_columns_say_what_they_count():
    trial, results, _, _ = build()
    lines = results_table(trial, results).splitlines()
    header = lines[1]
    for name in ("inc met", "exc clear", "open", "failed"):
        assert name in header
    pa = next(line for line in lines if " PA " in line)
    cells = pa[header.index("inc met"):].split()
    # PA: platelets met (1/1 inclusion), tuberculosis excluded-not (the exclusion is clear: 1/1), nothing open or failed
    assert cells[:4] == ["1/1", "1/1", "0", "0"]


def _long_reason_results():
    trial, results, _, _ = build()
    long = "fails I1: " + "; ".join(f"platelets {n} x10^9/L on 2025-08-{n:02d}; criterion >= 100" for n in range(1, 12))
    return trial, [r.model_copy(update={"reasons": [long]}) if r.patient_id == "PB" else r for r in results], long


def test_results_table_cuts_reasons_and_says_so():
    trial, results, long = _long_reason_results()
    text = results_table(trial, results)
    assert long not in text and "…" in text and "--wide" in text


def test_results_table_wide_shows_reasons_in_full():
    trial, results, long = _long_reason_results()
    assert long in results_table(trial, results, wide=True)


def test_criteria_table_lists_every_criterion():
    trial, _, _, _ = build()
    text = criteria_table(trial)
    assert [l.split()[0] for l in text.splitlines() if l[:1] in "IE" and l[1:2].isdigit()] == ["I1", "E1"]


def test_constraint_summary_reads_like_the_criterion():
    c = Constraint(id="I8.c1", concept="platelets", text="x", start=0, end=1, comparator=">=", value=100.0, unit="10^9/L",
                   window=Window(comparator="<=", value=2, unit="week", anchor="first_dose"))
    assert constraint_summary(c) == "platelets >= 100 10^9/L [<= 2 week to first_dose]"


def test_constraint_summary_marks_negation_and_uln():
    c = Constraint(id="I8.c5", concept="ast", text="x", start=0, end=1, comparator="<=", value=1.5, relative_to="ULN", negated=True)
    assert constraint_summary(c) == "NOT ast <= 1.5 x ULN"


def test_criteria_table_escapes_terminal_control_characters():
    trial, _, _, _ = build()
    hostile = trial.model_copy(update={"title": "Trial \x1b[2J\x1b]0;pwned\x07 title"})
    table = criteria_table(hostile)
    assert "\x1b" not in table and "\x07" not in table and "\\x1b[2J" in table
