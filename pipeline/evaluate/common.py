"""Shared scoring helpers for the evaluators: precision/recall/F1 and span matching.

A span is a ``(start, end)`` pair of character offsets, end exclusive. Two matching modes:

- ``"exact"``: a predicted span matches a gold span when both offsets are equal;
- ``"overlap"``: when they share at least one character (``a.start < b.end and b.start < a.end``).

Matching is one-to-one (each gold span is used by at most one prediction and vice versa), greedy
in a deterministic order, so ``tp + fn == len(gold)`` and ``tp + fp == len(pred)`` always hold.
"""
from __future__ import annotations

from typing import Iterable, Literal, Sequence

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
