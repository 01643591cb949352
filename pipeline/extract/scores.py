"""Scores written after their name: performance scores (ECOG, Karnofsky, with the Karnofsky -> ECOG mapping),
classes and levels (NYHA III, 'grade 2'), and signed scores (``T-score -2.7``). Pure functions over the raw text and
the end of the mention, like ``values``."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .values import Value

_SCORE_AFTER = re.compile(
    r"(?:\s|[:=(),]|ps|performance|status|score|scale|grade|functional|class|of|is|was|currently|now|today|remains|at)*?"
    r"(?:(?-i:[A-C])[ \t]*\(?[ \t]*(?=\d))?"  # a class letter before the points: 'Child-Pugh A6', 'B (8)'
    r"(?P<v>\d{1,3}|(?-i:IV|I{1,3})(?![A-Za-z]))(?:\s*(?:-|–|to|/)\s*(?P<v2>\d{1,3}|(?-i:IV|I{1,3})(?![A-Za-z])))?"
    r"(?P<pct>\s*%)?", re.IGNORECASE)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def _level(s: str) -> int:
    return _ROMAN[s] if s in _ROMAN else int(s)


_SCALE_BRACKET = re.compile(r"[ \t]*\([ \t]*(?:0[ \t]*(?:-|–|to)[ \t]*)?\d{1,3}[ \t]*(?:mm|cm|points?|pts?)?[ \t]*\)",
                            re.IGNORECASE)
"""The scale's own length in brackets right after its name: 'VAS (100 mm) today: 30 mm', 'NRS (0-10): 6'."""


def score_value(text: str, mention_end: int, limit: int, concept: str) -> Value | None:
    bracket = _SCALE_BRACKET.match(text, mention_end, limit)
    m = _SCORE_AFTER.match(text, bracket.end(), min(limit, bracket.end() + 40)) if bracket else None
    m = m or _SCORE_AFTER.match(text, mention_end, min(limit, mention_end + 40))
    if not m:
        return None
    if not m.group("v").isdigit() and concept in ("karnofsky", "ecog"):
        return None  # a Roman level is a class (NYHA), never a performance score
    v = _level(m.group("v"))
    v2 = _level(m.group("v2")) if m.group("v2") else None
    if concept == "karnofsky":
        if v > 100 or v % 10:
            return None
        return Value(float(v), "%", m.start("v"), m.end(), {"ecog": karnofsky_to_ecog(v), "scale": "Karnofsky"})
    if concept == "ecog":
        if v > 5 or (v2 is not None and v2 > 5):
            return None
        attrs: dict[str, Any] = {"scale": "ECOG"}
        if v2 is not None:
            attrs["range"] = [v, v2]
        return Value(max(v, v2 or v), None, m.start("v"), m.end(), attrs)
    return Value(float(v), None, m.start("v"), m.end(), {})


@lru_cache(maxsize=1)
def _signed_after() -> re.Pattern[str]:
    """Filler, then the site measured (``note_context.json`` ``score_site_pattern``), then a signed decimal."""
    from .note_rules import rules as note_rules

    return re.compile(
        r"(?:[ \t]|[:=(),]|score|of|is|was|at|the|" + note_rules().score_site_pattern + r")*?"
        r"(?P<v>[-−–+]?[ \t]?\d{1,2}(?:[.,]\d{1,2})?)(?![\d.,]?\d)", re.IGNORECASE)


def signed_value(text: str, mention_end: int, limit: int) -> Value | None:
    """A signed decimal right after its score's name: ``T-score -2.7``, ``T score: −3.1 (FN)``."""
    m = _signed_after().match(text, mention_end, min(limit, mention_end + 40))
    if not m:
        return None
    raw = m.group("v")
    v = float(re.sub(r"[ \t]", "", raw).replace("−", "-").replace("–", "-").replace(",", "."))
    return Value(v, None, m.start("v"), m.end("v"), {"raw_value": raw})


def karnofsky_to_ecog(kps: int) -> int:
    """Standard KPS -> ECOG mapping (100-90: 0, 80-70: 1, 60-50: 2, 40-30: 3, 20-10: 4, 0: 5)."""
    if kps >= 90:
        return 0
    if kps >= 70:
        return 1
    if kps >= 50:
        return 2
    if kps >= 30:
        return 3
    if kps >= 10:
        return 4
    return 5
