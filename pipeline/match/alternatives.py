"""Inclusion criteria that contradict each other are alternatives.

A listing sometimes writes alternatives as separate bullets ("Atrial fibrillation and not on oral anticoagulation"
/ "Atrial fibrillation on sub-optimal OAC"): one asks for a concept to be absent, another for it to be present, so
no patient can meet both. Failing one of them is then no firm evidence against the patient while the other is met
or undecided: it goes to review with the reason. Read from the criteria records only."""
from __future__ import annotations

from ..schema import CriterionVerdict, TrialCriteria


def contradicting_inclusions(trial: TrialCriteria) -> dict[str, set[str]]:
    """Inclusion id -> the inclusion ids asking the opposite about one of its (lexicon) concepts."""
    present: dict[str, set[str]] = {}
    absent: dict[str, set[str]] = {}
    for crit in trial.criteria:
        if crit.kind != "inclusion" or not crit.computable:
            continue
        for k in crit.constraints:
            if k.open_vocabulary or k.attributes.get("role") in ("carve_out", "condition"):
                continue
            side = absent if k.comparator == "absent" else present if k.comparator == "present" else None
            if side is not None:
                side.setdefault(k.concept, set()).add(crit.id)
    pairs: dict[str, set[str]] = {}
    for concept in present.keys() & absent.keys():
        for a in present[concept]:
            for b in absent[concept] - {a}:
                pairs.setdefault(a, set()).add(b)
                pairs.setdefault(b, set()).add(a)
    return pairs


def open_failed_alternatives(verdicts: list[CriterionVerdict], pairs: dict[str, set[str]]) -> None:
    """Turn a failed inclusion into ``unknown`` (in place) when an inclusion contradicting it is met or
    undecided; its reason names the alternative. ``pairs`` only holds inclusions."""
    by_id = {v.criterion_id: v for v in verdicts}
    for i, v in enumerate(verdicts):
        others = sorted(p for p in pairs.get(v.criterion_id, ()) if p in by_id)
        if v.verdict == "not_met" and any(by_id[p].verdict in ("met", "unknown") for p in others):
            verdicts[i] = v.model_copy(update={
                "verdict": "unknown",
                "reason": f"{v.reason}; {', '.join(others)} asks the opposite, so the listing may mean them as "
                          "alternatives: check"})
