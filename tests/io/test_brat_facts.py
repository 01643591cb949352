"""Annotation round trip: facts exported as brat standoff (valid for brat/INCEpTION), read back and
scored."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.evaluate.facts import (
    FactsEvaluationError,
    cohort_gold_to_brat,
    evaluate_folder,
    facts_as_brat,
    read_meanings,
    score,
)
from pipeline.io.brat_facts import (
    ATTRIBUTES,
    BRAT_NAME,
    BratFolder,
    ann_lines,
    conf_types,
    note_stem,
    note_texts,
    read_fact_folder,
    type_name,
)

ROOT = Path(__file__).resolve().parents[2]
COHORT = ROOT / "corpora" / "cohort" / "notes.jsonl"

# brat standoff grammar (https://brat.nlplab.org/standoff.html)
T_LINE = re.compile(r"T(\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t([^\n]*)")
A_LINE = re.compile(r"A(\d+)\t(\S+) T(\d+)(?: (\S+))?")
NOTE_LINE = re.compile(r"#(\d+)\tAnnotatorNotes T(\d+)\t([^\t\n]*)")


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    """The development cohort's predicted facts, exported with `extract --format brat`."""
    out = tmp_path_factory.mktemp("brat") / "cohort"
    result = CliRunner().invoke(
        main, ["extract", str(COHORT), "--format", "brat", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def _conf_sections(path: Path) -> dict[str, set[str]]:
    sections: dict[str, set[str]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("["):
            current = line.strip("[]")
            sections[current] = set()
        else:
            sections[current].add(line.split()[0])
    return sections


def test_export_writes_the_original_note_text_for_every_note(export):
    notes = [
        json.loads(line) for line in COHORT.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    texts = note_texts(export)
    assert len(texts) == len(notes)
    assert all(texts[note_stem(n["patient_id"], n["note_id"])] == n["text"] for n in notes)
    assert len(list(export.glob("*.ann"))) == len(notes)


def test_every_ann_line_follows_the_brat_standoff_grammar(export):
    conf = _conf_sections(export / "annotation.conf")
    assert set(conf) == {"entities", "relations", "events", "attributes"}
    n_t = n_a = 0
    for ann in sorted(export.glob("*.ann")):
        text = (ann.with_suffix(".txt")).read_bytes().decode("utf-8")
        t_ids: set[str] = set()
        for line in ann.read_text(encoding="utf-8").split("\n")[:-1]:
            if m := T_LINE.fullmatch(line):
                frags = [tuple(map(int, f.split())) for f in m.group(3).split(";")]
                assert all(0 <= s < e <= len(text) for s, e in frags), line
                assert m.group(4) == " ".join(text[s:e] for s, e in frags), line
                assert BRAT_NAME.fullmatch(m.group(2)) and m.group(2) in conf["entities"], line
                t_ids.add(m.group(1))
                n_t += 1
            elif m := A_LINE.fullmatch(line):
                assert m.group(2) in conf["attributes"] and m.group(3) in t_ids, line
                assert m.group(4) is None  # binary attributes
                n_a += 1
            else:
                m = NOTE_LINE.fullmatch(line)
                assert m and m.group(2) in t_ids, f"{ann.name}: not a brat standoff line: {line!r}"
    assert n_t > 1000 and n_a > 100
    assert conf["attributes"] == set(ATTRIBUTES.values())


def test_export_evaluated_against_itself_scores_f1_one(export):
    result = evaluate_folder(export, export)
    assert result["n_gold"] > 1000
    for mode in ("exact", "overlap"):
        assert result[mode]["overall"]["f1"] == 1.0
    assert result["assertions"]["all_flags_accuracy"] == 1.0


def test_cli_evaluate_facts_extracting_notes_against_their_export_scores_f1_one(export):
    result = CliRunner().invoke(
        main, ["evaluate", "facts", str(export), "--pred", str(COHORT), "--json"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert (
        figures["exact"]["overall"]["f1"] == 1.0
        and figures["assertions"]["all_flags_accuracy"] == 1.0
    )


def test_hand_gold_as_brat_scores_what_evaluate_cohort_scores(tmp_path):
    """The brat route and the cohort evaluator agree on the same predictions (the README figure)."""
    from pipeline.evaluate import cohort
    from pipeline.extract.facts import extract

    gold_dir = tmp_path / "gold"
    cohort_gold_to_brat(None, gold_dir)
    loaded = cohort.load_cohort()
    facts = list(extract(loaded.notes))
    expected = cohort.evaluate(loaded, facts, None)["facts"]
    got = score(
        read_fact_folder(gold_dir),
        facts_as_brat(facts),
        conf_types(gold_dir / "annotation.conf"),
        note_texts(gold_dir),
        read_meanings(gold_dir),
    )
    assert read_meanings(gold_dir) == loaded.flag_meanings == {"historical": "over"}
    assert got["n_gold"] == expected["n_gold"] == len(loaded.gold_facts)
    for key in ("exact", "overlap", "assertions"):
        assert got[key] == expected[key]
    assert 0.9 < got["overlap"]["overall"]["f1"] < 1.0


def test_a_span_across_a_line_break_is_written_as_fragments_and_read_back_whole(tmp_path):
    text = "FEV1\r\nvalue low. No history of MI."
    mi = text.index("MI")
    facts = [
        {"concept": "fev1", "start": 0, "end": 11, "negated": False},
        {
            "concept": "myocardial_infarction",
            "start": mi,
            "end": mi + 2,
            "negated": True,
            "value": None,
        },
    ]
    assert ann_lines(text, facts) == [
        "T1\tfev1 0 4;6 11\tFEV1 value",
        f"T2\tmyocardial_infarction {mi} {mi + 2}\tMI",
        "A1\tNegated T2",
    ]
    folder = BratFolder(tmp_path / "b")
    folder.add("P1", "N1", text, facts)
    folder.close()
    back = read_fact_folder(tmp_path / "b")
    assert [(f["concept"], f["start"], f["end"], f["negated"]) for f in back] == [
        ("fev1", 0, 11, False),
        ("myocardial_infarction", mi, mi + 2, True),
    ]


@pytest.mark.parametrize("concept", ["my concept", "5-FU", "ü_vorhofflimmern", "a/b", "x" * 80])
def test_type_name_is_a_legal_brat_identifier_and_distinct(concept):
    name = type_name(concept)
    assert BRAT_NAME.fullmatch(name) and name != type_name(concept + "!")


@pytest.mark.parametrize(
    "pid,nid", [("P01", "P01-N1"), ("p 1", "n/1"), ("..", "a__b"), ("P1", "N1\n")]
)
def test_note_stem_is_file_safe_and_keeps_id_pairs_apart(pid, nid):
    stem = note_stem(pid, nid)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.~-]*__[A-Za-z0-9.~-]+", stem)
    assert stem != note_stem(pid + "x", nid) and stem != note_stem(pid, nid + "x")


def test_export_never_overwrites_a_folder_holding_annotations(export):
    with pytest.raises(InputError, match=r"\[E047\].*already holds \.ann files.*never overwritten"):
        BratFolder(export)


def test_cli_extract_brat_needs_an_out_folder():
    result = CliRunner().invoke(main, ["extract", str(COHORT), "--format", "brat"])
    assert result.exit_code == 2 and "--out DIR" in result.output


def test_evaluate_facts_refuses_predictions_on_other_texts(export, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    for txt in sorted(export.glob("*.txt"))[:2]:
        (other / txt.name).write_text(txt.read_text(encoding="utf-8") + " edited", encoding="utf-8")
    with pytest.raises(FactsEvaluationError, match=r"\[E030\].*text differs"):
        evaluate_folder(export, other)
