"""Matcher-only accuracy: run the matcher on the cohort's GOLD facts (not the extractor's), so verdict
and status errors left are the matcher's or the criteria parser's. Gold facts carry no dates or
attributes beyond value/unit/flags, so dates come from the note and the text around each mention.

    .venv/bin/python scripts/eval_match_gold_facts.py [PATIENT_ID ...]
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from pipeline.extract.criteria import parse_listing
from pipeline.io.notes import read_notes
from pipeline.lexicon import load_lexicon
from pipeline.match.matcher import match_trial
from pipeline.resources import corpora_path
from pipeline.schema import Fact


def main(only: list[str]) -> None:
    root = corpora_path("cohort")
    meta = json.loads((root / "meta.json").read_text(encoding="utf-8"))
    trial = parse_listing(Path(corpora_path().parent, meta["listing"]))
    notes, _ = read_notes(root / "notes.jsonl")
    by_id, lex = {n.note_id: n for n in notes}, load_lexicon()
    facts = []
    for line in (root / "gold_facts.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        n = by_id[d["note_id"]]
        d.update(date=n.date, note_date=n.date, classes=list(lex.classes_of(d["concept"])) if d["concept"] in lex else [])
        facts.append(Fact(**{k: v for k, v in d.items() if k in Fact.model_fields}))
    as_of = dt.date.fromisoformat(meta["as_of"])
    results = match_trial(trial, notes, facts, as_of=as_of, first_dose=dt.date.fromisoformat(meta.get("first_dose", meta["as_of"])))
    gold = {g["patient_id"]: g for g in map(json.loads, (root / "gold_patients.jsonl").read_text(encoding="utf-8").splitlines())}
    ok = total = status_ok = false_eligible = 0
    for r in sorted(results, key=lambda r: r.patient_id):
        g = gold.get(r.patient_id)
        if g is None:
            continue
        status_ok += r.status == g["status"]
        false_eligible += r.status == "eligible" and g["status"] != "eligible"
        for v in r.criteria:
            total += 1
            ok += g["verdicts"].get(v.criterion_id) == v.verdict
            if g["verdicts"].get(v.criterion_id) != v.verdict and (not only or r.patient_id in only):
                print(f"{r.patient_id} {v.criterion_id}: gold {g['verdicts'].get(v.criterion_id)}, got {v.verdict} - {v.reason[:140]}")
    print(f"verdicts {ok}/{total} = {ok / total:.3f}; status {status_ok}/{len(gold)} = {status_ok / len(gold):.3f}; "
          f"false eligible {false_eligible}")


if __name__ == "__main__":
    main(sys.argv[1:])
