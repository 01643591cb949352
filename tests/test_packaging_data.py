"""Packaged data is read through one validated loader: a broken, missing or empty file is a coded error
naming the file (and line and field), never an empty rule set."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from pipeline import lexicon as lexicon_module
from pipeline import rule_schemas as S
from pipeline.errors import ModelDataError
from pipeline.resources import data_file, models_path
from pipeline.rulefile import read_json_data, read_jsonl

ROOT = Path(__file__).resolve().parent.parent

PLAIN_JSON_RULES = [
    (("units", "aliases.json"), S.UnitAliases),
    (("rules", "lab_units.json"), S.LabUnits),
    (("rules", "lesion_terms.json"), S.LesionTerms),
    (("rules", "other_malignancy.json"), S.OtherMalignancy),
    (("rules", "abbreviation_context.json"), S.AbbreviationContext),
    (("rules", "span_trims.json"), S.SpanTrims),
    (("rules", "assertion_policy.json"), S.AssertionPolicy),
    (("rules", "hypersensitivity.json"), S.Hypersensitivity),
    (("rules", "result_aliases.json"), S.ResultAliases),
    (("rules", "surrogates.json"), S.SurrogateMethods),
    (("rules", "criteria_patterns.json"), S.CriteriaPatterns),
]


@pytest.mark.parametrize("parts,schema", PLAIN_JSON_RULES, ids=lambda p: "/".join(p) if isinstance(p, tuple) else "")
def test_shipped_rule_file_validates(parts: tuple[str, ...], schema: type[BaseModel]) -> None:
    data = read_json_data(models_path(*parts), schema)
    assert data and not any(k.startswith("_comment") for k in data)


def test_shipped_tumor_sites_validate() -> None:
    assert read_jsonl(models_path("rules", "tumor_sites.jsonl"), S.TumorSite.model_validate)


def test_no_reader_bypasses_the_validated_loader() -> None:
    """Every models/ file is opened by rulefile (or a reader that checks it, such as data_file)."""
    bypass = re.compile(r"(models_path\([^()]*\)\)?\s*\.\s*(read_text|read_bytes|open)\b|open\(\s*models_path"
                        r"|json\.loads?\(\s*models_path)")
    found = [f"{p.relative_to(ROOT)}:{n}" for p in (ROOT / "pipeline").rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if bypass.search(line)]
    assert found == []


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_key_names_file_line_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, "other_malignancy.json",
                  '{\n "_comment": "x",\n "organs": ["breast"],\n "nouns": ["cancer"],\n'
                  ' "generic_prefixes": ["other"],\n "organz": ["lung"]\n}\n')
    with pytest.raises(ModelDataError, match=r"E020\].*other_malignancy.json: line 6: .*field 'organz'"):
        read_json_data(path, S.OtherMalignancy)


def test_wrong_type_names_the_nested_field(tmp_path: Path) -> None:
    rule = {"id": "a", "text": "PD", "concept": "x", "window": "ten", "require": [], "reject": []}
    path = _write(tmp_path, "abbreviation_context.json", json.dumps({"abbreviations": [rule]}))
    with pytest.raises(ModelDataError, match=r"E020\].*field 'abbreviations\.0\.window'.*'ten'"):
        read_json_data(path, S.AbbreviationContext)


def test_pattern_that_does_not_compile_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "lesion_terms.json", json.dumps({"terms": ["mass"], "non_lesion_terms": ["cysts?("]}))
    with pytest.raises(ModelDataError, match=r"E020\].*field 'non_lesion_terms\.0'.*regular expression"):
        read_json_data(path, S.LesionTerms)


def test_jsonl_record_error_names_line_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, "tumor_sites.jsonl",
                  '{"id": "s.a", "site": "a", "phrases": ["a"]}\n\n{"id": "s.b", "site": "b", "phrases": "b"}\n')
    with pytest.raises(ModelDataError, match=r"tumor_sites.jsonl: line 3: .*field 'phrases'"):
        read_jsonl(path, S.TumorSite.model_validate)


@pytest.mark.parametrize("text,problem", [(None, "missing"), ("", "empty"), ("\n  \n", "empty")])
def test_missing_or_empty_rule_file_is_e023(tmp_path: Path, text: str | None, problem: str) -> None:
    path = tmp_path / "lab_units.json"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    for read in (lambda: read_json_data(path, S.LabUnits), lambda: read_jsonl(path, S.TumorSite.model_validate),
                 lambda: data_file(path)):
        with pytest.raises(ModelDataError, match=rf"E023\] .*lab_units.json: packaged data file is {problem}"):
            read()


def test_empty_lexicon_folder_is_an_error_not_an_empty_lexicon(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lexicon").mkdir()
    monkeypatch.setattr(lexicon_module, "models_path", lambda *parts: tmp_path.joinpath(*parts))
    lexicon_module.load_lexicon.cache_clear()
    try:
        with pytest.raises(ModelDataError, match=r"E023\] .*lexicon/\*\.jsonl: packaged data file is missing"):
            lexicon_module.load_lexicon()
        _write(tmp_path / "lexicon", "concepts.jsonl", "\n")
        with pytest.raises(ModelDataError, match=r"E023\] .*concepts.jsonl: packaged data file is empty"):
            lexicon_module.load_lexicon()
    finally:
        lexicon_module.load_lexicon.cache_clear()
