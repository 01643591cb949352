"""The store commands of ``trialsieve``: ``index``, ``screen`` and ``note-nlp``. Thin: parse arguments, call
``pipeline.store`` and ``pipeline.io``, print counts. Registered on the main group by ``pipeline.cli``."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import click

from .errors import TrialsieveError


def _fail(err: TrialsieveError) -> None:
    click.echo(f"error: {err}", err=True)
    sys.exit(1)


def _report(stats, what: str = "note records") -> None:
    for p in stats.problems:
        click.echo(f"error: {p.message}", err=True)
    if stats.skipped:
        summary = ", ".join(f"{n} x {c}" for c, n in sorted(stats.problem_codes.items()))
        shown = "" if len(stats.problems) == stats.skipped else f"; first {len(stats.problems)} shown"
        click.echo(f"skipped {stats.skipped} {what} ({summary}{shown})", err=True)


@click.command()
@click.argument("notes", nargs=-1, type=click.Path())
@click.option("--db", "db_url", help="Read the OMOP NOTE table through this SQLAlchemy URL instead of files.")
@click.option("--query", help="SQL giving the notes (default: the OMOP NOTE table, by note_id).")
@click.option("--columns", help="Column for each note field, e.g. 'patient_id=pid,text=body' "
                                "(fields: note_id, patient_id, date, datetime, note_type, note_type_concept_id, text).")
@click.option("--store", required=True, help="Fact store: a SQLite file path or a database URL.")
@click.option("--processes", "-j", type=int, default=1, show_default=True, help="Worker processes (local pool).")
@click.option("--engine", type=click.Choice(["pool", "spark"]), default="pool", show_default=True)
@click.option("--master", default="local[2]", show_default=True, help="Spark master (with --engine spark).")
@click.option("--partitions", type=int, help="Spark partitions (default: 4 per core).")
@click.option(
    "--lexicon", type=click.Path(exists=True, dir_okay=False), help="Extra concepts: JSONL {concept, phrase}."
)
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: only on a terminal).")
def index(notes: tuple[str, ...], db_url: Optional[str], query: Optional[str], columns: Optional[str], store: str,
          processes: int, engine: str, master: str, partitions: Optional[int], lexicon: Optional[str],
          progress: Optional[bool]) -> None:
    """Extract NOTES (CSV, JSONL or Parquet; OMOP NOTE or trialsieve columns) or an OMOP NOTE table (--db) into
    a fact store, incrementally: notes already indexed unchanged are skipped."""
    from .io.omop import count_db_rows, count_file_rows, iter_db_notes, iter_file_notes, parse_columns
    from .store.db import FactStore
    from .store.index import PoolExtractor, index_notes
    from .store.progress import progress_bar, shows

    if bool(notes) == bool(db_url):
        raise click.UsageError("give NOTES files or --db URL (one of them)")
    if engine == "spark" and db_url:
        raise click.UsageError("--engine spark reads Parquet, CSV or JSONL files; export the NOTE table or use -j N")
    try:
        user = _user_lexicon(lexicon)
        cols = parse_columns(columns)
        if engine == "spark":
            from .store.spark import spark_index

            st = FactStore.open(store, create=True)
            total = _file_total(notes, count_file_rows, progress)
            with progress_bar(total, "note", "index", progress) as bar:
                stats = spark_index([Path(p) for p in notes], st, columns=cols, user_entries=user, master=master,
                                    partitions=partitions, progress=bar)
        else:
            total = (
                (count_db_rows(db_url, query) if shows(progress) else None)
                if db_url
                else _file_total(notes, count_file_rows, progress)
            )
            records = iter_db_notes(db_url, query, cols) if db_url else _chain_files(notes, cols, iter_file_notes)
            with PoolExtractor(processes, user) as ex:  # fork the workers before any database connection
                st = FactStore.open(store, create=True)
                with progress_bar(total, "note", "index", progress) as bar:
                    stats = index_notes(records, st, ex, user, progress=bar)
        patients, n_notes, n_facts = st.counts()
        st.close()
    except TrialsieveError as err:
        _fail(err)
    click.echo(f"{stats.read} records read: {stats.indexed} notes indexed, {stats.unchanged} unchanged; "
               f"store: {patients} patients, {n_notes} notes, {n_facts} facts", err=True)
    _report(stats)


def _user_lexicon(lexicon: Optional[str]) -> list:
    if not lexicon:
        return []
    from .lexicon import read_user_lexicon

    return list(read_user_lexicon(lexicon))


def _file_total(paths, counter, wanted: Optional[bool] = True) -> Optional[int]:
    """Records in all files (for the ETA), counted only when a bar will show."""
    from .store.progress import shows

    if not shows(wanted):
        return None
    counts = [counter(p) for p in paths]
    return None if any(c is None for c in counts) else sum(counts)  # type: ignore[misc]


def _chain_files(paths, cols, reader):
    for p in paths:
        yield from reader(p, cols)


@click.command()
@click.argument("listings", nargs=-1, required=True)
@click.option("--store", required=True, help="Fact store built by `trialsieve index` (SQLite path or database URL).")
@click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for <trial_id>.jsonl files."
)
@click.option(
    "--as-of", "as_of", help="Date the screening applies to (YYYY-MM-DD); default: latest note date in the store."
)
@click.option("--first-dose", "first_dose", help="Planned first dose date (YYYY-MM-DD); default: as-of date.")
@click.option(
    "--lexicon", type=click.Path(exists=True, dir_okay=False), help="Extra concepts: JSONL {concept, phrase}."
)
@click.option("--processes", "-j", type=int, default=1, show_default=True, help="Worker processes matching patients.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: only on a terminal).")
def screen(listings: tuple[str, ...], store: str, out_dir: str, as_of: Optional[str], first_dose: Optional[str],
           lexicon: Optional[str], processes: int, progress: Optional[bool]) -> None:
    """Screen every patient of the store against each of LISTINGS (files or folders, or the criteria
    JSON `trialsieve criteria` prints, edited or not), without re-reading notes;
    writes OUT/<trial_id>.jsonl, ranked, with the records `match --out` writes. Resumes a killed run."""
    from .cli import _listing_paths, _parse_date
    from .io.criteria_json import load_trials
    from .store.db import FactStore
    from .store.progress import progress_bar
    from .store.screen import screen_store

    as_of_date, first_dose_date = _parse_date(as_of), _parse_date(first_dose)
    trials, bad = [], 0
    for path in _listing_paths(listings):
        try:
            trials.extend(load_trials(path))
        except TrialsieveError as err:
            click.echo(f"error: {err}", err=True)
            bad += 1
    if not trials:
        sys.exit(1)
    try:
        user = _user_lexicon(lexicon)
        st = FactStore.open(store)
        patients, _, _ = st.counts()
        with progress_bar(patients, "patient", "screen", progress) as bar:
            summary = screen_store(trials, st, Path(out_dir), as_of=as_of_date, first_dose=first_dose_date,
                                   user_entries=user, progress=bar, processes=processes)
        st.close()
    except TrialsieveError as err:
        _fail(err)
    for name, counts in summary.items():
        parts = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("eligible", "needs_review", "ineligible"))
        click.echo(f"{name}: {parts} -> {Path(out_dir) / (name + '.jsonl')}")
    if bad:
        click.echo(f"skipped {bad} listings", err=True)


@click.command("note-nlp")
@click.option("--store", required=True, help="Fact store built by `trialsieve index`.")
@click.option("--db", "db_url", help="Write into this database's note_nlp table (SQLAlchemy URL).")
@click.option("--out", type=click.Path(dir_okay=False), help="Write a .csv, .jsonl or .parquet file.")
def note_nlp(store: str, db_url: Optional[str], out: Optional[str]) -> None:
    """Write the store's facts as OMOP NOTE_NLP rows (this system's earlier rows are replaced)."""
    from .io.note_nlp import note_nlp_rows, write_database, write_file
    from .io.omop import redact
    from .store.db import FactStore

    if bool(db_url) == bool(out):
        raise click.UsageError("give --db URL or --out FILE (one of them)")
    try:
        st = FactStore.open(store)
        rows = note_nlp_rows(st.iter_facts())
        n = write_database(rows, db_url) if db_url else write_file(rows, Path(out))  # type: ignore[arg-type]
        st.close()
    except TrialsieveError as err:
        _fail(err)
    click.echo(f"{n} NOTE_NLP rows -> {redact(db_url) if db_url else out}", err=True)


COMMANDS = (index, screen, note_nlp)
