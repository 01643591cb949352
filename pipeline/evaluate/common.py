"""Shared scoring helpers for the evaluators: precision/recall/F1, span matching and assertion flags.

A span is a ``(start, end)`` pair of character offsets, end exclusive. Two matching modes:

- ``"exact"``: a predicted span matches a gold span when both offsets are equal;
- ``"overlap"``: when they share at least one character (``a.start < b.end and b.start < a.end``).

Matching is one-to-one (each gold span is used by at most one prediction and vice versa), greedy
in a deterministic order, so ``tp + fn == len(gold)`` and ``tp + fp == len(pred)`` always hold.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Iterable, Literal, Sequence

from ..schema import is_over

SpanT = tuple[int, int]
MatchMode = Literal["exact", "overlap"]


def safe_div(num: float, den: float) -> float:
    """``num / den``, or 0.0 when ``den`` is 0."""
    return num / den if den else 0.0


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """Precision, recall and F1 with their counts; 0.0 where undefined."""
    p = safe_div(tp, tp + fp)
    r = safe_div(tp, tp + fn)
    f = safe_div(2 * p * r, p + r)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def span_overlap(a: SpanT, b: SpanT) -> bool:
    """True when the two spans share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


def span_contains(outer: SpanT, inner: SpanT) -> bool:
    """True when ``inner`` lies within ``outer``."""
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _overlap_len(a: SpanT, b: SpanT) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def align_spans(gold: Sequence[SpanT], pred: Sequence[SpanT], mode: MatchMode = "exact") -> list[tuple[int, int]]:
    """One-to-one pairs ``(gold_index, pred_index)`` of matching spans.

    Exact pairs are taken first; in ``"overlap"`` mode the remaining candidates are paired by
    largest shared length, ties broken by position, so the result is deterministic.
    """
    if mode not in ("exact", "overlap"):
        raise ValueError(f"mode must be 'exact' or 'overlap', got {mode!r}")
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    by_span: dict[SpanT, list[int]] = {}
    for j, p in enumerate(pred):
        by_span.setdefault((p[0], p[1]), []).append(j)
    for i, g in enumerate(gold):
        cands = by_span.get((g[0], g[1]))
        if cands:
            j = cands.pop(0)
            pairs.append((i, j))
            used_g.add(i)
            used_p.add(j)
    if mode == "overlap":
        cand = [
            (-_overlap_len(g, p), i, j)
            for i, g in enumerate(gold) if i not in used_g
            for j, p in enumerate(pred) if j not in used_p and span_overlap(g, p)
        ]
        for _, i, j in sorted(cand):
            if i in used_g or j in used_p:
                continue
            pairs.append((i, j))
            used_g.add(i)
            used_p.add(j)
    return sorted(pairs)


def match_spans(gold: Iterable[SpanT], pred: Iterable[SpanT], mode: MatchMode = "exact") -> tuple[int, int, int]:
    """``(tp, fp, fn)`` for one-to-one matching of predicted against gold spans."""
    gold_l = [tuple(g) for g in gold]
    pred_l = [tuple(p) for p in pred]
    tp = len(align_spans(gold_l, pred_l, mode))  # type: ignore[arg-type]
    return tp, len(pred_l) - tp, len(gold_l) - tp


def macro_f1(per_class: dict[str, dict[str, float | int]]) -> float:
    """Mean F1 over the classes present in ``per_class`` (as produced by :func:`prf`)."""
    if not per_class:
        return 0.0
    return round(sum(float(v["f1"]) for v in per_class.values()) / len(per_class), 4)


ASSERTIONS: tuple[str, ...] = ("negated", "historical", "hypothetical", "family", "uncertain")
FLAG_MEANINGS: tuple[str, ...] = ("over",)
"""Gold flag meanings other than the facts' own: ``over`` = past and not current (``Fact.over``)."""


def flag_meanings_of(data: Any) -> dict[str, str] | None:
    """A gold's ``flag_meanings`` (flag -> meaning) when well formed, else None."""
    if not isinstance(data, dict) or any(k not in ASSERTIONS or v not in FLAG_MEANINGS for k, v in data.items()):
        return None
    return dict(data)


FLAG_MEANINGS_SHAPE = f"maps a flag {ASSERTIONS} to one of {FLAG_MEANINGS}"
"""What a well-formed ``flag_meanings`` is, for error messages."""


def predicted_flag(fact: Mapping[str, Any], flag: str, meanings: Mapping[str, str]) -> bool:
    """A fact's value for a gold flag, read with the gold's stated meaning: ``{"historical": "over"}`` when the
    annotation's "historical" means past and not current (``Fact.over``) rather than ConText's temporality."""
    if meanings.get(flag) == "over":
        return is_over(bool(fact.get("historical")), bool(fact.get("history_heading")), bool(fact.get("negated")))
    return bool(fact.get(flag))


def assertion_scores(gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]],
                     pairs: Iterable[tuple[int, int]], meanings: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Per flag: accuracy and P/R/F1 (the flag being true is the positive class) over matched pairs."""
    pairs = list(pairs)
    meanings = meanings or {}
    out: dict[str, Any] = {}
    for flag in ASSERTIONS:
        tp = fp = fn = agree = 0
        for i, j in pairs:
            g, p = bool(gold[i].get(flag)), predicted_flag(pred[j], flag, meanings)
            agree += g == p
            tp += g and p
            fp += p and not g
            fn += g and not p
        out[flag] = {"accuracy": round(safe_div(agree, len(pairs)), 4), "gold_true": tp + fn, **prf(tp, fp, fn)}
    all_ok = sum(all(bool(gold[i].get(f)) == predicted_flag(pred[j], f, meanings) for f in ASSERTIONS)
                 for i, j in pairs)
    out["all_flags_accuracy"] = round(safe_div(all_ok, len(pairs)), 4)
    out["n"] = len(pairs)
    return out
