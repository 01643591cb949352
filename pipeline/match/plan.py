"""What matching a trial needs that depends on the trial and the lexicon only, worked out once per trial.

Every patient is matched against the same criteria: each criterion's and/or tree, its constraints with the
windows they inherit, the probe an exclusion nobody mentions is judged by, the inclusions that contradict each
other and the criteria about the trial's own condition. Screening thousands of patients asks for these for
every patient; ``trial_plan`` gives the same object each time for the same trial and lexicon.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..lexicon import Lexicon
from ..schema import Constraint, Criterion, LogicNode, TrialCriteria
from .alternatives import contradicting_inclusions
from .context import EXPOSURE_KINDS
from .logic import default_tree


def inherit_windows(criterion: Criterion, lexicon: Lexicon) -> Criterion:
    """"Hemoglobin >= 100 g/L without transfusion": a negated therapy/procedure with no window of its own
    refers to the time frame the criterion's measurements share (their most common window)."""
    windows = [c.window for c in criterion.constraints if c.window is not None]
    if not windows:
        return criterion
    common = Counter(w.model_dump_json() for w in windows).most_common(1)[0][0]
    window = next(w for w in windows if w.model_dump_json() == common)
    changed = []
    for c in criterion.constraints:
        entry = lexicon.get(c.concept)
        if (
            c.window is None
            and (c.negated or c.comparator == "absent")
            and entry is not None
            and entry.kind in EXPOSURE_KINDS
        ):
            c = c.model_copy(update={"window": window})
        changed.append(c)
    return criterion.model_copy(update={"constraints": changed})


@dataclass(frozen=True)
class CriterionPlan:
    tree: LogicNode | None
    """The criterion's and/or tree (``default_tree``)."""
    constraints: dict[str, Constraint]
    """Its constraints by id, with inherited windows."""
    silence_probe: tuple[Constraint, Criterion] | None
    """An exclusion's first item asked as an unlisted comorbidity (is the history covered?)."""


@dataclass(frozen=True)
class TrialPlan:
    trial: TrialCriteria
    lexicon: Lexicon
    criteria: dict[int, CriterionPlan]
    """By ``id()`` of the trial's criterion records."""
    by_id: dict[str, Criterion]
    alternatives: dict[str, set[str]]
    """Inclusions contradicting each other (``contradicting_inclusions``)."""
    target_ids: frozenset[str]
    """Criteria with a constraint about the trial's own condition."""


def plan_criterion(criterion: Criterion, lexicon: Lexicon) -> CriterionPlan:
    probe = None
    if criterion.kind == "exclusion" and criterion.constraints:
        probe = (criterion.constraints[0].model_copy(
                     update={"concept": "unlisted_condition", "negated": False, "comparator": "present"}),
                 criterion.model_copy(update={"category": "comorbidity"}))
    return CriterionPlan(default_tree(criterion), {c.id: c for c in inherit_windows(criterion, lexicon).constraints},
                         probe)


def plan_trial(trial: TrialCriteria, lexicon: Lexicon) -> TrialPlan:
    return TrialPlan(
        trial, lexicon,
        {id(c): plan_criterion(c, lexicon) for c in trial.criteria},
        {c.id: c for c in trial.criteria},
        contradicting_inclusions(trial),
        frozenset(c.id for c in trial.criteria
                  if any(k.context is not None and k.context.target for k in c.constraints)),
    )


PLANS_KEPT = 64
_PLANS: dict[tuple[int, int], TrialPlan] = {}


def trial_plan(trial: TrialCriteria, lexicon: Lexicon) -> TrialPlan:
    """The plan of ``trial`` with ``lexicon``, made on first use and kept for the last ``PLANS_KEPT`` pairs (a
    plan holds its trial and lexicon, so their ids cannot be reused while it is kept)."""
    key = (id(trial), id(lexicon))
    plan = _PLANS.get(key)
    if plan is None or plan.trial is not trial or plan.lexicon is not lexicon:
        if len(_PLANS) >= PLANS_KEPT:
            del _PLANS[next(iter(_PLANS))]
        plan = _PLANS[key] = plan_trial(trial, lexicon)
    return plan
