"""Build the development cohort files from the hand-annotated sources in corpora/cohort/src/.

Each source file holds notes with inline gold markup written by hand (the extractor is never run):

    === P01 | P01-N1 | 2025-07-14 | pathology
    ... note text with [[span text|concept|flags]] ...

Flags (comma separated): ``=VALUE`` (a number, an arithmetic conversion like ``=0.9*88.4``, or a word),
``@UNIT`` (default: the lexicon's canonical unit for numeric values), ``N`` negated, ``H`` historical,
``Y`` hypothetical, ``F`` family, ``U`` uncertain.

Writes notes.jsonl, notes.csv and gold_facts.jsonl; verifies every span against the clean text, every
concept against annotation.json and the lexicon, and note lengths (80-450 words).
Run: .venv/bin/python scripts/build_cohort_gold.py
"""
from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

from pipeline.match.rank import status_of_verdict_map

ROOT = Path(__file__).resolve().parent.parent
COHORT = ROOT / "corpora" / "cohort"
MARK = re.compile(r"\[\[([^\[\]|]+)\|([a-z0-9_]+)((?:\|[^\[\]]*)?)\]\]")
HEADER = re.compile(r"^=== *(\S+) *\| *(\S+) *\| *(\d{4}-\d{2}-\d{2}) *\| *(.+?) *$")
DEFAULT_UNITS = {"measurable_lesion": "mm", "age": "year", "life_expectancy": "week"}


def lexicon_units() -> dict[str, str | None]:
    out = {}
    for line in (ROOT / "models" / "lexicon" / "concepts.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            out[d["concept"]] = d.get("unit")
    return out


def parse_value(raw: str):
    raw = raw.strip()
    if re.fullmatch(r"[0-9.]+(?:[*/][0-9.]+)*", raw):
        return round(float(eval(raw, {"__builtins__": {}})), 2)
    return raw


def parse_note(body: str, pid: str, nid: str, units: dict) -> tuple[str, list[dict]]:
    out: list[str] = []
    facts: list[dict] = []
    pos = 0
    length = 0
    for m in MARK.finditer(body):
        chunk = body[pos:m.start()]
        out.append(chunk)
        length += len(chunk)
        span, concept, flags = m.group(1), m.group(2), m.group(3).lstrip("|")
        fact = {"patient_id": pid, "note_id": nid, "concept": concept, "start": length, "end": length + len(span),
                "text": span, "value": None, "unit": None, "negated": False, "historical": False,
                "hypothetical": False, "family": False, "uncertain": False}
        for flag in filter(None, (f.strip() for f in re.split(r"[,|]", flags))):
            if flag.startswith("="):
                fact["value"] = parse_value(flag[1:])
            elif flag.startswith("@"):
                fact["unit"] = flag[1:]
            else:
                key = {"N": "negated", "H": "historical", "Y": "hypothetical", "F": "family", "U": "uncertain"}[flag]
                fact[key] = True
        if isinstance(fact["value"], float) and fact["unit"] is None:
            fact["unit"] = units.get(concept) or DEFAULT_UNITS.get(concept)
        if concept == "ecog" and isinstance(fact["value"], float):
            fact["value"] = int(fact["value"])
        out.append(span)
        length += len(span)
        facts.append(fact)
        pos = m.end()
    out.append(body[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        raise SystemExit(f"{nid}: unparsed markup left in text")
    return text, facts


def read_sources() -> tuple[list[dict], list[dict]]:
    units = lexicon_units()
    notes, facts = [], []
    for src in sorted((COHORT / "src").glob("*.txt")):
        lines = src.read_text(encoding="utf-8").splitlines()
        cur, body = None, []
        for line in lines + ["=== END | END | 2000-01-01 | end"]:
            m = HEADER.match(line)
            if not m:
                body.append(line)
                continue
            if cur:
                text, fs = parse_note("\n".join(body).strip("\n"), cur[0], cur[1], units)
                notes.append({"patient_id": cur[0], "note_id": cur[1], "date": cur[2], "note_type": cur[3], "text": text})
                facts.extend(fs)
            cur, body = m.groups(), []
    return notes, facts


def check(notes: list[dict], facts: list[dict]) -> None:
    concepts = set(json.loads((COHORT / "annotation.json").read_text(encoding="utf-8"))["concepts"])
    lex = lexicon_units()
    by_id = {n["note_id"]: n for n in notes}
    assert len(by_id) == len(notes), "duplicate note ids"
    for f in facts:
        assert by_id[f["note_id"]]["text"][f["start"]:f["end"]] == f["text"], f
        assert f["concept"] in concepts, f"{f['note_id']}: {f['concept']} not in annotation.json"
        assert f["concept"] in lex, f"{f['note_id']}: {f['concept']} not in lexicon"
    for n in notes:
        words = len(n["text"].split())
        if not 80 <= words <= 450:
            print(f"warning: {n['note_id']} has {words} words", file=sys.stderr)


INCLUSION = [f"I{i}" for i in range(1, 9)]
EXCLUSION = [f"E{i}" for i in range(1, 16)]
BASELINE = {**{c: "met" for c in INCLUSION}, "I5": "not_computable", "I7": "not_computable",
            **{c: "not_met" for c in EXCLUSION}, "E13": "not_computable", "E14": "not_computable"}
CODES = {"m": "met", "n": "not_met", "u": "unknown", "nc": "not_computable"}


status_of = status_of_verdict_map  # the tool's own status rule (pipeline.match.rank)


def read_verdicts() -> list[dict]:
    out = []
    for line in (COHORT / "src" / "verdicts.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pid, status, over, why = (x.strip() for x in line.split("|", 3))
        verdicts = dict(BASELINE)
        for item in over.split():
            crit, code = item.split("=")
            assert crit in verdicts, (pid, crit)
            verdicts[crit] = CODES[code]
        assert status_of(verdicts) == status, f"{pid}: status {status} but rule gives {status_of(verdicts)}"
        out.append({"patient_id": pid, "status": status, "verdicts": verdicts, "notes": why})
    return out


def write_patient_table(gold: list[dict], notes: list[dict]) -> None:
    """corpora/cohort/patients.md: one row per patient (status, failed and unknown criteria, why)."""
    n_notes = {g["patient_id"]: sum(n["patient_id"] == g["patient_id"] for n in notes) for g in gold}
    rows = ["# Gold patients (generated by scripts/build_cohort_gold.py)", "",
            "| patient | notes | status | criteria failed | unknown | why |", "|---|---|---|---|---|---|"]
    for g in gold:
        v = g["verdicts"]
        failed = [c for c in v if (c[0] == "I" and v[c] == "not_met") or (c[0] == "E" and v[c] == "met")]
        unknown = [c for c in v if v[c] == "unknown"]
        rows.append(f"| {g['patient_id']} | {n_notes[g['patient_id']]} | {g['status']} | {' '.join(failed) or '-'} | "
                    f"{' '.join(unknown) or '-'} | {g['notes']} |")
    (COHORT / "patients.md").write_text("\n".join(rows) + "\n", encoding="utf-8")


def main() -> None:
    notes, facts = read_sources()
    check(notes, facts)
    with open(COHORT / "notes.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(n, ensure_ascii=False) + "\n" for n in notes)
    with open(COHORT / "notes.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["patient_id", "note_id", "date", "note_type", "text"])
        w.writeheader()
        w.writerows(notes)
    with open(COHORT / "gold_facts.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(f, ensure_ascii=False) + "\n" for f in facts)
    pts = sorted({n["patient_id"] for n in notes})
    gold = read_verdicts()
    if sorted(g["patient_id"] for g in gold) != pts:
        print("warning: verdicts.txt and notes disagree on patient ids", file=sys.stderr)
    with open(COHORT / "gold_patients.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(g, ensure_ascii=False) + "\n" for g in gold)
    write_patient_table(gold, notes)
    counts = {s: sum(g["status"] == s for g in gold) for s in ("eligible", "ineligible", "needs_review")}
    print("status:", counts)
    print(f"{len(pts)} patients, {len(notes)} notes, {len(facts)} gold facts")


if __name__ == "__main__":
    main()
