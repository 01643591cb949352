"""`criteria --format table`: the and/or/not logic readable, never a double negative."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.io.criteria_text import logic_text
from pipeline.schema import Constraint, Criterion, LogicNode

SEED = Path(__file__).resolve().parents[2] / "corpora" / "listings" / "NCT06935188.txt"
DOUBLE_NEGATIVE = re.compile(
    r"\b(?:not|no)\b\W*(?:\(\W*)?\b(?:not|no)\b|\bNOT\b.*\babsent\b", re.IGNORECASE
)


def _c(cid: str, concept: str, **kw) -> Constraint:
    return Constraint(id=cid, concept=concept, text=concept, start=0, end=len(concept), **kw)


def _crit(kind: str, constraints: list[Constraint], logic: LogicNode | None) -> Criterion:
    return Criterion(
        id="X1",
        kind=kind,
        text="t",
        start=0,
        end=1,
        computable=True,
        category="comorbidity",
        logic=logic,
        constraints=constraints,
    )


def _not(arg: str | LogicNode) -> LogicNode:
    return LogicNode(op="not", args=[arg])


CASES = [
    (
        "exclusion 'not: no X' reads X",
        _crit(
            "exclusion",
            [
                _c("a", "hepatitis_b"),
                _c("b", "antiviral_therapy", negated=True, comparator="absent"),
            ],
            LogicNode(op="and", args=["a", _not("b")]),
        ),
        "hepatitis_b and antiviral_therapy",
    ),
    (
        "negated and absent mean absent once",
        _crit(
            "inclusion",
            [
                _c("a", "hemoglobin", comparator=">=", value=100.0, unit="g/L"),
                _c("b", "transfusion", negated=True, comparator="absent"),
            ],
            None,
        ),
        "hemoglobin >= 100 g/L and no transfusion",
    ),
    (
        "not over a negated value constraint cancels",
        _crit(
            "inclusion",
            [_c("a", "ast", comparator="<=", value=1.5, relative_to="ULN", negated=True)],
            LogicNode(op="not", args=["a"]),
        ),
        "ast <= 1.5 x ULN",
    ),
    (
        "carve-out reads except",
        _crit(
            "exclusion",
            [
                _c("a", "other_malignancy"),
                _c("b", "basal_cell_carcinoma", attributes={"role": "carve_out"}),
            ],
            LogicNode(op="and", args=["a", _not("b")]),
        ),
        "other_malignancy except basal_cell_carcinoma",
    ),
    (
        "a carve-out asking absence is not 'except no'",
        _crit(
            "exclusion",
            [
                _c("a", "substance_abuse"),
                _c("b", "nicotine", comparator="absent", attributes={"role": "carve_out"}),
            ],
            LogicNode(op="and", args=["a", _not("b")]),
        ),
        "substance_abuse and nicotine",
    ),
    (
        "or inside and is bracketed",
        _crit(
            "inclusion",
            [_c("a", "hnscc"), _c("b", "recurrent_disease"), _c("c", "metastatic_disease")],
            LogicNode(op="and", args=["a", LogicNode(op="or", args=["b", "c"])]),
        ),
        "hnscc and (recurrent_disease or metastatic_disease)",
    ),
    (
        "not over a compound keeps its brackets",
        _crit(
            "inclusion",
            [_c("a", "pneumonia"), _c("b", "copd", negated=True)],
            LogicNode(op="not", args=[LogicNode(op="or", args=["a", "b"])]),
        ),
        "not (pneumonia or no copd)",
    ),
    (
        "exclusion without a tree: any constraint",
        _crit(
            "exclusion",
            [
                _c("a", "hiv", comparator="==", value="positive"),
                _c("b", "syphilis", comparator="==", value="positive"),
            ],
            None,
        ),
        "hiv == positive or syphilis == positive",
    ),
]


@pytest.mark.parametrize("name,criterion,expected", CASES, ids=[c[0] for c in CASES])
def test_logic_text_reads_the_tree(name, criterion, expected):
    assert logic_text(criterion) == expected


def test_criteria_table_of_the_seed_shows_whole_logic_and_no_double_negative():
    from pipeline.extract.criteria import parse_listing

    result = CliRunner().invoke(main, ["criteria", str(SEED), "--format", "table"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("id "))
    col, end = lines[header].index("logic"), lines[header].index("text")
    shown: dict[str, list[str]] = {}
    for line in lines[header + 2 :]:
        if line[:1].strip():
            shown[line.split()[0]] = []
        shown[list(shown)[-1]].append(line[col:end].strip())
    trial = parse_listing(SEED)
    for c in trial.criteria:  # every tree in full (wrapped, never cut), and never a double negative
        assert " ".join(shown[c.id]) == (logic_text(c) or c.reason or "-")
    logic = {c.id: logic_text(c) for c in trial.criteria}
    assert (
        "and no transfusion and" in logic["I8"]
        and "(wbc >= 4 10^9/L [<= 2 week to first_dose] or anc" in logic["I8"]
    )
    assert not any(DOUBLE_NEGATIVE.search(text) for text in logic.values())


def test_double_negative_pattern_catches_what_it_must():
    assert all(
        DOUBLE_NEGATIVE.search(s)
        for s in ("not no X", "no (no X)", "NOT transfusion absent", "not (not x)")
    )
    assert not DOUBLE_NEGATIVE.search("no transfusion and not (a or b)")
