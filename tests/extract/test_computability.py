"""Criterion category and computability with the packaged model."""
from __future__ import annotations

import json

import pytest

from pipeline.errors import ModelDataError
from pipeline.extract.computability import classify, classify_many, feature_text, read_override_rules
from pipeline.resources import models_path
from pipeline.schema import CATEGORIES


@pytest.mark.parametrize(
    "text",
    [
        "Any condition that, in the judgment of the investigator, would interfere with study participation",
        "Patients considered unsuitable for participation by the treating physician",
        "Other serious illness which in the opinion of the investigator makes the patient a poor candidate for the trial",
        "At the discretion of the principal investigator",
        "Coronary artery disease deemed to be significant by the study physician",
        "In the opinion of the attending clinician requires dual anti-platelet therapy",
        "Severe depression (as determined per clinician judgment)",
    ],
)
def test_classify_flags_investigator_judgement_as_not_computable(text):
    category, computable, _ = classify(text)
    assert (category, computable) == ("investigator_judgement", False)


@pytest.mark.parametrize(
    "text, category",
    [
        ("hemoglobin >= 9 g/dL", "laboratory"),
        ("Absolute neutrophil count >= 1.5 x 10^9/L", "laboratory"),
        ("Age 18 years or older", "demographic"),
        ("ECOG performance status of 0 or 1", "performance_status"),
        ("Pregnant or breastfeeding women", "reproductive"),
        ("Known HIV infection", "infection"),
    ],
)
def test_classify_finds_category_of_clear_computable_criteria(text, category):
    got, computable, confidence = classify(text)
    assert (got, computable) == (category, True) and 0 < confidence <= 1


@pytest.mark.parametrize("text", ["Arthritis (physician-diagnosed)", "Physician diagnosis of chronic heart failure"])
def test_classify_does_not_take_physician_diagnosis_for_judgement(text):
    assert classify(text)[1] is True


def test_classify_marks_informed_consent_not_computable():
    assert classify("Signed written informed consent")[:2] == ("consent_administrative", False)


def test_classify_many_agrees_with_classify():
    texts = ["hemoglobin >= 9 g/dL", "in the opinion of the investigator unsuitable for the study"]
    assert classify_many(texts) == [classify(t) for t in texts]


def test_feature_text_appends_lexicon_categories():
    assert "lexcat_laboratory" in feature_text("hemoglobin >= 9 g/dL").split()


def test_override_rules_file_is_valid():
    rules = read_override_rules(models_path("computability", "override_rules.jsonl"))
    assert rules and all(r.rule.category in CATEGORIES for r in rules)


def test_read_override_rules_rejects_unknown_keys(tmp_path):
    bad = tmp_path / "rules.jsonl"
    bad.write_text(json.dumps({"id": "override.x", "pattern": "x", "category": "other", "computable": False, "typo": 1}) + "\n")
    with pytest.raises(ModelDataError, match="E020"):
        read_override_rules(bad)
