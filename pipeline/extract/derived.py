"""Values computed from other facts of the same note, when the note does not state them: body mass index from
a weight and a height written close together ("Wt 82 kg, Ht 175 cm"), and the Cockcroft-Gault creatinine
clearance from the note's creatinine, age, weight and sex (the "calculated creatinine clearance" of listings).

The derived fact quotes the note from the first mention to the end of the second value, so its evidence shows
both numbers, and carries a ``DERIVED`` cue naming what it was computed from."""
from __future__ import annotations

from dateutil.relativedelta import relativedelta

from ..schema import Cue, Fact, Note
from . import values as V

MAX_GAP = 80
"""Characters between the weight and the height: further apart, they may not belong to the same visit."""


def _value_end(text: str, f: Fact, unit: str) -> int | None:
    v = V.lab_value(text, f.end, min(len(text), f.end + 40), f.concept, unit)
    return v.end if v is not None and v.value == f.value else None


def derived_facts(note: Note, facts: list[Fact]) -> list[Fact]:
    """BMI and creatinine clearance, each only when the note states none of its own."""
    return _bmi(note, facts) + _creatinine_clearance(note, facts)


UMOL_PER_MG_DL = 88.4
"""Creatinine: umol/L in one mg/dL."""


def _censored(f: Fact) -> bool:
    """A value known only as a bound ('creatinine < 30'): no number to compute with."""
    return f.reading is not None and f.reading.comparator is not None


def _creatinine_clearance(note: Note, facts: list[Fact]) -> list[Fact]:
    """Cockcroft-Gault: (140 - age) x weight (kg) [x 0.85 for a woman] / (72 x creatinine mg/dL), from the
    note's latest creatinine and its stated age (or date of birth), weight and sex."""
    if any(f.concept == "creatinine_clearance" for f in facts):
        return []
    usable = [f for f in facts if f.affirmed and f.statement is None and not _censored(f)]
    creat = [f for f in usable if f.concept == "creatinine" and f.unit == "umol/L" and isinstance(f.value, float)
             and f.value > 0]
    weight = [f for f in usable if f.concept == "body_weight" and f.unit == "kg" and isinstance(f.value, float)
              and 30 <= f.value <= 250]
    sex = [f for f in usable if f.concept == "sex" and f.value in ("male", "female")]
    ages = [float(f.value) for f in usable if f.concept == "age" and isinstance(f.value, float)]
    ages += [float(relativedelta(note.date, f.birth_date).years) for f in usable
             if f.concept == "age" and f.birth_date is not None]
    ages = [a for a in ages if 18 <= a <= 110]
    if not (creat and weight and sex and ages) or len({f.value for f in sex}) > 1:
        return []
    c = creat[-1]
    end = _value_end(note.text, c, "umol/L")
    if end is None:
        return []
    mg_dl = float(c.value or 0) / UMOL_PER_MG_DL
    value = (140 - ages[-1]) * float(weight[-1].value or 0) * (0.85 if sex[0].value == "female" else 1.0) / (72 * mg_dl)
    quote = note.text[c.start:end]
    return [Fact(
        patient_id=note.patient_id, note_id=note.note_id, date=c.date, concept="creatinine_clearance", text=quote,
        start=c.start, end=end, section=c.section, value=round(value, 1), unit="mL/min", note_date=note.date,
        cues=[Cue(category="DERIVED", text=quote, start=c.start, end=end)],
    )]


def _bmi(note: Note, facts: list[Fact]) -> list[Fact]:
    """BMI from the note's weight (kg) and height (cm) when it states no BMI of its own."""
    if any(f.concept == "bmi" for f in facts):
        return []
    usable = [f for f in facts if f.affirmed and isinstance(f.value, float) and f.statement is None
              and not _censored(f)]
    weights = [f for f in usable if f.concept == "body_weight" and f.unit == "kg"]
    heights = [f for f in usable if f.concept == "height" and f.unit == "cm" and float(f.value or 0) > 0]
    out: list[Fact] = []
    for w in weights:
        near = [h for h in heights if abs(h.start - w.start) <= MAX_GAP and h.date == w.date]
        if not near:
            continue
        h = min(near, key=lambda x: abs(x.start - w.start))
        first, last = (w, h) if w.start < h.start else (h, w)
        end = _value_end(note.text, last, str(last.unit))
        if end is None or "\n\n" in note.text[first.start:end]:
            continue
        bmi = round(float(w.value or 0) / (float(h.value or 1) / 100) ** 2, 1)
        quote = note.text[first.start:end]
        out.append(Fact(
            patient_id=note.patient_id, note_id=note.note_id, date=w.date, concept="bmi", text=quote,
            start=first.start, end=end, section=w.section, value=bmi, unit="kg/m2", note_date=note.date,
            cues=[Cue(category="DERIVED", text=quote, start=first.start, end=end)],
        ))
        break  # one BMI per note: the first weight with a height next to it
    return out
