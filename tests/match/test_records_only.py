"""Matching reads records only: no module of ``pipeline/match`` reads note or listing text.

Everything that depends on words is decided at extraction (facts) or when the listing is parsed
(constraint contexts); the matcher quotes evidence by offsets and asks a text search for open-vocabulary
phrases. These tests prove it: the same verdicts come out when the notes reach the matcher without their
text and every listing text is blanked out.
"""
from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

import pipeline.match
from pipeline.evaluate.cohort import load_cohort
from pipeline.extract.criteria import parse_listing
from pipeline.extract.facts import extract
from pipeline.extract.textsearch import NoteTextSearch
from pipeline.match.matcher import match_trial
from pipeline.resources import corpora_path
from pipeline.schema import NoteMeta, TrialCriteria

MATCH_DIR = Path(pipeline.match.__file__).parent


def _blank(s: str) -> str:
    return "x" * len(s)


def _without_text(trial: TrialCriteria) -> TrialCriteria:
    criteria = []
    for c in trial.criteria:
        cs = [k.model_copy(update={"text": _blank(k.text)}) for k in c.constraints]
        criteria.append(c.model_copy(update={"text": _blank(c.text), "constraints": cs}))
    return trial.model_copy(update={"text": _blank(trial.text), "criteria": criteria, "title": None})


@pytest.fixture(scope="module")
def cohort_run():
    cohort = load_cohort(corpora_path("cohort"))
    trial = parse_listing(corpora_path("listings", "NCT06935188.txt"))
    facts = list(extract(cohort.notes))
    return cohort, trial, facts


def test_match_modules_import_no_text_tools():
    """No regular expressions, fuzzy matching or spaCy in the matcher: it has no text to apply them to."""
    for path in sorted(MATCH_DIR.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 0}
        assert not names & {"re", "rapidfuzz", "spacy", "medspacy"}, f"{path.name} imports {names & {'re', 'rapidfuzz', 'spacy'}}"


def test_match_verdicts_do_not_change_without_note_or_listing_text(cohort_run):
    cohort, trial, facts = cohort_run
    as_of = dt.date.fromisoformat(cohort.meta["as_of"])
    full = match_trial(trial, cohort.notes, facts, as_of=as_of)
    metas = [NoteMeta.of(n) for n in cohort.notes]
    bare = match_trial(_without_text(trial), metas, facts, as_of=as_of, search=NoteTextSearch(cohort.notes))
    assert [(r.patient_id, r.status, [v.verdict for v in r.criteria]) for r in full] == \
           [(r.patient_id, r.status, [v.verdict for v in r.criteria]) for r in bare]
    assert [[[(e.source_id, e.start, e.end) for e in v.evidence] for v in r.criteria] for r in full] == \
           [[[(e.source_id, e.start, e.end) for e in v.evidence] for v in r.criteria] for r in bare]


def test_match_evidence_quotes_equal_the_note_text_at_their_offsets(cohort_run):
    cohort, trial, facts = cohort_run
    texts = {(n.patient_id, n.note_id): n.text for n in cohort.notes}
    results = match_trial(trial, [NoteMeta.of(n) for n in cohort.notes], facts, as_of=dt.date(2025, 9, 1),
                          search=NoteTextSearch(cohort.notes))
    quotes = [(r.patient_id, e) for r in results for v in r.criteria for e in v.evidence]
    assert quotes
    for pid, e in quotes:
        assert texts[(pid, e.source_id)][e.start:e.end] == e.text
