"""Fixed-width terminal tables: the parsed criteria of a trial, and the ranked patients."""
from __future__ import annotations

from collections.abc import Sequence

from ..schema import Constraint, PatientResult, TrialCriteria


def _printable(text: str) -> str:
    """Control characters (terminal escapes) and lone surrogates shown escaped, never sent raw."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii") for c in text)


def _cut(text: str, width: int) -> str:
    text = _printable(" ".join(str(text).split()))
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _render(headers: Sequence[str], rows: list[list[str]], widths: Sequence[int]) -> str:
    def line(cells: Sequence[str]) -> str:
        return "  ".join(_cut(c, w).ljust(w) for c, w in zip(cells, widths)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule] + [line(r) for r in rows])


def _fit(headers: Sequence[str], rows: list[list[str]], caps: Sequence[int]) -> list[int]:
    return [min(cap, max([len(h)] + [len(" ".join(r[i].split())) for r in rows])) for i, (h, cap) in enumerate(zip(headers, caps))]


def constraint_summary(c: Constraint) -> str:
    """``platelets >= 100 10^9/L within 2 week`` style one-liner."""
    parts = ["NOT" if c.negated else "", c.concept + ("?" if c.open_vocabulary else "")]
    if c.comparator not in ("present",):
        parts.append(c.comparator)
    if c.value is not None:
        v = f"{c.value:g}" if isinstance(c.value, float) else str(c.value)
        parts.append(v + (f"-{c.value_high:g}" if c.value_high is not None else ""))
    if c.relative_to:
        parts.append(f"x {c.relative_to}")
    elif c.unit:
        parts.append(c.unit)
    if c.attributes:
        parts.append(",".join(f"{k}={v}" for k, v in sorted(c.attributes.items())))
    if c.window:
        parts.append(f"[{c.window.comparator} {c.window.value:g} {c.window.unit} to {c.window.anchor}]")
    return " ".join(p for p in parts if p)


def criteria_table(trial: TrialCriteria) -> str:
    """One row per criterion: id, kind, computable, category, constraints (and the text it came from)."""
    headers = ["id", "kind", "comp", "category", "constraints", "text"]
    rows = []
    for c in trial.criteria:
        cons = "; ".join(constraint_summary(k) for k in c.constraints) or (c.reason or "-")
        rows.append([c.id, "inc" if c.kind == "inclusion" else "exc", "yes" if c.computable else "no", c.category, cons, c.text])
    widths = _fit(headers, rows, [5, 4, 4, 22, 70, 50])
    title = f"{trial.trial_id}: {trial.title or ''}".strip().rstrip(":")
    ages = f"age {trial.min_age or '-'}-{trial.max_age or '-'}, sex {trial.sex}"
    return f"{_cut(title, 120)}\n{ages}; {len(trial.criteria)} criteria\n\n" + _render(headers, rows, widths)


def results_table(trial: TrialCriteria, results: Sequence[PatientResult]) -> str:
    """Ranked patients: rank, id, status, score, met/not met/unknown counts, key reasons."""
    headers = ["rank", "patient", "status", "score", "met", "not", "unk", "n/c", "key reasons"]
    rows = []
    for r in results:
        counts = {k: 0 for k in ("met", "not_met", "unknown", "not_computable")}
        for v in r.criteria:
            counts[v.verdict] += 1
        rows.append([str(r.rank), r.patient_id, r.status, f"{r.score:.1f}", str(counts["met"]), str(counts["not_met"]),
                     str(counts["unknown"]), str(counts["not_computable"]), " | ".join(r.reasons) or "-"])
    widths = _fit(headers, rows, [4, 14, 12, 5, 3, 3, 3, 3, 90])
    summary = {s: sum(1 for r in results if r.status == s) for s in ("eligible", "needs_review", "ineligible")}
    foot = f"{len(results)} patients: {summary['eligible']} eligible, {summary['needs_review']} need review, {summary['ineligible']} ineligible"
    return f"{trial.trial_id}\n" + _render(headers, rows, widths) + "\n" + foot
