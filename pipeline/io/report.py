"""The review page: one self-contained HTML file (inline CSS and JS, no network) for a coordinator.

Trial criteria, a triage list of patients (deciding reason, counts, filters, search, sort, keyboard,
a "reviewed" mark and comment kept in the browser, CSV export), and per patient a checklist with failed
and open criteria first, every sub-condition with its own evidence; clicking a piece of evidence shows
the note it rests on with mention and value in ``<mark>`` and the assertion cue underlined. The page is
drawn by its script from embedded JSON (``report_data``): selecting a patient replaces everything shown
for the previous one. All text is escaped by Jinja2 (autoescape for markup, ``tojson`` for the data)
and written into the page with ``textContent`` only.
"""
from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ..schema import Fact, Note, PatientResult, TrialCriteria
from .outputs import atomic_output
from .report_data import ReportOptions, report_data
from .tables import SCORE_NOTE, constraint_summary

__all__ = ["ReportOptions", "read_page_data", "render_report", "report_data", "write_report"]
DATA_OPEN = '<script id="report-data" type="application/gzip+base64">'


def _env() -> Environment:
    return Environment(loader=PackageLoader("pipeline", "io/templates"),
                       autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def page_data(data: object) -> str:
    """The page's data as gzip-compressed JSON in base64 (the browser inflates it with its own
    ``DecompressionStream``): a page of 1,000 patients weighs about a fifth of its JSON. Base64 needs no
    escaping inside ``<script>``; ``mtime=0`` keeps the same input giving the same file."""
    raw = json.dumps(data, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


def read_page_data(page: str) -> dict[str, Any]:
    """The data embedded in a review page (for tests and tools that read a page back)."""
    start = page.index(DATA_OPEN) + len(DATA_OPEN)
    blob = page[start:page.index("</script>", start)]
    return dict(json.loads(gzip.decompress(base64.b64decode(blob))))


def render_report(trial: TrialCriteria, results: Sequence[PatientResult], notes: Sequence[Note],
                  facts: Sequence[Fact] = (), *, as_of: dt.date, options: ReportOptions | None = None) -> str:
    """The page as a string (``facts`` is accepted for callers that have them; the verdicts' evidence
    already carries what the page shows)."""
    options = options or ReportOptions()
    counts = {s: sum(1 for r in results if r.status == s) for s in ("eligible", "needs_review", "ineligible")}
    summaries = {c.id: "; ".join(constraint_summary(k) for k in c.constraints) or (c.reason or "")
                 for c in trial.criteria}
    if options.snippets_only:
        notes_note = "evidence sentences only (no whole notes)"
    elif options.include_ineligible:
        notes_note = "notes behind the evidence of every patient"
    else:
        notes_note = "notes behind the evidence of eligible and needs-review patients"
    template = _env().get_template("report.html.j2")
    return template.render(trial=trial, n_patients=len(results), as_of=as_of.isoformat(), counts=counts,
                           summaries=summaries, n_computable=sum(1 for c in trial.criteria if c.computable),
                           notes_note=notes_note, score_note=SCORE_NOTE,
                           data_open=Markup(DATA_OPEN),
                           data=page_data(report_data(trial, results, notes, options)))


def write_report(path: Path | str, trial: TrialCriteria, results: Sequence[PatientResult], notes: Sequence[Note],
                 facts: Sequence[Fact] = (), *, as_of: dt.date, options: ReportOptions | None = None) -> Path:
    """Write the review page to ``path`` (parent folders are created; the file appears only when complete)."""
    path = Path(path)
    page = render_report(trial, results, notes, facts, as_of=as_of, options=options)
    with atomic_output(path) as fh:
        fh.write(page)
    return path
