"""Extraction on Spark: notes read by Spark from Parquet, CSV or JSONL, one pipeline per Python worker, a
partition at a time, with the same function the local process pool runs (``index.extract_notes``), so both
engines give identical facts. Results stream back to the driver partition by partition and are written to
the store in batches, exactly as the pool's are."""
from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Optional

from ..errors import E, NotesError, StoreError
from ..schema import Note, Problem
from .db import FactStore, IndexedNote, extractor_signature, note_hash
from .index import BATCH_NOTES, IndexStats

log = logging.getLogger(__name__)

DEFAULT_MASTER = "local[2]"
PARTITIONS_PER_CORE = 4
"""Partitions per core by default: small enough to balance, large enough that pipeline start-up is amortised."""


def spark_session(master: str = DEFAULT_MASTER):
    """A Spark session bound to loopback, with no web UI, whose Python workers run this interpreter."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("SPARK_CONF_DIR", _quiet_conf_dir())
    try:
        from pyspark.sql import SparkSession

        spark = (SparkSession.builder.master(master).appName("trialsieve")
                 .config("spark.ui.enabled", "false")
                 .config("spark.driver.host", "127.0.0.1")
                 .config("spark.driver.bindAddress", "127.0.0.1")
                 .config("spark.sql.session.timeZone", "UTC")
                 .config("spark.python.worker.reuse", "true")
                 .config("spark.ui.showConsoleProgress", "false")
                 .getOrCreate())
    except ImportError as err:
        raise StoreError(E.E045.format(detail="pyspark is not installed")) from err
    except Exception as err:  # noqa: BLE001 - Java missing or the JVM failed to start: one coded line, no traceback
        raise StoreError(E.E045.format(detail=" ".join(str(err).split())[:200] or type(err).__name__)) from err
    spark.sparkContext.setLogLevel("ERROR")
    return spark


LOG4J2 = """rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = spark %p %c{1}: %m%n
"""


def _quiet_conf_dir() -> str:
    """A Spark configuration folder whose log4j2 settings print errors only (Spark's default prints start-up
    chatter on every run)."""
    import tempfile

    folder = Path(tempfile.gettempdir()) / "trialsieve-spark-conf"
    folder.mkdir(exist_ok=True)
    target = folder / "log4j2.properties"
    if not target.exists() or target.read_text() != LOG4J2:
        tmp = folder / f".log4j2.{os.getpid()}.tmp"
        tmp.write_text(LOG4J2)
        os.replace(tmp, target)
    return str(folder)


def _read(spark, path: Path):
    suffix = path.suffix.lower()
    if not path.exists():
        raise NotesError(E.E001.format(path=path, detail="No such file or directory"))
    if suffix == ".parquet":
        return spark.read.parquet(str(path))
    if suffix == ".csv":
        return (spark.read.option("header", True).option("multiLine", True).option("escape", '"')
                .option("encoding", "UTF-8").csv(str(path)))
    if suffix in (".jsonl", ".ndjson", ".json"):
        return spark.read.json(str(path))
    raise NotesError(E.E046.format(path=path, suffix=suffix or "(none)"))


def _partition_extractor(source: str, cols: Mapping[str, str], user: tuple, sig: str):
    """The function each executor runs over its partition: rows -> notes -> facts, a batch at a time."""

    def run(rows: Iterator[Any]) -> Iterator[tuple]:
        from pipeline.io.omop import row_to_note
        from pipeline.store.index import extract_notes

        batch: list[Note] = []

        def flush() -> Iterator[tuple]:
            for note, facts in zip(batch, extract_notes(batch, user)):
                yield ("note", note.model_dump_json(), note_hash(note, sig), facts)
            batch.clear()

        for row, idx in rows:
            rec = row_to_note(source, idx + 1, row.asDict(), cols)
            if isinstance(rec, Problem):
                yield ("problem", rec.model_dump_json(), "", ())
                continue
            batch.append(rec)
            if len(batch) >= BATCH_NOTES:
                yield from flush()
        yield from flush()

    return run


def spark_index(paths: Sequence[Path], store: FactStore, *, columns: Mapping[str, str] | None = None,
                user_entries: Sequence = (), master: str = DEFAULT_MASTER, partitions: Optional[int] = None,
                progress=None, spark=None) -> IndexStats:
    """Index the notes of ``paths`` into ``store`` with Spark. Unchanged notes are not written again (they are
    extracted again, though: the content-hash check happens on the driver)."""
    from ..io.omop import column_map
    from .progress import null_progress

    progress = null_progress() if progress is None else progress
    stats = IndexStats()
    user = tuple(user_entries)
    sig = extractor_signature(user)
    own = spark is None
    spark = spark or spark_session(master)
    try:
        for path in paths:
            df = _read(spark, Path(path))
            cols = column_map(str(path), list(df.columns), columns)
            n = partitions or max(1, spark.sparkContext.defaultParallelism * PARTITIONS_PER_CORE)
            rdd = df.select(*sorted(set(cols.values()))).rdd.zipWithIndex().repartition(n)
            out: list[IndexedNote] = []
            for kind, payload, h, facts in rdd.mapPartitions(
                _partition_extractor(str(path), cols, user, sig)
            ).toLocalIterator():
                stats.read += 1
                if kind == "problem":
                    stats.add_problem(Problem.model_validate_json(payload))
                    progress.update(1)
                    continue
                out.append(IndexedNote(Note.model_validate_json(payload), h, tuple(tuple(f) for f in facts)))
                if len(out) >= BATCH_NOTES:
                    _write(store, out, stats, progress)
            _write(store, out, stats, progress)
    finally:
        if own:
            spark.stop()
    return stats


def _write(store: FactStore, out: list[IndexedNote], stats: IndexStats, progress) -> None:
    if not out:
        return
    written = store.write(out)
    stats.indexed += written
    stats.unchanged += len(out) - written
    stats.facts += sum(len(i.facts) for i in out)
    progress.update(len(out))
    out.clear()
