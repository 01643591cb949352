"""The review page: one self-contained HTML file (inline CSS and JS, no network) for a coordinator.

Trial criteria, ranked patients, a verdict checklist per patient; clicking a verdict shows the note
it rests on with the evidence span in ``<mark>`` and the assertion cue underlined. All text is
escaped by Jinja2 (autoescape for markup, ``tojson`` for the embedded note data).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from ..schema import Fact, Note, PatientResult, TrialCriteria
from .outputs import atomic_output
from .tables import constraint_summary

# verdict x kind -> badge: for an exclusion, "met" means the patient is excluded.
_BADGE = {
    "inclusion": {"met": ("pass", "✓"), "not_met": ("fail", "✗"), "unknown": ("unknown", "?"), "not_computable": ("not_computable", "–")},
    "exclusion": {"met": ("fail", "✗"), "not_met": ("pass", "✓"), "unknown": ("unknown", "?"), "not_computable": ("not_computable", "–")},
}


def _env() -> Environment:
    return Environment(loader=PackageLoader("pipeline", "io/templates"), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


def report_data(results: Sequence[PatientResult], notes: Sequence[Note]) -> dict[str, Any]:
    """The JSON the page's script reads: notes of the listed patients, and each verdict's evidence.

    Notes are keyed by patient, then note id (``notes[patient_id][note_id]``): note ids are only
    unique within a patient (many exports number notes N1, N2, ... per patient), and an evidence's
    ``source_id`` names a note of the verdict's own patient. Offsets are Unicode code points; the
    page's script indexes the note by code points, not JavaScript's UTF-16 units.
    """
    pids = {r.patient_id for r in results}
    note_map: dict[str, dict[str, Any]] = {}
    for n in notes:
        if n.patient_id in pids:
            note_map.setdefault(n.patient_id, {})[n.note_id] = {"date": n.date.isoformat(), "type": n.note_type, "text": n.text}
    verdicts: dict[str, dict[str, Any]] = {}
    for r in results:
        verdicts[r.patient_id] = {
            v.criterion_id: {"verdict": v.verdict, "reason": v.reason,
                             "evidence": [e.model_dump(mode="json") for e in v.evidence]}
            for v in r.criteria
        }
    return {"notes": note_map, "verdicts": verdicts}


def render_report(trial: TrialCriteria, results: Sequence[PatientResult], notes: Sequence[Note],
                  facts: Sequence[Fact] = (), *, as_of: dt.date) -> str:
    counts = {s: sum(1 for r in results if r.status == s) for s in ("eligible", "needs_review", "ineligible")}
    badge = {k: {v: {"css": css, "icon": icon} for v, (css, icon) in table.items()} for k, table in _BADGE.items()}
    summaries = {c.id: "; ".join(constraint_summary(k) for k in c.constraints) or (c.reason or "") for c in trial.criteria}
    template = _env().get_template("report.html.j2")
    return template.render(trial=trial, results=list(results), as_of=as_of.isoformat(), counts=counts, badge=badge,
                           summaries=summaries, n_computable=sum(1 for c in trial.criteria if c.computable),
                           data=report_data(results, notes))


def write_report(path: Path | str, trial: TrialCriteria, results: Sequence[PatientResult], notes: Sequence[Note],
                 facts: Sequence[Fact] = (), *, as_of: dt.date) -> Path:
    """Write the review page to ``path`` (parent folders are created; the file appears only when complete)."""
    path = Path(path)
    page = render_report(trial, results, notes, facts, as_of=as_of)
    with atomic_output(path) as fh:
        fh.write(page)
    return path
