"""Read notes from JSONL (or a JSON array) or CSV (``patient_id, note_id, date, note_type, text``).

Every record is decoded, parsed and validated on its own: a bad record is skipped with a coded
``Problem`` naming the file, line and field (never quoting note text), and the rest is read. Only a
file that cannot be read at all (missing, an undeclared UTF-16 file, a CSV without the required
columns) raises ``NotesError``. JSON Lines are split on ``\\n`` only: U+2028, U+2029 and U+0085 are
legal inside JSON strings and stay in the text. A note is identified by ``(patient_id, note_id)``.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

from ..errors import E, NotesError
from ..schema import Note, Problem

log = logging.getLogger(__name__)
REQUIRED = ("patient_id", "note_id", "date", "text")
ID_FIELDS = ("patient_id", "note_id")
MAX_ID_CHARS = 128
"""Longest accepted patient_id / note_id."""
MAX_NOTE_CHARS = 20_000_000
"""Longest accepted note text (longer notes are processed in bounded pieces, see ``extract.pieces``)."""
MAX_SHOWN_ID_CHARS = 40
"""Ids quoted in messages are cut to this length, with control characters escaped."""

_ISO_DATE = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
"""A full ISO 8601 calendar date, optionally with a time of day (``2025-03-04T10:30:00Z``); not
``20250304``, week dates (``2025-W10-2``) or trailing text."""
_BAD_ID_CHAR = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class _Bad(Exception):
    """One record's problem: code, field and the message arguments."""

    def __init__(self, code: str, field: Optional[str], **kw: Any):
        super().__init__(code)
        self.code, self.field, self.kw = code, field, kw


def shown(value: Any, limit: int = MAX_SHOWN_ID_CHARS) -> str:
    """An id as safe to print: control, separator and surrogate characters escaped, cut to ``limit``."""
    text = value if isinstance(value, str) else repr(value)
    out = "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii") for c in text
    )
    return out if len(out) <= limit else out[: limit - 1] + "…"


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def parse_note_date(value: Any) -> dt.date:
    """A full ISO date (``YYYY-MM-DD``, optionally with a time); ``ValueError`` for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError("not a string")
    m = _ISO_DATE.fullmatch(value.strip())
    if not m:
        raise ValueError("not an ISO date")
    return dt.date.fromisoformat(m.group("date"))


def _check_id(obj: dict, field: str) -> str:
    value = obj.get(field)
    if value is None or value == "":
        raise _Bad("E004", field)
    if not isinstance(value, str):
        raise _Bad("E007", field, detail=f"must be a string, found {_type_name(value)}")
    value = value.strip()
    if not value:
        raise _Bad("E007", field, detail="blank: only whitespace")
    if _BAD_ID_CHAR.search(value):
        raise _Bad("E007", field, detail="holds control characters, line separators or unpaired surrogates")
    if len(value) > MAX_ID_CHARS:
        raise _Bad("E007", field, detail=f"{len(value)} characters, more than {MAX_ID_CHARS}")
    return value


def _check_text(obj: dict) -> str:
    if obj.get("text") is None:
        raise _Bad("E004", "text")
    text = obj["text"]
    if not isinstance(text, str):
        raise _Bad("E007", "text", detail=f"must be a string, found {_type_name(text)}")
    if not text.strip():
        raise _Bad("E006", "text")
    bad = _SURROGATE.search(text)
    if bad:
        raise _Bad("E007", "text", detail=f"unpaired surrogate escape at character {bad.start()}; not Unicode text")
    if len(text) > MAX_NOTE_CHARS:
        raise _Bad("E007", "text", detail=f"{len(text)} characters, more than the limit of {MAX_NOTE_CHARS}")
    return text


def _check_date(obj: dict) -> dt.date:
    value = obj.get("date")
    if value is None or value == "":
        raise _Bad("E004", "date")
    try:
        return parse_note_date(value)
    except ValueError:
        raise _Bad("E005", "date", value=shown(value)) from None


def _check_note_type(obj: dict) -> str:
    value = obj.get("note_type")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Bad("E007", "note_type", detail=f"must be a string, found {_type_name(value)}")
    if _SURROGATE.search(value):
        raise _Bad("E007", "note_type", detail="holds unpaired surrogates")
    return " ".join(value.split())


def _problem(path: Path, label: str, bad: _Bad) -> Problem:
    msg = getattr(E, bad.code).format(path=path, record=label, field=bad.field, **bad.kw)
    return Problem(path=str(path), record=label, field=bad.field, code=bad.code, message=msg)


def _label(where: str, obj: Any) -> str:
    note_id = obj.get("note_id") if isinstance(obj, dict) else None
    if isinstance(note_id, str) and note_id.strip():
        return f"{where} (note {shown(note_id.strip())})"
    return where


def record_to_note(path: Path, record_label: str, obj: Any) -> Note | Problem:
    """Validate one raw record; return a ``Note`` or the ``Problem`` that stops it."""
    try:
        if not isinstance(obj, dict):
            raise _Bad("E007", "record", detail=f"not a JSON object, found {_type_name(obj)}")
        ids = {f: _check_id(obj, f) for f in ID_FIELDS}
        date = _check_date(obj)
        text = _check_text(obj)
        note_type = _check_note_type(obj)
    except _Bad as bad:
        return _problem(path, record_label, bad)
    return Note(patient_id=ids["patient_id"], note_id=ids["note_id"], date=date, note_type=note_type, text=text)


# ----------------------------------------------------------------------------- decoding


def _utf16_without_bom(raw: bytes) -> Optional[str]:
    """``utf-16-le``/``utf-16-be`` when NUL bytes sit at every other position, else None."""
    sample = raw[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _mark_undecodable(err: UnicodeError) -> tuple[str, int]:
    """Decode error handler: every undecodable byte becomes one lone surrogate, found per record."""
    assert isinstance(err, UnicodeDecodeError)
    return "\udcff" * (err.end - err.start), err.end


codecs.register_error("trialsieve.mark", _mark_undecodable)


def decode(path: Path, raw: bytes, encoding: Optional[str] = None) -> tuple[str, str]:
    """The file's text and the encoding used. Undecodable bytes become lone surrogates (U+DC80-U+DCFF
    for UTF-8), so that each record holding one is reported on its own."""
    if encoding is None:
        for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                           (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
            if raw.startswith(bom):
                return raw.decode(codec, "trialsieve.mark"), codec
        guess = _utf16_without_bom(raw)
        if guess:
            raise NotesError(E.E013.format(path=path, encoding=guess))
        encoding = "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError as err:
        raise NotesError(E.E001.format(path=path, detail=f"unknown encoding {encoding!r}")) from err
    name = codecs.lookup(encoding).name
    if name == "utf-8":
        if raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        return raw.decode("utf-8", "surrogateescape"), name
    text = raw.decode(encoding, "trialsieve.mark")
    return (text[1:] if text.startswith("\ufeff") else text), name


def _undecodable(path: Path, label: str, raw_text: str, encoding: str, fields: Any = None) -> Optional[Problem]:
    """E009 for a record holding undecodable bytes (marked as lone surrogates by ``decode``), naming
    the field that holds them when the record still parses (``fields``: the record, or a callable
    that parses it)."""
    bad = _SURROGATE.search(raw_text)
    if not bad:
        return None
    if encoding == "utf-8":
        where = len(raw_text[: bad.start()].encode("utf-8", "surrogateescape"))
    else:
        where = bad.start()
    field = "record"
    try:
        obj = fields() if callable(fields) else fields
    except (ValueError, RecursionError):
        obj = None
    if isinstance(obj, dict):
        field = next((str(k) for k, v in obj.items() if isinstance(v, str) and _SURROGATE.search(v)), field)
        if "(note " not in label and not _SURROGATE.search(str(obj.get("note_id", ""))):
            label = _label(label, obj)
    return Problem(path=str(path), record=label, field=field, code="E009",
                   message=E.E009.format(path=path, record=label, field=field, encoding=encoding, offset=where))


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise NotesError(E.E001.format(path=path, detail=err.strerror or err)) from err


# ----------------------------------------------------------------------------- formats


def _json_records(path: Path, text: str, encoding: str) -> Iterator[tuple[str, Note | Problem]]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            array = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            array = None
        if isinstance(array, list):
            for i, obj in enumerate(array, 1):
                label = _label(f"item {i}", obj)
                yield label, record_to_note(path, label, obj)
            return
    for lineno, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        label = f"line {lineno}"
        bad = _undecodable(path, label, line, encoding, lambda: json.loads(line))
        if bad:
            yield label, bad
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            yield (
                label,
                Problem(
                    path=str(path),
                    record=label,
                    field="record",
                    code="E003",
                    message=E.E003.format(path=path, line=lineno, detail=f"{err.msg} at column {err.colno}"),
                ),
            )
            continue
        except RecursionError:
            yield label, Problem(path=str(path), record=label, field="record", code="E003",
                                 message=E.E003.format(path=path, line=lineno, detail="nested too deeply"))
            continue
        label = _label(label, obj)
        yield label, record_to_note(path, label, obj)


def _csv_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _csv_records(path: Path, text: str, encoding: str) -> Iterator[tuple[str, Note | Problem]]:
    header_line = text.split("\n", 1)[0]
    delimiter = _csv_delimiter(header_line)
    csv.field_size_limit(max(csv.field_size_limit(), MAX_NOTE_CHARS + 1))
    lines = iter(text.split("\n"))
    reader = csv.reader((ln + "\n" for ln in lines), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        header = []
    for field in REQUIRED:
        if field not in header:
            raise NotesError(E.E017.format(path=path, field=field, found=shown(", ".join(header), 80)))
    last_line = reader.line_num
    while True:
        first_line = last_line + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            label = f"line {first_line}"
            yield label, Problem(path=str(path), record=label, field="record", code="E018",
                                 message=E.E018.format(path=path, line=first_line, detail=str(err)))
            if reader.line_num == last_line:
                return
            last_line = reader.line_num
            continue
        last_line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        obj = dict(zip(header, row))
        label = _label(f"line {first_line}", obj)
        bad = _undecodable(path, label, "\x1f".join(row), encoding, obj)
        if bad:
            yield label, bad
            continue
        if len(row) != len(header):
            yield label, Problem(path=str(path), record=label, field="record", code="E007",
                          message=E.E007.format(path=path, record=label, field="record",
                                                detail=f"{len(row)} columns, the header has {len(header)}"))
            continue
        yield label, record_to_note(path, label, obj)


def read_notes(path: str | Path, encoding: Optional[str] = None) -> tuple[list[Note], list[Problem]]:
    """All valid notes of a ``.jsonl``/``.json`` or ``.csv`` file, and the problems of those skipped.

    Every non-blank input record ends up either as a note or as one problem. Raises ``NotesError``
    only when the file itself cannot be read. ``encoding`` defaults to UTF-8 (UTF-16/32 with a
    byte-order mark are recognised).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".json", ".ndjson", ".csv"):
        raise NotesError(E.E008.format(path=path, suffix=suffix or "(none)"))
    text, used = decode(path, _read_bytes(path), encoding)
    records = _csv_records(path, text, used) if suffix == ".csv" else _json_records(path, text, used)
    notes: list[Note] = []
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for label, res in records:
        if isinstance(res, Problem):
            problems.append(res)
            continue
        key = (res.patient_id, res.note_id)
        if key in seen:
            label = f"{label} of patient {shown(res.patient_id)}"
            problems.append(Problem(path=str(path), record=label, field="note_id", code="E007",
                                    message=E.E007.format(path=path, record=label, field="note_id",
                                                          detail="duplicate note_id for this patient; kept the first")))
            continue
        seen.add(key)
        notes.append(res)
    for p in problems:
        log.debug(p.message)
    return notes, problems
