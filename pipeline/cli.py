"""The ``trialsieve`` command: parse arguments, call the API, print. No logic lives here.

Exit status (``pipeline.errors``): 0 every input record was used; 1 nothing usable (unreadable
file, no criteria, an output path equal to an input, an internal error); 2 bad arguments; 3 the run
completed but some records were skipped, each named once on standard error with its code.
No traceback and no note text reach the terminal unless asked for with ``-vv``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import re
import sys
from pathlib import Path
from typing import Iterable, Optional

import click

from .errors import EXIT_FAILED, EXIT_SKIPPED, E, TrialsieveError
from .schema import Note, Problem

log = logging.getLogger("pipeline")


def _setup_logging(verbose: int) -> None:
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _open_out(out: Optional[str]):
    """Standard output, or a file that appears only when complete (``io.outputs.atomic_output``)."""
    if not out:
        return contextlib.nullcontext(sys.stdout)
    from .io.outputs import atomic_output

    return atomic_output(out)


def _report_problems(problems: Iterable[Problem], what: str = "records") -> None:
    """Each problem once, then one summary line."""
    problems = list(problems)
    for p in problems:
        click.echo(f"error: {p.message}", err=True)
    if problems:
        by_code: dict[str, int] = {}
        for p in problems:
            by_code[p.code] = by_code.get(p.code, 0) + 1
        summary = ", ".join(f"{n} x {c}" for c, n in sorted(by_code.items()))
        click.echo(f"skipped {len(problems)} {what} ({summary})", err=True)


_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"}


def _jsonl(record) -> str:
    """One JSON line; the Unicode line breaks that ``str.splitlines`` honours are escaped (legal JSON),
    so every reader of the file sees one record per line."""
    line = record.to_json()
    for raw, escaped in _LINE_BREAKS.items():
        line = line.replace(raw, escaped)
    return line + "\n"


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_FAILED)


def _parse_date(value: Optional[str], option: str = "--as-of") -> Optional[dt.date]:
    """A full ISO date ``YYYY-MM-DD`` (not ``20250101``, week dates or trailing text)."""
    if value is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError(value)
        return dt.date.fromisoformat(value.strip())
    except ValueError as err:
        raise click.BadParameter(E.E031.format(option=option, value=value)) from err


def _check_outputs(outputs: Iterable[Optional[str]], inputs: Iterable[Optional[str | Path]]) -> None:
    from .io.outputs import check_outputs

    try:
        check_outputs(outputs, inputs)
    except TrialsieveError as err:
        _fail(str(err))


def _listing_paths(paths: Iterable[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.iterdir() if q.suffix.lower() in (".txt", ".json", ".html", ".htm", ".md")))
        else:
            out.append(p)
    return out


class _Main(click.Group):
    """The command group: an unexpected exception ends the run with one coded line, not a traceback
    (whose text may quote a note); ``-vv`` logs the traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except TrialsieveError as err:
            _fail(str(err))
        except Exception as err:  # noqa: BLE001
            log.debug("internal error", exc_info=True)
            _fail(E.E099.format(detail=type(err).__name__, command=ctx.invoked_subcommand or ""))


@click.group(cls=_Main)
@click.option("-v", "--verbose", count=True, help="More log output (note text only with -vv tracebacks).")
@click.version_option(package_name="trialsieve")
def main(verbose: int) -> None:
    """trialsieve: screen clinical notes against a trial's eligibility criteria, with evidence."""
    _setup_logging(verbose)


@main.command()
@click.argument("listings", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write here instead of standard output.")
def criteria(listings: tuple[str, ...], fmt: str, out: Optional[str]) -> None:
    """Parse trial LISTINGS (web-page text, plain criteria, CT.gov v2 JSON, or folders of them).

    The JSON printed here can be edited and given back to `match` or `screen` (or here, to see it
    as a table)."""
    from .io.criteria_json import load_trials
    from .io.tables import criteria_table

    paths = _listing_paths(listings)
    _check_outputs([out], paths)
    many = len(paths) > 1
    problems: list[Problem] = []
    with _open_out(out) as fh:
        for path in paths:
            try:
                trials = load_trials(path)
            except TrialsieveError as err:
                problems.append(Problem(path=str(path), code=str(err)[1:5], message=str(err)))
                continue
            except Exception as err:  # noqa: BLE001  one listing's failure must not end the run
                log.debug("listing failed", exc_info=True)
                msg = E.E012.format(path=path, criterion="-", detail=f"parsing failed ({type(err).__name__})")
                problems.append(Problem(path=str(path), code="E012", message=msg))
                continue
            for trial in trials:
                if fmt == "table":
                    fh.write(criteria_table(trial) + "\n")
                elif many or len(trials) > 1:
                    fh.write(_jsonl(trial))
                else:
                    record = trial.model_dump(mode="json")
                    fh.write(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    _report_problems(problems, "listings")
    if problems and len(problems) == len(paths):
        sys.exit(EXIT_FAILED)
    if problems:
        sys.exit(EXIT_SKIPPED)


def _load_user_lexicon(lexicon: Optional[str]):
    if not lexicon:
        return []
    from .lexicon import read_user_lexicon

    return read_user_lexicon(lexicon)


def _read_notes_or_exit(notes_path: str, encoding: Optional[str] = None):
    from .io.notes import read_notes

    try:
        notes, problems = read_notes(notes_path, encoding=encoding)
    except TrialsieveError as err:
        _fail(str(err))
    return notes, problems


ENCODING_HELP = "Text encoding of NOTES (default UTF-8; UTF-16/32 with a byte-order mark are recognised)."


def _failed_note(path: str, note: Note, error: str) -> Problem:
    from .io.notes import shown

    msg = E.E014.format(path=path, note=shown(note.note_id), patient=shown(note.patient_id), detail=error)
    return Problem(path=path, record=f"note {shown(note.note_id)}", field="text", code="E014", message=msg)


@main.command()
@click.argument("notes_path", metavar="NOTES")
@click.option("--out", type=click.Path(),
              help="Write facts (JSONL) here instead of standard output; with --format brat, "
                   "the folder for the .txt/.ann pairs (required).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "brat"]), default="jsonl",
              show_default=True,
              help="brat: one .txt/.ann pair per note and an annotation.conf (brat, INCEpTION).")
@click.option(
    "--lexicon", type=click.Path(exists=True, dir_okay=False), help="Extra concepts: JSONL {concept, phrase}."
)
@click.option("--processes", "-j", type=int, default=1, show_default=True, help="Worker processes.")
@click.option("--encoding", help=ENCODING_HELP)
def extract(notes_path: str, out: Optional[str], fmt: str, lexicon: Optional[str], processes: int,
            encoding: Optional[str]) -> None:
    """Extract facts (with assertion and evidence spans) from NOTES (.jsonl or .csv)."""
    from .extract.runner import NoteFailure, extract_each

    if fmt == "brat" and not out:
        raise click.UsageError("--format brat needs --out DIR (the folder for the .txt/.ann files)")
    if fmt == "jsonl" and out and Path(out).is_dir():
        raise click.UsageError(f"--out {out} is a folder; give a file (or use --format brat)")
    try:
        user = _load_user_lexicon(lexicon)
    except TrialsieveError as err:
        raise click.UsageError(str(err)) from err
    _check_outputs([out], [notes_path, lexicon])
    folder = None
    if fmt == "brat":
        from .io.brat_facts import BratFolder

        folder = BratFolder(Path(out))  # type: ignore[arg-type]
    notes, problems = _read_notes_or_exit(notes_path, encoding)
    n = done = 0
    with _open_out(None if folder else out) as fh:  # brat: files per note, nothing on stdout
        for note, facts in extract_each(notes, user_entries=user, n_process=processes):
            if isinstance(facts, NoteFailure):
                problems.append(_failed_note(notes_path, note, facts.error))
                continue
            done += 1
            if folder is not None:
                records = [f.model_dump(mode="json") for f in facts]
                folder.add(note.patient_id, note.note_id, note.text, records)
                n += len(facts)
                continue
            for fact in facts:
                fh.write(_jsonl(fact))
                n += 1
    if folder is not None:
        folder.close()
        click.echo(f"brat files: {out}", err=True)
    click.echo(f"{done} notes, {n} facts", err=True)
    _report_problems(problems, "note records")
    if problems:
        sys.exit(EXIT_SKIPPED)


@main.command()
@click.argument("listing", type=click.Path())
@click.argument("notes_path", metavar="NOTES")
@click.option(
    "--as-of", "as_of", help="Date the screening applies to (YYYY-MM-DD); default: today. Later notes are left out."
)
@click.option("--first-dose", "first_dose", help="Planned first dose date (YYYY-MM-DD); default: as-of date.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write patient results (JSONL) here.")
@click.option("--report", type=click.Path(dir_okay=False), help="Write a self-contained HTML review page here.")
@click.option("--include-ineligible", is_flag=True,
              help="Review page: also carry the notes behind the evidence of ineligible patients.")
@click.option("--snippets-only", is_flag=True,
              help="Review page: only the sentence around each piece of evidence, no whole notes (for sharing).")
@click.option("--wide", is_flag=True, help="Table: deciding reasons in full, never cut to the terminal.")
@click.option(
    "--lexicon", type=click.Path(exists=True, dir_okay=False), help="Extra concepts: JSONL {concept, phrase}."
)
@click.option("--processes", "-j", type=int, default=1, show_default=True)
@click.option("--encoding", help=ENCODING_HELP)
def match(listing: str, notes_path: str, as_of: Optional[str], first_dose: Optional[str], out: Optional[str],
          report: Optional[str], include_ineligible: bool, snippets_only: bool, wide: bool, lexicon: Optional[str],
          processes: int, encoding: Optional[str]) -> None:
    """Score every patient in NOTES against the criteria of LISTING, best candidates first.

    LISTING may also be the JSON `trialsieve criteria` prints, edited to correct a criterion."""
    from .io.criteria_json import load_trial
    from .io.outputs import ResultSpool, remove_stale
    from .io.tables import results_table
    from .match.rank import rank_results

    as_of_date = _screening_date(as_of)
    first_dose_date = _parse_date(first_dose, "--first-dose")
    _check_outputs([out, report], [listing, notes_path, lexicon])
    remove_stale([out, report])  # whatever happens next, no earlier run's output stays looking current
    try:
        trial = load_trial(Path(listing))
        user = _load_user_lexicon(lexicon)
    except TrialsieveError as err:
        _fail(str(err))
    notes, problems = _read_notes_or_exit(notes_path, encoding)
    notes = _screened_notes(notes_path, notes, as_of_date)
    spool = ResultSpool()  # whole results wait on disk; memory keeps slim ones for ranking and the table
    try:
        problems += _match_by_patient(trial, notes_path, notes, as_of_date, first_dose_date, user, processes, spool.add)
        ranked = rank_results(spool.slim)
        page = None
        if report:  # rendered before anything is written: a failure leaves neither file
            from .io.report import ReportOptions, render_report

            options = ReportOptions(include_ineligible=include_ineligible, snippets_only=snippets_only)
            page = render_report(trial, [spool.full(r) for r in ranked], notes, (), as_of=as_of_date, options=options)
        if out:
            with _open_out(out) as fh:
                for r in ranked:
                    fh.write(_jsonl(spool.full(r)))
        if report and page is not None:
            with _open_out(report) as fh:
                fh.write(page)
            click.echo(f"review page: {report}", err=True)
    finally:
        spool.close()
    click.echo(results_table(trial, ranked, wide=wide))
    _report_problems(problems, "note records")
    if problems:
        sys.exit(EXIT_SKIPPED)


def _screening_date(as_of: Optional[str]) -> dt.date:
    """``--as-of``, or today's date, said on standard error (never the latest note date: one
    mistyped future date would move every patient's age and every time window)."""
    date = _parse_date(as_of)
    if date is None:
        date = dt.date.today()
        click.echo(f"screening as of {date.isoformat()} (today; pass --as-of YYYY-MM-DD for another date)", err=True)
    return date


def _screened_notes(path: str, notes: list[Note], as_of: dt.date) -> list[Note]:
    """Notes dated on or before the screening date; later ones are counted on standard error
    (each one logged with ``-v``) and left out, so they cannot move the screening."""
    from .io.notes import shown

    later = [n for n in notes if n.date > as_of]
    if not later:
        return notes
    for n in later:
        log.info(E.E015.format(path=path, note=shown(n.note_id), patient=shown(n.patient_id), value=n.date.isoformat(),
                               as_of=as_of.isoformat()))
    kept = [n for n in notes if n.date <= as_of]
    left = {n.patient_id for n in later} - {n.patient_id for n in kept}
    click.echo(f"left out {len(later)} notes dated after the screening date {as_of.isoformat()} "
               f"(of {len({n.patient_id for n in later})} patients; -v lists them)"
               + (f"; {len(left)} patients have no earlier note and are not screened" if left else ""), err=True)
    return kept


def _match_by_patient(trial, path: str, notes: list[Note], as_of: dt.date, first_dose: Optional[dt.date], user,
                      processes: int, emit) -> list[Problem]:
    """Extract and match one patient at a time (facts are dropped once the patient is matched, so
    memory does not grow with the number of patients). A note whose processing fails is left out
    and named; its patient is at best ``needs_review``. A patient whose matching fails is named
    and gets no result; the run goes on. Each result goes to ``emit``; the problems are returned."""
    from .extract.runner import NoteFailure, extract_each
    from .io.notes import shown
    from .match.matcher import match_trial

    by_pid: dict[str, list[Note]] = {}
    for n in notes:
        by_pid.setdefault(n.patient_id, []).append(n)
    ordered = [n for pid in sorted(by_pid) for n in by_pid[pid]]
    problems: list[Problem] = []
    state: dict = {"pid": None, "notes": [], "facts": [], "failed": []}

    def flush() -> None:
        pid = state["pid"]
        if pid is None:
            return
        if state["notes"]:
            try:
                found = match_trial(trial, state["notes"], state["facts"], as_of=as_of, first_dose=first_dose,
                                    user_entries=user)
            except Exception as err:  # noqa: BLE001  one patient's failure must not end the run
                log.debug("matching failed", exc_info=True)
                msg = E.E019.format(path=path, patient=shown(pid), detail=type(err).__name__)
                problems.append(Problem(path=path, record=f"patient {shown(pid)}", code="E019", message=msg))
                found = []
            for r in found:
                emit(_with_failed_notes(r, state["failed"]))
        state.update(pid=None, notes=[], facts=[], failed=[])

    for note, facts in extract_each(ordered, user_entries=user, n_process=processes):
        if note.patient_id != state["pid"]:
            flush()
            state["pid"] = note.patient_id
        if isinstance(facts, NoteFailure):
            problems.append(_failed_note(path, note, facts.error))
            state["failed"].append(note.note_id)
            continue
        state["notes"].append(note)
        state["facts"].extend(facts)
    flush()
    return problems


def _with_failed_notes(result, failed: list[str]):
    """A result with notes left out is never 'eligible': the missing note may exclude the patient."""
    if not failed:
        return result
    from .io.notes import shown

    reason = (f"{len(failed)} note(s) could not be processed and were left out "
              f"({', '.join(shown(n) for n in failed[:5])}) [E014]")
    status = "needs_review" if result.status == "eligible" else result.status
    return result.model_copy(update={"status": status, "reasons": [*result.reasons, reason]})


@main.group()
def evaluate() -> None:
    """Measure accuracy against gold data (cohort, chia, negex, trec, facts)."""


@evaluate.command("cohort")
@click.argument("folder", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate_cohort(folder: Optional[str], as_json: bool) -> None:
    """Fact P/R/F1, assertion accuracy, verdict and status accuracy on an annotated cohort."""
    from .evaluate import cohort

    _run_eval(cohort, folder, as_json)


@evaluate.command("chia")
@click.argument("folder", required=False)
@click.option("--json", "as_json", is_flag=True)
def evaluate_chia(folder: Optional[str], as_json: bool) -> None:
    """Span recall/precision of criteria parsing against Chia brat annotations."""
    from .evaluate import chia

    _run_eval(chia, folder, as_json)


@evaluate.command("negex")
@click.argument("tsv", required=False)
@click.option("--json", "as_json", is_flag=True)
def evaluate_negex(tsv: Optional[str], as_json: bool) -> None:
    """Assertion accuracy on a NegEx/ConText-format TSV (concept, sentence, negation, temporality, experiencer)."""
    from .evaluate import negex

    _run_eval(negex, tsv, as_json)


@evaluate.command("trec")
@click.argument("folder", required=False)
@click.option("--json", "as_json", is_flag=True)
def evaluate_trec(folder: Optional[str], as_json: bool) -> None:
    """Status (eligible kept, non-eligible caught) and per-topic ranking on TREC CT judged topic-trial pairs."""
    from .evaluate import trec

    _run_eval(trec, folder, as_json)


@evaluate.command("facts")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--pred", required=True, type=click.Path(exists=True),
              help="Predictions: a brat folder (e.g. from `extract --format brat`) or a notes file "
                   "to extract.")
@click.option("--json", "as_json", is_flag=True)
def evaluate_facts(gold_dir: str, pred: str, as_json: bool) -> None:
    """Facts against brat gold in GOLD_DIR: span P/R/F1 per concept, assertion flag accuracy."""
    from .evaluate import facts

    try:
        result = facts.evaluate_folder(Path(gold_dir), Path(pred))
    except TrialsieveError as err:
        _fail(str(err))
    click.echo(json.dumps(result, indent=2, default=str) if as_json else facts.render(result))


def _run_eval(module, path: Optional[str], as_json: bool) -> None:
    try:
        result = module.run(Path(path) if path else None)
    except TrialsieveError as err:
        _fail(str(err))
    click.echo(json.dumps(result, indent=2, default=str) if as_json else module.render(result))


@main.command()
@click.option("--chia", "chia_dir", type=click.Path(exists=True, file_okay=False), help="Chia corpus folder.")
@click.option("--out", type=click.Path(), help="Model output folder (default: models/computability).")
def train(chia_dir: Optional[str], out: Optional[str]) -> None:
    """Train the criterion computability/category classifier from Chia annotations."""
    from .train import train_computability

    report = train_computability(Path(chia_dir) if chia_dir else None, Path(out) if out else None)
    click.echo(report)


from .cli_store import COMMANDS as _STORE_COMMANDS  # noqa: E402  (index, screen, note-nlp)

for _command in _STORE_COMMANDS:
    main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    main()
