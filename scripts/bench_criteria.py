"""Time criteria parsing and summarise what it extracts.

Parses the seed listing, the ClinicalTrials.gov records in ../shared/data/ctgov_nsclc/ and the Chia criteria
files (../shared/data/chia/*_inc.txt / *_exc.txt, each a criteria block of known kind, read with newline="").
Prints milliseconds per listing and per 30 criteria, and counts: criteria, constraints, constraints with a
value, windows, negated constraints, open-vocabulary constraints and non-computable criteria.

    .venv/bin/python scripts/bench_criteria.py [--chia-limit N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Iterable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.extract.criteria import parse_criteria_text, parse_listing  # noqa: E402
from pipeline.schema import TrialCriteria  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/data")


def _summary(trials: list[TrialCriteria]) -> dict[str, int]:
    crit = [c for t in trials for c in t.criteria]
    cons = [k for c in crit for k in c.constraints]
    return {
        "listings": len(trials),
        "criteria": len(crit),
        "constraints": len(cons),
        "with_value": sum(k.value is not None for k in cons),
        "with_window": sum(k.window is not None for k in cons),
        "negated": sum(k.negated for k in cons),
        "open_vocabulary": sum(k.open_vocabulary for k in cons),
        "non_computable": sum(not c.computable for c in crit),
        "with_logic": sum(c.logic is not None for c in crit),
    }


def _timed(items: Iterable[object], parse: Callable[[object], TrialCriteria]) -> tuple[list[TrialCriteria], list[float], int]:
    trials, times, failures = [], [], 0
    for item in items:
        t0 = time.perf_counter()
        try:
            trials.append(parse(item))
        except Exception as err:  # a benchmark reports failures instead of stopping
            failures += 1
            print(f"  FAILED {item}: {type(err).__name__}: {str(err)[:120]}")
            continue
        times.append((time.perf_counter() - t0) * 1000)
    return trials, times, failures


def _report(name: str, trials: list[TrialCriteria], times: list[float], failures: int) -> None:
    n_crit = sum(len(t.criteria) for t in trials)
    total = sum(times)
    per30 = total / n_crit * 30 if n_crit else 0.0
    med = statistics.median(times) if times else 0.0
    print(f"{name}: {len(trials)} parsed, {failures} failed; {total:.0f} ms total, median {med:.1f} ms/listing, "
          f"max {max(times, default=0):.1f} ms, {per30:.1f} ms per 30 criteria")
    print("  " + ", ".join(f"{k} {v}" for k, v in _summary(trials).items()))


def _read_chia(path: Path) -> TrialCriteria:
    with open(path, encoding="utf-8", newline="") as fh:
        text = fh.read()
    kind = "inclusion" if path.stem.endswith("_inc") else "exclusion"
    return parse_criteria_text(text, source=str(path), trial_id=path.stem.split("_")[0], kind=kind)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chia-limit", type=int, default=0, help="Parse only the first N Chia files (0 = all).")
    args = ap.parse_args()

    t0 = time.perf_counter()
    parse_listing(ROOT / "corpora" / "listings" / "NCT06935188.txt")
    print(f"warm-up (first parse: lexicon, patterns, abbreviation detector, classifier): {(time.perf_counter() - t0) * 1000:.0f} ms")

    seed, times, fail = _timed([ROOT / "corpora" / "listings" / "NCT06935188.txt"] * 5, lambda p: parse_listing(Path(p)))  # type: ignore[arg-type]
    _report("seed (5 runs)", seed, times, fail)

    ct_files = sorted((SHARED / "ctgov_nsclc").glob("*.json"))
    ct, times, fail = _timed(ct_files, lambda p: parse_listing(Path(p)))  # type: ignore[arg-type]
    _report(f"ctgov_nsclc ({len(ct_files)} files)", ct, times, fail)

    chia_files = sorted((SHARED / "chia").glob("*_inc.txt")) + sorted((SHARED / "chia").glob("*_exc.txt"))
    chia_files.sort()
    if args.chia_limit:
        chia_files = chia_files[: args.chia_limit]
    ch, times, fail = _timed(chia_files, lambda p: _read_chia(Path(p)))  # type: ignore[arg-type]
    _report(f"chia ({len(chia_files)} files)", ch, times, fail)


if __name__ == "__main__":
    main()
