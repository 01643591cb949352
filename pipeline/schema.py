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
from typing import Literal, Optional, Union

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
        fields = self.__dict__  # a record without offsets: no failed attribute lookup through pydantic
        start, end = fields.get("start"), fields.get("end")
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
    duration: Optional[Window] = None
    """How long the condition or exposure has lasted ("on a stable dose for at least 3 months" -> ">=" 3
    "month", anchor "duration"), as of the screening date; not a window before an anchor."""
    attributes: dict[str, str] = Field(default_factory=dict)
    """Qualifiers the matcher may use, e.g. ``{"method": "IHC"}`` or ``{"scale": "ECOG"}``; ``role``:
    "carve_out" (an item the criterion excepts; it sits under NOT in an exclusion's tree) or "condition"
    (the condition of an alternative threshold); ``qualifiers``: comma-separated words the condition must
    carry ("symptomatic,untreated"); ``cohort``: the cohort/arm/part/phase the constraint applies to;
    ``lexicon_concept``: the lexicon concept of a carved phrase kept as open vocabulary; ``stable_dose``: "true" when
    the duration is one on a stable dose, counted from the last change of the daily dose."""
    open_vocabulary: bool = False
    """True when the concept is not in the lexicon: ``concept`` is then the phrase itself."""
    spans: dict[str, tuple[int, int]] = Field(default_factory=dict)
    """Sub-spans into the listing text by role: "concept", "value", "window", "negation", "comparator"."""
    context: Optional["ConstraintContext"] = None
    """What the criterion's words around the constraint ask (decided when the listing is parsed)."""


CONVENTIONAL_LIMIT = "conventional"
"""``Constraint.attributes["limit"]`` when the listing states no limit and the usual one is read instead
("Adequate organ function"): a value inside it meets the constraint, one outside it is left to review."""


class ConstraintContext(Record):
    """What the criterion's wording asks of a constraint, beyond its concept and value."""

    current: bool = False
    """The criterion asks about the present ("currently receiving", "active")."""
    history: bool = False
    """The clause asks about any past episode ("a history of active tuberculosis")."""
    purpose: bool = False
    """The constraint names what a sample or test is for ("tissue ... for detection of PD-L1"), not a condition."""
    treated_for: bool = False
    """The condition is what a therapy the criterion names is for ("therapy for varices or ascites"): without it
    there was no such therapy, with it the therapy is still to be checked."""
    prediction: bool = False
    """A lab criterion asking for a predicted value ("FEV1 > 800 ml expected post-surgery")."""
    qualifier_groups: list[str] = Field(default_factory=list)
    """Qualifier groups (``models/rules/qualifiers.json``) the criterion puts on this condition."""
    target: bool = False
    """The constraint names the trial's own target condition."""
    planned: bool = False
    """The criterion asks for a planned treatment ('who plan to treat with', 'scheduled to receive'): a
    documented plan meets it."""
    narrowed_by: Optional[str] = None
    """Criterion words right before the concept that narrow it ('bowel' in 'bowel resection' read as
    surgery): a documented broader concept is then no firm evidence against the patient."""


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
    target_concepts: list[str] = Field(default_factory=list)
    """The trial's index condition(s) as lexicon concepts (from its conditions, title and inclusion criteria):
    never "another malignancy" of the patient."""
    target_sites: list[str] = Field(default_factory=list)
    """Organ sites of the index condition ("lung"): a cancer of that site is the patient's own, not another."""
    target_phrases: list[str] = Field(default_factory=list)
    """The trial's conditions as written, for the pre-screening search when no concept matches them."""
    trial_drugs: list[str] = Field(default_factory=list)
    """The trial's own drugs (lexicon concepts named in its title): named in a screening or consent note, they
    are not prior exposure."""


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


class Reading(Record):
    """How a value was written, and what its report says about it (decided at extraction)."""

    raw_value: Optional[str] = None
    raw_unit: Optional[str] = None
    ref_low: Optional[float] = None
    ref_high: Optional[float] = None
    uln: Optional[float] = None
    """Upper limit of normal stated with the value (its reference range)."""
    scale: Optional[str] = None
    """The scale a score was given on (``ECOG``, ``Karnofsky``)."""
    ecog: Optional[float] = None
    """The ECOG equivalent of a Karnofsky score."""
    range_high: Optional[float] = None
    """The upper end of a range written as the value ("ECOG 0-1")."""
    comparator: Optional[str] = None
    """A comparator written with the value ("> 12 weeks", "< 20 IU/mL")."""
    percent: bool = False
    unit_inferred: bool = False
    paired: bool = False
    """Read from a slash group ("AST/ALT 30/28")."""
    second_value: Optional[float] = None
    """The second number of a value written as a pair ('BP 130/78': 78, the diastolic)."""
    percent_predicted: Optional[float] = None
    """The value as a percentage of the predicted normal, written beside it ('FEV1 1.12 L (41% predicted)')."""
    timepoint: Optional[Literal["current", "prior"]] = None
    """For a size in a sentence giving both, whether it is the current or the earlier one."""
    prior_value: bool = False
    """An earlier measurement quoted for comparison right before the value ("previously 2.4 cm")."""
    non_target: bool = False
    """The value's clause says it is not a target (a cyst, a specimen, a fragment)."""
    predicted: bool = False
    """A predicted value ("ppoFEV1", "expected post-surgery"), not a measured one."""
    undetectable: bool = False
    """A negated viral load whose words say it was not detected (a value of 0)."""


TherapyState = Literal["current", "past", "planned", "stopped", "unclear"]


class Therapy(Record):
    """What a drug or procedure mention says about its administration, as of the note's date."""

    state: TherapyState = "unclear"
    reason: str = ""
    """The cue that decided ``state`` ("stopped", "C3D1 today", "plan to start")."""
    start_date: Optional[dt.date] = None
    last_dose_date: Optional[dt.date] = None
    """A stated last dose, stop or end date."""
    cycles: Optional[float] = None
    response: Optional[str] = None
    """Response on this therapy (progression, stable, partial_response, complete_response)."""
    sentence_dated_before: Optional[dt.date] = None
    """The latest date written in the mention's sentence, when every date there precedes the note."""
    route: Optional[Literal["local"]] = None
    """'local' when the clause makes it a local treatment (a cream, an inhaler, eye drops), not a systemic one."""


class QualifierCue(Record):
    """A word near a condition mention that supports or contradicts a criterion qualifier group
    (``models/rules/qualifiers.json``): 'uncontrolled' for ``qualifier.control``, 'resolved' for
    ``qualifier.active``. ``scope``: ``context`` = the mention's own stretch of its sentence,
    ``after`` = after the mention to the sentence end, ``sentence`` = the whole sentence."""

    group: str
    polarity: Literal["supports", "contradicts"]
    scope: Literal["context", "after", "sentence"]
    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


Statement = Literal["section_heading", "off_therapy", "note_title"]


class Fact(Record):
    """One mention in a note and everything extraction decided about it.

    The matcher reads these records only: whatever depends on the note's words (tense, plans, dates of
    events, test methods, qualifiers, copy-forward) is decided here, once."""

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
    """ConText's temporality: the mention is about the past (a history-of cue, an old date, a line of therapy that
    is over, a past-history heading), whether or not it is negated."""
    history_heading: bool = False
    """Historical only because it is listed under a past-history heading (PMH, problem list): such lists hold
    ongoing chronic conditions too, so the condition is not known to be over (``over``)."""
    hypothetical: bool = False
    family: bool = False
    uncertain: bool = False
    note_date: Optional[dt.date] = None
    classes: list[str] = Field(default_factory=list)
    """Lexicon classes of the concept, e.g. ``["anti_pd1", "immunotherapy"]`` for nivolumab."""
    cues: list[Cue] = Field(default_factory=list)
    statement: Optional[Statement] = None
    """A note-level statement rather than a concept mention: a section heading (``value`` = its category),
    a clinician statement that no anticancer therapy is given now, or the note's title line."""
    event_date: Optional[dt.date] = None
    """When the event happened, when the text states it: a last dose, a date next to the mention, "3 years ago"."""
    method: Optional[str] = None
    """Test method of a result (IHC, ISH, PCR...)."""
    site: Optional[str] = None
    on_therapy: list[str] = Field(default_factory=list)
    """For progression: the therapies it happened on or after."""
    planned: bool = False
    """A drug named in a plan, a referral, an option or a trial being discussed: not an exposure."""
    birth_date: Optional[dt.date] = None
    reading: Optional[Reading] = None
    therapy: Optional[Therapy] = None
    qualifier_cues: list[QualifierCue] = Field(default_factory=list)
    sentence_key: str = ""
    """The normalised text of the mention's sentence (copy-forward detection across notes)."""

    @property
    def affirmed(self) -> bool:
        return not (self.negated or self.hypothetical or self.family or self.uncertain)

    @property
    def over(self) -> bool:
        """The event or condition happened and is in the past, not known to continue: historical by a cue, a date
        or a therapy's tense, not merely by its place in a past-history list, and not negated."""
        return is_over(self.historical, self.history_heading, self.negated)


def is_over(historical: bool, history_heading: bool, negated: bool) -> bool:
    """``Fact.over`` from the three flags (also for facts read back as plain JSON records)."""
    return historical and not history_heading and not negated


class NoteMeta(Record):
    """A note without its text: what matching needs to know about a note."""

    patient_id: str = Field(min_length=1)
    note_id: str = Field(min_length=1)
    date: dt.date
    note_type: str = ""

    @classmethod
    def of(cls, note: "Note | NoteMeta") -> "NoteMeta":
        return cls(patient_id=note.patient_id, note_id=note.note_id, date=note.date, note_type=note.note_type)


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
    verbatim: bool = False
    """A phrase-search hit that writes every content word of the phrase (two or more) in a stretch not much longer
    than the phrase: the notes state what was searched, not just something like it."""


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
Constraint.model_rebuild()

SCHEMAS: dict[str, type[Record]] = {
    "trial_criteria": TrialCriteria,
    "criterion": Criterion,
    "constraint": Constraint,
    "note": Note,
    "note_meta": NoteMeta,
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
