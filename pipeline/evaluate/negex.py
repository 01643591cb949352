"""``trialsieve evaluate negex``: assertion accuracy on a NegEx/ConText-format TSV.

Columns (with a header line): line number, Condition, sentence, negation status
(Negated/Affirmed/possible), temporality (Recent/Historical/Hypothetical, or "Not particular" =
hypothetical), experiencer (Patient/Other). Each Condition is added as a user lexicon entry (as
``--lexicon`` does) and the sentence is run through note extraction; the fact for that phrase is
compared with the gold labels.
A Condition not found in its sentence counts as an affirmed / recent / patient prediction.

Classes: ``negated`` (gold Negated), ``historical``, ``hypothetical``, ``experiencer_other`` (gold
Other vs a ``family`` fact). Gold "possible" is not negated. Temporality is ConText's, independent
of negation; the fact's ``historical`` flag is scored exactly as ``extract`` outputs it (negated facts and Past
Medical History items keep a historical cue without the flag, and then count as not historical).
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from ..errors import E, InputError
from ..lexicon import LexiconEntry
from ..resources import corpora_path
from .common import prf

SHARED_DEFAULT = Path("/work/shared/data/negex_context.tsv")
CONCEPT = "negex_condition"
CLASSES = ("negated", "historical", "hypothetical", "experiencer_other")
NOTE_DATE = dt.date(2000, 1, 1)
"""The TSV has no report dates: sentences are read as of this date, so that dates they mention
(2007-2008 in the public set) never make a fact historical by date alone."""


def default_path() -> Path:
    if SHARED_DEFAULT.is_file():
        return SHARED_DEFAULT
    return corpora_path("negex_sample", "negex_sample.tsv")


def read_rows(path: Path) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.reader(f, delimiter="\t")
            next(reader, None)
            rows = []
            for lineno, rec in enumerate(reader, 2):
                if not rec or not "".join(rec).strip():
                    continue
                if len(rec) < 6:
                    raise InputError(
                        E.E030.format(path=path, line=lineno, detail=f"expected 6 columns, got {len(rec)}")
                    )
                rows.append({"id": rec[0], "condition": rec[1], "sentence": rec[2], "negation": rec[3].strip().lower(),
                             "temporality": rec[4].strip().lower(), "experiencer": rec[5].strip().lower()})
            return rows
    except OSError as err:
        raise InputError(E.E001.format(path=path, detail=err)) from err


def gold_labels(row: dict[str, str]) -> dict[str, bool]:
    return {
        "negated": row["negation"] == "negated",
        "historical": row["temporality"] == "historical",
        "hypothetical": row["temporality"] in ("hypothetical", "not particular"),
        "experiencer_other": row["experiencer"] == "other",
    }


def predict(row: dict[str, str]) -> dict[str, Any] | None:
    """Predicted labels for one row, or None when the condition is not found in the sentence."""
    from ..extract.facts import extract_text

    entry = LexiconEntry(id="user.negex", concept=CONCEPT, category="other", kind="condition",
                         phrases=(row["condition"].strip(),), user=True)
    facts = [f for f in extract_text(row["sentence"], date=NOTE_DATE, user_entries=[entry]) if f.concept == CONCEPT]
    if not facts:
        return None
    f = facts[0]
    # the historical flag exactly as users receive it in the facts (a recorded cue without the flag does not count)
    return {"negated": f.negated, "historical": f.historical, "hypothetical": f.hypothetical,
            "experiencer_other": f.family, "cues": [c.category + ":" + c.text for c in f.cues]}


def run(path: Path | None = None) -> dict:
    path = Path(path) if path else default_path()
    rows = read_rows(path)
    counts = {c: {"tp": 0, "fp": 0, "fn": 0, "tn": 0} for c in CLASSES}
    not_found = 0
    errors: dict[str, list[dict]] = {c: [] for c in CLASSES}
    for row in rows:
        gold = gold_labels(row)
        pred = predict(row)
        if pred is None:
            not_found += 1
            pred = {c: False for c in CLASSES}
            pred["cues"] = []
        for c in CLASSES:
            g, p = gold[c], bool(pred[c])
            key = "tp" if g and p else "fp" if p else "fn" if g else "tn"
            counts[c][key] += 1
            if g != p and len(errors[c]) < 200:
                errors[c].append({"id": row["id"], "gold": g, "cues": pred["cues"]})
    result: dict[str, Any] = {"path": str(path), "rows": len(rows), "not_found": not_found, "classes": {}}
    for c in CLASSES:
        k = counts[c]
        figures = prf(k["tp"], k["fp"], k["fn"])
        figures["accuracy"] = round((k["tp"] + k["tn"]) / len(rows), 4) if rows else 0.0
        figures["gold"] = k["tp"] + k["fn"]
        result["classes"][c] = figures
    result["errors"] = errors
    return result


def render(result: dict) -> str:
    lines = [
        f"NegEx/ConText assertion evaluation: {result['path']}",
        f"{result['rows']} rows; condition not found in sentence: {result['not_found']} "
        "(counted as affirmed/recent/patient)",
        "",
        f"{'class':<18} {'gold':>5} {'acc':>6} {'P':>6} {'R':>6} {'F1':>6}",
    ]
    for c, f in result["classes"].items():
        lines.append(
            f"{c:<18} {f['gold']:>5} {f['accuracy']:>6.3f} {f['precision']:>6.3f} {f['recall']:>6.3f} {f['f1']:>6.3f}"
        )
    return "\n".join(lines)
