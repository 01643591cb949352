"""The data behind the review page: compact, deduplicated, and only what a reviewer needs.

One entry per patient (counts, the deciding reason, the verdicts in trial order, each with its evidence
grouped by the sub-condition it backs), the trial's criteria once, reason fragments once in a string
table, and the notes behind the evidence: of patients who are not ineligible by default, of everyone
with ``include_ineligible``, or only the evidence sentences with ``snippets_only`` (for sharing outside
the care team). Offsets are Unicode code points into the note (or the snippet) text.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..lexicon import Lexicon, load_lexicon
from ..schema import Criterion, CriterionVerdict, Evidence, Note, PatientResult, TrialCriteria
from .tables import constraint_summary, verdict_state

STATUS_ORDER = {"eligible": 0, "needs_review": 1, "ineligible": 2}
STATES = ("fail", "open", "manual", "pass")
"""Checklist order: failed criteria, open questions, criteria a person checks by hand, passed ones."""
ASSERTION_CODES = {"affirmed": "", "": "-", "negated": "n", "historical": "h", "hypothetical": "y", "family": "f",
                   "uncertain": "u"}

VALUE_WINDOW = 48
"""How far after a lab's name (code points, same line) its written value is looked for."""
SNIPPET_REACH = 240
"""At most this many code points of sentence on each side of the evidence in a snippet."""
_VALUE = re.compile(r"[ \t:=]*(?:[<>≤≥]=?\s*)?\d+(?:[.,]\d+)?"
                    r"(?:[ \t]{0,12}(?:x\s?10\^?\d+/[A-Za-zµ]+|[A-Za-zµ%][A-Za-z0-9µ%/^*]*))?")
_NUMBER_START = re.compile(r"[<>≤≥]?\s*\d")
_SENTENCE_END = re.compile(r"\n|(?<=[.!?;])\s")


@dataclass(frozen=True)
class ReportOptions:
    """What the page carries: ``include_ineligible`` adds the notes of ineligible patients;
    ``snippets_only`` replaces whole notes by the sentence around each piece of evidence."""

    include_ineligible: bool = False
    snippets_only: bool = False


def written_value(text: str, ev: Evidence) -> tuple[int, str]:
    """(end of the highlight, the value as written): a numeric fact's mention ("Hb") and the number
    written after it on the same line ("Hb 12.8 g/dL"), so the highlight covers mention and value."""
    if not isinstance(ev.value, (int, float)) or ev.end > len(text):
        return ev.end, ""
    quote = text[ev.start:ev.end]
    if any(ch.isdigit() for ch in quote):
        return ev.end, quote
    line_end = text.find("\n", ev.end)
    window = text[ev.end:min(ev.end + VALUE_WINDOW, line_end if line_end >= 0 else len(text))]
    m = _VALUE.match(window)
    if not m or not _NUMBER_START.search(m.group()):
        return ev.end, ""
    return ev.end + m.end(), m.group().lstrip(" \t:=")


def snippet_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around ``text[start:end]``, at most ``SNIPPET_REACH`` each side."""
    lo = max(0, start - SNIPPET_REACH)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
    s0 = ends[-1] if ends else lo
    m = _SENTENCE_END.search(text, end, min(len(text), end + SNIPPET_REACH))
    s1 = m.start() if m else min(len(text), end + SNIPPET_REACH)
    return s0, max(s1, end)


def patient_counts(result: PatientResult) -> dict[str, int]:
    """What the list and the table count: inclusions met, exclusions clear, open, failed, by hand."""
    states = [verdict_state(v.kind, v.verdict) for v in result.criteria]
    inc = [s for v, s in zip(result.criteria, states) if v.kind == "inclusion" and s != "manual"]
    exc = [s for v, s in zip(result.criteria, states) if v.kind == "exclusion" and s != "manual"]
    return {"inc_met": inc.count("pass"), "inc_total": len(inc), "exc_clear": exc.count("pass"),
            "exc_total": len(exc), "open": states.count("open"), "failed": states.count("fail"),
            "manual": states.count("manual"),
            "backed": sum(1 for v, s in zip(result.criteria, states) if s == "pass" and v.evidence)}


def deciding_reason(result: PatientResult, counts: dict[str, int]) -> str:
    """The one line that decides the patient: the failed criteria, the open questions with what it
    takes to resolve them, or what passed and what is left to check by hand."""
    line = " | ".join(result.reasons)
    if result.status == "eligible" and counts["manual"]:
        line += f"; {counts['manual']} to check by hand"
    return line


def triage_order(results: Sequence[PatientResult]) -> list[PatientResult]:
    """The matcher's order, with its ties broken for a reviewer: among patients of equal status, score
    and open questions, the one with more passed criteria confirmed by evidence in the notes first, then
    the one with fewer criteria left to check by hand, then the freshest evidence."""
    def key(r: PatientResult) -> tuple:
        c = patient_counts(r)
        latest = max((e.date.toordinal() for v in r.criteria for e in v.evidence if e.date), default=0)
        return (STATUS_ORDER[r.status], -r.score, c["open"], -c["backed"], c["manual"], -latest, r.rank,
                r.patient_id)

    return sorted(results, key=key)


class _Strings:
    """Reason fragments stored once: the same "; "-separated parts repeat across patients."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def ids(self, text: str) -> list[int]:
        out = []
        for part in text.split("; ") if text else []:
            if part not in self._index:
                self._index[part] = len(self.items)
                self.items.append(part)
            out.append(self._index[part])
        return out


def _sub_of(ev: Evidence, criterion: Criterion | None, lexicon: Lexicon) -> int:
    """Index of the criterion's constraint the evidence backs (-1: none named it)."""
    if criterion is None or not criterion.constraints:
        return -1
    if len(criterion.constraints) == 1:
        return 0
    for i, c in enumerate(criterion.constraints):
        if ev.concept and (ev.concept == c.concept or lexicon.is_a(ev.concept, c.concept)):
            return i
    return -1


class _PatientBuilder:
    """One patient's evidence table, verdicts and embedded note texts.

    A piece of evidence is a short array, trailing defaults left off: ``[doc, start, end, value length,
    value, unit, value as written, assertion, date, section, cue, quote]`` where ``doc`` indexes the
    patient's ``docs`` (note ids, or snippet keys), the date is left out when it is the note's own, the
    cue is ``[start, end]`` (plus its text when the note is not on the page) and the quote is given only
    when the note is not on the page (otherwise the page reads it from the note)."""

    def __init__(self, notes: dict[str, Note], embed: bool, snippets: bool) -> None:
        self.notes, self.embed, self.snippets = notes, embed, snippets
        self.evidence: list[list[Any]] = []
        self.docs: list[str] = []
        self.texts: dict[str, list[Any]] = {}
        self._seen: dict[str, int] = {}

    def _doc(self, key: str) -> int:
        if key not in self.docs:
            self.docs.append(key)
        return self.docs.index(key)

    def add(self, ev: Evidence) -> int:
        key = ev.model_dump_json()
        if key in self._seen:
            return self._seen[key]
        note = self.notes.get(ev.source_id)
        shown = self.embed and note is not None and note.text[ev.start:ev.end] == ev.text
        source, start, end, vend, written, base = ev.source_id, ev.start, ev.end, ev.end, "", 0
        if note is not None and note.text[ev.start:ev.end] == ev.text:
            vend, written = written_value(note.text, ev)
        if shown and note is not None:
            if self.snippets:
                lo = min(ev.start, ev.cue.start if ev.cue else ev.start)
                hi = max(vend, ev.cue.end if ev.cue else vend)
                # evidence spanning sentences (a whole note cited for what it does not say): its first one only
                first = _SENTENCE_END.search(note.text, lo + 1, hi)
                base, s1 = snippet_bounds(note.text, lo, first.start() if first else hi)
                end, vend = min(end, s1), min(vend, s1)
                if ev.cue is not None and ev.cue.end > s1:
                    ev = ev.model_copy(update={"cue": None})
                source = f"{ev.source_id}@{base}-{s1}"
                self.texts.setdefault(source, [note.date.isoformat(), note.note_type, note.text[base:s1], ev.source_id])
            else:
                self.texts.setdefault(source, [note.date.isoformat(), note.note_type, note.text])
        cue: Any = 0
        if ev.cue is not None:
            cue = [ev.cue.start - base, ev.cue.end - base] + ([] if shown else [ev.cue.text])
        value = round(ev.value, 4) if isinstance(ev.value, float) else ev.value
        date = ev.date.isoformat() if ev.date else ""
        if shown and note is not None and date == note.date.isoformat():
            date = ""
        row: list[Any] = [self._doc(source), start - base, end - base, vend - end, value, ev.unit or "", written,
                          ASSERTION_CODES.get(ev.assertion or "", ev.assertion or ""), date, ev.section or "", cue,
                          "" if shown else ev.text]
        while len(row) > 5 and row[-1] in ("", 0, None):
            row.pop()
        shown_key = json.dumps(row)  # the same mention cited for several criteria (or concepts) is stored once
        if shown_key not in self._seen:
            self._seen[shown_key] = len(self.evidence)
            self.evidence.append(row)
        self._seen[key] = self._seen[shown_key]
        return self._seen[key]


def _verdict_row(v: CriterionVerdict, criterion: Criterion | None, builder: _PatientBuilder,
                 strings: _Strings, lexicon: Lexicon) -> list[Any]:
    groups: dict[int, list[int]] = {}
    for ev in v.evidence:
        groups.setdefault(_sub_of(ev, criterion, lexicon), []).append(builder.add(ev))
    return [STATES.index(verdict_state(v.kind, v.verdict)), strings.ids(v.reason),
            [[sub, *idx] for sub, idx in sorted(groups.items())]]


def report_data(trial: TrialCriteria, results: Sequence[PatientResult], notes: Sequence[Note],
                options: ReportOptions = ReportOptions()) -> dict[str, Any]:
    """The JSON the page's script reads (see the module docstring)."""
    lexicon = load_lexicon()
    by_patient: dict[str, dict[str, Note]] = {}
    for n in notes:
        by_patient.setdefault(n.patient_id, {})[n.note_id] = n
    criteria = {c.id: c for c in trial.criteria}
    strings = _Strings()
    patients, texts = [], {}
    for pos, r in enumerate(triage_order(results), 1):
        embed = r.status != "ineligible" or options.include_ineligible
        builder = _PatientBuilder(by_patient.get(r.patient_id, {}), embed, options.snippets_only)
        verdicts = {v.criterion_id: _verdict_row(v, criteria.get(v.criterion_id), builder, strings, lexicon)
                    for v in r.criteria}
        counts = patient_counts(r)
        patients.append({"id": r.patient_id, "status": r.status, "score": r.score, "rank": r.rank, "pos": pos,
                         "why": deciding_reason(r, counts), "n": counts, "docs": builder.docs, "ev": builder.evidence,
                         "v": [verdicts.get(c.id) for c in trial.criteria],
                         "notes_left_out": bool(r.criteria) and not embed})
        if builder.texts:
            texts[r.patient_id] = builder.texts
    return {
        "trial": trial.trial_id,
        "criteria": [{"id": c.id, "kind": c.kind, "text": c.text, "category": c.category,
                      "subs": [constraint_summary(k) for k in c.constraints]} for c in trial.criteria],
        "strings": strings.items, "patients": patients, "notes": texts, "snippets": options.snippets_only,
    }
