"""Classification: a criterion's category and whether notes can decide it (lexicon categories first,
then the trained classifier when it is available, then administrative cues)."""

from __future__ import annotations

import logging
from typing import Any

from ...schema import CATEGORIES, Constraint
from .context import ListingContext, compiled_rules

log = logging.getLogger(__name__)


_classifier_state: dict[str, Any] = {}


def _external_classify(text: str) -> tuple[str, bool, float] | None:
    """``pipeline.extract.computability.classify`` when it exists and has a model; else None."""
    if "fn" not in _classifier_state:
        try:
            from ..computability import classify  # type: ignore[attr-defined]

            _classifier_state["fn"] = classify
        except Exception as err:  # noqa: BLE001 - the module is optional; rules take over
            log.debug("computability classifier unavailable: %s", type(err).__name__)
            _classifier_state["fn"] = None
    fn = _classifier_state["fn"]
    if fn is None:
        return None
    try:
        cat, comp, conf = fn(text)
    except Exception as err:  # noqa: BLE001 - a failing model must not stop parsing
        log.debug("computability classifier failed: %s", type(err).__name__)
        _classifier_state["fn"] = None
        return None
    return (cat, bool(comp), float(conf)) if cat in CATEGORIES else None


def classify_criterion(
    text: str, constraints: list[Constraint], ctx: ListingContext
) -> tuple[str, bool, str | None]:
    c = compiled_rules()
    lex = ctx.matcher.lexicon
    known = [k for k in constraints if not k.open_vocabulary and k.concept in lex]
    if c["judgement"].search(text):
        return "investigator_judgement", False, "depends on the investigator's judgement"
    if c["agreement_alternative"].search(text):
        return ("consent_administrative", False,
                "one of its alternatives is the patient's agreement or ability, which clinical notes do not state")
    cats = [lex.get(k.concept).category for k in known if lex.get(k.concept)]  # type: ignore[union-attr]
    category = None
    if cats:
        counts: dict[str, int] = {}
        for x in cats:
            counts[x] = counts.get(x, 0) + 1
        category = max(counts, key=lambda x: (counts[x], -cats.index(x)))
        if category == "demographic" and any(k.concept == "age" for k in known):
            category = "demographic"
    if category is None or category not in CATEGORIES:
        ext = _external_classify(text)
        category = (
            ext[0] if ext else ("consent_administrative" if c["admin"].search(text) else "other")
        )
    if category == "consent_administrative" or (not known and c["admin"].search(text)):
        return (
            "consent_administrative",
            False,
            "consent or administrative requirement; not stated in clinical notes",
        )
    if not known:
        return (
            category,
            False,
            "no concept from the lexicon (open vocabulary only); needs manual review",
        )
    if any(k.concept == "life_expectancy" for k in known):
        return category, True, "life expectancy is met only when a note states an expected survival"
    return category, True, None
