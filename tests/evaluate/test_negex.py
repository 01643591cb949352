"""``trialsieve evaluate negex``: reading the TSV and scoring assertion classes."""
from __future__ import annotations

import pytest

from pipeline.errors import InputError
from pipeline.evaluate import negex

HEADER = "line number\tCondition\tsentence\tnegation_status\ttemporality\texperiencer\n"


def write(tmp_path, rows):
    path = tmp_path / "set.tsv"
    path.write_text(HEADER + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_negex_run_scores_each_class(tmp_path):
    path = write(tmp_path, [
        ("1", "pneumonia", "No evidence of pneumonia.", "Negated", "Recent", "Patient"),
        ("2", "cough", "She has a cough.", "Affirmed", "Recent", "Patient"),
        ("3", "stroke", "History of stroke.", "Affirmed", "Historical", "Patient"),
        ("4", "fever", "Return if fever.", "Affirmed", "Not particular", "Patient"),
        ("5", "diabetes", "Her mother has diabetes.", "Affirmed", "Recent", "Other"),
    ])
    result = negex.run(path)
    assert result["rows"] == 5 and result["not_found"] == 0
    for cls in ("negated", "historical", "hypothetical", "experiencer_other"):
        assert result["classes"][cls]["f1"] == 1.0


def test_negex_counts_condition_not_found_as_affirmed(tmp_path):
    path = write(tmp_path, [("1", "absent phrase", "No fever.", "Negated", "Recent", "Patient")])
    result = negex.run(path)
    assert result["not_found"] == 1 and result["classes"]["negated"]["fn"] == 1


def test_negex_short_row_is_a_coded_error(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text(HEADER + "1\tfever\tNo fever.\n", encoding="utf-8")
    with pytest.raises(InputError, match="E030"):
        negex.run(path)


def test_negex_render_reports_every_class(root):
    result = negex.run(root / "corpora" / "negex_sample" / "negex_sample.tsv")
    text = negex.render(result)
    assert all(c in text for c in ("negated", "historical", "hypothetical", "experiencer_other"))
    assert result["classes"]["negated"]["f1"] >= 0.9
