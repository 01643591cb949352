"""trialsieve: clinical-trial eligibility screening from criteria text and clinical notes.

Public API (imports are lazy so that ``import pipeline`` stays cheap):

- ``parse_listing(path)`` -> ``TrialCriteria``
- ``read_notes(path)`` -> ``(notes, problems)``
- ``extract(notes, lexicon=None)`` -> iterator of ``Fact``
- ``match(trial, notes, facts, as_of)`` -> list of ``PatientResult``
"""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = {
    "parse_listing": ("pipeline.extract.criteria", "parse_listing"),
    "read_notes": ("pipeline.io.notes", "read_notes"),
    "extract": ("pipeline.extract.facts", "extract"),
    "match": ("pipeline.match.matcher", "match_trial"),
}


def __getattr__(name: str) -> Any:
    if name in _API:
        import importlib

        module, attr = _API[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
