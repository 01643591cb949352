"""Train the criterion category / computability classifier from Chia (``trialsieve train``).

Steps: read every Chia file; cut it into criteria (one non-blank line = one criterion); derive weak
labels for each line from the gold annotations inside it with the ordered rules in
``models/computability/label_rules.jsonl``; split by trial id (a stable hash puts ~20% of trials in
a held-out part that training never sees); fit TF-IDF (word + character n-grams, plus lexicon
category tokens) with logistic regression for each task; score the held-out trials; save the model
and write its model card with the exact figures.

Labels use the gold annotations at training time only; the saved model reads text alone.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from .errors import E, InputError
from .evaluate.common import macro_f1, prf
from .extract.computability import MODEL_FILE, apply_overrides, feature_text, model_dir, predict
from .io.brat import BratDocument, default_chia_dir, iter_corpus, line_spans
from .rulefile import read_jsonl
from .schema import Category

log = logging.getLogger(__name__)

LABEL_RULES_FILE = "label_rules.jsonl"
HELD_OUT_PERCENT = 20
"""Share of trials (by stable hash of the NCT id) kept out of training for scoring."""
SKIP_FLAGS = ("Not_a_criteria",)
"""Lines carrying these annotations are not criteria and are left out of training and scoring."""
HYPERPARAMS: dict[str, Any] = {
    "word_ngrams": (1, 2),
    "word_max_features": 12000,
    "char_ngrams": (3, 5),
    "char_max_features": 20000,
    "min_df": 2,
    "C": 4.0,
    "class_weight": "balanced",
}


class LabelRule(BaseModel):
    """One weak-labelling rule. Every condition given must hold; absent conditions are ignored.

    - ``flags``: some annotation in the line has one of these types;
    - ``types`` (+ ``pattern``): some entity of these types in the line has text matching ``pattern``;
    - ``pattern`` without ``types``: the line text matches;
    - ``line_pattern``: the line text matches; ``kind``: the file is inclusion / exclusion criteria.
    A rule sets ``category`` (first matching category rule wins) or ``computable`` (any match).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_\-]+)+$")
    category: Optional[Category] = None
    computable: Optional[bool] = None
    flags: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    pattern: Optional[str] = None
    line_pattern: Optional[str] = None
    kind: Optional[Literal["inclusion", "exclusion"]] = None
    note: str = ""


@dataclass(frozen=True)
class CompiledRule:
    rule: LabelRule
    pattern: Optional[re.Pattern[str]]
    line_pattern: Optional[re.Pattern[str]]

    def matches(self, line: str, kind: str, ents: list[tuple[str, str]]) -> bool:
        r = self.rule
        if r.kind and r.kind != kind:
            return False
        if r.flags and not any(t in r.flags for t, _ in ents):
            return False
        if self.line_pattern and not self.line_pattern.search(line):
            return False
        if r.types:
            texts = [x for t, x in ents if t in r.types]
            if not texts:
                return False
            if self.pattern and not any(self.pattern.search(x) for x in texts):
                return False
        elif self.pattern and not self.pattern.search(line):
            return False
        return True


@dataclass(frozen=True)
class Example:
    trial_id: str
    kind: str
    text: str
    category: str
    computable: bool
    rule: str
    """The id of the category rule that labelled it ("default" when none did)."""


def _compile_label_rule(data: dict) -> CompiledRule:
    rule = LabelRule.model_validate(data)
    if (rule.category is None) == (rule.computable is None):
        raise ValueError("give exactly one of 'category' or 'computable'")
    return CompiledRule(
        rule,
        re.compile(rule.pattern, re.IGNORECASE) if rule.pattern else None,
        re.compile(rule.line_pattern, re.IGNORECASE) if rule.line_pattern else None,
    )


def read_label_rules(path: Path) -> list[CompiledRule]:
    return read_jsonl(path, _compile_label_rule)


def label_line(line: str, kind: str, ents: list[tuple[str, str]], rules: list[CompiledRule]) -> tuple[str, bool, str]:
    """``(category, computable, rule id)`` for one criterion line and its ``(type, text)`` entities."""
    computable = not any(r.rule.computable is False and r.matches(line, kind, ents) for r in rules)
    for r in rules:
        if r.rule.category is not None and r.matches(line, kind, ents):
            return r.rule.category, computable, r.rule.id
    return "other", computable, "default"


def trial_kind(doc: BratDocument) -> tuple[str, str]:
    """``(trial id, "inclusion"|"exclusion")`` from a Chia file name like ``NCT00050349_exc.txt``."""
    stem = doc.path.stem
    trial, _, suffix = stem.rpartition("_")
    return (trial or stem), ("exclusion" if suffix.lower().startswith("exc") else "inclusion")


def document_examples(doc: BratDocument, rules: list[CompiledRule]) -> list[Example]:
    trial, kind = trial_kind(doc)
    out = []
    for s, e in line_spans(doc.text):
        ents = [(x.type, x.text) for x in doc.entities.values() if x.start < e and s < x.end]
        if not ents or any(t in SKIP_FLAGS for t, _ in ents):
            continue
        line = doc.text[s:e]
        category, computable, rule = label_line(line, kind, ents, rules)
        out.append(Example(trial, kind, line, category, computable, rule))
    return out


def is_held_out(trial_id: str) -> bool:
    """Stable, platform-independent split: ~HELD_OUT_PERCENT% of trial ids are held out."""
    h = int(hashlib.sha256(trial_id.encode("utf-8")).hexdigest()[:8], 16)
    return h % 100 < HELD_OUT_PERCENT


def build_examples(chia_dir: Path, rules: list[CompiledRule]) -> list[Example]:
    examples: list[Example] = []
    for doc in iter_corpus(chia_dir):
        examples.extend(document_examples(doc, rules))
    return examples


def fit(examples: list[Example], seed: int = 0) -> dict[str, Any]:
    """Fit the vectoriser and both classifiers; returns the bundle :mod:`computability` loads."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

    hp = HYPERPARAMS
    vec = FeatureUnion(
        [
            (
                "word",
                TfidfVectorizer(
                    ngram_range=hp["word_ngrams"],
                    min_df=hp["min_df"],
                    max_features=hp["word_max_features"],
                    sublinear_tf=True,
                    lowercase=True,
                    token_pattern=r"(?u)\b\w+\b|[<>≤≥=]+",
                    dtype=np.float32,
                ),
            ),
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=hp["char_ngrams"],
                    min_df=hp["min_df"],
                    max_features=hp["char_max_features"],
                    sublinear_tf=True,
                    lowercase=True,
                    dtype=np.float32,
                ),
            ),
        ]
    )
    X = vec.fit_transform([feature_text(x.text) for x in examples])
    for _, v in vec.transformer_list:
        v.stop_words_ = None  # the pruned vocabulary is not needed to predict; it only bloats the file
    bundle: dict[str, Any] = {"vectorizer": vec}
    for task, y in (("category", [x.category for x in examples]), ("computable", [x.computable for x in examples])):
        if len(set(y)) < 2:
            raise InputError(
                E.E030.format(path="<training data>", line="-", detail=f"only one {task} label in the training data")
            )
        clf = LogisticRegression(C=hp["C"], class_weight=hp["class_weight"], max_iter=3000, random_state=seed)
        clf.fit(X, y)
        clf.coef_ = clf.coef_.astype(np.float32)
        clf.intercept_ = clf.intercept_.astype(np.float32)
        bundle[task] = clf
    return bundle


def per_class_scores(gold: list[Any], pred: list[Any]) -> dict[str, dict[str, float | int]]:
    out = {}
    for c in sorted({str(g) for g in gold} | {str(p) for p in pred}):
        tp = sum(1 for g, p in zip(gold, pred) if str(g) == c and str(p) == c)
        fp = sum(1 for g, p in zip(gold, pred) if str(g) != c and str(p) == c)
        fn = sum(1 for g, p in zip(gold, pred) if str(g) == c and str(p) != c)
        out[c] = {**prf(tp, fp, fn), "support": tp + fn}
    return out


def score(examples: list[Example], preds: list[tuple[str, bool, float]]) -> dict[str, Any]:
    cat = per_class_scores([x.category for x in examples], [p[0] for p in preds])
    comp = per_class_scores([x.computable for x in examples], [p[1] for p in preds])
    n = len(examples)
    return {
        "n": n,
        "category": {
            "accuracy": round(sum(x.category == p[0] for x, p in zip(examples, preds)) / n, 4) if n else 0.0,
            "macro_f1": macro_f1({k: v for k, v in cat.items() if v["support"]}),
            "per_class": cat,
        },
        "computable": {
            "accuracy": round(sum(x.computable == p[1] for x, p in zip(examples, preds)) / n, 4) if n else 0.0,
            "macro_f1": macro_f1({k: v for k, v in comp.items() if v["support"]}),
            "per_class": comp,
        },
    }


def evaluate_bundle(bundle: dict[str, Any], examples: list[Example]) -> dict[str, Any]:
    """Held-out scores for the model alone and for the model with the override rules (what ``classify`` does)."""
    model_preds = predict([x.text for x in examples], bundle)
    with_rules = [apply_overrides(x.text) or p for x, p in zip(examples, model_preds)]
    return {"model": score(examples, model_preds), "model+rules": score(examples, with_rules)}


def _table(scores: dict[str, Any], task: str) -> list[str]:
    rows = ["| class | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for c, v in scores[task]["per_class"].items():
        rows.append(f"| {c} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['support']} |")
    return rows


def render_report(meta: dict[str, Any]) -> str:
    lines = [
        f"Chia: {meta['n_trials']} trials, {meta['n_examples']} criteria "
        f"(train {meta['n_train']} from {meta['n_train_trials']} trials; "
        f"held-out {meta['n_test']} from {meta['n_test_trials']} trials)",
    ]
    for variant in ("model", "model+rules"):
        s = meta["held_out"][variant]
        lines.append("")
        lines.append(f"Held-out scores, {variant} (the classify() function uses model+rules):")
        lines.append(f"category: macro-F1 {s['category']['macro_f1']:.3f}, accuracy {s['category']['accuracy']:.3f}")
        lines.extend(_table(s, "category"))
        lines.append(
            f"computable: macro-F1 {s['computable']['macro_f1']:.3f}, accuracy {s['computable']['accuracy']:.3f}"
        )
        lines.extend(_table(s, "computable"))
    return "\n".join(lines)


def write_model_card(path: Path, meta: dict[str, Any], rules: list[CompiledRule]) -> None:
    def _pat(r: CompiledRule) -> str:
        pat = r.rule.pattern or r.rule.line_pattern or ""
        pat = pat if len(pat) <= 60 else pat[:57] + "..."
        return f"`{pat.replace('|', ' / ')}`" if pat else "-"

    rule_rows = [
        f"| `{r.rule.id}` | {r.rule.category or ('computable=' + str(r.rule.computable).lower())} | "
        f"{', '.join(r.rule.flags) or '-'} | {', '.join(r.rule.types) or '-'} | {r.rule.kind or '-'} | "
        f"{_pat(r)} | {r.rule.note or ''} |"
        for r in rules
    ]
    label_counts = ", ".join(f"{k} {v}" for k, v in meta["label_counts"].items())
    text = f"""# Criterion category / computability classifier

Predicts, from the text of one eligibility criterion, its **category** (one of the 12 in
`pipeline.schema.Category`) and whether clinical notes can decide it (**computable**).
Used by `pipeline.extract.computability.classify(text) -> (category, computable, confidence)`.

## Reproduce

```
trialsieve train            # reads $TRIALSIEVE_CHIA or ../shared/data/chia, writes models/computability/
```
Deterministic: same data, same coefficients and predictions (pickle bytes may differ). \
Trained with scikit-learn {meta["sklearn"]}.

## Data

Chia (Kury et al., "Chia, a large annotated corpus of clinical trial eligibility criteria",
Scientific Data 7:281 (2020), CC BY 4.0): {meta["n_trials"]} trials, inclusion and exclusion files.
One non-blank line = one criterion ({meta["n_examples"]} criteria; lines with no annotation or
flagged `Not_a_criteria` are left out).

**Split by trial**: a trial is held out when `int(sha256(NCT id)[:8], 16) % 100 < {HELD_OUT_PERCENT}`.
Held-out trials ({meta["n_test_trials"]} trials, {meta["n_test"]} criteria) are never seen in training
({meta["n_train_trials"]} trials, {meta["n_train"]} criteria).

## Labels (weak, derived from gold annotations at training time only)

The labels are not hand-assigned categories: they are derived from Chia's gold entity and flag
annotations inside each line by the ordered rules in `label_rules.jsonl` (first matching category
rule wins, else `other`; the line is not computable when any `computable=false` rule matches). At
prediction time the model sees only the text. Label counts: {label_counts}.

| rule | sets | flags | entity types | kind | text pattern (start; `/` = alternation) | note |
|---|---|---|---|---|---|---|
{chr(10).join(rule_rows)}

`pattern` / `line_pattern` regexes are in the file. Known weaknesses of the weak labels: diagnosis vs
comorbidity follows the file kind (a condition in inclusion criteria is a diagnosis, in exclusion
criteria a comorbidity) when no other cue applies; any drug mention (including concomitant
medication) counts as prior_therapy; Chia's `Subjective_judgement` also marks phrases such as
"clinically significant", so investigator_judgement is broader than explicit investigator opinion.
The `*.words` rules for judgement and consent express the same idea as the prediction-time override
rules, so "model+rules" scores on those classes are partly agreement by construction; the "model"
rows show what the classifier learnt on its own.

## Features and model

Text plus one token per lexicon category whose phrase occurs in it (`models/lexicon`), TF-IDF word
1-2-grams (max {HYPERPARAMS["word_max_features"]}) and character 3-5-grams within words (max
{HYPERPARAMS["char_max_features"]}), min_df {HYPERPARAMS["min_df"]}, sublinear tf; one logistic regression per task
(C={HYPERPARAMS["C"]}, class_weight=balanced). Confidence = product of the chosen classes' probabilities.

Override rules (`override_rules.jsonl`) run before the model in `classify`: explicit investigator
opinion ("in the judgement of the investigator", "unsuitable for participation"), informed consent and
compliance phrases are always not computable with their category.

## Held-out scores

{render_report(meta)}

## Use

```python
from pipeline.extract.computability import classify
classify("Hemoglobin >= 9 g/dL")   # -> ("laboratory", True, <confidence>)
```

## Limits

Weak labels cap what these scores mean: they measure agreement with the labelling rules on unseen
trials, not with a human categorisation. Chia lines sometimes hold several criteria. Chia covers many
diseases; oncology-specific wording (lines of therapy, RECIST) is less frequent than in our listings.
"""
    path.write_text(text, encoding="utf-8")


def train_computability(chia_dir: Optional[Path] = None, out: Optional[Path] = None) -> str:
    """Train on Chia, save ``model.joblib`` + ``MODEL_CARD.md`` in ``out``, return the printable report."""
    import joblib
    import sklearn

    chia_dir = chia_dir or default_chia_dir()
    if chia_dir is None or not Path(chia_dir).is_dir():
        raise InputError(
            E.E001.format(
                path=chia_dir or "../shared/data/chia",
                detail="Chia corpus folder not found; pass --chia or set TRIALSIEVE_CHIA",
            )
        )
    out = Path(out) if out else model_dir()
    rules = read_label_rules(model_dir() / LABEL_RULES_FILE)
    examples = build_examples(Path(chia_dir), rules)
    if not examples:
        raise InputError(E.E001.format(path=chia_dir, detail="no annotated .txt/.ann files"))
    train = [x for x in examples if not is_held_out(x.trial_id)]
    test = [x for x in examples if is_held_out(x.trial_id)]
    bundle = fit(train)
    meta: dict[str, Any] = {
        "sklearn": sklearn.__version__,
        "n_trials": len({x.trial_id for x in examples}),
        "n_examples": len(examples),
        "n_train": len(train), "n_train_trials": len({x.trial_id for x in train}),
        "n_test": len(test), "n_test_trials": len({x.trial_id for x in test}),
        "label_counts": dict(Counter(x.category for x in examples).most_common()),
        "held_out": evaluate_bundle(bundle, test) if test else {v: score([], []) for v in ("model", "model+rules")},
        "hyperparams": {k: list(v) if isinstance(v, tuple) else v for k, v in HYPERPARAMS.items()},
    }
    bundle["meta"] = meta
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(bundle, out / MODEL_FILE, compress=("xz", 6))
    write_model_card(out / "MODEL_CARD.md", meta, rules)
    (out / "held_out_scores.json").write_text(
        json.dumps(meta["held_out"], indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    log.info("wrote %s", out / MODEL_FILE)
    return render_report(meta) + f"\n\nmodel: {out / MODEL_FILE}"


def iter_labels(chia_dir: Path) -> Iterable[Example]:  # pragma: no cover - a debugging aid
    yield from build_examples(chia_dir, read_label_rules(model_dir() / LABEL_RULES_FILE))
