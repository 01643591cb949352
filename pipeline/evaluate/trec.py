"""``trialsieve evaluate trec``: status and ranking on TREC Clinical Trials 2021/2022 judged pairs.

The folder (default ``../shared/data/trec_ct``; README there) holds ``topics.jsonl`` (one synthetic
patient description per topic), ``qrels.tsv`` (judged topic-trial pairs: 2 eligible, 1 excluded,
0 not relevant) and ``trials/<NCT>.json``. Each topic is screened as one patient with one note dated
at the screening date, against every trial judged for it.

Measures (pure functions over (label, status, score) rows, so tests can inject predictions):

- **status**: a 3x3 table (label rows x status columns); *eligible kept* = share of label-2 pairs not
  called ineligible; *non-eligible caught* = share of label-0/1 pairs called ineligible (and per label);
  *balanced accuracy* = their mean; *false ineligible* = 1 - eligible kept.
- **ranking**: per topic, NDCG@10 of its judged trials ordered by score (gain = label), ties taken in
  expectation over their orders; against the expected NDCG@10 of a uniformly random order (exact,
  over all permutations of the topic's trials).
"""
from __future__ import annotations

import datetime as dt
import itertools
import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from ..errors import E, TrialsieveError
from .common import safe_div

log = logging.getLogger(__name__)

LABELS = {0: "not relevant", 1: "excluded", 2: "eligible"}
STATUSES = ("eligible", "needs_review", "ineligible")
K = 10


class TrecError(TrialsieveError):
    """The TREC folder cannot be used."""


@dataclass(frozen=True)
class Pair:
    topic_id: str
    nct_id: str
    label: int
    status: str
    score: float
    reasons: tuple[str, ...] = ()


def default_folder() -> Path:
    return Path(__file__).resolve().parents[3] / "shared" / "data" / "trec_ct"


def as_of_for(year: int) -> dt.date:
    """The screening date of a topic: mid-year of its track (topics carry no dates)."""
    return dt.date(int(year), 7, 1)


# ----------------------------------------------------------------------------- scoring (pure)


def dcg(gains: Sequence[float], k: int = K) -> float:
    return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:k]))


def ndcg(gains: Sequence[float], k: int = K) -> float:
    ideal = dcg(sorted(gains, reverse=True), k)
    return safe_div(dcg(gains, k), ideal)


def expected_ndcg_by_score(rows: Sequence[tuple[float, int]], k: int = K) -> float:
    """NDCG@k of items ordered by descending score, ties averaged over all their orders."""
    groups: dict[float, list[int]] = defaultdict(list)
    for score, label in rows:
        groups[score].append(label)
    ordered_groups = [groups[s] for s in sorted(groups, reverse=True)]
    orders: list[list[int]] = [[]]
    for g in ordered_groups:
        perms = list(set(itertools.permutations(g))) if len(g) <= 7 else [tuple(sorted(g, reverse=True))]
        orders = [o + list(p) for o in orders for p in perms]
    return sum(ndcg(o, k) for o in orders) / len(orders)


def random_ndcg(labels: Sequence[int], k: int = K) -> float:
    """Expected NDCG@k of a uniformly random order (exact for up to 8 items)."""
    if len(labels) > 8:
        raise ValueError("random_ndcg is exact only for up to 8 items")
    perms = list(itertools.permutations(labels))
    return sum(ndcg(p, k) for p in perms) / len(perms)


def score_pairs(pairs: Iterable[Pair]) -> dict[str, Any]:
    pairs = list(pairs)
    table = {LABELS[lab]: {s: 0 for s in STATUSES} for lab in (2, 1, 0)}
    for p in pairs:
        table[LABELS[p.label]][p.status] += 1
    elig = [p for p in pairs if p.label == 2]
    non = [p for p in pairs if p.label != 2]
    kept = safe_div(sum(p.status != "ineligible" for p in elig), len(elig))
    caught = safe_div(sum(p.status == "ineligible" for p in non), len(non))
    by_label = {LABELS[lab]: safe_div(sum(p.status == "ineligible" for p in non if p.label == lab),
                                      sum(1 for p in non if p.label == lab)) for lab in (1, 0)}
    topics: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        topics[p.topic_id].append(p)
    per_topic = {}
    for tid, ps in sorted(topics.items()):
        labels = [p.label for p in ps]
        if not any(labels):
            continue
        per_topic[tid] = {
            "ndcg": expected_ndcg_by_score([(p.score, p.label) for p in ps]),
            "random": random_ndcg(labels),
        }
    mean = safe_div(sum(v["ndcg"] for v in per_topic.values()), len(per_topic))
    rand = safe_div(sum(v["random"] for v in per_topic.values()), len(per_topic))
    return {
        "pairs": len(pairs),
        "status_table": table,
        "eligible_kept": round(kept, 4),
        "non_eligible_caught": round(caught, 4),
        "caught_by_label": {k: round(v, 4) for k, v in by_label.items()},
        "balanced_accuracy": round((kept + caught) / 2, 4),
        "false_ineligible_rate": round(1 - kept, 4) if elig else 0.0,
        "ndcg10": round(mean, 4),
        "ndcg10_random": round(rand, 4),
        "ndcg10_gain_over_random": round(mean - rand, 4),
        "per_topic": {t: {k: round(v, 4) for k, v in d.items()} for t, d in per_topic.items()},
    }


# ----------------------------------------------------------------------------- running the tool


def _read_qrels(path: Path) -> list[tuple[str, str, int]]:
    if not path.is_file():
        raise TrecError(E.E001.format(path=path, detail="file not found"))
    rows = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        if line.strip():
            _year, topic, nct, label = line.split("\t")
            rows.append((topic, nct, int(label)))
    return rows


def screen_pairs(folder: Path) -> list[Pair]:
    """Run criteria parsing, extraction and matching on every judged pair of the folder."""
    from ..extract.criteria import parse_listing
    from ..extract.facts import extract
    from ..match.matcher import match_trial
    from ..schema import Note
    from .cohort import read_jsonl

    topics = {t["topic_id"]: t for t in read_jsonl(folder / "topics.jsonl")}
    qrels = _read_qrels(folder / "qrels.tsv")
    trials = {}
    for nct in sorted({n for _, n, _ in qrels}):
        try:
            trials[nct] = parse_listing(folder / "trials" / f"{nct}.json")
        except TrialsieveError as err:  # counted, never silent
            log.warning("trial %s not parsed: %s", nct, err)
    notes = {
        tid: Note(
            patient_id=tid,
            note_id=f"{tid}-topic",
            date=as_of_for(t["year"]),
            note_type="admission note (TREC patient description)",
            text=t["text"],
        )
        for tid, t in topics.items()
    }
    facts = {tid: list(extract([n])) for tid, n in notes.items()}
    out = []
    for topic, nct, label in qrels:
        note = notes[topic]
        trial = trials.get(nct)
        if trial is None:
            out.append(Pair(topic, nct, label, "needs_review", 50.0, ("listing not parsed",)))
            continue
        result = match_trial(trial, [note], facts[topic], as_of=note.date)[0]
        out.append(Pair(topic, nct, label, result.status, result.score, tuple(result.reasons)))
    return out


def run(path: Optional[Path] = None) -> dict[str, Any]:
    folder = Path(path) if path else default_folder()
    if not folder.is_dir():
        raise TrecError(E.E001.format(path=folder, detail="not a folder (give the TREC CT folder, see its README)"))
    pairs = screen_pairs(folder)
    result = score_pairs(pairs)
    result["folder"] = str(folder)
    result["wrong_eligible"] = [
        {"topic": p.topic_id, "trial": p.nct_id, "reasons": list(p.reasons)[:3]}
        for p in pairs if p.label == 2 and p.status == "ineligible"]
    result["missed_non_eligible"] = [
        {"topic": p.topic_id, "trial": p.nct_id, "label": p.label, "status": p.status}
        for p in pairs if p.label != 2 and p.status != "ineligible"]
    return result


def render(result: dict[str, Any]) -> str:
    lines = [f"TREC CT judged pairs: {result['pairs']} ({result.get('folder', '')})", "",
             "label          eligible  needs_review  ineligible"]
    for label, row in result["status_table"].items():
        lines.append(f"{label:<14} {row['eligible']:>8}  {row['needs_review']:>12}  {row['ineligible']:>10}")
    cb = result["caught_by_label"]
    lines += [
        "",
        f"eligible kept (not called ineligible): {result['eligible_kept']:.3f}",
        f"non-eligible caught (called ineligible): {result['non_eligible_caught']:.3f} "
        f"(excluded {cb['excluded']:.3f}, not relevant {cb['not relevant']:.3f})",
        f"balanced accuracy: {result['balanced_accuracy']:.3f}",
        f"false ineligible rate: {result['false_ineligible_rate']:.3f}",
        f"NDCG@10 by score: {result['ndcg10']:.3f} vs random order {result['ndcg10_random']:.3f} "
        f"(gain {result['ndcg10_gain_over_random']:+.3f})",
    ]
    return "\n".join(lines)
