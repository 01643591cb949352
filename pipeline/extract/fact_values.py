"""The value a mention takes, by its concept's kind: an age, a lesion size, a test result, a lab or measurement
value, a score; and the result of a test for a condition ("urine pregnancy test negative")."""
from __future__ import annotations

import re
from functools import lru_cache

from . import scores as S
from . import values as V
from .note_text import clause_span


def row_limit(text: str, start: int, sent_end: int) -> int:
    nl = text.find("\n", start)
    return min(sent_end, nl) if nl != -1 else sent_end


@lru_cache(maxsize=1)
def _test_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Test words (``note_context.json`` ``condition_test_pattern``) right after a condition, and right before it."""
    from .note_rules import rules as note_rules

    words = note_rules().condition_test_pattern
    return (re.compile(r"[ \t]*:?[ \t]*(?:" + words + r")\b", re.IGNORECASE),  # "H. pylori: serology"
            re.compile(r"\b(?:" + words + r")[ \t]+(?:for[ \t]+)?$", re.IGNORECASE))


def tested_result(text: str, start: int, end: int, s_start: int, s_end: int) -> tuple[bool, V.Value | None]:
    """Whether the mention names a test for the condition ("H. pylori stool antigen", "test for pregnancy"), and
    that test's result when one is written: "pregnancy test negative", "negative pregnancy test"."""
    test_after, test_before = _test_words()
    after = test_after.match(text, end, s_end)
    if after is not None:
        return True, V.result_value(text, start, after.end(), s_start, s_end)
    if test_before.search(text, max(s_start, start - 20), start):  # "test for pregnancy: negative"
        return True, V.result_value(text, start, end, s_start, s_end)
    return False, None


@lru_cache(maxsize=1)
def _value_before() -> tuple[str, ...]:
    from .note_rules import rules

    return rules().value_before_concepts


@lru_cache(maxsize=1)
def notations() -> dict[str, tuple[list[re.Pattern[str]], int, float, float]]:
    """``note_context.json`` ``notation_values`` compiled: concept -> (patterns, parts per whole, low, high)."""
    from .note_rules import rules

    return {c: ([re.compile(p, re.IGNORECASE) for p in n.patterns], n.parts, n.low, n.high)
            for c, n in rules().notation_values.items()}


def notation_matches(text: str) -> list[tuple[str, int, int]]:
    """(concept, start, end) of every measure written in its own notation ('GA 21+3', '23+6/40')."""
    out = []
    for concept, (patterns, parts, low, high) in notations().items():
        for rx in patterns:
            out += [(concept, m.start(), m.end()) for m in rx.finditer(text)
                    if low <= _notation_number(m, parts) <= high]
    return out


def _notation_number(m: re.Match[str], parts: int) -> float:
    return round(int(m.group("value")) + int(m.groupdict().get("part") or 0) / parts, 2)


def _notation_value(text: str, span, concept: str, unit: str | None) -> V.Value | None:
    patterns, parts, _, _ = notations()[concept]
    for rx in patterns:
        m = rx.match(text, span.start_char)
        if m is not None and m.end() <= span.end_char:
            return V.Value(_notation_number(m, parts), unit, span.start_char, span.end_char,
                           {"raw_value": m.group(0)})
    return None


def value_for(text, span, concept, kind, entry, s_start, s_end) -> V.Value | None:
    if concept in notations():
        found = _notation_value(text, span, concept, entry.unit if entry is not None else None)
        if found is not None:
            return found
    if concept == "age":
        m = V.AGE_RE.match(text, span.start_char)
        if m and m.end() <= span.end_char + 1:
            return V.Value(V.age_of(m), "year", span.start_char, span.end_char)
        n = re.match(r"\d{1,3}", span.text)  # compact demographics: "69 F"
        return V.Value(float(n.group(0)), "year", span.start_char, span.end_char) if n else None
    if concept == "measurable_lesion":
        m = V.SIZE_RE.match(text, span.start_char)
        if m:
            return V.Value(V.size_mm(m), "mm", span.start_char, span.end_char, {"raw_value": m.group(0)})
        return None
    if kind == "result":
        return V.result_value(text, span.start_char, span.end_char, s_start, s_end)
    if concept == "life_expectancy":
        return V.duration_value(text, span.end_char, row_limit(text, span.end_char, s_end), span.start_char, s_start)
    if concept in _value_before():
        # "40 pack-years": the number is written before the measure's name
        m = re.search(r"(\d+(?:\.\d+)?)\s*[-–]?\s*$", text[max(0, span.start_char - 12):span.start_char])
        return V.Value(float(m.group(1)), None, span.start_char - len(m.group(0)), span.end_char,
                       {"raw_value": m.group(1)}) if m else None
    if kind == "lab" or (kind in ("measurement", "condition") and entry is not None and entry.unit):
        limit = row_limit(text, span.end_char, s_end)
        v = V.lab_value(text, span.end_char, limit, concept, entry.unit if entry is not None else None)
        return _with_second(text, v, limit) if v is not None and concept in _paired() else v
    if kind == "score" and entry is not None and entry.signed:
        return S.signed_value(text, span.end_char, row_limit(text, span.end_char, s_end))
    if kind == "score":
        return S.score_value(text, span.end_char, row_limit(text, span.end_char, s_end), concept)
    return None


@lru_cache(maxsize=1)
def _paired() -> frozenset[str]:
    from .note_rules import rules

    return frozenset(rules().paired_value_concepts)


_SECOND = re.compile(r"[ \t]*/[ \t]*(\d{1,3}(?:\.\d+)?)(?![\d/]|\.\d)")


def _with_second(text: str, v: V.Value, limit: int) -> V.Value:
    """A value written as a pair ('BP 130/78'): the second number kept beside the first (``second_value``)."""
    m = _SECOND.match(text, v.end, limit) if v.attributes.get("raw_unit") is None else None
    if m is None:
        return v
    unit = re.match(r"[ \t]*mm[ \t]*Hg\b", text[m.end():limit], re.IGNORECASE)
    end = m.end() + (unit.end() if unit else 0)
    return V.Value(v.value, v.unit, v.start, end, {**v.attributes, "second_value": float(m.group(1))})


@lru_cache(maxsize=1)
def _local_route() -> re.Pattern[str]:
    from .note_rules import rules

    return re.compile(r"(?<![\w-])(?:" + rules().local_route_pattern + r")(?![\w-])", re.IGNORECASE)


def local_route(text: str, start: int, end: int) -> bool:
    """The drug mention's clause (a few words before it to the next comma, semicolon or line end) makes it a
    local treatment: "hydrocortisone 1% cream to face", "inhaled fluticasone", "Symbicort 2 puffs BID"."""
    left, right = clause_span(text, start, end)
    return _local_route().search(text, max(left, start - 20), right) is not None
