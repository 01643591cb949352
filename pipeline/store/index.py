"""Index notes into a fact store, incrementally: notes already indexed with the same content hash are skipped,
new and changed ones are extracted (one process, a local process pool, or Spark) and written a batch per
transaction, so a killed run resumes where it stopped without losing or duplicating a note."""
from __future__ import annotations

import gc
import json
import logging
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from ..schema import Note, Problem
from .db import FactStore, IndexedNote, extractor_signature, note_hash

log = logging.getLogger(__name__)

BATCH_NOTES = 128
"""Notes per extraction task and per write transaction (128: a commit and a task hand-off cost about a tenth
of a millisecond per note at 32)."""
IN_FLIGHT_PER_PROCESS = 3
"""Tasks queued per worker: enough to keep workers busy, few enough that memory stays bounded."""
MAX_LISTED_PROBLEMS = 50
"""Problems printed one by one; beyond that they are only counted by code."""


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(d, ensure_ascii=False)`` without building an encoder for every fact."""


def extract_notes(notes: Sequence[Note], user_entries: Sequence = ()) -> list[tuple[tuple[str, str], ...]]:
    """Each note's facts as (concept, fact JSON) pairs, in extraction order. The one function the process
    pool and Spark executors both run, so both engines give the same facts."""
    from ..extract.facts import extract

    out = []
    for note in notes:
        facts = []
        for f in extract([note], user_entries=user_entries):
            d = f.model_dump(mode="json")
            facts.append((str(d.get("concept", "")), _ENCODE(d)))
        out.append(tuple(facts))
    return out


_WORKER_USER: tuple = ()


def _init_worker(user_entries: tuple) -> None:
    global _WORKER_USER
    from ..nlp import get_nlp

    _WORKER_USER = user_entries
    get_nlp()


def _work(notes: list[Note]) -> list[tuple[tuple[str, str], ...]]:
    return extract_notes(notes, _WORKER_USER)


class PoolExtractor:
    """Extract batches of notes in ``n_process`` worker processes (one pipeline each), results in input order,
    with a bounded number of batches in flight. Start it before opening database connections (it forks)."""

    def __init__(self, n_process: int, user_entries: Sequence = ()) -> None:
        self.n_process = max(1, n_process)
        self.user = tuple(user_entries)
        self._pool: Any = None  # a multiprocessing pool once entered
        self._froze = False

    def __enter__(self) -> "PoolExtractor":
        if self.n_process > 1:
            import multiprocessing as mp

            ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
            self._froze = gc.get_freeze_count() == 0
            gc.freeze()  # keep the collector off the shared heap (see pipeline.extract.facts.extract)
            self._pool = ctx.Pool(self.n_process, initializer=_init_worker, initargs=(self.user,))
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.terminate() if exc[0] else self._pool.close()
            self._pool.join()
        if self._froze:
            gc.unfreeze()

    def run(self, batches: Iterable[list[tuple[Note, str]]]) -> Iterator[list[IndexedNote]]:
        """(note, hash) batches in, ``IndexedNote`` batches out, same order."""
        if self._pool is None:
            for batch in batches:
                results = extract_notes([n for n, _ in batch], self.user)
                yield [IndexedNote(n, h, f) for (n, h), f in zip(batch, results)]
            return
        pending: deque = deque()
        it = iter(batches)
        exhausted = False
        while True:
            while not exhausted and len(pending) < IN_FLIGHT_PER_PROCESS * self.n_process:
                queued = next(it, None)
                if queued is None:
                    exhausted = True
                    break
                pending.append((queued, self._pool.apply_async(_work, ([n for n, _ in queued],))))
            if not pending:
                return
            batch, res = pending.popleft()
            yield [IndexedNote(n, h, f) for (n, h), f in zip(batch, res.get())]


@dataclass
class IndexStats:
    read: int = 0
    indexed: int = 0
    unchanged: int = 0
    facts: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_codes: Counter = field(default_factory=Counter)

    def add_problem(self, p: Problem) -> None:
        self.problem_codes[p.code] += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(p)

    @property
    def skipped(self) -> int:
        return sum(self.problem_codes.values())


def _changed_batches(records: Iterable[Note | Problem], store: FactStore, extractor: str, stats: IndexStats,
                     progress) -> Iterator[list[tuple[Note, str]]]:
    """Read records a batch at a time; keep the notes whose content hash the store does not have yet."""
    buf: list[Note] = []

    def flush() -> Optional[list[tuple[Note, str]]]:
        known = store.known_hashes((n.patient_id, n.note_id) for n in buf)
        todo = []
        for n in buf:
            h = note_hash(n, extractor)
            if known.get((n.patient_id, n.note_id)) == h:
                stats.unchanged += 1
            else:
                todo.append((n, h))
        progress.update(len(buf) - len(todo))
        buf.clear()
        return todo or None

    for rec in records:
        stats.read += 1
        if isinstance(rec, Problem):
            stats.add_problem(rec)
            progress.update(1)
            continue
        buf.append(rec)
        if len(buf) >= BATCH_NOTES:
            todo = flush()
            if todo:
                yield todo
    if buf:
        todo = flush()
        if todo:
            yield todo


def index_notes(records: Iterable[Note | Problem], store: FactStore, engine: "PoolExtractor | object",
                user_entries: Sequence = (), progress=None) -> IndexStats:
    """Index every note of ``records`` into ``store`` with ``engine`` (a started ``PoolExtractor`` or a
    ``SparkExtractor``); returns counts and the problems of the records skipped."""
    from .progress import null_progress

    progress = null_progress() if progress is None else progress
    stats = IndexStats()
    sig = extractor_signature(user_entries)
    for out in engine.run(_changed_batches(records, store, sig, stats, progress)):  # type: ignore[union-attr]
        written = store.write(out)
        stats.indexed += written
        stats.unchanged += len(out) - written
        stats.facts += sum(len(i.facts) for i in out)
        progress.update(len(out))
    return stats
