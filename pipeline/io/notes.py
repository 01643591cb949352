"""Read notes from JSONL or CSV (``patient_id, note_id, date, note_type, text``).

Bad records are skipped with a coded ``Problem`` naming the file, record and field; the rest is read.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from pathlib import Path
from typing import Any

from ..errors import E, NotesError
from ..schema import Note, Problem

log = logging.getLogger(__name__)
REQUIRED = ("patient_id", "note_id", "date", "text")


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise NotesError(E.E001.format(path=path, detail=err.strerror or err)) from err
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise NotesError(E.E002.format(path=path, offset=err.start)) from err


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip()[:10])


def record_to_note(path: Path, record_label: str, obj: Any) -> Note | Problem:
    """Validate one raw record; return a ``Note`` or the ``Problem`` that stops it."""
    if not isinstance(obj, dict):
        return Problem(path=str(path), record=record_label, code="E007", message=E.E007.format(path=path, record=record_label, field="record", detail="not a JSON object"))
    for field in REQUIRED:
        if obj.get(field) in (None, "") and field != "text":
            return Problem(path=str(path), record=record_label, field=field, code="E004", message=E.E004.format(path=path, record=record_label, field=field))
    if "text" not in obj or obj["text"] is None:
        return Problem(path=str(path), record=record_label, field="text", code="E004", message=E.E004.format(path=path, record=record_label, field="text"))
    if not isinstance(obj["text"], str) or not obj["text"].strip():
        return Problem(path=str(path), record=record_label, field="text", code="E006", message=E.E006.format(path=path, record=record_label))
    try:
        date = _parse_date(obj["date"])
    except ValueError:
        return Problem(path=str(path), record=record_label, field="date", code="E005", message=E.E005.format(path=path, record=record_label, value=obj["date"]))
    return Note(
        patient_id=str(obj["patient_id"]).strip(),
        note_id=str(obj["note_id"]).strip(),
        date=date,
        note_type=str(obj.get("note_type") or ""),
        text=obj["text"],
    )


def read_notes(path: str | Path) -> tuple[list[Note], list[Problem]]:
    """All valid notes of a ``.jsonl``/``.json`` or ``.csv`` file, and the problems of those skipped.

    Raises ``NotesError`` only when the file itself cannot be read.
    """
    path = Path(path)
    text = _read_text(path)
    notes: list[Note] = []
    problems: list[Problem] = []
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json", ".ndjson"):
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            label = f"line {lineno}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                problems.append(Problem(path=str(path), record=label, code="E003", message=E.E003.format(path=path, line=lineno, detail=err.msg)))
                continue
            if isinstance(obj, dict) and obj.get("note_id"):
                label = f"line {lineno} (note {obj['note_id']})"
            res = record_to_note(path, label, obj)
            (notes if isinstance(res, Note) else problems).append(res)  # type: ignore[arg-type]
    elif suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        for i, row in enumerate(reader, 1):
            label = f"row {i}" + (f" (note {row.get('note_id')})" if row.get("note_id") else "")
            res = record_to_note(path, label, row)
            (notes if isinstance(res, Note) else problems).append(res)  # type: ignore[arg-type]
    else:
        raise NotesError(E.E008.format(path=path, suffix=suffix or "(none)"))
    seen: set[tuple[str, str]] = set()
    unique: list[Note] = []
    for n in notes:
        key = (n.patient_id, n.note_id)
        if key in seen:
            problems.append(Problem(path=str(path), record=f"note {n.note_id}", field="note_id", code="E007", message=E.E007.format(path=path, record=f"note {n.note_id}", field="note_id", detail="duplicate note_id for this patient; kept the first")))
            continue
        seen.add(key)
        unique.append(n)
    for p in problems:
        log.warning(p.message)
    return unique, problems
