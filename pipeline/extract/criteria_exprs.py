"""The records a criterion clause's finders return (``criteria_values``): values, time windows and
cue words, each with absolute character offsets into the listing text."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ValueExpr:
    start: int
    end: int
    comparator: str
    value: float | str | None
    value_high: float | None = None
    unit: str | None = None
    relative_to: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    comp_span: tuple[int, int] | None = None
    kind: str = "number"
    """number | uln | grade | class | time | count | dipstick"""


@dataclass
class WindowExpr:
    start: int
    end: int
    comparator: str
    value: float
    unit: str
    anchor: str
    anchor_span: tuple[int, int] | None = None


@dataclass
class CueExpr:
    start: int
    end: int
    type: str
    """negation | current | history | positive | negative | method | scale"""
    value: str = ""
