"""Sizes and ages written in note text: lesion sizes (``2.3 x 1.5 cm``), heights in feet and inches, ages
(``67-year-old``, ``aged 54``) and compact demographics (``69 F``, ``F/64``, ``Sex: M``).

Moved out of ``values.py`` (which re-exports every name) to keep each module to one idea.
"""

from __future__ import annotations

import re

FEET_INCHES = re.compile(
    r"(?P<ft>[3-7])\s*(?:'|’|ft\.?|feet|foot)\s*(?:(?P<inch>\d{1,2}(?:\.\d)?)\s*(?:\"|''|”|in\b\.?|inch(?:es)?)?)?",
    re.IGNORECASE)
"""A height in feet and inches: 5'9", 5 ft 9 in, 5 feet."""
INCH_AFTER = re.compile(r"\s*(?:in\b\.?|\")")
"""'69 in', '69"': inches after a number, read only for a length (elsewhere 'in' is a preposition)."""
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
    r"|\b(?:aged?|age:)\s*(?:of\s*)?(?P<n5>\d{1,3})(?P<half>\s*1/2|\.5)?\s*(?P<u5>months?|mos?|weeks?|wks?|days?)\b"
    r"|\b(?:aged?|age:)\s*(?:of\s*)?(?P<n3>\d{1,3})\b"
    r"|\b(?P<n4>\d{1,3})(?:\s*|-)(?P<u4>months?|mos?|weeks?|wks?|days?)(?:\s*|-)old\b",
    re.IGNORECASE,
)
_PER_YEAR = {"m": 12.0, "w": 52.0, "d": 365.0}


AGE_SEX_RE = re.compile(
    r"(?P<age>\d{1,3})(?:\s*(?P<unit>yo|y/o|y\.o\.|yrs?|years?(?:[\s-]old)?)|\s*y(?=\s*,|\s+[MF](?![\w/&'])))?\s*[,/]?\s*(?P<sex>[MF])(?![\w/&'])",
    re.IGNORECASE,
)
"""Compact demographics: ``69 F``, ``59 yr M``, ``66 y, F`` (patterns start with a character set so
the regex engine can skip ahead; left boundaries are checked in code)."""
SEX_AGE_RE = re.compile(
    r"(?P<sex>[MF])(?:\s*[/,]\s*(?P<age>\d{1,3})(?:\s*(?:yo|y/o|yrs?|y)\b)?"
    r"|\s+(?P<age_y>\d{1,3})\s*(?:yo|y/o|yrs?|y)\b)(?![\w/.])"
)
"""Sex before age: ``F/64``, ``M, 23``, ``F 45y`` (with only a space between, the age needs its unit)."""
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
        (m, "age", m.end("unit") if m.group("unit") else m.end("age"))
        for s, e in spans
        for m in AGE_SEX_RE.finditer(text, s, e)
        if _left_ok(text, m.start(), "._")
    ]
    found += [
        (m, group, m.end(group))
        for s, e in spans
        for m in SEX_AGE_RE.finditer(text, s, e)
        if _left_ok(text, m.start(), "_/")
        for group in ("age" if m.group("age") else "age_y",)
    ]
    for m, group, a_end in found:
        if m.group("sex") not in ("M", "F"):  # lower-case m/f are units or words
            continue
        age = int(m.group(group))
        if not 0 < age < 111 or _NOT_AGE_BEFORE.search(text, max(0, m.start() - 15), m.start()):
            continue
        out.append(("age", m.start(group), a_end))
        out.append(("sex", m.start("sex"), m.end("sex")))
    return out


def age_of(m: re.Match) -> float | None:
    """The age in years ("62-year-old", "62 yo", "aged 62", "15-week-old": 0.29)."""
    if m.group("n4"):
        return round(int(m.group("n4")) / _PER_YEAR[m.group("u4")[0].lower()], 3)
    if m.group("n5"):  # "age 9 months", "age 4 1/2 months"
        return round((int(m.group("n5")) + (0.5 if m.group("half") else 0)) / _PER_YEAR[m.group("u5")[0].lower()], 3)
    v = int(m.group("n") or m.group("n2") or m.group("n3"))
    return float(v) if 0 < v < 120 else None


_SIZE_PRIOR_BEFORE = re.compile(
    r"(?:\b(?:previously|previous|prior|formerly|earlier|baseline|before|was|were|from|compared\s+(?:with|to)|vs\.?|versus|"
    r"last\s+(?:scan|study|exam|imaging|time))|\(\s*(?:prior|previously|previous|was|baseline)\b)"
    r"(?:\s+(?:scan|study|exam|imaging|CT|MRI|PET(?:/CT)?))?\s*(?:of|at|measuring|measured|[:=])?\s*$", re.IGNORECASE)
_UNITLESS_FROM = re.compile(r"\bfrom\s+\d+(?:\.\d+)?\s*(?:to|->|→|-)\s*$", re.IGNORECASE)


def size_timepoints(text: str, s_start: int, s_end: int) -> dict[int, str]:
    """``current`` / ``prior`` for each lesion size in a sentence that states both ("now 3.1 cm,
    previously 2.4 cm"; "increased from 18 to 25 mm"; "2.6 cm (prior 2.0 cm)"), keyed by the size's
    start offset. A size right after a past cue (previously, prior, was, from, compared with) is
    prior; the others are current. A sentence with a single time point gets no timepoints."""
    sizes = list(SIZE_RE.finditer(text, s_start, s_end))
    if not sizes:
        return {}
    out: dict[int, str] = {}
    implicit_prior = False
    for m in sizes:
        before = text[max(s_start, m.start() - 40):m.start()]
        if _UNITLESS_FROM.search(before):
            implicit_prior = True
            out[m.start()] = "current"
        elif _SIZE_PRIOR_BEFORE.search(before):
            out[m.start()] = "prior"
        else:
            out[m.start()] = "current"
    if not implicit_prior and not ("prior" in out.values() and "current" in out.values()):
        return {}
    return out
