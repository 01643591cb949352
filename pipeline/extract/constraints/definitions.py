"""What a bracket or a sentence says counts as the thing before it: a defining bracket ('COPD exacerbation
(requiring corticosteroids ...)'), measured limits that define a condition ('anemia (hemoglobin < 9 g/dL)'),
narrower conditions that say which forms count ('cardiac arrhythmias (2nd and 3rd degree heart block ...)'), and a
sentence saying what may also count ('this could include a trial of corticosteroids')."""
from __future__ import annotations

import re

from ...lexicon import Lexicon
from ...schema import Constraint
from ..criteria_scopes import SENTENCE_STOP
from .context import Element, compiled_rules


def defined_heads(text: str, els: list[Element], end: int, lexicon: Lexicon) -> list[Element]:
    """The elements without the names the brackets after them define: an open-vocabulary name goes; a lexicon
    condition stays, marked ``defined_by`` so that the matcher asks it only when the bracket's items decide
    nothing ('no anemia' still clears 'anemia (hemoglobin < 9 g/dL)' without a value)."""
    out = []
    for e in els:
        by = _defined_by(text, e, els, end, lexicon)
        if by is None:
            out.append(e)
        elif not e.mention.open_vocab:
            e.attributes["defined_by"] = by
            out.append(e)
    return out


def _defined_by(text: str, e: Element, els: list[Element], end: int, lexicon: Lexicon) -> str | None:
    if _defined_label(text, e, els, end):
        return "values"
    if e.mention.open_vocab or e.mention.kind != "condition" or e.values:
        return None
    m = _OPENING.match(text, e.mention.end, end)
    if m is None:
        return None
    if compiled_rules()["examples"].match(text, _SPACES.match(text, m.end(), end).end(), end):  # type: ignore[union-attr]
        return None  # "(e.g. ...)", "(such as ...)": examples, the class itself still counts
    i = _bracket_close(text, m.end() - 1, end)
    content = text[m.end():i]
    if not (re.search(r"\d", content) or compiled_rules()["paren_narrowing"].search(content)):
        return None  # "rheumatic disease (RA, SpA, SLE)": a plain list of names gives examples of the head
    inside = [o for o in els if o is not e and e.mention.end < o.mention.start < i and not o.mention.open_vocab
              and o.mention.kind == "condition"]
    if inside and all(lexicon.is_a(o.mention.concept, e.mention.concept) and o.mention.concept != e.mention.concept
                      for o in inside):
        return "items"  # "cardiac arrhythmias (2nd and 3rd degree heart block ...)": only those forms count
    return None


_OPENING = re.compile(r"\s*[(\[]")
_SPACES = re.compile(r"\s*")


def _bracket_close(text: str, opening: int, end: int) -> int:
    """The offset of the bracket that closes the one at ``opening`` (or ``end``)."""
    depth, i = 0, opening
    while i < end:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(text[i], 0)
        if depth == 0:
            break
        i += 1
    return i


def without_definitions(text: str, els: list[Element], end: int) -> list[Element]:
    """'COPD exacerbation (requiring corticosteroids or antibiotics or hospitalization)': a bracket that opens
    with a defining word (``criteria_patterns.json`` ``definition_bracket_pattern``) says what counts as the
    thing before it; its items are no conditions of their own."""
    rx = compiled_rules()["definition_bracket"]
    drop: list[tuple[int, int]] = []
    for e in els:
        m = rx.match(text, e.mention.end, end)
        if m is not None:
            opening = _OPENING.match(text, e.mention.end)
            assert opening is not None  # the pattern opens with the bracket
            drop.append((m.end(), _bracket_close(text, opening.end() - 1, end)))
    return [e for e in els if not any(a <= e.mention.start < b for a, b in drop)]


def without_allowances(text: str, els: list[Element], start: int, end: int) -> list[Element]:
    """'In the case of infantile spasms this could include a trial of corticosteroids': a sentence saying what may
    also count widens the requirement before it (``allowance_pattern``); none of its items is required."""
    drop: list[tuple[int, int]] = []
    for m in compiled_rules()["allowance"].finditer(text, start, end):
        stop = SENTENCE_STOP.search(text, m.end(), end)
        drop.append((m.end(), stop.start() if stop else end))
    if not drop:
        return els
    kept = [e for e in els if not any(a <= e.mention.start < b for a, b in drop)]
    return kept or els


def _defined_label(text: str, e: Element, els: list[Element], end: int) -> bool:
    """A name defined by the checkable items in the brackets right after it ('renal function deficiency (GFR < 30
    ml/min)', 'elevated liver enzymes (AST/ALT more than twice normal)'): the items decide. A lexicon condition
    too, when the bracket holds only measured limits ('renal impairment (creatinine clearance < 30 mL/min)',
    'anemia (hemoglobin < 9 g/dL)'), with a treatment that marks the same severity beside them ('renal failure
    (eGFR < 30 or requiring dialysis)'): the notes need not name the condition that the values define."""
    condition = not e.mention.open_vocab and e.mention.kind == "condition" and not e.values
    if not e.mention.open_vocab and not condition:
        return False
    m = _OPENING.match(text, e.mention.end, end)
    if m is None:
        return False
    i = _bracket_close(text, m.end() - 1, end)
    if any(o.mention.end <= e.mention.start and re.fullmatch(r"\s*(?:/|,|or|and|and/or)\s*",
                                                          text[o.mention.end:e.mention.start], re.IGNORECASE)
           for o in els if o is not e):
        return False  # "infection/inflammation (temperature > 38 C ...)": one of two alternatives, kept
    inside = [o for o in els if o is not e and e.mention.end < o.mention.start < i]
    if condition and not (all(o.values and o.mention.kind in _MEASURED or o.mention.kind in _SEVERITY and not o.values
                              for o in inside) and any(o.values for o in inside)):
        return False  # "hepatitis B (HBsAg positive or HBV DNA detectable)", "stroke (within 6 months)": kept
    return any(not o.mention.open_vocab and o.values for o in inside)


_MEASURED = frozenset(("lab", "measurement"))
"""Kinds whose value defines a condition named before them in brackets."""
_SEVERITY = frozenset(("procedure",))
"""Kinds that may stand beside such values as a mark of severity ('renal failure (eGFR < 30 or requiring dialysis)')."""


_EITHER_JOIN = re.compile(r"[\s-]*(?:and/or|and|or|/|,)[\s-]*", re.IGNORECASE)


def either_forms(text: str, constraints: list[Constraint]) -> set[str]:
    """'Chronic non-cancer and cancer pain', 'smokers or non-smokers': a name and its 'non-' form joined by and/or
    admit either, so neither is asked (the ids to keep out of the tree)."""
    out: set[str] = set()
    for a in constraints:
        neg = (a.spans or {}).get("negation")
        if not a.negated or neg is None or text[neg[0] : neg[1]].lower() != "non":
            continue
        a1 = (a.spans or {}).get("concept", (a.start, a.end))[1]
        for b in constraints:
            if b is a or b.concept != a.concept or b.negated:
                continue
            b0, b1 = (b.spans or {}).get("concept", (b.start, b.end))
            if _EITHER_JOIN.fullmatch(text, a1, b0) or _EITHER_JOIN.fullmatch(text, b1, neg[0]):
                out |= {a.id, b.id}
    return out
