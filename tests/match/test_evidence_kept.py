"""A verdict keeps every piece of its evidence and its whole reason: a compound criterion's sub-conditions
can each be confirmed, and output files are never cut (screens shorten, files do not)."""
from __future__ import annotations

from match_builders import AS_OF, constraint, criterion, fact, match_extracted, note, trial

from pipeline.match.matcher import _one_line

LABS = [("Platelets 231", "platelets", 231.0, "10^9/L", ">=", 100.0), ("WBC 6.4", "wbc", 6.4, "10^9/L", ">=", 4.0),
        ("ANC 4.1", "anc", 4.1, "10^9/L", ">=", 2.0), ("Hb 128", "hemoglobin", 128.0, "g/L", ">=", 100.0),
        ("AST 24", "ast", 24.0, "U/L", "<=", 60.0), ("ALT 19", "alt", 19.0, "U/L", "<=", 60.0),
        ("Cr 78", "creatinine", 78.0, "umol/L", "<=", 150.0), ("TBIL 11.2", "total_bilirubin", 11.2, "umol/L", "<=", 30.0)]
"""Eight sub-conditions of one "normal organ function" criterion, each met by its own lab value."""


def test_matcher_keeps_evidence_of_every_sub_condition():
    n = note(" ".join(q + "." for q, *_ in LABS), note_type="lab report")
    facts = [fact(n, q, concept, value=value, unit=unit) for q, concept, value, unit, _, _ in LABS]
    subs = [constraint(f"I1.c{i}", concept, comparator=op, value=limit, unit=unit)
            for i, (_, concept, _, unit, op, limit) in enumerate(LABS, 1)]
    (result,) = match_extracted(trial(criterion("I1", "inclusion", subs)), [n], facts, as_of=AS_OF)
    v = result.criteria[0]
    assert v.verdict == "met"
    assert sorted(e.text for e in v.evidence) == sorted(q for q, *_ in LABS)


def test_matcher_reason_is_kept_whole_on_one_line():
    long = "hemoglobin 128 g/L on 2025-08-26; criterion >= 100;\n" * 20
    line = _one_line(long)
    assert "\n" not in line and len(line) == len(" ".join(long.split())) > 240 and not line.endswith("…")
