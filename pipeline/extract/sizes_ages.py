"""Sizes and ages written in note text: lesion sizes (``2.3 x 1.5 cm``), ages (``67-year-old``,
``aged 54``) and compact demographics (``69 F``, ``F/64``, ``Sex: M``).

Moved out of ``values.py`` (which re-exports every name) to keep each module to one idea.
"""

from __future__ import annotations

import re

SIZE_RE = re.compile(
    r"(?<![\d.])(?P<a>\d+(?:\.\d+)?)\s*(?P<ua>mm|cm)?(?:\s*(?:x|X|×|by)\s*(?P<b>\d+(?:\.\d+)?)\s*(?P<ub>mm|cm)?)?"
    r"(?:\s*(?:x|×|by)\s*(?P<c>\d+(?:\.\d+)?))?\s*(?P<u>mm|cm)(?![A-Za-z])",
)


def size_mm(m: re.Match) -> float:
    unit = m.group("u").lower()
    dims = [float(m.group(k)) for k in ("a", "b", "c") if m.group(k)]
    factor = 10.0 if unit == "cm" else 1.0
    return round(max(dims) * factor, 2)


AGE_RE = re.compile(
    r"\b(?P<n>\d{1,3})(?:\s*|-)(?:years?|yrs?|yr)(?:\s*|-)old\b"
    r"|\b(?P<n2>\d{1,3})\s*(?:y/o|y\.o\.|yo|y\.o|yo[mf])(?![A-Za-z])"
    r"|\b(?:aged?|age:)\s*(?:of\s*)?(?P<n3>\d{1,3})\b"
    r"|\b(?P<n4>\d{1,3})(?:\s*|-)(?P<u4>months?|mos?|weeks?|wks?|days?)(?:\s*|-)old\b",
    re.IGNORECASE,
)
_PER_YEAR = {"m": 12.0, "w": 52.0, "d": 365.0}


AGE_SEX_RE = re.compile(
    r"(?P<age>\d{1,3})(?:\s*(?P<unit>yo|y/o|y\.o\.|yrs?|years?(?:[\s-]old)?)|\s*y(?=\s*,))?\s*[,/]?\s*(?P<sex>[MF])(?![\w/&'])",
    re.IGNORECASE,
)
"""Compact demographics: ``69 F``, ``59 yr M``, ``66 y, F`` (patterns start with a character set so
the regex engine can skip ahead; left boundaries are checked in code)."""
SEX_AGE_RE = re.compile(r"(?P<sex>[MF])\s*/\s*(?P<age>\d{1,3})(?![\w/.])")
SEX_LABEL_RE = re.compile(r"(?:sex|gender)\s*[:=]\s*(?P<sex>[MF]|male|female)\b", re.IGNORECASE)
_NOT_AGE_BEFORE = re.compile(
    r"\b(?:temp\w*|fever|tmax|t|°|deg\w*|x|#|bp|hr|rr|spo2|o2)\s*[:=]?\s*$", re.IGNORECASE
)


def _left_ok(text: str, start: int, bad: str) -> bool:
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] in bad)


def age_sex_matches(
    text: str, windows: list[tuple[int, int]] | None = None, labels: bool = True
) -> list[tuple[str, int, int]]:
    """(concept, start, end) for the age number and the sex letter in compact demographics
    (``69 F``, ``F/64``, ``Sex: M``); ``windows`` limits the digit patterns to parts of the text."""
    out = []
    if labels:
        for m in SEX_LABEL_RE.finditer(text):
            if _left_ok(text, m.start(), "_"):
                out.append(("sex", m.start("sex"), m.end("sex")))
    spans = windows if windows is not None else [(0, len(text))]
    found = [
        (m, m.end("unit") if m.group("unit") else m.end("age"))
        for s, e in spans
        for m in AGE_SEX_RE.finditer(text, s, e)
        if _left_ok(text, m.start(), "._")
    ]
    found += [
        (m, m.end("age"))
        for s, e in spans
        for m in SEX_AGE_RE.finditer(text, s, e)
        if _left_ok(text, m.start(), "_/")
    ]
    for m, a_end in found:
        if m.group("sex") not in ("M", "F"):  # lower-case m/f are units or words
            continue
        age = int(m.group("age"))
        if not 0 < age < 111 or _NOT_AGE_BEFORE.search(text, max(0, m.start() - 15), m.start()):
            continue
        out.append(("age", m.start("age"), a_end))
        out.append(("sex", m.start("sex"), m.end("sex")))
    return out


def age_of(m: re.Match) -> float | None:
    """The age in years ("62-year-old", "62 yo", "aged 62", "15-week-old": 0.29)."""
    if m.group("n4"):
        return round(int(m.group("n4")) / _PER_YEAR[m.group("u4")[0].lower()], 3)
    v = int(m.group("n") or m.group("n2") or m.group("n3"))
    return float(v) if 0 < v < 120 else None
