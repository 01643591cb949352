"""The site a criterion names for a condition ('bone metastases', 'liver metastases') against the sites the notes
give their mentions ("liver and nodal mets", "no bone mets"): a mention placed elsewhere is no evidence of it."""
from __future__ import annotations

from ..schema import Constraint, Criterion, Fact
from .context import MatchContext
from .logic import NOT_MET, UNKNOWN, Outcome
from .profile import fact_date


def site_denials(c: Constraint, neg: list[Fact]) -> list[Fact]:
    """The negated mentions that deny what the constraint asks: "no bone mets" denies metastases in bone, not
    the liver metastases the same note names."""
    return [f for f in neg if f.site is None or f.site == c.attributes.get("site")]


def at_site(c: Constraint, criterion: Criterion, ctx: MatchContext, aff: list[Fact],
            neg: list[Fact]) -> tuple[list[Fact], Outcome | None]:
    """The affirmed mentions at the constraint's site, or the outcome when none is: unknown when no mention gives
    a site; for an exclusion not met when the notes place every one elsewhere (an inclusion stays unknown)."""
    site = c.attributes.get("site")
    if not site or not aff:
        return aff, None
    here = [f for f in aff if f.site == site]
    if here or neg:
        return here, None
    name, where = c.concept.replace("_", " "), site.replace("_", " ")
    if all(f.site is None for f in aff):  # "metastatic NSCLC": where is not said
        return [], Outcome(UNKNOWN, ctx.ev(aff[-1:]), f"{name} documented ({fact_date(aff[-1])}); whether in the "
                           f"{where} is not stated", [c.concept])
    # "liver and nodal mets" beside "metastatic carcinoid": the notes place them, and not there
    sites = ", ".join(dict.fromkeys((f.site or "").replace("_", " ") for f in aff if f.site))
    return [], Outcome(NOT_MET if criterion.kind == "exclusion" else UNKNOWN, ctx.ev(aff[-1:]),
                       f"{name} documented in the {sites}, not in the {where}", [c.concept])
