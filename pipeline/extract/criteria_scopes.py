"""Scopes inside one criterion that change how its constraints combine, found from rules kept as data in
``models/rules/criteria_patterns.json``:

- carve-outs ("except", "other than", "unless", "... are eligible", "does not apply to"): the items they
  name narrow the criterion's condition instead of adding triggers;
- conditional alternatives ("≤ 5 × ULN with liver metastases"): the condition under which a second
  threshold applies;
- cohort, arm, part or phase labels ("Cohort A:", "For the dose-escalation phase:"): alternatives;
- consent, willingness and logistics ("willing to use contraception"): asked of the patient, not the notes;
- condition qualifiers ("symptomatic", "untreated", "uncontrolled") the matcher may require.

Every function is pure: text and offsets in, spans out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from .listing import rules


@dataclass(frozen=True)
class CarveRule:
    id: str
    cue: re.Pattern[str]
    items: Literal["after", "before"]
    alone: Literal["permission", "requirement"]
    """What a criterion made only of this cue's items states: a permission (nothing to check) or, in an
    inclusion, the requirement itself ("Patients with stage IV disease are eligible")."""
    widens: bool = True
    """In an inclusion, items before the cue are alternatives ('are eligible'), not exceptions ('were excluded')."""


@dataclass(frozen=True)
class CarveScope:
    """Items in ``[start, end)`` are carved out of the criterion by the cue at ``cue``."""

    rule: str
    items: Literal["after", "before"]
    alone: Literal["permission", "requirement"]
    start: int
    end: int
    cue: tuple[int, int]
    widens: bool = True


_NEW_SENTENCE_AFTER_PAREN = re.compile(r"\)[ \t]+[A-Z][a-z]")
_CARVE_KEYS = {"id", "cue", "items", "alone", "widens", "examples"}
_CONDITION_AFTER = re.compile(
    r"\s*(?:to\s+\w+(?:\s+\w+)?\s+)?,?\s*(?:if|provided(?:\s+that)?|given\s+that|as\s+long\s+as|when|only\s+if|in\s+the\s+absence\s+of)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _compiled() -> dict[str, Any]:
    r = rules()
    carve = []
    for k, rule in enumerate(r["carve_outs"]):
        unknown = set(rule) - _CARVE_KEYS
        if (
            unknown
            or rule.get("items") not in ("after", "before")
            or rule.get("alone") not in ("permission", "requirement")
            or not re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", rule.get("id", ""))
        ):
            raise ValueError(
                f"criteria_patterns.json: carve_outs[{k}] ({rule.get('id')!r}): expected keys {sorted(_CARVE_KEYS)} "
                f"with a dotted id, items 'after'|'before', alone 'permission'|'requirement'; found {rule}"
            )
        carve.append(
            CarveRule(
                rule["id"], re.compile(r"\b(?:" + rule["cue"] + r")\b", re.IGNORECASE), rule["items"], rule["alone"],
                rule.get("widens", True),
            )
        )
    quals = [
        (name, re.compile(r"\b(?:" + "|".join(pats) + r")\b", re.IGNORECASE))
        for name, pats in r["condition_qualifiers"].items()
    ]
    return {
        "carve": carve,
        "conditional": re.compile(r"[\s,(]*(?:or\s+)?(?:" + "|".join(r["conditional_cues"]) + r")\s*", re.IGNORECASE),
        "cohort": re.compile(
            r["cohort_lead"]
            + r"(?P<label>"
            + "|".join(r["cohort_labels"])
            + r")\s*(?:only\s*)?[\])]?\s*(?::|-\s|–|—|\))",
            re.IGNORECASE,
        ),
        "cohort_paren": re.compile(
            r"\(\s*(?P<label>" + "|".join(r["cohort_labels"]) + r")\s*(?:only\s*)?\)", re.IGNORECASE
        ),
        "consent": re.compile(r"\b(?:" + "|".join([*r["consent_cues"], *r.get("no_requirement_cues", [])]) + r")",
                              re.IGNORECASE),
        "consent_stop": re.compile("|".join(r["consent_scope_stops"]), re.IGNORECASE),
        "continuation": re.compile(r.get("continuation_pattern") or r"(?!x)x", re.IGNORECASE),
        "qualifiers": quals,
    }


def carve_rules() -> list[CarveRule]:
    return list(_compiled()["carve"])


def _paren_bounds(text: str, start: int, end: int, pos: int) -> tuple[int, int] | None:
    """The innermost parentheses around ``pos`` inside [start, end), as (after '(', at ')')."""
    depth = 0
    for i in range(pos - 1, start - 1, -1):
        if text[i] in ")]":
            depth += 1
        elif text[i] in "([":
            if depth == 0:
                close = i + 1
                d = 0
                while close < end:
                    if text[close] in "([":
                        d += 1
                    elif text[close] in ")]":
                        if d == 0:
                            break
                        d -= 1
                    close += 1
                return i + 1, close
            depth -= 1
    return None


SENTENCE_STOP = re.compile(r"\.(?:\s|$)|\n")
"""The end of a listing sentence: a full stop before a space or the end, or a line break."""


def _continued(text: str, end: int) -> int:
    """"Can be treated with all relevant medication. This includes vaccines, ...": a sentence that opens by
    listing what the clause before it covers continues it (``criteria_patterns.json`` ``continuation_pattern``);
    the end of that sentence, else ``end``."""
    m = _compiled()["continuation"].match(text, end)
    if m is None:
        return end
    stop = SENTENCE_STOP.search(text, m.end())
    return stop.start() if stop else len(text)


def carve_scopes(text: str, start: int, end: int) -> list[CarveScope]:
    """Carve-out scopes in the clause text[start:end]: items after "except"-like cues run to the clause
    end (or the closing parenthesis around the cue, or the next carve cue); items before "are eligible"-like
    cues run back to the clause start (or the opening parenthesis)."""
    hits: list[tuple[int, int, CarveRule]] = []
    for rule in carve_rules():
        for m in rule.cue.finditer(text, start, end):
            if not any(m.start() < e and s < m.end() for s, e, _ in hits):
                hits.append((m.start(), m.end(), rule))
    hits.sort(key=lambda h: h[0])
    out = []
    for k, (s, e, rule) in enumerate(hits):
        paren = _paren_bounds(text, start, end, s)
        lo, hi = paren if paren else (start, end)
        if rule.items == "after":
            nxt = [h[0] for h in hits[k + 1:] if h[0] < hi]
            if not nxt and not paren:
                hi = _continued(text, hi)
            out.append(CarveScope(rule.id, "after", rule.alone, e, min([hi] + nxt), (s, e), rule.widens))
        else:  # "... are eligible if there has been no progression": the condition belongs to the carve-out
            prev = [h[1] for h in hits[:k] if h[1] > lo]
            # "pretreatment (DMAB, SERMs) Bisphosphonate treatment is allowed": a capitalised word after a
            # closing parenthesis starts a new sentence whose period the listing lost
            prev += [m.start() + 1 for m in _NEW_SENTENCE_AFTER_PAREN.finditer(text, lo, s)]
            tail = _CONDITION_AFTER.match(text, e, hi)
            out.append(CarveScope(rule.id, "before", rule.alone, max([lo] + prev), hi if tail else s, (s, e),
                                  rule.widens))
    return out


def conditional_lead(text: str, pos: int, end: int) -> int | None:
    """If text[pos:end] opens with a conditional cue ("with", "in case of", "for patients with", "if"),
    the offset where the condition itself starts; else None."""
    m = _compiled()["conditional"].match(text, pos, end)
    return m.end() if m and m.end() > pos else None


def cohort_label(text: str, start: int, end: int) -> tuple[str, tuple[int, int]] | None:
    """The cohort/arm/part/phase label that opens text[start:end] ("Cohort A:", "For the dose-escalation
    phase:", "(Subgroup 1)"), normalised ("cohort a"), with its span; else None."""
    m = _compiled()["cohort"].match(text, start, end)
    if m is None:
        m = _compiled()["cohort_paren"].match(text, start, end)
    if m is None:
        return None
    return " ".join(m.group("label").lower().split()), (m.start("label"), m.end("label"))


def cohort_labels_in(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """Every parenthesised or colon-ended cohort label in text[start:end] with its offset."""
    out = []
    for rx in (_compiled()["cohort_paren"],):
        for m in rx.finditer(text, start, end):
            out.append((" ".join(m.group("label").lower().split()), m.start()))
    return out


def cohort_or_cuts(text: str, start: int, end: int) -> list[int]:
    """Where a parenthesised cohort label is followed by 'or' ("... (Subgroup 1) or ... (Subgroup 2)"):
    the ends of one cohort's requirements and the starts of the next one's."""
    return [m.end() for m in _compiled()["cohort_paren"].finditer(text, start, end)
            if re.match(r"\s*,?\s*or\b", text[m.end():end], re.IGNORECASE)]


def consent_scopes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stretches asked of the patient rather than the notes: from a willingness/ability/agreement cue to
    the next stop (" and have ...", ';', a sentence end) or ``end``."""
    c = _compiled()
    out = []
    for m in c["consent"].finditer(text, start, end):
        stop = c["consent_stop"].search(text, m.end(), end)
        out.append((m.start(), stop.start() if stop else end))
    return out


def qualifiers_in(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Condition qualifiers ("symptomatic", "untreated", "uncontrolled") in text[start:end]."""
    out: list[tuple[str, int, int]] = []
    for name, rx in _compiled()["qualifiers"]:
        for m in rx.finditer(text, start, end):
            if not any(m.start() < e and s < m.end() for _, s, e in out):
                out.append((name, m.start(), m.end()))
    # "untreated" contains "treated", "uncontrolled" "controlled": keep the longest at each place
    out.sort(key=lambda q: (q[1], -(q[2] - q[1])))
    kept: list[tuple[str, int, int]] = []
    for q in out:
        if kept and q[1] < kept[-1][2]:
            continue
        kept.append(q)
    return kept
