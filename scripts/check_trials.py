"""Run `trialsieve match` on every trial record in a folder (default: ../shared/data/trec_ct/trials and
../shared/data/ctgov_nsclc) against the TREC topics, through the real command (in-process), and count
exit codes, tracebacks and unknown verdicts with their reasons.

    .venv/bin/python scripts/check_trials.py [--topics PATH] [FOLDER ...]

Prints one line per trial that did not end with exit 0, then a summary. Exit status 1 if any run
printed a traceback or an internal error (E099).
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main as cli
from pipeline.errors import EXIT_OK, EXIT_SKIPPED

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
AS_OF = "2022-12-31"


def topics_as_notes(topics: Path, out: Path) -> int:
    """One note per TREC topic (patient = topic), dated mid-year of its track, as the TREC evaluation does."""
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for line in topics.read_text(encoding="utf-8").splitlines():
            if line.strip():
                t = json.loads(line)
                fh.write(json.dumps({"patient_id": t["topic_id"], "note_id": "topic", "date": f"{t['year']}-07-01",
                                     "note_type": "patient description", "text": t["text"]}) + "\n")
                n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", type=Path, default=[SHARED / "trec_ct" / "trials", SHARED / "ctgov_nsclc"])
    ap.add_argument("--topics", type=Path, default=SHARED / "trec_ct" / "topics.jsonl")
    args = ap.parse_args(argv)
    runner = CliRunner()
    codes: collections.Counter = collections.Counter()
    unknown_reasons: collections.Counter = collections.Counter()
    bad = 0
    verdicts = unknown = 0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        notes = Path(tmp) / "topics.jsonl"
        n_topics = topics_as_notes(args.topics, notes)
        trials = [p for f in args.folders for p in sorted(f.glob("*.json"))]
        for path in trials:
            out = Path(tmp) / "m.jsonl"
            res = runner.invoke(cli, ["match", str(path), str(notes), "--as-of", AS_OF, "--out", str(out)])
            text = (res.stdout or "") + (res.stderr or "")
            crashed = "Traceback" in text or "[E099]" in text or (res.exception is not None and not isinstance(res.exception, SystemExit))
            codes[res.exit_code] += 1
            if crashed:
                bad += 1
            if res.exit_code not in (EXIT_OK, EXIT_SKIPPED) or crashed:
                first = next((ln for ln in (res.stderr or "").splitlines() if ln.startswith("error:")), "")
                print(f"{path.name}: exit {res.exit_code}{' TRACEBACK' if crashed else ''} {first[:160]}")
            if out.exists():
                for line in out.read_text(encoding="utf-8").splitlines():
                    for v in json.loads(line)["criteria"]:
                        verdicts += 1
                        if v["verdict"] == "unknown":
                            unknown += 1
                            unknown_reasons[bool(v["reason"])] += 1
                out.unlink()
    secs = time.perf_counter() - started
    print(f"{len(trials)} trial records x {n_topics} topics in {secs:.0f} s: exit codes {dict(sorted(codes.items()))}; "
          f"runs with a traceback or internal error: {bad}")
    print(f"{verdicts} verdicts, {unknown} unknown, of which {unknown_reasons[True]} with a reason and "
          f"{unknown_reasons[False]} without")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
