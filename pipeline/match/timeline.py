"""Dates of events: stated last doses, dates written next to a mention, relative phrases, windows."""
from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

from ..schema import Fact, Window
from .context import MatchContext
from .profile import fact_date, sentence_bounds
from .rules import settings

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

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
MONTH_NUMBER = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_YEAR = r"(?:19|20)\d{2}"
WORD_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH})(?:,?\s+(?P<y1>{_YEAR}))?"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|\s+)(?P<y2>{_YEAR})"
    rf"|(?:{_MONTH}\s*(?:-|–|to|through|until)\s*)?(?P<m3>{_MONTH})\s+(?P<y3>{_YEAR}))\b",
    re.IGNORECASE)
"""'10 July', '10 July 2025', 'July 10, 2025', 'Feb-Jul 2025' (the end of a range), 'June 2025'."""
ISO_DATE = re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")
SLASH_DATE = re.compile(r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})(?:[/.](?P<y>(?:19|20)?\d{2}))?\b(?![/.]\d)")
"""'12/08/2025' (month/day or day/month), '7/15' or '25/06' without a year (only after a last-dose cue)."""
LAST_DOSE = re.compile(
    r"\b(?:last|most recent|latest|final)\s+(?:(?:\w+\s+)?(?:dose|doses|infusion|cycle|administration|given|received)"
    r"(?:\s+of\s+[\w-]+)?\s*(?:was\s+|on\s+|given\s+|in\s+|:\s*|=\s*)?)?", re.IGNORECASE)
"""A cue that a last-dose date follows ('last dose 10 July', 'most recent dose 12/08/2025', '(last 7/15)')."""


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, 1) + relativedelta(months=1, days=-1)


def _safe(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _year_for(m: int, d: int, ref: dt.date) -> dt.date | None:
    """A day and month without a year: the latest such date not after ``ref``."""
    when = _safe(ref.year, m, d)
    if when is not None and when > ref:
        when = _safe(ref.year - 1, m, d)
    return when


def _slash(a: int, b: int, y: str | None, ref: dt.date) -> dt.date | None:
    """Month/day or day/month: the reading that is a valid date not after ``ref``; if both are, the later."""
    year = None if y is None else (int(y) + 2000 if len(y) == 2 else int(y))
    cands = []
    for m, d in ((a, b), (b, a)):
        when = _year_for(m, d, ref) if year is None else _safe(year, m, d)
        if when is not None and when <= ref:
            cands.append(when)
    return max(cands) if cands else None


def dates_in(text: str, ref: dt.date, *, yearless: bool = False) -> list[tuple[int, dt.date]]:
    """Past dates written in ``text`` (not after ``ref``), with their offsets. A bare year counts as
    its last day and a month/year as its month's last day (the later bound). ``yearless``: also
    read '10 July', '7/15' and '25/06' (the year is the latest that keeps the date not after ``ref``)."""
    out: list[tuple[int, dt.date]] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], when: dt.date | None) -> None:
        if when is not None and when <= ref and not any(s <= m.start() < e for s, e in taken):
            out.append((m.start(), when))
            taken.append((m.start(), m.end()))

    for m in ISO_DATE.finditer(text):
        add(m, _safe(int(m.group("y")), int(m.group("m")), int(m.group("d"))))
    for m in WORD_DATE.finditer(text):
        if m.group("m1"):
            mo, d, y = MONTH_NUMBER[m.group("m1")[:3].lower()], int(m.group("d1")), m.group("y1")
            if y is None and not yearless:
                continue
            add(m, _safe(int(y), mo, d) if y else _year_for(mo, d, ref))
        elif m.group("m2"):
            add(m, _safe(int(m.group("y2")), MONTH_NUMBER[m.group("m2")[:3].lower()], int(m.group("d2"))))
        else:
            add(m, _month_end(int(m.group("y3")), MONTH_NUMBER[m.group("m3")[:3].lower()]))
    for m in SLASH_DATE.finditer(text):
        if m.group("y") is None and not yearless:
            continue
        if m.group("y") is not None and len(m.group("y")) == 4 or yearless:
            add(m, _slash(int(m.group("a")), int(m.group("b")), m.group("y"), ref))
    for m in DATE_IN_TEXT.finditer(text):
        y, mo, d = int(m.group("y")), m.group("m"), m.group("d")
        if mo and d:
            when = _safe(y, int(mo), int(d))
        elif mo:
            when = _month_end(y, int(mo)) if 1 <= int(mo) <= 12 else None
        else:
            when = dt.date(y, 12, 31)
            if when > ref and y == ref.year:
                when = ref
        add(m, when)
    return sorted(out)


def last_dose_in_text(text: str, ref: dt.date) -> tuple[int, dt.date] | None:
    """The date following a last-dose cue in ``text`` ('last dose 10 July', '(last 7/15)')."""
    best = None
    for cue in LAST_DOSE.finditer(text):
        tail = text[cue.end(): cue.end() + 24]
        found = dates_in(tail, ref, yearless=True)
        if found and found[0][0] <= 2:
            best = (cue.start(), found[0][1])
    return best


def clause_around(text: str, start: int, end: int) -> str:
    """The comma/semicolon-delimited clause holding ``text[start:end]`` ("remote MI/PCI 2019")."""
    left, right = clause_span(text, start, end)
    return text[left:right]


def clause_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of :func:`clause_around`."""
    left = max(text.rfind(ch, 0, start) for ch in ",;\n") + 1
    rights = [i for i in (text.find(ch, end) for ch in ",;\n") if i >= 0]
    s_, e_ = sentence_bounds(text, start, end)
    left, right = max(left, s_), min(rights + [e_])
    if text.count("(", left, right) > text.count(")", left, right):
        # "Skin SCCs excised x2 (2019, 2021)": a parenthesis is one clause
        close = text.find(")", right, e_)
        right = close + 1 if close >= 0 else right
    return left, right


AGO = re.compile(r"\b(\d{1,3})\s*(years?|yrs?|y|months?|mo|weeks?|wks?|days?)\s+ago\b", re.IGNORECASE)


def event_date(f: Fact, ctx: MatchContext) -> dt.date | None:
    """When an event happened: a stated last dose or a date the extractor read, else the latest past
    date written next to the mention ("papillary thyroid cancer 2014", "MI/PCI 2019"), else its date.
    A bare year counts as its last day and a month/year as its month's last day (the later bound)."""
    stated = dose_date(f)
    if any(f.attributes.get(k) for k in ("last_dose_date", "end_date", "stop_date")) or f.note_date is None:
        return stated
    note = ctx.profile.notes.get(f.note_id)
    last = stated_last_dose(f, ctx) if note is not None else None
    if last is not None:
        return last
    if explicit_date(f) and not _before_start(f):
        return stated
    if note is None:
        return stated
    best: dt.date | None = None
    c_s, c_e = clause_span(note.text, f.start, f.end)
    s_, e_ = own_stretch(f, ctx)
    clause = note.text[max(c_s, s_):min(c_e, e_)]
    for _, when in dates_in(clause, f.note_date):
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


def own_stretch(f: Fact, ctx: MatchContext) -> tuple[int, int]:
    """The fact's sentence, cut at the neighbouring mentions of other drugs ('cisplatin x3, then
    toripalimab, last dose 1 Jul': the last dose belongs to toripalimab)."""
    note = ctx.profile.notes[f.note_id]
    s_, e_ = sentence_bounds(note.text, f.start, f.end)
    for o in ctx.profile.facts:
        if o.note_id != f.note_id or o.concept == f.concept or not (s_ <= o.start < e_):
            continue
        entry = ctx.lexicon.get(o.concept)
        if entry is None or entry.kind not in ("drug", "drug_class"):
            continue
        if o.end <= f.start:
            s_ = max(s_, o.end)
        elif o.start >= f.end:
            e_ = min(e_, o.start)
    other = re.search(settings().other_therapy_pattern, note.text[f.end:e_], re.IGNORECASE)
    if other:
        e_ = f.end + other.start()
    return s_, e_


def stated_last_dose(f: Fact, ctx: MatchContext) -> dt.date | None:
    """A last-dose date written after a cue in the fact's own stretch ('last dose 10 July')."""
    note = ctx.profile.notes.get(f.note_id)
    if note is None or f.note_date is None or f.end > len(note.text):
        return None
    s_, e_ = own_stretch(f, ctx)
    found = last_dose_in_text(note.text[s_:e_], f.note_date)
    return found[1] if found else None


def _before_start(f: Fact) -> bool:
    """The fact's date precedes the start of the treatment it names: a misread date, not an end."""
    try:
        start = dt.date.fromisoformat(str(f.attributes.get("start_date"))[:10]) if f.attributes.get("start_date") else None
    except ValueError:
        return False
    d = fact_date(f)
    return start is not None and d is not None and d < start


def has_event_date(f: Fact, ctx: MatchContext) -> bool:
    """A date for the event is stated (an attribute, a last-dose phrase, or a date next to the mention)."""
    if any(f.attributes.get(k) for k in ("last_dose_date", "end_date", "stop_date")):
        return True
    if explicit_date(f) and not _before_start(f):
        return True
    return event_date(f, ctx) != fact_date(f)


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


