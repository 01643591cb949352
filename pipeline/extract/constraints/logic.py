"""And/or/not logic of a criterion from the connectors between its elements.

Reading of mixed connectors: "A and B or C" is read as "A and (B or C)" - an "or" joins its nearest
neighbours ("HIV and hepatitis B or C"), unless the "or" opens a new phrase ("A and B, or a history
of C", "A and B or any C"), which joins the larger parts. "A, B or C" and "A, B, or C" are one list
taking the final conjunction. In a list of examples ("such as A and B", "e.g. A, B and C",
"including ..." in an exclusion) and before "other" ("A and other B") a written "and" is read as
"or"."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ...lexicon import load_lexicon
from ...schema import LogicNode
from ..criteria_scopes import cohort_label
from .clauses import Clause
from .context import Element, blank, compiled_rules


def _connector(
    text: str, a: Element, b: Element, blanks: list[tuple[int, int]], examples: bool = False,
    introduces: bool = False,
) -> str:
    """The connector between two elements: ";", ",", ",or", ",and", "or" or "and".

    In a list of examples ("such as A and B", "e.g. A, B and C") or before "other" ("A and other B")
    a written "and" is read as "or": any one of the examples meets the criterion. ``introduces``: the gap
    itself opens the examples ("VEGFR inhibitors such as sorafenib"): the head or any example."""
    gap = blank(text, blanks, a.mention.end, b.mention.start).lower()
    if ";" in gap:
        return ";"
    if introduces:
        return "or"
    if examples or re.search(r"\b(?:and|&)\s+(?:any\s+|all\s+)?other\b", gap):
        gap = re.sub(r"\band\b|&", "or", gap)
    if "," in gap:
        if re.search(r",\s*(?:and/or|or|either)\b", gap):
            return ",or"
        if re.search(r",\s*(?:and|as well as)\b", gap):
            return ",and"
        return ","
    if re.search(r"\band/or\b|\bor\b|\bnor\b|(?<=[a-z0-9)\]])\s*/\s*(?=[a-z0-9]|$)|^\s*/\s*$", gap):
        if (
            re.search(
                r"\bor\s+(?:a|an|any|the|those|patients?|subjects?|participants?|who|with|has|have|had|known)\b",
                gap,
            )
            and len(re.findall(r"[a-z]+", gap)) >= 3
        ):
            return ",or"  # "X and Y or a history of Z": the 'or' joins larger parts
        return "or"
    return "and"


Node = str | LogicNode


def _node(op: str, args: Sequence[Node | None]) -> Node | None:
    flat: list[Node] = []
    for a in args:
        if a is None:
            continue
        if isinstance(a, LogicNode) and a.op == op:
            flat.extend(a.args)
        else:
            flat.append(a)
    if not flat:
        return None
    if len(flat) == 1:
        return flat[0]
    return LogicNode(op=op, args=flat)  # type: ignore[arg-type]


def _leaf(e: Element) -> Node | None:
    if not e.ids:
        return None
    args: list[Node] = list(e.ids)
    if e.conditions and len(e.ids) == len(e.values):
        # "≤ 2.5 × ULN, or ≤ 5 × ULN with liver metastases": the second threshold applies with its
        # condition
        for i in range(len(args)):
            conds = [_leaf(f) for k, f in e.conditions if k == i]
            if conds:
                joined = _node("and", [args[i], _node(e.condition_ops.get(i, "and"), conds)])
                args[i] = joined  # type: ignore[assignment]
    if len(args) == 1:
        return args[0]
    op = "or" if any(v.attributes.get("alt") for v in e.values) else "and"
    return LogicNode(op=op, args=args)  # type: ignore[arg-type]


def _carve(
    text: str,
    main: Node,
    carved: list[Element],
    main_els: list[Element],
    kind: str,
    blanks: list[tuple[int, int]],
) -> Node:
    """The main condition narrowed by its carve-outs: X except Y = X and not Y; in an inclusion
    whose condition is negated ("no X except Y") or widened by "... are eligible", the carve-out is
    an alternative: not X or Y. An inclusion's positive condition with an exception ("resolved
    toxicities (except alopecia)") keeps the main condition only: requiring NOT Y there would call
    eligible patients ineligible whenever the words before the exception describe what must be
    absent."""
    if (
        carved[0].carve is not None and carved[0].carve.items == "before"
    ):  # "A are eligible if B": read as written
        node = _seq_logic(text, carved, "inclusion", blanks)
    else:  # "except A, B and C": any one of them is excepted
        node = _node("or", [_leaf(e) for e in carved])
    if node is None:
        return main
    widen = kind == "inclusion" and (
        (carved[0].carve is not None and carved[0].carve.items == "before" and carved[0].carve.widens)
        or (bool(main_els) and all(e.negation is not None for e in main_els))
    )  # never in an exclusion: no carved item triggers one
    if widen:
        return _node("or", [main, node])  # type: ignore[return-value]
    if kind == "inclusion":
        return main
    return _node("and", [main, LogicNode(op="not", args=[node])])  # type: ignore[return-value]


def _seq_logic(
    text: str,
    els: list[Element],
    kind: str,
    blanks: list[tuple[int, int]],
    in_paren: bool = False,
    conditional: bool = False,
) -> Node | None:
    """Logic of one clause's elements from the connectors between them."""
    if not els:
        return None
    if _requirement_lead(text, els, blanks):  # "malignancy requiring chemotherapy, surgery or radiation"
        return _node("and", [_seq_logic(text, els[:1], kind, blanks, in_paren, conditional),
                             _seq_logic(text, els[1:], kind, blanks, True, conditional)])
    # parenthesised groups after a head: "Active lung disease (A, B, C)"
    units: list[tuple[Node | None, Element, Element, bool]] = []  # node, first, last, has_value
    i = 0
    while i < len(els):
        e = els[i]
        j = i + 1
        while j < len(els) and els[j].in_paren > e.in_paren:
            j += 1
        inner = els[i + 1 : j]
        if inner:
            sub = _seq_logic(text, inner, kind, blanks, in_paren=True)
            members = [x for x in inner if x.ids]
            head = _leaf(e)
            fills = (
                len(inner) == 1
                and re.fullmatch(r"\s*\(\s*", text[e.mention.end : inner[0].mention.start])
                is not None
                and re.match(r"\s*\)", text[inner[0].mention.end :]) is not None
            )
            if len(members) >= 2 and not e.ids:
                node = sub
            elif len(members) >= 2 and e.mention.open_vocab:
                # "infection (temperature > 38 C or WBC > 15,000)": the head is defined by the
                # values inside
                node = _node("and" if all(x.values for x in members) else "or", [head, sub])
            elif fills or len(members) >= 2 or _example_list(text, e, inner):
                node = _node("or", [head, sub])
            else:
                node = _node("and", [head, sub])
            units.append((node, e, inner[-1], bool(e.values)))
        else:
            units.append((_leaf(e), e, e, bool(e.values)))
        i = j
    units = [u for u in units if u[0] is not None]
    if not units:
        return None
    ex_rx = compiled_rules()["examples"]
    conns = [
        _connector(
            text,
            units[k][2],
            units[k + 1][1],
            blanks,
            examples=_in_examples(text, ex_rx, units[k][1].mention.start, kind),
            introduces=_opens_examples(text, ex_rx, units[k][2].mention.end, units[k + 1][1].mention.start, kind)
            and _member_of(units[k + 1][1], units[k][2]),
        )
        for k in range(len(units) - 1)
    ]
    # comma level
    items: list[list[int]] = [[0]]
    for k, c in enumerate(conns):
        if c.startswith(",") or c == ";":
            items.append([k + 1])
        else:
            items[-1].append(k + 1)
    finals = [c for c in conns if c in (",or", ",and")]
    multi = [k for k, it in enumerate(items) if len(it) > 1]
    if (
        not finals
        and len(items) > 1
        and multi
        and all(len(it) == 1 for it in items[: multi[0]])
        and multi[0] > 0
        and conns[items[multi[0]][1] - 1] in ("or", "and")
    ):
        # "A, B or C" (no comma before the conjunction): the conjunction is the whole list's;
        # what follows C's partner stays with it ("A, B or C as diagnosed by D")
        k0 = multi[0]
        finals = ["," + conns[items[k0][1] - 1]]
        items = items[:k0] + [[items[k0][0]], items[k0][1:]] + items[k0 + 1 :]
    if (
        finals
        and finals[-1] == ",and"
        and kind == "exclusion"
        and not in_paren
        and len(items) >= 3
        and not any(units[ix][3] for it in items for ix in it)
    ):
        # an exclusion listing conditions "A, B, and C" excludes a patient with any of them
        finals = finals[:-1] + [",or"]
    if (
        finals == [",and"]
        and conns[-1] == ",and"
        and len(items) >= 4
        and len(items[-2]) == 2
        and conns[items[-2][1] - 1] == "or"
        and all(conns[it[0] - 1] == "," for it in items[1:-1])
    ):
        # "secondary to A, B, C or D, and undergoing E": the list up to D takes its own 'or'; ', and' joins E
        head = _node("or", [_node("and", [units[ix][0] for ix in it]) if len(it) > 1 and conns[it[1] - 1] == "and"
                            else _node("or", [units[ix][0] for ix in it]) for it in items[:-1]])
        return _node("and", [head, _node("and", [units[ix][0] for ix in items[-1]])])
    if finals:
        list_op = "or" if finals[-1] == ",or" else "and"
    elif all(units[ix][3] for it in items for ix in it):
        list_op = "and"
    elif conditional:
        list_op = "and"  # "If positive for HBsAg, HBV DNA above ULN"
    elif in_paren:
        list_op = "or"
    else:
        list_op = "or" if kind == "exclusion" else "and"
    item_nodes: list[Node | None] = []
    for it in items:
        # and binds looser than or inside a comma item
        and_groups: list[list[int]] = [[it[0]]]
        for ix in it[1:]:
            if conns[ix - 1] == "and":
                and_groups.append([ix])
            else:
                and_groups[-1].append(ix)
        ands = []
        for g in and_groups:
            leaves = [units[ix][0] for ix in g]
            neg_all = len(g) > 1 and all(
                units[ix][1].negation is not None
                and units[ix][1].negation is units[g[0]][1].negation
                for ix in g
            )
            ands.append(
                _node("and" if neg_all else "or", leaves)
            )  # "without A or B" = not A and not B
        item_nodes.append(_node("and", ands))
    return _node(list_op, item_nodes)


def _requirement_lead(text: str, els: list[Element], blanks: list[tuple[int, int]]) -> bool:
    """Whether a requirement lead ('requiring') follows the clause's first element, outside brackets, with a list of
    at least two elements after it: the clause is that element and the list. Only the first element: after a list
    ('ILD, radiation pneumonitis which required steroids, or active ILD') the lead belongs to the item before it."""
    if len(els) < 3 or els[0].in_paren or els[1].in_paren:
        return False
    gap = blank(text, blanks, els[0].mention.end, els[1].mention.start)
    lead = compiled_rules()["requirement_leads"].search(gap)
    # "severe pruritus or those requiring ...": a lead after a break opens another alternative
    return lead is not None and not re.search(r"[,;:(\-]|\b(?:or|and|e\.g|i\.e)\b", gap[:lead.start()], re.IGNORECASE)


def _example_list(text: str, head: Element, inner: list[Element]) -> bool:
    """Is the parenthesis after ``head`` a plain list of names ("rheumatic disease (RA, SpA, SLE)",
    "eating disorder (anorexia nervosa, bulimia)")? Its items are examples of the head, any one of which
    meets the criterion, even when only one of them is a known concept. A parenthesis with values or
    numbers ("(Child B or higher)" aside, "(ECOG 0-1)", "(> 3 x ULN)") narrows the head instead."""
    if any(x.values for x in inner):
        return False
    opening = text.find("(", head.mention.end, inner[0].mention.start)
    close = text.find(")", inner[-1].mention.end)
    if opening < 0 or close < 0 or text[head.mention.end : opening].strip():
        return False
    content = text[opening + 1 : close]
    items = [i for i in re.split(r",|;|\bor\b|\band\b|/", content) if i.strip()]
    return len(items) >= 2 and compiled_rules()["paren_narrowing"].search(content) is None


def _member_of(item: Element, head: Element) -> bool:
    """The item names a member of the head's class ('sorafenib' of 'VEGFR inhibitors'): an example of it."""
    return load_lexicon().is_a(item.mention.concept, head.mention.concept)


def _opens_examples(text: str, rx: re.Pattern[str], start: int, end: int, kind: str) -> bool:
    """Does the gap ``[start, end)`` between a head and the next item hold an example-list cue ("such as",
    "e.g."; "including" in exclusions), with nothing but a comma or bracket around it?"""
    gap = text[start:end]
    m = rx.search(gap)
    if m is None or re.search(r"[;:.]", gap) or len(gap) > 30:
        return False
    return kind == "exclusion" or not m.group(0).lower().startswith("includ")


def _in_examples(text: str, rx: re.Pattern[str], pos: int, kind: str) -> bool:
    """Does ``pos`` follow an example-list cue ("such as", "e.g.", "for example"; "including" in
    exclusions) in the same sentence part (no ';', ':' or sentence end in between)?"""
    left = text[max(0, pos - 120) : pos]
    cut = max(left.rfind(";"), left.rfind(". "), left.rfind(":"), left.rfind("\n"))
    m = None
    for m in rx.finditer(left, cut + 1):
        pass
    if m is None:
        return False
    return kind == "exclusion" or not m.group(0).lower().startswith("includ")


_OR_START = re.compile(r"[\s;,]*(?:\(?(?:[ivx]{1,4}|[a-h]|\d{1,2})[).]\s*)?(?:and\s*/\s*or|or)\b", re.IGNORECASE)
"""A clause that opens with 'or' or 'and/or' (after an item marker such as '(ii)'): an alternative to the one before."""


def criterion_logic(
    text: str, els: list[Element], clauses: list[Clause], kind: str, blanks: list[tuple[int, int]]
) -> Node | None:
    c = compiled_rules()
    pre_op = None
    nodes: list[tuple[int, Node | None, set[str]]] = []
    pending: list[Element] = []
    labelled: list[int] = []
    for ci, cl in enumerate(clauses):
        allm = [e for e in els if e.clause == ci and e.condition_of is None]
        mine = [e for e in allm if e.carve is None]
        carved = [e for e in allm if e.carve is not None]
        if cl.preamble and pre_op is None:
            ctext = text[cl.start : cl.end]
            if c["list_or"].search(ctext):
                pre_op = "or"
            elif c["list_and"].search(ctext):
                pre_op = "and"
        node = _seq_logic(
            text,
            mine,
            kind,
            blanks,
            conditional=bool(
                re.match(r"\s*(?:or\s+|and\s+)?if\b", text[cl.start : cl.end], re.IGNORECASE)
            ),
        )
        concepts = {e.mention.concept for e in mine}
        if carved and node is not None:
            node = _carve(text, node, carved, mine, kind, blanks)
        elif (
            carved and nodes
        ):  # "Known brain metastases. Patients with treated, stable brain metastases are eligible."
            whole = _node(
                pre_op or ("or" if kind == "exclusion" else "and"), [n for _, n, _ in nodes]
            )
            main_els = [e for e in els if e.clause < ci and e.carve is None]
            nodes = [
                (
                    nodes[0][0],
                    _carve(text, whole, carved, main_els, kind, blanks),  # type: ignore[arg-type]
                    set().union(*(n[2] for n in nodes)),
                )
            ]
            labelled = []
            continue
        elif carved:
            pending.extend(carved)
        if node is None:
            continue
        label = cohort_label(text, cl.start, cl.end if cl.label_end < 0 else cl.label_end + 1)
        if label and (
            ci > 0
            or any(
                cohort_label(text, c2.start, c2.end if c2.label_end < 0 else c2.label_end + 1)
                for c2 in clauses[1:]
            )
        ):
            labelled.append(len(nodes))
        if nodes and _OR_START.match(text, cl.start, cl.end):
            # "(i) a relapse within 6 months; (ii) AND/OR a new lesion on MRI": the clause is an alternative
            prev = nodes.pop()
            nodes.append((ci, _node("or", [prev[1], node]), prev[2] | concepts))
            continue
        if (
            re.match(r"\s*(?:or\s+|and\s+)?if\b", text[cl.start : cl.end], re.IGNORECASE)
            and nodes
            and nodes[-1][2] & concepts
        ):
            prev = nodes.pop()
            nodes.append((ci, _node("or", [prev[1], node]), prev[2] | concepts))
            continue
        nodes.append((ci, node, concepts))
    if len(labelled) > 1:  # "Cohort A: ...; Cohort B: ...": one cohort's requirements or another's
        alts = _node("or", [nodes[k][1] for k in labelled])
        first = labelled[0]
        nodes = [n for k, n in enumerate(nodes) if k not in labelled]
        nodes.insert(min(first, len(nodes)), (first, alts, set()))
    op = pre_op or ("or" if kind == "exclusion" else "and")
    out = _node(op, [n for _, n, _ in nodes])
    if pending and out is not None:
        out = _carve(text, out, pending, [e for e in els if e.carve is None], kind, blanks)
    return out
