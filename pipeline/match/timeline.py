"""Dates of events: stated last doses, dates written next to a mention, relative phrases, windows."""
from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

from ..schema import Fact, Window
from .context import MatchContext
from .profile import fact_date, sentence_bounds

# ----------------------------------------------------------------------------- helpers


def window_delta(window: Window) -> relativedelta:
    n = window.value
    if window.unit == "day":
        return relativedelta(days=round(n))
    if window.unit == "week":
        return relativedelta(days=round(7 * n))
    if window.unit == "month":
        return relativedelta(months=int(n), days=round((n - int(n)) * 30))
    return relativedelta(years=int(n), days=round((n - int(n)) * 365))


def dose_date(f: Fact) -> dt.date | None:
    """The date a fact's event applies to: the last dose of a drug when stated, else its date."""
    for key in ("last_dose_date", "end_date", "stop_date"):
        v = f.attributes.get(key)
        if v:
            try:
                return dt.date.fromisoformat(str(v)[:10])
            except ValueError:
                pass
    return fact_date(f)


DATE_IN_TEXT = re.compile(r"\b(?:(?P<m>\d{1,2})/(?:(?P<d>\d{1,2})/)?)?(?P<y>(?:19|20)\d{2})\b")


def clause_around(text: str, start: int, end: int) -> str:
    """The comma/semicolon-delimited clause holding ``text[start:end]`` ("remote MI/PCI 2019")."""
    left = max(text.rfind(ch, 0, start) for ch in ",;\n") + 1
    rights = [i for i in (text.find(ch, end) for ch in ",;\n") if i >= 0]
    s_, e_ = sentence_bounds(text, start, end)
    left, right = max(left, s_), min(rights + [e_])
    if text.count("(", left, right) > text.count(")", left, right):
        # "Skin SCCs excised x2 (2019, 2021)": a parenthesis is one clause
        close = text.find(")", right, e_)
        right = close + 1 if close >= 0 else right
    return text[left:right]


AGO = re.compile(r"\b(\d{1,3})\s*(years?|yrs?|y|months?|mo|weeks?|wks?|days?)\s+ago\b", re.IGNORECASE)


def event_date(f: Fact, ctx: MatchContext) -> dt.date | None:
    """When an event happened: a stated last dose or a date the extractor read, else the latest past
    date written next to the mention ("papillary thyroid cancer 2014", "MI/PCI 2019"), else its date.
    A bare year counts as its last day and a month/year as its month's last day (the later bound)."""
    stated = dose_date(f)
    if explicit_date(f) or f.note_date is None:
        return stated
    note = ctx.profile.notes.get(f.note_id)
    if note is None:
        return stated
    best: dt.date | None = None
    for m in DATE_IN_TEXT.finditer(clause_around(note.text, f.start, f.end)):
        y, mo, d = int(m.group("y")), m.group("m"), m.group("d")
        try:
            if mo and d:
                when = dt.date(y, int(mo), int(d))
            elif mo:
                when = dt.date(y, int(mo), 1) + relativedelta(months=1, days=-1)
            else:
                when = dt.date(y, 12, 31)
        except ValueError:
            continue
        if when < f.note_date and (best is None or when > best):
            best = when
    for m in AGO.finditer(clause_around(note.text, f.start, f.end)):
        n, unit = float(m.group(1)), m.group(2).lower()
        delta = relativedelta(years=int(n)) if unit.startswith("y") else relativedelta(months=int(n)) if unit.startswith("mo") \
            else relativedelta(days=int(7 * n)) if unit.startswith("w") else relativedelta(days=int(n))
        when = f.note_date - delta
        if best is None or when > best:
            best = when
    return best or stated


def explicit_date(f: Fact) -> bool:
    return bool(f.attributes.get("last_dose_date")) or (f.date is not None and f.note_date is not None and f.date != f.note_date)


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


