"""Hand-built records for the review-page tests: two patients, a tricky note, evidence with a cue."""
from __future__ import annotations

import datetime as dt

from pipeline.match.matcher import match_trial
from pipeline.schema import (
    Constraint,
    Criterion,
    CriterionVerdict,
    Cue,
    Evidence,
    Fact,
    Note,
    PatientResult,
    TrialCriteria,
)

AS_OF = dt.date(2025, 9, 1)
NOTE_A = ("Screening note <b>bold?</b> & <script>window.__pwned = 1</script>\r\n"
          "PMH: hypertension. No history of tuberculosis.\n"
          "Labs: platelets 180 x10^9/L.")
NOTE_B = "Follow-up \U0001F600\U0001FA7A \U0001D538 caf\u00e9. Platelets 60 x10^9/L today."
"""Astral characters (emoji, mathematical letters: two UTF-16 units each) before the evidence."""
NOTE_ID = "N1"
"""Both patients' notes are numbered N1: note ids are unique within a patient only."""


def _fact(note: Note, quote: str, concept: str, **kw) -> Fact:
    start = note.text.index(quote)
    return Fact(patient_id=note.patient_id, note_id=note.note_id, date=note.date, note_date=note.date, concept=concept,
                text=quote, start=start, end=start + len(quote), **kw)


def build() -> tuple[TrialCriteria, list[PatientResult], list[Note], list[Fact]]:
    a = Note(patient_id="PA", note_id=NOTE_ID, date=dt.date(2025, 8, 25), note_type="screening", text=NOTE_A)
    b = Note(patient_id="PB", note_id=NOTE_ID, date=dt.date(2025, 8, 26), note_type="progress", text=NOTE_B)
    cue_start = NOTE_A.index("No history of")
    facts = [
        _fact(a, "tuberculosis", "tuberculosis", negated=True,
              cues=[Cue(category="NEGATED_EXISTENCE", text="No history of", start=cue_start, end=cue_start + 13)]),
        _fact(a, "platelets 180 x10^9/L", "platelets", value=180.0, unit="10^9/L"),
        _fact(b, "Platelets 60 x10^9/L", "platelets", value=60.0, unit="10^9/L"),
    ]
    text = "Platelets >= 100 <x10^9/L>\nHistory of active tuberculosis"
    criteria = [
        Criterion(id="I1", kind="inclusion", text="Platelets >= 100 <x10^9/L>", start=0, end=26, computable=True, category="laboratory",
                  constraints=[Constraint(id="I1.c1", concept="platelets", text="Platelets >= 100", start=0, end=16, comparator=">=", value=100.0, unit="10^9/L")]),
        Criterion(id="E1", kind="exclusion", text="History of active tuberculosis", start=27, end=57, computable=True, category="infection",
                  constraints=[Constraint(id="E1.c1", concept="tuberculosis", text="tuberculosis", start=45, end=57)]),
    ]
    trial = TrialCriteria(trial_id="NCT00000001", source="<test>", title="Test & <trial>", text=text, criteria=criteria)
    results = match_trial(trial, [a, b], facts, as_of=AS_OF)
    return trial, results, [a, b], facts


# ----------------------------------------------------------------------------- a large, realistic run

LABS = [("hemoglobin", "Hemoglobin", "g/dL", 10.0, "g/L", 100.0), ("wbc", "WBC", "K/uL", 1.0, "10^9/L", 1.0),
        ("anc", "Neutrophils", "K/uL", 1.0, "10^9/L", 1.0), ("platelets", "Platelets", "K/uL", 1.0, "10^9/L", 1.0),
        ("total_bilirubin", "Total bilirubin", "mg/dL", 17.104, "umol/L", 1.0), ("ast", "AST", "U/L", 1.0, "U/L", 1.0),
        ("alt", "ALT", "U/L", 1.0, "U/L", 1.0), ("creatinine", "Creatinine", "mg/dL", 88.4, "umol/L", 1.0),
        ("urea_nitrogen", "BUN", "mg/dL", 10.0, "mg/L", 1.0), ("glucose", "Glucose", "mg/dL", 0.0555, "mmol/L", 1.0),
        ("albumin", "Albumin", "g/dL", 10.0, "g/L", 1.0), ("inr", "INR", "", 1.0, "", 1.0)]
"""(concept, name as written, unit as written, factor to the criterion unit, criterion unit, _)."""
MENTIONS = ["tuberculosis", "hepatitis", "HIV", "hypertension", "hyperlipidemia", "pembrolizumab", "chemoradiation",
            "ECOG 1", "squamous cell carcinoma", "dyspnea", "fever", "chest pain", "former smoker", "colon cancer"]
"""Distinct mentions of the clinic note cited by the criteria (some cited twice, as in real runs)."""
CONDITIONS = ["tuberculosis", "hepatitis_b", "hepatitis_c", "hiv", "interstitial_lung_disease", "autoimmune_disease",
              "myocardial_infarction", "stroke", "organ_transplant", "other_malignancy", "brain_metastases",
              "psychiatric_disorder", "pregnancy", "active_infection", "cetuximab", "anticancer_therapy"]


def _large_trial() -> TrialCriteria:
    criteria, text = [], []
    def add(cid: str, kind: str, words: str, constraints: list[Constraint]) -> None:
        start = sum(len(t) + 1 for t in text)
        text.append(words)
        criteria.append(Criterion(id=cid, kind=kind, text=words, start=start, end=start + len(words), computable=True,
                                  category="laboratory", constraints=constraints))

    def con(cid: str, concept: str, **kw) -> Constraint:
        return Constraint(id=cid, concept=concept, text=concept, start=0, end=len(concept), **kw)

    for i in range(1, 8):
        add(f"I{i}", "inclusion", f"Inclusion criterion number {i} about the disease stage and prior therapy lines.",
            [con(f"I{i}.c1", f"inclusion_concept_{i}")])
    subs = [con(f"I8.c{j}", lab[0], comparator=">=", value=1.0, unit=lab[4]) for j, lab in enumerate(LABS * 2 + LABS[:2], 1)]
    add("I8", "inclusion", "Normal major organ function within 2 weeks prior to treatment: " + "; ".join(c.concept for c in subs), subs)
    for i, concept in enumerate(CONDITIONS, 1):
        add(f"E{i}", "exclusion", f"History of {concept.replace('_', ' ')} or any related condition requiring treatment.",
            [con(f"E{i}.c1", concept)])
    return TrialCriteria(trial_id="NCT09999999", source="<generated>", title="A generated trial", text="\n".join(text),
                         criteria=criteria)


def _large_patient(i: int, trial: TrialCriteria, rng) -> tuple[PatientResult, list[Note]]:
    pid = f"PT{i:05d}"
    day = dt.date(2025, 8, 1) + dt.timedelta(days=rng.randrange(25))
    clinic = (f"Oncology clinic note for patient {pid}. {rng.randrange(40, 80)} yo with recurrent squamous cell carcinoma "
              "of the head and neck, treated with chemoradiation and later pembrolizumab, progressing on imaging. "
              "ECOG 1. Denies chest pain, dyspnea or fever. PMH: hypertension, hyperlipidemia. No history of "
              "tuberculosis, hepatitis or HIV. Social: former smoker, 20 pack-years. Plan: discuss trial options, "
              "repeat labs, restaging CT in four weeks. Family history of colon cancer in father.\n") * 2
    # words of this patient only (as real notes differ from patient to patient): nothing to compress away
    clinic += " ".join("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(2, 10)))
                       for _ in range(120)) + ".\n"
    lab_lines, spans = [], []
    pos = 0
    for concept, name, unit, factor, cunit, _ in LABS:
        value = round(rng.uniform(1, 300) / 10, 1)
        line = f"{name:<28}{value:<10}{unit:<8}ref {round(value * 0.8, 1)}-{round(value * 1.3, 1)}\n"
        spans.append((concept, pos, pos + len(name), round(value * factor, 4), cunit))
        lab_lines.append(line)
        pos += len(line)
    labs = "Laboratory report\n" + "".join(lab_lines)
    spans = [(c, s + len("Laboratory report\n"), e + len("Laboratory report\n"), v, u) for c, s, e, v, u in spans]
    notes = [Note(patient_id=pid, note_id=f"{pid}-N1", date=day, note_type="oncology progress note", text=clinic),
             Note(patient_id=pid, note_id=f"{pid}-N2", date=day, note_type="lab report", text=labs)]
    status = rng.choice(["eligible"] * 3 + ["needs_review"] * 3 + ["ineligible"] * 4)
    failed = rng.choice([c.id for c in trial.criteria]) if status == "ineligible" else None
    open_ = rng.choice([c.id for c in trial.criteria]) if status == "needs_review" else None
    verdicts = []
    for c in trial.criteria:
        if c.id == "I8":
            ev = [Evidence(source_id=f"{pid}-N2", start=s, end=e, text=labs[s:e], concept=con, value=v, unit=u, date=day,
                           assertion="affirmed") for con, s, e, v, u in spans]
            reason = "; ".join(f"{con.replace('_', ' ')} {v:g} {u} on {day}; criterion >= 1" for con, _, _, v, u in spans)
        else:
            word = MENTIONS[len(verdicts) % len(MENTIONS)]
            start, cue = clinic.index(word), clinic.index("No history of")
            negated = start > cue and word in ("tuberculosis", "hepatitis", "HIV")
            ev = [Evidence(source_id=f"{pid}-N1", start=start, end=start + len(word), text=word,
                           concept=c.constraints[0].concept, date=day, assertion="negated" if negated else "affirmed",
                           cue=Cue(category="NEGATED_EXISTENCE", text="No history of", start=cue, end=cue + 13) if negated else None)]
            reason = (f"{c.constraints[0].concept.replace('_', ' ')} not mentioned; the clinician notes' medical history "
                      f"does not mention it (oncology progress note {pid}-N1 {day})")
        good = "met" if c.kind == "inclusion" else "not_met"
        bad = "not_met" if c.kind == "inclusion" else "met"
        verdict = bad if c.id == failed else "unknown" if c.id == open_ else good
        verdicts.append(CriterionVerdict(criterion_id=c.id, kind=c.kind, text=c.text, start=c.start, end=c.end,
                                         verdict=verdict, evidence=ev, reason=reason))
    reasons = ([f"fails {failed}: {verdicts[-1].reason}"] if failed else
               [f"1 unknown: {open_} (serology, cheap)"] if open_ else ["all 24 computable criteria pass"])
    score = {"eligible": 100.0, "needs_review": 70.0, "ineligible": 5.0}[status]
    return PatientResult(patient_id=pid, status=status, score=score, criteria=verdicts, reasons=reasons), notes


def build_many(n: int, seed: int = 7) -> tuple[TrialCriteria, list[PatientResult], list[Note]]:
    """``n`` patients of a 24-criterion trial (one criterion with 26 sub-conditions), two notes each
    (about 2.4 kB of text, some 780 characters of it random words), every verdict with evidence: the shape of
    a real run, at any size, and no easier to compress."""
    import random

    from pipeline.match.rank import rank_results

    rng = random.Random(seed)
    trial = _large_trial()
    results, notes = [], []
    for i in range(n):
        r, ns = _large_patient(i, trial, rng)
        results.append(r)
        notes.extend(ns)
    return trial, rank_results(results), notes
