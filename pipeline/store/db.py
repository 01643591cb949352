"""The fact store: notes (unmodified text, content hash) and their facts (as JSON records), with a full-text
index of the note text. A SQLite file by default (FTS5), any SQLAlchemy URL otherwise (PostgreSQL: a GIN
index on ``to_tsvector``).

Facts are stored opaque, as the JSON of ``Fact.model_dump(mode="json")``, beside the few columns the store
queries by (patient, note, concept), so a change of the fact model flows through without a migration.
Every write is one transaction holding notes together with their facts: a run killed at any point leaves
whole notes or nothing, and the next run picks up from there.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    create_engine,
    event,
    func,
    select,
    text,
    tuple_,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from .. import __version__
from ..errors import E, StoreError
from ..resources import models_fingerprint
from ..schema import Fact, Note, NoteMeta

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
_FACTS = TypeAdapter(list[Fact])
ID = BigInteger().with_variant(Integer, "sqlite")  # SQLite's INTEGER PRIMARY KEY is the rowid

metadata = MetaData()
meta_t = Table("ts_meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text, nullable=False))
notes_t = Table(
    "ts_notes", metadata,
    Column("nid", ID, primary_key=True, autoincrement=True),
    Column("patient_id", String(200), nullable=False),
    Column("note_id", String(200), nullable=False),
    Column("date", Date, nullable=False),
    Column("note_type", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("indexed_on", Date, nullable=False),
    Column("n_facts", Integer, nullable=False),
    UniqueConstraint("patient_id", "note_id", name="uq_ts_notes_key"),
    Index("ix_ts_notes_patient", "patient_id", "date", "note_id"),
)
facts_t = Table(
    "ts_facts", metadata,
    Column("fid", ID, primary_key=True, autoincrement=True),
    Column("nid", ID, nullable=False),
    Column("patient_id", String(200), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("concept", String(200), nullable=False),
    Column("fact", Text, nullable=False),
    Index("ix_ts_facts_nid", "nid", "seq"),
    Index("ix_ts_facts_patient", "patient_id"),
    Index("ix_ts_facts_concept", "concept"),
)


_INSERT_NOTE = notes_t.insert()
_UPDATE_NOTE = notes_t.update().where(notes_t.c.nid == bindparam("u_nid"))
_NOTE_TEXT = select(notes_t.c.text).where(notes_t.c.nid == bindparam("t_nid"))
_DELETE_FACTS = facts_t.delete().where(facts_t.c.nid == bindparam("d_nid"))
_INSERT_FACT = facts_t.insert()
_FTS_INSERT = text("INSERT INTO ts_note_fts(rowid, text) VALUES (:nid, :t)")
_SQLITE_NOTE = ("INSERT INTO ts_notes (patient_id, note_id, date, note_type, text, hash, indexed_on, n_facts) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
_SQLITE_FTS = "INSERT INTO ts_note_fts(rowid, text) VALUES (?, ?)"
_SQLITE_FACT = "INSERT INTO ts_facts (nid, patient_id, seq, concept, fact) VALUES (?, ?, ?, ?, ?)"
_FTS_DELETE = text("INSERT INTO ts_note_fts(ts_note_fts, rowid, text) VALUES('delete', :nid, :t)")


def note_hash(note: Note, extractor: str) -> str:
    """Content hash of a note as indexed: its fields and the extractor's signature (version, user lexicon), so
    a changed note or a changed extractor is extracted again."""
    h = hashlib.sha256()
    for part in (extractor, note.patient_id, note.note_id, note.date.isoformat(), note.note_type, note.text):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def extractor_signature(user_entries: Sequence = ()) -> str:
    """The extractor's identity for the content hash: package version, the rule and lexicon files it reads
    (``models/``) and the user's lexicon entries; a change to any of them re-extracts every note."""
    user = json.dumps([e.model_dump(mode="json") if hasattr(e, "model_dump") else repr(e) for e in user_entries],
                      sort_keys=True, default=str)
    return f"trialsieve {__version__} | {models_fingerprint()} | {hashlib.sha256(user.encode()).hexdigest()[:16]}"


def store_url(store: str | Path) -> str:
    """A store argument as a SQLAlchemy URL: a URL stays, a path becomes a SQLite file."""
    s = str(store)
    if "://" in s:
        return s
    return f"sqlite:///{Path(s).resolve()}"


@dataclass(frozen=True)
class IndexedNote:
    """A note with its content hash and the JSON of its facts, ready to be written."""

    note: Note
    hash: str
    facts: tuple[tuple[str, str], ...]
    """(concept, fact JSON) pairs in extraction order."""


class FactStore:
    """Notes and facts in a database. Open with ``FactStore.open(STORE)``; ``create=True`` builds the tables."""

    def __init__(self, engine: Engine, label: str) -> None:
        self.engine = engine
        self.label = label
        self.dialect = engine.dialect.name

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, store: str | Path, *, create: bool = False) -> FactStore:
        from ..io.omop import redact

        url = store_url(store)
        label = redact(url) if "://" in str(store) else str(store)
        if url.startswith("sqlite:///") and not create and not Path(url[len("sqlite:///"):]).exists():
            raise StoreError(E.E043.format(store=label, detail="no such file"))
        try:
            engine = create_engine(url)
        except Exception as err:  # unknown dialect or missing driver
            raise StoreError(E.E040.format(source=label, detail=" ".join(str(err).split())[:200])) from err
        if engine.dialect.name == "sqlite":
            # the writer (``index`` creates the tables) gets the large page cache; readers stay small, so that
            # screening memory does not grow with the store (the OS keeps the file's pages cached anyway)
            cache_kib = WRITER_CACHE_KIB if create else READER_CACHE_KIB
            event.listen(engine, "connect", lambda conn, rec: _sqlite_pragmas(conn, rec, cache_kib))
        self = cls(engine, label)
        try:
            if create:
                self._create()
            self._check()
        except SQLAlchemyError as err:
            raise StoreError(
                E.E040.format(source=label, detail=" ".join(str(getattr(err, "orig", err)).split())[:200])
            ) from err
        return self

    def _create(self) -> None:
        metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            if self.dialect == "sqlite":
                conn.exec_driver_sql("CREATE VIRTUAL TABLE IF NOT EXISTS ts_note_fts USING fts5("
                                     "text, content='ts_notes', content_rowid='nid')")
            elif self.dialect == "postgresql":
                conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_ts_notes_fts ON ts_notes "
                                     "USING gin (to_tsvector('english', text))")
            have = dict(conn.execute(select(meta_t.c.key, meta_t.c.value)).all())
            if "schema_version" not in have:
                conn.execute(meta_t.insert(), [{"key": "schema_version", "value": SCHEMA_VERSION},
                                               {"key": "generation", "value": "0"}])

    def _check(self) -> None:
        try:
            with self.engine.connect() as conn:
                version = conn.execute(select(meta_t.c.value).where(meta_t.c.key == "schema_version")).scalar()
        except SQLAlchemyError as err:
            raise StoreError(E.E043.format(store=self.label, detail="no trialsieve tables")) from err
        if version != SCHEMA_VERSION:
            raise StoreError(
                E.E043.format(store=self.label, detail=f"schema version {version!r}, expected {SCHEMA_VERSION}")
            )

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ writing

    def known_hashes(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """Content hashes of the notes already indexed among ``keys`` ((patient_id, note_id) pairs)."""
        keys = list(keys)
        if not keys:
            return {}
        q = select(notes_t.c.patient_id, notes_t.c.note_id, notes_t.c.hash).where(
            tuple_(notes_t.c.patient_id, notes_t.c.note_id).in_(keys))
        with self.engine.connect() as conn:
            return {(p, n): h for p, n, h in conn.execute(q)}

    def write(self, batch: Sequence[IndexedNote], indexed_on: dt.date | None = None) -> int:
        """Insert new notes and replace changed ones, with their facts and full-text entries, in one
        transaction. Returns how many notes were written (unchanged ones are left alone).

        The batch's stored hashes are read in one query and every statement is a constant one (compiled once),
        so the writer's cost per note stays small beside extraction."""
        day = indexed_on or dt.date.today()
        day_text = day.isoformat()
        written = 0
        with self.engine.begin() as conn:
            # SQLite: new notes go through the driver's cursor in the same transaction (a SQLAlchemy statement
            # costs more than the insert itself); dates stored as SQLAlchemy's Date stores them (ISO text)
            raw = conn.connection.cursor() if self.dialect == "sqlite" else None
            keys = list({(i.note.patient_id, i.note.note_id) for i in batch})
            known: dict[tuple[str, str], tuple[int, str, str | None]] = {
                (p, n): (nid, h, None) for nid, p, n, h in conn.execute(
                    select(notes_t.c.nid, notes_t.c.patient_id, notes_t.c.note_id, notes_t.c.hash)
                    .where(tuple_(notes_t.c.patient_id, notes_t.c.note_id).in_(keys)))} if keys else {}
            for item in batch:
                n = item.note
                key = (n.patient_id, n.note_id)
                old = known.get(key)
                if old is not None and old[1] == item.hash:
                    continue
                if raw is not None and old is None:  # a new note (the common case), by the driver directly
                    raw.execute(_SQLITE_NOTE, (n.patient_id, n.note_id, n.date.isoformat(), n.note_type, n.text,
                                               item.hash, day_text, len(item.facts)))
                    nid = raw.lastrowid
                    raw.execute(_SQLITE_FTS, (nid, n.text))
                    raw.executemany(_SQLITE_FACT, [(nid, n.patient_id, i, concept, f)
                                                   for i, (concept, f) in enumerate(item.facts)])
                    known[key] = (nid, item.hash, n.text)
                    written += 1
                    continue
                row = {"patient_id": n.patient_id, "note_id": n.note_id, "date": n.date, "note_type": n.note_type,
                       "text": n.text, "hash": item.hash, "indexed_on": day, "n_facts": len(item.facts)}
                if old is None:
                    nid = conn.execute(_INSERT_NOTE, row).inserted_primary_key[0]  # type: ignore[index]
                else:
                    nid = old[0]
                    conn.execute(_DELETE_FACTS, {"d_nid": nid})
                    if self.dialect == "sqlite":
                        old_text = (
                            old[2] if old[2] is not None else conn.execute(_NOTE_TEXT, {"t_nid": nid}).scalar_one()
                        )
                        conn.execute(_FTS_DELETE, {"nid": nid, "t": old_text})
                    conn.execute(_UPDATE_NOTE, {**row, "u_nid": nid})
                known[key] = (nid, item.hash, n.text)
                if self.dialect == "sqlite":
                    conn.execute(_FTS_INSERT, {"nid": nid, "t": n.text})
                if item.facts:
                    conn.execute(_INSERT_FACT, [
                        {"nid": nid, "patient_id": n.patient_id, "seq": i, "concept": concept, "fact": f}
                        for i, (concept, f) in enumerate(item.facts)])
                written += 1
            if raw is not None:
                raw.close()
            if written:
                gen = int(conn.execute(select(meta_t.c.value).where(meta_t.c.key == "generation")).scalar_one())
                conn.execute(meta_t.update().where(meta_t.c.key == "generation").values(value=str(gen + 1)))
        return written

    # ------------------------------------------------------------------ reading

    def generation(self) -> str:
        """Changes every time notes are written: results computed from an older generation are stale."""
        with self.engine.connect() as conn:
            return str(conn.execute(select(meta_t.c.value).where(meta_t.c.key == "generation")).scalar_one())

    def counts(self) -> tuple[int, int, int]:
        """(patients, notes, facts) in the store."""
        with self.engine.connect() as conn:
            patients = conn.execute(select(func.count(func.distinct(notes_t.c.patient_id)))).scalar_one()
            notes = conn.execute(select(func.count()).select_from(notes_t)).scalar_one()
            facts = conn.execute(select(func.count()).select_from(facts_t)).scalar_one()
        return int(patients), int(notes), int(facts)

    def latest_date(self) -> dt.date | None:
        with self.engine.connect() as conn:
            return conn.execute(select(func.max(notes_t.c.date))).scalar()

    def patient_ids(self, after: str | None = None, page: int = 1000) -> Iterator[str]:
        """Every patient id in order, a page at a time (memory does not grow with the number of patients)."""
        last = after
        while True:
            q = select(notes_t.c.patient_id).distinct().order_by(notes_t.c.patient_id).limit(page)
            if last is not None:
                q = q.where(notes_t.c.patient_id > last)
            with self.engine.connect() as conn:
                ids = list(conn.execute(q).scalars())
            yield from ids
            if len(ids) < page:
                return
            last = ids[-1]

    def patient(self, patient_id: str) -> tuple[list[Note], list[Fact]]:
        """One patient's notes (by date, then note id) and facts (in note order, then extraction order)."""
        metas, facts, _ = self.patient_records(patient_id)
        texts = self.note_texts(patient_id)
        return [Note(**m.model_dump(), text=texts[m.note_id]) for m in metas], facts

    def patient_records(self, patient_id: str) -> tuple[list[NoteMeta], list[Fact], dict[str, int]]:
        """What matching reads of one patient: the notes without their text (by date, then note id), the facts
        (in note order, then extraction order) and each note's row id. Facts are decoded in one call."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(notes_t.c.nid, notes_t.c.note_id, notes_t.c.date, notes_t.c.note_type)
                                .where(notes_t.c.patient_id == patient_id)
                                .order_by(notes_t.c.date, notes_t.c.note_id)).all()
            frows = list(conn.execute(select(facts_t.c.nid, facts_t.c.fact).where(facts_t.c.patient_id == patient_id)
                                      .order_by(facts_t.c.nid, facts_t.c.seq)).all())
        metas = [NoteMeta(patient_id=patient_id, note_id=r.note_id, date=r.date, note_type=r.note_type) for r in rows]
        order = {r.nid: i for i, r in enumerate(rows)}
        frows.sort(key=lambda r: order.get(r.nid, len(order)))  # stable: extraction order within a note
        facts = _FACTS.validate_json("[" + ",".join(r.fact for r in frows) + "]") if frows else []
        return metas, facts, {r.note_id: r.nid for r in rows}

    def note_texts(self, patient_id: str) -> dict[str, str]:
        """One patient's note texts by note id (read only when an open-vocabulary lookup needs them)."""
        with self.engine.connect() as conn:
            return dict(
                conn.execute(select(notes_t.c.note_id, notes_t.c.text).where(notes_t.c.patient_id == patient_id)).all()
            )

    def iter_facts(self) -> Iterator[tuple[dict, str, dt.date]]:
        """Every fact as its JSON dict, with its note's text and index date, in (patient, date, note, seq) order."""
        q = (select(facts_t.c.fact, notes_t.c.text, notes_t.c.indexed_on)
             .join(notes_t, notes_t.c.nid == facts_t.c.nid)
             .order_by(notes_t.c.patient_id, notes_t.c.date, notes_t.c.note_id, facts_t.c.seq))
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=1000).execute(q)
            for fact, note_text, day in result:
                yield json.loads(fact), note_text, day

    def search(self, phrase: str, patient_id: str | None = None, limit: int = 100) -> list[tuple[str, str]]:
        """(patient_id, note_id) of notes whose text contains ``phrase`` (full-text index: words, any case;
        PostgreSQL also stems), by patient then note. Never rescans note text."""
        words = phrase.split()
        if not words:
            return []
        params: dict = {"limit": limit}
        where = ""
        if patient_id is not None:
            where = " AND n.patient_id = :pid"
            params["pid"] = patient_id
        if self.dialect == "sqlite":
            params["q"] = '"' + " ".join(words).replace('"', '""') + '"'
            sql = ("SELECT n.patient_id, n.note_id FROM ts_note_fts f JOIN ts_notes n ON n.nid = f.rowid "
                   f"WHERE ts_note_fts MATCH :q{where} ORDER BY n.patient_id, n.note_id LIMIT :limit")
        else:
            params["q"] = " ".join(words)
            sql = ("SELECT n.patient_id, n.note_id FROM ts_notes n WHERE to_tsvector('english', n.text) @@ "
                   f"phraseto_tsquery('english', :q){where} ORDER BY n.patient_id, n.note_id LIMIT :limit")
        with self.engine.connect() as conn:
            return [(p, n) for p, n in conn.execute(text(sql), params)]


WRITER_CACHE_KIB = 262_144
READER_CACHE_KIB = 16_384


def _sqlite_pragmas(dbapi_conn, _record, cache_kib: int = WRITER_CACHE_KIB) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer; a killed writer rolls back cleanly
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    # a page cache of up to 256 MB (SQLite's default is 2 MB): inserting into the facts indexes of a store of
    # millions of rows otherwise re-reads pages for every batch, and writing slowed with the store's size
    # (471 -> 827 notes/s over 40,000 notes written without extraction; 329 -> 702 over the last 8,000)
    cur.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
    cur.close()
