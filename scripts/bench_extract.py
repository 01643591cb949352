"""Benchmark note extraction against spaCy's blank English tokenizer, on the same notes.

Prints notes/s for tokenizer-only and full extraction, their ratio, for 1 core and 2 processes
(both warmed by one untimed pass; multi-process runs fork after warming),
on the 791 MTSamples reports (../shared/data/mtsamples) and on synthetic ~400-word notes, and checks
that every MTSamples report runs through extraction without error (offsets quote the text).

    .venv/bin/python scripts/bench_extract.py [--synthetic N] [--skip-multi]
"""
from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import random
import sys
import time
from pathlib import Path

import spacy

from pipeline.extract.facts import extract
from pipeline.nlp import get_nlp
from pipeline.schema import Note

MTSAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "mtsamples"
DATE = dt.date(2025, 9, 1)

FILLER = [
    "The patient was seen in clinic today with her daughter.", "She reports good appetite and sleeps well.",
    "Vital signs were reviewed and were stable.", "The abdomen is soft and non tender.", "Gait is steady.",
    "We reviewed the home exercise program and the diet plan in detail with the family.",
    "She walks two miles most mornings and works part time at the library.",
    "The wound is clean and dry without erythema.", "Pupils are equal and reactive to light.",
    "She was counseled about sun protection and hydration during the summer months.",
    "Her questions were answered and she agrees with the plan as outlined above.",
    "Follow up in the clinic in three months or sooner as needed.",
]
CLINICAL = [
    "58-year-old male with recurrent squamous cell carcinoma of the left tonsil, p16 negative by IHC.",
    "Progressed on pembrolizumab x 6 cycles, last dose 2025-06-10. ECOG 1.",
    "Labs: Hb 11.2 g/dL, PLT 180 K/uL, Cr 1.1 mg/dL (0.6-1.2), ALT 32 U/L, TBIL 0.8 mg/dL.",
    "HIV Ab non-reactive, HBsAg (-), HCV Ab negative. No history of MI or stroke.",
    "FAMILY HISTORY: Mother had breast cancer.",
    "CT: 3.2 x 2.1 cm mass in the right neck. Will start cetuximab if insurance approves.",
]


def synthetic_notes(n: int, seed: int = 7) -> list[Note]:
    """~400-word notes of ordinary sentences; three in four also hold four clinical sentences
    (about 14 facts), one in four holds no term of interest (the prefilter path)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        sents: list[str] = []
        while sum(len(s.split()) for s in sents) < (340 if i % 4 else 400):
            sents.append(rng.choice(FILLER))
        if i % 4:
            for c in rng.sample(CLINICAL, 4):
                sents.insert(rng.randrange(len(sents)), c)
        paras = [" ".join(sents[k:k + 6]) for k in range(0, len(sents), 6)]
        out.append(Note(patient_id=f"s{i}", note_id=f"s{i}", date=DATE, text="\n\n".join(paras)))
    return out


def mtsamples_notes() -> list[Note]:
    paths = sorted(MTSAMPLES.glob("*.txt"))
    return [Note(patient_id=p.stem, note_id=str(i), date=DATE, text=p.read_text(encoding="utf-8", errors="replace"))
            for i, p in enumerate(paths) if p.read_text(encoding="utf-8", errors="replace").strip()]


_TOKENIZER = spacy.blank("en")


def _tokenize_chunk(texts: list[str]) -> int:
    for t in texts:
        _TOKENIZER.make_doc(t)
    return len(texts)


def time_tokenizer(notes: list[Note], procs: int) -> float:
    texts = [n.text for n in notes]
    t0 = time.perf_counter()
    if procs == 1:
        _tokenize_chunk(texts)
    else:
        chunks = [texts[i::procs] for i in range(procs)]
        with mp.get_context("fork").Pool(procs) as pool:
            pool.map(_tokenize_chunk, chunks)
    return len(notes) / (time.perf_counter() - t0)


def time_extract(notes: list[Note], procs: int) -> tuple[float, int]:
    t0 = time.perf_counter()
    n = sum(1 for _ in extract(notes, n_process=procs))
    return len(notes) / (time.perf_counter() - t0), n


def check_all(notes: list[Note]) -> tuple[int, int, list[str]]:
    """Run every note alone; report failures and offset mismatches (never note text)."""
    errors: list[str] = []
    facts = 0
    for note in notes:
        try:
            for f in extract([note]):
                facts += 1
                if note.text[f.start:f.end] != f.text:
                    errors.append(f"note {note.note_id}: offsets do not quote the fact text ({f.concept})")
        except Exception as err:  # noqa: BLE001 - the check reports every failure
            errors.append(f"note {note.note_id}: {type(err).__name__}: {err}")
    return len(notes), facts, errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synthetic", type=int, default=400)
    ap.add_argument("--skip-multi", action="store_true")
    args = ap.parse_args()
    get_nlp()  # build once (and before forking)
    sets = [("synthetic ~400 words", synthetic_notes(args.synthetic))]
    if MTSAMPLES.is_dir():
        sets.insert(0, ("mtsamples", mtsamples_notes()))
    print(f"{'notes':<22} {'procs':>5} {'tokenizer/s':>12} {'extract/s':>10} {'ratio':>6} {'facts':>7}")
    for name, notes in sets:
        _tokenize_chunk([n.text for n in notes])  # warm both (vocabulary, caches) before timing
        sum(1 for _ in extract(notes))
        for procs in (1,) if args.skip_multi else (1, 2):
            tok = time_tokenizer(notes, procs)
            ext, nfacts = time_extract(notes, procs)
            print(f"{name + f' ({len(notes)})':<22} {procs:>5} {tok:>12.1f} {ext:>10.1f} {ext / tok:>6.3f} {nfacts:>7}")
    if MTSAMPLES.is_dir():
        n, facts, errors = check_all(sets[0][1])
        print(f"\nmtsamples check: {n} notes, {facts} facts, {len(errors)} errors")
        for e in errors[:20]:
            print("  " + e)
        return 1 if errors else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
