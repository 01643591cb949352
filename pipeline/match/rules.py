"""The matcher's data: absence policy, default reference ranges, review costs, surrogates, thresholds.

Each file lives in ``models/rules/`` and is validated at load time (unknown keys are rejected) so a
typo fails early with a coded error naming the file.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..resources import models_path
from ..rulefile import read_json

PSEUDO_CONCEPTS = ("target_condition",)
"""Concepts the matcher names itself (not in the lexicon): ``target_condition`` = a record's condition not named in
the notes (review cost ``unlikely``)."""


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RuleOut(_Rule):
    concept: str
    value: Literal["positive", "negative", "affirmed"]
    """The result that rules the item out, or ``affirmed``: any affirmed fact of ``concept`` does."""


class AbsenceRule(_Rule):
    id: str
    concepts: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    silence: Literal["unknown", "absent_if_covered", "investigator"]
    sections: tuple[str, ...] = ()
    note_types: tuple[str, ...] = ()
    covered_by_concepts: tuple[str, ...] = ()
    ruled_out_by: tuple[RuleOut, ...] = ()
    only_when_absence_required: bool = False
    even_when_documented: bool = False
    not_for_sex: tuple[str, ...] = ()
    """Patients of this documented sex cannot have the item (pregnancy for men): silence is then absence."""
    not_from_age: float | None = None
    """Patients documented at or above this age are taken not to have it (pregnancy at 55 or over)."""
    present_for_sex: tuple[str, ...] = ()
    present_from_age: float | None = None
    """Patients of a ``present_for_sex`` sex documented at or above this age are in the state the notes never
    name (a woman aged 60 or over is postmenopausal, the NCCN definition): silence is then presence."""
    unless_documented: tuple[str, ...] = ()
    """Concepts whose documentation keeps silence unknown (heart failure documented, its NYHA class not)."""
    only_in_exclusions: bool = False
    """The rule applies to an exclusion's condition that is not the trial's own (another cancer, as a
    comorbidity); the same concept asked by an inclusion, or as the trial's target, falls through."""
    why: str

    def matches(self, concept: str, kind: str | None, category: str | None) -> bool:
        if not (self.concepts or self.kinds or self.categories):
            return True
        return concept in self.concepts or (kind in self.kinds) or (category in self.categories)


class AbsencePolicy(_Rule):
    rules: tuple[AbsenceRule, ...] = Field(min_length=1)

    def rule_for(self, concept: str, kind: str | None, category: str | None, *, absence_required: bool = False,
                 other_condition_excluded: bool = False) -> AbsenceRule:
        for rule in self.rules:
            if rule.only_when_absence_required and not absence_required:
                continue
            if rule.only_in_exclusions and not other_condition_excluded:
                continue
            if rule.matches(concept, kind, category):
                return rule
        return self.rules[-1]


class RefRange(_Rule):
    uln: float | None = None
    lln: float | None = None
    unit: str
    source: str


class UlnDefaults(_Rule):
    defaults: dict[str, RefRange]


class CostEntry(_Rule):
    what: str
    cost: str


class ReviewCost(_Rule):
    levels: dict[str, float]
    by_concept: dict[str, CostEntry] = Field(default_factory=dict)
    by_kind: dict[str, CostEntry] = Field(default_factory=dict)
    by_category: dict[str, CostEntry] = Field(default_factory=dict)
    default: CostEntry

    def entry(self, concept: str | None, kind: str | None, category: str | None) -> CostEntry:
        for table, key in ((self.by_concept, concept), (self.by_kind, kind), (self.by_category, category)):
            if key and key in table:
                return table[key]
        return self.default

    def weight(self, entry: CostEntry) -> float:
        return self.levels.get(entry.cost, max(self.levels.values()))


class Surrogate(_Rule):
    id: str
    target: str
    source: str
    method: str | None = None
    values: dict[str, str] = Field(default_factory=dict)
    value_attribute: str | None = None
    ranges: tuple[tuple[float, float, float], ...] = ()
    """(low, high, target value): a source value in [low, high] maps to the target value."""


class Surrogates(_Rule):
    surrogates: tuple[Surrogate, ...] = ()
    method_aliases: dict[str, str] = Field(default_factory=dict)
    """Regex of a method word next to a result -> method code (when the fact has no ``method``)."""

    def for_target(self, concept: str) -> list[Surrogate]:
        return [s for s in self.surrogates if s.target == concept]


class MatchSettings(_Rule):
    fuzzy_threshold: float = Field(ge=0, le=100)
    open_vocab_min_chars: int = Field(ge=1)
    own_condition_episode_gap_days: int = Field(ge=1)
    contradiction_days: int = Field(ge=0)
    context_values: int = Field(ge=0)
    current_days: int = Field(ge=0)
    current_pattern: str
    exclusion_current_pattern: str = r"(?!x)x"
    """Read when a listing is parsed (``extract/criteria_context.py``), not by the matcher."""
    recent_event_days: int = Field(ge=0)
    any_value_concepts: tuple[str, ...] = ()
    other_disease_concepts: dict[str, str] = Field(default_factory=dict)
    """Criterion concepts that mean a disease other than the trial's own -> the class they range over
    (``other_malignancy`` -> ``malignancy``); facts of the trial's index condition never count for them."""
    too_broad_classes: tuple[str, ...] = ()
    """Classes too broad for a bare mention of them to stand for one member ('infection' is no hepatitis B)."""
    generic_disease_concepts: tuple[str, ...] = ()
    """Generic names of a class (``malignancy``, ``carcinoma``) that do not name another disease by themselves."""
    qualifiers_met_by_mention: tuple[str, ...] = ()
    """Criterion qualifiers an affirmed mention satisfies by itself ("confirmed", "documented"): a diagnosis the
    notes state is one that was confirmed; a possible or suspected one is not affirmed."""
    prescreen_absent_target_is_firm: bool = False
    """A trial's (lexicon) target condition found nowhere in a record: not met (True) or review, ranked last among
    those to review (False). Notes that describe a condition without naming it make True cost eligible patients."""
    lasting_state_concepts: tuple[str, ...] = ()
    lasting_status_codes: tuple[str, ...] = ()
    """ICD-10-CM code prefixes of a lasting status ('Z90.710' acquired absence of the uterus): a procedure with
    such a code, once done, is the present state ('s/p hysterectomy 2009' is no child-bearing potential now)."""
    systemic_classes: tuple[str, ...] = ()
    """Drug classes a listing means systemically when it names no route ('immunosuppressive drugs'): a cream or an
    inhaler of one of their members is not taken as one."""
    ongoing_words: tuple[str, ...] = ()
    """Qualifier words (as extraction recorded them) saying a state still holds when its note is written
    ('currently enrolled in a study (randomised 06/2026)'): a window then needs it to have ended."""
    transient_state_days: dict[str, int] = {}
    advancing_measures: dict[str, float] = {}
    """Measures that grow with time, one unit per this many days (a gestational age: 7): the value on the
    screening date is the latest one written plus the time since its date."""
    inclusion_narrowing_words: tuple[str, ...] = ()
    """Words that narrow an inclusion's condition to a period or form the broad mention does not show ('second
    trimester pregnancy'): the condition documented without them is no firm evidence the inclusion is met."""
    bare_equals_sides: dict[str, Literal["floor", "ceiling"]] = Field(default_factory=dict)
    """Measures without a reference range -> the side an inclusion keeps when a listing writes a bare '='
    ('measurable lesions (=10mm)' is a floor: >= 10 mm)."""
    object_concepts: tuple[str, ...] = ()
    """Conditions named with their object ('hypersensitivity to X'): an object the notes never name clears it."""
    reaction_sections: tuple[str, ...] = ()
    """Note sections where a drug named is what a reaction is to ('Allergies: aspirin')."""
    """States that last once reached (postmenopausal): an affirmed mention is the present state, so no word
    saying it is active is needed when the criterion asks about the present."""
    trial_note_types: str = r"(?!x)x"
    """Note types (regex) of screening, consent or research notes: the trial's own drugs named there are
    not exposure."""


def _load(name: str, model: type[_Rule], path: Path | None = None) -> _Rule:
    return read_json(path or models_path("rules", name), model)


@lru_cache(maxsize=1)
def absence_policy() -> AbsencePolicy:
    return _load("absence_policy.json", AbsencePolicy)  # type: ignore[return-value]


class LabRange(_Rule):
    low: float
    high: float
    unit: str


class LabRanges(_Rule):
    ranges: dict[str, LabRange]


@lru_cache(maxsize=1)
def lab_ranges() -> LabRanges:
    """What each lab can measure (``models/rules/lab_ranges.json``): a threshold outside is a listing mistake."""
    return _load("lab_ranges.json", LabRanges)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def uln_defaults() -> UlnDefaults:
    return _load("uln_defaults.json", UlnDefaults)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def review_cost() -> ReviewCost:
    return _load("review_cost.json", ReviewCost)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def surrogates() -> Surrogates:
    return _load("surrogates.json", Surrogates)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def settings() -> MatchSettings:
    return _load("match_settings.json", MatchSettings)  # type: ignore[return-value]


class OrdinalValues(_Rule):
    scales: dict[str, dict[str, float]]
    stage_levels: dict[str, float] = Field(default_factory=dict)
    """Concepts that state a cancer stage group -> its level (``stage_iv`` -> 4; a metastatic disease is 4)."""
    stage_scales: dict[str, str] = Field(default_factory=dict)
    """Diseases with a staging scale of their own -> the scale's concept (``copd`` -> ``gold_stage``)."""
    undetectable_when_negated: tuple[str, ...] = ()
    """Viral loads: a negated mention whose cue says 'not detected' is a value of 0."""

    def number(self, concept: str, word: str) -> float | None:
        return self.scales.get(concept, {}).get(word.lower().replace(" ", ""))


@lru_cache(maxsize=1)
def ordinal_values() -> OrdinalValues:
    return _load("ordinal_values.json", OrdinalValues)  # type: ignore[return-value]
