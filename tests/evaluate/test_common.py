"""Span matching and P/R/F1 helpers shared by the evaluators."""
from __future__ import annotations

import pytest

from pipeline.evaluate.common import align_spans, macro_f1, match_spans, prf, span_overlap


def test_prf_computes_precision_recall_f1():
    assert prf(3, 1, 2) == {"precision": 0.75, "recall": 0.6, "f1": 0.6667, "tp": 3, "fp": 1, "fn": 2}


def test_prf_is_zero_when_nothing_predicted_or_gold():
    assert prf(0, 0, 0)["precision"] == 0.0 and prf(0, 0, 0)["recall"] == 0.0


@pytest.mark.parametrize(
    "a, b, expected",
    [((0, 5), (4, 9), True), ((0, 5), (5, 9), False), ((2, 3), (0, 10), True), ((7, 9), (0, 7), False)],
)
def test_span_overlap_requires_a_shared_character(a, b, expected):
    assert span_overlap(a, b) is expected


@pytest.mark.parametrize(
    "mode, expected",
    [("exact", (1, 2, 2)), ("overlap", (2, 1, 1))],
)
def test_match_spans_counts_by_mode(mode, expected):
    gold = [(0, 5), (10, 20), (30, 35)]
    pred = [(0, 5), (12, 18), (40, 45)]
    assert match_spans(gold, pred, mode) == expected


def test_match_spans_is_one_to_one():
    # two predictions overlapping one gold span: one tp, one fp
    assert match_spans([(0, 10)], [(0, 4), (5, 10)], "overlap") == (1, 1, 0)


def test_align_spans_prefers_exact_then_largest_overlap():
    gold = [(0, 10), (8, 12)]
    pred = [(8, 12), (0, 9)]
    assert align_spans(gold, pred, "overlap") == [(0, 1), (1, 0)]


def test_match_spans_rejects_unknown_mode():
    with pytest.raises(ValueError):
        match_spans([(0, 1)], [(0, 1)], "fuzzy")  # type: ignore[arg-type]


def test_macro_f1_averages_class_f1():
    assert macro_f1({"a": prf(1, 0, 0), "b": prf(0, 1, 1)}) == 0.5
