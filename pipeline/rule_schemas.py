"""Schemas of the packaged rule files read as plain JSON (``rulefile.read_json_data``).

Each model names every key its file may hold and the type of each; unknown keys are rejected, so a typo
or a misplaced entry fails at load time with E020 naming the file, line and field. Files read as typed
records keep their models next to their readers (``match/rules.py``, ``extract/fact_context.py``...).
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .rulefile import Regex

Words = list[str]
Comparator = Literal[">=", "<=", ">", "<", "=="]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class UnitAliases(_Schema):
    """``models/units/aliases.json``: a unit as written -> its pint expression."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, str] = Field(init=False)  # type: ignore[assignment]


class MolarMasses(_Schema):
    """``models/units/molar_masses.json``: lab concept -> molar mass (g/mol) for mass <-> molar conversions."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, float] = Field(init=False)  # type: ignore[assignment]


class LabUnits(_Schema):
    """``models/rules/lab_units.json``: lab concept -> [low, high, unit] bands for values without a unit."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, list[tuple[float, float, str]]] = Field(init=False)  # type: ignore[assignment]


class TumorSite(_Schema):
    """One line of ``models/rules/tumor_sites.jsonl``."""

    id: str
    site: str
    phrases: list[str] = Field(min_length=1)
    abbreviations: list[str] = []


class Plurals(_Schema):
    """``models/rules/plurals.json``."""

    concepts_without_plural: list[str] = []


class LesionTerms(_Schema):
    """``models/rules/lesion_terms.json``."""

    terms: list[str] = Field(min_length=1)
    non_lesion_terms: list[Regex] = []


class OtherMalignancy(_Schema):
    """``models/rules/other_malignancy.json``."""

    organs: list[str] = Field(min_length=1)
    nouns: list[str] = Field(min_length=1)
    generic_prefixes: list[str] = Field(min_length=1)
    modifiers: list[str] = []
    """Words that may stand between the organ and the noun ('breast invasive carcinoma')."""
    organ_concepts: dict[str, str] = {}
    """Organ word -> the lexicon concept of its cancer ('breast' -> breast_cancer); others stay other_malignancy."""


class AbbreviationRule(_Schema):
    id: str
    text: str
    concept: str
    window: int = Field(ge=0)
    drug_nearby: bool = False
    require: list[Regex]
    reject: list[Regex]
    reject_after: Regex | None = None
    scope: Literal["notes", "listings", "both"] = "notes"
    """Where the rule decides: a note's word, a listing's word ('recurrent severe hypoglycaemic episodes' is no
    recurrent cancer), or both."""


class AbbreviationContext(_Schema):
    """``models/rules/abbreviation_context.json``."""

    abbreviations: list[AbbreviationRule]


class SpanTrims(_Schema):
    """``models/rules/span_trims.json``: lexicon kind or concept id -> words dropped from a mention's end."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, list[str]] = Field(init=False)  # type: ignore[assignment]


class AssertionPolicy(_Schema):
    """``models/rules/assertion_policy.json``."""

    never_historical_concepts: list[str]
    never_historical_kinds: list[str]
    no_date_historical_kinds: list[str]
    historical_under_history_heading_kinds: list[str] = []
    negated_keeps_historical_cues: list[str] = []
    therapy_past_cues: list[Regex]
    therapy_current_cues: list[Regex]
    therapy_weak_past_cues: list[str] = []
    """Past cues that only order events ('then', 'had'): read within the mention's clause, never in a plan."""
    therapy_conditional_cues: list[str] = []
    """Words that make a clause a condition, not a history ('if not enrolled, proceed with X then Y')."""
    negated_start_cues: list[str] = []
    """Negations right before a start word ('no tx started today'): the date after it starts nothing."""
    ongoing_date_cues: list[Regex] = []
    """Words right before a date that say the state goes on from it ('since 2024', 'last filled 11/03')."""
    comparison_cues: list[str] = []
    comparison_kinds: list[str] = []


class Hypersensitivity(_Schema):
    """``models/rules/hypersensitivity.json``."""

    class_to_concept: dict[str, str]


class ResultAliases(_Schema):
    """``models/rules/result_aliases.json``."""

    condition_to_result: dict[str, str]


class SurrogateMethods(_Schema):
    """``models/rules/surrogates.json`` as extraction reads it (the matcher validates ``surrogates``)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    method_aliases: dict[Regex, str] = {}


class CarveExample(_Schema):
    text: str
    kind: Literal["inclusion", "exclusion"]
    main: list[str]
    carved: list[str]


class CarveOut(_Schema):
    id: str
    cue: Regex
    items: str
    alone: str
    widens: bool = True
    """In an inclusion, items before the cue are further alternatives ('... are eligible'); False for a cue that
    takes them out ('... were excluded'): the main condition is kept alone."""
    examples: list[CarveExample] = []


class MetastasisSites(_Schema):
    comment: str = Field(default="", alias="_comment")
    concepts: list[str]
    sites: dict[str, Regex]
    site_concepts: dict[str, str]
    note_clause_cut: Regex
    examples: list[dict[str, str]] = []


class ClauseWords(_Schema):
    """``criteria_patterns.json`` ``clause_words``: the plain words that tie a criterion's parts together."""

    comment: str = Field(default="", alias="_comment")
    coordinators: Words
    list_heads: Words
    joins: Words
    subordinators: Words
    modifier_breaks: Words
    limit_words: dict[str, Literal[">=", "<="]]
    requirement_leads: Words = []
    """'requiring', 'that required': the list after them says what the condition before them needed, all of it
    one alternative joined to that condition ('malignancy requiring chemotherapy, surgery or radiation')."""


class CompositeSystem(_Schema):
    words: list[str] = Field(min_length=1)
    definition: str = Field(min_length=1)


class Composites(_Schema):
    """``models/rules/composites.json``."""

    lead: list[str] = Field(min_length=1)
    nouns: list[str] = Field(min_length=1)
    all_systems: list[str]
    systems: dict[str, CompositeSystem] = Field(min_length=1)


class CriteriaThresholds(_Schema):
    fuzzy_min_score: int
    fuzzy_min_chars: int
    fuzzy_max_ngram: int
    label_max_words: int
    open_vocab_max_words: int
    header_scan_lines: int
    coordination_max_gap: int


class DurationMeasure(BaseModel):
    """A condition whose length is a measure of its own, with the named periods of that measure."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    measure: str
    unit: Literal["day", "week", "month", "year"]
    written_in: dict[Literal["day", "week", "month", "year"], float]
    """The time units a listing writes the length in -> how many of ``unit`` one of them is."""
    ceiling: float
    """The longest length the measure takes, in ``unit``: a longer one is no such measure ('a pregnancy for 3
    years')."""
    periods: dict[str, tuple[float, float]] = {}
    """A period's name (regex, before or after the condition) -> the measure's range ('second trimester')."""


class CriteriaPatterns(_Schema):
    """``models/rules/criteria_patterns.json``: the listing parser's vocabulary."""

    thresholds: CriteriaThresholds
    headings: dict[Literal["inclusion", "exclusion"], Words]
    end_markers: Words
    header_noise: Words
    exclusion_cues: Words
    window_pre: dict[Comparator, Words]
    window_post: Words
    anchors: dict[str, Words]
    temporal_words: dict[str, Words]
    temporal_phrases: Words
    qualitative_values: Words
    negation_cues: Words
    negation_not_before: Words
    polarity: dict[Literal["positive", "negative"], Words]
    methods: dict[str, str]
    scales: dict[str, Words]
    scale_concepts: dict[str, str]
    age_month_unit_pattern: str = r"(?!x)x"
    """An abbreviation right after an age limit that says months ('Age <1m')."""
    class_scale_pattern: str = r"(?!x)x"
    """Words that make a bare 'class III' the NYHA class ('heart failure class III'); elsewhere it has no scale."""
    allowance_pattern: str = r"(?!x)x"
    """A sentence saying what may also count ('this could include a trial of corticosteroids'): nothing required."""
    family_history_pattern: str = r"(?!x)x"
    """A lead-in making the items after it a relative's condition ('family history of'); group 'own' asks either."""
    stage_head_pattern: str = r"(?!x)x"
    """Words right before a level that make it the stage of the disease written with it ('Stage III or IV NSCLC')."""
    measure_words: tuple[str, ...] = ()
    """Words that say a phrase is a measure ('score', 'scale', 'total'): dropped from an open-vocabulary measure's
    name, which the notes write without them ('PASI score >= 12' is looked up as 'PASI')."""
    judgement_cues: Words
    administrative_cues: Words
    list_or_cues: Words
    list_and_cues: Words
    lead_ins: Words
    open_vocab_stops: Words
    fillers: Words
    modifiers: Words
    sex_all: Words
    age_cues: Words
    score_heads: Words
    non_nouns: Words
    non_narrowing: Words
    non_prefix_negates: Words = []
    level_after_pattern: Regex | None = None
    judgement_after_pattern: Regex | None = None
    symptom_of_pattern: Regex | None = None
    agreement_alternative_pattern: Regex | None = None
    this_trial_pattern: Regex | None = None
    method_lead_pattern: Regex | None = None
    limit_only_pattern: Regex | None = None
    stable_dose_pattern: Regex | None = None
    scale_size_pattern: Regex | None = None
    drug_route_words: dict[Literal["local", "systemic"], Words] = Field(default_factory=dict)
    kept_participles: Words = []
    event_count_between_words: Words = []
    event_count_after_words: Words = []
    event_count_level_words: Words = []
    unit_concepts: dict[str, str] = {}
    paired_limits: dict[str, tuple[str, str]] = {}
    """A measure whose limit may be written as a pair ('blood pressure > 160/100') -> the concepts of its parts."""
    collection_concepts: dict[str, dict[str, str]] = {}
    """Unit as written (regex) -> lab concept -> its timed collection ('urine protein' in g/day: the 24-hour one)."""
    any_time_pattern: Regex | None = None
    mention_heads: Words
    clause_words: ClauseWords
    naive_pattern: Regex
    duration_value_heads: Words
    person_words: Words
    negation_non: Regex
    negation_exception_cues: Words
    negation_scope_stops: Words
    ly_nouns: Words
    example_cues: Words
    temporal_span_roles: dict[str, Words]
    ability_words: Words
    qualitative_level_words: Words
    paren_narrowing_words: Words
    not_elliptical: Words
    unit_surface: dict[str, str]
    carve_outs: list[CarveOut]
    continuation_pattern: Regex | None = None
    definition_bracket_pattern: Regex | None = None
    conditional_lead_pattern: Regex | None = None
    exposure_lead_pattern: Regex | None = None
    dose_rate_unit_pattern: Regex | None = None
    resistance_item_pattern: Regex | None = None
    requirement_modal_pattern: Regex | None = None
    allergy_object_pattern: Regex | None = None
    """'hypersensitivity to X, Y': the words after a hypersensitivity concept that make the drugs its object."""
    not_item_pattern: Regex | None = None
    """'tadalafil-alone (score)': words naming a measure's condition, no item of the criterion."""
    study_anchor_pattern: Regex | None = None
    """'prior to the first dose of the study drug': a time anchor whose trial drug is no item of the criterion."""
    """An inclusion opening 'Patients who have undergone X:' asks what follows the colon only of them."""
    """A bracket opening 'requiring ...'/'defined as ...' after a concept says what counts as it."""
    """A sentence opening 'This includes ...' continues the clause before it (a carve-out's items run on)."""
    conditional_cues: Words
    cohort_labels: Words
    cohort_lead: Regex
    consent_cues: Words
    no_requirement_cues: Words = []
    """'regardless of whether ...': what follows asks nothing, like a consent item it is dropped to the next stop."""
    consent_scope_stops: Words
    condition_qualifiers: dict[str, Words]
    metastasis_sites: MetastasisSites
    not_a_condition: Words
    washout_cues: Words = []
    """A criterion naming a washout: 'N weeks for X' is no X in the last N weeks, not a duration of X."""
    bare_equals_reading: dict[str, Comparator] = {}
    """Concept -> the comparator a bare '=' stands for ('Age = 65 years': a lost >=)."""
    reproductive_subgroup_pattern: Regex | None = None
    """Words beside a sex word that name a reproductive subgroup ('of childbearing potential', 'sexually active'):
    the sex word then says whom the criterion asks, never what it asks."""
    inverted_adjective_pattern: Regex | None = None
    """A word that ends as an adjective does ('renal', 'hepatic'): it cannot end a phrase read from 'X of Y'
    ('impairment of renal function' is not 'renal impairment' + 'function')."""
    duration_measures: dict[str, DurationMeasure] = {}
    """Condition -> the measure its length is ('pregnant > 20 weeks' asks a gestational age > 20 weeks)."""


class QualifierGroupWords(BaseModel):
    """The words of one qualifier group (the matcher's rules of the same file are in ``match/qualifiers.py``)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    criterion: tuple[str, ...]
    supports: tuple[str, ...]
    contradicts: tuple[str, ...]
    applies_with_history: bool = False
    """The qualifier still holds in 'a history of ...' ('a history of an untreated malignancy')."""


class QualifierWords(BaseModel):
    """The words of ``models/rules/qualifiers.json``, as extraction and listing parsing read them."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    history_words: tuple[str, ...]
    exposure_words: tuple[str, ...] = ()
    """Words that make a drug in an exclusion ask any exposure ('received', 'treated with'); without them, a
    history word or a window, a drug in an exclusion asks present use."""
    purpose_words: tuple[str, ...] = ()
    therapy_purpose_words: tuple[str, ...] = ()
    """Words right before a condition that make it what a therapy is for ('therapy for', 'treatment for')."""
    purpose_after_words: tuple[str, ...] = ()
    """Head nouns right after a condition that make it what the words are for ('stroke risk factor')."""
    condition_purpose_after_words: tuple[str, ...] = ()
    plan_words: tuple[str, ...] = ()
    groups: tuple[QualifierGroupWords, ...] = ()
