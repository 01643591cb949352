"""The route a criterion names for a drug ('topical steroids', 'systemic corticosteroids') against the route the
notes give each mention ("hydrocortisone 1% cream to face", "fluticasone inhaler"): a local treatment is no
firm evidence of a systemic one."""
from __future__ import annotations

from ..schema import Constraint, Fact
from .context import MatchContext
from .logic import MET, UNKNOWN, Outcome
from .profile import trustworthy
from .rules import settings


def _local(f: Fact) -> bool:
    return f.therapy is not None and f.therapy.route == "local"


def by_route(c: Constraint, aff: list[Fact]) -> list[Fact]:
    """The affirmed mentions given by the route the constraint asks: only local ones for 'topical steroids', none
    of them for 'systemic corticosteroids' or a class meant systemically ('immunosuppressive drugs')."""
    route = c.attributes.get("route")
    if route == "local":
        return [f for f in aff if _local(f)]
    if route == "systemic" or (route is None and c.concept in settings().systemic_classes):
        return [f for f in aff if not _local(f)]
    return aff


def local_only(c: Constraint, ctx: MatchContext, out: Outcome) -> Outcome | None:
    """A criterion that names no route met only by local use ("hydrocortisone 1% cream" for 'corticosteroids'):
    whether it means local use too is not stated, so a person checks."""
    if out.verdict != MET or c.attributes.get("route") is not None:
        return None
    given = [f for f in ctx.profile.facts_for(c.concept, ctx.lexicon) if trustworthy(f) and not f.planned]
    if not given or not all(_local(f) for f in given):
        return None
    f = given[-1]
    return Outcome(UNKNOWN, ctx.ev([f]), f"{c.concept.replace('_', ' ')} given locally ({f.text!r}: a cream, an "
                   "inhaler or drops); whether the criterion means local use is not stated", [c.concept])
