"""The elements of one clause: lexicon concepts, sex phrases and open-vocabulary phrases, with
repeated short forms and descriptive detail in parentheses dropped."""

from __future__ import annotations

import re
from typing import Any

from ..criteria_concepts import ConceptMatcher, Mention
from ..criteria_scopes import conditional_lead
from ..criteria_values import CueExpr, ValueExpr, WindowExpr
from .clauses import Clause
from .context import Element, blank, compiled_rules
from .vocabulary import elliptical, open_vocab_mentions


def elements_of_clause(
    text: str,
    cl: Clause,
    ci: int,
    ctx: Any,
    windows: list[WindowExpr],
    values: list[ValueExpr],
    cues: list[CueExpr],
) -> list[Element]:
    matcher: ConceptMatcher = ctx.matcher
    mentions = matcher.find(text, cl.start, cl.end, ctx.abbreviations, ctx.abbrev_rx)
    for v in values:  # "ASA class 1 to 3": the concept keeps its words, the value starts after them
        for m in mentions:
            if m.start <= v.start < m.end < v.end and v.kind in ("class", "grade", "number", "time"):
                v.start = m.end + len(text[m.end : v.end]) - len(text[m.end : v.end].lstrip())
                if v.comp_span and v.comp_span[0] < v.start:
                    v.comp_span = None
    blocked = [w.anchor_span for w in windows if w.anchor_span] + [(v.start, v.end) for v in values]
    # "sample taken prior to the first dose of the study drug": the trial's own drug dates it; it is no item;
    # nor is "participation in the clinical trial" (this one)
    # 'progression since the radiation therapy': the event it counts from; 'an INH or rifampin resistant case': what
    # an organism resists
    found = [a for key in ("study_anchor", "not_item", "this_trial", "resistance_item")
             for a in compiled_rules()[key].finditer(text, cl.start, cl.end)]
    anchors = [a.span("item") for a in found if "item" in a.re.groupindex and a.group("item")]
    blocked += anchors + [a.span() for a in found if "item" not in a.re.groupindex or not a.group("item")]
    mentions = [m for m in mentions if all(m.end <= s or m.start >= e for s, e in blocked)]
    # drop a repeated concept inside parentheses right after it: "aspartate aminotransferase (AST)"
    kept: list[Mention] = []
    dropped: list[tuple[int, int]] = []
    for m in mentions:
        if (
            kept
            and not kept[-1].open_vocab
            and kept[-1].concept != m.concept
            and matcher.lexicon.is_a(kept[-1].concept, m.concept)
            and re.fullmatch(r"[\s-]*", text[kept[-1].end : m.start])
        ):  # "PCV-13 vaccination", "cisplatin chemotherapy": the class word after a member completes it
            prev = kept[-1]
            kept[-1] = Mention(prev.concept, prev.start, m.end, prev.open_vocab, prev.kind, dict(prev.attributes))
            continue
        if (
            kept
            and kept[-1].concept == m.concept
            and re.fullmatch(r"\s*[(\[]?\s*|\s*", text[kept[-1].end : m.start])
        ):
            if text[kept[-1].end : m.start].strip() == "":
                kept[-1] = Mention(
                    m.concept, kept[-1].start, m.end, kept[-1].open_vocab, kept[-1].kind
                )
            else:
                dropped.append((m.start, m.end))
            continue
        kept.append(m)
    mentions = kept
    # sex phrases
    for m in compiled_rules()["sex_all"].finditer(text, cl.start, cl.end):
        mentions = [x for x in mentions if x.end <= m.start() or x.start >= m.end()]
        mentions.append(
            Mention("sex", m.start(), m.end(), kind="attribute", attributes={"value": "all"})
        )
    mentions.sort(key=lambda m: m.start)
    # open vocabulary in the gaps
    cue_spans = [
        (c.start, c.end)
        for c in cues
        if c.type
        in (
            "negation",
            "current",
            "history",
            "positive",
            "negative",
            "method",
            "scale",
            "phrase",
            "status",
            "qualitative",
            "exception",
        )
    ]
    skip = (
        [(w.start, w.end) for w in windows]
        + [(v.start, v.end) for v in values]
        + cue_spans
        + dropped
        + anchors
    )
    skip += [
        (j.start(), j.end()) for j in compiled_rules()["judgement"].finditer(text, cl.start, cl.end)
    ]
    # "personal or family history of": whose condition it is (records.py), no concept
    skip += [(j.start(), j.end()) for j in compiled_rules()["family_history"].finditer(text, cl.start, cl.end)]
    if cl.label_end > 0:
        skip.append((cl.start, cl.label_end))
    bounds = [cl.start] + [x for m in mentions for x in (m.start, m.end)] + [cl.end]
    ov: list[Mention] = []
    for k in range(0, len(bounds), 2):
        gs, ge = bounds[k], bounds[k + 1]
        if ge - gs < 3:
            continue
        gap = blank(text, skip, gs, ge, "\x00")
        ov.extend(
            open_vocab_mentions(
                text, gs, ge, gap, next_is_mention=k + 1 < len(bounds) - 1, prev_is_mention=k > 0
            )
        )
    if (
        cl.preamble
        and mentions == []
        and (
            compiled_rules()["list_or"].search(text, cl.start, cl.end)
            or compiled_rules()["list_and"].search(text, cl.start, cl.end)
        )
    ):
        ov = []  # "Has any uncontrollable problem, including:" is a header, not a concept

    # descriptive detail in parentheses after a lexicon concept is not a concept of its own
    def depth(pos: int) -> int:
        return text.count("(", cl.start, pos) - text.count(")", cl.start, pos)

    def listed(
        pos: int,
    ) -> (
        bool
    ):  # "(skin rash, urticaria or other reactions)", "(except diuretics)": not a description
        close = text.find(")", pos, cl.end)
        open_ = text.rfind("(", cl.start, pos)
        inner = text[open_ + 1 : close if close > 0 else cl.end]
        return bool(
            re.search(r",|\bor\b|\band/or\b|\bnor\b", inner)
            or compiled_rules()["examples"].match(inner.strip())
            or any(inner.strip().lower().startswith(x) for x in compiled_rules()["exception_cues"])
        )

    def conditional(
        pos: int,
    ) -> bool:  # "(≤ 3 × ULN for patients with Gilbert's syndrome)": the value's condition
        open_ = text.rfind("(", cl.start, pos)
        return any(
            open_ < v.start < pos
            and (lead := conditional_lead(text, v.end, pos + 1)) is not None
            and lead <= pos
            for v in values
        )

    def measures(o: Mention) -> bool:  # "atopic dermatitis (SCORAD score > 20)": the words name the value's measure
        opens = text[cl.start : o.start].rstrip()
        return opens.endswith("(") and any(0 <= v.start - o.end <= 3 and ")" not in text[o.end : v.start]
                                           and v.kind == "number" for v in values)

    ov = [
        o
        for o in ov
        if depth(o.start) == 0
        or listed(o.start)
        or conditional(o.start)
        or measures(o)
        or not any(m.end <= o.start and depth(m.start) < depth(o.start) for m in mentions)
    ]
    ov = [
        o
        for o in ov
        if not re.match(
            r"\s+of\s", text[o.end : o.end + 4]
        )  # "determination of X": X is the concept
        or any(0 <= v.start - o.end <= 8 for v in values)
    ]  # ... unless a value follows: "donation of > 450 mL"
    ov = [
        o
        for o in ov
        if (
            re.search(r"[A-Za-z]{4,}", o.concept)
            or re.fullmatch(
                r"[A-Z][A-Z0-9]{2}|(?=\S*\d)[A-Z][A-Za-z0-9]*-[A-Za-z0-9]+", text[o.start : o.end]
            )
        )
        and not re.fullmatch(r"(?:[ivx]+[abc]?|v?\d[\d .]*)(?:\s+\S+)?", o.concept)
        # "(topical or systemic)" after a drug: its route (records.drug_route), no concept
        and not any(rx.fullmatch(o.concept) for _, rx in compiled_rules()["drug_routes"])
    ]
    allm: list[Mention] = []
    for m in sorted(mentions + ov, key=lambda m: m.start):
        if (
            allm
            and allm[-1].concept == m.concept
            and re.fullmatch(r"\s*\(\s*", text[allm[-1].end : m.start])
        ):
            # "relapsing-remitting (RR)": the definition and its short form are one concept
            continue
        allm.append(m)
    allm = elliptical(text, cl, allm, skip, matcher)
    els = []
    stray = _stray_closes(text, cl.start, cl.end)
    for m in allm:
        el = Element(m, ci)
        if m.attributes.get("value"):
            el.attributes["value"] = m.attributes["value"]
        el.in_paren = (text.count("(", cl.start, m.start) - text.count(")", cl.start, m.start)
                       + sum(1 for p in stray if p < m.start))
        els.append(el)
    return els


def _stray_closes(text: str, start: int, end: int) -> list[int]:
    """Closing brackets too many in a clause whose list ran past its first ')': in "risk factor (hypertension,
    diabetes or LVEF < 0.40), previous stroke or TIA)" the last ')' ends the list, so the earlier one is stray."""
    opens = [i for i in range(start, end) if text[i] == "("]
    closes = [i for i in range(start, end) if text[i] == ")"]
    if not opens or len(closes) <= len(opens):
        return []
    inside = [c for c in closes if c > opens[0]]
    extra = len(closes) - len(opens)
    if len(inside) <= extra:
        return []
    return inside[:extra]  # the earliest closes after the first opening
