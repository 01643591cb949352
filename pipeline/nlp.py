"""Build the note pipeline: blank English tokenizer, sections, sentences, mentions, ConText, facts.

Everything comes from data in ``models/`` (section headers, ConText rules, the concept lexicon).
PyRuSH is not used (slow and noisy); sentences come from our own rule-based splitter.
"""

from __future__ import annotations

import logging
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

log = logging.getLogger(__name__)


def _silence_loggers() -> None:
    warnings.filterwarnings("ignore", message=r".*\[W036\]")
    for name in ("medspacy", "PyRuSH", "pyrush"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:  # loguru is used by PyRuSH, which medspaCy may import
        from loguru import logger

        for name in ("PyRuSH", "medspacy"):
            logger.disable(name)
    except ImportError:  # pragma: no cover
        pass


def drop_whitespace_special_cases(nlp: Language) -> None:
    """Remove the tokenizer's special cases for pure whitespace (``"\\n"``, ``" "``, ``"\\xa0"``).

    They map a whitespace run to itself, so tokens are unchanged; but any special-case hit switches
    off spaCy's per-string cache for the rest of the document (spaCy issue #1250 guard), so one line
    break made every later word of a note a cache miss: real notes tokenised about 4x slower.
    """
    tokenizer: Any = nlp.tokenizer
    rules = tokenizer.rules or {}
    tokenizer.rules = {k: v for k, v in rules.items() if not k.isspace()}


PIPES = ("ts_sections", "ts_sentences", "ts_mentions", "ts_context", "ts_facts")
"""The note pipeline's components, in order (factories in ``pipeline.extract.components``)."""


def build_nlp() -> Language:
    """A fresh pipeline (one per worker process); ``nlp(text)._.ts_facts`` are the facts."""
    _silence_loggers()
    from .extract import components  # noqa: F401  registers the ts_* factories

    nlp = spacy.blank("en")
    drop_whitespace_special_cases(nlp)
    for name in PIPES:
        nlp.add_pipe(name)
    return nlp


def load(path: str | Path | None = None) -> Language:
    """The note pipeline: from the packaged rules, or as saved with ``nlp.to_disk(path)``."""
    if path is None:
        return build_nlp()
    _silence_loggers()
    from .extract import components  # noqa: F401  registers the ts_* factories (entry points too)

    nlp = spacy.load(path)
    drop_whitespace_special_cases(nlp)
    return nlp


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The process-wide pipeline."""
    return build_nlp()
