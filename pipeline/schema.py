"""The data model: validated, frozen records that cross module boundaries.

Every record is JSON-serialisable (``record.model_dump(mode="json")``) and has a JSON Schema
(``python -m pipeline.schema docs/schema`` writes them). Every piece of evidence holds character
offsets into the original, unmodified text so that ``text[start:end] == quote``.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

Kind = Literal["inclusion", "exclusion"]
Comparator = Literal[">=", ">", "<=", "<", "==", "between", "present", "absent"]
RelativeTo = Optional[Literal["ULN", "LLN"]]
VerdictValue = Literal["met", "not_met", "unknown", "not_computable"]
Status = Literal["eligible", "needs_review", "ineligible"]
Category = Literal[
    "demographic",
    "diagnosis",
    "disease_status",
    "prior_therapy",
    "performance_status",
    "laboratory",
    "comorbidity",
    "infection",
    "reproductive",
    "consent_administrative",
    "investigator_judgement",
    "other",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]


class Record(BaseModel):
    """Base: frozen, rejects unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="after")
    def _offsets_ordered(self) -> "Record":
        start, end = getattr(self, "start", None), getattr(self, "end", None)
        if isinstance(start, int) and isinstance(end, int) and end < start:
            raise ValueError(f"end {end} < start {start}")
        return self

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=False)


class Span(Record):
    """A quoted span: ``source_text[start:end] == text``."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


# ----------------------------------------------------------------------------- criteria


class Window(Record):
    """A time window: e.g. ``within 4 weeks prior to the first dose`` ->
    comparator "<=", value 4, unit "week", anchor "first_dose"."""

    comparator: Comparator
    value: float
    unit: Literal["day", "week", "month", "year"]
    anchor: str = "as_of"


class Constraint(Record):
    id: str
    concept: str
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    negated: bool = False
    comparator: Comparator = "present"
    value: Union[float, str, None] = None
    value_high: Optional[float] = None
    unit: Optional[str] = None
    relative_to: RelativeTo = None
    window: Optional[Window] = None
    attributes: dict[str, str] = Field(default_factory=dict)
    """Qualifiers the matcher may use, e.g. ``{"method": "IHC"}`` or ``{"scale": "ECOG"}``."""
    open_vocabulary: bool = False
    """True when the concept is not in the lexicon: ``concept`` is then the phrase itself."""
    spans: dict[str, tuple[int, int]] = Field(default_factory=dict)
    """Sub-spans into the listing text by role: "concept", "value", "window", "negation", "comparator"."""


class LogicNode(Record):
    op: Literal["and", "or", "not"]
    args: list[Union[str, "LogicNode"]]


class Criterion(Record):
    id: str
    kind: Kind
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    computable: bool
    category: Category
    logic: Optional[LogicNode] = None
    constraints: list[Constraint] = Field(default_factory=list)
    reason: Optional[str] = None
    """Why the criterion is not computable (or other caveats), one line."""


class TrialCriteria(Record):
    trial_id: str
    source: str
    title: Optional[str] = None
    conditions: list[str] = Field(default_factory=list)
    """The conditions the trial is for, as its record lists them (empty for plain criteria text)."""
    text: str
    min_age: Optional[float] = None
    max_age: Optional[float] = None
    sex: Literal["all", "female", "male"] = "all"
    criteria: list[Criterion] = Field(default_factory=list)


# ----------------------------------------------------------------------------- notes & facts


class Note(Record):
    patient_id: str = Field(min_length=1)
    note_id: str = Field(min_length=1)
    date: dt.date
    note_type: str = ""
    text: str = Field(min_length=1)


class Cue(Record):
    """The ConText (or result-polarity) cue that decided a fact's assertion."""

    category: str
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Fact(Record):
    patient_id: str
    note_id: str
    date: Optional[dt.date] = None
    """The date the fact applies to: the note's date unless the text gives another."""
    concept: str
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    section: Optional[str] = None
    value: Union[float, str, None] = None
    unit: Optional[str] = None
    negated: bool = False
    historical: bool = False
    hypothetical: bool = False
    family: bool = False
    uncertain: bool = False
    note_date: Optional[dt.date] = None
    classes: list[str] = Field(default_factory=list)
    """Lexicon classes of the concept, e.g. ``["anti_pd1", "immunotherapy"]`` for nivolumab."""
    attributes: dict[str, Any] = Field(default_factory=dict)
    """Extra structured detail: method (IHC/ISH/PCR), ref_low/ref_high/uln, raw_value/raw_unit,
    cycles, response, start_date, last_dose_date, site, scale."""
    cues: list[Cue] = Field(default_factory=list)

    @property
    def affirmed(self) -> bool:
        return not (self.negated or self.hypothetical or self.family or self.uncertain)


# ----------------------------------------------------------------------------- matching


class Evidence(Record):
    source_id: str
    """The note id (or listing path) the offsets refer to."""
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    section: Optional[str] = None
    date: Optional[dt.date] = None
    concept: Optional[str] = None
    value: Union[float, str, None] = None
    unit: Optional[str] = None
    assertion: Optional[str] = None
    """affirmed | negated | historical | hypothetical | family | uncertain"""
    cue: Optional[Cue] = None


class CriterionVerdict(Record):
    criterion_id: str
    kind: Kind
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    verdict: VerdictValue
    evidence: list[Evidence] = Field(default_factory=list)
    reason: str = ""


class PatientResult(Record):
    patient_id: str
    status: Status
    score: float
    rank: int = 0
    criteria: list[CriterionVerdict] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)
    """Why the patient is ranked where they are (one line each)."""


class Problem(Record):
    """A skipped input record, reported at the end of a run."""

    path: str
    record: Optional[str] = None
    field: Optional[str] = None
    code: str
    message: str


LogicNode.model_rebuild()

SCHEMAS: dict[str, type[Record]] = {
    "trial_criteria": TrialCriteria,
    "criterion": Criterion,
    "constraint": Constraint,
    "note": Note,
    "fact": Fact,
    "evidence": Evidence,
    "criterion_verdict": CriterionVerdict,
    "patient_result": PatientResult,
    "problem": Problem,
}


def write_schemas(folder: Path) -> list[Path]:
    """Write one JSON Schema per record type into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, model in SCHEMAS.items():
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(model.model_json_schema(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":  # pragma: no cover
    for p in write_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schema")):
        print(p)
