"""The `trialsieve` command on hostile input: every valid note kept, every bad record named once
with its line and field, no traceback, no note text, the documented exit status."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import EXIT_FAILED, EXIT_OK, EXIT_SKIPPED

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpora" / "listings" / "NCT06935188.txt"
SECRET = "ZEBRAWORD"
"""In every note's text: must never reach standard error."""
BASE = {"patient_id": "P1", "note_id": "N1", "date": "2025-08-20", "note_type": "progress",
        "text": f"62-year-old man. ECOG 1. {SECRET}."}
FILLER = "Patient seen in clinic and doing well with good appetite overall. " * 40 + "\n\n"


def _rec(**kw) -> bytes:
    return json.dumps({**BASE, **kw}, ensure_ascii=False).encode("utf-8")


def _hostile_lines() -> list[bytes]:
    long_text = (FILLER * (2_000_000 // len(FILLER) + 1))[:2_000_000] + f" ECOG 2. {SECRET}."
    return [
        _rec(),                                                                            # 1 valid
        _rec(patient_id="P9").replace(SECRET.encode(), b"caf\xe9 " + SECRET.encode()),     # 2 invalid UTF-8
        _rec(patient_id="P8").replace(SECRET.encode(), SECRET.encode() + b" \\ud800"),    # 3 lone surrogate
        _rec(patient_id="P2", text=f"58-year-old woman. ECOG 0.\u2028{SECRET}\u2029 Platelets 150 x10^9/L."),  # 4 U+2028
        _rec(patient_id="   "),                                                            # 5 whitespace id
        _rec(patient_id="P3"),                                                             # 6 note id N1 again, other patient
        _rec(patient_id="P4", text=long_text),                                             # 7 2 M characters
        _rec(patient_id="P5", date="2099-12-31"),                                          # 8 future date
        _rec(patient_id="P7", date="2025-02-30"),                                          # 9 bad date
        _rec(patient_id="P6", note_type="clinic\u0085visit"),                              # 10 valid, NEL in a field
    ]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "notes.jsonl"
    path.write_bytes(b"\n".join(_hostile_lines()) + b"\n")
    return path


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


EXPECTED_PROBLEMS = {"line 2": ("E009", "text"), "line 3": ("E007", "text"), "line 5": ("E007", "patient_id"),
                     "line 9": ("E005", "date")}


def _clean(stderr: str) -> None:
    assert "Traceback" not in stderr and SECRET not in stderr


@pytest.fixture(scope="module")
def extracted(runner, hostile):
    return runner.invoke(main, ["extract", str(hostile)])


def test_cli_extract_hostile_keeps_every_valid_note(extracted, hostile):
    assert extracted.exit_code == EXIT_SKIPPED, extracted.stderr
    facts = [json.loads(x) for x in extracted.stdout.splitlines()]
    ecog = {(f["patient_id"], f["note_id"]): f for f in facts if f["concept"] == "ecog"}
    assert set(ecog) == {("P1", "N1"), ("P2", "N1"), ("P3", "N1"), ("P4", "N1"), ("P5", "N1"), ("P6", "N1")}
    texts = {json.loads(x)["patient_id"]: json.loads(x)["text"] for x in _hostile_lines() if x.startswith(b'{"patient_id": "P4"')}
    far = ecog[("P4", "N1")]
    assert far["start"] > 2_000_000 and texts["P4"][far["start"]:far["end"]] == far["text"]


def test_cli_extract_hostile_names_every_bad_line_once_with_its_field(extracted):
    err = extracted.stderr
    _clean(err)
    for line, (code, field) in EXPECTED_PROBLEMS.items():
        hits = [x for x in err.splitlines() if f"[{code}]" in x and f"{line}:" in x or f"{line} (" in x]
        assert len(hits) == 1 and f"'{field}'" in hits[0], (line, err)
    assert err.count("error:") == len(EXPECTED_PROBLEMS)
    assert "skipped 4 note records" in err


def test_cli_match_hostile_screens_today_leaves_out_the_future_note(runner, hostile, tmp_path):
    out = tmp_path / "m.jsonl"
    result = runner.invoke(main, ["match", str(SEED), str(hostile), "--out", str(out)])
    assert result.exit_code == EXIT_SKIPPED
    _clean(result.stderr)
    assert f"screening as of {dt.date.today().isoformat()} (today" in result.stderr
    assert "left out 1 notes dated after the screening date" in result.stderr
    pids = [json.loads(x)["patient_id"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(pids) == ["P1", "P2", "P3", "P4", "P6"]


def test_cli_match_future_note_cannot_move_the_screening_date(runner, tmp_path):
    notes = tmp_path / "n.jsonl"
    notes.write_text("\n".join(json.dumps(r) for r in [BASE, {**BASE, "note_id": "N2", "date": "2099-12-31",
                                                               "text": "Age 132 years. ECOG 4."}]) + "\n", encoding="utf-8")
    out = tmp_path / "m.jsonl"
    result = runner.invoke(main, ["match", str(SEED), str(notes), "--as-of", "2025-09-01", "--out", str(out)])
    assert result.exit_code == EXIT_OK and "left out 1 notes" in result.stderr
    (r,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert all(ev["source_id"] == "N1" for v in r["criteria"] for ev in v["evidence"])


@pytest.mark.parametrize("value", ["2025-09-01garbage", "20250901", "2025-W36-1"])
def test_cli_match_as_of_must_be_a_full_iso_date(runner, value):
    result = runner.invoke(main, ["match", str(SEED), str(SEED), "--as-of", value])
    assert result.exit_code == 2 and "E031" in result.stderr


def test_cli_csv_field_of_200k_characters_is_read(runner, tmp_path):
    path = tmp_path / "n.csv"
    text = FILLER * (200_000 // len(FILLER) + 1) + "ECOG 1."
    path.write_text(f'patient_id,note_id,date,note_type,text\nP1,N1,2025-01-01,x,"{text}"\nP2,N1,2025-01-01,x,ECOG 2.\n',
                    encoding="utf-8")
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == EXIT_OK, result.stderr
    ecog = [json.loads(x) for x in result.stdout.splitlines() if json.loads(x)["concept"] == "ecog"]
    assert sorted(f["patient_id"] for f in ecog) == ["P1", "P2"]
    assert ecog[0]["start"] > 200_000 and text[ecog[0]["start"]:ecog[0]["end"]] == ecog[0]["text"]


def test_cli_match_refuses_to_overwrite_its_input(runner, tmp_path):
    notes = tmp_path / "n.jsonl"
    notes.write_text(json.dumps(BASE) + "\n", encoding="utf-8")
    before = notes.read_bytes()
    result = runner.invoke(main, ["match", str(SEED), str(notes), "--as-of", "2025-09-01", "--out", str(notes)])
    assert result.exit_code == EXIT_FAILED and "E016" in result.stderr
    assert notes.read_bytes() == before


def test_cli_match_failure_leaves_no_output_that_looks_finished(runner, tmp_path, monkeypatch):
    import pipeline.io.report as report

    notes = tmp_path / "n.jsonl"
    notes.write_text(json.dumps(BASE) + "\n", encoding="utf-8")
    out, page = tmp_path / "m.jsonl", tmp_path / "r.html"
    out.write_text("a previous run\n", encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError(f"boom {SECRET}")

    monkeypatch.setattr(report, "render_report", broken)
    result = runner.invoke(main, ["match", str(SEED), str(notes), "--as-of", "2025-09-01", "--out", str(out), "--report", str(page)])
    assert result.exit_code == EXIT_FAILED and "E099" in result.stderr and "RuntimeError" in result.stderr
    _clean(result.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.jsonl"]


def test_cli_match_one_failing_patient_does_not_end_the_run(runner, tmp_path, monkeypatch):
    import pipeline.match.matcher as matcher

    real = matcher.match_trial

    def flaky(trial, notes, facts, **kw):
        if notes and notes[0].patient_id == "P2":
            raise ZeroDivisionError(SECRET)
        return real(trial, notes, facts, **kw)

    monkeypatch.setattr(matcher, "match_trial", flaky)
    notes = tmp_path / "n.jsonl"
    notes.write_text("\n".join(json.dumps({**BASE, "patient_id": p}) for p in ("P1", "P2", "P3")) + "\n", encoding="utf-8")
    out = tmp_path / "m.jsonl"
    result = runner.invoke(main, ["match", str(SEED), str(notes), "--as-of", "2025-09-01", "--out", str(out)])
    assert result.exit_code == EXIT_SKIPPED and "[E019]" in result.stderr and "patient P2" in result.stderr
    _clean(result.stderr)
    assert sorted(json.loads(x)["patient_id"] for x in out.read_text(encoding="utf-8").splitlines()) == ["P1", "P3"]


def test_cli_match_that_fails_early_leaves_no_previous_output_looking_current(runner, tmp_path):
    notes = tmp_path / "n.jsonl"
    notes.write_text(json.dumps(BASE) + "\n", encoding="utf-8")
    out = tmp_path / "m.jsonl"
    out.write_text("a previous run\n", encoding="utf-8")
    result = runner.invoke(main, ["match", str(tmp_path / "missing.txt"), str(notes), "--as-of", "2025-09-01", "--out", str(out)])
    assert result.exit_code == EXIT_FAILED and "missing.txt" in result.stderr
    assert not out.exists()
