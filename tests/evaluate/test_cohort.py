"""Specification of the cohort evaluator (pure scoring functions) and of the shipped gold cohort."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

from pipeline.evaluate import cohort as C
from pipeline.lexicon import load_lexicon
from pipeline.match.rank import status_of_verdict_map

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "corpora" / "cohort"

NOTE_A = "62-year-old man. p16 IHC negative. Hb 112 g/L. No history of MI."
NOTE_B = "Woman, on nivolumab. ECOG 1."
NOTE_C = "Labs: HIV Ab non-reactive."


def _fact(note_id, text, concept, phrase, value=None, **flags):
    start = text.index(phrase)
    rec = {"patient_id": note_id[:2], "note_id": note_id, "concept": concept, "start": start,
           "end": start + len(phrase), "text": phrase, "value": value, "unit": None}
    rec.update({f: flags.get(f, False) for f in C.ASSERTIONS})
    return rec


GOLD = [
    _fact("PA-1", NOTE_A, "age", "62-year-old", 62.0),
    _fact("PA-1", NOTE_A, "sex", "man", "male"),
    _fact("PA-1", NOTE_A, "p16_status", "p16", "negative"),
    _fact("PA-1", NOTE_A, "hemoglobin", "Hb", 112.0),
    _fact("PA-1", NOTE_A, "myocardial_infarction", "MI", negated=True, historical=True),
    _fact("PB-1", NOTE_B, "sex", "Woman", "female"),
    _fact("PB-1", NOTE_B, "nivolumab", "nivolumab"),
    _fact("PB-1", NOTE_B, "ecog", "ECOG", 1),
    _fact("PB-2", NOTE_C, "hiv", "HIV Ab", "negative"),
]
VERDICT_IDS = [f"I{i}" for i in range(1, 9)] + [f"E{i}" for i in range(1, 16)]


def _verdicts(**over):
    v = {c: ("met" if c.startswith("I") else "not_met") for c in VERDICT_IDS}
    v.update(over)
    return v


GOLD_PATIENTS = [
    {"patient_id": "PA", "status": "ineligible", "verdicts": _verdicts(I1="not_met"), "notes": "too old"},
    {"patient_id": "PB", "status": "eligible", "verdicts": _verdicts(), "notes": "fits"},
]


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    """A two-patient cohort folder written by hand."""
    notes = [
        {"patient_id": "PA", "note_id": "PA-1", "date": "2025-08-20", "note_type": "progress note", "text": NOTE_A},
        {"patient_id": "PB", "note_id": "PB-1", "date": "2025-08-21", "note_type": "progress note", "text": NOTE_B},
        {"patient_id": "PB", "note_id": "PB-2", "date": "2025-08-22", "note_type": "lab report", "text": NOTE_C},
    ]
    (tmp_path / "notes.jsonl").write_text("".join(json.dumps(n) + "\n" for n in notes), encoding="utf-8")
    (tmp_path / "meta.json").write_text(json.dumps({"listing": str(ROOT / "corpora/listings/NCT06935188.txt"),
                                                    "as_of": "2025-09-01", "first_dose": "2025-09-01"}))
    concepts = sorted({g["concept"] for g in GOLD})
    (tmp_path / "annotation.json").write_text(json.dumps({"concepts": concepts}))
    (tmp_path / "gold_facts.jsonl").write_text("".join(json.dumps(g) + "\n" for g in GOLD), encoding="utf-8")
    (tmp_path / "gold_patients.jsonl").write_text("".join(json.dumps(g) + "\n" for g in GOLD_PATIENTS), encoding="utf-8")
    return tmp_path


def _result(pid, status, **verdicts):
    crit = [{"criterion_id": c, "verdict": verdicts.get(c, "met" if c.startswith("I") else "not_met"),
             "reason": f"reason for {c}", "evidence": [{"source_id": f"{pid}-1", "start": 0, "end": 2, "text": "62"}]}
            for c in VERDICT_IDS]
    return {"patient_id": pid, "status": status, "criteria": crit, "reasons": [f"{pid} {status}"]}


# ----------------------------------------------------------------------------- loading


def test_load_cohort_reads_every_file(tiny):
    cohort = C.load_cohort(tiny)
    assert (len(cohort.notes), len(cohort.gold_facts), len(cohort.gold_patients)) == (3, 9, 2)
    assert "nivolumab" in cohort.concepts


def test_load_cohort_rejects_gold_span_not_matching_text(tiny):
    bad = dict(GOLD[0], end=GOLD[0]["end"] + 1)
    (tiny / "gold_facts.jsonl").write_text(json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(C.EvaluationError, match="gold_facts.jsonl"):
        C.load_cohort(tiny)


def test_load_cohort_names_missing_file(tiny):
    (tiny / "gold_patients.jsonl").unlink()
    with pytest.raises(C.EvaluationError, match="gold_patients.jsonl"):
        C.load_cohort(tiny)


# ----------------------------------------------------------------------------- facts


def test_score_facts_perfect_predictions_score_one():
    s = C.score_facts(GOLD, [dict(g) for g in GOLD], "exact")["overall"]
    assert (s["precision"], s["recall"], s["f1"]) == (1.0, 1.0, 1.0)


@pytest.mark.parametrize("shift, exact_tp, overlap_tp", [
    ((0, 0), 1, 1),     # identical span
    ((0, 4), 0, 1),     # "p16 IHC" instead of "p16": overlaps
    ((-2, 0), 0, 1),    # starts two characters early: overlaps
    ((4, 8), 0, 0),     # "IHC " after the span: no shared character
])
def test_score_facts_exact_versus_overlap(shift, exact_tp, overlap_tp):
    gold = [GOLD[2]]
    pred = [dict(GOLD[2], start=GOLD[2]["start"] + shift[0], end=GOLD[2]["end"] + shift[1])]
    assert C.score_facts(gold, pred, "exact")["overall"]["tp"] == exact_tp
    assert C.score_facts(gold, pred, "overlap")["overall"]["tp"] == overlap_tp


def test_score_facts_counts_precision_recall_f1():
    pred = [dict(g) for g in GOLD[:6]] + [_fact("PA-1", NOTE_A, "hemoglobin", "112")]  # 6 right, 1 spurious
    s = C.score_facts(GOLD, pred, "exact")
    assert (s["overall"]["tp"], s["overall"]["fp"], s["overall"]["fn"]) == (6, 1, 3)
    assert s["overall"]["precision"] == round(6 / 7, 4) and s["overall"]["recall"] == round(6 / 9, 4)
    assert s["per_concept"]["hemoglobin"]["fp"] == 1


def test_align_facts_is_one_to_one():
    gold = [GOLD[1]]
    pred = [dict(GOLD[1]), dict(GOLD[1], start=GOLD[1]["start"] - 1)]
    s = C.score_facts(gold, pred, "overlap")["overall"]
    assert (s["tp"], s["fp"], s["fn"]) == (1, 1, 0)


@pytest.mark.parametrize("change", [{"concept": "wbc"}, {"note_id": "PB-1"}, {"patient_id": "PZ"}])
def test_align_facts_needs_same_note_and_concept(change):
    assert C.align_facts([GOLD[3]], [dict(GOLD[3], **change)], "overlap") == []


def test_relevant_predictions_ignore_concepts_outside_annotation():
    pred = [dict(GOLD[0]), _fact("PA-1", NOTE_A, "radiotherapy", "man")]
    kept = C.relevant_predictions(pred, {"age"})
    assert [p["concept"] for p in kept] == ["age"]


@pytest.mark.parametrize("gold, pred, equal", [
    (112.0, 112.0, True),
    (112.0, 113.5, True),       # within 2 %
    (112.0, 11.2, False),       # g/dL not converted
    (62.0, "62", False),        # a word never equals a number
    ("negative", "Negative", True),
    ("negative", "positive", False),
    ("negative", None, False),
    (1, 1.0, True),
])
def test_values_equal(gold, pred, equal):
    assert C.values_equal(gold, pred) is equal


def test_value_accuracy_only_counts_gold_with_values():
    pred = [dict(g) for g in GOLD]
    pred[3] = dict(pred[3], value=11.2)          # Hb left in g/dL
    pairs = C.align_facts(GOLD, pred, "overlap")
    v = C.value_accuracy(GOLD, pred, pairs)
    assert (v["n"], v["correct"]) == (7, 6)      # the MI and nivolumab facts have no value
    assert v["per_concept"]["hemoglobin"]["accuracy"] == 0.0


def test_assertion_scores_per_flag():
    pred = [dict(g) for g in GOLD]
    pred[4] = dict(pred[4], negated=False)                 # missed negation on "MI"
    pred[6] = dict(pred[6], historical=True)               # current nivolumab called historical
    a = C.assertion_scores(GOLD, pred, C.align_facts(GOLD, pred, "overlap"))
    assert a["negated"]["recall"] == 0.0 and a["negated"]["accuracy"] == round(8 / 9, 4)
    assert (a["historical"]["tp"], a["historical"]["fp"]) == (1, 1)
    assert a["family"]["accuracy"] == 1.0
    assert a["all_flags_accuracy"] == round(7 / 9, 4)


# ----------------------------------------------------------------------------- verdicts


def test_score_verdicts_confusion_table_rows_are_gold():
    v = C.score_verdicts(GOLD_PATIENTS, [_result("PA", "eligible"), _result("PB", "eligible")])
    assert v["confusion"]["ineligible"]["eligible"] == 1
    assert v["confusion"]["eligible"]["eligible"] == 1
    assert v["false_eligible"] == 1 and v["eligible_precision"] == 0.5


def test_score_verdicts_precision_of_ineligible_and_status_accuracy():
    v = C.score_verdicts(GOLD_PATIENTS, [_result("PA", "ineligible", I1="not_met"), _result("PB", "ineligible")])
    assert v["ineligible_precision"] == 0.5 and v["status_accuracy"] == 0.5
    assert v["predicted_eligible"] == 0 and v["eligible_precision"] == 0.0


def test_score_verdicts_per_criterion_accuracy():
    v = C.score_verdicts(GOLD_PATIENTS, [_result("PA", "eligible"), _result("PB", "eligible")])
    assert v["criteria"]["I1"]["accuracy"] == 0.5
    assert v["criteria"]["E15"]["accuracy"] == 1.0
    assert v["criteria_overall"] == round(45 / 46, 4)


def test_score_verdicts_lists_wrong_cases_with_reason_and_evidence():
    v = C.score_verdicts(GOLD_PATIENTS, [_result("PA", "eligible"), _result("PB", "eligible")])
    i1 = [w for w in v["wrong"] if w["criterion"] == "I1"]
    assert i1 == [{"patient_id": "PA", "criterion": "I1", "gold": "not_met", "predicted": "met",
                   "reason": "reason for I1", "evidence": ["PA-1:0-2 '62'"]}]
    assert any(w["criterion"] == "status" and w["patient_id"] == "PA" for w in v["wrong"])


def test_score_verdicts_counts_missing_patient_as_wrong():
    v = C.score_verdicts(GOLD_PATIENTS, [_result("PB", "eligible")])
    assert v["confusion"]["ineligible"]["missing"] == 1
    assert v["criteria"]["I2"]["accuracy"] == 0.5


# ----------------------------------------------------------------------------- whole evaluation


def test_evaluate_with_injected_predictions(tiny):
    cohort = C.load_cohort(tiny)
    pred = [dict(g) for g in GOLD[:-1]] + [_fact("PB-2", NOTE_C, "hiv", "HIV Ab non-reactive", "negative"),
                                           _fact("PB-2", NOTE_C, "transfusion", "Labs")]
    out = C.evaluate(cohort, pred, [_result("PA", "ineligible", I1="not_met"), _result("PB", "eligible")])
    assert out["facts"]["n_pred"] == 9                         # the transfusion prediction is ignored
    assert out["facts"]["exact"]["overall"]["tp"] == 8
    assert out["facts"]["overlap"]["overall"]["f1"] == 1.0
    assert out["verdicts"]["status_accuracy"] == 1.0 and out["verdicts"]["wrong"] == []


def test_render_shows_confusion_and_precision(tiny):
    out = C.evaluate(C.load_cohort(tiny), GOLD, [_result("PA", "eligible"), _result("PB", "eligible")])
    text = C.render(out)
    assert "gold \\ predicted" in text and "false eligible: 1" in text and "PA I1: gold not_met, predicted met" in text


def test_run_reports_missing_pipeline_module(tiny, monkeypatch):
    monkeypatch.setitem(sys.modules, "pipeline.match.matcher", None)
    with pytest.raises(C.EvaluationError, match="pipeline.match.matcher"):
        C.run(tiny)


# ----------------------------------------------------------------------------- the shipped cohort


@pytest.fixture(scope="module")
def shipped():
    return C.load_cohort(SHIPPED)


def test_shipped_cohort_size(shipped):
    assert len({n.patient_id for n in shipped.notes}) >= 32 and len(shipped.notes) >= 85


def test_shipped_gold_text_equals_note_text_at_offsets(shipped):
    texts = {n.note_id: n.text for n in shipped.notes}
    bad = [g for g in shipped.gold_facts if texts[g["note_id"]][g["start"]:g["end"]] != g["text"]]
    assert bad == []


def test_shipped_gold_concepts_are_annotated_and_in_lexicon(shipped):
    lexicon = {e.concept for e in load_lexicon().entries}
    used = {g["concept"] for g in shipped.gold_facts}
    assert used <= shipped.concepts and shipped.concepts <= lexicon


def test_shipped_notes_csv_equals_jsonl():
    with open(SHIPPED / "notes.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    jsonl = [json.loads(line) for line in (SHIPPED / "notes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows == jsonl


def test_shipped_gold_status_follows_verdicts(shipped):
    for g in shipped.gold_patients:
        assert sorted(g["verdicts"]) == sorted([f"I{i}" for i in range(1, 9)] + [f"E{i}" for i in range(1, 16)])
        assert g["status"] == status_of_verdict_map(g["verdicts"]), g["patient_id"]


def test_assertion_scores_read_a_gold_flag_with_its_stated_meaning():
    """A gold whose `historical` means past-and-not-current is scored against `Fact.over`: a past-history list
    item (historical by its heading only) and a negated history are not over."""
    gold = [{"historical": False}, {"historical": False}, {"historical": True}]
    pred = [{"historical": True, "history_heading": True}, {"historical": True, "negated": True},
            {"historical": True}]
    pairs = [(0, 0), (1, 1), (2, 2)]
    assert C.assertion_scores(gold, pred, pairs, {"historical": "over"})["historical"]["accuracy"] == 1.0
    assert C.assertion_scores(gold, pred, pairs)["historical"]["fp"] == 2


def test_cohort_with_an_unknown_flag_meaning_is_a_coded_error(tmp_path):
    import shutil

    folder = tmp_path / "c"
    shutil.copytree(C.default_folder(), folder)
    ann = json.loads((folder / "annotation.json").read_text(encoding="utf-8"))
    ann["flag_meanings"] = {"historical": "resolved"}
    (folder / "annotation.json").write_text(json.dumps(ann), encoding="utf-8")
    with pytest.raises(C.EvaluationError, match=r"E030.*flag_meanings"):
        C.load_cohort(folder)
