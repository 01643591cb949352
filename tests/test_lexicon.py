"""The packaged concept lexicon and users' --lexicon files."""
from __future__ import annotations

import pytest

from pipeline.errors import InputError, ModelDataError
from pipeline.lexicon import load_lexicon, read_entries, read_user_lexicon
from pipeline.resources import models_path


def test_every_packaged_lexicon_file_validates():
    files = sorted(models_path("lexicon").glob("*.jsonl"))
    assert files
    for path in files:
        assert read_entries(path)


def test_lexicon_ids_are_unique():
    ids = [e.id for e in load_lexicon().entries]
    assert len(ids) == len(set(ids))


def test_lexicon_classes_refer_to_known_concepts():
    lex = load_lexicon()
    unknown = {c for e in lex.entries for c in e.classes if c not in lex}
    assert unknown == set()


@pytest.mark.parametrize(
    "concept,target",
    [("nivolumab", "anti_pd1"), ("toripalimab", "anti_pd1"), ("nimotuzumab", "anti_egfr_mab"),
     ("gefitinib", "egfr_tki"), ("cisplatin", "anticancer_therapy"), ("filgrastim", "hematopoietic_growth_factor")],
)
def test_lexicon_resolves_drug_classes_transitively(concept, target):
    assert load_lexicon().is_a(concept, target)


def test_lexicon_does_not_put_antibodies_in_wrong_class():
    lex = load_lexicon()
    assert not lex.is_a("cetuximab", "anti_pd1")
    assert "cetuximab" not in lex.members("egfr_tki")


def test_invalid_lexicon_entry_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x.y", "concept": "y", "category": "other", "kind": "condition", "phrases": ["y"], "typo": 1}\n')
    with pytest.raises(ModelDataError, match="E020.*bad.jsonl: line 1"):
        read_entries(path)


def test_user_lexicon_groups_phrases_by_concept(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text('{"concept": "mucositis", "phrase": "mucositis"}\n{"concept": "mucositis", "phrase": "oral mucositis"}\n')
    (entry,) = read_user_lexicon(path)
    assert entry.concept == "mucositis" and entry.user and entry.phrases == ("mucositis", "oral mucositis")


def test_user_lexicon_line_without_phrase_is_an_error(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text('{"concept": "mucositis"}\n')
    with pytest.raises(InputError, match="E022.*line 1"):
        read_user_lexicon(path)


def test_no_phrase_names_two_concepts():
    owners: dict[str, set[str]] = {}
    for e in load_lexicon().entries:
        for phrase in e.phrases:
            owners.setdefault(phrase.lower(), set()).add(e.concept)
    assert {p: c for p, c in owners.items() if len(c) > 1} == {}


def test_lexicon_later_line_extends_a_known_concept():
    from pipeline.lexicon import Lexicon, LexiconEntry

    first = LexiconEntry(id="dx.a", concept="a", category="diagnosis", kind="condition", phrases=("a",),
                         codes={"icd10": "C00"}, unit=None)
    later = LexiconEntry(id="vocab.ext.a", concept="a", category="other", kind="lab", phrases=("aa",),
                         **{"class": ("b",)}, codes={"icd10": "X99", "icd10cm": "C00.0"}, unit="mg")
    merged = Lexicon([first, later]).get("a")
    assert merged.phrases == ("a", "aa") and merged.classes == ("b",)
    assert merged.codes == {"icd10": "C00", "icd10cm": "C00.0"}
    assert (merged.kind, merged.category, merged.unit) == ("condition", "diagnosis", None)
