"""The data model: validation, JSON round trips and the published JSON Schemas."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from pipeline.schema import (
    SCHEMAS,
    Constraint,
    Criterion,
    Fact,
    LogicNode,
    Note,
    PatientResult,
    TrialCriteria,
    Window,
    write_schemas,
)

ROOT = Path(__file__).resolve().parent.parent


def _trial() -> TrialCriteria:
    text = "Inclusion Criteria:\n* Hemoglobin >= 100 g/L within 2 weeks"
    start = text.index("Hemoglobin")
    c = Constraint(id="I1.c1", concept="hemoglobin", text="Hemoglobin >= 100 g/L", start=start, end=start + 21,
                   comparator=">=", value=100.0, unit="g/L", window=Window(comparator="<=", value=2, unit="week", anchor="first_dose"))
    crit = Criterion(id="I1", kind="inclusion", text=text[start:], start=start, end=len(text), computable=True,
                     category="laboratory", logic=LogicNode(op="and", args=["I1.c1"]), constraints=[c])
    return TrialCriteria(trial_id="T", source="x.txt", text=text, criteria=[crit])


def test_trial_criteria_round_trips_through_json():
    trial = _trial()
    again = TrialCriteria.model_validate(json.loads(trial.to_json()))
    assert again == trial


def test_logic_node_nests():
    node = LogicNode(op="or", args=["a", LogicNode(op="not", args=["b"])])
    assert LogicNode.model_validate(json.loads(node.model_dump_json())) == node


@pytest.mark.parametrize("field,value", [("kind", "maybe"), ("category", "astrology"), ("unknown_key", 1)])
def test_criterion_rejects_bad_values(field, value):
    data = _trial().criteria[0].model_dump()
    data[field] = value
    with pytest.raises(ValidationError):
        Criterion.model_validate(data)


def test_constraint_rejects_unknown_comparator():
    with pytest.raises(ValidationError):
        Constraint(id="c", concept="x", text="x", start=0, end=1, comparator="~")


def test_span_end_before_start_is_rejected():
    with pytest.raises(ValidationError):
        Fact(patient_id="p", note_id="n", concept="hiv", text="", start=5, end=2)


def test_note_requires_text_and_parses_iso_date():
    note = Note(patient_id="p", note_id="n", date="2025-01-02", text="x")
    assert note.date == dt.date(2025, 1, 2)
    with pytest.raises(ValidationError):
        Note(patient_id="p", note_id="n", date="2025-01-02", text="")


def test_fact_affirmed_reflects_assertion_flags():
    base = dict(patient_id="p", note_id="n", concept="hiv", text="HIV", start=0, end=3)
    assert Fact(**base).affirmed
    assert not Fact(**base, negated=True).affirmed
    assert not Fact(**base, family=True).affirmed
    assert Fact(**base, historical=True).affirmed


def test_records_are_frozen():
    result = PatientResult(patient_id="p", status="eligible", score=1.0)
    with pytest.raises(ValidationError):
        result.status = "ineligible"  # type: ignore[misc]


def test_published_schemas_are_current(tmp_path):
    """docs/schema/ must match the models; regenerate with `python -m pipeline.schema docs/schema`."""
    write_schemas(tmp_path)
    for name in SCHEMAS:
        published = ROOT / "docs" / "schema" / f"{name}.schema.json"
        assert published.read_text(encoding="utf-8") == (tmp_path / published.name).read_text(encoding="utf-8"), name
