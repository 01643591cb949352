"""Read notes from an OMOP CDM v5.4 ``NOTE`` table (any SQLAlchemy URL) or from OMOP-shaped (or trialsieve-shaped)
CSV, JSONL and Parquet exports, streaming: one record at a time, never the whole table in memory.

Every record becomes a ``Note`` or a coded ``Problem`` naming the source, the record and the column; the rest of
the stream goes on. Column names map onto note fields: OMOP's by default, any layout with ``--columns``.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import logging
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Optional

from ..errors import E, NotesError, StoreError
from ..schema import Note, Problem

log = logging.getLogger(__name__)

FIELDS = ("note_id", "patient_id", "date", "datetime", "note_type", "note_type_concept_id", "text")
"""Note fields a column can be mapped to (``--columns field=column,...``)."""
REQUIRED_FIELDS = ("note_id", "patient_id", "text")
OMOP_COLUMNS: dict[str, str] = {
    "note_id": "note_id", "patient_id": "person_id", "date": "note_date", "datetime": "note_datetime",
    "note_type": "note_title", "note_type_concept_id": "note_type_concept_id", "text": "note_text",
}
NATIVE_COLUMNS: dict[str, str] = {
    "note_id": "note_id", "patient_id": "patient_id", "date": "date", "note_type": "note_type", "text": "text",
}
DEFAULT_QUERY = ("SELECT note_id, person_id, note_date, note_datetime, note_type_concept_id, note_title, note_text "
                 "FROM note ORDER BY note_id")
BATCH_ROWS = 1000
"""Rows fetched from a database or a Parquet file at a time."""

def parse_columns(spec: Optional[str]) -> dict[str, str]:
    """``"patient_id=pid,text=body"`` -> ``{"patient_id": "pid", "text": "body"}``; a coded error otherwise."""
    if not spec:
        return {}
    out: dict[str, str] = {}
    for part in spec.split(","):
        field, sep, column = (x.strip() for x in part.partition("="))
        if not sep or not field or not column:
            raise NotesError(
                E.E042.format(value=spec, detail=f"'{part.strip()}' is not field=column", fields=", ".join(FIELDS))
            )
        if field not in FIELDS:
            raise NotesError(E.E042.format(value=spec, detail=f"unknown field '{field}'", fields=", ".join(FIELDS)))
        out[field] = column
    return out


def column_map(source: str, found: list[str], override: Mapping[str, str] | None = None) -> dict[str, str]:
    """The columns to read for each note field: OMOP names when the source has them, else trialsieve's, then
    the user's overrides. A required field whose column is absent is a coded error naming it."""
    lower = {c.lower(): c for c in found}
    base = OMOP_COLUMNS if ("note_text" in lower or "person_id" in lower) else NATIVE_COLUMNS
    cols = {f: lower.get(c.lower(), c) for f, c in base.items()}
    cols.update(override or {})
    for field in REQUIRED_FIELDS + ("date",):
        if field == "date" and (cols.get("date") in found or cols.get("datetime") in found):
            continue
        if cols.get(field) not in found:
            raise NotesError(E.E041.format(path=source, column=cols.get(field, field), found=", ".join(found) or "none",
                                           fields=", ".join(FIELDS)))
    return {f: c for f, c in cols.items() if c in found}


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip()[:10])


def _as_id(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def row_to_note(
    source: str, index: int, row: Mapping[str, Any], cols: Mapping[str, str], unit: str = "row"
) -> Note | Problem:
    """One mapped row as a ``Note``, or the ``Problem`` (naming source, record and column) that stops it."""
    note_id = row.get(cols["note_id"])
    label = f"{unit} {index}" + (f" (note {_as_id(note_id)})" if note_id not in (None, "") else "")

    def problem(code: str, column: str, message: str) -> Problem:
        return Problem(path=source, record=label, field=column, code=code, message=message)

    for field in REQUIRED_FIELDS:
        if row.get(cols[field]) in (None, ""):
            return problem("E004", cols[field], E.E004.format(path=source, record=label, field=cols[field]))
    text = row[cols["text"]]
    if not isinstance(text, str) or not text.strip():
        return problem("E006", cols["text"], E.E006.format(path=source, record=label))
    date_col = (
        cols["date"]
        if row.get(cols.get("date", "")) not in (None, "")
        else cols.get("datetime", cols.get("date", "date"))
    )
    raw_date = row.get(date_col)
    if raw_date in (None, ""):
        return problem("E004", date_col, E.E004.format(path=source, record=label, field=date_col))
    try:
        date = _as_date(raw_date)
    except ValueError:
        return problem(
            "E007",
            date_col,
            E.E007.format(
                path=source,
                record=label,
                field=date_col,
                detail=f"bad date {str(raw_date)[:40]!r}; use ISO format YYYY-MM-DD",
            ),
        )
    note_type = row.get(cols.get("note_type", "")) or row.get(cols.get("note_type_concept_id", "")) or ""
    return Note(patient_id=_as_id(row[cols["patient_id"]]), note_id=_as_id(note_id), date=date,
                note_type=_as_id(note_type) if note_type != "" else "", text=text)


# ----------------------------------------------------------------------------- files


def iter_file_notes(path: str | Path, columns: Mapping[str, str] | None = None) -> Iterator[Note | Problem]:
    """Notes of one ``.csv``, ``.jsonl`` or ``.parquet`` file, in file order, streaming."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        yield from _iter_parquet(path, columns)
        return
    if suffix not in (".csv", ".jsonl", ".ndjson", ".json"):
        raise NotesError(E.E046.format(path=path, suffix=suffix or "(none)"))
    try:
        fh = open(path, encoding="utf-8-sig", newline="")
    except OSError as err:
        raise NotesError(E.E001.format(path=path, detail=err.strerror or err)) from err
    with fh:
        try:
            yield from (_iter_csv(path, fh, columns) if suffix == ".csv" else _iter_jsonl(path, fh, columns))
        except UnicodeDecodeError as err:
            raise NotesError(E.E002.format(path=path, offset=err.start)) from err


def _iter_csv(path: Path, fh, columns) -> Iterator[Note | Problem]:
    reader = csv.DictReader(fh)
    cols = column_map(str(path), list(reader.fieldnames or []), columns)
    for i, row in enumerate(reader, 1):
        yield row_to_note(str(path), i, row, cols)


def _iter_jsonl(path: Path, fh, columns) -> Iterator[Note | Problem]:
    cols: dict[str, str] | None = None
    for lineno, line in enumerate(fh, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            yield Problem(
                path=str(path),
                record=f"line {lineno}",
                code="E003",
                message=E.E003.format(path=path, line=lineno, detail=err.msg),
            )
            continue
        if not isinstance(obj, dict):
            yield Problem(
                path=str(path),
                record=f"line {lineno}",
                code="E007",
                message=E.E007.format(path=path, record=f"line {lineno}", field="record", detail="not a JSON object"),
            )
            continue
        if cols is None:
            cols = column_map(str(path), list(obj), columns)
        yield row_to_note(str(path), lineno, obj, cols, unit="line")


def _iter_parquet(path: Path, columns) -> Iterator[Note | Problem]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (OSError, ValueError) as err:  # pyarrow raises ArrowInvalid (a ValueError) on a file that is not Parquet
        raise NotesError(E.E001.format(path=path, detail=str(err).splitlines()[0][:200])) from err
    cols = column_map(str(path), list(pf.schema_arrow.names), columns)
    i = 0
    for batch in pf.iter_batches(batch_size=BATCH_ROWS, columns=sorted(set(cols.values()))):
        for row in batch.to_pylist():
            i += 1
            yield row_to_note(str(path), i, row, cols)


def count_file_rows(path: str | Path) -> Optional[int]:
    """Records of a file, for a progress bar's ETA: a Parquet file's footer, a quick pass over a text file
    (non-blank JSONL lines, CSV rows); None when the file cannot be read (the reader reports why)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".jsonl", ".ndjson", ".json"):
            with open(path, "rb") as fh:
                return sum(1 for line in fh if line.strip())
        if suffix == ".csv":
            with open(path, encoding="utf-8-sig", newline="") as fh:
                return max(0, sum(1 for _ in csv.reader(fh)) - 1)
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    if suffix != ".parquet":
        return None
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (OSError, ValueError):
        return None


# ----------------------------------------------------------------------------- databases


def redact(url: str) -> str:
    """A database URL fit for a message: the password hidden."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<database URL>"


def _db_error(url: str, err: Exception) -> StoreError:
    detail = " ".join(str(getattr(err, "orig", None) or err).split())[:200]
    return StoreError(E.E040.format(source=redact(url), detail=detail or type(err).__name__))


def iter_db_notes(url: str, query: str | None = None, columns: Mapping[str, str] | None = None,
                  batch_rows: int = BATCH_ROWS) -> Iterator[Note | Problem]:
    """Notes of an OMOP ``NOTE`` table (or of ``query``), fetched ``batch_rows`` at a time with a server-side cursor."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    source = redact(url)
    try:
        engine = create_engine(url)
    except Exception as err:  # an unknown dialect or a missing driver: say so, without a traceback
        raise _db_error(url, err) from err
    try:
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=batch_rows).execute(
                text(query or DEFAULT_QUERY)
            )
            cols = column_map(source, list(result.keys()), columns)
            for i, row in enumerate(result, 1):
                yield row_to_note(source, i, dict(row._mapping), cols)
    except SQLAlchemyError as err:
        raise _db_error(url, err) from err
    finally:
        engine.dispose()


def count_db_rows(url: str, query: str | None = None) -> Optional[int]:
    """How many rows the query gives (for a progress bar's ETA); None when the database will not say."""
    from sqlalchemy import create_engine, text

    q = (query or DEFAULT_QUERY).strip().rstrip(";")
    if q.upper().endswith("ORDER BY NOTE_ID"):
        q = q[: -len("ORDER BY NOTE_ID")]
    try:
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                return int(conn.execute(text(f"SELECT count(*) FROM ({q}) AS ts_count")).scalar_one())
        finally:
            engine.dispose()
    except Exception:  # noqa: BLE001 - the count only feeds the progress bar; the read itself reports errors
        return None
