"""Criterion qualifiers on conditions ('active', 'poorly controlled', 'massive ... symptomatic'),
checked against the sentence of each documented mention (``models/rules/qualifiers.json``)."""
from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Literal

from pydantic import Field

from ..schema import Constraint, Criterion, Fact, Note
from .profile import sentence_bounds
from .rules import _load, _Rule

Support = Literal["yes", "no", "unknown"]


class Measure(_Rule):
    condition: str
    concept: str
    comparator: Literal[">=", ">", "<=", "<"]
    value: float


class QualifierGroup(_Rule):
    id: str
    criterion: tuple[str, ...]
    supports: tuple[str, ...]
    contradicts: tuple[str, ...]
    default_when_silent: Literal["unknown", "current_if_not_historical"]
    historical_contradicts: bool = False
    recent_counts: bool = False
    measures: tuple[Measure, ...] = ()


class Qualifiers(_Rule):
    history_words: tuple[str, ...]
    purpose_words: tuple[str, ...] = ()
    groups: tuple[QualifierGroup, ...] = Field(default=())


def _rx(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def qualifiers() -> Qualifiers:
    return _load("qualifiers.json", Qualifiers)  # type: ignore[return-value]


@cache
def _compiled(group_id: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    g = next(g for g in qualifiers().groups if g.id == group_id)
    return _rx(g.criterion), _rx(g.supports), _rx(g.contradicts)


_SUFFIX_END = re.compile(r"[;.,()]|\s(?:or|and)\s")


def clause_context(c: Constraint, criterion: Criterion, listing_text: str) -> tuple[str, str]:
    """Criterion text of the constraint's clause before it (from the previous ';' ':' '. ') and the
    short phrase right after it (up to the next punctuation, 'or', 'and')."""
    if listing_text[c.start:c.end] == c.text and criterion.start <= c.start <= criterion.end:
        before, after = listing_text[criterion.start:c.start], listing_text[c.end:criterion.end]
    else:
        i = criterion.text.find(c.text) if c.text else -1
        before, after = (criterion.text[:i], criterion.text[i + len(c.text):]) if i >= 0 else ("", "")
    cut = max(before.rfind(";"), before.rfind(":"), before.rfind(". "))
    m = _SUFFIX_END.search(after)
    return (before[cut + 1:] if cut >= 0 else before), (after[: m.start()] if m else after)


def history_clause(c: Constraint, criterion: Criterion | None, listing_text: str) -> bool:
    """The clause asks about any past episode ("a history of active tuberculosis")."""
    if criterion is None:
        return False
    prefix, _ = clause_context(c, criterion, listing_text)
    return _rx(qualifiers().history_words).search(prefix) is not None


def purpose_clause(c: Constraint, criterion: Criterion | None, listing_text: str) -> bool:
    """The constraint names what a sample or test is for ("tissue ... for detection of PD-L1")."""
    if criterion is None or not qualifiers().purpose_words:
        return False
    prefix, _ = clause_context(c, criterion, listing_text)
    return _rx(qualifiers().purpose_words).search(prefix) is not None


def group_by_id(group_id: str) -> QualifierGroup:
    return next(g for g in qualifiers().groups if g.id == group_id)


def _groups_in(text: str) -> list[QualifierGroup]:
    return [g for g in qualifiers().groups if _compiled(g.id)[0].search(text)]


def groups_for(c: Constraint, criterion: Criterion | None, listing_text: str) -> list[QualifierGroup]:
    """The qualifier groups the criterion puts on this constraint's condition (clause first, then the
    criterion's lead-in before ':' when the clause has none)."""
    if criterion is None or history_clause(c, criterion, listing_text):
        return []
    prefix, suffix = clause_context(c, criterion, listing_text)
    found = _groups_in(prefix + " " + c.text + " " + suffix)
    if not found and ":" in criterion.text:
        lead = criterion.text.split(":", 1)[0]
        if c.text not in lead:
            found = _groups_in(lead)
    return found


def group_for(c: Constraint, criterion: Criterion | None, listing_text: str) -> QualifierGroup | None:
    found = groups_for(c, criterion, listing_text)
    return found[-1] if found else None


def fact_context(fact: Fact, note: Note | None, others: list[Fact]) -> str:
    """The fact's sentence, narrowed to the stretch between the neighbouring mentions of other
    concepts (so 'COPD on tiotropium, childhood asthma (inactive)' keeps 'inactive' with asthma)."""
    if note is None or fact.end > len(note.text):
        return fact.text
    s, e = sentence_bounds(note.text, fact.start, fact.end)
    for o in others:
        if o.note_id != fact.note_id or o.concept == fact.concept or not (s <= o.start and o.end <= e):
            continue
        if o.end <= fact.start:
            s = max(s, o.end)
        elif o.start >= fact.end:
            e = min(e, o.start)
    return note.text[s:e]


def support(group: QualifierGroup, fact: Fact, note: Note | None, others: list[Fact] = (),  # type: ignore[assignment]
            *, recent: bool = False, measured: tuple[bool, str] | None = None, remote: bool = False) -> tuple[Support, str]:
    """Whether the context of ``fact`` supports the qualifier, with the word that decided.

    ``recent``: the fact is dated within the recent-event horizon; ``measured``: the verdict of the
    group's lab measure for this condition (True = supports), when the patient has that lab;
    ``remote``: the event is dated (next to the mention) before the recent-event horizon ('MI 2019').
    A remote or historical event without deciding words is over for groups whose
    ``historical_contradicts`` is set; for the others the rest of its sentence may still say it is
    over ('Atrial fibrillation in 2018 after hip surgery, resolved')."""
    _, sup_rx, con_rx = _compiled(group.id)
    sentence = fact_context(fact, note, list(others))
    sup = sup_rx.search(sentence)
    con = con_rx.search(sentence)
    if con and not (sup and sup.start() < con.start() and sup.end() > con.start()):
        return "no", con.group(0)
    if sup:
        return "yes", sup.group(0)
    if measured is not None:
        return ("yes" if measured[0] else "no"), measured[1]
    if (fact.historical or remote) and group.historical_contradicts:
        return ("yes", "recent") if recent and group.recent_counts else ("no", "remote" if remote else "past")
    if (fact.historical or remote) and note is not None and fact.end <= len(note.text):
        s_, e_ = sentence_bounds(note.text, fact.start, fact.end)
        over = con_rx.search(note.text[fact.end:e_])
        if over and not sup_rx.search(note.text[s_:e_]):
            return "no", over.group(0)
    if group.default_when_silent == "current_if_not_historical":
        return "yes", "current"
    return "unknown", ""
