"""Run fact extraction note by note, as a command-line run needs it.

Each note is processed on its own: an exception inside one note's processing becomes that note's
``NoteFailure`` (the exception's class name only: its message may quote note text) and the other
notes go on. A long note is processed in bounded pieces (``piece_bounds``), cut at paragraph, line,
sentence or word breaks, so that time and memory per character do not grow with note length and
spaCy's length limit is never reached; every offset is shifted back into the original, unmodified
note text (``note.text[fact.start:fact.end] == fact.text``).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..lexicon import LexiconEntry
from ..schema import Fact, Note

log = logging.getLogger(__name__)

PIECE_CHARS = 20_000
"""Longest piece of a note processed at once (notes up to this length are processed whole)."""
PIECE_BREAKS = ("\n\n", "\n", ". ", " ")
"""Where a piece may end, best first; searched in the second half of the piece only."""


@dataclass(frozen=True)
class NoteFailure:
    """A note whose processing raised: the exception's class name (never its message)."""

    error: str


def piece_bounds(text: str, size: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` pieces covering ``text`` in order, each at most ``size`` characters, ending at
    the best break in its second half (a hard cut only when there is none)."""
    n, start = len(text), 0
    out: list[tuple[int, int]] = []
    while n - start > size:
        lo, hi = start + size // 2, start + size
        cut = hi
        for sep in PIECE_BREAKS:
            k = text.rfind(sep, lo, hi)
            if k != -1:
                cut = k + len(sep)
                break
        out.append((start, cut))
        start = cut
    out.append((start, n))
    return out


def _shift(fact: Fact, offset: int) -> Fact:
    if not offset:
        return fact
    cues = [c.model_copy(update={"start": c.start + offset, "end": c.end + offset}) for c in fact.cues]
    return fact.model_copy(update={"start": fact.start + offset, "end": fact.end + offset, "cues": cues})


def note_facts(note: Note, user_entries: Sequence[LexiconEntry] = ()) -> list[Fact]:
    """Facts of one note, long notes piece by piece, offsets into the whole note's text."""
    from .facts import extract

    bounds = piece_bounds(note.text)
    if len(bounds) == 1:
        return list(extract([note], user_entries=user_entries))
    out: list[Fact] = []
    for start, end in bounds:
        piece = note.model_copy(update={"text": note.text[start:end]})
        out.extend(_shift(f, start) for f in extract([piece], user_entries=user_entries))
    return out


def _isolated(note: Note, user_entries: Sequence[LexiconEntry]) -> list[Fact] | NoteFailure:
    try:
        return note_facts(note, user_entries)
    except Exception as err:  # noqa: BLE001  one note's failure must not end the run
        log.debug("note processing failed: %s", type(err).__name__, exc_info=log.isEnabledFor(logging.DEBUG))
        return NoteFailure(type(err).__name__)


_WORKER_USER: tuple = ()


def _init_worker(user_entries: tuple) -> None:
    global _WORKER_USER
    from ..nlp import get_nlp

    _WORKER_USER = user_entries
    get_nlp()


def _work(note: Note) -> list[Fact] | NoteFailure:
    return _isolated(note, _WORKER_USER)


MAX_CHUNK = 32
"""Notes sent to a worker at a time (as ``extract.facts``)."""


def extract_each(notes: Iterable[Note], *, user_entries: Iterable[LexiconEntry] = (),
                 n_process: int = 1) -> Iterator[tuple[Note, list[Fact] | NoteFailure]]:
    """``(note, facts or failure)`` for every note, in input order, for any ``n_process``."""
    user = tuple(user_entries)
    if n_process <= 1:
        for note in notes:
            yield note, _isolated(note, user)
        return
    import gc
    import multiprocessing as mp

    notes = list(notes)
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    owner = gc.get_freeze_count() == 0
    gc.freeze()  # keep the collector off the large shared heap (see extract.facts.extract)
    try:
        chunk = max(1, min(MAX_CHUNK, len(notes) // (4 * n_process)))
        with ctx.Pool(n_process, initializer=_init_worker, initargs=(user,)) as pool:
            yield from zip(notes, pool.imap(_work, notes, chunksize=chunk))
    finally:
        if owner:
            gc.unfreeze()
