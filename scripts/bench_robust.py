"""Robustness benchmark: time per character of extraction and matching as notes grow, the `criteria`
command on pathological listings, and peak memory of `match` as the number of patients grows.

    .venv/bin/python scripts/bench_robust.py [--quick]

Prints figures and ratios (nothing is asserted: targets are read off the output).
Notes are made by repeating the bundled cohort's notes (dense clinical text) to each length.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COHORT = ROOT / "corpora" / "cohort" / "notes.jsonl"
SEED = ROOT / "corpora" / "listings" / "NCT06935188.txt"
AS_OF = dt.date(2025, 9, 1)


def dense_text(n: int) -> str:
    texts = [json.loads(line)["text"] for line in COHORT.read_text(encoding="utf-8").splitlines() if line.strip()]
    base = "\n\n".join(texts)
    return (base * (n // len(base) + 1))[:n]


def _timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_extraction(sizes: list[int]) -> None:
    from pipeline.extract.runner import note_facts
    from pipeline.schema import Note

    note_facts(Note(patient_id="P", note_id="W", date=AS_OF, text=dense_text(5_000)))  # load the pipeline
    print("extraction (extract.runner.note_facts, the path `extract` and `match` use)")
    base = None
    for n in sizes:
        note = Note(patient_id="P", note_id="N", date=AS_OF, text=dense_text(n))
        secs = _timed(lambda: note_facts(note), 5 if n <= 20_000 else 1)
        per = secs / n * 1e6
        base = base or per
        print(f"  {n:>9,} chars  {secs:7.2f} s  {per:6.1f} µs/char  ratio to {sizes[0]:,}: {per / base:4.2f}")


def bench_matching(sizes: list[int]) -> None:
    from pipeline.extract.criteria import parse_listing
    from pipeline.extract.runner import note_facts
    from pipeline.match.matcher import match_trial
    from pipeline.schema import Note

    trial = parse_listing(SEED)
    print("matching one note against the seed listing (match.matcher.match_trial)")
    base = None
    for n in sizes:
        note = Note(patient_id="P", note_id="N", date=AS_OF, text=dense_text(n))
        facts = note_facts(note)
        secs = _timed(lambda: match_trial(trial, [note], facts, as_of=AS_OF), 3 if n <= 20_000 else 1)
        per = secs / n * 1e6
        base = base or per
        print(f"  {n:>9,} chars  {secs:7.2f} s  {per:6.1f} µs/char  ratio to {sizes[0]:,}: {per / base:4.2f}")


def _run(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MiB) and exit code of one command in a fresh process."""
    script = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
              "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode; "
              "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)")
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), int(out[1]) / 1024, int(out[2])


PATHOLOGICAL = {
    "5,000 nested parentheses": "Age 18 " + "(" * 5_000 + "x" + ")" * 5_000,
    "'1' x 50,000": "Hemoglobin >= " + "1" * 50_000 + " g/dL",
    "'not ' x 10,000": "not " * 10_000 + "pregnant",
    "'1' x 5,000 (digit guard)": "Hemoglobin >= " + "1" * 5_000 + " g/dL",
    "'not ' x 1,400 (repeat guard)": "not " * 1_400 + "pregnant",
    "2,500 nested parentheses (depth guard)": "Age 18 " + "(" * 2_500 + "x" + ")" * 2_500,
}


def bench_criteria(tmp: Path) -> None:
    cmd = [sys.executable, "-m", "pipeline.cli", "criteria"]
    secs, mib, rc = _run([*cmd, str(SEED)])
    print("`trialsieve criteria` on pathological listings (fresh process each: includes ~3-4 s of start-up)")
    print(f"  {'seed listing (reference)':<40} {secs:6.2f} s  {mib:7.0f} MiB  exit {rc}")
    for name, body in PATHOLOGICAL.items():
        path = tmp / "listing.txt"
        path.write_text(f"Inclusion Criteria:\n- {body}\nExclusion Criteria:\n- HIV infection\n", encoding="utf-8")
        secs, mib, rc = _run([*cmd, str(path)])
        print(f"  {name:<40} {secs:6.2f} s  {mib:7.0f} MiB  exit {rc}")


def cohort_file(tmp: Path, copies: int) -> Path:
    rows = [json.loads(line) for line in COHORT.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = tmp / f"cohort_x{copies}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for k in range(copies):
            for r in rows:
                fh.write(json.dumps({**r, "patient_id": f"{r['patient_id']}-{k}"}) + "\n")
    return path


def bench_match_memory(tmp: Path, copies: list[int]) -> None:
    n_patients = len({json.loads(x)["patient_id"] for x in COHORT.read_text(encoding="utf-8").splitlines() if x.strip()})
    print("`trialsieve match` peak memory as patients grow (cohort copied; --out only, then with --report)")
    for k in copies:
        notes = cohort_file(tmp, k)
        base = [sys.executable, "-m", "pipeline.cli", "match", str(SEED), str(notes), "--as-of", AS_OF.isoformat()]
        secs, mib, rc = _run([*base, "--out", str(tmp / "m.jsonl")])
        secs_r, mib_r, _ = _run([*base, "--out", str(tmp / "m.jsonl"), "--report", str(tmp / "r.html")])
        size = notes.stat().st_size / 2**20
        print(f"  {k * n_patients:>6} patients ({size:5.1f} MiB of notes)  {secs:6.1f} s  {mib:6.0f} MiB"
              f"   with --report: {secs_r:6.1f} s  {mib_r:6.0f} MiB  exit {rc}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    args = ap.parse_args()
    print(f"{dt.date.today()} on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    if args.quick:
        bench_extraction([10_000, 100_000])
        bench_matching([10_000, 20_000])
    else:
        bench_extraction([10_000, 100_000, 1_000_000, 2_000_000])
        bench_matching([10_000, 50_000, 100_000])
    with tempfile.TemporaryDirectory() as tmp:
        bench_criteria(Path(tmp))
        bench_match_memory(Path(tmp), [1, 5] if args.quick else [5, 20, 80])
    return 0


if __name__ == "__main__":
    sys.exit(main())
