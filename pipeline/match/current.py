"""Whether a therapy is being given now ('currently receiving antineoplastic therapy').

A drug mention shows current use only with evidence of ongoing administration as of the screening
date: an ongoing cue in its clause ('currently on', 'continues', 'C3D1 today'), a medication-list
entry or a last dose within ``settings.current_days``, in a note within that horizon. Completed
lines, drugs progressed on, drugs with an end date, historical mentions and mentions dated before
the horizon are past; anything else is unclear. A clinician statement that no anticancer therapy
is given now ('Not on any anticancer treatment at present') is read from the note text
(``settings.off_therapy_pattern``). Patterns live in ``models/rules/match_settings.json``.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from ..schema import Evidence, Fact
from .context import MatchContext
from .profile import evidence_from_span, fact_date, sentence_bounds
from .rules import settings
from .timeline import clause_around, dates_in, dose_date, event_date, own_stretch, stated_last_dose

State = Literal["current", "past", "unclear"]
_PROGRESSED = ("progression", "progressive disease", "pd", "progressed")


def horizon(ctx: MatchContext) -> dt.date:
    return ctx.as_of - dt.timedelta(days=settings().current_days)


def _last_dose(f: Fact, ctx: MatchContext) -> dt.date | None:
    if any(f.attributes.get(k) for k in ("last_dose_date", "end_date", "stop_date")):
        return dose_date(f)
    return stated_last_dose(f, ctx)


def therapy_state(f: Fact, ctx: MatchContext) -> tuple[State, str]:
    """Current, past or unclear use of the therapy a mention names, with the reason."""
    edge = horizon(ctx)
    if f.historical:
        return "past", "historical mention"
    if str(f.attributes.get("response", "")).lower() in _PROGRESSED:
        return "past", "progressed on it"
    note = ctx.profile.notes.get(f.note_id)
    if note is None or f.end > len(note.text):
        return "unclear", "note not available"
    s_, e_ = own_stretch(f, ctx)
    local = clause_around(note.text, f.start, f.end)
    if re.search(settings().stopped_pattern, note.text[s_:e_], re.IGNORECASE):
        return "past", "stopped or completed"
    last = _last_dose(f, ctx)
    if last is not None:
        return ("current", f"last dose {last}") if last >= edge else ("past", f"last dose {last}")
    seen = f.note_date or fact_date(f)
    if seen is None or seen < edge:
        return "past", f"last mentioned {seen}"
    when = event_date(f, ctx)
    if when is not None and when != fact_date(f) and when < edge:
        return "past", f"dated {when}"
    lead = note.text[max(s_, f.start - 30):f.start]
    if (re.search(settings().ongoing_pattern, local, re.IGNORECASE) or f.section == "medications"
            or re.search(settings().ongoing_lead_pattern, lead, re.IGNORECASE)):
        return "current", "ongoing"
    if re.search(settings().past_therapy_pattern, local, re.IGNORECASE):
        return "past", "given in the past"
    ss, se = sentence_bounds(note.text, f.start, f.end)
    dated = dates_in(note.text[ss:se], f.note_date or ctx.as_of)
    if dated and all(d < edge for _, d in dated):
        return "past", f"sentence dated {dated[-1][1]}"
    return "unclear", "no cue whether it continues"


def off_therapy_statement(ctx: MatchContext) -> tuple[Evidence, dt.date] | None:
    """The latest statement, in a note within the horizon, that no anticancer therapy is given now."""
    best: tuple[Evidence, dt.date] | None = None
    rx = re.compile(settings().off_therapy_pattern, re.IGNORECASE)
    for note in sorted(ctx.profile.notes.values(), key=lambda n: (n.date, n.note_id)):
        if note.date is None or note.date < horizon(ctx) or note.date > ctx.as_of:
            continue
        for m in rx.finditer(note.text):
            best = (evidence_from_span(note, m.start(), m.end(), concept="anticancer_therapy", assertion="negated"), note.date)
    return best
