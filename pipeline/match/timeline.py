"""Dates of events and time windows, from the dates extraction recorded on each fact."""
from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from ..schema import Fact, Window
from .profile import fact_date
from .rules import settings


def window_delta(window: Window) -> relativedelta:
    n = window.value
    if window.unit == "day":
        return relativedelta(days=round(n))
    if window.unit == "week":
        return relativedelta(days=round(7 * n))
    if window.unit == "month":
        return relativedelta(months=int(n), days=round((n - int(n)) * 30))
    return relativedelta(years=int(n), days=round((n - int(n)) * 365))


def event_date(f: Fact) -> dt.date | None:
    """When an event happened: the date the text states (a last dose, a date next to the mention,
    "3 years ago"), else the fact's date. A bare year counts as its last day (the later bound)."""
    return f.event_date or fact_date(f)


def ongoing(f: Fact) -> bool:
    """The fact's sentence says the state continues when its note is written ('currently', 'ongoing')."""
    words = settings().ongoing_words
    return any(q.polarity == "supports" and q.scope == "sentence" and q.text.lower() in words
               for q in f.qualifier_cues)


def held_until(f: Fact) -> dt.date | None:
    """The last date a state is known to hold: its stated date, or its note's date when the sentence says it
    continues ("currently enrolled in a study (randomised 06/2026)" still holds on the day of the note)."""
    noted = fact_date(f)
    if f.event_date is not None and noted is not None and ongoing(f):
        return max(f.event_date, noted)
    return event_date(f)


def has_event_date(f: Fact) -> bool:
    """A date for the event is stated in the text."""
    return f.event_date is not None


def in_window(d: dt.date | None, window: Window, anchor: dt.date) -> bool | None:
    """Whether date ``d`` satisfies the window relative to ``anchor``; None when ``d`` is unknown."""
    if d is None:
        return None
    edge = anchor - window_delta(window)
    if window.comparator in ("<=", "<", "between", "=="):
        return edge <= d <= anchor if window.comparator != "<" else edge < d <= anchor
    if window.comparator in (">=", ">"):
        return d <= edge if window.comparator == ">=" else d < edge
    return True
