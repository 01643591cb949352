"""`trialsieve train`: weak labels from Chia annotations, split by trial, model + card written."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract.computability import MODEL_FILE, load_model_file, predict
from pipeline.io.brat import parse_ann
from pipeline.schema import CATEGORIES
from pipeline.train import (
    document_examples,
    is_held_out,
    label_line,
    read_label_rules,
    train_computability,
)
from pipeline.resources import models_path

SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "chia_sample"


@pytest.fixture(scope="module")
def rules():
    return read_label_rules(models_path("computability", "label_rules.jsonl"))


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("model")
    return out, train_computability(SAMPLE, out)


def test_label_rules_file_is_valid_and_uses_schema_categories(rules):
    assert all(r.rule.category in CATEGORIES for r in rules if r.rule.category)


@pytest.mark.parametrize(
    "line, kind, ents, expected",
    [
        ("Signed informed consent", "inclusion", [("Informed_consent", "Signed informed consent")], ("consent_administrative", False)),
        ("Pregnant women", "exclusion", [("Condition", "Pregnant"), ("Pregnancy_considerations", "Pregnant women")], ("reproductive", True)),
        ("Hemoglobin > 9 g/dL", "inclusion", [("Measurement", "Hemoglobin"), ("Value", "> 9 g/dL")], ("laboratory", True)),
        ("Age >= 18 years", "inclusion", [("Person", "Age"), ("Value", ">= 18 years")], ("demographic", True)),
        ("History of stroke", "exclusion", [("Condition", "stroke")], ("comorbidity", True)),
        ("Clinically significant illness", "exclusion", [("Condition", "illness"), ("Subjective_judgement", "Clinically significant")], ("investigator_judgement", False)),
        ("Prior treatment with cisplatin", "exclusion", [("Drug", "cisplatin")], ("prior_therapy", True)),
        ("Able to walk", "inclusion", [("Observation", "walk")], ("other", True)),
    ],
)
def test_label_line_applies_the_first_matching_rule(rules, line, kind, ents, expected):
    assert label_line(line, kind, ents, rules)[:2] == expected


def test_document_examples_make_one_example_per_annotated_line(rules):
    text = "Age >= 18\r\n\r\nnothing annotated here\r\nSigned consent"
    doc = parse_ann("T1\tPerson 0 3\tAge\nT2\tInformed_consent 36 50\tSigned consent\n", text, Path("NCT9_inc.txt"))
    ex = document_examples(doc, rules)
    assert [(x.trial_id, x.kind, x.text, x.computable) for x in ex] == [
        ("NCT9", "inclusion", "Age >= 18", True), ("NCT9", "inclusion", "Signed consent", False)]


def test_is_held_out_is_stable_and_holds_out_about_a_fifth():
    ids = [f"NCT{n:08d}" for n in range(2000)]
    share = sum(map(is_held_out, ids)) / len(ids)
    assert 0.15 < share < 0.25 and [is_held_out(i) for i in ids[:50]] == [is_held_out(i) for i in ids[:50]]


def test_train_writes_model_card_and_scores(trained):
    out, report = trained
    assert (out / MODEL_FILE).stat().st_size < 5_000_000
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Held-out scores" in card and "macro-F1" in report


def test_train_holds_out_whole_trials(trained):
    out, _ = trained
    meta = load_model_file(out / MODEL_FILE)["meta"]
    assert meta["n_test_trials"] > 0 and meta["n_train_trials"] + meta["n_test_trials"] == meta["n_trials"]


def test_trained_model_round_trips_to_predictions(trained):
    out, _ = trained
    [(category, computable, confidence)] = predict(["Hemoglobin >= 9 g/dL"], load_model_file(out / MODEL_FILE))
    assert category in CATEGORIES and isinstance(computable, bool) and 0 < confidence <= 1
