"""One criterion -> structured constraints and and/or/not logic.

Steps (each a plain function, one module per idea): split the criterion into clauses (``clauses``);
in each clause find windows, values and cue words (criteria_values), lexicon concepts
(criteria_concepts) and open-vocabulary phrases in the gaps (``elements``, ``vocabulary``); attach
values, windows, negation, temporal and polarity cues to the nearest concept (``attach``), mark
carve-outs and the conditions of alternative values (``carve``); build the logic from the connectors
between concepts (``logic``: and binds looser than or; comma lists take their final conjunction);
turn elements into records (``records``, with sex and implicit ages from ``demographics``); then
category and computability (``classify``). ``criterion.extract_constraints`` runs them in order."""

from __future__ import annotations

from .classify import classify_criterion
from .clauses import Clause, split_clauses
from .context import THERAPY_KINDS, VALUE_KINDS, Element, ListingContext
from .criterion import extract_constraints

__all__ = [
    "THERAPY_KINDS",
    "VALUE_KINDS",
    "Clause",
    "Element",
    "ListingContext",
    "classify_criterion",
    "extract_constraints",
    "split_clauses",
]
