"""The lexicon as matching uses it: the same entries, with what is worked out from them remembered.

Matching asks the lexicon the same questions for every patient (the classes of a concept, whether a name is
a class, the kind and category of a concept or of its first member); the answers depend on the lexicon only,
so a ``MatchLexicon`` keeps them. A plain ``Lexicon`` still works everywhere, answering afresh each time.
"""
from __future__ import annotations

from typing import Any

from ..lexicon import Lexicon


class MatchLexicon(Lexicon):
    """A lexicon that remembers its class lookups and the matcher's lookups derived from it."""

    def __init__(self, base: Lexicon) -> None:  # noqa: D107  shares the base's entries, merged already
        self.entries = base.entries
        self.by_concept = base.by_concept
        self._classes: dict[str, tuple[str, ...]] = {}
        self.memo: dict[str, dict[Any, Any]] = {}

    def classes_of(self, concept: str) -> tuple[str, ...]:
        found = self._classes.get(concept)
        if found is None:
            found = self._classes[concept] = super().classes_of(concept)
        return found


def memo(lexicon: Lexicon, table: str) -> dict[Any, Any]:
    """The lexicon's table of remembered answers named ``table`` (a fresh, forgotten one for a plain lexicon)."""
    if isinstance(lexicon, MatchLexicon):
        return lexicon.memo.setdefault(table, {})
    return {}
