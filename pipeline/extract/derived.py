"""Values computed from other facts of the same note, when the note does not state them: body mass index from
a weight and a height written close together ("Wt 82 kg, Ht 175 cm").

The derived fact quotes the note from the first mention to the end of the second value, so its evidence shows
both numbers, and carries a ``DERIVED`` cue naming what it was computed from."""
from __future__ import annotations

from ..schema import Cue, Fact, Note
from . import values as V

MAX_GAP = 80
"""Characters between the weight and the height: further apart, they may not belong to the same visit."""


def _value_end(text: str, f: Fact, unit: str) -> int | None:
    v = V.lab_value(text, f.end, min(len(text), f.end + 40), f.concept, unit)
    return v.end if v is not None and v.value == f.value else None


def derived_facts(note: Note, facts: list[Fact]) -> list[Fact]:
    """BMI from the note's weight (kg) and height (cm) when it states no BMI of its own."""
    if any(f.concept == "bmi" for f in facts):
        return []
    usable = [f for f in facts if f.affirmed and isinstance(f.value, float) and f.statement is None]
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
