"""Dates in note text: explicit (ISO, US numeric, month names, years) and relative ("3 weeks ago").

``find_dates(text, note_date)`` returns every date mention with its offsets and the calendar date it
resolves to; partial dates resolve to the first day of the month/year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from .casefold import scan_pair
from .quantities import alternation, quantities, time_unit_alternation, time_unit_of

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
        r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")

DATE_RE = re.compile(
    r"(?<![\w/.])(?<![^\d\s]-)(?:"
    r"(?P<iso>(?P<iy>(?:19|20)\d\d)[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2}))"
    r"|(?P<us>(?P<um>\d{1,2})/(?P<ud>\d{1,2})/(?P<uy>(?:19|20)?\d\d))"
    r"|(?P<dmy>(?P<dd>\d{1,2})(?:st|nd|rd|th)?\s+(?P<dmon>" + _MON + r")\s*,?\s*(?P<dy>(?:19|20)\d\d))"
    r"|(?P<mdy>(?P<mmon>" + _MON + r")\s+(?P<md>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<my>(?:19|20)\d\d))"
    r"|(?P<my2>(?P<m2mon>" + _MON + r")\s*,?\s*(?P<m2y>(?:19|20)\d\d))"
    r"|(?P<mys>(?P<sm>\d{1,2})/(?P<sy>(?:19|20)\d\d))"
    r"|(?P<yr>(?:(?<=in )|(?<=since )|(?<=In )|(?<=Since )|(?<=circa ))(?P<yy>(?:19|20)\d\d))"
    r"|(?P<yr2>(?P<yy2>(?:19|20)\d\d)(?=:))"
    r")(?![\w/]|-(?!\d))",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _number_words() -> dict[str, float]:
    """Exact number words and indefinite counts ("a few", "several" = 3) of the shared
    vocabulary."""
    q = quantities()
    return {**q.number_words, **q.indefinite_numbers}


_RELATIVE_DIRECTIONS = "ago|prior|earlier|before|previously"
_RELATIVE_DAYS = r"yesterday|today|last\s+(?:week|month|year)|this\s+morning|tonight"
_RELATIVE_CUE = re.compile(rf"{_RELATIVE_DIRECTIONS}|{_RELATIVE_DAYS}", re.IGNORECASE)
"""What every match of ``relative_re`` holds (its direction or its day word): searched in the same window, it
rules the pattern out at once."""


@lru_cache(maxsize=1)
def relative_re() -> re.Pattern[str]:
    """ "3 weeks ago", "two months prior", "a few days earlier", "yesterday", "last month"."""
    words = alternation(list(_number_words()))[3:-1]
    return re.compile(
        r"\b(?P<n>\d{1,3}|" + words + r")"
        r"\s*(?P<u>" + time_unit_alternation() + r")"
        rf"\s+(?P<dir>{_RELATIVE_DIRECTIONS})\b"
        rf"|\b(?P<yest>{_RELATIVE_DAYS})\b",
        re.IGNORECASE,
    )


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    date: dt.date
    relative: bool = False


def _safe(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _year(y: str) -> int:
    v = int(y)
    return v + (2000 if v < 50 else 1900) if v < 100 else v


_SLASH_PAIR = re.compile(r"(?<![\w/.])(\d{1,2})/(\d{1,2})/(?:19|20)?\d\d(?![\w/])")


@lru_cache(maxsize=64)
def _day_first(text: str) -> bool | None:
    """How a note writes its slash dates: day first when one of them can only be read so ('16/11/2026'), month first
    when one can only be read that way ('02/16/2026'); None when none tells (or they disagree)."""
    days = months = False
    for m in _SLASH_PAIR.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        days |= a > 12 >= b
        months |= b > 12 >= a
    return None if days == months else days


def _explicit(m: re.Match, note_date: dt.date | None = None, day_first: bool | None = None) -> dt.date | None:
    g = m.groupdict()
    if g["iso"]:
        return _safe(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["us"]:
        # month first, unless only day first makes a date, the note writes its dates day first, or (when the note
        # does not tell) day first is the only reading not after the note
        first, second, year = int(g["um"]), int(g["ud"]), _year(g["uy"])
        us, dmy = _safe(year, first, second), _safe(year, second, first)
        if us is None or (dmy is not None and (day_first or day_first is None and note_date is not None
                                               and dmy <= note_date < us)):
            return dmy
        return us
    if g["dmy"]:
        return _safe(int(g["dy"]), MONTHS[g["dmon"].lower().rstrip(".")], int(g["dd"]))
    if g["mdy"]:
        return _safe(int(g["my"]), MONTHS[g["mmon"].lower().rstrip(".")], int(g["md"]))
    if g["my2"]:
        return _safe(int(g["m2y"]), MONTHS[g["m2mon"].lower().rstrip(".")], 1)
    if g["mys"]:
        return _safe(int(g["sy"]), int(g["sm"]), 1)
    if g["yr"]:
        return _safe(int(g["yy"]), 1, 1)
    if g["yr2"]:  # "2023: definitive CRT" in a treatment list
        return _safe(int(g["yy2"]), 1, 1)
    return None


def _relative(m: re.Match, ref: dt.date) -> dt.date | None:
    if m.group("yest"):
        w = " ".join(m.group("yest").lower().split())
        return {
            "yesterday": ref - dt.timedelta(days=1),
            "today": ref,
            "this morning": ref,
            "tonight": ref,
            "last week": ref - dt.timedelta(weeks=1),
            "last month": ref - relativedelta(months=1),
            "last year": ref - relativedelta(years=1),
        }.get(w)
    n_raw = " ".join(m.group("n").lower().split())
    n = int(n_raw) if n_raw.isdigit() else int(_number_words().get(n_raw, 1))
    u = time_unit_of(m.group("u"))
    if u == "hour":
        return ref - dt.timedelta(days=n // 24)
    if u == "day":
        return ref - dt.timedelta(days=n)
    if u == "week":
        return ref - dt.timedelta(weeks=n)
    if u == "month":
        return ref - relativedelta(months=n)
    return ref - relativedelta(years=n)


_BARE_YEAR = re.compile(
    r"(?:(?:(?<=\n)|(?<![\s\S]))[ \t]*(?:[-*•][ \t]*)?"
    r"|(?:(?<=\n[-*•])|(?<=\n [-*•])|(?<=\n  [-*•])|(?<=\n\t[-*•]))[ \t]+)"
    r"(?P<ls>(?:19|20)\d\d)(?=[ \t]+[A-Za-z])"  # "- 2023 definitive CRT"
    # "MI 2019 treated", "RT 2021,"
    r"|(?<=[A-Za-z] )(?P<ws>(?:19|20)\d\d)(?=\s*[,;)]|\.(?:\s|$)|\s+(?:treated|with|for|and|then|s/p|->|→|-\s))",
)
_MONTH_RANGE = re.compile(
    r"(?<![\w/])(?P<m1>" + _MON + r")\s*[-–]\s*(?P<m2>" + _MON + r")\s*,?\s+(?P<y>(?:19|20)\d\d)(?![\w/])",
    re.IGNORECASE,
)
_DAY_MONTH = re.compile(
    r"\b(?:last(?:\s+(?:dose|cycle|infusion))?|since|started|until|through|stopped|CT|MRI|PET(?:/CT)?|scan)"
    r"[ \t:]+(?P<dm>(?P<a>\d{1,2})/(?P<b>\d{1,2}))(?![/\d.])(?!\s*(?:tab|pill|strength|mg|ml|of\b))",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
"""A digit: every date pattern except the relative ones ("last week", "two months ago") holds one."""
_YEAR_OR_DMY = re.compile(r"(?:19|20)\d\d|\d/\d{1,2}/\d\d")
"""What every match of ``DATE_RE``, ``_MONTH_RANGE`` and ``_BARE_YEAR`` holds: a four-digit year, or the
day/month/two-digit year of a US date ("3/4/25"). Searched in the same window, it rules them out at once."""
_BEFORE_VALUE = re.compile(r"[:=<>]\s*$")


@lru_cache(maxsize=1)
def _lab_words() -> frozenset[str]:
    from ..lexicon import load_lexicon

    return frozenset(p.lower() for e in load_lexicon().entries if e.kind in ("lab", "score") for p in e.phrases)


def _bare_years(text: str, start: int, end: int, note_date: dt.date | None) -> list[DateMention]:
    """Years written alone where a year is meant: at the start of a list item ("- 2023 definitive
    CRT") or right after a word and before punctuation or a linking word ("MI 2019 treated with
    PCI", "neck dissection 2023,"), never after a lab name ("ANC 2000,") nor after the note's year."""
    out = []
    for m in _BARE_YEAR.finditer(text, start, end):
        g = "ls" if m.group("ls") else "ws"
        y = int(m.group(g))
        if note_date is not None and y > note_date.year:
            continue
        if g == "ws":
            prev = re.search(r"([A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*)?)\s$", text[max(0, m.start(g) - 30) : m.start(g)])
            if prev and (prev.group(1).lower() in _lab_words() or prev.group(1).split()[-1].lower() in _lab_words()):
                continue
        out.append(DateMention(m.start(g), m.end(g), dt.date(y, 1, 1)))
    return out


def _day_months(text: str, start: int, end: int, note_date: dt.date) -> list[DateMention]:
    """Day and month without a year after a date cue ("last 7/15", "scan 28/07"): the latest such
    day on or before the note date; a first number above 12 is a day (day/month), else month/day."""
    out = []
    for m in _DAY_MONTH.finditer(text, start, end):
        a, b = int(m.group("a")), int(m.group("b"))
        month, day = (b, a) if a > 12 else (a, b)
        if not (1 <= month <= 12):
            continue
        d = _safe(note_date.year, month, day)
        if d is not None and d > note_date:
            d = _safe(note_date.year - 1, month, day)
        if d is not None:
            out.append(DateMention(m.start("dm"), m.end("dm"), d))
    return out


def find_dates(
    text: str, note_date: dt.date | None = None, start: int = 0, end: int | None = None
) -> list[DateMention]:
    """Date mentions in ``text[start:end]`` (offsets into ``text``), in order. Also month ranges
    ("Feb-Jul 2025": both ends), bare years where a year is meant, and day/month after a date cue."""
    end = len(text) if end is None else end
    out: list[DateMention] = []
    if _DIGIT.search(text, start, end) is None:  # every pattern but the relative ones reads a number
        if note_date is None or _RELATIVE_CUE.search(text, start, end) is None:
            return out
        rx, scanned = scan_pair(relative_re(), text)  # the words it reads are lower-cased either way
        for m in rx.finditer(scanned, start, end):
            d = _relative(m, note_date)
            if d is not None:
                out.append(DateMention(m.start(), m.end(), d, relative=True))
        return sorted(out, key=lambda x: x.start)
    extra = []
    if _YEAR_OR_DMY.search(text, start, end) is not None:  # else none of these three patterns can match
        rx, scanned = scan_pair(DATE_RE, text)  # month names are read lower-cased either way
        day_first = _day_first(text)
        for m in rx.finditer(scanned, start, end):
            d = _explicit(m, note_date, day_first)
            if d is not None:
                out.append(DateMention(m.start(), m.end(), d))
        rx, scanned = scan_pair(_MONTH_RANGE, text)
        for m in rx.finditer(scanned, start, end):
            y = int(m.group("y"))
            m1, m2 = MONTHS[m.group("m1").lower().rstrip(".")], MONTHS[m.group("m2").lower().rstrip(".")]
            y1 = y - 1 if m1 > m2 else y
            extra.append(DateMention(m.start("m1"), m.end("m1"), dt.date(y1, m1, 1)))
            extra.append(DateMention(m.start("m2"), m.end("y"), dt.date(y, m2, 1)))
        extra += _bare_years(text, start, end, note_date)
    if note_date is not None:
        extra += _day_months(text, start, end, note_date)
    for mention in extra:
        if not any(o.start < mention.end and mention.start < o.end for o in out):
            out.append(mention)
    if note_date is not None and _RELATIVE_CUE.search(text, start, end) is not None:
        rx, scanned = scan_pair(relative_re(), text)
        for m in rx.finditer(scanned, start, end):
            d = _relative(m, note_date)
            if d is not None:
                out.append(DateMention(m.start(), m.end(), d, relative=True))
    return sorted(out, key=lambda x: x.start)


def nearest(mentions: list[DateMention], start: int, end: int) -> DateMention | None:
    """The date mention closest to the span ``[start, end)``."""
    best, dist = None, None
    for d in mentions:
        gap = d.start - end if d.start >= end else start - d.end if d.end <= start else 0
        if dist is None or gap < dist:
            best, dist = d, gap
    return best
