"""One criterion -> its Criterion record: the steps of the package run in order."""

from __future__ import annotations

import re

from ...schema import Constraint, Criterion, LogicNode
from ..criteria_scopes import CarveScope, carve_scopes, consent_scopes
from ..criteria_values import CueExpr, WindowExpr, find_cues, find_values, find_windows
from ..listing import rules
from .attach import attach_cues, attach_naive, attach_values, attach_windows, share_values
from .carve import carve_to_next_clause, category_of, find_conditions, mark_carves
from .classify import classify_criterion
from .clauses import split_clauses
from .conditional import cohort_alternatives, conditional_requirement, pruned
from .context import VALUE_KINDS, Element, ListingContext, compiled_rules
from .definitions import defined_heads, either_forms, without_allowances, without_definitions
from .demographics import age_element, implicit_age, is_age_value, sex_as_applicability, thing_is_aged
from .elements import elements_of_clause
from .logic import criterion_logic
from .records import clause_cohorts, constraints_of, paren_cohort
from .vocabulary import orphan_elements


def extract_constraints(
    text: str, start: int, end: int, cid: str, kind: str, ctx: ListingContext
) -> Criterion:
    """The Criterion record for text[start:end] (id ``cid``), constraints, logic, category,
    computability."""
    clauses = split_clauses(text, start, end)
    els: list[Element] = []
    all_windows: list[tuple[int, WindowExpr]] = []
    cues: list[CueExpr] = []
    blanks: list[tuple[int, int]] = []
    scopes: list[CarveScope] = []
    consent_dropped = 0
    for ci, cl in enumerate(clauses):
        windows = find_windows(text, cl.start, cl.end)
        values = find_values(text, cl.start, cl.end, [(w.start, w.end) for w in windows])
        ccues = find_cues(text, cl.start, cl.end)
        ccues = [
            c
            for c in ccues
            if all(c.end <= v.start or c.start >= v.end for v in values)
            or c.type in ("current", "history", "status", "phrase")
        ]
        # "ASA classes III and IV were excluded" in an exclusion restates the exclusion: no carve-out there
        cscopes = [x for x in carve_scopes(text, cl.start, cl.end) if x.widens or kind == "inclusion"]
        scopes.extend(cscopes)
        # a carve-out cue ("except", "unless") narrows the criterion; it negates nothing
        ccues = [
            c
            for c in ccues
            if not (
                c.type == "negation"
                and any(a < c.end and c.start < b for a, b in (x.cue for x in cscopes))
            )
        ]
        ccues += [
            CueExpr(x.cue[0], x.cue[1], "exception", text[x.cue[0] : x.cue[1]]) for x in cscopes
        ]
        cues.extend(ccues)
        mine = elements_of_clause(text, cl, ci, ctx, windows, values, ccues)
        asked = consent_scopes(text, cl.start, cl.end)
        if asked:
            # "willing to use contraception", "agree to ...": asked of the patient, never of the
            # notes
            first = min(a for a, _ in asked)
            kept = [
                e
                for e in mine
                if e.mention.start > max(b for _, b in asked)
                or (
                    e.mention.start < first
                    and not re.search(
                        r"\b(?:must|should|will|who|are|is)\b",
                        text[e.mention.end : first],
                        re.IGNORECASE,
                    )
                )
            ]
            consent_dropped += len(mine) - len(kept)
            mine = kept
        ages = [v for v in values if is_age_value(text, v, cl)]
        aged_things = [
            v for v in values if v.unit in ("year", "month") and thing_is_aged(text, v, cl)
        ]
        # "specimens less than 2 years old": the lexicon's "years old" names no patient age here
        mine = [
            e
            for e in mine
            if not (
                e.mention.concept == "age"
                and any(a.end <= e.mention.start <= a.end + 3 for a in aged_things)
            )
        ]
        age_els = [e for e in mine if e.mention.concept == "age"]
        if ages and age_els:  # "Age 18-75 years": the age named in the clause takes the values
            for v in ages:
                min(
                    age_els,
                    key=lambda e: min(abs(e.mention.end - v.start), abs(v.end - e.mention.start)),
                ).values.append(v)
        elif ages:  # "Male or female 18 years or older": an age wherever it stands in the clause
            mine = [
                e
                for e in mine
                if not (
                    e.mention.concept == "age"
                    and any(a.start <= e.mention.start < a.end + 12 for a in ages)
                )
            ]
            mine.extend(age_element(v, ci) for v in ages)
            mine.sort(key=lambda e: e.mention.start)
        orphans = attach_values(text, mine, [v for v in values if v not in ages], cl)
        for e in (
            mine
        ):  # "as defined by the New York Heart Association": the scale a value elsewhere uses
            if (
                e.mention.kind == "score"
                and not e.values
                and re.search(
                    r"\b(?:defined|classified|graded|assessed|measured|evaluated|scored|according|per|using)\s+(?:to\s+|by\s+)?(?:the\s+)?$",
                    text[cl.start : e.mention.start],
                    re.IGNORECASE,
                )
            ):
                e.mention.attributes["absorbed"] = "true"
            elif compiled_rules()["method_lead"].search(text, cl.start, e.mention.start):
                # "corrected (adjusted for serum albumin) calcium": the albumin is the method
                e.mention.attributes["absorbed"] = "true"
        mine = [e for e in mine if not e.mention.attributes.get("absorbed")]
        orphans = implicit_age(text, mine, orphans, cl, ci)
        if orphans and not (not mine and els):
            orphans = orphan_elements(text, mine, orphans, cl, ci, values, windows)
        if (
            orphans and not mine and els
        ):  # "Uterine prolapse: Grade 2 or 3" - the value qualifies the previous clause
            els[-1].values.extend(orphans)
        els.extend(mine)
        all_windows.extend((ci, w) for w in windows)
        blanks.extend((v.start, v.end) for v in values)
        blanks.extend((w.start, w.end) for w in windows)
    els.sort(key=lambda e: e.mention.start)
    els = defined_heads(text, els, end, ctx.matcher.lexicon)
    els = without_definitions(text, els, end)
    els = without_allowances(text, els, start, end)
    admin = [e for e in els if category_of(ctx, e.mention.concept) == "consent_administrative"]
    if admin and len(admin) < len(
        els
    ):  # "written informed consent and ECOG 0-1": only the ECOG is checkable
        els = [e for e in els if e not in admin]
        consent_dropped += len(admin)
    share_values(text, els)
    for e in els:
        if len(e.values) > 1:
            for v in e.values[1:]:
                prev_v = e.values[e.values.index(v) - 1]
                if (
                    re.search(r"\bor\b", text[prev_v.end : v.start])
                    or text.count("(", start, v.start) > text.count(")", start, v.start)
                    or re.search(
                        r"\b(?:if|in\s+case|for\s+patients|in\s+patients|in\s+the\s+presence)\b",
                        text[v.end : v.end + 40],
                        re.IGNORECASE,
                    )
                ):
                    v.attributes["alt"] = "true"
    scopes = [carve_to_next_clause(text, sc, clauses) for sc in scopes]
    carve_only = mark_carves(text, els, scopes, kind, ctx)
    find_conditions(text, els, clauses)
    attach_cues(text, els, cues, clauses, all_windows)
    attach_windows(text, els, all_windows, clauses)
    attach_naive(text, els)
    cohorts = clause_cohorts(text, clauses)
    washout = compiled_rules()["washout"].search(text, start, end) is not None
    constraints: list[Constraint] = []
    for n, e in enumerate(els):
        floor = max(
            [
                p.mention.end
                for p in els[:n]
                if p.clause == e.clause and p.mention.end <= e.mention.start
            ],
            default=0,
        )
        cohort = cohorts[e.clause] or paren_cohort(text, e, clauses[e.clause], els)
        cs = constraints_of(text, e, cid, len(constraints), clauses[e.clause], cohort, floor, washout)
        e.ids = [c.id for c in cs]
        constraints.extend(cs)
    constraints = sex_as_applicability(constraints, text)
    limited = _limit_only(text, start, end, kind, constraints)
    counted = [_as_count(text, k, ctx) for k in constraints]
    constraints = _counted_heads([_any_time(text, start, end, k) for k, _ in counted], [n for _, n in counted])
    logic = None if carve_only else criterion_logic(text, els, clauses, kind, blanks)
    if kind == "inclusion" and not carve_only:
        logic = cohort_alternatives(text, start, end, constraints) or logic
        logic = conditional_requirement(text, start, end, constraints, _tree(logic, constraints),
                                        _checkable(constraints, ctx), _named_conditions(constraints, ctx)) or logic
    if limited and isinstance(logic, LogicNode) and logic.op == "or" and set(logic.args) <= limited:
        logic = LogicNode(op="and", args=logic.args)  # "chemotherapy or radiotherapy >= 8 weeks ago": each one
    if isinstance(
        logic, str
    ):  # one leaf: the default tree says the same, unless carved items must stay out of it
        logic = LogicNode(op="and", args=[logic]) if any(e.carve is not None for e in els) else None
    fallback = {k.id for k in constraints if k.attributes.get("defined_by")} | either_forms(text, constraints)
    if fallback and len(fallback) < len(constraints):  # "anemia (hemoglobin < 9 g/dL)": the values decide
        tree = pruned(_tree(logic, constraints), fallback)
        logic = tree if isinstance(tree, LogicNode) else LogicNode(op="and", args=[tree]) if tree else None
    constraints, logic = _measured_things(constraints, logic, ctx)
    constraints, logic = _restated_measures(constraints, logic, ctx)
    constraints, logic = _paired_limits(text, constraints, logic)
    if kind == "exclusion":
        constraints, logic = _allergy_objects(text, constraints, logic, ctx)
    category, computable, reason = classify_criterion(text[start:end], constraints, ctx)
    if carve_only and constraints:
        computable, reason = False, "states only what is allowed; nothing to check"
    elif _heading_only(text[start:end], constraints, ctx):
        computable, reason = False, "a heading for the items that follow; nothing to check of its own"
        constraints, logic = [], None
    elif consent_dropped and all(k.attributes.get("applies_to") for k in constraints):
        # "Women of childbearing potential must agree to use contraception": whom it asks, and consent
        category, computable, reason = (
            "consent_administrative",
            False,
            "asks for the patient's consent, willingness or ability; not stated in clinical notes",
        )
    return Criterion(
        id=cid,
        kind=kind,  # type: ignore[arg-type]
        text=text[start:end],
        start=start,
        end=end,
        computable=computable,
        category=category,  # type: ignore[arg-type]
        logic=logic,
        constraints=constraints,
        reason=reason,
    )


def _limit_only(text: str, start: int, end: int, kind: str, constraints: list[Constraint]) -> set[str]:
    """'Previous chemotherapy must have been performed >= 8 weeks prior to entry': an inclusion that only limits
    prior therapies marks their ``limit_only`` constraints (a patient with none meets it); their ids."""
    if kind != "inclusion" or not compiled_rules()["limit_only"].search(text, start, end):
        return set()
    out = set()
    for c in constraints:
        if c.window is not None and c.window.comparator in (">=", ">") and not c.negated:
            c.attributes["limit_only"] = "true"
            out.add(c.id)
    return out


def _as_count(text: str, k: Constraint, ctx: ListingContext) -> tuple[Constraint, tuple[int, int] | None]:
    """'At least one clinical relapse over 6 months': a number of events of a condition, not a value of it. At
    least one is its presence; more sets ``min_count``. Only when the number counts the condition itself: in
    'at least 2 COPD exacerbations' it counts the word after it, returned as (where that word starts, the number)
    for ``_counted_heads``."""
    entry = ctx.matcher.lexicon.get(k.concept)
    if (entry is None or entry.kind not in ("condition", "procedure") or k.comparator not in (">=", ">")
            or k.unit or k.relative_to or not isinstance(k.value, (int, float)) or k.value_high is not None
            or "value" not in k.spans or "concept" not in k.spans):
        return k, None
    c = compiled_rules()
    if k.spans["value"][1] > k.spans["concept"][0] or c["count_level"].search(text, *k.spans["value"]):
        return k, None  # "neuropathy >= grade 2": a level written after the condition, not a number of events
    n = int(k.value) + (1 if k.comparator == ">" else 0)
    if k.value != int(k.value) or not 1 <= n <= 20:
        return k, None
    between = text[k.spans["value"][1]:k.spans["concept"][0]].lower().split()
    if any(w not in c["count_between"] and w not in c["modifiers"] for w in between):
        return k, None
    head = re.match(r"[\s\-]*([A-Za-z]+)", text[k.spans["concept"][1]:k.spans["concept"][1] + 40])
    present = k.model_copy(update={"comparator": "present", "value": None})
    if head and head.group(1).lower() not in c["stops"] | c["count_after"]:
        return present, (k.spans["concept"][1] + head.start(1), n)  # the word after the condition is counted
    if n > 1:
        present = present.model_copy(update={"attributes": {**k.attributes, "min_count": str(n)}})
    return present, None


def _allergy_objects(text: str, constraints: list[Constraint], logic: LogicNode | None,
                     ctx: ListingContext) -> tuple[list[Constraint], LogicNode | None]:
    """'Known hypersensitivity to cetuximab, platinum or taxanes': the drugs after 'hypersensitivity to' are what
    the patient must be hypersensitive to, not exposures of their own. They become phrases the notes must name
    (``object_concepts`` at matching), asked with the hypersensitivity: hypersensitivity and any one of them."""
    lex = ctx.matcher.lexicon
    heads = [k for k in constraints if lex.is_a(k.concept, "drug_hypersensitivity") and "concept" in k.spans]
    if not heads:
        return constraints, logic
    head = heads[0]
    lead = compiled_rules()["allergy_object"].match(text, head.spans["concept"][1])
    if lead is None:
        return constraints, logic
    objects = [k for k in constraints if k.start >= head.spans["concept"][1] and k.end > lead.end()
               and k.attributes.get("role") is None
               and (lex.get(k.concept) is not None and lex.get(k.concept).kind in ("drug", "drug_class")  # type: ignore[union-attr]
                    or k.open_vocabulary and k.start >= lead.start())]
    if not objects:
        return constraints, logic
    # "hypersensitivity reactions to murine products": the lead's words are no part of the object's name
    constraints = [_after_lead(text, k, lead.end()) if k in objects and k.open_vocabulary and k.start < lead.end()
                   else k for k in constraints]
    objects = [k for k in constraints if k.id in {o.id for o in objects}]
    ids = {k.id for k in objects}
    out = [k.model_copy(update={"concept": " ".join(k.text.lower().split()), "open_vocabulary": True,
                                "attributes": {**k.attributes, "lexicon_concept": k.concept}})
           if k.id in ids and not k.open_vocabulary else k for k in constraints]
    generic = head.id if head.concept == "drug_hypersensitivity" else None
    others = [k.id for k in constraints if k.id not in ids and k.id != head.id]
    if generic is None:
        return out, logic  # a class-specific hypersensitivity concept ("hypersensitivity to cetuximab") keeps its tree
    obj: LogicNode | str = objects[0].id if len(objects) == 1 else LogicNode(op="or", args=[k.id for k in objects])
    tree: LogicNode = LogicNode(op="and", args=[generic, obj])
    return out, (LogicNode(op="or", args=[tree, *others]) if others else tree)


def _after_lead(text: str, k: Constraint, at: int) -> Constraint:
    """An open-vocabulary object whose words start before the end of the lead: the words after it."""
    start = at + len(text[at:k.end]) - len(text[at:k.end].lstrip())
    return k.model_copy(update={"concept": " ".join(text[start:k.end].lower().split()), "text": text[start:k.end],
                                "start": start, "spans": {**k.spans, "concept": (start, k.end)}})


def _tree(logic: LogicNode | str | None, constraints: list[Constraint]) -> LogicNode | None:
    """The criterion's tree as the matcher reads it (an inclusion without one asks all its constraints)."""
    if isinstance(logic, LogicNode):
        return logic
    if isinstance(logic, str):
        return LogicNode(op="and", args=[logic])
    return LogicNode(op="and", args=[c.id for c in constraints]) if constraints else None


def _named_conditions(constraints: list[Constraint], ctx: ListingContext) -> set[str]:
    """Ids of constraints that name a lexicon condition as it is ('COPD'), with no value or qualifier."""
    return {k.id for k in constraints if not k.open_vocabulary and k.comparator == "present" and not k.negated
            and ctx.matcher.kind_of(k.concept) == "condition"}


def _checkable(constraints: list[Constraint], ctx: ListingContext) -> set[str]:
    """Ids of constraints that name a lexicon condition, or a measure with a limit (not 'PSA' alone, not words
    outside the lexicon)."""
    out = set()
    for k in constraints:
        entry = ctx.matcher.lexicon.get(k.concept)
        if entry is not None and (entry.kind not in VALUE_KINDS or k.comparator not in ("present", "absent")):
            out.add(k.id)
    return out


def _heading_only(text: str, constraints: list[Constraint], ctx: ListingContext) -> bool:
    """'PSA criteria:', 'Laboratory values:': a line that introduces the items after it and names no condition,
    only measures without a limit (or words outside the lexicon)."""
    return (bool(constraints) and text.rstrip().endswith(":") and not _checkable(constraints, ctx)
            and all(ctx.matcher.lexicon.get(k.concept) is not None for k in constraints))


def _counted_heads(constraints: list[Constraint], counts: list[tuple[int, int] | None]) -> list[Constraint]:
    """'At least 2 COPD exacerbations': the condition is asked as present and the number of events (``counts``,
    from ``_as_count``: where the counted word starts, the number) goes to the constraint of that word
    (``min_count``), when the criterion has one."""
    out = list(constraints)
    for count in counts:
        if count is None or count[1] < 2:
            continue
        pos, n = count
        out = [o.model_copy(update={"attributes": {**o.attributes, "min_count": str(n)}})
               if o.spans.get("concept", (-1, -1))[0] == pos and o.comparator == "present" else o for o in out]
    return out


def _any_time(text: str, start: int, end: int, k: Constraint) -> Constraint:
    """'Current or ex-smokers' asks nothing of the time (``criteria_patterns.json`` ``any_time_pattern``)."""
    pattern = rules().get("any_time_pattern")
    if k.attributes.get("temporal") == "current" and pattern and re.search(pattern, text[start:end], re.IGNORECASE):
        return k.model_copy(update={"attributes": {a: v for a, v in k.attributes.items() if a != "temporal"}})
    return k


def _measured_things(constraints: list[Constraint], logic: LogicNode | None,
                     ctx: ListingContext) -> tuple[list[Constraint], LogicNode | None]:
    """A unit that names what is measured ('ex-smokers with at least 10 pack years') splits the constraint: the
    condition stays as written (ex-smoker), and the value goes to the measured concept (pack_years >= 10), both
    asked ('and')."""
    out: list[Constraint] = []
    for k in constraints:
        timed = next((by[k.concept] for pattern, by in (rules().get("collection_concepts") or {}).items()
                      if k.unit and k.concept in by and re.fullmatch(pattern, k.unit.strip(), re.IGNORECASE)), None)
        if timed is not None and ctx.matcher.lexicon.get(timed):  # "urinary protein > 3.5 gm/day": a 24-hour urine
            k = k.model_copy(update={"concept": timed})
        target = next((concept for pattern, concept in (rules().get("unit_concepts") or {}).items()
                       if k.unit and re.fullmatch(pattern, k.unit.strip(), re.IGNORECASE)
                       and ctx.matcher.lexicon.get(concept) and concept != k.concept), None)
        if target is None:
            out.append(k)
            continue
        measured = k.model_copy(update={"id": f"{k.id}m", "concept": target, "attributes": {}})
        out += [k.model_copy(update={"comparator": "present", "value": None, "value_high": None, "unit": None}),
                measured]
        if logic is not None:
            tree = _with_leaf(logic, k.id, measured.id)
            logic = tree if isinstance(tree, LogicNode) else None
    return out, logic


_RESTATED_GAP = 12
"""At most this many characters between a measure's limit and the measure named again ('> 20 weeks gestation')."""


def _restated_measures(constraints: list[Constraint], logic: LogicNode | None,
                       ctx: ListingContext) -> tuple[list[Constraint], LogicNode | None]:
    """Words a measure's limit already covers: the measure named again without a value ('pregnant > 20 weeks
    gestation': the limit is the gestational age), and open-vocabulary words inside the limit's own span ('pregnant
    in the third trimester')."""
    limits = [k for k in constraints if k.value is not None and k.spans.get("value")]
    drop = {k.id for k in constraints
            if k.value is None and k.comparator == "present" and not k.negated
            and any(o.concept == k.concept and k.attributes == {} and ctx.matcher.kind_of(k.concept) in VALUE_KINDS
                    and 0 <= k.start - o.end <= _RESTATED_GAP
                    or k.open_vocabulary and o.spans["value"][0] <= k.start and k.end <= o.spans["value"][1]
                    for o in limits)}
    if not drop or len(drop) == len(constraints):
        return constraints, logic
    tree = pruned(_tree(logic, constraints), drop)
    logic = tree if isinstance(tree, LogicNode) else LogicNode(op="and", args=[tree]) if tree else None
    return [k for k in constraints if k.id not in drop], logic


_PAIR_AFTER = re.compile(r"[ \t]*/[ \t]*(\d{2,3})(?![\d/])")


def _paired_limits(text: str, constraints: list[Constraint],
                   logic: LogicNode | None) -> tuple[list[Constraint], LogicNode | None]:
    """A limit written as a pair ('blood pressure > 160/100 mmHg') asks each part of its own concept
    (``criteria_patterns.json`` ``paired_limits``): above a pair is either part above, below it both parts."""
    pairs = rules().get("paired_limits") or {}
    out: list[Constraint] = []
    for k in constraints:
        second = (_PAIR_AFTER.match(text, k.spans["value"][1]) if k.concept in pairs and "value" in k.spans
                  and isinstance(k.value, float) and k.comparator in (">", ">=", "<", "<=") else None)
        if second is None:
            out.append(k)
            continue
        first_concept, second_concept = pairs[k.concept]
        a = k.model_copy(update={"id": f"{k.id}a", "concept": first_concept})
        b = k.model_copy(update={"id": f"{k.id}b", "concept": second_concept, "value": float(second.group(1))})
        out += [a, b]
        node = LogicNode(op="or" if k.comparator in (">", ">=") else "and", args=[a.id, b.id])
        base = logic if logic is not None else k.id if len(constraints) == 1 else _tree(None, constraints)
        tree = _replaced(base, k.id, node) if base is not None else node
        logic = tree if isinstance(tree, LogicNode) else None
    return out, logic


def _replaced(node: str | LogicNode, cid: str, new: LogicNode) -> str | LogicNode:
    """The tree with leaf ``cid`` replaced by ``new``."""
    if isinstance(node, str):
        return new if node == cid else node
    return LogicNode(op=node.op, args=[_replaced(a, cid, new) for a in node.args])


def _with_leaf(node: str | LogicNode, cid: str, extra: str) -> str | LogicNode:
    """The tree with leaf ``cid`` replaced by 'cid and extra'."""
    return _replaced(node, cid, LogicNode(op="and", args=[cid, extra]))
