"""Mentions: the ambiguous-abbreviation rule file."""
from __future__ import annotations

from pipeline.extract.mentions import _abbreviation_rules


def test_abbreviation_rules_file_is_valid():
    rules = _abbreviation_rules()
    assert ("PD", "disease_progression") in rules
    assert all(r["require"] is not None or r["reject_after"] is not None for r in rules.values())
