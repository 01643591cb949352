"""Who a criterion's requirement is for: labelled cohorts as alternatives ('(Subgroup 1) or ... (Subgroup 2)'), a
lead-in naming the patients a requirement is asked of ('For patients with liver metastases: AST <= 5 x ULN',
'Patients receiving opioids should have a stable dose'), and pruning a tree of the leaves a lead-in takes."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...schema import Constraint, LogicNode
from ..criteria_scopes import cohort_or_cuts
from .context import compiled_rules


def cohort_alternatives(text: str, start: int, end: int, constraints: Sequence[Constraint]) -> LogicNode | None:
    """ "HBsAg-positive and HBV DNA < 2000 IU/ml (Subgroup 1) or HBsAg-negative and anti-HBc positive
    (Subgroup 2)": one labelled cohort's requirements or the next one's, whatever the words inside."""
    cuts = cohort_or_cuts(text, start, end)
    if not cuts or any(c.attributes.get("role") == "carve_out" for c in constraints):
        return None
    bounds = [start, *cuts, end]
    groups = [[c.id for c in constraints if lo <= c.start < hi] for lo, hi in zip(bounds, bounds[1:])]
    if any(not g for g in groups):
        return None
    alts: list[str | LogicNode] = [g[0] if len(g) == 1 else LogicNode(op="and", args=list(g)) for g in groups]
    return LogicNode(op="or", args=alts)


def pruned(node: str | LogicNode | None, drop: set[str]) -> str | LogicNode | None:
    """The tree without the leaves in ``drop`` (a node left with one argument becomes that argument)."""
    if node is None or isinstance(node, str):
        return None if node in drop else node
    args = [a for a in (pruned(x, drop) for x in node.args) if a is not None]
    if not args:
        return None
    if node.op == "not":
        return LogicNode(op="not", args=args)
    return args[0] if len(args) == 1 else LogicNode(op=node.op, args=args)


_CONDITION_LABEL = re.compile(r"\W*(?=[A-Za-z][\w\-'/ ]{0,60}:)")
"""A criterion opening with a bare label up to its colon ('COPD: ...'): a lead-in when the label names only
lexicon conditions."""


def conditional_requirement(text: str, start: int, end: int, constraints: Sequence[Constraint],
                            logic: LogicNode | None, checkable: set[str], conditions: set[str]) -> LogicNode | None:
    """'Patients who have undergone prostatectomy: any rise in PSA', 'For patients with liver metastases: AST <=
    5 x ULN', 'COPD: dyspnoea, chronic cough ...': an inclusion whose lead-in (``criteria_patterns.json``
    ``conditional_lead_pattern``, up to its colon) or whose bare label naming only lexicon ``conditions`` says who
    the requirement is for asks it only of them: not the condition, or the requirement. Only when the requirement
    has a ``checkable`` constraint: an unreadable one ('any rise in PSA') stays asked."""
    rules = compiled_rules()
    m = rules["conditional_lead"].match(text, start, end) or _CONDITION_LABEL.match(text, start, end)
    if m is None:
        return _modal_requirement(text, start, end, constraints, logic, checkable)
    colon = text.find(":", m.end(), end)
    if colon < 0 or colon - m.end() > 80 or re.search(r"[,;]", text[m.end():colon]):
        return _modal_requirement(text, start, end, constraints, logic, checkable)
    conds = [c.id for c in constraints if c.start < colon]
    reqs = [c.id for c in constraints if c.start > colon]
    if not conds or not (set(reqs) & checkable):
        return None
    if m.re is _CONDITION_LABEL and not (set(conds) <= conditions and len(text[m.end():colon].split()) <= 5):
        return None  # a label made of anything but a named condition ('Airflow obstruction:') is no lead-in
    rest = pruned(logic, set(conds)) if logic is not None else (
        reqs[0] if len(reqs) == 1 else LogicNode(op="and", args=list(reqs)))
    if rest is None:
        return None
    cond: str | LogicNode = conds[0] if len(conds) == 1 else LogicNode(op="and", args=list(conds))
    return LogicNode(op="or", args=[LogicNode(op="not", args=[cond]), rest])


def _modal_requirement(text: str, start: int, end: int, constraints: Sequence[Constraint],
                       logic: LogicNode | None, checkable: set[str]) -> LogicNode | None:
    """'Patients receiving opioids should have a stable dose for the last 15 days', 'Subjects on replacement
    therapy must be stable for 3 months': a lead naming what the patient takes (``criteria_patterns.json``
    ``exposure_lead_pattern``) up to the clause's modal verb (``requirement_modal_pattern``) says whom the
    requirement is for. Patients without it meet the inclusion; the others are asked the requirement, or, when
    the requirement names nothing of its own, what the listing asks of their therapy (its duration, its
    stability)."""
    rules = compiled_rules()
    m = rules["exposure_lead"].match(text, start, end)
    if m is None:
        return None
    modal = rules["requirement_modal"].search(text, m.end(), min(end, m.end() + 120))
    if modal is None or re.search(r"[:;]", text[m.end():modal.start()]):
        return None
    conds = {c.id for c in constraints if m.end() <= c.start < modal.start()}
    reqs = {c.id for c in constraints if c.start >= modal.end()}
    if not conds or len(conds) + len(reqs) < len(constraints):
        return None
    ids: list[str | LogicNode] = [c.id for c in constraints]
    tree: str | LogicNode = logic if logic is not None else LogicNode(op="and", args=ids)
    while isinstance(tree, LogicNode) and tree.op != "not" and len(tree.args) == 1:
        tree = tree.args[0]
    cond = pruned(tree, reqs) if reqs else tree
    if cond is None:
        return None
    if reqs and not reqs & checkable:
        return None
    rest = pruned(tree, conds) if reqs else cond
    if rest is None:
        return None
    return LogicNode(op="or", args=[LogicNode(op="not", args=[cond]), rest])
