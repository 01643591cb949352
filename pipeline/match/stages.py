"""A stage asked of a disease ('Stage III or IV NSCLC', 'COPD stage III-IV'): the patient's stage compared with it.

A disease with a staging scale of its own (COPD: the GOLD stage) is compared on that scale; otherwise the stage is
the highest cancer stage group the notes affirm (``ordinal_values.json`` ``stage_levels``: a metastatic disease is
stage IV). A stage read outside the range may clear a patient from an exclusion; against an inclusion it goes to
review, since the notes may stage another cancer than the one asked."""
from __future__ import annotations

from collections.abc import Callable

from ..schema import Constraint, Criterion
from .context import MatchContext, compare, fmt, limit_text, num
from .logic import MET, NOT_MET, UNKNOWN, Outcome, tri_and
from .numeric import evaluate_numeric
from .profile import fact_date, trustworthy
from .rules import ordinal_values


def asks_stage(c: Constraint) -> bool:
    """A stage range or level on a disease or a stage group ('Stage IV NSCLC', 'stage III or IV')."""
    if c.comparator in ("present", "absent") or num(c.value) is None:
        return False
    return bool(c.attributes.get("stage")) or c.concept in ordinal_values().stage_levels


def evaluate_stage(c: Constraint, criterion: Criterion, ctx: MatchContext,
                   presence: Callable[[Constraint], Outcome]) -> Outcome | None:
    """The verdict on a stage asked of a disease; None when the notes state no stage (the caller decides)."""
    levels = ordinal_values()
    for k in criterion.constraints:
        scale = next((s for d, s in levels.stage_scales.items() if k.concept == d or ctx.lexicon.is_a(k.concept, d)),
                     None)
        if scale is not None:  # "COPD stage III or IV according to GOLD": the GOLD stage
            attrs = {a: b for a, b in c.attributes.items() if a != "stage"}
            return evaluate_numeric(c.model_copy(update={"concept": scale, "attributes": attrs}), criterion, ctx)
    stage = _cancer_stage(c, criterion, ctx)
    if stage is None or c.concept in levels.stage_levels:
        return stage
    disease = presence(c.model_copy(update={"comparator": "present", "value": None, "value_high": None,
                                            "attributes": {}}))
    verdict = tri_and([disease.verdict, stage.verdict])
    parts = [o for o in (disease, stage) if o.verdict == verdict] or [disease, stage]
    return Outcome(verdict, [e for o in parts for e in o.evidence],
                   "; ".join(o.reason for o in parts if o.reason), [k for o in parts for k in o.concepts])


def _cancer_stage(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome | None:
    levels = ordinal_values().stage_levels
    staged = [(levels[f.concept], f) for f in ctx.profile.facts if f.concept in levels and trustworthy(f)]
    lo = num(c.value)
    if not staged or lo is None:
        return None
    level, f = max(staged, key=lambda t: (t[0], fact_date(t[1]) or ctx.as_of))
    why = (f"stage {fmt(level)} documented ({f.concept.replace('_', ' ')}, {fact_date(f)}); criterion stage "
           f"{limit_text(c.comparator, lo, c.value_high)}")
    ok = compare(level, c.comparator, lo, c.value_high)
    sub = [x for x in c.attributes.get("levels", "").split(",") if x and x[-1:].isalpha()]
    if ok and sub and level == int(lo) and lo == level:
        # "Stage IIIB-IV": a stage III documented may be IIIA
        return Outcome(UNKNOWN, ctx.ev([f]), f"{why}; the criterion asks {sub[0]} or higher: check", [c.concept])
    if ok or criterion.kind == "exclusion":
        return Outcome(MET if ok else NOT_MET, ctx.ev([f]), why)
    return Outcome(UNKNOWN, ctx.ev([f]), f"{why}; the notes may stage another cancer: check", [c.concept])
