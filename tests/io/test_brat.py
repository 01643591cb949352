"""Brat standoff reading (Chia): offsets must index the text exactly as stored."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.io.brat import iter_corpus, line_spans, parse_ann, read_brat

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "chia_sample"


def _write(tmp_path: Path, text: str, ann: str) -> Path:
    (tmp_path / "NCT1_inc.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "NCT1_inc.ann").write_text(ann, encoding="utf-8")
    return tmp_path / "NCT1_inc.txt"


def test_read_brat_keeps_crlf_so_offsets_stay_exact(tmp_path):
    path = _write(tmp_path, "Age > 18\r\nHb >= 9 g/dL\r\n", "T1\tValue 13 22\t>= 9 g/dL\n")
    doc = read_brat(path)
    e = doc.entities["T1"]
    assert doc.text[e.start:e.end] == ">= 9 g/dL"


def test_read_brat_keeps_every_fragment_of_a_discontinuous_span(tmp_path):
    path = _write(tmp_path, "diarrhea greater than Grade 1", "T1\tValue 9 21;28 29\tgreater than 1\n")
    e = read_brat(path).entities["T1"]
    assert e.spans == ((9, 21), (28, 29)) and (e.start, e.end) == (9, 29)


def test_read_brat_reads_or_groups(tmp_path):
    path = _write(tmp_path, "CNS or leptomeningeal", "T1\tCondition 0 3\tCNS\nT2\tCondition 7 21\tleptomeningeal\n*\tOR T1 T2\n")
    assert [g.members for g in read_brat(path).or_groups()] == [("T1", "T2")]


def test_read_brat_reads_relations_and_attributes(tmp_path):
    ann = "T1\tMeasurement 0 2\tHb\nT2\tValue 3 6\t> 9\nR1\tHas_value Arg1:T1 Arg2:T2\t\nA1\tOptional T1\n"
    doc = read_brat(_write(tmp_path, "Hb > 9", ann))
    assert [(r.type, r.arg1, r.arg2) for r in doc.relations] == [("Has_value", "T1", "T2")]
    assert doc.attributes == {"T1": ["Optional"]}


def test_parse_ann_skips_entity_text_continued_on_the_next_line():
    doc = parse_ann("T1\tCondition 0 9\tAge\r\nmore\nT2\tValue 4 6\tab\n", "Age\r\nmore text", Path("x.txt"))
    assert sorted(doc.entities) == ["T1", "T2"]


def test_parse_ann_rejects_offsets_outside_the_text():
    with pytest.raises(InputError, match="E030"):
        parse_ann("T1\tValue 0 99\tx\n", "short", Path("x.txt"))


def test_line_spans_trims_blank_and_trailing_space():
    assert line_spans("a b  \r\n\r\n  cd\n") == [(0, 3), (11, 13)]


def test_sample_corpus_offsets_match_annotated_text():
    mismatches = [
        (d.path.name, e.id)
        for d in iter_corpus(SAMPLE)
        for e in d.entities.values()
        if " ".join(d.text[s:x] for s, x in e.spans) != e.text and "\n" not in d.text[e.start:e.end]
    ]
    assert mismatches == []
