"""Write facts as OMOP CDM v5.4 ``NOTE_NLP`` rows, into a database (any SQLAlchemy URL) or a file (.csv, .jsonl,
.parquet), atomically: a database in one transaction, a file through a temporary file and a rename.

Only the stable fields of a fact are read (note, offsets, quote, concept, assertion flags, section, date,
value/unit), from its JSON, so the writer does not depend on the rest of the fact model. ``offset`` is the
start offset into the original note text and ``lexical_variant`` the exact quote, so
``note_text[offset:offset + len(lexical_variant)] == lexical_variant``.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import E, StoreError

COLUMNS = ("note_nlp_id", "note_id", "section_concept_id", "snippet", "offset", "lexical_variant",
           "note_nlp_concept_id", "note_nlp_source_concept_id", "nlp_system", "nlp_date", "nlp_datetime",
           "term_exists", "term_temporal", "term_modifiers")
NLP_SYSTEM = f"trialsieve {__version__}"
SNIPPET_CONTEXT = 60
"""Characters of note text kept either side of the term in ``snippet`` (OMOP allows 250 in all)."""
FLAGS = ("negated", "historical", "hypothetical", "family", "uncertain")


def _omop_id(value: str) -> Any:
    return int(value) if value.isdigit() else value


def _snippet(text: str, start: int, end: int) -> str:
    lo, hi = max(0, start - SNIPPET_CONTEXT), min(len(text), end + SNIPPET_CONTEXT)
    return " ".join(text[lo:hi].split())[:250]


def fact_to_row(nlp_id: int, fact: dict, note_text: str, nlp_date: dt.date) -> dict[str, Any]:
    """One fact's JSON as a NOTE_NLP row. Concept ids are 0 (no OMOP vocabulary mapping yet): the concept name,
    assertion flags, section, value and unit go into ``term_modifiers``."""
    start, end = int(fact["start"]), int(fact["end"])
    affirmed = not any(fact.get(f) for f in ("negated", "hypothetical", "family", "uncertain"))
    modifiers = [f"concept={fact.get('concept', '')}"] + [f"{f}={str(bool(fact.get(f))).lower()}" for f in FLAGS]
    for key in ("section", "date", "value", "unit"):
        if fact.get(key) not in (None, ""):
            modifiers.append(f"{key}={fact[key]}")
    return {
        "note_nlp_id": nlp_id,
        "note_id": _omop_id(str(fact["note_id"])),
        "section_concept_id": 0,
        "snippet": _snippet(note_text, start, end),
        "offset": str(start),
        "lexical_variant": str(fact["text"])[:250],
        "note_nlp_concept_id": 0,
        "note_nlp_source_concept_id": 0,
        "nlp_system": NLP_SYSTEM,
        "nlp_date": nlp_date,
        "nlp_datetime": None,
        "term_exists": "Y" if affirmed else "N",
        "term_temporal": "past" if fact.get("historical") else ("future" if fact.get("hypothetical") else "present"),
        "term_modifiers": ";".join(modifiers)[:2000],
    }


def note_nlp_rows(facts: Iterable[tuple[dict, str, dt.date]]) -> Iterator[dict[str, Any]]:
    """Rows numbered from 1 in the order given (the store gives patient, date, note, extraction order)."""
    for i, (fact, text, day) in enumerate(facts, 1):
        yield fact_to_row(i, fact, text, day)


def write_file(rows: Iterable[dict[str, Any]], path: Path) -> int:
    """Write rows to ``.csv``, ``.jsonl`` or ``.parquet`` through a temporary file; returns the row count."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".parquet"):
        raise StoreError(
            E.E044.format(
                path=path, detail=f"unsupported NOTE_NLP format '{suffix or '(none)'}'; use .csv, .jsonl or .parquet"
            )
        )
    tmp = path.with_name(f".{path.name}.tmp")
    n = 0
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".parquet":
            n = _write_parquet(rows, tmp)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=COLUMNS) if suffix == ".csv" else None
                if writer:
                    writer.writeheader()
                for row in rows:
                    if writer:
                        writer.writerow(row)
                    else:
                        fh.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
                    n += 1
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise StoreError(E.E044.format(path=path, detail=err.strerror or err)) from err
    return n


def _write_parquet(rows: Iterable[dict[str, Any]], tmp: Path, batch: int = 10_000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("note_nlp_id", pa.int64()), ("note_id", pa.string()), ("section_concept_id", pa.int64()),
                        ("snippet", pa.string()), ("offset", pa.string()), ("lexical_variant", pa.string()),
                        ("note_nlp_concept_id", pa.int64()), ("note_nlp_source_concept_id", pa.int64()),
                        ("nlp_system", pa.string()), ("nlp_date", pa.date32()), ("nlp_datetime", pa.timestamp("s")),
                        ("term_exists", pa.string()), ("term_temporal", pa.string()), ("term_modifiers", pa.string())])
    n = 0
    with pq.ParquetWriter(tmp, schema) as writer:
        buf: list[dict] = []
        for row in rows:
            buf.append({**row, "note_id": str(row["note_id"])})
            if len(buf) >= batch:
                writer.write_table(pa.Table.from_pylist(buf, schema=schema))
                n += len(buf)
                buf.clear()
        if buf:
            writer.write_table(pa.Table.from_pylist(buf, schema=schema))
            n += len(buf)
    return n


def write_database(rows: Iterable[dict[str, Any]], url: str, batch: int = 5_000) -> int:
    """Replace this system's rows in the database's ``note_nlp`` table (created with the OMOP v5.4 columns if
    absent) in one transaction; rows of other NLP systems are left alone."""
    from sqlalchemy import (
        BigInteger,
        Column,
        Date,
        DateTime,
        Integer,
        MetaData,
        String,
        Table,
        create_engine,
        delete,
        func,
        select,
    )
    from sqlalchemy.exc import SQLAlchemyError

    from .omop import redact

    md = MetaData()
    table = Table(
        "note_nlp",
        md,
        Column("note_nlp_id", BigInteger, primary_key=True, autoincrement=False),
        Column("note_id", BigInteger, nullable=False),
        Column("section_concept_id", Integer),
        Column("snippet", String(250)),
        Column("offset", String(50)),
        Column("lexical_variant", String(250), nullable=False),
        Column("note_nlp_concept_id", Integer),
        Column("note_nlp_source_concept_id", Integer),
        Column("nlp_system", String(250)),
        Column("nlp_date", Date, nullable=False),
        Column("nlp_datetime", DateTime),
        Column("term_exists", String(1)),
        Column("term_temporal", String(50)),
        Column("term_modifiers", String(2000)),
    )
    n = 0
    try:
        engine = create_engine(url)
        md.create_all(engine)
        with engine.begin() as conn:
            conn.execute(delete(table).where(table.c.nlp_system.like("trialsieve %")))
            base = conn.execute(
                select(func.coalesce(func.max(table.c.note_nlp_id), 0))
            ).scalar_one()  # other systems' rows
            buf: list[dict] = []
            for row in rows:
                buf.append({**row, "note_nlp_id": base + row["note_nlp_id"]})
                if len(buf) >= batch:
                    conn.execute(table.insert(), buf)
                    n += len(buf)
                    buf.clear()
            if buf:
                conn.execute(table.insert(), buf)
                n += len(buf)
        engine.dispose()
    except SQLAlchemyError as err:
        raise StoreError(
            E.E040.format(source=redact(url), detail=" ".join(str(getattr(err, "orig", err)).split())[:200])
        ) from err
    return n
