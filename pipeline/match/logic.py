"""Three-valued (Kleene) logic over a criterion's and/or/not tree.

``met`` / ``not_met`` / ``unknown``: an OR with one met branch is met and an AND with one not_met
branch is not_met whatever the other branches say, so one unknown branch never hides a decisive one.
Constraint-level evaluation against facts lives in ``constraints.py``; this module combines outcomes.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..schema import Criterion, Evidence, LogicNode

Tri = Literal["met", "not_met", "unknown"]
MET: Tri = "met"
NOT_MET: Tri = "not_met"
UNKNOWN: Tri = "unknown"


def tri_not(v: Tri) -> Tri:
    return {MET: NOT_MET, NOT_MET: MET}.get(v, UNKNOWN)  # type: ignore[return-value]


def tri_and(values: Sequence[Tri]) -> Tri:
    if any(v == NOT_MET for v in values):
        return NOT_MET
    if values and all(v == MET for v in values):
        return MET
    return UNKNOWN if values else MET


def tri_or(values: Sequence[Tri]) -> Tri:
    if any(v == MET for v in values):
        return MET
    if values and all(v == NOT_MET for v in values):
        return NOT_MET
    return UNKNOWN if values else NOT_MET


@dataclass
class Outcome:
    """The verdict on one constraint or sub-tree, with the evidence that decided it."""

    verdict: Tri
    evidence: list[Evidence] = field(default_factory=list)
    reason: str = ""
    concepts: list[str] = field(default_factory=list)
    """Concepts whose state is unknown (for review-cost ranking)."""
    deferred: bool = False
    """Not documented and left to the investigator at screening (absence policy); decided only by such items."""
    neutral: bool = False
    """An open-vocabulary phrase not found in the notes: nothing to check, nothing to flag."""
    from_silence: bool = False
    """Decided by what the notes do not say (the absence policy), not by a statement about the patient."""
    firm: bool = False
    """A silence-based verdict that may still decide against the patient (the trial's target condition absent)."""
    carve: bool = False
    """A carve-out applied to the main condition's facts ("except nicotine"): no condition of its own."""
    not_applicable: bool = False
    """The item cannot concern this patient (pregnancy or contraception for a man): it takes the favourable value."""
    takes_object: bool = False
    """A condition the criterion names with its object ('hypersensitivity to X', ``object_concepts``)."""
    word_named: bool = False
    """An open-vocabulary phrase not found, though one of its longer words is in the notes ('bovine')."""
    own_condition: bool = False
    """The trial's own condition named beside other items of an exclusion: silent, but no silence of its own."""

    @property
    def silent(self) -> bool:
        """Carries no decision: dropped when a sibling decides (AND/OR identity)."""
        return self.verdict == UNKNOWN and self.neutral

    def negate(self) -> Outcome:
        reason = self.reason if self.verdict == UNKNOWN else f"not ({self.reason})" if self.reason else ""
        return Outcome(
            tri_not(self.verdict),
            self.evidence,
            reason,
            self.concepts,
            deferred=self.deferred,
            neutral=self.neutral,
            from_silence=self.from_silence,
            firm=self.firm,
            carve=self.carve,
            not_applicable=self.not_applicable,
        )


def _merge(verdict: Tri, parts: list[Outcome]) -> Outcome:
    """Keep the evidence and reasons of the parts that decided ``verdict``."""
    deciding = [p for p in parts if p.verdict == verdict] or parts
    evidence: list[Evidence] = []
    for p in deciding:
        for e in p.evidence:
            if e not in evidence:
                evidence.append(e)
    reasons = [p.reason for p in deciding if p.reason]
    concepts = [c for p in parts if p.verdict == UNKNOWN for c in p.concepts] if verdict == UNKNOWN else []
    return Outcome(verdict, evidence, "; ".join(dict.fromkeys(reasons)), list(dict.fromkeys(concepts)),
                   deferred=all(p.deferred for p in deciding))


def evaluate_tree(node: str | LogicNode, leaf: Callable[[str], Outcome], favourable: Tri = MET) -> Outcome:
    """Evaluate an and/or/not tree whose leaves are constraint ids.

    ``favourable`` is the value at this node that favours the patient (MET at an inclusion's root,
    NOT_MET at an exclusion's root, flipped under NOT). A leaf deferred to the investigator takes that
    value (benefit of the doubt, flagged ``deferred``); a neutral leaf (open-vocabulary phrase not found)
    is dropped so it neither decides nor hides a sibling."""
    if isinstance(node, str):
        out = leaf(node)
        if out.verdict == UNKNOWN and out.deferred:
            return Outcome(favourable, out.evidence, out.reason, out.concepts, deferred=True)
        if out.not_applicable:
            return Outcome(favourable, out.evidence, out.reason)
        if out.from_silence and not out.firm and out.verdict != UNKNOWN and out.verdict != favourable:
            # ineligible needs firm evidence: silence never decides against the patient
            return Outcome(UNKNOWN, out.evidence, f"{out.reason}; not documented either way", out.concepts)
        return out
    if node.op == "not":
        if not node.args:
            return Outcome(UNKNOWN, reason="empty 'not'")
        return evaluate_tree(node.args[0], leaf, tri_not(favourable)).negate()
    parts = [evaluate_tree(a, leaf, favourable) for a in node.args]
    deciding = [p for p in parts if not p.silent]
    if not deciding:
        return Outcome(UNKNOWN, [], "; ".join(dict.fromkeys(p.reason for p in parts if p.reason)),
                       [c for p in parts for c in p.concepts], neutral=True)
    combine = tri_and if node.op == "and" else tri_or
    out = _merge(combine([p.verdict for p in deciding]), deciding)
    silent = [p for p in parts if p.silent and not p.carve]
    if (silent and node.op == "and" and out.verdict != NOT_MET and favourable == NOT_MET and not out.deferred
            and all(p.takes_object for p in deciding) and not any(p.evidence or p.word_named for p in silent)):
        # "hypersensitivity to tranexamic acid", never named in the notes: any documented hypersensitivity is to
        # something else
        names = "; ".join(dict.fromkeys(p.reason for p in silent if p.reason))
        return Outcome(NOT_MET, out.evidence, f"{out.reason}; but not to what the criterion names ({names})")
    if silent and node.op == "and" and out.verdict == MET and favourable == NOT_MET and not out.deferred:
        # "VT/VF associated with drug toxicity": a co-condition the notes never name cannot be taken as met
        names = "; ".join(dict.fromkeys(p.reason for p in silent if p.reason))
        return Outcome(UNKNOWN, out.evidence, f"{out.reason}; but part of the criterion could not be checked ({names})",
                       out.concepts + [c for p in silent for c in p.concepts])
    return out


def default_tree(criterion: Criterion) -> LogicNode | None:
    """The tree used when the parser gives none: inclusion requires all constraints, exclusion
    is triggered by any (a listing's exclusion bullet enumerates alternatives)."""
    if criterion.logic is not None:
        return criterion.logic
    if not criterion.constraints:
        return None
    args: list[str | LogicNode] = [c.id for c in criterion.constraints]
    return LogicNode(op="and", args=args) if criterion.kind == "inclusion" else LogicNode(op="or", args=args)
