"""The trial's own condition named in an exclusion ("previous stroke" in a trial for depression after stroke,
"other psoriasis treatment", "metastatic breast cancer" in a breast cancer trial): every patient has it by
design, so what the exclusion asks is something beside it — a form named by another item, an earlier episode,
a treatment for it — never the condition itself."""
from __future__ import annotations

import datetime as dt

from ..schema import Constraint, Criterion, Fact, LogicNode
from .context import MatchContext
from .logic import MET, NOT_MET, UNKNOWN, Outcome
from .profile import fact_date
from .rules import settings
from .timeline import event_date, has_event_date


def _deciding_sibling(k: Constraint, c: Constraint) -> bool:
    """Another item of the criterion that can decide it: not the trial's condition, not an exception."""
    return (k.id != c.id and not (k.context is not None and k.context.target)
            and k.attributes.get("role") != "carve_out")


def form_named_beside(c: Constraint, criterion: Criterion) -> bool:
    """The exclusion joins the trial's own condition with a lexicon concept naming its form ("metastatic breast
    cancer": metastatic disease and breast cancer): the other part decides, the condition itself is had."""
    logic = criterion.logic
    if logic is None or logic.op != "and" or c.id not in logic.args:
        return False
    return any(k.id in logic.args and _deciding_sibling(k, c) and not k.open_vocabulary and not k.negated
               and k.attributes.get("role") is None
               and k.attributes.get("temporal") != "relative"  # "HCC after liver transplantation": a time, no form
               for k in criterion.constraints)


def _joined(c: Constraint, criterion: Criterion) -> bool:
    """The constraint is joined by AND to another item that can decide ("COPD exacerbation requiring
    hospitalization", "unable to walk 150 feet prior to stroke"): that item carries what is asked."""
    by_id = {k.id: k for k in criterion.constraints}

    def walk(node: str | LogicNode | None) -> bool:
        if node is None or isinstance(node, str):
            return False
        if node.op == "and" and c.id in node.args:
            return any(not isinstance(a, str) or (a in by_id and _deciding_sibling(by_id[a], c)) for a in node.args
                       if a != c.id)
        return any(walk(a) for a in node.args)

    return walk(criterion.logic)


def episodes(facts: list[Fact]) -> list[dt.date]:
    """The first date of each episode the facts state a date for ('stroke in 2016', 'MCA stroke 06/2023'):
    stated dates further apart than ``own_condition_episode_gap_days`` are separate episodes. Mentions with no
    date of their own ('s/p stroke') add none: they may all be the one episode."""
    gap = dt.timedelta(days=settings().own_condition_episode_gap_days)
    dates = sorted({d for f in facts if has_event_date(f) and (d := event_date(f)) is not None})
    return [d for i, d in enumerate(dates) if i == 0 or d - dates[i - 1] > gap]


def own_condition(c: Constraint, criterion: Criterion, own: list[Fact], ctx: MatchContext) -> Outcome:
    """The verdict on the trial's own condition named in an exclusion, for a patient who has it (``own``)."""
    name = c.concept.replace("_", " ")
    if form_named_beside(c, criterion):  # "metastatic breast cancer": 'metastatic' decides the form
        return Outcome(MET, ctx.ev(own[-1:]), f"{name} documented ({fact_date(own[-1])}); "
                       "the form this exclusion names is judged by its other part")
    if c.attributes.get("temporal") == "history" and not _joined(c, criterion):
        # "previous stroke" in a trial for patients after a stroke: an episode before the one the trial is for
        starts = episodes(own)
        if len(starts) > 1:
            dated = [f for f in own if has_event_date(f)]
            return Outcome(UNKNOWN, ctx.ev(dated[:1] + dated[-1:]),
                           f"{name} is the condition the trial is for; the notes date it to "
                           f"{' and '.join(str(d) for d in starts[:3])}: an earlier episode? check", [c.concept])
        when = f" ({starts[0]})" if starts else ""
        return Outcome(NOT_MET, ctx.ev(own[-1:]),
                       f"{name} is the condition the trial is for; one episode documented{when}, none before it")
    if any(_deciding_sibling(k, c) for k in criterion.constraints):
        # "other psoriasis treatment including ...", "unable to walk 150 feet before the stroke": the other items
        # decide; alone, the condition would clear no patient (see ``own_condition`` in the matcher)
        return Outcome(UNKNOWN, ctx.ev(own[-1:]), f"{name} is the condition the trial is for; the criterion's other "
                       "items decide", [c.concept], neutral=True, own_condition=True)
    # "incessant VT/VF", "steroid-dependent asthma": a form of the trial's own condition, not the condition
    return Outcome(UNKNOWN, ctx.ev(own[-1:]), f"{name} is the condition the trial is for; "
                   "whether the patient has the form this exclusion names is not stated")
