"""Whether a therapy is being given now ('currently receiving antineoplastic therapy').

Extraction records what each drug mention's words say (``Fact.therapy``: stopped, current, past,
planned, with stated dates); this module adds the screening date. A mention shows current use only
with evidence of ongoing administration in a note within ``settings.current_days`` of the as-of date,
or a last dose within that horizon. Completed lines, drugs progressed on, drugs with an end date,
historical mentions and mentions dated before the horizon are past; anything else is unclear. A
clinician statement that no anticancer therapy is given now is a note-level statement fact.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from ..schema import Evidence, Fact, Therapy
from .context import MatchContext
from .profile import evidence_from_fact, fact_date
from .rules import settings
from .timeline import event_date

State = Literal["current", "past", "unclear"]


def horizon(ctx: MatchContext) -> dt.date:
    return ctx.as_of - dt.timedelta(days=settings().current_days)


def therapy_state(f: Fact, ctx: MatchContext) -> tuple[State, str]:
    """Current, past or unclear use of the therapy a mention names, with the reason."""
    edge = horizon(ctx)
    t = f.therapy or Therapy()
    if f.over:
        return "past", "historical mention"
    if t.state in ("past", "stopped") and t.reason in ("progressed on it", "stopped or completed"):
        return "past", t.reason
    if t.last_dose_date is not None:
        last = t.last_dose_date
        return ("current", f"last dose {last}") if last >= edge else ("past", f"last dose {last}")
    seen = f.note_date or fact_date(f)
    if seen is not None and seen < edge and t.state in ("current", "unclear") and seen >= _last_note_date(ctx):
        # the record ends with it named and not stopped: no later note says it stopped, none says it goes on
        return "unclear", f"named on {seen}, the latest note, {(ctx.as_of - seen).days} days before screening"
    if seen is None or seen < edge:
        return "past", f"last mentioned {seen}"
    when = event_date(f)
    if when is not None and when != fact_date(f) and when < edge:
        return "past", f"dated {when}"
    if t.state == "current":
        return "current", t.reason
    if t.state == "past":
        return "past", t.reason
    if t.sentence_dated_before is not None and t.sentence_dated_before < edge:
        return "past", f"sentence dated {t.sentence_dated_before}"
    return "unclear", "no cue whether it continues"


def _last_note_date(ctx: MatchContext) -> dt.date:
    dates = [n.date for n in ctx.profile.notes.values() if n.date <= ctx.as_of]
    return max(dates) if dates else dt.date.min


def off_therapy_statement(ctx: MatchContext) -> tuple[Evidence, dt.date] | None:
    """The latest statement, in a note within the horizon, that no anticancer therapy is given now."""
    best: tuple[Evidence, dt.date] | None = None
    for s in ctx.profile.statements_of("off_therapy"):
        d = s.note_date
        if d is None or d < horizon(ctx) or d > ctx.as_of:
            continue
        if best is None or d >= best[1]:
            best = (evidence_from_fact(s), d)
    return best
