"""Carve-outs ("except basal cell carcinoma") and conditions of alternative values ("≤ 5 × ULN with
liver metastases"): which elements narrow the criterion or qualify one threshold instead of being
required."""

from __future__ import annotations

import re
from dataclasses import replace

from ..criteria_concepts import Mention, normalise_phrase
from ..criteria_scopes import CarveScope, conditional_lead
from .clauses import Clause
from .context import WORD, Element, ListingContext, compiled_rules


def mark_carves(
    text: str, els: list[Element], scopes: list[CarveScope], kind: str, ctx: ListingContext
) -> bool:
    """Put each element standing in a carve-out scope on that scope; returns True when the whole
    criterion is carve-out ("Prior anti-PD-1 therapy is allowed" in an exclusion list: nothing to
    check).

    A carved item that names the main condition's own concept or class ("other malignancy except
    basal cell carcinoma", "brain metastases ... treated, stable brain metastases are eligible")
    keeps its own words as an open-vocabulary phrase, so that NOT(it) never cancels the main
    condition itself; so does a carved member of the main concept's class ("another malignancy
    except basal cell carcinoma"), a class ("carcinoma" in situ) or a sited concept ("liver
    metastasis"), whose lexicon concept is broader than its words."""
    if not scopes:
        return False
    inside = {
        id(e): next((sc for sc in scopes if sc.start <= e.mention.start < sc.end), None)
        for e in els
    }
    main = [e for e in els if inside[id(e)] is None]
    if not main:
        if kind == "inclusion" and any(sc.alone == "requirement" for sc in scopes):
            return False  # "Patients with stage IV disease are eligible": the requirement itself
        for e in els:
            e.carve = inside[id(e)]
        return bool(els)
    lex = ctx.matcher.lexicon

    def family(concept: str) -> set[str]:
        return {concept} | set(lex.classes_of(concept))

    main_concepts = {e.mention.concept for e in main}
    main_family = set().union(
        *(family(c) for c in main_concepts)
    )  # the main concepts and their classes
    for e in list(els):
        sc = inside[id(e)]
        if sc is None or e not in els:
            continue
        e.carve = sc
        m = e.mention
        s0, e0 = _carved_phrase(text, m, sc)
        if not m.open_vocab and (
            m.concept in main_family
            or family(m.concept) & main_concepts
            # a class is broader than its words only when words around it narrow it ("carcinoma in situ");
            # "Bisphosphonate treatment is allowed" carves out the whole class
            or (lex.members(m.concept) - {m.concept} and (s0, e0) != (m.start, m.end))
            or m.attributes.get("site")
        ):
            e.mention = Mention(
                normalise_phrase(text[s0:e0]),
                s0,
                e0,
                open_vocab=True,
                kind="open",
                attributes={**m.attributes, "lexicon_concept": m.concept},
            )
            swallowed = [
                o for o in els if o is not e and s0 <= o.mention.start and o.mention.end <= e0
            ]
            for o in swallowed:  # "situ of the cervix" is part of "carcinoma in situ of the cervix"
                els.remove(o)
    return False


def category_of(ctx: ListingContext, concept: str) -> str | None:
    entry = ctx.matcher.lexicon.get(concept)
    return entry.category if entry is not None else None


def carve_to_next_clause(text: str, sc: CarveScope, clauses: list[Clause]) -> CarveScope:
    """ "History of another malignancy except: basal cell carcinoma": the carved list follows in the
    next clause."""
    if sc.items != "after" or text[sc.start : sc.end].strip(" :\t\r\n"):
        return sc
    nxt = [cl for cl in clauses if cl.start >= sc.end]
    return replace(sc, end=nxt[0].end) if nxt else sc


_CARVE_RIGHT = re.compile(r"(?:\s+(?:in\s+situ|of\s+(?:the\s+)?[A-Za-z]{3,})\b)+", re.IGNORECASE)


def _carved_phrase(text: str, m: Mention, sc: CarveScope) -> tuple[int, int]:
    """The carved item's own words: the mention with the qualifiers before it ("adequately treated",
    "treated, stable") and a site after it ("in situ", "of the skin"), inside the scope."""
    c = compiled_rules()
    s0 = m.start
    for w in reversed(list(WORD.finditer(text, sc.start, m.start))):
        between = text[w.end() : s0]
        lw = w.group(0).lower()
        if re.search(r"[;:()\[\]]", between) or lw in ("or", "and", "nor", "and/or"):
            break
        if "," in between and lw not in c["modifiers"]:
            break
        if lw in c["lead_ins"] and lw not in c["modifiers"]:
            break
        s0 = w.start()
    e0 = m.end
    r = _CARVE_RIGHT.match(text, m.end, sc.end)
    if r:
        e0 = r.end()
    return s0, e0


def find_conditions(text: str, els: list[Element], clauses: list[Clause]) -> None:
    """ "AST ≤ 2.5 × ULN, or ≤ 5 × ULN with liver metastases": the elements after an alternative
    value's conditional cue ("with", "in case of", "for patients with") are the condition of that
    value only."""
    for e in els:
        if len(e.values) < 2 or not any(v.attributes.get("alt") for v in e.values[1:]):
            continue
        for i, v in enumerate(e.values):
            cl = clauses[e.clause]
            depth = text.count("(", cl.start, v.end) - text.count(")", cl.start, v.end)
            bound = cl.end
            if depth > 0:
                close = text.find(")", v.end, cl.end)
                bound = close if close > 0 else cl.end
            lead = conditional_lead(text, v.end, bound)
            if lead is None:
                continue
            stop = re.search(r"[;,)]|\.\s", text[lead:bound])
            stop_at = lead + stop.start() if stop else bound
            nxt = [w.start for w in e.values[i + 1 :]]
            stop_at = min([stop_at] + nxt)
            conds = [
                f
                for f in els
                if f is not e
                and f.clause == e.clause
                and lead <= f.mention.start < stop_at
                and not f.values
                and f.condition_of is None
                and f.carve is None
            ]
            for f in conds:
                f.condition_of = e
            op = (
                "or"
                if len(conds) > 1
                and re.search(r"\bor\b|/", text[conds[0].mention.end : conds[-1].mention.start])
                else "and"
            )
            for g in (
                els
            ):  # "AST and ALT ≤ 2.5 × ULN, or ≤ 5 × ULN with liver metastases": both labs share it
                if conds and (g is e or (len(g.values) > i and g.values[i] is v)):
                    g.conditions.extend((i, f) for f in conds)
                    g.condition_ops[i] = op
