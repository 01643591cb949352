"""``trialsieve evaluate facts GOLD_DIR --pred DIR|NOTES``: predicted facts against brat gold.

Gold is a folder of brat ``.txt``/``.ann`` pairs (entity type = concept id, assertion flags as the
attributes
``Negated``, ``Historical``, ``Hypothetical``, ``Family``, ``Uncertain``), such as one written by
``trialsieve extract --format brat`` and corrected in brat or INCEpTION, or the development
cohort's hand gold
converted with :func:`cohort_gold_to_brat` (``python scripts/cohort_gold_brat.py``). Predictions
are another
such folder, or a notes file that is extracted here. Notes pair up by file stem
(:func:`pipeline.io.brat_facts.note_stem`); a gold note's text must equal the predicted note's text.

Only the entity types the gold ``annotation.conf`` declares are scored (all gold types when it has
none),
so a gold folder that annotates some concepts does not count the others as false positives.
Measures (the
scoring functions of :mod:`pipeline.evaluate.cohort`): P/R/F1 overall and per concept with exact and
overlapping spans (one-to-one), and per assertion flag the accuracy (and P/R/F1) on overlap-matched
pairs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import E, InputError, TrialsieveError
from ..io.brat_facts import (
    CONF_NAME,
    BratFolder,
    conf_types,
    exportable,
    note_stem,
    note_texts,
    read_fact_folder,
    type_name,
)
from .cohort import (
    ASSERTIONS,
    MODES,
    align_facts,
    as_record,
    assertion_scores,
    load_cohort,
    score_facts,
)
from .common import FLAG_MEANINGS_SHAPE, flag_meanings_of


class FactsEvaluationError(TrialsieveError):
    """The gold or prediction folder cannot be scored."""


def facts_as_brat(facts: Iterable[Any]) -> list[dict[str, Any]]:
    """Fact records (``Fact`` or dicts) as the records :func:`read_fact_folder` gives for their
    export."""
    out = []
    for f in map(as_record, facts):
        if exportable(f):
            out.append(
                {
                    "note_id": note_stem(f["patient_id"], f["note_id"]),
                    "concept": type_name(f["concept"]),
                    "start": f["start"],
                    "end": f["end"],
                    "text": f["text"],
                    **{flag: bool(f.get(flag)) for flag in ASSERTIONS},
                    "history_heading": bool(f.get("history_heading")),
                }
            )
    return out


def score(
    gold: list[dict[str, Any]],
    pred: list[dict[str, Any]],
    types: Iterable[str],
    notes: Iterable[str],
    meanings: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Every figure for gold and predicted records restricted to ``types`` and to the gold
    ``notes``; ``meanings`` as the gold folder's ``flag_meanings.json`` states them."""
    keep, stems = set(types), set(notes)
    gold = [g for g in gold if g["concept"] in keep]
    pred = [p for p in pred if p["concept"] in keep and p["note_id"] in stems]
    return {
        "n_gold": len(gold),
        "n_pred": len(pred),
        "notes": len(stems),
        "types": sorted(keep),
        **{mode: score_facts(gold, pred, mode) for mode in MODES},
        "assertions": assertion_scores(gold, pred, align_facts(gold, pred, "overlap"), meanings),
    }


def _check_texts(gold: Mapping[str, str], pred: Mapping[str, str], where: Path) -> None:
    for stem, text in gold.items():
        if stem in pred and pred[stem] != text:
            raise FactsEvaluationError(
                E.E030.format(
                    path=where / f"{stem}.txt",
                    line="-",
                    detail="the predicted note's text differs from the gold text, "
                    "so offsets cannot be compared",
                )
            )


def predictions(pred: Path, gold_texts: Mapping[str, str]) -> list[dict[str, Any]]:
    """Predicted records from a brat folder, or from extracting a notes file."""
    if pred.is_dir():
        _check_texts(gold_texts, note_texts(pred), pred)
        return read_fact_folder(pred)
    from ..extract.facts import extract
    from ..io.notes import read_notes

    notes, problems = read_notes(pred)
    if problems:
        raise FactsEvaluationError(problems[0].message)
    _check_texts(gold_texts, {note_stem(n.patient_id, n.note_id): n.text for n in notes}, pred)
    wanted = [n for n in notes if note_stem(n.patient_id, n.note_id) in gold_texts]
    return facts_as_brat(extract(wanted))


def evaluate_folder(gold_dir: Path, pred: Path) -> dict[str, Any]:
    """Score ``pred`` (brat folder or notes file) against the brat folder ``gold_dir``."""
    gold_dir, pred = Path(gold_dir), Path(pred)
    try:
        texts = note_texts(gold_dir)
        if not texts:
            raise FactsEvaluationError(
                E.E001.format(path=gold_dir, detail="no .txt files: not a brat folder")
            )
        gold = read_fact_folder(gold_dir)
        types = conf_types(gold_dir / CONF_NAME) or {g["concept"] for g in gold}
        result = score(gold, predictions(pred, texts), types, texts, read_meanings(gold_dir))
    except InputError as err:
        raise FactsEvaluationError(str(err)) from err
    return {"gold": str(gold_dir), "pred": str(pred), **result}


MEANINGS_NAME = "flag_meanings.json"
"""In a brat gold folder: what its assertion flags mean where it differs from the facts' (see
``common.FLAG_MEANINGS``); written by :func:`cohort_gold_to_brat` from the cohort's ``annotation.json``."""


def read_meanings(gold_dir: Path) -> dict[str, str]:
    path = Path(gold_dir) / MEANINGS_NAME
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise FactsEvaluationError(E.E030.format(path=path, line=1, detail=err)) from err
    checked = flag_meanings_of(data)
    if checked is None:
        raise FactsEvaluationError(E.E030.format(path=path, line=1, detail=FLAG_MEANINGS_SHAPE))
    return checked


def cohort_gold_to_brat(cohort: Path | None, out: Path) -> Path:
    """Write a cohort's hand gold (``gold_facts.jsonl``, validated by the cohort loader) as a brat
    folder whose
    ``annotation.conf`` declares the annotated concepts (``annotation.json``)."""
    loaded = load_cohort(cohort)
    by_note: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for g in loaded.gold_facts:
        by_note.setdefault((g["patient_id"], g["note_id"]), []).append(g)
    folder = BratFolder(Path(out))
    for n in loaded.notes:
        folder.add(n.patient_id, n.note_id, n.text, by_note.get((n.patient_id, n.note_id), []))
    closed = folder.close(declared=loaded.concepts)
    if loaded.flag_meanings:
        (Path(out) / MEANINGS_NAME).write_text(json.dumps(loaded.flag_meanings, sort_keys=True) + "\n",
                                               encoding="utf-8")
    return closed


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def render(result: dict[str, Any]) -> str:
    """The figures as plain text."""
    lines = [
        (
            f"Facts {result['pred']} against brat gold {result['gold']}: {result['notes']} notes, "
            f"{result['n_gold']} gold, {result['n_pred']} predicted "
            f"({len(result['types'])} declared types)"
        ),
        "",
        "Spans            P      R      F1     tp    fp    fn",
    ]
    for mode in MODES:
        o = result[mode]["overall"]
        lines.append(
            f"  {mode:<10} {_pct(o['precision'])}  {_pct(o['recall'])}  {_pct(o['f1'])}  "
            f"{o['tp']:5d} {o['fp']:5d} {o['fn']:5d}"
        )
    lines += ["", "Per concept               exact F1   overlap P      R      F1   gold"]
    exact = result["exact"]["per_concept"]
    for c, s in result["overlap"]["per_concept"].items():
        lines.append(
            f"  {c:<26} {_pct(exact[c]['f1'])}      {_pct(s['precision'])}  {_pct(s['recall'])}  "
            f"{_pct(s['f1'])}  {s['tp'] + s['fn']:5d}"
        )
    a = result["assertions"]
    lines += [
        "",
        (
            f"Assertions on {a['n']} overlap-matched spans (all five flags right: "
            f"{_pct(a['all_flags_accuracy'])}%)"
        ),
        "  flag           acc     P      R      F1   gold-true",
    ]
    for flag in ASSERTIONS:
        s = a[flag]
        lines.append(
            f"  {flag:<13} {_pct(s['accuracy'])}  {_pct(s['precision'])}  {_pct(s['recall'])}  "
            f"{_pct(s['f1'])}  {s['gold_true']:5d}"
        )
    return "\n".join(lines)
