"""Inclusion criteria that contradict each other, or belong to different cohorts, are alternatives.

A listing sometimes writes alternatives as separate bullets ("Atrial fibrillation and not on oral anticoagulation"
/ "Atrial fibrillation on sub-optimal OAC"): one asks for a concept to be absent, another for it to be present, so
no patient can meet both. Failing one of them is then no firm evidence against the patient while the other is met
or undecided: it goes to review with the reason. Read from the criteria records only."""
from __future__ import annotations

from ..schema import Criterion, CriterionVerdict, TrialCriteria


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
    # "RA cohort: ..." beside "OA cohort: ...": the requirements of one cohort are alternatives to another's
    cohorts: dict[str, set[str]] = {}
    for crit in trial.criteria:
        labels = {k.attributes.get("cohort") for k in crit.constraints}
        if crit.kind == "inclusion" and crit.computable and len(labels) == 1 and None not in labels:
            cohorts.setdefault(str(labels.pop()), set()).add(crit.id)
    in_cohorts = set().union(*cohorts.values())
    for ids in cohorts.values():  # each criterion has one cohort: the other cohorts' ids are the rest
        others = in_cohorts - ids
        for a in ids if others else ():
            pairs.setdefault(a, set()).update(others)
    # "Children 2-5 years with negative TSTs ..." beside "... between the ages of 2-65": an age range inside another
    # inclusion's names a subgroup, one way in among others
    ages = {crit.id: r for crit in trial.criteria if crit.kind == "inclusion" and (r := _age_range(crit)) is not None}
    for a, (lo_a, hi_a) in ages.items():
        for b, (lo_b, hi_b) in ages.items():
            if a != b and lo_b <= lo_a and hi_a <= hi_b and (lo_b, hi_b) != (lo_a, hi_a):
                pairs.setdefault(a, set()).add(b)
    return pairs


def _age_range(crit: Criterion) -> tuple[float, float] | None:
    """The age range (in years) an inclusion asks, when it asks one."""
    for k in crit.constraints:
        if k.concept != "age" or k.negated or not isinstance(k.value, (int, float)):
            continue
        scale = 1 / 12 if k.unit == "month" else 1.0
        lo, hi = float(k.value) * scale, (float(k.value_high) * scale if k.value_high is not None else None)
        if k.comparator == "between" and hi is not None:
            return lo, hi
        if k.comparator in (">=", ">"):
            return lo, float("inf")
        if k.comparator in ("<=", "<"):
            return 0.0, lo
    return None


def open_failed_alternatives(verdicts: list[CriterionVerdict], pairs: dict[str, set[str]]) -> frozenset[str]:
    """Alternatives decide as a group (``pairs`` only holds inclusions). Where an inclusion contradicting this one
    is met, the group is met: this one's verdict stays as it is, with the reason saying so, and its id is
    returned, so that the patient's status counts it as met. Where none is met but one is undecided, a failed
    inclusion becomes ``unknown`` (in place), its reason naming the alternative."""
    by_id = {v.criterion_id: v for v in verdicts}
    covered = set()
    for i, v in enumerate(verdicts):
        others = sorted(p for p in pairs.get(v.criterion_id, ()) if p in by_id)
        met = [p for p in others if by_id[p].verdict == "met"]
        if v.verdict in ("not_met", "unknown") and met:
            covered.add(v.criterion_id)
            verdicts[i] = v.model_copy(update={
                "reason": f"{v.reason}; {', '.join(met)} asks the opposite and is met: the listing means them as "
                          "alternatives, so this one need not hold"})
        elif v.verdict == "not_met" and any(by_id[p].verdict == "unknown" for p in others):
            verdicts[i] = v.model_copy(update={
                "verdict": "unknown",
                "reason": f"{v.reason}; {', '.join(others)} asks the opposite, so the listing may mean them as "
                          "alternatives: check"})
    return frozenset(covered)
