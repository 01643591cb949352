"""Screen any number of trials against a fact store, streaming patient by patient.

Each patient's notes and facts are loaded once and matched against every trial; each result goes straight
to a per-trial partial file (one JSON line per patient, flushed). At the end the partial file is ranked from
small summary keys and written to ``DIR/<trial_id>.jsonl`` through a temporary file and a rename, so memory
does not grow with the cohort beyond those keys, an output file is never half-written, and a killed run
started again with the same command resumes after the last patient it finished.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..errors import E, StoreError
from ..schema import TrialCriteria
from .db import FactStore

log = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".partial.jsonl"


@dataclass
class TrialRun:
    """One trial's output: its final path, its partial file and where the partial file stopped."""

    trial: TrialCriteria
    path: Path
    partial: Path
    header: str
    last_patient: Optional[str] = None
    fh: object = None
    counts: dict | None = None


def output_name(trial_id: str) -> str:
    """A file name for a trial id (ids are NCT numbers or listing names; anything else becomes '_')."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", trial_id) or "trial"


def _run_key(trial: TrialCriteria, as_of: dt.date, first_dose: Optional[dt.date], generation: str, user_sig: str) -> str:
    h = hashlib.sha256()
    for part in (trial.to_json(), as_of.isoformat(), first_dose.isoformat() if first_dose else "", generation, user_sig):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def _open_partial(run: TrialRun) -> None:
    """Resume a partial file written for the same trial, dates and store generation; start afresh otherwise.
    A line cut short by a kill is dropped (its patient is matched again)."""
    last = None
    if run.partial.exists():
        with open(run.partial, "rb+") as fh:
            first = fh.readline()
            if first.rstrip(b"\n").decode("utf-8", "replace") == run.header:
                good = fh.tell()
                for line in iter(fh.readline, b""):
                    if not line.endswith(b"\n"):
                        break
                    try:
                        last = json.loads(line)["patient_id"]
                    except (ValueError, KeyError):
                        break
                    good = fh.tell()
                fh.truncate(good)
                run.last_patient = last
                run.fh = open(run.partial, "a", encoding="utf-8")
                return
    run.partial.parent.mkdir(parents=True, exist_ok=True)
    run.fh = open(run.partial, "w", encoding="utf-8")
    run.fh.write(run.header + "\n")  # type: ignore[attr-defined]
    run.fh.flush()  # type: ignore[attr-defined]


def _rank_key(rec: dict) -> tuple:
    """The order of ``pipeline.match.rank.rank_results``, computed from one result record."""
    from ..match.rank import STATUS_ORDER

    n_unknown = sum(1 for v in rec.get("criteria", []) if v.get("verdict") == "unknown")
    return (STATUS_ORDER[rec["status"]], -float(rec["score"]), n_unknown, rec["patient_id"])


def _finish(run: TrialRun) -> dict:
    """Rank the partial file's results and write the final file atomically; returns counts by status."""
    keys: list[tuple] = []
    counts: dict[str, int] = {}
    with open(run.partial, "rb") as fh:
        fh.readline()
        while True:
            offset = fh.tell()
            line = fh.readline()
            if not line:
                break
            rec = json.loads(line)
            keys.append((_rank_key(rec), offset))
            counts[rec["status"]] = counts.get(rec["status"], 0) + 1
    keys.sort()
    tmp = run.path.with_name(f".{run.path.name}.tmp")
    try:
        with open(run.partial, "rb") as src, open(tmp, "w", encoding="utf-8") as out:
            for rank, (_, offset) in enumerate(keys, 1):
                src.seek(offset)
                rec = json.loads(src.readline())
                rec["rank"] = rank
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, run.path)
    except OSError as err:
        raise StoreError(E.E044.format(path=run.path, detail=err.strerror or err)) from err
    run.partial.unlink()
    return counts


def screen_store(trials: Sequence[TrialCriteria], store: FactStore, out_dir: Path, *, as_of: Optional[dt.date] = None,
                 first_dose: Optional[dt.date] = None, user_entries: Sequence = (), progress=None) -> dict[str, dict]:
    """Match every trial against every patient of ``store``; write ``out_dir/<trial_id>.jsonl`` (the records
    ``match --out`` writes, ranked). Returns counts by status per trial id."""
    from ..match.matcher import match_trial
    from .db import extractor_signature
    from .progress import null_progress

    progress = null_progress() if progress is None else progress
    as_of = as_of or store.latest_date() or dt.date.today()
    generation = store.generation()
    user = list(user_entries)
    user_sig = extractor_signature(user)
    out_dir.mkdir(parents=True, exist_ok=True)
    runs: list[TrialRun] = []
    for trial in trials:
        name = output_name(trial.trial_id)
        run = TrialRun(trial, out_dir / f"{name}.jsonl", out_dir / f".{name}{PARTIAL_SUFFIX}",
                       json.dumps({"trialsieve_screen": _run_key(trial, as_of, first_dose, generation, user_sig)}))
        _open_partial(run)
        runs.append(run)
    try:
        resume_from = min((r.last_patient or "" for r in runs), default="")
        for pid in store.patient_ids(after=resume_from or None):
            todo = [r for r in runs if r.last_patient is None or pid > r.last_patient]
            if todo:
                notes, facts = store.patient(pid)
                for run in todo:
                    results = match_trial(run.trial, notes, facts, as_of=as_of, first_dose=first_dose, user_entries=user)
                    for r in results:
                        run.fh.write(r.to_json() + "\n")  # type: ignore[attr-defined]
                    run.fh.flush()  # type: ignore[attr-defined]
            progress.update(1)
    finally:
        for run in runs:
            run.fh.close()  # type: ignore[attr-defined]
    return {run.trial.trial_id: _finish(run) for run in runs}
