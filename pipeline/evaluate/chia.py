"""``trialsieve evaluate chia``: how well criteria parsing recovers Chia's gold spans.

Each Chia ``.txt`` file (``NCTxxxx_inc.txt`` / ``_exc.txt``) is parsed whole with
``parse_criteria_text`` (given ``kind`` from the file name when the parser accepts it); predicted
sub-spans of every constraint are compared with the gold brat entities of the same file, one-to-one,
in exact and overlapping mode (:mod:`.common`):

| measure | gold (Chia entity types) | predicted (constraint ``spans`` roles) |
|---|---|---|
| ``value`` | Value | ``value`` |
| ``value_digit`` | Value whose text has a digit | ``value`` spans with a digit |
| ``temporal`` | Temporal | ``window`` and ``temporal`` |
| ``negation`` | Negation | ``negation`` |
| ``concept`` | Measurement, Condition, Drug | ``concept`` (recall also per type) |

Discontinuous gold entities count as their bounding span. ``concept`` precision is measured against
every concept-like Chia type (:data:`CONCEPT_LIKE`): predictions on procedures, persons, devices...
are not false positives.

**OR recovery**: a Chia OR group (``*\\tOR T1 T2 ...``) is *recovered* when one predicted ``or``
logic node has, for every member entity, an argument whose extent overlaps the member, and the
members fall into at least two different arguments. An argument's extent is its constraint's
``start..end`` (or the bounding extent of the constraints under a nested node). Groups whose members
are Scope entities count like any other.

**Failure analysis**: every gold span missed in overlapping mode gets one failure kind (first rule in
:func:`failure_kind` that applies); the most common kinds are reported with an example each.
"""
from __future__ import annotations

import inspect
import logging
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from ..errors import TrialsieveError
from ..io.brat import BratDocument, Entity, default_chia_dir, iter_corpus
from ..resources import corpora_path
from .common import SpanT, align_spans, match_spans, prf, span_overlap

log = logging.getLogger(__name__)

Parser = Callable[..., Any]
TARGETS: tuple[tuple[str, str, str, float], ...] = (
    ("value_digit", "overlap", "recall", 0.95),
    ("temporal", "overlap", "recall", 0.85),
)
CONCEPT_TYPES = ("Measurement", "Condition", "Drug")
CONCEPT_LIKE = CONCEPT_TYPES + ("Procedure", "Observation", "Device", "Person", "Visit", "Qualifier")
TOP_FAILURES = 10
_DIGIT = re.compile(r"\d")
_NUM_WORD = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|sixty|ninety|hundred)\b",
    re.I,
)
_UNIT_AFTER_NUMBER = re.compile(r"\d(?:[\d.,]*)\s*(?P<unit>(?:x\s*10\S*|[a-zA-Zµμ%/][^\s,;)]*(?:\s*/\s*[^\s,;)]+)?))")
_RANGE = re.compile(r"\d\s*(?:-|–|to|and)\s*\d|\bbetween\b", re.I)
_ULN = re.compile(r"\b(ULN|LLN|upper limit|lower limit|normal)\b", re.I)
_COMPARATOR_WORDS = re.compile(
    r"\b(greater|less|more|fewer|at least|at most|above|below|over|under|exceed|minimum|maximum|up to|equal)", re.I
)
_TEMPORAL_NUMBER = re.compile(r"\d|" + _NUM_WORD.pattern, re.I)
_ANCHOR = re.compile(
    r"\b(prior|before|after|since|from|of|preceding|following|until|start|entry|enrol|screening|randomi|dose|visit|baseline|diagnosis)",
    re.I,
)
_EVENT_ANCHOR = re.compile(
    r"\b(at|prior|before|after|during|since|until|following|preceding|upon|on|time of|pre|post|baseline|"
    r"screening|visit)\b",
    re.I,
)
_DURATION = re.compile(r"^\s*(for|during|over|lasting|duration)\b|\bat least\b|\bmore than\b|[<>≥≤]", re.I)
_ROLE_OF = {
    "value": ("value",),
    "value_digit": ("value",),
    "temporal": ("window", "temporal"),
    "negation": ("negation",),
    "concept": ("concept",),
}
_GOLD_OF = {"value": ("Value",), "value_digit": ("Value",), "temporal": ("Temporal",), "negation": ("Negation",),
            "concept": CONCEPT_TYPES}


def default_folder() -> Path:
    """The full Chia corpus when present, else the 10-trial sample shipped in ``corpora/``."""
    return default_chia_dir() or corpora_path("chia_sample")


def _default_parser() -> Parser:
    try:
        from ..extract.criteria import parse_criteria_text
    except ImportError as err:  # the parser is developed separately; say so instead of a traceback
        raise TrialsieveError(f"criteria parser unavailable ({err}); cannot evaluate against Chia") from err
    return parse_criteria_text


def file_kind(path: Path) -> tuple[str, str]:
    trial, _, suffix = path.stem.rpartition("_")
    return (trial or path.stem), ("exclusion" if suffix.lower().startswith("exc") else "inclusion")


# ----------------------------------------------------------------------------- predictions


def _walk_nodes(node: Any) -> Iterable[Any]:
    if node is None or isinstance(node, str):
        return
    yield node
    for a in node.args:
        yield from _walk_nodes(a)


def _leaf_ids(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    return [i for a in node.args for i in _leaf_ids(a)]


class Prediction:
    """What the parser produced for one file, reduced to spans by role and OR nodes."""

    def __init__(self, trial: Any):
        self.criteria: list[SpanT] = []
        self.constraints: list[Any] = []
        self.by_role: dict[str, list[SpanT]] = defaultdict(list)
        self.or_nodes: list[list[list[SpanT]]] = []
        """Each predicted ``or`` node as a list of argument extents (each a list of spans)."""
        self.empty_criteria: list[SpanT] = []
        extent: dict[str, SpanT] = {}
        for crit in trial.criteria:
            self.criteria.append((crit.start, crit.end))
            if not crit.constraints:
                self.empty_criteria.append((crit.start, crit.end))
            for c in crit.constraints:
                self.constraints.append(c)
                extent[c.id] = (c.start, c.end)
                for role, span in c.spans.items():
                    self.by_role[role].append((int(span[0]), int(span[1])))
            for node in _walk_nodes(crit.logic):
                if node.op == "or":
                    self.or_nodes.append([[extent[i] for i in _leaf_ids(a) if i in extent] for a in node.args])

    def spans(self, measure: str, text: str) -> list[SpanT]:
        out = [s for role in _ROLE_OF[measure] for s in self.by_role.get(role, [])]
        if measure == "value_digit":
            out = [s for s in out if _DIGIT.search(text[s[0]:s[1]])]
        return sorted(set(out))


def gold_spans(doc: BratDocument, measure: str) -> list[Entity]:
    ents = doc.by_type(*_GOLD_OF[measure])
    if measure == "value_digit":
        ents = [e for e in ents if _DIGIT.search(e.text)]
    return ents


# ----------------------------------------------------------------------------- failure kinds


def _line_of(text: str, start: int, end: int) -> SpanT:
    s = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    m = re.search(r"[\r\n]", text[end:])
    return s, (end + m.start()) if m else len(text)


def failure_kind(measure: str, ent: Entity, text: str, pred: Prediction) -> str:
    """One short, general reason why the gold span ``ent`` was missed (overlapping mode)."""
    span = (ent.start, ent.end)
    gold = text[ent.start:ent.end]
    if re.search(r"[\r\n]", gold):
        return "gold span runs across a line break"
    containing = [c for c in pred.criteria if c[0] <= span[0] and span[1] <= c[1]]
    if not containing:
        if any(span_overlap(c, span) for c in pred.criteria):
            return "criterion split: span crosses a criterion boundary"
        return "line not parsed as a criterion"
    in_constraint = any(span_overlap((c.start, c.end), span) for c in pred.constraints)
    uncovered = ("criterion parsed with no constraints" if any(c in pred.empty_criteria for c in containing)
                 else "not covered by any constraint")
    if measure in ("value", "value_digit"):
        if not _DIGIT.search(gold):
            return "value without digit (e.g. 'positive', 'normal')"
        if _ULN.search(gold):
            return "value relative to ULN/LLN/normal"
        if _RANGE.search(gold):
            return "value range (a-b, between a and b)"
        m = _UNIT_AFTER_NUMBER.search(gold)
        if m and not _unit_known(m.group("unit")):
            return "unit not recognised"
        if _COMPARATOR_WORDS.search(gold):
            return "comparator in words (at least, greater than)"
        if in_constraint:
            return "value inside a constraint but no value span"
        return f"value with digit: {uncovered}"
    if measure == "temporal":
        if not _TEMPORAL_NUMBER.search(gold):
            if _EVENT_ANCHOR.search(gold):
                return "temporal anchor without number (at baseline, prior to X, during the study)"
            return "temporal status word (current, previous, acute, chronic)"
        if _NUM_WORD.search(gold) and not _DIGIT.search(gold):
            return "temporal number in words (six months)"
        if _ANCHOR.search(gold):
            if in_constraint:
                return "window inside a constraint but no window span"
            return "window relative to an event (within N days prior to X) not recognised"
        if _DURATION.search(gold):
            return "duration (for at least N weeks) not recognised"
        if in_constraint:
            return "temporal inside a constraint but no window span"
        return f"temporal with number: {uncovered}"
    if measure == "negation":
        return f"negation cue not recognised ({gold.strip().lower()[:20]!r})"
    if in_constraint:
        return f"{ent.type} inside a constraint but no concept span"
    return f"{ent.type} not extracted: {uncovered}"


def _unit_known(unit: str) -> bool:
    from ..extract.units import canonical_unit_text

    unit = unit.strip().rstrip(".")
    candidates = [unit, unit.split()[0] if unit.split() else unit]
    return any(canonical_unit_text(u) is not None for u in candidates) or unit.lower() in {
        "x", "times", "and", "or", "to"}


def boundary_kind(gold: SpanT, pred: SpanT) -> str:
    """How an overlapping prediction's boundaries differ from the gold span's."""
    left = "starts earlier" if pred[0] < gold[0] else "starts later" if pred[0] > gold[0] else "same start"
    right = "ends later" if pred[1] > gold[1] else "ends earlier" if pred[1] < gold[1] else "same end"
    return f"{left}, {right}"


# ----------------------------------------------------------------------------- OR groups


def or_group_failure(doc: BratDocument, group_members: tuple[str, ...], pred: Prediction) -> str:
    """Why an OR group was not recovered (call only for groups that were not)."""
    members = [doc.entities[m] for m in group_members if m in doc.entities]
    crits = {i for e in members for i, c in enumerate(pred.criteria) if span_overlap(c, (e.start, e.end))}
    if len(crits) > 1:
        return "members in different predicted criteria"
    near = [args for args in pred.or_nodes
            if any(span_overlap(x, (e.start, e.end)) for e in members for a in args for x in a)]
    if not near:
        return "no predicted or node over the members"
    covered = [e for e in members if any(span_overlap(x, (e.start, e.end)) for args in near for a in args for x in a)]
    if len(covered) < len(members):
        return "some members not in any argument of the or node"
    return "members fall in one argument or in different or nodes"


def or_group_recovered(doc: BratDocument, group_members: tuple[str, ...], pred: Prediction) -> bool:
    members = [doc.entities[m] for m in group_members if m in doc.entities]
    if len(members) < 2:
        return False
    for node_args in pred.or_nodes:
        hit_args: set[int] = set()
        ok = True
        for ent in members:
            hits = [
                i for i, extents in enumerate(node_args) if any(span_overlap(x, (ent.start, ent.end)) for x in extents)
            ]
            if not hits:
                ok = False
                break
            hit_args.update(hits[:1])
        if ok and len(hit_args) >= 2:
            return True
    return False


# ----------------------------------------------------------------------------- run


def run(path: Optional[Path] = None, *, parser: Optional[Parser] = None) -> dict[str, Any]:
    """Parse every Chia file in ``path`` and score spans, OR groups and failure kinds."""
    folder = Path(path) if path else default_folder()
    parse = parser or _default_parser()
    takes_kind = "kind" in inspect.signature(parse).parameters
    counts: dict[str, dict[str, list[int]]] = {m: {"exact": [0, 0, 0], "overlap": [0, 0, 0]} for m in _ROLE_OF}
    concept_recall: dict[str, list[int]] = {t: [0, 0] for t in CONCEPT_TYPES}
    concept_precision = [0, 0]
    failures: dict[str, Counter[str]] = {m: Counter() for m in _ROLE_OF}
    examples: dict[tuple[str, str], dict[str, Any]] = {}
    missed_texts: dict[str, Counter[str]] = {m: Counter() for m in _ROLE_OF}
    boundaries: dict[str, Counter[str]] = {m: Counter() for m in _ROLE_OF}
    or_failures: Counter[str] = Counter()
    boundary_examples: dict[tuple[str, str], dict[str, Any]] = {}
    n_files = n_criteria = n_errors = or_total = or_recovered = 0
    trials: set[str] = set()
    for doc in iter_corpus(folder):
        n_files += 1
        trial_id, kind = file_kind(doc.path)
        trials.add(trial_id)
        extra = {"kind": kind} if takes_kind else {}
        try:
            parsed = parse(doc.text, source=doc.path.name, trial_id=trial_id, **extra)
        except TrialsieveError:
            n_errors += 1
            parsed = None
        pred = Prediction(parsed) if parsed is not None else Prediction(_EmptyTrial())
        n_criteria += len(pred.criteria)
        for measure in _ROLE_OF:
            gold_e = gold_spans(doc, measure)
            gold = [(e.start, e.end) for e in gold_e]
            ps = pred.spans(measure, doc.text)
            for mode in ("exact", "overlap"):
                tp, fp, fn = match_spans(gold, ps, mode)  # type: ignore[arg-type]
                c = counts[measure][mode]
                c[0] += tp
                c[1] += fp
                c[2] += fn
            pairs = align_spans(gold, ps, "overlap")
            matched = {i for i, _ in pairs}
            for i, j in pairs:
                if gold[i] != ps[j]:
                    bk = boundary_kind(gold[i], ps[j])
                    boundaries[measure][bk] += 1
                    boundary_examples.setdefault((measure, bk), {
                        "file": doc.path.name, "gold": doc.text[gold[i][0]:gold[i][1]][:80],
                        "predicted": doc.text[ps[j][0]:ps[j][1]][:80], "start": gold[i][0], "end": gold[i][1]})
            for i, ent in enumerate(gold_e):
                if measure == "concept":
                    concept_recall[ent.type][1] += 1
                    concept_recall[ent.type][0] += i in matched
                if i in matched:
                    continue
                kind = failure_kind(measure, ent, doc.text, pred)
                failures[measure][kind] += 1
                missed_texts[measure][" ".join(ent.text.lower().split())[:40]] += 1
                examples.setdefault((measure, kind), _example(doc, ent))
        like = [(e.start, e.end) for e in doc.by_type(*CONCEPT_LIKE)]
        cps = pred.spans("concept", doc.text)
        tp = len(align_spans(like, cps, "overlap"))
        concept_precision[0] += tp
        concept_precision[1] += len(cps) - tp
        for g in doc.or_groups():
            or_total += 1
            if or_group_recovered(doc, g.members, pred):
                or_recovered += 1
            else:
                or_failures[or_group_failure(doc, g.members, pred)] += 1
    spans: dict[str,
                dict[str, Any]] = {m: {mode: prf(*counts[m][mode]) for mode in ("exact", "overlap")} for m in _ROLE_OF}
    spans["concept"]["recall_by_type"] = {t: round(v[0] / v[1], 4) if v[1] else 0.0 for t, v in concept_recall.items()}
    spans["concept"]["precision_vs_any_concept_type"] = round(
        concept_precision[0] / sum(concept_precision), 4) if sum(concept_precision) else 0.0
    merged: Counter[tuple[str, str]] = Counter(
        {(m, k): n for m, c in failures.items() if m != "value_digit" for k, n in c.items()}
    )
    top = [{"measure": m, "kind": k, "count": n, "example": examples[(m, k)]}
           for (m, k), n in sorted(merged.items(), key=lambda x: (-x[1], x[0]))[:TOP_FAILURES]]
    targets = []
    for measure, mode, metric, goal in TARGETS:
        value = spans[measure][mode][metric]
        targets.append({"measure": measure, "mode": mode, "metric": metric, "target": goal, "value": value,
                        "met": bool(value >= goal)})
    return {
        "folder": str(folder),
        "files": n_files,
        "trials": len(trials),
        "criteria_predicted": n_criteria,
        "parse_errors": n_errors,
        "spans": spans,
        "or_groups": {"gold": or_total, "recovered": or_recovered,
                      "rate": round(or_recovered / or_total, 4) if or_total else 0.0,
                      "not_recovered_because": dict(sorted(or_failures.items(), key=lambda x: (-x[1], x[0])))},
        "targets": targets,
        "failures": {m: dict(c.most_common()) for m, c in failures.items()},
        "top_failures": top,
        "top_failures_by_measure": {m: [{"kind": k, "count": n, "example": examples[(m, k)]}
                                        for k, n in sorted(c.items(), key=lambda x: (-x[1], x[0]))[:5]]
                                    for m, c in failures.items()},
        "boundary_mismatches": {m: [{"kind": k, "count": n, "example": boundary_examples[(m, k)]}
                                    for k, n in sorted(c.items(), key=lambda x: (-x[1], x[0]))]
                                for m, c in boundaries.items() if m != "value_digit"},
        "frequent_misses": {m: [[t, n] for t, n in sorted(c.items(), key=lambda x: (-x[1], x[0]))[:15]]
                            for m, c in missed_texts.items() if m != "value_digit"},
    }


class _EmptyTrial:
    criteria: list[Any] = []


def _example(doc: BratDocument, ent: Entity) -> dict[str, Any]:
    ls, le = _line_of(doc.text, ent.start, ent.end)
    line = doc.text[ls:le].strip()
    return {"file": doc.path.name, "start": ent.start, "end": ent.end, "gold": doc.text[ent.start:ent.end][:80],
            "line": line if len(line) <= 120 else line[:117] + "..."}


# ----------------------------------------------------------------------------- render


def render(result: dict[str, Any]) -> str:
    lines = [
        f"Chia evaluation: {result['files']} files, {result['trials']} trials, "
        f"{result['criteria_predicted']} criteria parsed, "
        f"{result['parse_errors']} parse errors ({result['folder']})",
        "",
        f"{'spans':<14}{'exact P':>9}{'exact R':>9}{'overlap P':>11}{'overlap R':>11}{'gold':>7}",
    ]
    for m, v in result["spans"].items():
        ex, ov = v["exact"], v["overlap"]
        lines.append(f"{m:<14}{ex['precision']:>9.3f}{ex['recall']:>9.3f}{ov['precision']:>11.3f}{ov['recall']:>11.3f}"
                     f"{ov['tp'] + ov['fn']:>7}")
    c = result["spans"]["concept"]
    lines.append("concept overlap recall by type: " + ", ".join(f"{t} {r:.3f}" for t, r in c["recall_by_type"].items())
                 + f"; overlap precision against any concept-like type: {c['precision_vs_any_concept_type']:.3f}")
    og = result["or_groups"]
    lines.append(f"OR groups recovered: {og['recovered']}/{og['gold']} ({og['rate']:.3f}); not recovered: "
                 + ", ".join(f"{k} {n}" for k, n in og.get("not_recovered_because", {}).items()))
    lines.append("")
    for t in result["targets"]:
        lines.append(f"target {t['measure']} {t['mode']} {t['metric']} >= {t['target']}: {t['value']:.3f} "
                     f"{'MET' if t['met'] else 'NOT MET'}")
    lines.append("")
    lines.append(f"Top {len(result['top_failures'])} failure kinds (missed gold spans, overlapping mode):")
    for i, f in enumerate(result["top_failures"], 1):
        ex = f["example"]
        lines.append(f"{i:>2}. [{f['measure']}] {f['kind']}: {f['count']}")
        lines.append(f"    e.g. {ex['file']} {ex['start']}-{ex['end']} {ex['gold']!r} in {ex['line']!r}")
    lines.append("")
    lines.append("Top failure kinds per measure:")
    for m, items in result.get("top_failures_by_measure", {}).items():
        lines.append(f"  {m}: " + "; ".join(f"{f['kind']} {f['count']}" for f in items))
    lines.append("")
    lines.append("Boundary mismatches (overlapping but not exact):")
    for m, items in result.get("boundary_mismatches", {}).items():
        for f in items[:4]:
            ex = f["example"]
            lines.append(f"  {m}: {f['kind']} {f['count']}, e.g. gold {ex['gold']!r} predicted {ex['predicted']!r}")
    lines.append("")
    lines.append("Most frequent missed gold texts:")
    for m, items in result.get("frequent_misses", {}).items():
        lines.append(f"  {m}: " + ", ".join(f"{t!r} {n}" for t, n in items))
    return "\n".join(lines)
