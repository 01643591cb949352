"""The ts_* spaCy components: in anyone's pipeline they give extract's facts; their rules survive
to_disk and spacy.load."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from pipeline.extract.runner import note_facts
from pipeline.io.notes import read_notes
from pipeline.nlp import PIPES, load
from pipeline.schema import Note

ROOT = Path(__file__).resolve().parents[2]
MI = "No history of myocardial infarction."


@pytest.fixture(scope="module")
def cohort_notes() -> list[Note]:
    notes, problems = read_notes(ROOT / "corpora" / "cohort" / "notes.jsonl")
    assert notes and not problems
    return notes


@pytest.fixture(scope="module")
def user_nlp():
    """A pipeline put together the way a user would, from a blank English model."""
    nlp = spacy.blank("en")
    for name in PIPES:
        nlp.add_pipe(name)
    return nlp


def _dump(facts) -> list[str]:
    return [f.model_dump_json() for f in facts]


def _facts_through(nlp, note: Note):
    doc = nlp.make_doc(note.text)
    doc._.ts_note = note
    return nlp(doc)._.ts_facts


@pytest.mark.parametrize("which", ["blank_plus_add_pipe", "pipeline_load"])
def test_components_give_extract_facts_on_every_cohort_note(which, user_nlp, cohort_notes):
    nlp = user_nlp if which == "blank_plus_add_pipe" else load()
    differing = [
        n.note_id for n in cohort_notes if _dump(_facts_through(nlp, n)) != _dump(note_facts(n))
    ]
    assert differing == []


def test_components_plain_text_call_gives_extract_facts_of_an_anonymous_note_dated_today(
    user_nlp, cohort_notes
):
    today = dt.date.today()
    for note in cohort_notes[:12]:
        anonymous = Note(patient_id="p", note_id="n", date=today, text=note.text)
        assert _dump(user_nlp(note.text)._.ts_facts) == _dump(note_facts(anonymous))


def test_components_find_pattern_mentions_that_the_lexicon_alone_misses(user_nlp):
    doc = user_nlp("62-year-old man. CT: 3.2 x 2.1 cm mass in the neck. Started pembrolizumb.")
    assert {"age", "measurable_lesion", "pembrolizumab"} <= {f.concept for f in doc._.ts_facts}


def test_components_note_with_other_text_is_rejected(user_nlp):
    doc = user_nlp.make_doc("Hb 11.2 g/dL")
    doc._.ts_note = Note(
        patient_id="p", note_id="n1", date=dt.date(2025, 1, 1), text="something else"
    )
    with pytest.raises(ValueError, match="n1"):
        user_nlp(doc)


def test_components_user_lexicon_config_adds_concepts(tmp_path):
    lexicon = tmp_path / "mine.jsonl"
    lexicon.write_text('{"concept": "cough", "phrase": "cough"}\n', encoding="utf-8")
    nlp = spacy.blank("en")
    for name in PIPES:
        nlp.add_pipe(name, config={"user_lexicon": str(lexicon)} if name == "ts_mentions" else {})
    facts = nlp("Denies cough.")._.ts_facts
    assert [(f.concept, f.negated) for f in facts if f.concept == "cough"] == [("cough", True)]


def test_components_rules_come_back_from_disk_not_from_the_package(tmp_path):
    from pipeline.extract.assertion import ContextRuleSpec

    nlp = load()
    nlp.get_pipe("ts_context").set_rules(
        [
            ContextRuleSpec(
                id="context.negated_existence.forward.denies",
                literal="denies",
                category="NEGATED_EXISTENCE",
                direction="FORWARD",
            )
        ]
    )
    nlp.get_pipe("ts_mentions").user_entries = ()
    nlp.to_disk(tmp_path / "saved")
    back = load(tmp_path / "saved")
    assert [s.id for s in back.get_pipe("ts_context").specs] == [
        "context.negated_existence.forward.denies"
    ]
    facts = back("Denies myocardial infarction. No history of myocardial infarction.")._.ts_facts
    assert [f.negated for f in facts if f.concept == "myocardial_infarction"] == [True, False]


def test_components_user_lexicon_is_saved_with_the_pipeline(tmp_path):
    from pipeline.lexicon import read_user_lexicon

    lexicon = tmp_path / "mine.jsonl"
    lexicon.write_text('{"concept": "cough", "phrase": "cough"}\n', encoding="utf-8")
    nlp = load()
    nlp.get_pipe("ts_mentions").user_entries = tuple(read_user_lexicon(lexicon))
    nlp.to_disk(tmp_path / "saved")
    back = load(tmp_path / "saved")
    assert [f.concept for f in back("Cough for two weeks.")._.ts_facts if f.concept == "cough"] == [
        "cough"
    ]


def test_components_saved_pipeline_reloads_in_a_fresh_process_with_negation(tmp_path):
    load().to_disk(tmp_path / "saved")
    script = (
        "import json, sys, spacy\n"
        # the factories are found through the spacy_factories entry points
        "nlp = spacy.load(sys.argv[1])\n"
        "facts = nlp(sys.argv[2])._.ts_facts\n"
        "print(json.dumps([[f.concept, f.negated] for f in facts]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "saved"), MI],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert ["myocardial_infarction", True] in json.loads(run.stdout.strip().splitlines()[-1])


def test_components_are_registered_as_spacy_factory_entry_points():
    from importlib.metadata import entry_points

    assert {e.name for e in entry_points(group="spacy_factories")} >= set(PIPES)


@pytest.mark.parametrize("private", ["_ConText__", "_MedspacyMatcher__", "._scope_", "._rule_id"])
def test_components_use_no_private_medspacy_attribute(private):
    for module in ("components.py", "assertion.py"):
        assert private not in (ROOT / "pipeline" / "extract" / module).read_text(encoding="utf-8")


def test_components_docs_cross_processes_with_their_facts(user_nlp, cohort_notes):
    texts = [n.text for n in cohort_notes[:6]]
    alone = [_dump(user_nlp(t)._.ts_facts) for t in texts]
    assert [_dump(d._.ts_facts) for d in user_nlp.pipe(texts, n_process=2)] == alone


def test_components_doc_bytes_round_trip_keeps_facts_and_sections(user_nlp, cohort_notes):
    from spacy.tokens import Doc

    doc = user_nlp(cohort_notes[0].text)
    back = Doc(user_nlp.vocab).from_bytes(doc.to_bytes())
    assert back._.ts_facts == doc._.ts_facts != []
    assert back._.ts_sections == doc._.ts_sections
