"""The ``trialsieve`` command: parse arguments, call the API, print. No logic lives here."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import sys
from pathlib import Path
from typing import Iterable, Optional

import click

from .errors import E, TrialsieveError
from .schema import Problem

log = logging.getLogger("pipeline")


def _setup_logging(verbose: int) -> None:
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _open_out(out: Optional[str]):
    if not out:
        return contextlib.nullcontext(sys.stdout)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    return open(out, "w", encoding="utf-8")


def _report_problems(problems: Iterable[Problem], what: str = "records") -> None:
    problems = list(problems)
    for p in problems:
        click.echo(f"error: {p.message}", err=True)
    if problems:
        by_code: dict[str, int] = {}
        for p in problems:
            by_code[p.code] = by_code.get(p.code, 0) + 1
        summary = ", ".join(f"{n} x {c}" for c, n in sorted(by_code.items()))
        click.echo(f"skipped {len(problems)} {what} ({summary})", err=True)


def _parse_date(value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as err:
        raise click.BadParameter(E.E031.format(value=value)) from err


def _listing_paths(paths: Iterable[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.iterdir() if q.suffix.lower() in (".txt", ".json", ".html", ".htm", ".md")))
        else:
            out.append(p)
    return out


@click.group()
@click.option("-v", "--verbose", count=True, help="More log output (never note text).")
@click.version_option(package_name="trialsieve")
def main(verbose: int) -> None:
    """trialsieve: screen clinical notes against a trial's eligibility criteria, with evidence."""
    _setup_logging(verbose)


@main.command()
@click.argument("listings", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write here instead of standard output.")
def criteria(listings: tuple[str, ...], fmt: str, out: Optional[str]) -> None:
    """Parse trial LISTINGS (web-page text, plain criteria, CT.gov v2 JSON, or folders of them)."""
    from .extract.criteria import parse_listing
    from .io.tables import criteria_table

    paths = _listing_paths(listings)
    many = len(paths) > 1
    problems: list[Problem] = []
    with _open_out(out) as fh:
        for path in paths:
            try:
                trial = parse_listing(path)
            except TrialsieveError as err:
                problems.append(Problem(path=str(path), code=str(err)[1:5], message=str(err)))
                continue
            if fmt == "table":
                fh.write(criteria_table(trial) + "\n")
            elif many:
                fh.write(trial.to_json() + "\n")
            else:
                fh.write(json.dumps(trial.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n")
    _report_problems(problems, "listings")
    if problems and len(problems) == len(paths):
        sys.exit(1)


def _load_user_lexicon(lexicon: Optional[str]):
    if not lexicon:
        return []
    from .lexicon import read_user_lexicon

    return read_user_lexicon(lexicon)


def _read_notes_or_exit(notes_path: str):
    from .io.notes import read_notes

    try:
        notes, problems = read_notes(notes_path)
    except TrialsieveError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    return notes, problems


@main.command()
@click.argument("notes_path", metavar="NOTES")
@click.option("--out", type=click.Path(dir_okay=False), help="Write facts (JSONL) here instead of standard output.")
@click.option("--lexicon", type=click.Path(exists=True, dir_okay=False), help="Extra concepts: JSONL {concept, phrase}.")
@click.option("--processes", "-j", type=int, default=1, show_default=True, help="Worker processes.")
def extract(notes_path: str, out: Optional[str], lexicon: Optional[str], processes: int) -> None:
    """Extract facts (with assertion and evidence spans) from NOTES (.jsonl or .csv)."""
    from .extract.facts import extract as run_extract

    try:
        user = _load_user_lexicon(lexicon)
    except TrialsieveError as err:
        raise click.UsageError(str(err)) from err
    notes, problems = _read_notes_or_exit(notes_path)
    n = 0
    with _open_out(out) as fh:
        for fact in run_extract(notes, user_entries=user, n_process=processes):
            fh.write(fact.to_json() + "\n")
            n += 1
    click.echo(f"{len(notes)} notes, {n} facts", err=True)
    _report_problems(problems, "note records")


@main.command()
@click.argument("listing", type=click.Path())
@click.argument("notes_path", metavar="NOTES")
@click.option("--as-of", "as_of", help="Date the screening applies to (YYYY-MM-DD); default: latest note date.")
@click.option("--first-dose", "first_dose", help="Planned first dose date (YYYY-MM-DD); default: as-of date.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write patient results (JSONL) here.")
@click.option("--report", type=click.Path(dir_okay=False), help="Write a self-contained HTML review page here.")
@click.option("--lexicon", type=click.Path(exists=True, dir_okay=False), help="Extra concepts: JSONL {concept, phrase}.")
@click.option("--processes", "-j", type=int, default=1, show_default=True)
def match(listing: str, notes_path: str, as_of: Optional[str], first_dose: Optional[str], out: Optional[str],
          report: Optional[str], lexicon: Optional[str], processes: int) -> None:
    """Score every patient in NOTES against the criteria of LISTING, best candidates first."""
    from .extract.criteria import parse_listing
    from .extract.facts import extract as run_extract
    from .io.tables import results_table
    from .match.matcher import match_trial

    try:
        trial = parse_listing(Path(listing))
        user = _load_user_lexicon(lexicon)
    except TrialsieveError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    notes, problems = _read_notes_or_exit(notes_path)
    facts = list(run_extract(notes, user_entries=user, n_process=processes))
    as_of_date = _parse_date(as_of) or max((n.date for n in notes), default=dt.date.today())
    results = match_trial(trial, notes, facts, as_of=as_of_date, first_dose=_parse_date(first_dose), user_entries=user)
    if out:
        with _open_out(out) as fh:
            for r in results:
                fh.write(r.to_json() + "\n")
    if report:
        from .io.report import write_report

        write_report(Path(report), trial, results, notes, facts, as_of=as_of_date)
        click.echo(f"review page: {report}", err=True)
    click.echo(results_table(trial, results))
    _report_problems(problems, "note records")


@main.group()
def evaluate() -> None:
    """Measure accuracy against gold data (cohort, chia, negex)."""


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


def _run_eval(module, path: Optional[str], as_json: bool) -> None:
    try:
        result = module.run(Path(path) if path else None)
    except TrialsieveError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
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
