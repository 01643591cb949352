"""Order patients for a coordinator: eligible first, then needs_review by how few unknowns remain and
how cheap they are to resolve (``models/rules/review_cost.json``), ineligible last; ties by patient id."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..lexicon import Lexicon
from ..schema import Criterion, CriterionVerdict, PatientResult, Status
from .rules import review_cost

STATUS_ORDER = {"eligible": 0, "needs_review": 1, "ineligible": 2}


@dataclass(frozen=True)
class Unknown:
    criterion_id: str
    label: str
    what: str
    cost_name: str
    weight: float


def status_from(pairs: Iterable[tuple[str, str]]) -> Status:
    """The status rule over ``(kind, verdict)`` pairs: ineligible if any inclusion is not_met or any
    exclusion met; eligible only if every computable inclusion is met and every computable exclusion
    not_met; otherwise needs_review."""
    pairs = list(pairs)
    if any((k == "inclusion" and v == "not_met") or (k == "exclusion" and v == "met") for k, v in pairs):
        return "ineligible"
    if all(v == "not_computable" or (k == "inclusion" and v == "met") or (k == "exclusion" and v == "not_met")
           for k, v in pairs):
        return "eligible"
    return "needs_review"


def status_of_verdict_map(verdicts: dict[str, str]) -> Status:
    """The status of gold-style verdicts keyed by criterion id (``I<n>`` inclusion, ``E<n>`` exclusion)."""
    return status_from(("inclusion" if cid.startswith("I") else "exclusion", v) for cid, v in verdicts.items())


def patient_status(verdicts: list[CriterionVerdict], covered: frozenset[str] = frozenset()) -> Status:
    """The status of a patient's verdicts; ``covered`` inclusions are alternatives to one that is met
    (``alternatives.open_failed_alternatives``), so they count as met."""
    return status_from((v.kind, "met" if v.criterion_id in covered else v.verdict) for v in verdicts)


def unknown_cost(criterion: Criterion | None, concepts: list[str], lexicon: Lexicon, criterion_id: str) -> Unknown:
    """The costliest of the concepts a criterion is unknown on."""
    table = review_cost()
    best: Unknown | None = None
    for concept in concepts or [""]:
        e = lexicon.get(concept) if concept else None
        entry = table.entry(
            concept or None, e.kind if e else None, e.category if e else (criterion.category if criterion else None)
        )
        label = concept.replace("_", " ") if concept else criterion_id
        u = Unknown(criterion_id, label, entry.what, entry.cost, table.weight(entry))
        if best is None or u.weight > best.weight:
            best = u
    assert best is not None
    return best


def score_and_reasons(status: Status, verdicts: list[CriterionVerdict], unknowns: list[Unknown],
                      target_ids: frozenset[str] = frozenset(),
                      covered: frozenset[str] = frozenset()) -> tuple[float, list[str]]:
    """Score in [0, 100]: 100 eligible; needs_review 10..90 falling with the total review cost and rising with
    the share of inclusion criteria the notes confirm;
    ineligible below 10, falling with the number of failed criteria, and below 2 when the patient lacks the
    trial's target condition (``target_ids``: criteria naming it). ``covered`` inclusions (alternatives to one
    that is met) are neither failed nor open."""
    failed = [
        v
        for v in verdicts
        if (v.kind == "inclusion" and v.verdict == "not_met" and v.criterion_id not in covered)
        or (v.kind == "exclusion" and v.verdict == "met")
    ]
    n_comp = sum(1 for v in verdicts if v.verdict != "not_computable")
    if status == "eligible":
        return 100.0, [f"all {n_comp} computable criteria pass"]
    if status == "needs_review":
        total = sum(u.weight for u in unknowns)
        # fewest and cheapest open questions first; among equals, most inclusion criteria confirmed by the notes
        inclusions = [v for v in verdicts if v.kind == "inclusion" and v.verdict != "not_computable"]
        confirmed = (
            sum(1 for v in inclusions if v.verdict == "met" and v.evidence) / len(inclusions) if inclusions else 0.0
        )
        score = round(10 + 60 / (1 + total / 2) + 20 * confirmed, 2)
        items = ", ".join(
            f"{u.label} ({u.what}, {u.cost_name})" for u in sorted(unknowns, key=lambda u: (u.weight, u.criterion_id))
        )
        n = len(unknowns)
        return score, [f"{n} unknown{'s' if n != 1 else ''}: {items}"]
    # lacking the condition the trial is for ranks below failing one of its other criteria
    off_target = any(v.criterion_id in target_ids and v.kind == "inclusion" for v in failed)
    score = round((2 if off_target else 10) / (1 + len(failed)), 2)
    reasons = [f"fails {v.criterion_id}: {v.reason}" if v.reason else f"fails {v.criterion_id}" for v in failed]
    return score, reasons


def rank_results(results: list[PatientResult]) -> list[PatientResult]:
    def key(r: PatientResult) -> tuple:
        n_unknown = sum(1 for v in r.criteria if v.verdict == "unknown")
        return (STATUS_ORDER[r.status], -r.score, n_unknown, r.patient_id)

    ordered = sorted(results, key=key)
    return [r.model_copy(update={"rank": i}) for i, r in enumerate(ordered, 1)]
