"""Screening from the store: the records `match` writes, several trials per pass, resumable, atomic outputs."""
from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from click.testing import CliRunner
from store_builders import AS_OF, SEED

from pipeline.cli import main
from pipeline.extract.criteria import parse_listing
from pipeline.store.db import FactStore
from pipeline.store.screen import PARTIAL_SUFFIX, screen_store


def test_screen_writes_what_match_writes(cohort_store, match_reference, tmp_path):
    res = CliRunner().invoke(main, ["screen", str(SEED), "--store", str(cohort_store), "--out", str(tmp_path), "--as-of", AS_OF])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "NCT06935188.jsonl").read_bytes() == match_reference
    assert "NCT06935188: 11 eligible" in res.output
    assert [p.name for p in tmp_path.iterdir()] == ["NCT06935188.jsonl"]  # no partial or temporary file left


def test_screen_many_trials_one_file_each(cohort_store, tmp_path):
    listings = tmp_path / "listings"
    listings.mkdir()
    shutil.copy(SEED, listings / "NCT06935188.txt")
    other = SEED.read_text(encoding="utf-8").replace("NCT06935188", "NCT00000001")
    (listings / "NCT00000001.txt").write_text(other, encoding="utf-8")
    res = CliRunner().invoke(main, ["screen", str(listings), "--store", str(cohort_store), "--out", str(tmp_path / "o"), "--as-of", AS_OF])
    assert res.exit_code == 0, res.output
    a, b = (tmp_path / "o" / "NCT06935188.jsonl"), (tmp_path / "o" / "NCT00000001.jsonl")
    assert len(a.read_text().splitlines()) == len(b.read_text().splitlines()) == 37
    assert [json.loads(x)["rank"] for x in a.read_text().splitlines()] == list(range(1, 38))


def test_screen_default_as_of_is_latest_note_date(cohort_store, tmp_path):
    trial = parse_listing(SEED)
    store = FactStore.open(cohort_store)
    assert store.latest_date() == dt.date(2025, 8, 29)
    screen_store([trial], store, tmp_path / "a")
    screen_store([trial], store, tmp_path / "b", as_of=dt.date(2025, 8, 29))
    assert (tmp_path / "a" / "NCT06935188.jsonl").read_bytes() == (tmp_path / "b" / "NCT06935188.jsonl").read_bytes()


def _partial_from_full_run(cohort_store, tmp_path, keep_lines: int, cut: int) -> tuple[bytes, object]:
    """A finished run's partial file cut after ``keep_lines`` results, with ``cut`` bytes of the next line."""
    trial = parse_listing(SEED)
    store = FactStore.open(cohort_store)
    out = tmp_path / "o"
    out.mkdir()
    # one uninterrupted run, keeping its partial file aside before it is ranked
    import pipeline.store.screen as screen_mod

    saved = {}
    real_finish = screen_mod._finish

    def keep(run):
        saved["partial"] = run.partial.read_bytes()
        return real_finish(run)

    screen_mod._finish = keep
    try:
        screen_store([trial], store, out, as_of=dt.date.fromisoformat(AS_OF))
    finally:
        screen_mod._finish = real_finish
    full = (out / "NCT06935188.jsonl").read_bytes()
    (out / "NCT06935188.jsonl").unlink()
    lines = saved["partial"].split(b"\n")
    partial = b"\n".join(lines[: 1 + keep_lines]) + b"\n" + lines[1 + keep_lines][:cut]
    (out / f".NCT06935188{PARTIAL_SUFFIX}").write_bytes(partial)
    return full, store


def test_screen_resumes_after_last_whole_line(cohort_store, tmp_path, monkeypatch):
    full, store = _partial_from_full_run(cohort_store, tmp_path, keep_lines=12, cut=25)
    matched = []
    from pipeline.match import matcher

    real = matcher.match_patients
    monkeypatch.setattr(matcher, "match_patients", lambda *a: matched.extend(a[1].profiles) or real(*a))
    screen_store([parse_listing(SEED)], store, tmp_path / "o", as_of=dt.date.fromisoformat(AS_OF))
    assert len(matched) == 37 - 12  # the cut line's patient is matched again, finished ones are not
    assert (tmp_path / "o" / "NCT06935188.jsonl").read_bytes() == full


def test_screen_restarts_when_store_changed(cohort_store, tmp_path):
    full, store = _partial_from_full_run(cohort_store, tmp_path, keep_lines=5, cut=0)
    part = tmp_path / "o" / f".NCT06935188{PARTIAL_SUFFIX}"
    lines = part.read_bytes().split(b"\n")
    part.write_bytes(b'{"trialsieve_screen": "stale"}\n' + b"\n".join(lines[1:]))
    screen_store([parse_listing(SEED)], store, tmp_path / "o", as_of=dt.date.fromisoformat(AS_OF))
    assert (tmp_path / "o" / "NCT06935188.jsonl").read_bytes() == full


def test_screen_missing_store_is_coded(tmp_path):
    res = CliRunner().invoke(main, ["screen", str(SEED), "--store", str(tmp_path / "no.db"), "--out", str(tmp_path)])
    assert res.exit_code == 1 and "[E043]" in res.output and "Traceback" not in res.output


def test_screen_in_two_processes_writes_the_same(cohort_store, match_reference, tmp_path):
    res = CliRunner().invoke(main, ["screen", str(SEED), "--store", str(cohort_store), "--out", str(tmp_path), "--as-of", AS_OF, "-j", "2"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "NCT06935188.jsonl").read_bytes() == match_reference


def test_screen_same_trial_id_twice_gets_two_files(cohort_store, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in ("a", "b"):
        shutil.copy(SEED, tmp_path / d / "listing.txt")
    res = CliRunner().invoke(main, ["screen", str(tmp_path / "a" / "listing.txt"), str(tmp_path / "b" / "listing.txt"),
                                    "--store", str(cohort_store), "--out", str(tmp_path / "o"), "--as-of", AS_OF])
    assert res.exit_code == 0, res.output
    a, b = (tmp_path / "o" / "NCT06935188.jsonl"), (tmp_path / "o" / "NCT06935188-2.jsonl")
    assert a.read_bytes() == b.read_bytes() and a.read_bytes().count(b"\n") == 37


def test_screen_reads_note_text_only_for_lookups_once_per_patient(cohort_store, match_reference, tmp_path, monkeypatch):
    """The matcher gets notes without their text; open-vocabulary lookups go to the store-backed search, which
    reads a patient's text once for every trial of the pass, and not at all when no lookup asks."""
    from pipeline.match import matcher
    from pipeline.schema import Note

    reads: list[str] = []
    real_texts, real_match = FactStore.note_texts, matcher.match_trial

    def counting(self, pid):
        reads.append(pid)
        return real_texts(self, pid)

    def no_text(trial, notes, facts, **kw):
        assert not any(isinstance(n, Note) for n in notes) and kw["search"] is not None
        return real_match(trial, notes, facts, **kw)

    monkeypatch.setattr(FactStore, "note_texts", counting)
    monkeypatch.setattr(FactStore, "patient", lambda *a: pytest.fail("whole notes read"))
    monkeypatch.setattr(matcher, "match_trial", no_text)
    store = FactStore.open(cohort_store)
    seed = parse_listing(SEED)
    twin = seed.model_copy(update={"trial_id": "NCT00000001"})
    screen_store([seed, twin], store, tmp_path / "o", as_of=dt.date.fromisoformat(AS_OF))
    assert (tmp_path / "o" / "NCT06935188.jsonl").read_bytes() == match_reference
    assert reads and len(reads) == len(set(reads))  # once per patient, for both trials

    reads.clear()
    small = tmp_path / "small.txt"
    small.write_text("Inclusion Criteria:\n- ECOG performance status 0 or 1\n", encoding="utf-8")
    screen_store([parse_listing(small)], store, tmp_path / "s", as_of=dt.date.fromisoformat(AS_OF))
    assert reads == []


@pytest.mark.parametrize("pid", ["P1", 'P", "rank": 7, "x', "Pé\u2028"])
def test_with_rank_equals_decoding_and_encoding_again(pid):
    from pipeline.schema import CriterionVerdict, PatientResult
    from pipeline.store.screen import with_rank

    verdict = CriterionVerdict(criterion_id="I1", kind="inclusion", text='"rank": 3,', start=0, end=9, verdict="met")
    line = PatientResult(patient_id=pid, status="eligible", score=1e-05, rank=1, criteria=[verdict]).to_json()
    rec = json.loads(line)
    rec["rank"] = 42
    assert with_rank(line, 42) == json.dumps(rec, ensure_ascii=False)
    assert with_rank('{"patient_id": "P1", "score": 2.0}', 3) == '{"patient_id": "P1", "score": 2.0, "rank": 3}'
