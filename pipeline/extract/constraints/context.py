"""State shared by every step of criterion parsing: the listing's concept matcher, the compiled cue
rules (models/rules/criteria_patterns.json), the concept kinds that take values, and the Element
record each step fills in (a concept occurrence that becomes one or more constraints)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..criteria_concepts import ConceptMatcher, Mention, default_matcher, listing_abbreviations
from ..criteria_scopes import CarveScope
from ..criteria_values import CueExpr, ValueExpr, WindowExpr
from ..listing import rules
from ..quantities import quantities

VALUE_KINDS = {"lab", "measurement", "score"}
THERAPY_KINDS = {"drug", "drug_class", "procedure"}


@dataclass
class ListingContext:
    """Per-listing state: the concept matcher and abbreviations the listing defines."""

    matcher: ConceptMatcher
    abbreviations: dict[str, str] = field(default_factory=dict)
    abbrev_rx: re.Pattern[str] | None = None

    @classmethod
    def build(cls, text: str, region: tuple[int, int]) -> ListingContext:
        matcher = default_matcher()
        abbr = listing_abbreviations(text[region[0] : region[1]], matcher)
        rx = None
        if abbr:
            rx = re.compile(
                r"(?<![\w\-])(?:"
                + "|".join(re.escape(a) for a in sorted(abbr, key=len, reverse=True))
                + r")(?![\w])"
            )
        return cls(matcher, abbr, rx)


def _forms(word: str) -> tuple[str, ...]:
    """ "patients?" -> ("patient", "patients")."""
    return (word[:-2], word[:-1]) if word.endswith("s?") else (word,)


def _words(ws: list[str]) -> str:
    return "|".join(re.escape(w) for w in ws)


@lru_cache(maxsize=1)
def clause_patterns() -> dict[str, re.Pattern[str]]:
    """The patterns of ``criteria_patterns.json`` ``clause_words`` (see its comment)."""
    w = rules()["clause_words"]
    plain = _words(w["coordinators"] + w["list_heads"])
    return {
        "coordination_only": re.compile(rf"[\s,]*(?:(?:{plain})\b|/)?[\s,:(]*", re.IGNORECASE),
        "coordinated_start": re.compile(rf"[\s,;/]*(?:{_words(w['coordinators'])})\b", re.IGNORECASE),
        "join": re.compile(rf"(?:,|\s(?:{_words(w['joins'])})\s)", re.IGNORECASE),
        "subordinate": re.compile(rf"\b(?:{_words(w['subordinators'])})\b", re.IGNORECASE),
        "modifier_break": re.compile(rf"[,;:()\[\]]|\s(?:{_words(w['modifier_breaks'])})\s", re.IGNORECASE),
        "lead_limit": re.compile(rf"\b({_words(list(w['limit_words']))})\s*$", re.IGNORECASE),
    }


@lru_cache(maxsize=1)
def compiled_rules() -> dict[str, Any]:
    r = rules()

    def word_alt(ws: list[str]) -> str:
        return r"\b(?:" + "|".join(ws) + r")\b"

    return {
        "judgement": re.compile("|".join(r["judgement_cues"]), re.IGNORECASE),
        "judgement_after": re.compile(r["judgement_after_pattern"], re.IGNORECASE),
        "agreement_alternative": re.compile(r.get("agreement_alternative_pattern") or r"(?!x)x", re.IGNORECASE),
        "this_trial": re.compile(r.get("this_trial_pattern") or r"(?!x)x", re.IGNORECASE),
        "washout": re.compile(r"\b(?:" + "|".join(r.get("washout_cues", [])) + r")\b" if r.get("washout_cues")
                              else r"(?!x)x", re.IGNORECASE),
        "method_lead": re.compile(r.get("method_lead_pattern") or r"(?!x)x", re.IGNORECASE),
        "limit_only": re.compile(r.get("limit_only_pattern") or r"(?!x)x", re.IGNORECASE),
        "stable_dose": re.compile(r.get("stable_dose_pattern") or r"(?!x)x", re.IGNORECASE),
        "drug_routes": [(route, re.compile(word_alt(ws), re.IGNORECASE))
                        for route, ws in (r.get("drug_route_words") or {}).items()],
        "study_anchor": re.compile(r.get("study_anchor_pattern") or r"(?!x)x", re.IGNORECASE),
        "not_item": re.compile(r.get("not_item_pattern") or r"(?!x)x", re.IGNORECASE),
        "resistance_item": re.compile(r.get("resistance_item_pattern") or r"(?!x)x", re.IGNORECASE),
        "definition_bracket": re.compile(r.get("definition_bracket_pattern") or r"(?!x)x", re.IGNORECASE),
        "allergy_object": re.compile(r.get("allergy_object_pattern") or r"(?!x)x", re.IGNORECASE),
        "conditional_lead": re.compile(r.get("conditional_lead_pattern") or r"(?!x)x", re.IGNORECASE),
        "dose_rate_unit": re.compile(r.get("dose_rate_unit_pattern") or r"(?!x)x", re.IGNORECASE),
        "exposure_lead": re.compile(r.get("exposure_lead_pattern") or r"(?!x)x", re.IGNORECASE),
        "requirement_modal": re.compile(r.get("requirement_modal_pattern") or r"(?!x)x", re.IGNORECASE),
        "admin": re.compile("|".join(r["administrative_cues"]), re.IGNORECASE),
        "list_or": re.compile("|".join(r["list_or_cues"]), re.IGNORECASE),
        "list_and": re.compile("|".join(r["list_and_cues"]), re.IGNORECASE),
        "lead_ins": {x for w in r["lead_ins"] for x in _forms(w.lower())},
        "stops": {w.lower() for w in r["open_vocab_stops"]},
        "modifiers": {w.lower() for w in r["modifiers"]},
        "fillers": {w.lower() for w in r["fillers"]},
        "kept_participles": {w.lower() for w in r.get("kept_participles", [])},
        "count_between": {w.lower() for w in r.get("event_count_between_words", [])},
        "count_after": {w.lower() for w in r.get("event_count_after_words", [])},
        "count_level": re.compile(word_alt(r.get("event_count_level_words", [])) if r.get("event_count_level_words")
                                  else r"(?!x)x", re.IGNORECASE),
        "sex_all": re.compile(word_alt(r["sex_all"]), re.IGNORECASE),
        "age_cue": re.compile("|".join(r["age_cues"]), re.IGNORECASE),
        "label_max": r["thresholds"]["label_max_words"],
        "ov_max": r["thresholds"]["open_vocab_max_words"],
        "coord_gap": r["thresholds"]["coordination_max_gap"],
        "scale_concepts": r["scale_concepts"],
        "measure_words": frozenset(w.lower() for w in r.get("measure_words", ())),
        "stage_head": re.compile(r.get("stage_head_pattern") or r"(?!x)x", re.IGNORECASE),
        "family_history": re.compile(r.get("family_history_pattern") or r"(?!x)x", re.IGNORECASE),
        "allowance": re.compile(r.get("allowance_pattern") or r"(?!x)x", re.IGNORECASE),
        "age_month_unit": re.compile(r.get("age_month_unit_pattern") or r"(?!x)x", re.IGNORECASE),
        "comparator_words": {
            w
            for ws in quantities().comparators.values()
            for x in ws
            for w in x.lower().split()
            if w.isalpha()
        }
        | {
            w
            for ws in quantities().post_comparators.values()
            for x in ws
            for w in x.lower().split()
        },
        "non_nouns": {w.lower() for w in r.get("non_nouns", [])},
        "not_elliptical": {w.lower() for w in r["not_elliptical"]},
        "level_words": {w.lower() for w in r["qualitative_level_words"]},
        "paren_narrowing": re.compile(r"[\d<>=≤≥%]|" + word_alt(r["paren_narrowing_words"]), re.IGNORECASE),
        "exception_cues": {w.lower() for w in r["negation_exception_cues"]},
        "ability_words": {w.lower() for w in r["ability_words"]},
        "naive_pattern": r["naive_pattern"],
        "mention_heads": {w.lower() for w in r["mention_heads"]},
        "temporal_roles": [
            (role, re.compile("|".join(ws), re.IGNORECASE))
            for role, ws in r["temporal_span_roles"].items()
        ],
        "examples": re.compile(r"\b(?:" + "|".join(r["example_cues"]) + r")", re.IGNORECASE),
        "ly_nouns": {w.lower() for w in r.get("ly_nouns", [])},
        "neg_stops": re.compile(
            r"\b(?:"
            + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in r["negation_scope_stops"])
            + r")\b"
            r"|,\s*(?:and\s+)?(?:with|has|have|had)\b",
            re.IGNORECASE,
        ),
        "person_before": re.compile(
            r"\b(?:"
            + "|".join(r["person_words"])
            + r")\b[\s,(:]*(?:(?:who\s+)?(?:are|is|aged?|of|from|between)\s+)?(?:\w+\s+)?$",
            re.IGNORECASE,
        ),
        "person_word": re.compile(r"(?:" + "|".join(r["person_words"]) + r")", re.IGNORECASE),
        "duration_heads": re.compile(
            r"\b(?:" + "|".join(r["duration_value_heads"]) + r")", re.IGNORECASE
        ),
        "reproductive_subgroup": re.compile(r.get("reproductive_subgroup_pattern") or r"(?!x)x", re.IGNORECASE),
        "requirement_leads": re.compile(
            r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in r["clause_words"]["requirement_leads"])
            + r")\b" if r["clause_words"].get("requirement_leads") else r"(?!x)x", re.IGNORECASE),
        "duration_measures": {
            concept: (d["measure"], d["unit"], d["written_in"], d["ceiling"], [
                (re.compile(rf"\b(?:{rx})[\s-]+(?:of\s+)?$", re.IGNORECASE),
                 re.compile(rf"[\s,]*(?:(?:in|during|at)\s+)?(?:the\s+|her\s+)?(?:{rx})\b", re.IGNORECASE), lo, hi)
                for rx, (lo, hi) in d.get("periods", {}).items()])
            for concept, d in r.get("duration_measures", {}).items()
        },
    }


@dataclass
class Element:
    """A concept occurrence that becomes one constraint (or more when it has several values)."""

    mention: Mention
    clause: int
    values: list[ValueExpr] = field(default_factory=list)
    window: WindowExpr | None = None
    negation: CueExpr | None = None
    temporal: CueExpr | None = None
    polarity: CueExpr | None = None
    qualitative: CueExpr | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    in_paren: int = 0
    carve: CarveScope | None = None
    """The carve-out scope this element stands in ("except X"): it narrows the criterion, never
    triggers it."""
    conditions: list[tuple[int, Element]] = field(default_factory=list)
    """Elements under which this element's alternative value applies ("≤ 5 × ULN with liver
    metastases")."""
    condition_ops: dict[int, str] = field(default_factory=dict)
    """How several conditions of one value combine: "or" for "with Gilbert's syndrome or liver
    metastases"."""
    condition_of: Element | None = None


def blank(text: str, spans: list[tuple[int, int]], start: int, end: int, fill: str = " ") -> str:
    """text[start:end] with the given spans replaced by ``fill`` (offsets kept)."""
    chars = list(text[start:end])
    for s, e in spans:
        for k in range(max(s, start), min(e, end)):
            chars[k - start] = fill
    return "".join(chars)


WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-'/+]*")
