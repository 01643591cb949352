"""``trialsieve evaluate cohort``: facts, assertions, verdicts and statuses against an annotated cohort.

A cohort folder (default ``corpora/cohort``) holds ``notes.jsonl`` (or ``notes.csv``), ``meta.json``
(``listing``, ``as_of``, ``first_dose``), ``annotation.json`` (the annotated concept ids),
``gold_facts.jsonl`` and ``gold_patients.jsonl``; ``corpora/cohort/README.md`` is the guideline.

Measures (all scoring functions are pure: they take gold and predicted records, so tests can
inject hand-written predictions without running extraction):

- **facts**: P/R/F1 per concept and overall. A prediction matches a gold fact of the same note and
  concept whose span is identical (``exact``) or shares a character (``overlap``); one-to-one
  (:func:`.common.align_spans`). Predictions of concepts not in ``annotation.json`` are ignored.
- **values**: accuracy on overlap-matched pairs whose gold fact has a value (numbers within
  :data:`NUMERIC_TOLERANCE` relative, words case-insensitively).
- **assertions**: per flag (negated, historical, hypothetical, family, uncertain) the accuracy and
  P/R/F1 of the flag over overlap-matched pairs.
- **verdicts**: accuracy per criterion id and overall; **status**: accuracy, a 3x3 confusion table
  (gold rows x predicted columns), precision of ``eligible`` and ``ineligible``, the number of false
  eligible, and every wrong case with the tool's evidence and reason.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import E, InputError, TrialsieveError
from ..resources import corpora_path
from .common import (
    ASSERTIONS,
    FLAG_MEANINGS_SHAPE,
    align_spans,
    assertion_scores,
    flag_meanings_of,
    prf,
    safe_div,
)

log = logging.getLogger(__name__)

STATUSES: tuple[str, ...] = ("eligible", "needs_review", "ineligible")
MODES: tuple[str, ...] = ("exact", "overlap")
NUMERIC_TOLERANCE = 0.02
"""Relative tolerance when comparing numeric values (unit conversions round differently)."""
NUMERIC_ABS_TOLERANCE = 0.05
MAX_WRONG_SHOWN = 60


class EvaluationError(TrialsieveError):
    """The cohort folder or the modules the evaluation needs cannot be used."""


@dataclass(frozen=True)
class Cohort:
    folder: Path
    notes: list[Any]
    gold_facts: list[dict[str, Any]]
    gold_patients: list[dict[str, Any]]
    concepts: frozenset[str]
    meta: dict[str, Any]
    flag_meanings: dict[str, str] = field(default_factory=dict)
    """What the gold's assertion flags mean where it differs from the facts' (annotation.json ``flag_meanings``)."""


# ----------------------------------------------------------------------------- loading


def default_folder() -> Path:
    return corpora_path("cohort")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise EvaluationError(E.E001.format(path=path, detail="file not found"))
    out = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise EvaluationError(E.E030.format(path=path, line=lineno, detail=err.msg)) from err
        if not isinstance(obj, dict):
            raise EvaluationError(E.E030.format(path=path, line=lineno, detail="not a JSON object"))
        out.append(obj)
    return out


def _read_json(path: Path) -> Any:
    if not path.is_file():
        raise EvaluationError(E.E001.format(path=path, detail="file not found"))
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise EvaluationError(E.E030.format(path=path, line=err.lineno, detail=err.msg)) from err


def _check_gold_facts(path: Path, facts: list[dict[str, Any]], texts: Mapping[tuple[str, str], str]) -> None:
    for i, f in enumerate(facts, 1):
        for key in ("patient_id", "note_id", "concept", "start", "end", "text"):
            if key not in f:
                raise EvaluationError(E.E030.format(path=path, line=i, detail=f"missing '{key}'"))
        text = texts.get((f["patient_id"], f["note_id"]))
        if text is None:
            raise EvaluationError(E.E030.format(path=path, line=i,
                                                detail=f"unknown note {f['note_id']!r} of patient {f['patient_id']!r}"))
        if text[f["start"]:f["end"]] != f["text"]:
            raise EvaluationError(E.E030.format(path=path, line=i,
                                                detail="text does not equal the note text at start:end"))


def load_cohort(folder: Path | None = None) -> Cohort:
    """Read and validate a cohort folder; raises :class:`EvaluationError` naming the bad file."""
    from ..io.notes import read_notes

    folder = Path(folder) if folder else default_folder()
    notes_path = folder / "notes.jsonl"
    if not notes_path.is_file():
        notes_path = folder / "notes.csv"
    try:
        notes, problems = read_notes(notes_path)
    except InputError as err:
        raise EvaluationError(str(err)) from err
    if problems:
        raise EvaluationError(problems[0].message)
    meta = _read_json(folder / "meta.json")
    concepts: Any = []
    meanings: dict[str, str] = {}
    gold_facts: list[dict[str, Any]] = []
    if (folder / "annotation.json").is_file():  # fact gold is optional: a benchmark may judge verdicts only
        annotation = _read_json(folder / "annotation.json")
        concepts = annotation.get("concepts") if isinstance(annotation, dict) else annotation
        if not isinstance(concepts, list):
            raise EvaluationError(E.E030.format(path=folder / "annotation.json", line=1,
                                                detail="expected {\"concepts\": [...]}"))
        checked = flag_meanings_of(annotation.get("flag_meanings", {}) if isinstance(annotation, dict) else {})
        if checked is None:
            raise EvaluationError(E.E030.format(path=folder / "annotation.json", line=1,
                                                detail=f"flag_meanings {FLAG_MEANINGS_SHAPE}"))
        meanings = checked
        gold_facts = read_jsonl(folder / "gold_facts.jsonl")
        _check_gold_facts(folder / "gold_facts.jsonl", gold_facts, {(n.patient_id, n.note_id): n.text for n in notes})
    gold_patients = read_jsonl(folder / "gold_patients.jsonl")
    for i, g in enumerate(gold_patients, 1):
        if "patient_id" not in g or g.get("status") not in STATUSES or not isinstance(g.get("verdicts"), dict):
            raise EvaluationError(E.E030.format(path=folder / "gold_patients.jsonl", line=i,
                                                detail="needs patient_id, status and verdicts"))
    return Cohort(folder, notes, gold_facts, gold_patients, frozenset(concepts), meta, meanings)


# ----------------------------------------------------------------------------- facts


def as_record(fact: Any) -> dict[str, Any]:
    """A plain dict view of a ``Fact`` (or of a dict with the same keys)."""
    if hasattr(fact, "model_dump"):
        return fact.model_dump(mode="json")
    return dict(fact)


def align_facts(gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]],
                mode: str) -> list[tuple[int, int]]:
    """One-to-one ``(gold_index, pred_index)`` pairs: same note (patient and note id), same concept,
    spans equal or overlapping."""
    groups: dict[tuple[Any, str, str], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i, g in enumerate(gold):
        groups[(g.get("patient_id"), g["note_id"], g["concept"])][0].append(i)
    for j, p in enumerate(pred):
        groups[(p.get("patient_id"), p["note_id"], p["concept"])][1].append(j)
    pairs: list[tuple[int, int]] = []
    for gi, pj in groups.values():
        if not gi or not pj:
            continue
        local = align_spans([(gold[i]["start"], gold[i]["end"]) for i in gi],
                            [(pred[j]["start"], pred[j]["end"]) for j in pj], mode)  # type: ignore[arg-type]
        pairs.extend((gi[a], pj[b]) for a, b in local)
    return sorted(pairs)


def relevant_predictions(pred: Iterable[Any], concepts: Iterable[str],
                         note_ids: Iterable[Any] | None = None) -> list[dict[str, Any]]:
    """Predictions restricted to the annotated concepts (and, when given, to the cohort's notes:
    ``(patient_id, note_id)`` pairs, or bare note ids)."""
    keep = set(concepts)
    notes = set(note_ids) if note_ids is not None else None
    out = []
    for p in map(as_record, pred):
        if p["concept"] in keep and (
                notes is None or (p.get("patient_id"), p["note_id"]) in notes or p["note_id"] in notes):
            out.append(p)
    return out


def score_facts(gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]], mode: str) -> dict[str, Any]:
    """P/R/F1 overall and per concept (concepts present in gold or predictions)."""
    pairs = align_facts(gold, pred, mode)
    tp_by: dict[str, int] = defaultdict(int)
    for i, _ in pairs:
        tp_by[gold[i]["concept"]] += 1
    n_gold: dict[str, int] = defaultdict(int)
    n_pred: dict[str, int] = defaultdict(int)
    for g in gold:
        n_gold[g["concept"]] += 1
    for p in pred:
        n_pred[p["concept"]] += 1
    per = {c: prf(tp_by[c], n_pred[c] - tp_by[c], n_gold[c] - tp_by[c]) for c in sorted(set(n_gold) | set(n_pred))}
    tp = len(pairs)
    return {"overall": prf(tp, len(pred) - tp, len(gold) - tp), "per_concept": per}


def values_equal(gold_value: Any, pred_value: Any) -> bool:
    """Numbers within tolerance; words case- and space-insensitively; a number never equals a word."""
    if isinstance(gold_value, (int, float)) and not isinstance(gold_value, bool):
        if not isinstance(pred_value, (int, float)) or isinstance(pred_value, bool):
            return False
        return abs(float(gold_value) - float(pred_value)) <= max(NUMERIC_TOLERANCE * abs(float(gold_value)),
                                                                 NUMERIC_ABS_TOLERANCE)
    if pred_value is None or isinstance(pred_value, (int, float)):
        return False
    return " ".join(str(gold_value).lower().split()) == " ".join(str(pred_value).lower().split())


def value_accuracy(gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]],
                   pairs: Iterable[tuple[int, int]]) -> dict[str, Any]:
    """Accuracy of predicted values on matched pairs whose gold fact carries a value."""
    n = correct = 0
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i, j in pairs:
        gv = gold[i].get("value")
        if gv is None:
            continue
        ok = values_equal(gv, pred[j].get("value"))
        n += 1
        correct += ok
        per[gold[i]["concept"]][0] += ok
        per[gold[i]["concept"]][1] += 1
    return {"n": n, "correct": correct, "accuracy": round(safe_div(correct, n), 4),
            "per_concept": {c: {"n": t, "accuracy": round(safe_div(k, t), 4)} for c, (k, t) in sorted(per.items())}}


def fact_report(gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]],
                meanings: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every fact-level measure for already-filtered gold and predictions."""
    overlap_pairs = align_facts(gold, pred, "overlap")
    return {
        "n_gold": len(gold),
        "n_pred": len(pred),
        "exact": score_facts(gold, pred, "exact"),
        "overlap": score_facts(gold, pred, "overlap"),
        "values": value_accuracy(gold, pred, overlap_pairs),
        "assertions": assertion_scores(gold, pred, overlap_pairs, meanings),
    }


# ----------------------------------------------------------------------------- verdicts


def _evidence_line(ev: Mapping[str, Any]) -> str:
    where = f"{ev.get('source_id', '?')}:{ev.get('start', '?')}-{ev.get('end', '?')}"
    extra = ", ".join(f"{k}={ev[k]}" for k in ("value", "assertion") if ev.get(k) not in (None, ""))
    return f"{where} {ev.get('text', '')!r}" + (f" ({extra})" if extra else "")


def score_verdicts(gold_patients: Sequence[Mapping[str, Any]], results: Iterable[Any]) -> dict[str, Any]:
    """Criterion verdict accuracy, status accuracy and confusion, and the list of wrong cases.

    A patient missing from ``results`` counts as predicted ``missing`` everywhere.
    """
    by_pid = {r["patient_id"]: r for r in map(as_record, results)}
    per_crit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    confusion = {g: {p: 0 for p in STATUSES + ("missing",)} for g in STATUSES}
    wrong: list[dict[str, Any]] = []
    status_ok = 0
    for gp in gold_patients:
        pid = gp["patient_id"]
        res = by_pid.get(pid)
        pred_status = res["status"] if res else "missing"
        confusion[gp["status"]][pred_status if pred_status in STATUSES else "missing"] += 1
        status_ok += pred_status == gp["status"]
        if pred_status != gp["status"]:
            wrong.append({"patient_id": pid, "criterion": "status", "gold": gp["status"], "predicted": pred_status,
                          "reason": "; ".join((res or {}).get("reasons", [])[:3]), "evidence": [],
                          "gold_note": gp.get("notes", "")})
        verdicts = {c["criterion_id"]: c for c in (res or {}).get("criteria", [])}
        for cid, gold_v in sorted(gp["verdicts"].items(), key=lambda kv: (kv[0][0] != "I", int(kv[0][1:]))):
            pv = verdicts.get(cid)
            pred_v = pv["verdict"] if pv else "missing"
            per_crit[cid][1] += 1
            if pred_v == gold_v:
                per_crit[cid][0] += 1
                continue
            wrong.append({"patient_id": pid, "criterion": cid, "gold": gold_v, "predicted": pred_v,
                          "reason": (pv or {}).get("reason", ""),
                          "evidence": [_evidence_line(e) for e in (pv or {}).get("evidence", [])[:3]]})
    n_crit = sum(t for _, t in per_crit.values())
    pred_col = {p: sum(confusion[g][p] for g in STATUSES) for p in STATUSES}
    return {
        "n_patients": len(gold_patients),
        "criteria": {c: {"n": t, "accuracy": round(safe_div(k, t), 4)} for c, (k, t) in
                     sorted(per_crit.items(), key=lambda kv: (kv[0][0] != "I", int(kv[0][1:])))},
        "criteria_overall": round(safe_div(sum(k for k, _ in per_crit.values()), n_crit), 4),
        "status_accuracy": round(safe_div(status_ok, len(gold_patients)), 4),
        "confusion": confusion,
        "eligible_precision": round(safe_div(confusion["eligible"]["eligible"], pred_col["eligible"]), 4),
        "ineligible_precision": round(safe_div(confusion["ineligible"]["ineligible"], pred_col["ineligible"]), 4),
        "predicted_eligible": pred_col["eligible"],
        "predicted_ineligible": pred_col["ineligible"],
        "false_eligible": pred_col["eligible"] - confusion["eligible"]["eligible"],
        "false_ineligible": confusion["eligible"]["ineligible"],
        "false_ineligible_rate": round(safe_div(confusion["eligible"]["ineligible"],
                                                sum(confusion["eligible"].values())), 4),
        "wrong": wrong,
    }


# ----------------------------------------------------------------------------- run / render


def _pipeline_functions():
    try:
        from ..extract.criteria import parse_listing
        from ..extract.facts import extract
        from ..match.matcher import match_trial
    except ImportError as err:
        raise EvaluationError(
            f"cannot run the cohort evaluation: module {getattr(err, 'name', None) or err} is missing or broken "
            f"({err}). The evaluation needs pipeline.extract.criteria, pipeline.extract.facts and "
            f"pipeline.match.matcher.") from err
    return parse_listing, extract, match_trial


def _listing_path(cohort: Cohort) -> Path:
    listing = Path(cohort.meta.get("listing", ""))
    if listing.is_absolute() and listing.is_file():
        return listing
    for cand in (cohort.folder / listing, corpora_path().parent / listing, corpora_path("listings", listing.name)):
        if cand.is_file():
            return cand
    raise EvaluationError(E.E001.format(path=listing, detail="listing named in meta.json not found"))


def evaluate(cohort: Cohort, facts: Iterable[Any], results: Iterable[Any] | None) -> dict[str, Any]:
    """All figures for a loaded cohort, given predicted facts and (optionally) patient results."""
    note_ids = {(n.patient_id, n.note_id) for n in cohort.notes}
    gold = [g for g in cohort.gold_facts if g["concept"] in cohort.concepts]
    pred = relevant_predictions(facts, cohort.concepts, note_ids)
    out: dict[str, Any] = {
        "folder": str(cohort.folder),
        "patients": len({n.patient_id for n in cohort.notes}),
        "notes": len(cohort.notes),
        "facts": fact_report(gold, pred, cohort.flag_meanings),
    }
    if results is not None:
        out["verdicts"] = score_verdicts(cohort.gold_patients, results)
    return out


def trial_folders(path: Path) -> list[Path]:
    """The trial folders of a multi-trial benchmark (sub-folders holding ``meta.json``), at any depth."""
    return sorted(p.parent for p in Path(path).rglob("meta.json") if p.parent != Path(path))


def run(path: Path | None = None) -> dict[str, Any]:
    """Extract and match the cohort at ``path`` (default ``corpora/cohort``) and score it. A folder of trial
    folders (``corpora/bench/dev``) is scored per trial and over all its patients."""
    if path is not None and not (Path(path) / "meta.json").is_file() and trial_folders(Path(path)):
        return run_benchmark(Path(path))
    return run_one(path)


def run_benchmark(path: Path) -> dict[str, Any]:
    per_trial = {}
    pairs: list[tuple[str, str]] = []
    for folder in trial_folders(path):
        r = run_one(folder)
        vd = r["verdicts"]
        per_trial[str(folder.relative_to(path))] = {k: vd[k] for k in ("status_accuracy", "false_eligible",
                                                                       "false_ineligible", "confusion")}
        per_trial[str(folder.relative_to(path))]["wrong_status"] = [w for w in vd["wrong"]
                                                                    if w["criterion"] == "status"]
        pairs += [(g, p) for g, row in vd["confusion"].items() for p, n in row.items() for _ in range(n)]
    n = len(pairs)
    eligible = [p for g, p in pairs if g == "eligible"]
    return {
        "benchmark": str(path), "trials": len(per_trial), "patients": n,
        "status_accuracy": round(safe_div(sum(g == p for g, p in pairs), n), 4),
        "false_eligible": sum(1 for g, p in pairs if p == "eligible" and g != "eligible"),
        "false_ineligible": sum(1 for p in eligible if p == "ineligible"),
        "false_ineligible_rate": round(safe_div(sum(1 for p in eligible if p == "ineligible"), len(eligible)), 4),
        "per_trial": per_trial,
    }


def run_one(path: Path | None = None) -> dict[str, Any]:
    cohort = load_cohort(path)
    parse_listing, extract, match_trial = _pipeline_functions()
    trial = parse_listing(_listing_path(cohort))
    facts = list(extract(cohort.notes))
    as_of = dt.date.fromisoformat(cohort.meta["as_of"])
    first_dose = dt.date.fromisoformat(cohort.meta.get("first_dose") or cohort.meta["as_of"])
    results = match_trial(trial, cohort.notes, facts, as_of=as_of, first_dose=first_dose)
    log.info("cohort: %d notes, %d facts, %d patients", len(cohort.notes), len(facts), len(results))
    return evaluate(cohort, facts, results)


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def render_benchmark(result: dict[str, Any]) -> str:
    lines = [f"Benchmark {result['benchmark']}: {result['trials']} trials, {result['patients']} patients", "",
             f"Patient status: {_pct(result['status_accuracy'])}% correct; false eligible {result['false_eligible']}; "
             f"false ineligible {result['false_ineligible']} "
             f"({_pct(result['false_ineligible_rate']).strip()}% of eligible)", "",
             "  trial                          status   false elig.  false inelig."]
    for name, t in result["per_trial"].items():
        lines.append(f"  {name:<30} {_pct(t['status_accuracy'])}%  "
                     f"{t['false_eligible']:11d}  {t['false_ineligible']:13d}")
    return "\n".join(lines)


def render(result: dict[str, Any]) -> str:
    """A plain-text report of :func:`run`'s figures."""
    if "benchmark" in result:
        return render_benchmark(result)
    f = result["facts"]
    header = (f"Cohort {result['folder']}: {result['patients']} patients, {result['notes']} notes, "
              f"{f['n_gold']} gold facts, {f['n_pred']} predicted (annotated concepts only)")
    lines = [header, "", "Facts            P      R      F1     tp    fp    fn"]
    for mode in MODES:
        o = f[mode]["overall"]
        lines.append(f"  {mode:<10} {_pct(o['precision'])}  {_pct(o['recall'])}  {_pct(o['f1'])}  "
                     f"{o['tp']:5d} {o['fp']:5d} {o['fn']:5d}")
    lines += ["", "Per concept (overlap)          P      R      F1   gold"]
    for c, s in f["overlap"]["per_concept"].items():
        lines.append(f"  {c:<26} {_pct(s['precision'])}  {_pct(s['recall'])}  {_pct(s['f1'])}  {s['tp'] + s['fn']:5d}")
    v = f["values"]
    lines += ["", f"Values: {_pct(v['accuracy'])}% correct on {v['n']} matched facts with a gold value"]
    for c, s in v["per_concept"].items():
        lines.append(f"  {c:<26} {_pct(s['accuracy'])}%  (n={s['n']})")
    a = f["assertions"]
    lines += ["", f"Assertions on {a['n']} matched facts (all five flags right: {_pct(a['all_flags_accuracy'])}%)",
              "  flag           acc     P      R      F1   gold-true"]
    for flag in ASSERTIONS:
        s = a[flag]
        lines.append(f"  {flag:<13} {_pct(s['accuracy'])}  {_pct(s['precision'])}  {_pct(s['recall'])}  "
                     f"{_pct(s['f1'])}  {s['gold_true']:5d}")
    if "verdicts" in result:
        vd = result["verdicts"]
        lines += ["", f"Criterion verdicts: {_pct(vd['criteria_overall'])}% correct overall"]
        lines.append("  " + "  ".join(f"{c}:{_pct(s['accuracy']).strip()}" for c, s in vd["criteria"].items()))
        lines += ["", f"Patient status: {_pct(vd['status_accuracy'])}% correct ({vd['n_patients']} patients)",
                  "  gold \\ predicted   eligible  needs_review  ineligible  missing"]
        for g in STATUSES:
            row = vd["confusion"][g]
            lines.append(f"  {g:<18} {row['eligible']:8d}  {row['needs_review']:12d}  "
                         f"{row['ineligible']:10d}  {row['missing']:7d}")
        precision = (f"  precision of eligible: {_pct(vd['eligible_precision'])}% "
                     f"({vd['predicted_eligible']} predicted); "
                     f"precision of ineligible: {_pct(vd['ineligible_precision'])}% "
                     f"({vd['predicted_ineligible']} predicted); "
                     f"false eligible: {vd['false_eligible']}; false ineligible: {vd['false_ineligible']} "
                     f"({_pct(vd['false_ineligible_rate']).strip()}% of eligible)")
        lines += [precision, "", f"Wrong cases ({len(vd['wrong'])}):"]
        for w in vd["wrong"][:MAX_WRONG_SHOWN]:
            lines.append(f"  {w['patient_id']} {w['criterion']}: gold {w['gold']}, predicted {w['predicted']}"
                         + (f" - {w['reason']}" if w["reason"] else ""))
            for ev in w["evidence"]:
                lines.append(f"      {ev}")
        if len(vd["wrong"]) > MAX_WRONG_SHOWN:
            lines.append(f"  ... {len(vd['wrong']) - MAX_WRONG_SHOWN} more (use --json for all)")
    return "\n".join(lines)
