"""Attachment: values, cue words (negation, temporal, polarity, qualitative, method, scale) and time
windows go to the element they describe."""

from __future__ import annotations

import re

from ..criteria_values import CueExpr, ValueExpr, WindowExpr
from .clauses import Clause
from .context import THERAPY_KINDS, VALUE_KINDS, Element, blank, clause_patterns, compiled_rules


def attach_values(
    text: str, els: list[Element], values: list[ValueExpr], clause: Clause
) -> list[ValueExpr]:
    """Each value goes to the nearest preceding element that takes values, else the nearest
    following one."""
    orphans = []
    for v in values:
        before = [e for e in els if e.mention.end <= v.start]
        after = [e for e in els if e.mention.start >= v.end]
        target = None
        pref = [e for e in before if e.mention.kind in VALUE_KINDS]
        if v.kind == "class":
            hf = [e for e in els if e.mention.concept in ("heart_failure",)]
            target = hf[0] if hf else None
            for e in els:  # "heart failure NYHA class III": the scale's name is part of the value
                if (
                    target is not None
                    and e is not target
                    and e.mention.kind == "score"
                    and not e.values
                    and 0 <= v.start - e.mention.end <= 2
                ):
                    e.mention.attributes["absorbed"] = "true"
                    v.start = e.mention.start
        if target is None and pref:
            target = pref[-1]
            # a value far behind a later non-value concept belongs to that one
            if (
                before
                and before[-1] is not target
                and before[-1].mention.kind == "open"
                and before[-1].mention.start > target.mention.end + 40
            ):
                target = before[-1]
        if target is None and before:
            target = before[-1]
        if target is None and after:
            target = after[0]
        if target is None:
            orphans.append(v)
            continue
        target.values.append(v)
    return orphans


def share_values(text: str, els: list[Element]) -> None:
    """ "AST and ALT ≤ 2.5 x ULN": a value-less lab coordinated with the next one shares its
    value."""
    gap_max = compiled_rules()["coord_gap"]
    for k in range(len(els) - 2, -1, -1):
        a, b = els[k], els[k + 1]
        if (
            a.values
            or not b.values
            or a.clause != b.clause
            or a.mention.kind != b.mention.kind
            or a.mention.kind not in VALUE_KINDS
        ):
            continue
        gap = text[a.mention.end : b.mention.start]
        if len(gap) <= gap_max + 8 and re.fullmatch(
            r"\s*(?:\([^)]*\)\s*)?,?\s*(?:and|or|&|/|and/or|\\&)?\s*", gap
        ):
            a.values = list(b.values)  # every threshold, alternatives included


def _scope_whole(text: str, cue: CueExpr, clause: Clause) -> bool:
    lead = re.findall(r"[A-Za-z']+", text[clause.start : cue.start].lower())
    return (
        all(w in compiled_rules()["lead_ins"] for w in lead)
        or " ".join(cue.value.lower().split()) in compiled_rules()["exception_cues"]
    )


def _scope_end(text: str, cue: CueExpr, clause: Clause) -> int:
    """Negation scope: to the clause end when the cue opens the clause, else to the next comma."""
    c = compiled_rules()
    lead = re.findall(r"[A-Za-z']+", text[clause.start : cue.start].lower())
    stop = c["neg_stops"].search(
        text, cue.end, clause.end
    )  # "no X unless Y", "without A but with B"
    if stop and not re.search(
        r"[A-Za-z]", text[cue.end : stop.start()]
    ):  # "not due to X": the cue's own object
        stop = c["neg_stops"].search(text, stop.end(), clause.end)
    end = stop.start() if stop else clause.end
    if (
        all(w in c["lead_ins"] for w in lead)
        or " ".join(cue.value.lower().split()) in compiled_rules()["exception_cues"]
    ):
        return end
    m = re.search(r"[,;]", text[cue.end : end])
    return cue.end + m.start() if m else end


def attach_cues(
    text: str,
    els: list[Element],
    cues: list[CueExpr],
    clauses: list[Clause],
    windows: list[tuple[int, WindowExpr]],
) -> None:
    def windows_in(cl: Clause) -> list[WindowExpr]:
        return [w for _, w in windows if cl.start <= w.start < cl.end]

    by_clause: dict[int, list[Element]] = {}
    for e in els:
        by_clause.setdefault(e.clause, []).append(e)
    for ci, cl in enumerate(clauses):
        mine = by_clause.get(ci, [])
        ccues = [c for c in cues if cl.start <= c.start < cl.end]
        for cue in ccues:
            if cue.type == "negation":
                if any(e.mention.start <= cue.start < e.mention.end for e in mine):
                    continue
                end = _scope_end(text, cue, cl)
                whole = _scope_whole(text, cue, cl) and (
                    end == cl.end
                    or " ".join(cue.value.lower().split()) in compiled_rules()["exception_cues"]
                )
                if not text[cue.end : cl.end].strip(" :\t\r\n") and ci + 1 < len(clauses):
                    # "History of another malignancy except:" - the list follows in the next clause
                    for e in by_clause.get(ci + 1, []):
                        e.negation = e.negation or cue
                    continue
                prev: Element | None = None
                for e in mine:
                    if not (cue.end <= e.mention.start < end) or e.negation is not None:
                        continue
                    if prev is None and cue.value.lower() == "non" and text[cue.end : e.mention.start].strip(" -"):
                        break  # "non-pregnant females age 18": the prefix negates its own word only
                    if (
                        prev is not None
                        and not whole
                        and not re.fullmatch(
                            r"\s*(?:,|or|and|nor|and/or|/)?\s*",
                            blank(
                                text,
                                [(c.start, c.end) for c in ccues if c.type != "negation"],
                                prev.mention.end,
                                e.mention.start,
                            ),
                        )
                    ):
                        break
                    e.negation = cue
                    prev = e
                    if cue.value.lower() == "non":
                        break  # "non-pregnant, non-nursing females between 2-65": a prefix negates its own word only
            elif cue.type in ("current", "history", "status", "phrase"):
                if any(w.start <= cue.start < w.end for w in windows_in(cl)):
                    continue
                nxt = [e for e in mine if e.mention.start >= cue.start and e.temporal is None]
                inside = [e for e in mine if e.mention.start <= cue.start < e.mention.end]
                prv = [
                    e
                    for e in mine
                    if e.mention.end <= cue.start and e.temporal is None and e.window is None
                ]
                if (
                    cue.type == "phrase"
                ):  # "chemotherapy prior to study entry": the phrase follows its concept
                    nxt, inside = (
                        [],
                        [
                            x
                            for x in (
                                prv[-1:] or [e for e in mine if e.mention.start >= cue.end][:1]
                            )
                        ],
                    )
                elif not nxt and not inside:
                    inside = prv[-1:]
                for e in inside or nxt[:1]:
                    if e.temporal is None or e.temporal.start <= cue.start < e.temporal.end:
                        e.temporal = cue
                if (
                    nxt and not inside
                ):  # "Previous stem cell or organ transplantation": the whole coordination
                    for e in nxt[1:]:
                        gap = text[nxt[0].mention.end : e.mention.start]
                        if re.fullmatch(
                            r"[\s,]*(?:(?:and|or|and/or|nor)\s+)?(?:[\w\-]+\s+){0,2}",
                            gap[-30:] if len(gap) < 30 else "x",
                        ):
                            e.temporal = e.temporal or cue
            elif cue.type == "qualitative":
                free = [
                    e
                    for e in mine
                    if not e.values
                    and e.polarity is None
                    and e.qualitative is None
                    and not (e.mention.start <= cue.start < e.mention.end)
                ]
                if free:
                    near = min(
                        free,
                        key=lambda e: min(
                            abs(e.mention.start - cue.end), abs(cue.start - e.mention.end)
                        ),
                    )
                    near.qualitative = cue
        results = [e for e in mine if e.mention.kind == "result" and not e.values]
        pols = [c for c in ccues if c.type in ("positive", "negative")]
        for e in results:
            after = [
                p
                for p in pols
                if p.start >= e.mention.end
                and not any(
                    o is not e
                    and o.mention.kind == "result"
                    and e.mention.end <= o.mention.start < p.start
                    and not o.polarity
                    for o in results
                )
            ]
            before = [p for p in pols if p.end <= e.mention.start]
            pick = (
                after[0]
                if after and after[0].start - e.mention.end < 60
                else (before[-1] if before else None)
            )
            if pick:
                e.polarity = pick
        used = {id(e.polarity) for e in mine if e.polarity is not None}
        # "a negative serum pregnancy test", "urine drug screen positive": a test's outcome
        for p in pols:
            if id(p) in used:
                continue
            takers = [
                e
                for e in mine
                if e.mention.kind != "result"
                and all(v.kind == "time" for v in e.values)  # "negative pregnancy test 72 hours or less before"
                and e.polarity is None
                and e.negation is None
                and (
                    (
                        e.mention.start >= p.end
                        and re.fullmatch(
                            r"\s+(?:results?\s+(?:of|on|for|from)\s+)?(?:for\s+)?(?:[A-Za-z\-]+\s+){0,2}",
                            text[p.end : e.mention.start]
                        )
                    )
                    or (
                        p.start >= e.mention.end
                        and re.fullmatch(
                            r"\s*(?:\([^)]*\)\s*)?(?:(?:tests?|testing|results?|status|screen(?:ing)?|serology|antibod(?:y|ies)|assay)\s+)?"
                            r"(?:(?:is|was|are|be)\s+)?",
                            text[e.mention.end : p.start],
                        )
                    )
                )
            ]
            takers = [
                e
                for e in takers
                if not any(
                    o is not e
                    and min(p.end, e.mention.start) <= o.mention.start < max(p.start, e.mention.end)
                    for o in mine
                )
            ]
            if takers:
                takers[0].polarity = p
                used.add(id(p))
        methods = [c for c in ccues if c.type == "method"]
        scales = [c for c in ccues if c.type == "scale"]
        for e in mine:
            if methods and e.mention.kind in ("result", "score", "measurement"):
                e.attributes["method"] = methods[0].value
            sc = compiled_rules()["scale_concepts"]
            if e.mention.concept in sc.values():
                name = next((s.value for s in scales if sc.get(s.value) == e.mention.concept), None)
                e.attributes["scale"] = name or next(
                    k for k, v in sc.items() if v == e.mention.concept
                )


def _window_run(text: str, before: list[Element]) -> list[Element]:
    """The elements before a window that it covers: the nearest one and those coordinated with it
    ('surgery or radiotherapy within 4 weeks'), not one the nearest hangs off ('ECOG 0-1 with no
    deterioration over the previous 2 weeks': the window is the deterioration's)."""
    clause = clause_patterns()
    run = [before[-1]]
    for e in reversed(before[:-1]):
        between = text[e.mention.end : run[0].mention.start]
        if clause["subordinate"].search(between) and not clause["coordinated_start"].match(between):
            break
        run.insert(0, e)
    return run


def attach_naive(text: str, els: list[Element]) -> None:
    """ "Chemotherapy-naive", "osimertinib treatment-naive", "EGFR-TKI naive": never received the
    therapy named right before the word (pattern ``naive_pattern`` in criteria_patterns.json)."""
    rx = re.compile(compiled_rules()["naive_pattern"], re.IGNORECASE)
    for e in els:
        m = rx.match(text, e.mention.end)
        if m and e.negation is None:
            e.negation = CueExpr(m.end() - 5, m.end(), "negation", "naive")


def attach_windows(
    text: str, els: list[Element], windows: list[tuple[int, WindowExpr]], clauses: list[Clause]
) -> None:
    for ci, w in windows:
        cl = clauses[ci]
        mine = [e for e in els if e.clause == ci]
        before = [e for e in mine if e.mention.end <= w.start and e.window is None]
        after = [e for e in mine if e.mention.start >= w.end and e.window is None]
        if cl.preamble:
            targets = [
                e
                for e in els
                if e.clause > ci
                and e.window is None
                and (e.values or e.mention.kind in VALUE_KINDS)
            ]
            # "any of the following within 12 months: MI, stroke, PE": every listed condition
            targets = targets or mine or [e for e in els if e.clause > ci and e.window is None]
        elif before:
            targets = _window_run(text, before)
        elif re.search(
            r"\b(?:this|that|it|which|these|such|provided|completed|last)\b",
            text[cl.start : w.start],
            re.IGNORECASE,
        ):
            prev = [e for e in els if e.clause < ci and e.mention.kind in THERAPY_KINDS]
            targets = prev[-1:] or after[:1]
        else:
            targets = after
        if not targets:  # nothing in its clause: the nearest concept before it in the criterion
            prev = [e for e in els if e.mention.end <= w.start and e.window is None]
            targets = prev[-1:] or [e for e in els if e.window is None][:1]
        for e in targets:
            if e.window is None:
                e.window = w
