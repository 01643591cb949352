"""Fixed-width terminal tables: the parsed criteria of a trial, and the ranked patients."""
from __future__ import annotations

from collections.abc import Sequence

from ..schema import Constraint, PatientResult, TrialCriteria


def _printable(text: str) -> str:
    """Control characters (terminal escapes) and lone surrogates shown escaped, never sent raw."""
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii") for c in text
    )


def _cut(text: str, width: int) -> str:
    text = _printable(" ".join(str(text).split()))
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _render(headers: Sequence[str], rows: list[list[str]], widths: Sequence[int]) -> str:
    def line(cells: Sequence[str]) -> str:
        return "  ".join(_cut(c, w).ljust(w) for c, w in zip(cells, widths)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule] + [line(r) for r in rows])


def _fit(headers: Sequence[str], rows: list[list[str]], caps: Sequence[int]) -> list[int]:
    return [
        min(cap, max([len(h)] + [len(" ".join(r[i].split())) for r in rows]))
        for i, (h, cap) in enumerate(zip(headers, caps))
    ]


def constraint_summary(c: Constraint) -> str:
    """``platelets >= 100 10^9/L within 2 week`` style one-liner."""
    absent = c.comparator == "absent"  # "NOT x absent" is a double negative: absence is said once
    name = c.concept + ("?" if c.open_vocabulary else "")
    parts = ["no" if absent else "NOT" if c.negated else "", name]
    if c.comparator not in ("present", "absent"):
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


LOGIC_WIDTH = 72
"""Width of the logic column of ``criteria --format table``; longer trees wrap onto more lines."""


def criteria_table(trial: TrialCriteria) -> str:
    """One row per criterion: id, kind, computable, category, its and/or/not logic (wrapped,
    never cut) and the text it came from. An inclusion's logic must hold; an exclusion's logic
    excludes the patient when it holds."""
    import textwrap

    from .criteria_text import logic_text

    headers = ["id", "kind", "comp", "category", "logic", "text"]
    rows, more = [], []
    for c in trial.criteria:
        logic = _printable(" ".join(logic_text(c).split())) or (c.reason or "-")
        wrapped = textwrap.wrap(logic, LOGIC_WIDTH, break_on_hyphens=False) or ["-"]
        kind = "inc" if c.kind == "inclusion" else "exc"
        rows.append([c.id, kind, "yes" if c.computable else "no", c.category, wrapped[0], c.text])
        more.append(wrapped[1:])
    widths = _fit(headers, rows, [5, 4, 4, 22, LOGIC_WIDTH, 50])
    indent = " " * (sum(widths[:4]) + 2 * 4)
    lines = _render(headers, rows, widths).splitlines()
    out = lines[:2]
    for line, extra in zip(lines[2:], more):
        out += [line] + [indent + part for part in extra]
    title = f"{trial.trial_id}: {trial.title or ''}".strip().rstrip(":")
    ages = f"age {trial.min_age or '-'}-{trial.max_age or '-'}, sex {trial.sex}"
    legend = "inclusion: the logic must hold; exclusion: the patient is excluded when it holds"
    head = f"{_cut(title, 120)}\n{ages}; {len(trial.criteria)} criteria ({legend})"
    return head + "\n\n" + "\n".join(out)


def verdict_state(kind: str, verdict: str) -> str:
    """What a verdict means for the patient: ``pass`` (an inclusion met, an exclusion clear), ``fail``,
    ``open`` (unknown: a question to resolve) or ``manual`` (not computable: checked by hand)."""
    if verdict == "unknown":
        return "open"
    if verdict == "not_computable":
        return "manual"
    return "pass" if (verdict == "met") == (kind == "inclusion") else "fail"


SCORE_NOTE = ("score: 100 eligible; needs review 10-90, higher with fewer and cheaper open questions and more "
              "inclusions confirmed in the notes; ineligible below 10, lower with each failed criterion "
              "(below 2 without the trial's own condition)")
"""The score explained in one line, printed under the table."""
REASON_WIDTH = 70


def results_table(trial: TrialCriteria, results: Sequence[PatientResult], *, wide: bool = False) -> str:
    """Ranked patients: rank, id, status, score, what the criteria counts mean, the deciding reasons
    (cut to fit a terminal, in full with ``wide``)."""
    headers = ["rank", "patient", "status", "score", "inc met", "exc clear", "open", "failed", "by hand",
               "deciding reasons"]
    rows = []
    for r in results:
        states = [(v.kind, verdict_state(v.kind, v.verdict)) for v in r.criteria]
        inc = [s for k, s in states if k == "inclusion" and s != "manual"]
        exc = [s for k, s in states if k == "exclusion" and s != "manual"]
        all_states = [s for _, s in states]
        rows.append([str(r.rank), r.patient_id, r.status, f"{r.score:.1f}", f"{inc.count('pass')}/{len(inc)}",
                     f"{exc.count('pass')}/{len(exc)}", str(all_states.count("open")), str(all_states.count("fail")),
                     str(all_states.count("manual")), " | ".join(r.reasons) or "-"])
    reason_cap = (
        max([len(headers[-1])] + [len(_printable(" ".join(r[-1].split()))) for r in rows]) if wide else REASON_WIDTH
    )
    widths = _fit(headers, rows, [4, 14, 12, 5, 7, 9, 4, 6, 7, reason_cap])
    summary = {s: sum(1 for r in results if r.status == s) for s in ("eligible", "needs_review", "ineligible")}
    foot = (f"{len(results)} patients: {summary['eligible']} eligible, {summary['needs_review']} need review, "
            f"{summary['ineligible']} ineligible")
    hint = (
        ""
        if wide or all(len(" ".join(r[-1].split())) <= reason_cap for r in rows)
        else " (reasons cut: --wide for full)"
    )
    return f"{trial.trial_id}\n" + _render(headers, rows, widths) + "\n" + foot + hint + "\n" + SCORE_NOTE
