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
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import E, StoreError
from ..lexicon import Lexicon
from ..schema import TrialCriteria
from .db import FactStore
from .textsearch import SentenceMemo, StoreTextSearch

log = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".partial.jsonl"


@dataclass
class TrialRun:
    """One trial's output: its final path, its partial file and where the partial file stopped."""

    trial: TrialCriteria
    path: Path
    partial: Path
    header: str
    last_patient: str | None = None
    fh: object = None
    counts: dict | None = None


def output_name(trial_id: str) -> str:
    """A file name for a trial id (ids are NCT numbers or listing names; anything else becomes '_')."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", trial_id) or "trial"


def unique_name(name: str, taken: set[str]) -> str:
    """Two listings with the same trial id (e.g. two files called listing.txt) get NAME and NAME-2, in the
    order given, instead of writing into one file."""
    candidate, k = name, 1
    while candidate in taken:
        k += 1
        candidate = f"{name}-{k}"
    taken.add(candidate)
    return candidate


def _run_key(trial: TrialCriteria, as_of: dt.date, first_dose: dt.date | None, generation: str, user_sig: str) -> str:
    h = hashlib.sha256()
    for part in (
        trial.to_json(),
        as_of.isoformat(),
        first_dose.isoformat() if first_dose else "",
        generation,
        user_sig,
    ):
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
                run.fh = open(run.partial, "a", encoding="utf-8")  # noqa: SIM115  closed by screen_store
                return
    run.partial.parent.mkdir(parents=True, exist_ok=True)
    run.fh = open(run.partial, "w", encoding="utf-8")  # noqa: SIM115  closed by screen_store
    run.fh.write(run.header + "\n")  # type: ignore[attr-defined]
    run.fh.flush()  # type: ignore[attr-defined]


def _rank_key(rec: dict) -> tuple:
    """The order of ``pipeline.match.rank.rank_results``, computed from one result record."""
    from ..match.rank import STATUS_ORDER

    n_unknown = sum(1 for v in rec.get("criteria", []) if v.get("verdict") == "unknown")
    return (STATUS_ORDER[rec["status"]], -float(rec["score"]), n_unknown, rec["patient_id"])


RANK_FIELD = ', "rank": '


def with_rank(line: str, rank: int) -> str:
    """A result record as ``PatientResult.to_json`` writes it, with its rank set: the text that decoding it,
    setting ``rank`` and encoding it again gives, without doing either. Its first ``, "rank": `` is the record's
    own (the fields before it are an id, a status and a score, and a quote inside a string is escaped)."""
    i = line.find(RANK_FIELD) + len(RANK_FIELD)
    j = line.find(",", i) if i >= len(RANK_FIELD) else -1
    if j < 0 or not line[i:j].isdigit():
        rec = json.loads(line)
        rec["rank"] = rank
        return json.dumps(rec, ensure_ascii=False)
    return f"{line[:i]}{rank}{line[j:]}"


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
                out.write(with_rank(src.readline().decode("utf-8").rstrip("\n"), rank) + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, run.path)
    except OSError as err:
        raise StoreError(E.E044.format(path=run.path, detail=err.strerror or err)) from err
    run.partial.unlink()
    return counts


def screen_store(trials: Sequence[TrialCriteria], store: FactStore, out_dir: Path, *, as_of: dt.date | None = None,
                 first_dose: dt.date | None = None, user_entries: Sequence = (), progress=None,
                 processes: int = 1) -> dict[str, dict]:
    """Match every trial against every patient of ``store``; write ``out_dir/<trial_id>.jsonl`` (the records
    ``match --out`` writes, ranked; repeated trial ids get ``-2``, ``-3``...). ``processes`` > 1 matches
    patients in worker processes (results are still written in patient order). Returns counts by status
    per output file name."""
    from .db import extractor_signature
    from .progress import null_progress

    progress = null_progress() if progress is None else progress
    as_of = as_of or store.latest_date() or dt.date.today()
    generation = store.generation()
    user = list(user_entries)
    user_sig = extractor_signature(user)
    out_dir.mkdir(parents=True, exist_ok=True)
    runs: list[TrialRun] = []
    taken: set[str] = set()
    for trial in trials:
        name = unique_name(output_name(trial.trial_id), taken)
        run = TrialRun(trial, out_dir / f"{name}.jsonl", out_dir / f".{name}{PARTIAL_SUFFIX}",
                       json.dumps({"trialsieve_screen": _run_key(trial, as_of, first_dose, generation, user_sig)}))
        _open_partial(run)
        runs.append(run)
    try:
        resume_from = min((r.last_patient or "" for r in runs), default="")
        patients = store.patient_ids(after=resume_from or None)
        job = _Job(store.engine.url.render_as_string(hide_password=False), runs, as_of, first_dose, user)
        for pid, lines in _match_patients(job, store, patients, processes):
            for run, line in zip(runs, lines):
                if line is not None:
                    run.fh.write(line)  # type: ignore[attr-defined]
                    run.fh.flush()  # type: ignore[attr-defined]
            progress.update(1)
    finally:
        for run in runs:
            run.fh.close()  # type: ignore[attr-defined]
    return {run.path.stem: _finish(run) for run in runs}


# ----------------------------------------------------------------------------- matching, here or in workers

PATIENTS_PER_TASK = 8
IN_FLIGHT_PER_PROCESS = 4


@dataclass
class _Job:
    store_url: str
    runs: list[TrialRun]
    as_of: dt.date
    first_dose: dt.date | None
    user: list
    _lexicon: Lexicon | None = None
    memo: SentenceMemo = field(default_factory=SentenceMemo)
    """Phrase-to-sentence comparisons kept across patients (in each worker, its own)."""

    def lexicon(self) -> Lexicon:
        """The matching lexicon with the user's entries, made once for the whole run (trial plans are kept by
        lexicon)."""
        if self._lexicon is None:
            from ..match.matcher import matching_lexicon

            self._lexicon = matching_lexicon(self.user)
        return self._lexicon


_JOB: _Job | None = None
_STORE: FactStore | None = None


def _patient_lines(job: _Job, store: FactStore, pid: str) -> list[str | None]:
    """One JSON line per trial still to do for this patient (None for trials already past it)."""
    from ..match.matcher import match_patients, prepare_patients

    todo = [r.last_patient is None or pid > r.last_patient for r in job.runs]
    if not any(todo):
        return [None] * len(job.runs)
    notes, facts, search = _records(store, pid, job.memo)
    patients = prepare_patients(notes, facts, as_of=job.as_of, first_dose=job.first_dose, lexicon=job.lexicon(),
                                search=search)
    lines: list[str | None] = []
    for run, do in zip(job.runs, todo):
        if not do:
            lines.append(None)
            continue
        lines.append("".join(r.to_json() + "\n" for r in match_patients(run.trial, patients)))
    return lines


def _records(store: FactStore, pid: str, memo: SentenceMemo) -> tuple[list, list, StoreTextSearch]:
    """A patient's notes (without text), facts, and a search that reads the note text on its first lookup
    (shared by the trials: note text read once, if at all)."""
    notes, facts, _ = store.patient_records(pid)
    return notes, facts, StoreTextSearch(store, pid, notes, memo)


def _work(pids: list[str]) -> list[tuple[str, list[str | None]]]:
    global _STORE
    assert _JOB is not None
    if _STORE is None:  # each worker opens its own connections (never the parent's)
        _STORE = FactStore.open(_JOB.store_url)
    return [(pid, _patient_lines(_JOB, _STORE, pid)) for pid in pids]


def _warm_up(job: _Job, store: FactStore) -> None:
    """Load the lexicon and rule tables and plan the trials here, once, so that forked workers share them
    instead of each making them."""
    first = next(store.patient_ids(page=1), None)
    if first is not None:
        _patient_lines(job, store, first)


def _match_patients(job: _Job, store: FactStore, patients, processes: int):
    """(patient id, lines per trial) in patient order; in ``processes`` workers with a bounded queue."""
    global _JOB
    if processes <= 1:
        for pid in patients:
            yield pid, _patient_lines(job, store, pid)
        return
    import multiprocessing as mp
    from collections import deque

    _JOB = job
    _warm_up(job, store)
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(processes) as pool:
        pending: deque = deque()
        it = iter(patients)
        exhausted = False
        while True:
            while not exhausted and len(pending) < IN_FLIGHT_PER_PROCESS * processes:
                chunk = [p for _, p in zip(range(PATIENTS_PER_TASK), it)]
                if not chunk:
                    exhausted = True
                    break
                pending.append(pool.apply_async(_work, (chunk,)))
            if not pending:
                break
            yield from pending.popleft().get()
    _JOB = None
