"""trialsieve: clinical-trial eligibility screening from criteria text and clinical notes.

Public API (documented with runnable examples in ``docs/api.md``; imports are lazy so that
``import pipeline`` stays cheap). Every name below is a function, always: none of them is also the
name of a subpackage (``pipeline.extract`` and ``pipeline.match`` are the subpackages).

- ``parse_listing(path)`` -> ``TrialCriteria`` (web-page text, HTML, plain criteria, CT.gov v2 JSON)
- ``parse_listing_text(text, *, source="<text>", trial_id="", kind=None)`` -> ``TrialCriteria``
- ``read_notes(path, encoding=None)`` -> ``(notes, problems)``
- ``read_user_lexicon(path)`` -> list of ``LexiconEntry`` (JSONL lines ``{"concept", "phrase"}``)
- ``extract_facts(notes, *, user_entries=(), n_process=1)`` -> iterator of ``Fact``
- ``extract_text(text, *, note_id="n", patient_id="p", date=None, user_entries=())``
  -> list of ``Fact``
- ``match_trial(trial, notes, facts, *, as_of, first_dose=None, user_entries=(), search=None)``
  -> list of ``PatientResult``, best candidate first
- ``evaluate_cohort(path=None)`` -> dict of figures (``trialsieve evaluate cohort``)
- ``load(path=None)`` -> the spaCy pipeline (``nlp(text)._.ts_facts`` are ``extract_text``'s facts)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_API = {
    "parse_listing": ("pipeline.extract.criteria", "parse_listing"),
    "parse_listing_text": ("pipeline.extract.criteria", "parse_criteria_text"),
    "read_notes": ("pipeline.io.notes", "read_notes"),
    "read_user_lexicon": ("pipeline.lexicon", "read_user_lexicon"),
    "extract_facts": ("pipeline.extract.facts", "extract"),
    "extract_text": ("pipeline.extract.facts", "extract_text"),
    "match_trial": ("pipeline.match.matcher", "match_trial"),
    "evaluate_cohort": ("pipeline.evaluate.cohort", "run"),
    "load": ("pipeline.nlp", "load"),
}
_SUBPACKAGES = ("extract", "match", "io", "store", "evaluate")

__all__ = [
    "evaluate_cohort",
    "extract_facts",
    "extract_text",
    "load",
    "match_trial",
    "parse_listing",
    "parse_listing_text",
    "read_notes",
    "read_user_lexicon",
]

if TYPE_CHECKING:  # what the lazy names are, for type checkers and editors
    from .evaluate.cohort import run as evaluate_cohort
    from .extract.criteria import parse_criteria_text as parse_listing_text
    from .extract.criteria import parse_listing as parse_listing
    from .extract.facts import extract as extract_facts
    from .extract.facts import extract_text as extract_text
    from .io.notes import read_notes as read_notes
    from .lexicon import read_user_lexicon as read_user_lexicon
    from .match.matcher import match_trial as match_trial
    from .nlp import load as load


def __getattr__(name: str) -> Any:
    import importlib

    if name in _API:
        module, attr = _API[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value  # later accesses skip this function
        return value
    if name in _SUBPACKAGES:  # the subpackage, whether or not it was imported before
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API) | set(_SUBPACKAGES))
