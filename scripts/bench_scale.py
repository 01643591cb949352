"""Hospital-scale benchmark: indexing, screening from the store, screening memory, pool versus Spark.

    python scripts/bench_scale.py                 # the full run (100,000 notes; about an hour on 2 cores)
    python scripts/bench_scale.py --quick         # a smaller run of every step, for a first look

Every figure comes from this run on this machine: the notes are synthetic (built from varied sentences,
seeded, so the same command builds the same notes), every step runs the `trialsieve` command in a
subprocess, and peak memory is the largest resident set of the whole process tree (the command and its
workers together), sampled every 250 ms (``SAMPLE_SECONDS``; it was 50 ms, but walking /proc that often
took about 13 % of a core from the 2 the command runs on, and memory is flat over each step, e.g. 539 MB
after 10,000 notes and 549 MB after 100,000, so the slower rate still sees the peak; the wait ends as soon
as the command does, so wall times are not rounded up to the interval). Baselines are measured in the same
run: re-extracting (`match`) against screening from the store, 1,000 patients against 50,000 for memory,
the process pool against Spark.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent / "trialsieve"
SEED_LISTING = ROOT / "corpora" / "listings" / "NCT06935188.txt"
AS_OF = "2025-09-01"

# ----------------------------------------------------------------------------- synthetic notes

SITES = ["left tonsil", "right tonsil", "base of tongue", "larynx", "oral tongue", "hypopharynx", "right upper lobe of the lung",
         "left lower lobe", "floor of mouth", "nasopharynx"]
DIAGNOSES = ["squamous cell carcinoma of the {site}", "recurrent squamous cell carcinoma of the {site}",
             "metastatic non-small cell lung cancer", "adenocarcinoma of the lung", "head and neck squamous cell carcinoma"]
DRUGS = ["pembrolizumab", "nivolumab", "cisplatin", "carboplatin", "cetuximab", "paclitaxel", "docetaxel", "durvalumab",
         "atezolizumab", "fluorouracil"]
CONDITIONS = ["HIV", "hepatitis B", "hepatitis C", "interstitial lung disease", "pneumonitis", "active tuberculosis",
              "autoimmune disease", "congestive heart failure", "brain metastases", "diabetes mellitus"]
LABS = [("Hemoglobin", "g/dL", 8.0, 15.5), ("WBC", "10^9/L", 2.5, 11.0), ("ANC", "10^9/L", 0.8, 7.0),
        ("Platelets", "10^9/L", 60, 400), ("Creatinine", "mg/dL", 0.5, 2.4), ("Total bilirubin", "mg/dL", 0.2, 2.5),
        ("AST", "U/L", 12, 140), ("ALT", "U/L", 10, 150), ("Albumin", "g/dL", 2.5, 4.8)]
CLINICAL = [
    "{age}-year-old {sex} with {diagnosis}.",
    "Patient is a {age} year old {sex} presenting with {diagnosis}.",
    "ECOG performance status {ecog}.",
    "Performance status: ECOG {ecog}, ambulatory.",
    "Karnofsky performance status {kps}%.",
    "Received {drug} {month} {year}, last dose {month2} {year}.",
    "Previously treated with {drug} and {drug2} with progression.",
    "Currently on {drug} every 3 weeks, cycle {cycle}.",
    "Plan to start {drug} if labs allow.",
    "No history of {condition}.",
    "Denies {condition}.",
    "History of {condition}, treated {year}.",
    "Family history of {condition} in her mother.",
    "Possible {condition}, to be ruled out.",
    "{lab} {value} {unit}.",
    "Labs today: {lab} {value} {unit}, {lab2} {value2} {unit2}.",
    "p16 immunohistochemistry {posneg}.",
    "PD-L1 combined positive score {cps}.",
    "HPV status {posneg} by PCR.",
    "Creatinine clearance {crcl} mL/min.",
    "She is not pregnant; negative pregnancy test.",
    "Blood pressure {sbp}/{dbp} mmHg, heart rate {hr}.",
]
FILLER = [
    "Patient seen in clinic today accompanied by {who}.", "Reports mild fatigue and decreased appetite over {n} weeks.",
    "Sleeping well, no night sweats.", "Weight {kg} kg, stable since last visit.", "Discussed goals of care at length.",
    "Questions answered; {who} agrees with the plan.", "Reviewed imaging with the radiologist.",
    "Will follow up in {n} weeks with repeat labs.", "Social work referral placed for transport.",
    "Tolerating oral intake without difficulty.", "Mucositis grade {grade}, managed with rinses.",
    "Neuropathy grade {grade} in both feet.", "Pain controlled on current regimen, {n}/10 at worst.",
    "Lives with {who}, independent in activities of daily living.", "Former smoker, {n} pack-years, quit {year}.",
    "Dental evaluation completed before radiation.", "Nutrition consult recommended a high-protein diet.",
    "Port site clean and dry.", "CT chest shows no new nodules.", "MRI brain without enhancing lesions.",
    "PET-CT with decreased uptake in the primary.", "Tumor board recommended systemic therapy.",
]
NOTE_TYPES = ["progress", "consult", "pathology", "discharge", "oncology follow-up"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def _fill(t: str, r: random.Random) -> str:
    lab, lab2 = r.sample(LABS, 2)
    d1, d2 = r.sample(DRUGS, 2)
    return t.format(
        age=r.randint(28, 86), sex=r.choice(["man", "woman", "male", "female"]),
        diagnosis=r.choice(DIAGNOSES).format(site=r.choice(SITES)), ecog=r.randint(0, 3), kps=r.choice([50, 60, 70, 80, 90]),
        drug=d1, drug2=d2, month=r.choice(MONTHS), month2=r.choice(MONTHS), year=r.randint(2015, 2025), cycle=r.randint(1, 12),
        condition=r.choice(CONDITIONS), lab=lab[0], value=round(r.uniform(lab[2], lab[3]), 1), unit=lab[1],
        lab2=lab2[0], value2=round(r.uniform(lab2[2], lab2[3]), 1), unit2=lab2[1], posneg=r.choice(["positive", "negative"]),
        cps=r.randint(0, 80), crcl=r.randint(25, 120), sbp=r.randint(95, 170), dbp=r.randint(55, 100), hr=r.randint(55, 120),
        who=r.choice(["her husband", "his wife", "a daughter", "a son", "a friend"]), n=r.randint(1, 12),
        kg=r.randint(45, 110), grade=r.randint(1, 3))


def synthetic_note(r: random.Random, pid: str, nid: str) -> dict:
    """One note of 30-55 sentences (about 350 words), about a third clinical, in paragraphs of 3-9 sentences."""
    sentences = [_fill(r.choice(CLINICAL if r.random() < 0.35 else FILLER), r) for _ in range(r.randint(30, 55))]
    paras, i = [], 0
    while i < len(sentences):
        k = r.randint(3, 9)
        paras.append(" ".join(sentences[i:i + k]))
        i += k
    date = f"{r.randint(2023, 2025)}-{r.randint(1, 8):02d}-{r.randint(1, 28):02d}"
    return {"patient_id": pid, "note_id": nid, "date": date, "note_type": r.choice(NOTE_TYPES), "text": "\n\n".join(paras)}


def write_notes(path: Path, n_patients: int, notes_per_patient: int = 2, seed: int = 9) -> int:
    r = random.Random(seed)
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for p in range(n_patients):
            for k in range(notes_per_patient):
                fh.write(json.dumps(synthetic_note(r, f"S{p:06d}", f"S{p:06d}-N{k}")) + "\n")
                n += 1
    return n


# ----------------------------------------------------------------------------- measuring


def _tree_rss_kb(pid: int) -> int:
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


FIGURES_FILE: Path | None = None


def save(figures: dict) -> None:
    """Figures so far, after every step (a long run stopped half-way still leaves what it measured)."""
    if FIGURES_FILE is not None:
        FIGURES_FILE.write_text(json.dumps(figures, indent=2, default=str))


CPU: dict[str, float] = {}
"""CPU seconds (user + system) of each step's whole process tree, by label: on a shared machine the wall
clock also measures the neighbours, CPU time does not."""


SAMPLE_SECONDS = 0.25
"""Interval of the memory sampler (it competes for the same 2 cores as the command it measures)."""


def run(args: list[str], label: str) -> tuple[float, float]:
    """Run `trialsieve ARGS`; (seconds, peak MB of the process tree). CPU seconds go to ``CPU[label]``."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(BIN), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        try:
            proc.wait(timeout=SAMPLE_SECONDS)
        except subprocess.TimeoutExpired:
            pass
    secs = time.perf_counter() - t0
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        sys.exit(f"{label} failed ({proc.returncode}): {err[-800:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[label] = round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 1)
    print(f"  {label}: {secs:.1f} s, peak {peak / 1024:.0f} MB, {CPU[label]:.0f} CPU-s", flush=True)
    return secs, peak / 1024


def trial_listings(n: int, work: Path) -> list[Path]:
    """The seed listing, the benchmark trials (copied under their NCT ids), then CT.gov records if present."""
    paths = [SEED_LISTING]
    (work / "trials").mkdir(exist_ok=True)
    for d in sorted((ROOT / "corpora" / "bench").glob("*/NCT*")):
        for name in ("listing.txt", "listing.json"):
            if (d / name).exists():
                dst = work / "trials" / f"{d.name}{Path(name).suffix}"
                shutil.copy(d / name, dst)
                paths.append(dst)
                break
    if len(paths) < n:
        paths += sorted((ROOT.parent / "shared" / "data" / "ctgov_nsclc").glob("*.json"))
    return paths[:n]


SMALL_LISTING = """Inclusion Criteria:
- ECOG performance status 0 or 1
Exclusion Criteria:
- Known HIV infection
"""


def facts_of(store: Path) -> list:
    import sqlite3

    q = ("SELECT n.patient_id, n.note_id, f.seq, f.fact FROM ts_facts f JOIN ts_notes n ON n.nid = f.nid "
         "ORDER BY 1, 2, 3")
    return sqlite3.connect(store).execute(q).fetchall()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a tenth of every size")
    ap.add_argument("--index-notes", type=int, default=100_000)
    ap.add_argument("--screen-patients", type=int, default=10_000)
    ap.add_argument("--trials", type=int, default=10)
    ap.add_argument("--memory-patients", default="1000,10000,50000")
    ap.add_argument("--spark-notes", type=int, default=5_000)
    ap.add_argument("--baseline-notes", type=int, default=10_000, help="notes for the extract-only baseline (0: none)")
    ap.add_argument("--work", type=Path, help="working folder (default: a temporary one, removed at the end)")
    ap.add_argument("--stores", default="", help="stores built by an earlier run, reused for the memory step: "
                    "PATIENTS=PATH,... (e.g. 50000=/tmp/run1/big.db)")
    ap.add_argument("--skip", default="", help="comma-separated steps to skip: index,rerun (the unchanged re-index),screen,memory,spark")
    a = ap.parse_args()
    if a.quick:
        a.index_notes, a.screen_patients, a.spark_notes = a.index_notes // 10, a.screen_patients // 10, a.spark_notes // 5
        a.baseline_notes //= 10
        a.memory_patients = ",".join(str(int(x) // 10) for x in a.memory_patients.split(","))
    skip = set(filter(None, a.skip.split(",")))
    work = a.work or Path(tempfile.mkdtemp(prefix="ts-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    global FIGURES_FILE
    FIGURES_FILE = work / "figures.json"
    figures: dict = {"machine": f"{os.cpu_count()} cores", "python": sys.version.split()[0],
                     "load_average_at_start": os.getloadavg()[0]}
    try:
        mem_sizes = [int(x) for x in a.memory_patients.split(",")]
        n_patients_big = max(a.index_notes // 2, max(mem_sizes))
        print(f"building synthetic notes in {work} ...", flush=True)
        big = work / "notes_big.jsonl"
        write_notes(big, n_patients_big)  # 2 notes a patient; the first patients of every smaller set are these
        def subset(n_patients: int) -> Path:
            path = work / f"notes_{n_patients}.jsonl"
            with open(big, encoding="utf-8") as src, open(path, "w", encoding="utf-8") as dst:
                for i, line in enumerate(src):
                    if i >= 2 * n_patients:
                        break
                    dst.write(line)
            return path

        stores: dict[int, Path] = {int(k): Path(v) for k, v in (x.split("=", 1) for x in a.stores.split(",") if x)}
        if "index" not in skip:
            base_n = min(2 * n_patients_big, a.baseline_notes)
            if base_n:
                print(f"baseline: `trialsieve extract -j 2` (no store) on the first {base_n:,} notes", flush=True)
                b_secs, b_peak = run(["extract", str(subset(base_n // 2)), "-j", "2", "--out", str(work / "facts.jsonl")],
                                     "extract")
                figures["extract_baseline"] = {"notes": base_n, "seconds": round(b_secs, 1),
                                               "notes_per_s": round(base_n / b_secs, 1), "peak_mb": round(b_peak)}
            print(f"index {2 * n_patients_big:,} notes, -j 2", flush=True)
            secs, peak = run(["index", str(big), "--store", str(work / "big.db"), "-j", "2"], "index")
            stores[n_patients_big] = work / "big.db"
            figures["index"] = {"notes": 2 * n_patients_big, "seconds": round(secs, 1),
                                "notes_per_s": round(2 * n_patients_big / secs, 1), "peak_mb": round(peak),
                                "notes_per_cpu_s": round(2 * n_patients_big / CPU["index"], 1)}
            if "rerun" not in skip:
                secs2, _ = run(["index", str(big), "--store", str(work / "big.db"), "-j", "2"], "index again (all unchanged)")
                figures["index"]["rerun_seconds"] = round(secs2, 1)
            if "extract_baseline" in figures:
                figures["index"]["rate_to_extract_baseline"] = round(
                    figures["index"]["notes_per_s"] / figures["extract_baseline"]["notes_per_s"], 3)

        save(figures)
        if "screen" not in skip:
            n = a.screen_patients
            notes = subset(n)
            print(f"screen {a.trials} trials against {n:,} patients ({2 * n:,} notes)", flush=True)
            run(["index", str(notes), "--store", str(work / "screen.db"), "-j", "2"], "index")
            stores[n] = work / "screen.db"
            trials = trial_listings(a.trials, work)
            s_all, _ = run(["screen", *map(str, trials), "--store", str(work / "screen.db"), "--out", str(work / "out"),
                            "--as-of", AS_OF, "-j", "2"], f"screen {len(trials)} trials from the store, -j 2")
            s_one, _ = run(["screen", str(trials[0]), "--store", str(work / "screen.db"), "--out", str(work / "out1"),
                            "--as-of", AS_OF, "-j", "2"], "screen 1 trial from the store, -j 2")
            m_one, _ = run(["match", str(trials[0]), str(notes), "--as-of", AS_OF, "-j", "2", "--out", str(work / "m.jsonl")],
                           "match 1 trial re-extracting the notes, -j 2")
            figures["screen"] = {"patients": n, "trials": len(trials), "all_trials_s": round(s_all, 1),
                                 "per_trial_s": round(s_all / len(trials), 1), "one_trial_s": round(s_one, 1),
                                 "match_reextract_s": round(m_one, 1),
                                 "ratio_per_trial_to_reextract": round(s_all / len(trials) / m_one, 3)}
            # one more trial: what a pass with all the trials costs beyond a pass with one; CPU-seconds too, because on
            # a shared machine the wall clock also measures the neighbours
            k = len(trials) - 1
            if k:
                c_all = CPU[f"screen {len(trials)} trials from the store, -j 2"]
                c_one, c_match = CPU["screen 1 trial from the store, -j 2"], CPU["match 1 trial re-extracting the notes, -j 2"]
                figures["screen"].update({
                    "one_more_trial_s": round((s_all - s_one) / k, 1),
                    "ratio_one_more_trial_to_reextract": round((s_all - s_one) / k / m_one, 3),
                    "cpu_s": {"all_trials": c_all, "one_trial": c_one, "match_reextract": c_match},
                    "cpu_ratio_per_trial_to_reextract": round(c_all / len(trials) / c_match, 3),
                    "cpu_ratio_one_more_trial_to_reextract": round((c_all - c_one) / k / c_match, 3)})
            # trials[0] is the seed listing (NCT06935188): the store's records must be match's, byte for byte
            figures["screen"]["store_equals_match"] = (work / "m.jsonl").read_bytes() == (work / "out1" / "NCT06935188.jsonl").read_bytes()

        save(figures)
        if "memory" not in skip:
            small = work / "small_listing.txt"
            small.write_text(SMALL_LISTING, encoding="utf-8")
            figures["memory"] = {}
            print("screening peak memory (one small trial, -j 1)", flush=True)
            for n in mem_sizes:
                store = stores.get(n)
                if store is None:  # a store of exactly n patients (the first n of the big set)
                    store = work / f"mem_{n}.db"
                    run(["index", str(subset(n)), "--store", str(store), "-j", "2"], f"index {n:,} patients")
                    stores[n] = store
                secs, peak = run(["screen", str(small), "--store", str(store), "--out", str(work / f"mem_{n}"),
                                  "--as-of", AS_OF], f"screen {n:,} patients")
                figures["memory"][n] = {"seconds": round(secs, 1), "peak_mb": round(peak)}
            lo, hi = figures["memory"][mem_sizes[0]]["peak_mb"], figures["memory"][mem_sizes[-1]]["peak_mb"]
            figures["memory"]["ratio_largest_to_smallest"] = round(hi / lo, 3)

        save(figures)
        if "spark" not in skip:
            n = a.spark_notes // 2
            notes = subset(n)
            print(f"pool versus Spark local[2] on {2 * n:,} notes", flush=True)
            p_secs, p_peak = run(["index", str(notes), "--store", str(work / "pool.db"), "-j", "2"], "pool -j 2")
            s_secs, s_peak = run(["index", str(notes), "--store", str(work / "spark.db"), "--engine", "spark",
                                  "--master", "local[2]"], "spark local[2]")
            figures["spark"] = {"notes": 2 * n, "pool_s": round(p_secs, 1), "pool_notes_per_s": round(2 * n / p_secs, 1),
                                "spark_s": round(s_secs, 1), "spark_notes_per_s": round(2 * n / s_secs, 1),
                                "spark_to_pool_time": round(s_secs / p_secs, 2),
                                "identical_facts": facts_of(work / "pool.db") == facts_of(work / "spark.db")}
        figures["load_average_at_end"] = os.getloadavg()[0]
        figures["cpu_seconds"] = CPU
        save(figures)
        print(json.dumps(figures, indent=2))
    finally:
        if a.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
