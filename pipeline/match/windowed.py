"""Time on a constraint: how long a condition or drug has lasted ('for at least 3 months'), and whether it falls
inside a window before the screening date ('within 30 days', '>= 4 weeks since the last dose')."""
from __future__ import annotations

import datetime as dt

from ..schema import Constraint, Criterion, Fact, LogicNode, Window
from .absence import silence_outcome
from .context import DRUG_KINDS, MatchContext, fmt, lex_info
from .current import therapy_state
from .logic import MET, NOT_MET, UNKNOWN, Outcome
from .profile import fact_date
from .timeline import event_date, has_event_date, held_until, in_window, ongoing


def duration_outcome(c: Constraint, ctx: MatchContext, aff: list[Fact]) -> Outcome | None:
    """'Diagnosed at least 3 years ago', 'for more than 6 months': measured from the earliest affirmed mention
    (its stated event date when there is one) to the screening date, or for a therapy that is over to its last
    dated mention. Uses before a window the criterion also asks ('within 6 months') are not counted; with none
    left the window decides. Only the earliest mention's date is known to be a lower bound: a shorter span than
    asked is unknown, never not met, except for a procedure, whose stated date is when it was done."""
    d = c.duration
    if d is None or not aff:
        return None
    w = c.window
    if w is not None and w.comparator in ("<", "<="):
        aff = [f for f in aff if in_window(held_until(f), w, ctx.anchor(w)) is not False]
        if not aff:
            return None  # 'prolonged use within 6 months': every use is before the window, which decides
    first = min(aff, key=lambda f: event_date(f) or dt.date.max)
    since = event_date(first)
    if since is None:
        return Outcome(UNKNOWN, ctx.ev([first]), f"{c.concept.replace('_', ' ')}: since when is not stated")
    until = ctx.as_of
    kind = lex_info(ctx.lexicon, c.concept)[0]
    changed = _dose_changed(c, aff) if kind in DRUG_KINDS else None
    if changed is not None and changed[1] > since:
        first, since = changed  # "on a stable dose for 72 hours": counted from the last change of dose
    if kind in DRUG_KINDS and all(
            therapy_state(f, ctx)[0] == "past" for f in aff):
        # a course that is over lasted until its last dated mention, not until today
        until = max((x for f in aff if (x := held_until(f)) is not None), default=since)
    span = Window(comparator=d.comparator if d.comparator in (">=", ">") else ">=", value=d.value, unit=d.unit)
    if d.comparator in (">=", ">") and in_window(since, span, until):
        return Outcome(MET, ctx.ev([first]),
                       f"{c.concept.replace('_', ' ')} documented since {since} "
                       f"({d.comparator} {fmt(d.value)} {d.unit}(s))")
    if d.comparator in (">=", ">") and kind == "procedure" and has_event_date(first):
        # 'liver transplantation more than 6 months ago' and a transplant dated 4 months ago: a procedure's stated
        # date is when it was done, not a lower bound
        return Outcome(NOT_MET, ctx.ev([first]), f"{c.concept.replace('_', ' ')} on {since}, not "
                       f"{d.comparator} {fmt(d.value)} {d.unit}(s) before {until}")
    return Outcome(UNKNOWN, ctx.ev([first]), f"{c.concept.replace('_', ' ')} documented since {since}; "
                   f"{d.comparator} {fmt(d.value)} {d.unit}(s) not shown")


def _dose_changed(c: Constraint, aff: list[Fact]) -> tuple[Fact, dt.date] | None:
    """A criterion asking a stable dose ('stable daily dose ... for at least 72 hours') and daily doses that differ
    ('10 mg bd' in November, '20 mg bd' from Saturday): the first mention of the latest dose after the last other
    one, and its date; None when the dose is the same throughout or no dose is read."""
    stable = c.attributes.get("stable_dose") == "true" or "stable" in c.attributes.get("qualifiers", "")
    dosed = sorted(((d, f) for f in aff if isinstance(f.value, float) and (d := event_date(f)) is not None),
                   key=lambda x: x[0])
    if not stable or not dosed:
        return None
    latest = (dosed[-1][1].value, dosed[-1][1].unit)
    other = [d for d, f in dosed if (f.value, f.unit) != latest]
    if not other:
        return None
    since, f = next(((d, f) for d, f in dosed if d > other[-1] and (f.value, f.unit) == latest), dosed[-1])
    return f, since  # changed on the day of the latest dose itself: counted from that day


def presence_windowed(c: Constraint, criterion: Criterion, ctx: MatchContext, aff: list[Fact], neg: list[Fact],
                       unc: list[Fact],
                       anchor: dt.date) -> Outcome:
    w = c.window
    assert w is not None
    name = c.concept.replace("_", " ")
    wtxt = f"{w.comparator} {fmt(w.value)} {w.unit}(s) before {anchor}"
    if w.comparator in (">=", ">"):
        # "at least N weeks since": every exposure must have ended before the edge
        if not aff:
            if unc:
                return Outcome(UNKNOWN, ctx.ev(unc[-1:]), f"{name}: only uncertain mentions")
            asked = next((k for k in criterion.constraints if k.id == c.id), c)
            if asked.attributes.get("limit_only"):
                # "previous chemotherapy must have ended >= 8 weeks before entry": none, so nothing to limit
                if neg:
                    return Outcome(MET, ctx.ev(neg[-1:]), f"no prior {name}; the criterion only limits a prior one")
                none = silence_outcome(c, criterion, ctx.profile, ctx.lexicon)
                if none.verdict == NOT_MET:
                    return Outcome(MET, none.evidence, f"no prior {name} documented ({none.reason}); the criterion "
                                   "only limits a prior one")
            if neg and criterion.kind == "inclusion" and asked.comparator == "present":
                # "previous chemotherapy must have been >= 8 weeks before entry": without any, the inclusion may
                # ask nothing (a limit on a prior line) or ask for one; no firm evidence against the patient
                return Outcome(UNKNOWN, ctx.ev(neg[-1:]), f"{name} negated; the criterion may only limit when a "
                               f"prior {name} ended ({wtxt}): check")
            if neg:
                return Outcome(NOT_MET, ctx.ev(neg[-1:]), f"{name} negated")
            return silence_outcome(c, criterion, ctx.profile, ctx.lexicon)
        explicit = [f for f in aff if has_event_date(f)]
        # a stated last-dose date beats later undated mentions of the same therapy; a historical
        # mention in a recent note is not a recent dose
        latest = max(explicit or aff, key=lambda f: event_date(f) or dt.date.min)
        ok = in_window(event_date(latest), w, anchor)
        if ok and (explicit or latest.over or therapy_state(latest, ctx)[0] != "current"):
            return Outcome(MET, ctx.ev([latest]), f"{name}: last documented {event_date(latest)} ({wtxt})")
        if ok is False and (latest in explicit or therapy_state(latest, ctx)[0] == "current"):
            return Outcome(NOT_MET, ctx.ev([latest]), f"{name}: documented {event_date(latest)}, not {wtxt}")
        return Outcome(UNKNOWN, ctx.ev([latest]), f"{name}: last dose date not stated ({wtxt})")
    inside = [f for f in aff if in_window(held_until(f), w, anchor)]
    need = int(c.attributes.get("min_count", "1"))
    if inside and need > 1 and len({event_date(f) for f in inside if has_event_date(f)}) < need:
        # "at least 2 relapses in 12 months": only events on distinct stated dates are counted
        return Outcome(UNKNOWN, ctx.ev(inside[-2:]), f"{name}: fewer than {need} dated events documented within "
                       f"{fmt(w.value)} {w.unit}(s)")
    # a past mention with no date of its own ('prednisolone in April', 'h/o MI') is dated only by its note: it
    # does not show the event inside the window
    undated = [f for f in inside
               if not has_event_date(f) and (f.over or therapy_state(f, ctx)[0] in ("past", "stopped"))]
    if undated and len(undated) == len(inside):
        return Outcome(UNKNOWN, ctx.ev(undated[-1:]), f"{name} documented as past in a note of "
                       f"{fact_date(undated[-1])}; when is not stated (within {fmt(w.value)} {w.unit}(s)?)")
    inside = [f for f in inside if f not in undated]
    if inside:
        return Outcome(MET, ctx.ev(inside[-1:]),
                       f"{name} on {event_date(inside[-1])}, within {fmt(w.value)} {w.unit}(s)")
    unc_in = [f for f in unc if in_window(event_date(f), w, anchor)]
    if unc_in:
        return Outcome(UNKNOWN, ctx.ev(unc_in[-1:]), f"{name}: uncertain mention within window")
    still = [f for f in aff if ongoing(f)
             and not any((fact_date(n) or dt.date.min) > (held_until(f) or dt.date.max) for n in neg)]
    if still and w.comparator in ("<=", "<"):
        # "currently enrolled in a study" when last noted, no end documented since: it may hold still
        return Outcome(UNKNOWN, ctx.ev(still[-1:]), f"{name} ongoing when last noted ({held_until(still[-1])}); "
                       f"no end documented (within {fmt(w.value)} {w.unit}(s)?)")
    if aff:
        why = f"{name} only on {event_date(aff[-1])}, outside {fmt(w.value)} {w.unit}(s)"
        if criterion.kind == "inclusion" and c.comparator == "present" and not c.negated and not under_not(
                c.id, criterion.logic):
            # "a relapse within 6 months": an older one documents no recent one, and no absence of one either
            return Outcome(UNKNOWN, ctx.ev(aff[-1:]), f"{why}; none documented within the window")
        return Outcome(NOT_MET, ctx.ev(aff[-1:]), why)
    if neg:
        return Outcome(NOT_MET, ctx.ev(neg[-1:]), f"{name} negated")
    return silence_outcome(c, criterion, ctx.profile, ctx.lexicon)


def under_not(cid: str, node: str | LogicNode | None, negated: bool = False) -> bool:
    """The constraint sits under a 'not' of the criterion's logic."""
    if node is None:
        return False
    if isinstance(node, str):
        return negated and node == cid
    return any(under_not(cid, a, negated or node.op == "not") for a in node.args)
