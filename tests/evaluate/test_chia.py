"""`trialsieve evaluate chia`: span scoring against Chia brat annotations.

The real criteria parser is replaced by a tiny line-per-criterion fake so these tests specify the
evaluator alone.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.evaluate import chia
from pipeline.io.brat import parse_ann
from pipeline.schema import Constraint, Criterion, LogicNode, TrialCriteria

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "chia_sample"
VALUE = re.compile(r"(?:[<>≤≥]=?|=)\s*\d+(?:\.\d+)?(?:\s*[a-zA-Z/%]+)?")
WINDOW = re.compile(r"within (?:the (?:last|past) )?\d+ (?:days?|weeks?|months?|years?)", re.I)
NEGATION = re.compile(r"\b(no|not|without)\b", re.I)


def fake_parser(text: str, *, source: str = "<text>", trial_id: str = "") -> TrialCriteria:
    """One criterion per line; a constraint per value/window/negation match; ' or ' joins them."""
    criteria = []
    for k, m in enumerate(re.finditer(r"[^\r\n]+", text), 1):
        s = m.start()
        cons = []
        for j, hit in enumerate([*VALUE.finditer(m.group()), *WINDOW.finditer(m.group()), *NEGATION.finditer(m.group())]):
            role = "value" if hit.re is VALUE else "window" if hit.re is WINDOW else "negation"
            a, b = s + hit.start(), s + hit.end()
            cons.append(Constraint(id=f"I{k}.c{j + 1}", concept="x", text=text[a:b], start=a, end=b, spans={role: (a, b)}))
        logic = LogicNode(op="or", args=[c.id for c in cons]) if " or " in m.group() and len(cons) > 1 else None
        criteria.append(Criterion(id=f"I{k}", kind="inclusion", text=m.group(), start=s, end=m.end(), computable=True,
                                  category="other", constraints=cons, logic=logic))
    return TrialCriteria(trial_id=trial_id, source=source, text=text, criteria=criteria)


@pytest.fixture(scope="module")
def result() -> dict:
    return chia.run(SAMPLE, parser=fake_parser)


def test_run_reports_every_file_of_the_folder(result):
    assert result["files"] == len(list(SAMPLE.glob("*.txt"))) and result["trials"] == 10


@pytest.mark.parametrize("measure", ["value", "value_digit", "temporal", "negation", "concept"])
def test_run_scores_each_measure_in_both_modes(result, measure):
    assert set(result["spans"][measure]) >= {"exact", "overlap"}
    assert set(result["spans"][measure]["overlap"]) >= {"precision", "recall", "tp", "fp", "fn"}


def test_run_overlap_recall_is_at_least_exact_recall(result):
    v = result["spans"]["value"]
    assert v["overlap"]["recall"] >= v["exact"]["recall"]


def test_run_finds_digit_values_with_a_value_regex(result):
    assert result["spans"]["value_digit"]["overlap"]["tp"] > 0


def test_run_reports_the_two_targets(result):
    assert [(t["measure"], t["target"]) for t in result["targets"]] == [("value_digit", 0.95), ("temporal", 0.85)]


def test_run_lists_at_most_ten_failure_kinds_with_examples(result):
    top = result["top_failures"]
    assert 0 < len(top) <= 10
    assert all(f["count"] > 0 and {"file", "start", "end"} <= set(f["example"]) for f in top)


def test_run_failure_counts_equal_overlap_misses(result):
    for measure in ("value", "temporal", "negation"):
        assert sum(result["failures"][measure].values()) == result["spans"][measure]["overlap"]["fn"]


def test_run_counts_or_groups(result):
    assert result["or_groups"]["gold"] > 0 and 0 <= result["or_groups"]["recovered"] <= result["or_groups"]["gold"]


def test_render_prints_targets_and_failures(result):
    out = chia.render(result)
    assert "value_digit" in out and "Top" in out and "OR groups recovered" in out


def _doc(text: str, ann: str):
    return parse_ann(ann, text, Path("NCT1_inc.txt"))


def test_or_group_recovered_when_members_fall_in_two_args_of_one_or_node():
    text = "Hb < 9 or Plt < 100"
    doc = _doc(text, "T1\tValue 3 6\t< 9\nT2\tValue 14 19\t< 100\n*\tOR T1 T2\n")
    pred = chia.Prediction(fake_parser(text))
    assert chia.or_group_recovered(doc, doc.or_groups()[0].members, pred)


def test_or_group_not_recovered_without_an_or_node():
    text = "Hb < 9 and Plt < 100"
    doc = _doc(text, "T1\tValue 3 6\t< 9\nT2\tValue 15 20\t< 100\n*\tOR T1 T2\n")
    pred = chia.Prediction(fake_parser(text))
    assert not chia.or_group_recovered(doc, doc.or_groups()[0].members, pred)
    assert chia.or_group_failure(doc, doc.or_groups()[0].members, pred) == "no predicted or node over the members"


def test_or_group_failure_notices_members_split_across_criteria():
    text = "Hb < 9 or\nPlt < 100"
    doc = _doc(text, "T1\tValue 3 6\t< 9\nT2\tValue 14 19\t< 100\n*\tOR T1 T2\n")
    pred = chia.Prediction(fake_parser(text))
    assert chia.or_group_failure(doc, doc.or_groups()[0].members, pred) == "members in different predicted criteria"


def test_run_passes_the_file_kind_to_parsers_that_take_it(tmp_path):
    for name in ("NCT1_inc", "NCT1_exc"):
        (tmp_path / f"{name}.txt").write_text("Hb < 9\n", encoding="utf-8")
        (tmp_path / f"{name}.ann").write_text("T1\tValue 3 6\t< 9\n", encoding="utf-8")
    seen = []

    def parser(text, *, source="<text>", trial_id="", kind=None):
        seen.append(kind)
        return fake_parser(text, source=source, trial_id=trial_id)

    chia.run(tmp_path, parser=parser)
    assert seen == ["exclusion", "inclusion"]


@pytest.mark.parametrize(
    "text, etype, gold, expected",
    [
        ("Age > 18, HIV test negative", "Value", "negative", "value without digit (e.g. 'positive', 'normal')"),
        ("Age > 18, AST 2.5 x ULN", "Value", "2.5 x ULN", "value relative to ULN/LLN/normal"),
        ("Age > 18, platelets 100-400 per field", "Value", "100-400", "value range (a-b, between a and b)"),
        ("Age > 18, prior therapy previously", "Temporal", "previously", "temporal status word (current, previous, acute, chronic)"),
        ("Age > 18, pregnancy test at baseline", "Temporal", "at baseline", "temporal anchor without number (at baseline, prior to X, during the study)"),
        ("Age > 18, surgery six weeks ago", "Temporal", "six weeks ago", "temporal number in words (six months)"),
    ],
)
def test_failure_kind_names_the_reason(text, etype, gold, expected):
    s = text.index(gold)
    doc = _doc(text, f"T1\t{etype} {s} {s + len(gold)}\t{gold}\n")
    pred = chia.Prediction(fake_parser(text))
    measure = "value" if etype == "Value" else "temporal"
    assert chia.failure_kind(measure, doc.entities["T1"], text, pred) == expected


def test_failure_kind_reports_lines_the_parser_skipped():
    text = "first line\nHb < 9"
    doc = _doc(text, "T1\tValue 14 17\t< 9\n")
    pred = chia.Prediction(TrialCriteria(trial_id="t", source="s", text=text, criteria=[]))
    assert chia.failure_kind("value", doc.entities["T1"], text, pred) == "line not parsed as a criterion"


def test_default_folder_exists():
    assert chia.default_folder().is_dir()


@pytest.mark.parametrize(
    "gold, pred, expected",
    [((5, 10), (3, 10), "starts earlier, same end"), ((5, 10), (5, 8), "same start, ends earlier"), ((5, 10), (6, 12), "starts later, ends later")],
)
def test_boundary_kind_describes_both_edges(gold, pred, expected):
    assert chia.boundary_kind(gold, pred) == expected


def test_run_counts_boundary_mismatches_as_overlap_minus_exact_matches(result):
    v = result["spans"]["value"]
    total = sum(f["count"] for f in result["boundary_mismatches"]["value"])
    assert total == v["overlap"]["tp"] - v["exact"]["tp"]
