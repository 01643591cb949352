"""Criterion category and computability: can clinical notes decide this criterion?

A scikit-learn model trained on Chia (see ``models/computability/MODEL_CARD.md`` and
:mod:`pipeline.train`) predicts the category and the computable flag from the criterion text alone.
Override rules (``models/computability/override_rules.jsonl``) then force clear cases such as
"in the opinion of the investigator" or "signed informed consent" to be not computable, so those
never depend on what the model learnt.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field

from ..errors import E, ModelDataError
from ..resources import models_path
from ..rulefile import read_jsonl
from ..schema import CATEGORIES, Category

MODEL_FILE = "model.joblib"
OVERRIDE_FILE = "override_rules.jsonl"
_TOKEN_PREFIX = "lexcat"
"""Lexicon-category hits are appended to the text as tokens ``lexcat_<category>``."""


class OverrideRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_\-]+)+$")
    pattern: str
    category: Category
    computable: bool
    confidence: float = Field(default=0.95, gt=0, le=1)


@dataclass(frozen=True)
class CompiledOverride:
    rule: OverrideRule
    regex: re.Pattern[str]


def model_dir() -> Path:
    return models_path("computability")


def _compile_override(data: dict) -> CompiledOverride:
    rule = OverrideRule.model_validate(data)
    return CompiledOverride(rule, re.compile(rule.pattern, re.IGNORECASE))


def read_override_rules(path: Path) -> list[CompiledOverride]:
    """Validate and compile the override rules; a bad line fails with file and line number."""
    return read_jsonl(path, _compile_override)


@lru_cache(maxsize=1)
def load_overrides() -> tuple[CompiledOverride, ...]:
    return tuple(read_override_rules(model_dir() / OVERRIDE_FILE))


@lru_cache(maxsize=1)
def _lexicon_matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex over every lexicon phrase (longest first) and phrase -> category."""
    from ..lexicon import load_lexicon

    phrase_cat: dict[str, str] = {}
    for entry in load_lexicon().entries:
        for phrase in entry.phrases:
            if len(phrase) >= 3:
                phrase_cat.setdefault(phrase.lower(), entry.category)
    alts = sorted(phrase_cat, key=len, reverse=True)
    regex = re.compile(r"(?<!\w)(" + "|".join(re.escape(p) for p in alts) + r")(?!\w)", re.IGNORECASE)
    return regex, phrase_cat


def feature_text(text: str) -> str:
    """The text the vectorisers see: the criterion plus one token per lexicon category it mentions."""
    regex, phrase_cat = _lexicon_matcher()
    cats = sorted({phrase_cat[m.group(1).lower()] for m in regex.finditer(text)})
    return text + "".join(f" {_TOKEN_PREFIX}_{c}" for c in cats)


def load_model_file(path: Path) -> dict[str, Any]:
    import joblib

    try:
        bundle = joblib.load(path)
    except (OSError, EOFError, ValueError) as err:
        raise ModelDataError(E.E021.format(path=path, detail=err)) from err
    if not isinstance(bundle, dict) or not {"vectorizer", "category", "computable"} <= set(bundle):
        raise ModelDataError(E.E021.format(path=path, detail="not a computability model bundle"))
    return bundle


@lru_cache(maxsize=4)
def load_model(path: Optional[Path] = None) -> dict[str, Any]:
    """The trained bundle ``{"vectorizer", "category", "computable", "meta"}``, loaded once."""
    return load_model_file(path or model_dir() / MODEL_FILE)


def apply_overrides(text: str) -> Optional[tuple[str, bool, float]]:
    """The first override rule that matches ``text``, as ``(category, computable, confidence)``."""
    for ov in load_overrides():
        if ov.regex.search(text):
            return ov.rule.category, ov.rule.computable, ov.rule.confidence
    return None


def predict(texts: list[str], bundle: dict[str, Any]) -> list[tuple[str, bool, float]]:
    """Model-only predictions (no overrides): category, computable, confidence.

    Confidence is the product of the two classifiers' probabilities for what they chose.
    """
    if not texts:
        return []
    X = bundle["vectorizer"].transform([feature_text(t) for t in texts])
    cat_p = bundle["category"].predict_proba(X)
    comp_p = bundle["computable"].predict_proba(X)
    cat_classes = list(bundle["category"].classes_)
    comp_classes = list(bundle["computable"].classes_)
    out = []
    for cp, kp in zip(cat_p, comp_p):
        ci = int(cp.argmax())
        ki = int(kp.argmax())
        category = str(cat_classes[ci])
        if category not in CATEGORIES:  # pragma: no cover - guarded at training time
            category = "other"
        out.append((category, bool(comp_classes[ki]), round(float(cp[ci] * kp[ki]), 4)))
    return out


def classify(text: str) -> tuple[str, bool, float]:
    """``(category, computable, confidence)`` for one criterion's text."""
    hit = apply_overrides(text)
    if hit is not None:
        return hit
    return predict([text], load_model())[0]


def classify_many(texts: list[str]) -> list[tuple[str, bool, float]]:
    """:func:`classify` for many texts with one vectoriser call."""
    preds = predict(list(texts), load_model())
    out = []
    for text, pred in zip(texts, preds):
        hit = apply_overrides(text)
        out.append(hit if hit is not None else pred)
    return out
