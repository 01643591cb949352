"""Mentions: the ambiguous-abbreviation rule file."""
from __future__ import annotations

from pipeline.extract.mentions import _abbreviation_rules


def test_abbreviation_rules_file_is_valid():
    rules = _abbreviation_rules()
    assert ("PD", "disease_progression") in rules
    assert all(r["window"] > 0 and r["require"].pattern and r["reject"].pattern for r in rules.values())
