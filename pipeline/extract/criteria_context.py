"""What a criterion's words around each constraint ask: current vs any past episode, a qualifier
('uncontrolled', 'active', 'symptomatic'), a sample's purpose, a predicted value, the trial's target.

Decided once, when the listing is parsed, and recorded on each constraint (``Constraint.context``);
the matcher reads the record, never the listing text. Words are data: ``models/rules/qualifiers.json``
(criterion words of each group, history and purpose words) and ``match_settings.json``
(``current_pattern``), ``note_context.json`` (``prediction_pattern``).
"""
from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from ..resources import models_path
from ..rulefile import read_json, words_pattern
from ..schema import Constraint, ConstraintContext, Criterion
from .fact_context import qualifier_words, rules

_SUFFIX_END = re.compile(r"[;.,()]|\s(?:or|and)\s")


class _CurrentWords(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    current_pattern: str


@lru_cache(maxsize=1)
def _patterns() -> dict:
    q = qualifier_words()
    current = read_json(models_path("rules", "match_settings.json"), _CurrentWords).current_pattern
    return {
        "history": words_pattern(q.history_words),
        "purpose": words_pattern(q.purpose_words) if q.purpose_words else None,
        "groups": [(g.id, words_pattern(g.criterion)) for g in q.groups],
        "current": re.compile(current, re.IGNORECASE),
        "prediction": re.compile(rules().prediction_pattern, re.IGNORECASE),
    }


def clause_context(c: Constraint, criterion: Criterion, text: str) -> tuple[str, str]:
    """Criterion text of the constraint's clause before it (from the previous ';' ':' '. ') and the
    short phrase right after it (up to the next punctuation, 'or', 'and')."""
    if text[c.start:c.end] == c.text and criterion.start <= c.start <= criterion.end:
        before, after = text[criterion.start:c.start], text[c.end:criterion.end]
    else:
        i = criterion.text.find(c.text) if c.text else -1
        before, after = (criterion.text[:i], criterion.text[i + len(c.text):]) if i >= 0 else ("", "")
    cut = max(before.rfind(";"), before.rfind(":"), before.rfind(". "))
    m = _SUFFIX_END.search(after)
    return (before[cut + 1:] if cut >= 0 else before), (after[: m.start()] if m else after)


def _groups_in(text: str) -> list[str]:
    return [gid for gid, rx in _patterns()["groups"] if rx.search(text)]


def constraint_context(c: Constraint, criterion: Criterion, text: str, target_concepts: set[str]) -> ConstraintContext:
    p = _patterns()
    prefix, suffix = clause_context(c, criterion, text)
    history = p["history"].search(prefix) is not None
    purpose = p["purpose"] is not None and p["purpose"].search(prefix) is not None
    groups: list[str] = []
    if not history:
        groups = _groups_in(prefix + " " + suffix)
        if not groups and ":" in criterion.text:
            lead = criterion.text.split(":", 1)[0]
            if c.text not in lead:
                groups = _groups_in(lead)
    return ConstraintContext(
        current=p["current"].search(criterion.text) is not None, history=history, purpose=purpose,
        prediction=p["prediction"].search(prefix[-40:] + " " + suffix) is not None, qualifier_groups=groups,
        target=c.concept in target_concepts,
    )


def with_context(criterion: Criterion, text: str, target_concepts: set[str]) -> Criterion:
    """The criterion with every constraint's context decided."""
    cs = [c.model_copy(update={"context": constraint_context(c, criterion, text, target_concepts)}) for c in criterion.constraints]
    return criterion.model_copy(update={"constraints": cs})
