"""Criterion qualifiers on conditions ('active', 'poorly controlled', 'massive ... symptomatic'),
checked against the qualifier words extraction found around each documented mention
(``Fact.qualifier_cues``; groups in ``models/rules/qualifiers.json``)."""
from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field

from ..schema import Constraint, Fact, QualifierCue
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
    applies_with_history: bool = False
    """Read when a listing is parsed (``extract/criteria_context.py``): the qualifier holds in 'a history of ...'."""
    unstated_clears_exclusion: bool = False
    """An exclusion of the qualified form ('uncontrolled hypertension') is not met by the condition documented with
    no word of the qualifier: nothing says it is uncontrolled."""


class Qualifiers(_Rule):
    history_words: tuple[str, ...]
    exposure_words: tuple[str, ...] = ()
    purpose_words: tuple[str, ...] = ()
    therapy_purpose_words: tuple[str, ...] = ()
    purpose_after_words: tuple[str, ...] = ()
    condition_purpose_after_words: tuple[str, ...] = ()
    """The same for a condition only ('diabetes agents'): a drug before them stays the drug ('antibody drugs')."""
    """Head nouns right after a condition that make it what the words are for ('stroke risk factor')."""
    plan_words: tuple[str, ...] = ()
    groups: tuple[QualifierGroup, ...] = Field(default=())


@lru_cache(maxsize=1)
def qualifiers() -> Qualifiers:
    return _load("qualifiers.json", Qualifiers)  # type: ignore[return-value]


def group_by_id(group_id: str) -> QualifierGroup:
    return next(g for g in qualifiers().groups if g.id == group_id)


def groups_for(c: Constraint) -> list[QualifierGroup]:
    """The qualifier groups the criterion puts on this constraint's condition (decided at parse time)."""
    if c.context is None:
        return []
    groups = [group_by_id(g) for g in c.context.qualifier_groups if any(q.id == g for q in qualifiers().groups)]
    return [g for g in groups if g.applies_with_history] if c.context.history else groups


def _cue(f: Fact, group: str, polarity: str, scope: str) -> QualifierCue | None:
    return next((q for q in f.qualifier_cues if q.group == group and q.polarity == polarity and q.scope == scope), None)


def support(group: QualifierGroup, fact: Fact, *, recent: bool = False, measured: tuple[bool, str] | None = None,
            remote: bool = False) -> tuple[Support, str]:
    """Whether the words around ``fact`` support the qualifier, with the word that decided.

    ``recent``: the fact is dated within the recent-event horizon; ``measured``: the verdict of the
    group's lab measure for this condition (True = supports), when the patient has that lab;
    ``remote``: the event is dated (next to the mention) before the recent-event horizon ('MI 2019').
    A remote or historical event without deciding words is over for groups whose
    ``historical_contradicts`` is set; for the others the rest of its sentence may still say it is
    over ('Atrial fibrillation in 2018 after hip surgery, resolved')."""
    sup = _cue(fact, group.id, "supports", "context")
    con = _cue(fact, group.id, "contradicts", "context")
    if con and not (sup and sup.start < con.start and sup.end > con.start):
        return "no", con.text
    if sup:
        over = _cue(fact, group.id, "contradicts", "after")
        if over is not None and fact.over and sup.end <= over.start:
            # "Chronic hepatitis C - treated 2019, SVR12 achieved": a past mention's later words say it is over
            return "no", over.text
        return "yes", sup.text
    if measured is not None:
        return ("yes" if measured[0] else "no"), measured[1]
    if (fact.over or remote) and group.historical_contradicts:
        return ("yes", "recent") if recent and group.recent_counts else ("no", "remote" if remote else "past")
    if fact.over or remote:
        over = _cue(fact, group.id, "contradicts", "after")
        if over and not _cue(fact, group.id, "supports", "sentence"):
            return "no", over.text
    if group.default_when_silent == "current_if_not_historical":
        return "yes", "current"
    return "unknown", ""
