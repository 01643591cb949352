"""Whether a therapy is being given now ('currently receiving antineoplastic therapy').

Extraction records what each drug mention's words say (``Fact.therapy``: stopped, current, past,
planned, with stated dates); this module adds the screening date. A mention shows current use only
with evidence of ongoing administration in a note within ``settings.current_days`` of the as-of date,
or a last dose within that horizon. Completed lines, drugs progressed on, drugs with an end date,
historical mentions and mentions dated before the horizon are past; anything else is unclear. A
clinician statement that no anticancer therapy is given now is a note-level statement fact. A drug named in the
record's latest note and not stopped there is unclear, however old that note: nothing says it stopped.

``presence_current`` is the verdict of a criterion that asks present use ('currently receiving', or a drug in an
exclusion with no time word): met on current use, not met on a clinician's "no therapy now" or an all-past history.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal

from ..lexicon import Lexicon
from ..schema import Constraint, Criterion, Evidence, Fact, Therapy, Window
from .absence import silence_outcome
from .context import MatchContext, fmt, num
from .logic import MET, NOT_MET, UNKNOWN, Outcome
from .profile import evidence_from_fact, fact_date, trustworthy
from .rules import settings
from .timeline import event_date, has_event_date, window_delta

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


def lasting_state(concept: str, lexicon: Lexicon) -> bool:
    """A state that, once reached, lasts (postmenopausal; a procedure with an ICD-10-CM status code, 's/p
    hysterectomy'): a past mention of it is the present state."""
    s = settings()
    if any(lexicon.is_a(concept, x) for x in s.lasting_state_concepts):
        return True
    entry = lexicon.get(concept)
    code = entry.codes.get("icd10cm", "") if entry is not None else ""
    return bool(code) and code.startswith(s.lasting_status_codes)


def needs_current(c: Constraint, criterion: Criterion | None) -> bool:
    """The criterion asks about the present ("currently receiving"), not the history."""
    if (c.attributes.get("temporal") or c.attributes.get("temporality")) in ("current", "ongoing", "active"):
        return True
    return c.context is not None and c.context.current


def presence_current(c: Constraint, criterion: Criterion, ctx: MatchContext, aff: list[Fact],
                     neg: list[Fact]) -> Outcome:
    """'Currently receiving': a mention with evidence of ongoing use decides met; a clinician
    statement of no current therapy, or a documented history that is all past, decides not met."""
    name = c.concept.replace("_", " ")
    states = [(f, *therapy_state(f, ctx)) for f in aff]
    current = [f for f, s_, _ in states if s_ == "current"]
    past = [f for f, s_, _ in states if s_ == "past"]
    # a later note that names the therapy and says it is over settles an earlier unclear mention of it
    unclear = [f for f, s_, _ in states if s_ == "unclear"
               and not any((fact_date(p) or dt.date.min) > (fact_date(f) or dt.date.min)
                           and ctx.lexicon.is_a(p.concept, f.concept) for p in past)]
    off = off_therapy_statement(ctx)
    if current:
        latest = current[-1]
        d_latest = fact_date(latest) or dt.date.min
        # "No systemic therapy since June" covers a same-day mention of immunotherapy;
        # "no chemo" does not cover pembrolizumab
        covering = [n for n in neg
                    if (fact_date(n) or dt.date.min) >= d_latest and ctx.lexicon.is_a(latest.concept, n.concept)]
        if covering:
            return Outcome(NOT_MET, ctx.ev([covering[-1], latest]),
                           f"{name}: {covering[-1].text} negated ({fact_date(covering[-1])})")
        if off is not None and off[1] > d_latest:
            return Outcome(NOT_MET, [off[0]] + ctx.ev([latest]), f"{name}: no current therapy stated on {off[1]}")
        if off is not None and off[1] == d_latest:
            return Outcome(UNKNOWN, ctx.ev([latest]) + [off[0]],
                           f"{name}: current use and no current therapy stated on {off[1]}")
        later_neg = [n for n in neg if (fact_date(n) or dt.date.min) > d_latest]
        if later_neg:
            return Outcome(UNKNOWN, ctx.ev([latest, later_neg[-1]]), f"{name}: current use then denied")
        return Outcome(MET, ctx.ev([latest]), f"{name} current ({fact_date(latest)})")
    last = aff[-1]
    if off is not None and (not unclear or off[1] >= (fact_date(unclear[-1]) or dt.date.min)):
        return Outcome(NOT_MET, [off[0]] + ctx.ev([last]), f"{name}: no current therapy stated on {off[1]}")
    if unclear:
        return Outcome(UNKNOWN, ctx.ev(unclear[-1:]),
                       f"{name}: mentioned {fact_date(unclear[-1])}; no note says whether it continues")
    covered = silence_outcome(c, criterion, ctx.profile, ctx.lexicon)
    if covered.verdict != NOT_MET:
        return Outcome(UNKNOWN, ctx.ev([last]),
                       f"{name}: last mentioned {fact_date(last)}; no clinician note says whether it continues")
    why = next(w for f, _, w in states if f is last)
    return Outcome(NOT_MET, ctx.ev([last] + neg[-1:]),
                   f"{name} documented only in the past (latest {fact_date(last)}: {why})")


def stopped_in_time(c: Constraint, ctx: MatchContext) -> Outcome | None:
    """'No use of NSAIDs one week before the operation': the latest note says the drug was stopped on a stated date
    at least that long before the start ('Celecoxib held since 12/19/25') -> not taken in that time."""
    given = [f for f in ctx.profile.facts_for(c.concept, ctx.lexicon) if trustworthy(f)]
    op, n, unit = (str(c.attributes.get("duration", "")).split() + ["", "", ""])[:3]  # '== 1 week'
    span = c.duration or (Window(comparator=op, value=float(n), unit=unit)  # type: ignore[arg-type]
                          if num(n) is not None else None)
    if not given or span is None:
        return None
    last = max(given, key=lambda f: (f.note_date or dt.date.min, f.start))  # what the latest note says
    ended = event_date(last) if has_event_date(last) else None
    if ended is None or last.therapy is None or last.therapy.state not in ("past", "stopped"):
        return None
    if ended + window_delta(span) > ctx.first_dose:
        return None
    return Outcome(NOT_MET, ctx.ev([last]), f"{c.concept.replace('_', ' ')} stopped {ended}, at least "
                   f"{fmt(span.value)} {span.unit}(s) before the start ({ctx.first_dose})")
