"""Dates in note text: explicit (ISO, US numeric, month names, years) and relative ("3 weeks ago").

``find_dates(text, note_date)`` returns every date mention with its offsets and the calendar date it
resolves to; partial dates resolve to the first day of the month/year.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
_MON = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_NUMWORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
             "eleven": 11, "twelve": 12, "a": 1, "an": 1, "several": 3, "few": 3, "a few": 3}

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
RELATIVE_RE = re.compile(
    r"\b(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|an?|several|a few|few)"
    r"\s*(?P<u>days?|d|weeks?|wks?|months?|mos?|years?|yrs?)\s+(?P<dir>ago|prior|earlier|before|previously)\b"
    r"|\b(?P<yest>yesterday|today|last\s+(?:week|month|year)|this\s+morning|tonight)\b",
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


def _explicit(m: re.Match) -> dt.date | None:
    g = m.groupdict()
    if g["iso"]:
        return _safe(int(g["iy"]), int(g["im"]), int(g["id"]))
    if g["us"]:
        return _safe(_year(g["uy"]), int(g["um"]), int(g["ud"]))
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
    n_raw = m.group("n").lower()
    n = int(n_raw) if n_raw.isdigit() else _NUMWORDS.get(n_raw, 1)
    u = m.group("u").lower()
    if u.startswith("d"):
        return ref - dt.timedelta(days=n)
    if u.startswith("w"):
        return ref - dt.timedelta(weeks=n)
    if u.startswith("mo"):
        return ref - relativedelta(months=n)
    return ref - relativedelta(years=n)


def find_dates(text: str, note_date: dt.date | None = None, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Date mentions in ``text[start:end]`` (offsets into ``text``), in order."""
    end = len(text) if end is None else end
    out = []
    for m in DATE_RE.finditer(text, start, end):
        d = _explicit(m)
        if d is not None:
            out.append(DateMention(m.start(), m.end(), d))
    if note_date is not None:
        for m in RELATIVE_RE.finditer(text, start, end):
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
