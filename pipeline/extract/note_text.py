"""Where a mention sits in its note: sentence and clause bounds, dates written near it, its own stretch.

Pure functions over the note's text and character offsets, used by extraction to decide, once, what
the matcher later reads from fact records (``fact_context.py``).
"""
from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

_SENTENCE_END = re.compile(r"[.;!?]\s|\n")

_MEMO: tuple[str, dict[str, dict]] = ("", {})


def text_memo(text: str, name: str) -> dict:
    """A memo of answers about ``text`` (the last text asked about; the same string object, not an equal
    one), by what was asked: a note's facts ask about the same sentences and clauses many times."""
    global _MEMO
    if _MEMO[0] is not text:
        _MEMO = (text, {})
    memo = _MEMO[1].get(name)
    if memo is None:
        memo = _MEMO[1][name] = {}
    return memo


def first_in(rx: re.Pattern[str], text: str, lo: int, hi: int, whole: re.Match[str] | None, ss: int,
             se: int) -> re.Match[str] | None:
    """``rx.search(text, lo, hi)``, answered by ``whole`` (the search of ``[ss, se)``) when the window ends
    where that one does and ``whole`` found nothing or something at or after ``lo``: the attempt at each
    position does not depend on where a search starts (lookbehinds see the text before it), only on its end."""
    if hi == se and lo >= ss and (whole is None or whole.start() >= lo):
        return whole
    return rx.search(text, lo, hi)


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")
_WORDS_OPEN, _WORDS_CLOSE = r"(?<![\w-])(?:", r")(?![\w-])"
"""How ``rulefile.words_pattern`` writes a pattern around its words."""


def any_of(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """``patterns`` as one alternation: where it finds nothing in a window, none of them does (an attempt at a
    position succeeds when one alternative's does). Patterns of ``words_pattern``'s shape share one word-boundary
    check (tested once a position, not once a pattern). None when they do not combine."""
    if not patterns or any(rx.flags != patterns[0].flags or _BACKREFERENCE.search(rx.pattern) for rx in patterns):
        return None  # a back-reference by number would point elsewhere in the alternation
    sources = [rx.pattern for rx in patterns]
    if all(p.startswith(_WORDS_OPEN) and p.endswith(_WORDS_CLOSE) for p in sources):
        inner = "|".join(f"(?:{p[len(_WORDS_OPEN):-len(_WORDS_CLOSE)]})" for p in sources)
        source = f"{_WORDS_OPEN}{inner}{_WORDS_CLOSE}"
    else:
        source = "|".join(f"(?:{p})" for p in sources)
    try:
        return re.compile(source, patterns[0].flags)
    except re.error:  # e.g. a group name used in two patterns
        return None


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around ``text[start:end]``: cut at '.', ';', '!', '?' followed by a space, and
    at line breaks."""
    return _memoised(text, "sentence", start, end, _sentence_bounds)


def _memoised(text: str, kind: str, start: int, end: int, compute) -> tuple[int, int]:
    """``compute(text, start, end)``, computed once per note text and span (``text_memo``)."""
    memo = _MEMO[1].get(kind) if _MEMO[0] is text else None
    if memo is None:
        memo = text_memo(text, kind)
    found = memo.get((start, end))
    if found is None:
        found = memo[(start, end)] = compute(text, start, end)
    return found


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = 0
    lo = max(0, text.rfind("\n", 0, start))
    for m in _SENTENCE_END.finditer(text, lo, start):
        left = m.end()
    nxt = _SENTENCE_END.search(text, end)
    right = nxt.start() + (1 if text[nxt.start()] in ".;!?" else 0) if nxt else len(text)
    return left, max(right, end)


def clause_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The comma/semicolon-delimited clause holding ``text[start:end]`` ("remote MI/PCI 2019"); a bracket
    opened in the clause is one clause with it ("Skin SCCs excised x2 (2019, 2021)")."""
    return _memoised(text, "clause", start, end, _clause_span)


def _clause_span(text: str, start: int, end: int) -> tuple[int, int]:
    s_, e_ = sentence_bounds(text, start, end)  # the clause never leaves it: look for its ends inside only
    left = max(text.rfind(ch, s_, start) for ch in ",;\n") + 1
    rights = [i for i in (text.find(ch, end, e_) for ch in ",;\n") if i >= 0]
    left, right = max(left, s_), min(rights + [e_])
    if text.count("(", left, right) > text.count(")", left, right):
        close = text.find(")", right, e_)
        right = close + 1 if close >= 0 else right
    return left, right


def clause_around(text: str, start: int, end: int) -> str:
    left, right = clause_span(text, start, end)
    return text[left:right]


# ----------------------------------------------------------------------------- dates near a mention

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
MONTH_NUMBER = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
_YEAR = r"(?:19|20)\d{2}"
DATE_IN_TEXT = re.compile(r"\b(?:(?P<m>\d{1,2})/(?:(?P<d>\d{1,2})/)?)?(?P<y>(?:19|20)\d{2})\b")
WORD_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH})(?:,?\s+(?P<y1>{_YEAR}))?"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|\s+)(?P<y2>{_YEAR})"
    rf"|(?:{_MONTH}\s*(?:-|–|to|through|until)\s*)?(?P<m3>{_MONTH})\s+(?P<y3>{_YEAR}))\b",
    re.IGNORECASE)
ISO_DATE = re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")
SLASH_DATE = re.compile(r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})(?:[/.](?P<y>(?:19|20)?\d{2}))?\b(?![/.]\d)")
LAST_DOSE = re.compile(
    r"\b(?:last|most recent|latest|final)\s+(?:(?:\w+\s+)?(?:dose|doses|infusion|cycle|administration|given|received)"
    r"(?:\s+of\s+[\w-]+)?\s*(?:was\s+|on\s+|given\s+|in\s+|:\s*|=\s*)?)?", re.IGNORECASE)
"""A cue that a last-dose date follows ('last dose 10 July', 'most recent dose 12/08/2025', '(last 7/15)')."""
_DIGIT = re.compile(r"\d")
_YEAR4 = re.compile(r"(?:19|20)\d\d")
"""A four-digit year: without ``yearless``, every date ``dates_in`` reads is written with one."""
AGO = re.compile(r"\b(\d{1,3})\s*(years?|yrs?|y|months?|mo|weeks?|wks?|days?)\s+ago\b", re.IGNORECASE)


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
    """Past dates written in ``text`` (not after ``ref``), with their offsets, as the later bound of what
    they name: a bare year is its last day, a month/year its month's last day. ``yearless``: also read
    '10 July', '7/15' and '25/06' (the year is the latest that keeps the date not after ``ref``)."""
    out: list[tuple[int, dt.date]] = []
    if (_DIGIT if yearless else _YEAR4).search(text) is None:  # what every date read below holds
        return out
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
        y, month, day = int(m.group("y")), m.group("m"), m.group("d")
        if month and day:
            when = _safe(y, int(month), int(day))
        elif month:
            when = _month_end(y, int(month)) if 1 <= int(month) <= 12 else None
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


def ago_dates(text: str, ref: dt.date) -> list[dt.date]:
    """Dates written as "3 years ago", "2 months ago" in ``text``, counted back from ``ref``."""
    out = []
    for m in AGO.finditer(text):
        n, unit = float(m.group(1)), m.group(2).lower()
        delta = (
            relativedelta(years=int(n))
            if unit.startswith("y")
            else relativedelta(months=int(n))
            if unit.startswith("mo")
            else relativedelta(days=int(7 * n))
            if unit.startswith("w")
            else relativedelta(days=int(n))
        )
        out.append(ref - delta)
    return out
