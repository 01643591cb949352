"""The note-side rules (``models/rules/note_context.json``, validated at load) and the qualifier words
(``models/rules/qualifiers.json``) that extraction reads to decide each fact's context."""
from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..resources import models_path
from ..rule_schemas import QualifierWords
from ..rulefile import read_json


class NotationValue(BaseModel):
    """A measure written in a notation of its own: patterns with a group ``value`` (whole units) and an optional
    group ``part`` (``parts`` of them make a whole: 7 days a week)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    patterns: tuple[str, ...]
    parts: int = Field(ge=1)
    low: float
    high: float
    """The plausible range of the value; a number outside it is no such measure."""


class NoteContextRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    copy_forward_min_chars: int = Field(ge=0)
    plan_pattern: str
    continuation_pattern: str = r"(?!x)x"
    """A drug the plan says to continue is taken now, whatever the plan's other words ('recommend continuing')."""
    family_pattern: str
    ongoing_pattern: str
    other_therapy_pattern: str
    ongoing_lead_pattern: str
    dosing_after_pattern: str = r"(?!x)x"
    """A dose and frequency right after a drug: a medication-list line, taken now."""
    stopped_pattern: str
    past_therapy_pattern: str
    off_therapy_pattern: str
    unconfirmed_pattern: str
    prior_value_pattern: str
    non_target_pattern: str
    prediction_pattern: str
    birth_words: tuple[str, ...] = Field(min_length=1)
    age_at_event_pattern: str
    dose_pattern: str = r"(?!x)x"
    """A dose right after a drug's name: groups 'amount', 'unit', optional 'per' (per day)."""
    dose_frequencies: dict[str, float] = Field(default_factory=dict)
    """Frequency words -> doses a day (0: weekly, the dose counted as written)."""
    as_needed_pattern: str = r"(?!x)x"
    """Words after a dose that make it taken only when needed."""
    listed_negative_pattern: str = r"(?!x)x"
    """After a condition, other tests and one negative result for all ('hepatitis B/C and HIV negative')."""
    other_person_age_pattern: str = r"(?!x)x"
    """Words right before an age or a 'born' date that make it someone else's ('youngest born 02/2026')."""
    undetectable_pattern: str
    positive_in_name_pattern: str
    """A result mention whose own words state the finding ('EGFR-mutant', 'KRAS G12C', 'HER2-amplified')."""
    value_method_pattern: str = r"(?!x)x"
    """A method or equation named between a lab and its value ('eGFR CKD-EPI 2021: 61')."""
    paired_value_concepts: tuple[str, ...] = ()
    """Measures written as a pair of numbers ('BP 130/78'): the second is kept as ``Reading.second_value``."""
    phrase_value_pattern: str = r"(?!x)x"
    """A number right after a phrase the open-vocabulary search found: that phrase's value ('PASI 14.2')."""
    score_site_pattern: str = r"(?!x)x"
    """The body site named between a signed score and its value ('T-score femoral neck -2.6')."""
    condition_test_pattern: str = r"(?!x)x"
    """Words that make a condition mention a test for it ('urine pregnancy test negative')."""
    local_route_pattern: str = r"(?!x)x"
    """Words in a drug's clause that make it a local treatment (a cream, an inhaler, eye drops): no systemic one."""
    label_denial_pattern: str = r"(?!x)x"
    """The answers to a line-opening label that deny it ('Thrombosis: denies any hx DVT', 'Pregnancy: not
    pregnant')."""
    topic_label_concepts: tuple[str, ...] = ()
    """Concepts whose name opening a line as a label ('Pregnancy: on OCP, urine hCG negative') names a topic of the
    form, not the condition: the label asserts it only when its answer does (``topic_label_affirm_pattern``)."""
    topic_label_affirm_pattern: str = r"(?!x)x"
    drug_for_pattern: str = r"(?!x)x"
    """Words right after a condition that make it the purpose of a drug ('osteoporosis medication', 'diabetes meds'):
    the condition is not asserted there, and 'never took any osteoporosis medication' does not negate it."""
    device_drug_pattern: str = r"(?!x)x"
    """Words right after a drug that make it what a device carries ('-eluting stent'): no drug fact."""
    assertion_in_name: dict[Literal["negated", "historical"], str] = Field(default_factory=dict)
    """A mention whose own words carry its assertion: 'never smoker' is negated, 'ex-smoker' historical."""
    not_the_thing_prefix_pattern: str | None = None
    value_before_concepts: tuple[str, ...] = ()
    zero_answer_pattern: str = r"(?!x)x"
    """A symptom scored zero right after its name ('Delusions 0', 'suicide item 0'): absent (conditions only)."""
    notation_values: dict[str, NotationValue] = {}
    """Measures found by the shape of their own notation ('GA 21+3', '23+6/40': a gestational age in weeks)."""


@lru_cache(maxsize=1)
def rules() -> NoteContextRules:
    return read_json(models_path("rules", "note_context.json"), NoteContextRules)


@lru_cache(maxsize=1)
def qualifier_words() -> QualifierWords:
    return read_json(models_path("rules", "qualifiers.json"), QualifierWords)
