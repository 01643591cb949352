"""The assertion a mention's own words state: 'never smoker', 'non-smoker' (negated), 'ex-smoker' (historical),
and a prefix that says the mention is not the thing ('pseudo-relapse'). Patterns are ``note_context.json`` data."""
from __future__ import annotations

import re

from ..schema import Cue, Fact
from .fact_context import _rx, rules


def assertion_in_name(phrase: str) -> tuple[str, re.Match[str]] | None:
    """The assertion a phrase's own words state ('never smoker' -> negated), with the words; listings read it too."""
    for flag, pattern in rules().assertion_in_name.items():
        m = _rx(pattern).search(phrase)
        if m is not None:
            return flag, m
    return None


def assertion_in_name_checked(f: Fact) -> Fact:
    """'Never smoker', 'non-smoker' (negated) and 'ex-smoker' (historical): the flag the mention's own words
    state, with the words as its cue (a cue inside the mention does not modify it in ConText)."""
    named = assertion_in_name(f.text)
    if named is None or getattr(f, named[0]) or f.family or f.hypothetical:
        return f
    flag, m = named
    cue = Cue(category="NEGATED_EXISTENCE" if flag == "negated" else "HISTORICAL", text=m.group(0),
              start=f.start + m.start(), end=f.start + m.end())
    return f.model_copy(update={flag: True, "cues": [*f.cues, cue]})


def not_the_thing(text: str, f: Fact) -> Fact:
    """'Pseudo-relapse': a prefix written onto the mention says it is not the thing (negated, with the prefix)."""
    pattern = rules().not_the_thing_prefix_pattern
    m = _rx(pattern + r"$").search(text, max(0, f.start - 20), f.start) if pattern and not f.negated else None
    if m is None:
        return f
    cue = Cue(category="NEGATED_EXISTENCE", text=m.group(0), start=m.start(), end=m.end())
    return f.model_copy(update={"negated": True, "cues": [*f.cues, cue]})
