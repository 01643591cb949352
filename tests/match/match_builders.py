"""Test helpers: builders for hand-made notes, facts and criteria (matcher tests never need the NLP pipeline), and
``screened``, one listing line against notes through the whole pipeline."""
from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline.lexicon import load_lexicon
from pipeline.schema import Constraint, Criterion, Cue, Fact, LogicNode, Note, TrialCriteria

AS_OF = dt.date(2025, 9, 1)


def note(text: str, *, pid: str = "p1", nid: str = "n1", date: dt.date = dt.date(2025, 8, 25), note_type: str = "progress") -> Note:
    return Note(patient_id=pid, note_id=nid, date=date, note_type=note_type, text=text)


def fact(n: Note, quote: str, concept: str, *, value: Any = None, unit: str | None = None, date: dt.date | None = None,
         occurrence: int = 0, cue: str | None = None, **kw: Any) -> Fact:
    """A fact quoting ``quote`` from note ``n`` (its ``occurrence``-th appearance)."""
    start = -1
    for _ in range(occurrence + 1):
        start = n.text.index(quote, start + 1)
    cues = []
    if cue:
        cs = n.text.index(cue)
        cues = [Cue(category="NEGATED_EXISTENCE" if kw.get("negated") else "POLARITY", text=cue, start=cs, end=cs + len(cue))]
    lex = load_lexicon()
    classes = list(lex.classes_of(concept)) if concept in lex else []
    kw = _typed(kw.pop("attributes", {}), kw)
    return Fact(patient_id=n.patient_id, note_id=n.note_id, date=date or n.date, note_date=n.date, concept=concept,
                text=quote, start=start, end=start + len(quote), value=value, unit=unit, classes=classes, cues=cues, **kw)


_THERAPY = ("start_date", "last_dose_date", "cycles", "response")
_READING = ("uln", "ref_low", "ref_high", "ecog", "scale", "raw_value", "raw_unit", "timepoint")


def _typed(attrs: dict[str, Any], kw: dict[str, Any]) -> dict[str, Any]:
    """Detail given the short way (``attributes={"last_dose_date": "2025-07-01"}``) as the typed fields of a fact."""
    from pipeline.schema import Reading, Therapy

    kw = dict(kw)
    therapy = {k: (dt.date.fromisoformat(v) if k.endswith("date") else v) for k, v in attrs.items() if k in _THERAPY}
    reading = {k: v for k, v in attrs.items() if k in _READING}
    if therapy:
        kw["therapy"] = Therapy(**therapy)
    if reading:
        kw["reading"] = Reading(**reading)
    if "on_therapy" in attrs:
        kw["on_therapy"] = [attrs["on_therapy"]]
    for k in ("method", "site"):
        if k in attrs:
            kw[k] = attrs[k]
    unknown = set(attrs) - set(_THERAPY) - set(_READING) - {"on_therapy", "method", "site"}
    assert not unknown, f"no typed field for {unknown}"
    return kw


def constraint(cid: str, concept: str, **kw: Any) -> Constraint:
    text = kw.pop("text", concept)
    return Constraint(id=cid, concept=concept, text=text, start=0, end=len(text), **kw)


def criterion(cid: str, kind: str, constraints: list[Constraint], *, logic: LogicNode | None = None,
              category: str = "other", computable: bool = True, text: str = "") -> Criterion:
    text = text or f"criterion {cid}"
    return Criterion(id=cid, kind=kind, text=text, start=0, end=len(text), computable=computable, category=category,
                     logic=logic, constraints=constraints)


def trial(*criteria: Criterion, targets: tuple[str, ...] = ()) -> TrialCriteria:
    """A trial of these criteria, with each constraint's context decided from the criterion text (as the
    listing parser does)."""
    from pipeline.extract.criteria_context import with_context

    text = "\n".join(c.text for c in criteria) or "x"
    decided = [with_context(c, text, set(targets)) for c in criteria]
    return TrialCriteria(trial_id="NCT00000000", source="<test>", text=text, criteria=decided, target_concepts=list(targets))


def refined(notes: list[Note], facts: list[Fact]) -> list[Fact]:
    """Hand-made facts with everything extraction decides from the note text (``fact_context.refine_facts``),
    plus each note's statements, as ``extract`` gives them to the matcher."""
    from pipeline.extract.facts import _method_aliases
    from pipeline.extract.fact_context import refine_facts

    by_note = {(n.patient_id, n.note_id): n for n in notes}
    out: list[Fact] = []
    for key, n in by_note.items():
        mine = [f for f in facts if (f.patient_id, f.note_id) == key]
        out += refine_facts(n, mine, load_lexicon(), _method_aliases())
    out += [f for f in facts if (f.patient_id, f.note_id) not in by_note]
    return out



def verdict_of(c: Constraint, notes: list[Note], facts: list[Fact], *, kind: str = "inclusion", category: str = "other",
               first_dose: dt.date | None = None, as_of: dt.date = AS_OF, text: str = ""):
    """The single criterion verdict of a one-constraint trial for patient p1."""
    from pipeline.match.matcher import match_trial

    results = match_trial(trial(criterion("I1" if kind == "inclusion" else "E1", kind, [c], category=category,
                                          text=text)),
                          notes, refined(notes, facts), as_of=as_of, first_dose=first_dose)
    (result,) = [r for r in results if r.patient_id == "p1"]
    return result.criteria[0]


def match_extracted(t: TrialCriteria, notes: list[Note], facts: list[Fact], **kw: Any):
    """``match_trial`` on hand-made facts after the note-text decisions extraction makes (``refined``)."""
    from pipeline.match.matcher import match_trial

    return match_trial(t, notes, refined(notes, facts), **kw)


def screened(section: str, line: str, *texts: str, start: dt.date = dt.date(2025, 8, 20), as_of: dt.date = AS_OF,
             note_type: str = "progress note"):
    """The verdict on a one-line listing ('Exclusion', 'BP > 150/95') for one patient whose notes are ``texts``,
    written a day apart from ``start``: parsed, extracted and matched as a user's run does."""
    from pipeline.extract.criteria import parse_criteria_text
    from pipeline.extract.facts import extract
    from pipeline.match.matcher import match_trial

    listing = parse_criteria_text(f"{section} Criteria:\n- {line}\n")
    notes = [Note(patient_id="p", note_id=f"n{i}", date=start + dt.timedelta(days=i), note_type=note_type, text=t)
             for i, t in enumerate(texts)]
    (result,) = match_trial(listing, notes, list(extract(notes)), as_of=as_of)
    return result.criteria[0]
