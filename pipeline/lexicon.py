"""The concept lexicon: one JSONL line per concept, shared by criteria parsing and note extraction.

The lexicon is data (``models/lexicon/*.jsonl``); this module validates and indexes it. Concept ids
(``concept``) are the contract between criteria constraints, facts and the matcher.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .errors import E, InputError
from .resources import data_files, models_path
from .rulefile import read_jsonl

ConceptKind = Literal[
    "condition", "drug", "drug_class", "procedure", "lab", "result", "score", "measurement", "attribute"
]


class LexiconEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    id: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_\-]+)+$")
    concept: str = Field(min_length=1)
    category: str
    kind: ConceptKind
    classes: tuple[str, ...] = Field(default=(), alias="class")
    phrases: tuple[str, ...] = Field(min_length=1)
    codes: dict[str, str] = Field(default_factory=dict)
    unit: Optional[str] = None
    signed: bool = False
    """Values can be negative (a bone density T-score of -2.7): a minus sign before the number is part of it."""
    user: bool = False
    """True for entries a user added with ``--lexicon``."""


class Lexicon:
    """All concept entries, indexed by concept id and by class."""

    def __init__(self, entries: Iterable[LexiconEntry]):
        self.entries: list[LexiconEntry] = list(entries)
        self.by_concept: dict[str, LexiconEntry] = {}
        for e in self.entries:
            if e.concept in self.by_concept:
                # A later line for a known concept extends it (more phrases, classes, codes); the first
                # line's kind, category, unit and codes it already has stay as they are.
                old = self.by_concept[e.concept]
                merged = old.model_copy(update={
                    "phrases": tuple(dict.fromkeys(old.phrases + e.phrases)),
                    "classes": tuple(dict.fromkeys(old.classes + e.classes)),
                    "codes": {**e.codes, **old.codes},
                })
                self.by_concept[e.concept] = merged
            else:
                self.by_concept[e.concept] = e

    def __contains__(self, concept: str) -> bool:
        return concept in self.by_concept

    def get(self, concept: str) -> Optional[LexiconEntry]:
        return self.by_concept.get(concept)

    def classes_of(self, concept: str) -> tuple[str, ...]:
        """Transitive classes of a concept (nivolumab -> anti_pd1, immune_checkpoint_inhibitor, ...)."""
        seen: list[str] = []
        todo = list(self.by_concept[concept].classes) if concept in self.by_concept else []
        while todo:
            c = todo.pop(0)
            if c in seen:
                continue
            seen.append(c)
            if c in self.by_concept:
                todo.extend(self.by_concept[c].classes)
        return tuple(seen)

    def is_a(self, concept: str, target: str) -> bool:
        return concept == target or target in self.classes_of(concept)

    def members(self, target: str) -> set[str]:
        """Every concept that is ``target`` or belongs to it."""
        return {c for c in self.by_concept if self.is_a(c, target)}

    def with_user_entries(self, entries: Iterable[LexiconEntry]) -> "Lexicon":
        return Lexicon(self.entries + list(entries))


def read_entries(path: Path) -> list[LexiconEntry]:
    return read_jsonl(path, LexiconEntry.model_validate)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The packaged lexicon (every ``models/lexicon/*.jsonl``)."""
    entries: list[LexiconEntry] = []
    for path in data_files(models_path("lexicon"), "*.jsonl"):
        entries.extend(read_entries(path))
    return Lexicon(entries)


def read_user_lexicon(path: str | Path) -> list[LexiconEntry]:
    """A user's ``--lexicon`` file: JSONL lines ``{"concept": "...", "phrase": "..."}``."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(E.E001.format(path=path, detail=err)) from err
    grouped: dict[str, list[str]] = {}
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(E.E003.format(path=path, line=lineno, detail=err.msg)) from err
        concept, phrase = (
            obj.get("concept") if isinstance(obj, dict) else None,
            obj.get("phrase") if isinstance(obj, dict) else None,
        )
        if not isinstance(concept, str) or not isinstance(phrase, str) or not concept.strip() or not phrase.strip():
            raise InputError(E.E022.format(path=path, line=lineno, detail=f"got {line.strip()[:80]!r}"))
        grouped.setdefault(concept.strip(), []).append(phrase.strip())
    return [
        LexiconEntry(id=f"user.{i}", concept=c, category="other", kind="condition", phrases=tuple(p), user=True)
        for i, (c, p) in enumerate(grouped.items())
    ]
