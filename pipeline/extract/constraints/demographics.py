"""Demographics: sex words ("Female patients") and ages written without the word "age" ("18 years or
older"), told apart from things that are aged ("specimens less than 2 years old")."""

from __future__ import annotations

import re

from ...schema import Constraint
from ..criteria_concepts import Mention
from ..criteria_values import ValueExpr
from .clauses import Clause
from .context import Element, blank, compiled_rules


def age_element(v: ValueExpr, ci: int) -> Element:
    """An age no word names ("18 years or older"): the value implies the concept."""
    return Element(
        Mention("age", v.start, v.end, kind="measurement", attributes={"implicit": "true"}), ci, values=[v]
    )

def sex_named(phrase: str) -> str | None:
    """ "women" -> "female", "men" -> "male"; None for words that name neither."""
    p = phrase.strip().lower()
    if re.fullmatch(r"females?|wom[ae]n|girls?|lady|ladies", p):
        return "female"
    if re.fullmatch(r"males?|m[ae]n|boys?|gentlem[ae]n", p):
        return "male"
    return None


def sex_as_applicability(constraints: list[Constraint], text: str = "") -> list[Constraint]:
    """ "Female patients of reproductive potential must have a negative pregnancy test": beside
    other requirements the sex word says whom the criterion applies to, not a requirement; only a
    purely demographic criterion ("Female patients 18 to 65 years old") requires the sex. A sex word naming
    a reproductive subgroup ("women of childbearing potential", "sexually active men") never does: what is
    asked of them (contraception, a test) may be consent, dropped before this."""
    subgroup = compiled_rules()["reproductive_subgroup"]
    if all(c.concept in ("age", "sex") for c in constraints) and not any(
            c.concept == "sex" and subgroup.search(text, max(0, c.start - 30), min(len(text), c.end + 50))
            for c in constraints):
        return constraints
    return [
        c.model_copy(
            update={
                "comparator": "present",
                "value": None,
                "attributes": {**c.attributes, "applies_to": str(c.value)},
            }
        )
        if c.concept == "sex" and c.comparator == "==" and c.value in ("female", "male")
        else c
        for c in constraints
    ]


def is_age_value(text: str, v: ValueExpr, cl: Clause) -> bool:
    """A value in years/months followed by "old"/"of age" or preceded by "age(d)": an age."""
    if v.unit not in ("year", "month") or v.kind != "time" or thing_is_aged(text, v, cl):
        return False
    return bool(
        re.match(
            r"\s*(?:old|of\s+age|-old|\s*yo\b|\s*y/o)",
            text[v.end : min(cl.end, v.end + 12)],
            re.IGNORECASE,
        )
        or re.search(
            r"\b(?:aged?|ages)\s*(?:of\s+|is\s+|between\s+|from\s+|range\s+|ranging\s+|:\s*)?$",
            text[max(cl.start, v.start - 16) : v.start],
            re.IGNORECASE,
        )
        or re.search(r"\bage|older|younger", text[v.start : v.end], re.IGNORECASE)
        or compiled_rules()["person_before"].search(text[max(cl.start, v.start - 40) : v.start])
        is not None
    )


_COMPARATOR_WORDS = re.compile(
    r"(?:\s|[<>≤≥=]|\b(?:less|more|greater|fewer|than|under|over|below|above|at|least|most|no|not|up|to|or|equal)\b)*$",
    re.IGNORECASE,
)


def thing_is_aged(text: str, v: ValueExpr, cl: Clause) -> bool:
    """True when "N years old" describes a thing, not the person ("specimens less than 2 years
    old"): the word before the value (past any comparator words) is a content noun that is not a
    person word."""
    before = text[cl.start : v.start]
    m = _COMPARATOR_WORDS.search(before)
    head = before[: m.start()] if m else before
    word = re.search(r"([A-Za-z][A-Za-z\-]+)\W*$", head)
    if not word:
        return False
    w = word.group(1)
    c = compiled_rules()
    if re.fullmatch(r"ages?|aged|older|younger", w, re.IGNORECASE) or c["person_before"].search(
        w + " "
    ):
        return False
    return (
        len(w) > 2
        and w.lower() not in c["lead_ins"]
        and w.lower() not in c["stops"]
        and w.lower() not in c["non_nouns"]
    )


def implicit_age(
    text: str, els: list[Element], orphans: list[ValueExpr], cl: Clause, ci: int
) -> list[ValueExpr]:
    """Orphan values in years/months that say "years old" / "age" are ages; returns the rest."""
    rest = []
    for v in orphans:
        if thing_is_aged(text, v, cl):
            rest.append(v)
            continue
        others = re.findall(r"[A-Za-z]{2,}", blank(text, [(v.start, v.end)], cl.start, cl.end))
        bare = all(
            w.lower()
            in (
                "years",
                "year",
                "yrs",
                "old",
                "of",
                "age",
                "and",
                "or",
                "older",
                "younger",
                "above",
                "over",
                "patients",
                "subjects",
                "participants",
                "aged",
                "adults",
                "men",
                "women",
            )
            for w in others
        )
        if v.unit in ("year", "month") and (
            compiled_rules()["age_cue"].search(text, v.start, min(cl.end, v.end + 20))
            or re.search(
                r"\bage[ds]?\b|older|younger",
                text[max(cl.start, v.start - 12) : v.end],
                re.IGNORECASE,
            )
            or bare
        ):
            els.append(age_element(v, ci))
        else:
            rest.append(v)
    return rest
