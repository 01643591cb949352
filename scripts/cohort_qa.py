"""Annotator's aid (not gold): list lexicon-phrase occurrences in the cohort notes that no gold span covers,
for annotated concepts, so the annotator can decide by hand whether each is a missed mention.
Run after build_cohort_gold.py: .venv/bin/python scripts/cohort_qa.py [NOTE_ID_PREFIX]"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
C = ROOT / "corpora" / "cohort"
ann = set(json.loads((C / "annotation.json").read_text())["concepts"])
phr = []
for l in (ROOT / "models/lexicon/concepts.jsonl").read_text().splitlines():
    if l.strip():
        d = json.loads(l)
        if d["concept"] in ann:
            phr += [(p, d["concept"]) for p in d["phrases"]]
notes = [json.loads(l) for l in (C / "notes.jsonl").read_text().splitlines()]
gold = [json.loads(l) for l in (C / "gold_facts.jsonl").read_text().splitlines()]
pref = sys.argv[1] if len(sys.argv) > 1 else ""
for n in notes:
    if not n["note_id"].startswith(pref):
        continue
    spans = [(g["start"], g["end"]) for g in gold if g["note_id"] == n["note_id"]]
    seen = set()
    for p, c in phr:
        flags = 0 if (p.isupper() or len(p) <= 3) else re.IGNORECASE
        for m in re.finditer(r"(?<![A-Za-z0-9])" + re.escape(p) + r"(?![A-Za-z0-9])", n["text"], flags):
            if any(s < m.end() and m.start() < e for s, e in spans) or m.start() in seen:
                continue
            seen.add(m.start())
            ctx = n["text"][max(0, m.start() - 30):m.end() + 30].replace("\n", " ")
            print(f"{n['note_id']}\t{c}\t{m.group()!r}\t...{ctx}...")
# tumour-name phrases that no gold span covers (site-qualified SCC should be hnscc)
for n in notes:
    if not n["note_id"].startswith(pref):
        continue
    spans = [(g["start"], g["end"]) for g in gold if g["note_id"] == n["note_id"]]
    for m in re.finditer(r"SCC|squamous cell carcinoma|carcinoma|cancer", n["text"], re.IGNORECASE):
        if not any(s < m.end() and m.start() < e for s, e in spans):
            print(f"{n['note_id']}\tTUMOUR?\t{m.group()!r}\t...{n['text'][max(0, m.start() - 40):m.end() + 20]!r}")
# lesion sizes no gold span covers
for n in notes:
    if not n["note_id"].startswith(pref):
        continue
    spans = [(g["start"], g["end"]) for g in gold if g["note_id"] == n["note_id"]]
    for m in re.finditer(r"\d+(?:\.\d+)?(?: ?x ?\d+(?:\.\d+)?)* ?(?:cm|mm)\b", n["text"]):
        if not any(s < m.end() and m.start() < e for s, e in spans):
            print(f"{n['note_id']}\tSIZE?\t{m.group()!r}\t...{n['text'][max(0, m.start() - 40):m.end() + 20]!r}")
