"""One quantities vocabulary (``models/rules/quantities.json``): number words, comparators and
units, read the same way by listing parsing (criteria_values, constraints) and note parsing (values,
dates).

The file is validated at load time (unknown keys, unknown operators or canonical units and bad
regular expressions fail naming the file); the helpers below turn its lists into the lookups and
regular-expression alternatives each reader needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..resources import models_path
from ..rulefile import read_json

Op = Literal[">=", "<=", ">", "<", "=="]
TimeUnit = Literal["day", "week", "month", "year", "hour"]


def _compiles(patterns: list[str]) -> None:
    """Every pattern compiles; a bad one fails validation (E020 naming the file)."""
    for p in patterns:
        try:
            re.compile(p)
        except re.error as err:
            raise ValueError(f"bad regular expression {p!r}: {err}") from err


class Quantities(BaseModel):
    """The validated contents of ``models/rules/quantities.json``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    number_words: dict[str, float] = Field(min_length=1)
    indefinite_numbers: dict[str, float]
    multiplier_words: dict[str, float] = Field(default_factory=dict)
    comparators: dict[Op, tuple[str, ...]] = Field(min_length=1)
    post_comparators: dict[Op, tuple[str, ...]]
    ambiguous_comparators: tuple[str, ...]
    time_units: dict[str, TimeUnit] = Field(min_length=1)
    count_units: dict[str, str]
    unit_surfaces: tuple[str, ...]
    extra_units: tuple[str, ...]

    @field_validator("number_words", "indefinite_numbers", "multiplier_words")
    @classmethod
    def _lower_case(cls, words: dict[str, float]) -> dict[str, float]:
        bad = [w for w in words if w != w.lower() or not w.strip()]
        if bad:
            raise ValueError(f"number words must be lower-case and non-blank: {bad}")
        return words

    @field_validator("time_units", "count_units")
    @classmethod
    def _unit_patterns(cls, units: dict[str, str]) -> dict[str, str]:
        _compiles(list(units))
        return units

    @field_validator("extra_units")
    @classmethod
    def _extra_patterns(cls, units: tuple[str, ...]) -> tuple[str, ...]:
        _compiles(list(units))
        return units

    @model_validator(mode="after")
    def _ambiguous_are_comparators(self) -> Quantities:
        known = {" ".join(w.lower().split()) for ws in self.comparators.values() for w in ws}
        missing = [w for w in self.ambiguous_comparators if w not in known]
        if missing:
            raise ValueError(f"ambiguous_comparators not listed under comparators: {missing}")
        return self


@lru_cache(maxsize=1)
def quantities() -> Quantities:
    return read_json(models_path("rules", "quantities.json"), Quantities)


def _phrase_pattern(phrase: str) -> str:
    """A comparator or number phrase as a regular expression: words joined by any whitespace, symbol
    runs with optional spaces between their characters ("> / =")."""
    out = []
    for word in phrase.split():
        if any(ch.isalnum() for ch in word):
            out.append(re.escape(word))
        else:
            out.append(r"\s*".join(re.escape(ch) for ch in word))
    return r"\s+".join(out)


def alternation(phrases: list[str], pattern: Callable[[str], str] | None = None) -> str:
    """A non-capturing alternative of phrases, longest first, each turned into a regex by ``pattern``
    (default: plain text, spaces flexible); a phrase starting or ending with a letter or digit matches
    only as a whole word there."""
    parts = []
    for p in sorted(set(phrases), key=lambda x: (-len(x), x)):
        rx = (pattern or _phrase_pattern)(p)
        if p[0].isalnum():
            rx = r"\b" + rx
        if p[-1].isalnum():
            rx += r"\b"
        parts.append(rx)
    return "(?:" + "|".join(parts) + ")"


def comparator_phrases(ops: tuple[str, ...]) -> list[str]:
    """The comparator phrases of the given operators, without the ambiguous ones ("min", "of")."""
    q = quantities()
    ambiguous = set(q.ambiguous_comparators)
    return [
        w
        for op in ops
        for key, ws in q.comparators.items()
        if key == op
        for w in ws
        if " ".join(w.lower().split()) not in ambiguous
    ]


def comparator_of(phrase: str) -> str | None:
    """The operator a comparator phrase stands for (">/=" and "> / =" -> ">="), or None."""
    key = " ".join(phrase.lower().split())
    lookup = _comparator_lookup()
    return lookup.get(key) or lookup.get(re.sub(r"(?<=[^\w\s])\s+(?=[^\w\s])", "", key))


@lru_cache(maxsize=1)
def _comparator_lookup() -> dict[str, str]:
    return {
        " ".join(w.lower().split()): op for op, ws in quantities().comparators.items() for w in ws
    }


def number_value(word: str) -> float | None:
    """The value of an exact number word ("twelve", "twenty-four", "a single"), else None."""
    return quantities().number_words.get(" ".join(word.lower().split()))


def time_unit_alternation() -> str:
    """The time units as written, as one non-capturing alternative (longest first)."""
    return "(?:" + "|".join(sorted(quantities().time_units, key=len, reverse=True)) + ")"


@lru_cache(maxsize=64)
def time_unit_of(surface: str) -> str | None:
    """The canonical time unit ("day", "week", "month", "year", "hour") of a unit as written."""
    for rx, unit in quantities().time_units.items():
        if re.fullmatch(rx, surface.strip(), re.IGNORECASE):
            return unit
    return None
