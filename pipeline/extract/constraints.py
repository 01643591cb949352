"""One criterion -> structured constraints and and/or/not logic.

Steps (each a plain function): split the criterion into clauses (';', sentences, long preambles before
':', sub-bullets); in each clause find windows, values and cue words (criteria_values), lexicon concepts
(criteria_concepts) and open-vocabulary phrases in the gaps; attach values, windows, negation, temporal
and polarity cues to the nearest concept; build the logic from the connectors between concepts
(and binds looser than or; comma lists take their final conjunction); then category and computability.

Reading of mixed connectors: "A and B or C" is read as "A and (B or C)" - an "or" joins its nearest
neighbours ("HIV and hepatitis B or C"), unless the "or" opens a new phrase ("A and B, or a history of C",
"A and B or any C"), which joins the larger parts. "A, B or C" and "A, B, or C" are one list taking the final
conjunction. In a list of examples ("such as A and B", "e.g. A, B and C", "including ..." in an exclusion)
and before "other" ("A and other B") a written "and" is read as "or".
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Optional, Union

from ..schema import CATEGORIES, Constraint, Criterion, LogicNode, Window
from .criteria_concepts import ConceptMatcher, Mention, default_matcher, listing_abbreviations, normalise_phrase
from .criteria_scopes import CarveScope, carve_scopes, cohort_label, cohort_labels_in, conditional_lead, consent_scopes, qualifiers_in
from .criteria_values import CueExpr, ValueExpr, WindowExpr, find_cues, find_values, find_windows
from .listing import rules

log = logging.getLogger(__name__)

VALUE_KINDS = {"lab", "measurement", "score"}
THERAPY_KINDS = {"drug", "drug_class", "procedure"}


@dataclass
class ListingContext:
    """Per-listing state: the concept matcher and abbreviations the listing defines."""

    matcher: ConceptMatcher
    abbreviations: dict[str, str] = field(default_factory=dict)
    abbrev_rx: Optional[re.Pattern[str]] = None

    @classmethod
    def build(cls, text: str, region: tuple[int, int]) -> "ListingContext":
        matcher = default_matcher()
        abbr = listing_abbreviations(text[region[0]:region[1]], matcher)
        rx = None
        if abbr:
            rx = re.compile(r"(?<![\w\-])(?:" + "|".join(re.escape(a) for a in sorted(abbr, key=len, reverse=True)) + r")(?![\w])")
        return cls(matcher, abbr, rx)


def _forms(word: str) -> tuple[str, ...]:
    """"patients?" -> ("patient", "patients")."""
    return (word[:-2], word[:-1]) if word.endswith("s?") else (word,)


@lru_cache(maxsize=1)
def _compiled() -> dict[str, Any]:
    r = rules()
    word_alt = lambda ws: r"\b(?:" + "|".join(ws) + r")\b"  # noqa: E731
    return {
        "judgement": re.compile("|".join(r["judgement_cues"]), re.I),
        "admin": re.compile("|".join(r["administrative_cues"]), re.I),
        "list_or": re.compile("|".join(r["list_or_cues"]), re.I),
        "list_and": re.compile("|".join(r["list_and_cues"]), re.I),
        "lead_ins": {x for w in r["lead_ins"] for x in _forms(w.lower())},
        "stops": {w.lower() for w in r["open_vocab_stops"]},
        "modifiers": {w.lower() for w in r["modifiers"]},
        "fillers": {w.lower() for w in r["fillers"]},
        "sex_all": re.compile(word_alt(r["sex_all"]), re.I),
        "age_cue": re.compile("|".join(r["age_cues"]), re.I),
        "label_max": r["thresholds"]["label_max_words"],
        "ov_max": r["thresholds"]["open_vocab_max_words"],
        "coord_gap": r["thresholds"]["coordination_max_gap"],
        "scale_concepts": r["scale_concepts"],
        "comparator_words": {w for ws in r["comparators"].values() for x in ws for w in x.lower().split() if w.isalpha()}
        | {w for ws in r["post_comparators"].values() for x in ws for w in x.lower().split()},
        "non_nouns": {w.lower() for w in r.get("non_nouns", [])},
        "not_elliptical": {w.lower() for w in r["not_elliptical"]},
        "level_words": {w.lower() for w in r["qualitative_level_words"]},
        "exception_cues": {w.lower() for w in r["negation_exception_cues"]},
        "ability_words": {w.lower() for w in r["ability_words"]},
        "temporal_roles": [(role, re.compile("|".join(ws), re.I)) for role, ws in r["temporal_span_roles"].items()],
        "examples": re.compile(r"\b(?:" + "|".join(r["example_cues"]) + r")", re.I),
        "ly_nouns": {w.lower() for w in r.get("ly_nouns", [])},
        "neg_stops": re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in r["negation_scope_stops"]) + r")\b"
                                r"|,\s*(?:and\s+)?(?:with|has|have|had)\b", re.I),
        "person_before": re.compile(r"\b(?:" + "|".join(r["person_words"]) + r")\b[\s,(:]*(?:(?:who\s+)?(?:are|is|aged?|of|from|between)\s+)?(?:\w+\s+)?$", re.I),
        "duration_heads": re.compile(r"\b(?:" + "|".join(r["duration_value_heads"]) + r")", re.I),
    }


# ----------------------------------------------------------------------------- clauses


@dataclass
class Clause:
    start: int
    end: int
    preamble: bool = False
    label_end: int = -1
    """End of a short 'Label:' at the clause start (its words are not open-vocabulary concepts)."""


_MARKER = re.compile(r"[ \t]*(?:[•*·\-–—▪◦○●■➢►]|\d{1,2}[.)]|\(\d{1,2}\)|[a-zA-Z][.)]|\([a-zA-Z]\)|(?:i{1,3}|iv|v|vi{1,3})[.)])[ \t]+")
_ABBREV_DOT = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|approx|incl|no|Dr|St|ca)|\d)\.$", re.I)


def split_clauses(text: str, start: int, end: int) -> list[Clause]:
    """Clauses of a criterion: split at ';', sentence ends, line breaks before sub-bullets, and after a
    preamble ending in ':' (longer than a short label). Parentheses are never split."""
    cuts: list[tuple[int, int, str]] = []  # (clause end, next start, why)
    depth = 0
    i = start
    while i < end:
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        elif depth == 0 and ch == ";":
            cuts.append((i, i + 1, ";"))
        elif depth == 0 and ch == "." and i + 1 < end and text[i + 1] in " \t\r\n" and not _ABBREV_DOT.search(text[max(start, i - 6):i + 1]):
            j = i + 1
            while j < end and text[j] in " \t\r\n":
                j += 1
            if j < end and (text[j].isupper() or text[j] in "(•*-"):
                cuts.append((i, i + 1, "."))
        elif depth == 0 and ch == ":":
            cuts.append((i, i + 1, ":"))
        elif ch == "\n":
            m = _MARKER.match(text, i + 1)
            if m and m.start() < end:
                cuts.append((i, m.end(), "\n"))
                depth = 0
        i += 1
    clauses: list[Clause] = []
    s = start
    pending_label = -1
    c = _compiled()
    for cut_end, nxt, why in cuts:
        if why == ":":
            words = re.findall(r"[\w\-/]+", text[s:cut_end])
            is_list = c["list_or"].search(text, s, cut_end) or c["list_and"].search(text, s, cut_end)
            if len(words) <= c["label_max"] and nxt < end and not is_list:
                pending_label = cut_end + 1
                continue
        if text[s:cut_end].strip():
            clauses.append(Clause(s, cut_end, preamble=(why == ":"), label_end=pending_label))
        s, pending_label = nxt, -1
    if text[s:end].strip():
        clauses.append(Clause(s, end, label_end=pending_label))
    for cl in clauses:  # trim whitespace and markers
        m = _MARKER.match(text, cl.start)
        if m and m.end() <= cl.end and text[cl.start:m.start()].strip() == "":
            cl.start = m.end()
        while cl.start < cl.end and text[cl.start].isspace():
            cl.start += 1
        while cl.end > cl.start and text[cl.end - 1] in " \t\r\n.,":
            cl.end -= 1
    return [cl for cl in clauses if cl.end > cl.start]


# ----------------------------------------------------------------------------- elements


@dataclass
class Element:
    """A concept occurrence that becomes one constraint (or more when it has several values)."""

    mention: Mention
    clause: int
    values: list[ValueExpr] = field(default_factory=list)
    window: Optional[WindowExpr] = None
    negation: Optional[CueExpr] = None
    temporal: Optional[CueExpr] = None
    polarity: Optional[CueExpr] = None
    qualitative: Optional[CueExpr] = None
    attributes: dict[str, str] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    in_paren: int = 0
    carve: Optional[CarveScope] = None
    """The carve-out scope this element stands in ("except X"): it narrows the criterion, never triggers it."""
    conditions: list[tuple[int, "Element"]] = field(default_factory=list)
    condition_ops: dict[int, str] = field(default_factory=dict)
    """How several conditions of one value combine: "or" for "with Gilbert's syndrome or liver metastases"."""
    """Elements under which this element's alternative value applies ("≤ 5 × ULN with liver metastases")."""
    condition_of: Optional["Element"] = None


def _blank(text: str, spans: list[tuple[int, int]], start: int, end: int, fill: str = " ") -> str:
    """text[start:end] with the given spans replaced by ``fill`` (offsets kept)."""
    chars = list(text[start:end])
    for s, e in spans:
        for k in range(max(s, start), min(e, end)):
            chars[k - start] = fill
    return "".join(chars)


_CONNECTOR_SPLIT = re.compile(r"\x00+|,|;|\band/or\b|\bor\b|\band\b|\bnor\b|\bas well as\b|\bplus\b|(?<=[A-Za-z])/(?=[A-Za-z])|\s/\s|[()\[\]]", re.I)


def _open_vocab(text: str, start: int, end: int, gap: str, next_is_mention: bool) -> list[Mention]:
    """Open-vocabulary concepts from a stretch of text with no lexicon concept."""
    c = _compiled()
    out = []
    pieces = []
    last = 0
    for m in _CONNECTOR_SPLIT.finditer(gap):
        pieces.append((last, m.start(), m.group(0)))
        last = m.end()
    pieces.append((last, len(gap), ""))
    for k, (ps, pe, conn) in enumerate(pieces):
        trailing = k == len(pieces) - 1
        if trailing and next_is_mention:
            continue  # a modifier of the concept that follows ("histologically confirmed" NSCLC)
        all_words = list(re.finditer(r"[A-Za-z][\w\-'/+]*|\d+[\w\-]*", gap[ps:pe]))
        segs = [[]]  # runs of words between stop words ("medication which interacts with aspirin")
        for w in all_words:
            if w.group(0).lower() in c["stops"]:
                segs.append([])
            else:
                segs[-1].append(w)
        first = None
        for words in segs:  # "need for live-virus vaccines": the first segment with a noun phrase
            first = _ov_mention(text, start + ps, gap[ps:pe], list(words), c)
            if first is not None:
                break
        member = None
        if len(segs) > 1 and segs[-1] and not (conn.strip() and conn.strip() not in "()[]"):
            # "disorders of lipid metabolism characterized by hypertriglyceridemia": the last phrase too
            last = _ov_mention(text, start + ps, gap[ps:pe], list(segs[-1]), c)
            if last is not None and (first is None or last.start >= first.end):
                member = last
        elif conn.strip() and conn.strip() not in "()[]" and segs[-1]:
            # the member next to the connector: "interacts with either aspirin or ..." -> "aspirin"
            tail = list(segs[-1])
            able = [i for i in range(len(tail) - 1) if tail[i].group(0).lower() in c["ability_words"]
                    and tail[i + 1].group(0).lower() == "to"]
            if able:
                tail = tail[able[-1]:]  # "unable to abstain from alcohol": the inability is the condition
            else:
                for i in range(len(tail) - 1, -1, -1):
                    if tail[i].group(0).lower() in c["lead_ins"] or not _nounish(tail[i].group(0)):
                        tail = tail[i + 1:]
                        break
            member = _ov_mention(text, start + ps, gap[ps:pe], tail, c) if tail else None
        if first is not None and member is not None and first.start < member.end and member.start < first.end:
            first = None  # one phrase: keep the coordinated member
        out.extend(m for m in (first, member) if m is not None)
    return out


def _ov_mention(text: str, base: int, piece: str, words: list[re.Match[str]], c: dict[str, Any]) -> Optional[Mention]:
    """One open-vocabulary mention from a run of words: lead-ins and trailing non-nouns trimmed, noun required."""
    # strip lead-ins and leading adverbs ("already on medications", "frequently recurring")
    while words and (words[0].group(0).lower() in c["lead_ins"] | c["modifiers"] or (
            len(words) > 1 and len(words[0].group(0)) > 4 and _ADJ_SUFFIX.search(words[0].group(0))
            and words[0].group(0).lower() not in c["ly_nouns"])):
        words.pop(0)
    words = words[: c["ov_max"]]
    while words and words[-1].group(0).lower() in c["lead_ins"] | {"of", "with", "to", "from", "the", "a", "an"}:
        words.pop()
    while len(words) > 1 and not _nounish(words[-1].group(0)):
        words.pop()  # "laboratory findings obtained": the phrase ends at its last noun-like word
    noise = c["modifiers"] | c["fillers"] | c["lead_ins"]
    if not words or all(w.group(0).lower() in noise or w.group(0)[0].isdigit() for w in words):
        return None
    if len(words) == 1 and len(words[0].group(0)) < 4 and not re.fullmatch(r"[A-Z][A-Z0-9]{2}", words[0].group(0)):
        return None  # short words are not concepts, three-letter abbreviations ("ECT") are
    if not any(_nounish(w.group(0)) and w.group(0).lower() not in noise for w in words):
        return None  # "willingly", "showing", "deemed": no noun, no concept
    s = base + words[0].start()
    e = base + words[-1].end()
    return Mention(normalise_phrase(text[s:e]), s, e, open_vocab=True, kind="open")


_ELLIPSIS_LEFT = re.compile(r"(?<![\w\-])([A-Za-z][\w\-]{2,})\s*,?\s*(?:or|and/or|and|/)\s*$", re.I)


def _elliptical(text: str, cl: Clause, mentions: list[Mention], skip: list[tuple[int, int]], matcher: ConceptMatcher) -> list[Mention]:
    """"medical or psychiatric illness": a lone modifier coordinated with the first word of a longer phrase shares
    that phrase's head; it becomes its own mention ("medical illness") on the modifier's span."""
    c = _compiled()
    out = list(mentions)
    for m in mentions:
        words = text[m.start:m.end].split()
        if len(words) < 2:
            continue
        left = _ELLIPSIS_LEFT.search(text, cl.start, m.start)
        if not left:
            continue
        s, e = left.start(1), left.end(1)
        w = left.group(1).lower()
        if w in c["lead_ins"] or w in c["stops"] or w in c["non_nouns"] or w in c["modifiers"] or w in c["not_elliptical"] \
                or not _nounish(w):
            continue
        bare = [o for o in out if o.open_vocab and (o.start, o.end) == (s, e)]  # "renal" alone says less
        if any(a < e and s < b for a, b in skip) or any(o.start < e and s < o.end for o in out if o not in bare):
            continue  # a cue word ("acute or chronic") or already a concept
        out = [o for o in out if o not in bare]
        phrase = " ".join([left.group(1)] + words[1:])
        concept = matcher.concept_of(phrase)
        out.append(Mention(concept or normalise_phrase(phrase), s, e, open_vocab=concept is None,
                           kind=matcher.kind_of(concept) if concept else "open", attributes={"elliptical": phrase}))
    return sorted(out, key=lambda m: m.start)


def _elements_of_clause(text: str, cl: Clause, ci: int, ctx: Any, windows: list[WindowExpr], values: list[ValueExpr],
                        cues: list[CueExpr]) -> list[Element]:
    matcher: ConceptMatcher = ctx.matcher
    mentions = matcher.find(text, cl.start, cl.end, ctx.abbreviations, ctx.abbrev_rx)
    for v in values:  # "ASA class 1 to 3": the concept keeps its words, the value starts after them
        for m in mentions:
            if m.start < v.start < m.end < v.end and v.kind in ("class", "grade", "number", "time"):
                v.start = m.end + len(text[m.end:v.end]) - len(text[m.end:v.end].lstrip())
                if v.comp_span and v.comp_span[0] < v.start:
                    v.comp_span = None
    blocked = [w.anchor_span for w in windows if w.anchor_span] + [(v.start, v.end) for v in values]
    mentions = [m for m in mentions if all(m.end <= s or m.start >= e for s, e in blocked)]
    # drop a repeated concept inside parentheses right after it: "aspartate aminotransferase (AST)"
    kept: list[Mention] = []
    dropped: list[tuple[int, int]] = []
    for m in mentions:
        if kept and kept[-1].concept == m.concept and re.fullmatch(r"\s*[(\[]?\s*|\s*", text[kept[-1].end:m.start]):
            if text[kept[-1].end:m.start].strip() == "":
                kept[-1] = Mention(m.concept, kept[-1].start, m.end, kept[-1].open_vocab, kept[-1].kind)
            else:
                dropped.append((m.start, m.end))
            continue
        kept.append(m)
    mentions = kept
    # sex phrases
    for m in _compiled()["sex_all"].finditer(text, cl.start, cl.end):
        mentions = [x for x in mentions if x.end <= m.start() or x.start >= m.end()]
        mentions.append(Mention("sex", m.start(), m.end(), kind="attribute", attributes={"value": "all"}))
    mentions.sort(key=lambda m: m.start)
    # open vocabulary in the gaps
    cue_spans = [(c.start, c.end) for c in cues if c.type in ("negation", "current", "history", "positive", "negative", "method",
                                                              "scale", "phrase", "status", "qualitative", "exception")]
    skip = [(w.start, w.end) for w in windows] + [(v.start, v.end) for v in values] + cue_spans + dropped
    skip += [(j.start(), j.end()) for j in _compiled()["judgement"].finditer(text, cl.start, cl.end)]
    if cl.label_end > 0:
        skip.append((cl.start, cl.label_end))
    bounds = [cl.start] + [x for m in mentions for x in (m.start, m.end)] + [cl.end]
    ov: list[Mention] = []
    for k in range(0, len(bounds), 2):
        gs, ge = bounds[k], bounds[k + 1]
        if ge - gs < 3:
            continue
        gap = _blank(text, skip, gs, ge, "\x00")
        ov.extend(_open_vocab(text, gs, ge, gap, next_is_mention=k + 1 < len(bounds) - 1))
    if cl.preamble and mentions == [] and (_compiled()["list_or"].search(text, cl.start, cl.end) or _compiled()["list_and"].search(text, cl.start, cl.end)):
        ov = []  # "Has any uncontrollable problem, including:" is a header, not a concept
    # descriptive detail in parentheses after a lexicon concept is not a concept of its own
    def depth(pos: int) -> int:
        return text.count("(", cl.start, pos) - text.count(")", cl.start, pos)
    def listed(pos: int) -> bool:  # "(skin rash, urticaria or other reactions)", "(except diuretics)": not a description
        close = text.find(")", pos, cl.end)
        open_ = text.rfind("(", cl.start, pos)
        inner = text[open_ + 1:close if close > 0 else cl.end]
        return bool(re.search(r",|\bor\b|\band/or\b|\bnor\b", inner) or _compiled()["examples"].match(inner.strip())
                    or any(inner.strip().lower().startswith(x) for x in _compiled()["exception_cues"]))

    def conditional(pos: int) -> bool:  # "(≤ 3 × ULN for patients with Gilbert's syndrome)": the value's condition
        open_ = text.rfind("(", cl.start, pos)
        return any(open_ < v.start < pos and (lead := conditional_lead(text, v.end, pos + 1)) is not None and lead <= pos for v in values)

    ov = [o for o in ov if depth(o.start) == 0 or listed(o.start) or conditional(o.start)
          or not any(m.end <= o.start and depth(m.start) < depth(o.start) for m in mentions)]
    ov = [o for o in ov if not re.match(r"\s+of\s", text[o.end:o.end + 4])  # "determination of X": X is the concept
          or any(0 <= v.start - o.end <= 8 for v in values)]  # ... unless a value follows: "donation of > 450 mL"
    ov = [o for o in ov if (re.search(r"[A-Za-z]{4,}", o.concept) or re.fullmatch(r"[A-Z][A-Z0-9]{2}|(?=\S*\d)[A-Z][A-Za-z0-9]*-[A-Za-z0-9]+", text[o.start:o.end])) and not re.fullmatch(r"(?:[ivx]+[abc]?|v?\d[\d .]*)(?:\s+\S+)?", o.concept)]
    allm = []
    for m in sorted(mentions + ov, key=lambda m: m.start):
        if allm and allm[-1].concept == m.concept and re.fullmatch(r"\s*\(\s*", text[allm[-1].end:m.start]):
            continue  # "relapsing-remitting (RR)": the definition and its short form are one concept
        allm.append(m)
    allm = _elliptical(text, cl, allm, skip, matcher)
    els = []
    for m in allm:
        el = Element(m, ci)
        if m.attributes.get("value"):
            el.attributes["value"] = m.attributes["value"]
        el.in_paren = text.count("(", cl.start, m.start) - text.count(")", cl.start, m.start)
        els.append(el)
    return els


# ----------------------------------------------------------------------------- attachment


def _accepts_value(el: Element, v: ValueExpr) -> bool:
    k = el.mention.kind
    if v.kind in ("grade",):
        return True
    return k in VALUE_KINDS or (v.kind == "uln" and k in ("lab", "result")) or k == "open"


def _attach_values(text: str, els: list[Element], values: list[ValueExpr], clause: Clause) -> list[ValueExpr]:
    """Each value goes to the nearest preceding element that takes values, else the nearest following one."""
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
                if target is not None and e is not target and e.mention.kind == "score" and not e.values \
                        and 0 <= v.start - e.mention.end <= 2:
                    e.mention.attributes["absorbed"] = "true"
                    v.start = e.mention.start
        if target is None and pref:
            target = pref[-1]
            # a value far behind a later non-value concept belongs to that one
            if before and before[-1] is not target and before[-1].mention.kind == "open" and before[-1].mention.start > target.mention.end + 40:
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


def _share_values(text: str, els: list[Element]) -> None:
    """"AST and ALT ≤ 2.5 x ULN": a value-less lab coordinated with the next one shares its value."""
    gap_max = _compiled()["coord_gap"]
    for k in range(len(els) - 2, -1, -1):
        a, b = els[k], els[k + 1]
        if a.values or not b.values or a.clause != b.clause or a.mention.kind != b.mention.kind or a.mention.kind not in VALUE_KINDS:
            continue
        gap = text[a.mention.end:b.mention.start]
        if len(gap) <= gap_max + 8 and re.fullmatch(r"\s*(?:\([^)]*\)\s*)?,?\s*(?:and|or|&|/|and/or|\\&)?\s*", gap):
            a.values = list(b.values)  # every threshold, alternatives included


def _scope_whole(text: str, cue: CueExpr, clause: Clause) -> bool:
    lead = re.findall(r"[A-Za-z']+", text[clause.start:cue.start].lower())
    return all(w in _compiled()["lead_ins"] for w in lead) or " ".join(cue.value.lower().split()) in _compiled()["exception_cues"]


def _scope_end(text: str, cue: CueExpr, clause: Clause) -> int:
    """Negation scope: to the clause end when the cue opens the clause, else to the next comma."""
    c = _compiled()
    lead = re.findall(r"[A-Za-z']+", text[clause.start:cue.start].lower())
    stop = c["neg_stops"].search(text, cue.end, clause.end)  # "no X unless Y", "without A but with B"
    if stop and not re.search(r"[A-Za-z]", text[cue.end:stop.start()]):  # "not due to X": the cue's own object
        stop = c["neg_stops"].search(text, stop.end(), clause.end)
    end = stop.start() if stop else clause.end
    if all(w in c["lead_ins"] for w in lead) or " ".join(cue.value.lower().split()) in _compiled()["exception_cues"]:
        return end
    m = re.search(r"[,;]", text[cue.end:end])
    return cue.end + m.start() if m else end


def _attach_cues(text: str, els: list[Element], cues: list[CueExpr], clauses: list[Clause],
                 windows: list[tuple[int, WindowExpr]]) -> None:
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
                whole = _scope_whole(text, cue, cl) and (end == cl.end or " ".join(cue.value.lower().split()) in _compiled()["exception_cues"])
                if not text[cue.end:cl.end].strip(" :\t\r\n") and ci + 1 < len(clauses):
                    # "History of another malignancy except:" - the list follows in the next clause
                    for e in by_clause.get(ci + 1, []):
                        e.negation = e.negation or cue
                    continue
                prev: Optional[Element] = None
                for e in mine:
                    if not (cue.end <= e.mention.start < end) or e.negation is not None:
                        continue
                    if prev is not None and not whole and not re.fullmatch(
                            r"\s*(?:,|or|and|nor|and/or|/)?\s*", _blank(text, [(c.start, c.end) for c in ccues if c.type != "negation"], prev.mention.end, e.mention.start)):
                        break
                    e.negation = cue
                    prev = e
            elif cue.type in ("current", "history", "status", "phrase"):
                if any(w.start <= cue.start < w.end for w in windows_in(cl)):
                    continue
                nxt = [e for e in mine if e.mention.start >= cue.start and e.temporal is None]
                inside = [e for e in mine if e.mention.start <= cue.start < e.mention.end]
                prv = [e for e in mine if e.mention.end <= cue.start and e.temporal is None and e.window is None]
                if cue.type == "phrase":  # "chemotherapy prior to study entry": the phrase follows its concept
                    nxt, inside = [], [x for x in (prv[-1:] or [e for e in mine if e.mention.start >= cue.end][:1])]
                elif not nxt and not inside:
                    inside = prv[-1:]
                for e in (inside or nxt[:1]):
                    if e.temporal is None or e.temporal.start <= cue.start < e.temporal.end:
                        e.temporal = cue
                if nxt and not inside:  # "Previous stem cell or organ transplantation": the whole coordination
                    for e in nxt[1:]:
                        gap = text[nxt[0].mention.end:e.mention.start]
                        if re.fullmatch(r"[\s,]*(?:(?:and|or|and/or|nor)\s+)?(?:[\w\-]+\s+){0,2}", gap[-30:] if len(gap) < 30 else "x"):
                            e.temporal = e.temporal or cue
            elif cue.type == "qualitative":
                free = [e for e in mine if not e.values and e.polarity is None and e.qualitative is None
                        and not (e.mention.start <= cue.start < e.mention.end)]
                if free:
                    near = min(free, key=lambda e: min(abs(e.mention.start - cue.end), abs(cue.start - e.mention.end)))
                    near.qualitative = cue
        results = [e for e in mine if e.mention.kind == "result" and not e.values]
        pols = [c for c in ccues if c.type in ("positive", "negative")]
        for e in results:
            after = [p for p in pols if p.start >= e.mention.end and not any(
                o is not e and o.mention.kind == "result" and e.mention.end <= o.mention.start < p.start and not o.polarity for o in results)]
            before = [p for p in pols if p.end <= e.mention.start]
            pick = after[0] if after and after[0].start - e.mention.end < 60 else (before[-1] if before else None)
            if pick:
                e.polarity = pick
        used = {id(e.polarity) for e in mine if e.polarity is not None}
        for p in pols:  # "a negative serum pregnancy test", "urine drug screen positive": a test's outcome
            if id(p) in used:
                continue
            near = [e for e in mine if e.mention.kind != "result" and not e.values and e.polarity is None and e.negation is None and (
                    (e.mention.start >= p.end and re.fullmatch(r"\s+(?:for\s+)?(?:[A-Za-z\-]+\s+){0,2}", text[p.end:e.mention.start]))
                    or (p.start >= e.mention.end and re.fullmatch(
                        r"\s*(?:\([^)]*\)\s*)?(?:(?:tests?|testing|results?|status|screen(?:ing)?|serology|antibod(?:y|ies)|assay)\s+)?"
                        r"(?:(?:is|was|are|be)\s+)?", text[e.mention.end:p.start])))]
            near = [e for e in near if not any(o is not e and min(p.end, e.mention.start) <= o.mention.start < max(p.start, e.mention.end)
                                               for o in mine)]
            if near:
                near[0].polarity = p
                used.add(id(p))
        methods = [c for c in ccues if c.type == "method"]
        scales = [c for c in ccues if c.type == "scale"]
        for e in mine:
            if methods and e.mention.kind == "result":
                e.attributes["method"] = methods[0].value
            sc = _compiled()["scale_concepts"]
            if e.mention.concept in sc.values():
                name = next((s.value for s in scales if sc.get(s.value) == e.mention.concept), None)
                e.attributes["scale"] = name or next(k for k, v in sc.items() if v == e.mention.concept)


def _attach_windows(text: str, els: list[Element], windows: list[tuple[int, WindowExpr]], clauses: list[Clause]) -> None:
    for ci, w in windows:
        cl = clauses[ci]
        mine = [e for e in els if e.clause == ci]
        before = [e for e in mine if e.mention.end <= w.start and e.window is None]
        after = [e for e in mine if e.mention.start >= w.end and e.window is None]
        if cl.preamble:
            targets = [e for e in els if e.clause > ci and e.window is None and (e.values or e.mention.kind in VALUE_KINDS)]
            targets = targets or mine
        elif before:
            targets = before
        elif re.search(r"\b(?:this|that|it|which|these|such|provided|completed|last)\b", text[cl.start:w.start], re.I):
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


# ----------------------------------------------------------------------------- carve-outs and conditions


def _mark_carves(text: str, els: list[Element], scopes: list[CarveScope], kind: str, ctx: ListingContext) -> bool:
    """Put each element standing in a carve-out scope on that scope; returns True when the whole criterion
    is carve-out ("Prior anti-PD-1 therapy is allowed" in an exclusion list: nothing to check).

    A carved item that names the main condition's own concept or class ("other malignancy except basal cell
    carcinoma", "brain metastases ... treated, stable brain metastases are eligible") keeps its own words as an
    open-vocabulary phrase, so that NOT(it) never cancels the main condition itself; so does a carved member of
    the main concept's class ("another malignancy except basal cell carcinoma"), a class ("carcinoma" in situ)
    or a sited concept ("liver metastasis"), whose lexicon concept is broader than its words."""
    if not scopes:
        return False
    inside = {id(e): next((sc for sc in scopes if sc.start <= e.mention.start < sc.end), None) for e in els}
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
    main_family = set().union(*(family(c) for c in main_concepts))  # the main concepts and their classes
    for e in list(els):
        sc = inside[id(e)]
        if sc is None or e not in els:
            continue
        e.carve = sc
        m = e.mention
        if not m.open_vocab and (m.concept in main_family or family(m.concept) & main_concepts
                                 or lex.members(m.concept) - {m.concept} or m.attributes.get("site")):
            s0, e0 = _carved_phrase(text, m, sc)
            e.mention = Mention(normalise_phrase(text[s0:e0]), s0, e0, open_vocab=True, kind="open",
                                attributes={**m.attributes, "lexicon_concept": m.concept})
            swallowed = [o for o in els if o is not e and s0 <= o.mention.start and o.mention.end <= e0]
            for o in swallowed:  # "situ of the cervix" is part of "carcinoma in situ of the cervix"
                els.remove(o)
    return False


def _category_of(ctx: ListingContext, concept: str) -> Optional[str]:
    entry = ctx.matcher.lexicon.get(concept)
    return entry.category if entry is not None else None


def _carve_to_next_clause(text: str, sc: CarveScope, clauses: list[Clause]) -> CarveScope:
    """"History of another malignancy except: basal cell carcinoma": the carved list follows in the next clause."""
    if sc.items != "after" or text[sc.start:sc.end].strip(" :\t\r\n"):
        return sc
    nxt = [cl for cl in clauses if cl.start >= sc.end]
    return replace(sc, end=nxt[0].end) if nxt else sc


_CARVE_RIGHT = re.compile(r"(?:\s+(?:in\s+situ|of\s+(?:the\s+)?[A-Za-z]{3,})\b)+", re.I)


def _carved_phrase(text: str, m: Mention, sc: CarveScope) -> tuple[int, int]:
    """The carved item's own words: the mention with the qualifiers before it ("adequately treated",
    "treated, stable") and a site after it ("in situ", "of the skin"), inside the scope."""
    c = _compiled()
    s0 = m.start
    for w in reversed(list(_WORD.finditer(text, sc.start, m.start))):
        between = text[w.end():s0]
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


def _find_conditions(text: str, els: list[Element], clauses: list[Clause]) -> None:
    """"AST ≤ 2.5 × ULN, or ≤ 5 × ULN with liver metastases": the elements after an alternative value's
    conditional cue ("with", "in case of", "for patients with") are the condition of that value only."""
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
            nxt = [w.start for w in e.values[i + 1:]]
            stop_at = min([stop_at] + nxt)
            conds = [f for f in els if f is not e and f.clause == e.clause and lead <= f.mention.start < stop_at
                     and not f.values and f.condition_of is None and f.carve is None]
            for f in conds:
                f.condition_of = e
            op = "or" if len(conds) > 1 and re.search(r"\bor\b|/", text[conds[0].mention.end:conds[-1].mention.start]) else "and"
            for g in els:  # "AST and ALT ≤ 2.5 × ULN, or ≤ 5 × ULN with liver metastases": both labs share it
                if conds and (g is e or (len(g.values) > i and g.values[i] is v)):
                    g.conditions.extend((i, f) for f in conds)
                    g.condition_ops[i] = op


# ----------------------------------------------------------------------------- logic


def _connector(text: str, a: Element, b: Element, blanks: list[tuple[int, int]], examples: bool = False) -> str:
    """The connector between two elements: ";", ",", ",or", ",and", "or" or "and".

    In a list of examples ("such as A and B", "e.g. A, B and C") or before "other" ("A and other B") a
    written "and" is read as "or": any one of the examples meets the criterion."""
    gap = _blank(text, blanks, a.mention.end, b.mention.start).lower()
    if ";" in gap:
        return ";"
    if examples or re.search(r"\b(?:and|&)\s+(?:any\s+|all\s+)?other\b", gap):
        gap = re.sub(r"\band\b|&", "or", gap)
    if "," in gap:
        if re.search(r",\s*(?:and/or|or|either)\b", gap):
            return ",or"
        if re.search(r",\s*(?:and|as well as)\b", gap):
            return ",and"
        return ","
    if re.search(r"\band/or\b|\bor\b|\bnor\b|(?<=[a-z0-9)\]])\s*/\s*(?=[a-z0-9]|$)|^\s*/\s*$", gap):
        if re.search(r"\bor\s+(?:a|an|any|the|those|patients?|subjects?|participants?|who|with|has|have|had|known)\b", gap) \
                and len(re.findall(r"[a-z]+", gap)) >= 3:
            return ",or"  # "X and Y or a history of Z": the 'or' joins larger parts
        return "or"
    return "and"


Node = Union[str, LogicNode]


def _node(op: str, args: list[Node]) -> Optional[Node]:
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


def _leaf(e: Element) -> Optional[Node]:
    if not e.ids:
        return None
    args: list[Node] = list(e.ids)
    if e.conditions and len(e.ids) == len(e.values):
        # "≤ 2.5 × ULN, or ≤ 5 × ULN with liver metastases": the second threshold applies with its condition
        for i in range(len(args)):
            conds = [_leaf(f) for k, f in e.conditions if k == i]
            if conds:
                args[i] = _node("and", [args[i], _node(e.condition_ops.get(i, "and"), conds)])  # type: ignore[assignment,list-item]
    if len(args) == 1:
        return args[0]
    op = "or" if any(v.attributes.get("alt") for v in e.values) else "and"
    return LogicNode(op=op, args=args)  # type: ignore[arg-type]


def _carve(text: str, main: Node, carved: list[Element], main_els: list[Element], kind: str,
           blanks: list[tuple[int, int]]) -> Node:
    """The main condition narrowed by its carve-outs: X except Y = X and not Y; in an inclusion whose condition
    is negated ("no X except Y") or widened by "... are eligible", the carve-out is an alternative: not X or Y.
    An inclusion's positive condition with an exception ("resolved toxicities (except alopecia)") keeps the
    main condition only: requiring NOT Y there would call eligible patients ineligible whenever the words
    before the exception describe what must be absent."""
    if carved[0].carve is not None and carved[0].carve.items == "before":  # "A are eligible if B": read as written
        node = _seq_logic(text, carved, "inclusion", blanks)
    else:  # "except A, B and C": any one of them is excepted
        node = _node("or", [_leaf(e) for e in carved])
    if node is None:
        return main
    widen = kind == "inclusion" and ((carved[0].carve is not None and carved[0].carve.items == "before") or (
        bool(main_els) and all(e.negation is not None for e in main_els)))  # never in an exclusion: no carved item triggers one
    if widen:
        return _node("or", [main, node])  # type: ignore[return-value]
    if kind == "inclusion":
        return main
    return _node("and", [main, LogicNode(op="not", args=[node])])  # type: ignore[return-value]


def _seq_logic(text: str, els: list[Element], kind: str, blanks: list[tuple[int, int]], in_paren: bool = False,
               conditional: bool = False) -> Optional[Node]:
    """Logic of one clause's elements from the connectors between them."""
    if not els:
        return None
    # parenthesised groups after a head: "Active lung disease (A, B, C)"
    units: list[tuple[Node, Element, Element, bool]] = []  # node, first, last, has_value
    i = 0
    while i < len(els):
        e = els[i]
        j = i + 1
        while j < len(els) and els[j].in_paren > e.in_paren:
            j += 1
        inner = els[i + 1:j]
        if inner:
            sub = _seq_logic(text, inner, kind, blanks, in_paren=True)
            members = [x for x in inner if x.ids]
            head = _leaf(e)
            fills = len(inner) == 1 and re.fullmatch(r"\s*\(\s*", text[e.mention.end:inner[0].mention.start]) is not None and \
                re.match(r"\s*\)", text[inner[0].mention.end:]) is not None
            if len(members) >= 2 and not e.ids:
                node = sub
            elif len(members) >= 2 and e.mention.open_vocab:
                # "infection (temperature > 38 C or WBC > 15,000)": the head is defined by the values inside
                node = _node("and" if all(x.values for x in members) else "or", [head, sub])
            elif fills:
                node = _node("or", [head, sub])
            elif len(members) >= 2:
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
    ex_rx = _compiled()["examples"]
    conns = [_connector(text, units[k][2], units[k + 1][1], blanks,
                        examples=_in_examples(text, ex_rx, units[k][1].mention.start, kind)) for k in range(len(units) - 1)]
    # comma level
    items: list[list[int]] = [[0]]
    for k, c in enumerate(conns):
        if c.startswith(",") or c == ";":
            items.append([k + 1])
        else:
            items[-1].append(k + 1)
    finals = [c for c in conns if c in (",or", ",and")]
    multi = [k for k, it in enumerate(items) if len(it) > 1]
    if not finals and len(items) > 1 and multi and all(len(it) == 1 for it in items[:multi[0]]) and multi[0] > 0 \
            and conns[items[multi[0]][1] - 1] in ("or", "and"):
        # "A, B or C" (no comma before the conjunction): the conjunction is the whole list's;
        # what follows C's partner stays with it ("A, B or C as diagnosed by D")
        k0 = multi[0]
        finals = ["," + conns[items[k0][1] - 1]]
        items = items[:k0] + [[items[k0][0]], items[k0][1:]] + items[k0 + 1:]
    if finals and finals[-1] == ",and" and kind == "exclusion" and not in_paren and len(items) >= 3 \
            and not any(units[ix][3] for it in items for ix in it):
        # an exclusion listing conditions "A, B, and C" excludes a patient with any of them
        finals = finals[:-1] + [",or"]
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
    item_nodes: list[Optional[Node]] = []
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
            neg_all = len(g) > 1 and all(units[ix][1].negation is not None and units[ix][1].negation is units[g[0]][1].negation for ix in g)
            ands.append(_node("and" if neg_all else "or", leaves))  # "without A or B" = not A and not B
        item_nodes.append(_node("and", ands))
    return _node(list_op, item_nodes)


def _in_examples(text: str, rx: re.Pattern[str], pos: int, kind: str) -> bool:
    """Does ``pos`` follow an example-list cue ("such as", "e.g.", "for example"; "including" in exclusions)
    in the same sentence part (no ';', ':' or sentence end in between)?"""
    left = text[max(0, pos - 120):pos]
    cut = max(left.rfind(";"), left.rfind(". "), left.rfind(":"), left.rfind("\n"))
    m = None
    for m in rx.finditer(left, cut + 1):
        pass
    if m is None:
        return False
    return kind == "exclusion" or not m.group(0).lower().startswith("includ")


def _criterion_logic(text: str, els: list[Element], clauses: list[Clause], kind: str, blanks: list[tuple[int, int]]) -> Optional[Node]:
    c = _compiled()
    pre_op = None
    nodes: list[tuple[int, Optional[Node], set[str]]] = []
    pending: list[Element] = []
    labelled: list[int] = []
    for ci, cl in enumerate(clauses):
        allm = [e for e in els if e.clause == ci and e.condition_of is None]
        mine = [e for e in allm if e.carve is None]
        carved = [e for e in allm if e.carve is not None]
        if cl.preamble and pre_op is None:
            ctext = text[cl.start:cl.end]
            if c["list_or"].search(ctext):
                pre_op = "or"
            elif c["list_and"].search(ctext):
                pre_op = "and"
        node = _seq_logic(text, mine, kind, blanks, conditional=bool(re.match(r"\s*(?:or\s+|and\s+)?if\b", text[cl.start:cl.end], re.I)))
        concepts = {e.mention.concept for e in mine}
        if carved and node is not None:
            node = _carve(text, node, carved, mine, kind, blanks)
        elif carved and nodes:  # "Known brain metastases. Patients with treated, stable brain metastases are eligible."
            whole = _node(pre_op or ("or" if kind == "exclusion" else "and"), [n for _, n, _ in nodes])
            main_els = [e for e in els if e.clause < ci and e.carve is None]
            nodes = [(nodes[0][0], _carve(text, whole, carved, main_els, kind, blanks), set().union(*(n[2] for n in nodes)))]  # type: ignore[arg-type]
            labelled = []
            continue
        elif carved:
            pending.extend(carved)
        if node is None:
            continue
        label = cohort_label(text, cl.start, cl.end if cl.label_end < 0 else cl.label_end + 1)
        if label and (ci > 0 or any(cohort_label(text, c2.start, c2.end if c2.label_end < 0 else c2.label_end + 1) for c2 in clauses[1:])):
            labelled.append(len(nodes))
        if re.match(r"\s*(?:or\s+|and\s+)?if\b", text[cl.start:cl.end], re.I) and nodes and nodes[-1][2] & concepts:
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


# ----------------------------------------------------------------------------- records


def _span(t: Optional[tuple[int, int]]) -> Optional[tuple[int, int]]:
    return t if t and t[1] > t[0] else None


def _sex_named(phrase: str) -> Optional[str]:
    """"women" -> "female", "men" -> "male"; None for words that name neither."""
    p = phrase.strip().lower()
    if re.fullmatch(r"females?|wom[ae]n|girls?|lady|ladies", p):
        return "female"
    if re.fullmatch(r"males?|m[ae]n|boys?|gentlem[ae]n", p):
        return "male"
    return None


def _sex_as_applicability(constraints: list[Constraint]) -> list[Constraint]:
    """"Female patients of reproductive potential must have a negative pregnancy test": beside other
    requirements the sex word says whom the criterion applies to, not a requirement; only a purely
    demographic criterion ("Female patients 18 to 65 years old") requires the sex."""
    if all(c.concept in ("age", "sex") for c in constraints):
        return constraints
    return [c.model_copy(update={"comparator": "present", "value": None, "attributes": {**c.attributes, "applies_to": str(c.value)}})
            if c.concept == "sex" and c.comparator == "==" and c.value in ("female", "male") else c for c in constraints]


def _cohorts(text: str, clauses: list[Clause]) -> list[Optional[str]]:
    """The cohort/arm/part/phase label each clause belongs to: its own label, else the criterion's when
    the criterion opens with the only one ("Cohort A: EGFR-mutant NSCLC")."""
    own = [cohort_label(text, cl.start, cl.end if cl.label_end < 0 else cl.label_end + 1) for cl in clauses]
    labels = [x[0] for x in own if x]
    inherited = labels[0] if own and own[0] and len(labels) == 1 else None
    return [x[0] if x else inherited for x in own]


def _paren_cohort(text: str, e: Element, cl: Clause, els: list[Element]) -> Optional[str]:
    """"NSCLC with EGFR mutation (Subgroup 1) or KRAS G12C (Subgroup 2)": the label in parentheses right
    after an element (no other element in between) names its cohort; "NSCLC", before both, is shared."""
    for label, pos in cohort_labels_in(text, e.mention.end, cl.end):
        if any(e.mention.end <= o.mention.start < pos for o in els if o is not e):
            return None
        return label
    return None


def _qualifiers(text: str, e: Element, cl: Clause, floor: int = 0) -> list[str]:
    """Qualifiers written on the condition ("symptomatic or untreated CNS metastases", "uncontrolled
    hypertension", "brain metastases that are untreated"): from the clause start or the previous
    ';'/','-free stretch up to the concept, and a relative clause right after it."""
    m = e.mention
    left = text[cl.start:m.start]
    cut = max(left.rfind(";"), left.rfind(","), left.rfind("("), left.rfind(":"))
    lo = max(floor, cl.start + cut + 1 if cut >= 0 else cl.start)
    found = qualifiers_in(text, lo, m.start)
    after = re.match(r"\s*,?\s*(?:that|which)\s+(?:is|are|was|were|remains?|has\s+been|have\s+been)\s+(?:not\s+)?[^,;.()]{0,40}",
                     text[m.end:cl.end], re.I)
    if after:
        found += qualifiers_in(text, m.end, m.end + after.end())
    words = [q for q, _, _ in found]
    return list(dict.fromkeys(words))


_DURATION_LEAD = re.compile(r"\b(?:for|lasting|duration\s+of|over\s+(?:a\s+period\s+of\s+)?|since)\s*(?:the\s+(?:past|last)\s+)?$", re.I)


def _duration(v: ValueExpr) -> Optional[Window]:
    """A typed duration from a time value ("for at least 3 months", "> 20 weeks"); hours become days."""
    if not isinstance(v.value, float) or v.unit not in ("day", "week", "month", "year", "hour"):
        return None
    value, unit = (v.value / 24.0, "day") if v.unit == "hour" else (v.value, v.unit)
    comparator = v.comparator if v.comparator != "between" else ">="
    return Window(comparator=comparator, value=round(value, 4), unit=unit, anchor="duration")  # type: ignore[arg-type]


def _constraints_of(text: str, e: Element, cid: str, k: int, cl: Optional[Clause] = None,
                    cohort: Optional[str] = None, floor: int = 0) -> list[Constraint]:
    m = e.mention
    out = []
    vals: list[Optional[ValueExpr]] = list(e.values) or [None]
    quals = _qualifiers(text, e, cl, floor) if cl is not None and m.kind not in VALUE_KINDS | THERAPY_KINDS else []
    for v in vals:
        spans: dict[str, tuple[int, int]] = {"concept": (m.start, m.end)}
        attrs = dict(e.attributes)
        duration: Optional[Window] = None
        if quals:
            attrs["qualifiers"] = ",".join(quals)
        if cohort:
            attrs["cohort"] = cohort
        if e.carve is not None:
            attrs["role"] = "carve_out"
            spans["negation"] = e.carve.cue  # the cue that puts the item under NOT in the tree; ``negated`` stays False
        if m.attributes.get("lexicon_concept"):
            attrs["lexicon_concept"] = m.attributes["lexicon_concept"]
        if e.condition_of is not None:
            attrs["role"] = "condition"
        comparator, value, value_high, unit, rel = "present", None, None, None, None
        if v is not None and v.kind == "time" and m.kind not in VALUE_KINDS and m.concept != "age":
            # "diabetes for at least 6 months": a duration of the condition, not a comparable value
            hours = v.unit == "hour"
            dv, du = (v.value / 24.0, "day") if hours and isinstance(v.value, float) else (v.value, v.unit)
            dh = v.value_high / 24.0 if hours and v.value_high else v.value_high
            attrs["duration"] = f"{v.comparator} {dv:g}" + (f"-{dh:g}" if dh else "") + f" {du}"
            if m.kind != "attribute" and (v.comparator != "==" or _DURATION_LEAD.search(text, max(0, v.start - 24), v.start)):
                duration = _duration(v)  # a bare "6 months" is as often a window as a duration: only the string
            spans["temporal"] = (v.start, v.end)
            if _compiled()["duration_heads"].search(text, max(0, min(m.start, v.start) - 30), v.end + 25) or re.match(
                    r"\\?[<>≤≥=]", text[v.start:v.end]):
                spans["value"] = (v.start, v.end)  # "survival of less than 3 months": the length is the measured value
            v = None
        if v is not None:
            comparator, value, value_high, unit, rel = v.comparator, v.value, v.value_high, v.unit, v.relative_to
            attrs.update({a: b for a, b in v.attributes.items() if a != "alt"})
            spans["value"] = (v.start, v.end)
            if v.comp_span and _span(v.comp_span):
                spans["comparator"] = v.comp_span
        elif e.polarity is not None and m.kind not in ("result", "lab"):
            # the outcome of a test for a condition: "negative pregnancy test" = pregnancy absent
            comparator = "absent" if e.polarity.type == "negative" else "present"
            attrs["result"] = e.polarity.type
            spans["value"] = (e.polarity.start, e.polarity.end)
        elif e.polarity is not None:
            comparator, value = "==", e.polarity.type
            spans["value"] = (e.polarity.start, e.polarity.end)
        elif "value" in attrs:
            comparator, value = "==", attrs.pop("value")
        elif m.concept == "sex" and (named := _sex_named(text[m.start:m.end])):
            comparator, value = "==", named  # "Female patients": the sex the criterion asks for
        elif e.qualitative is not None:  # "adequate renal function": kept as a qualifier, no comparable value
            # a stated level ("normal", "elevated") is the value; "confirmed", "adequate" only qualify the concept
            role = "value" if e.qualitative.value.lower() in _compiled()["level_words"] else "qualifier"
            spans[role] = (e.qualitative.start, e.qualitative.end)
            attrs["qualifier"] = e.qualitative.value.lower()
        if e.window is not None:
            spans["window"] = (e.window.start, e.window.end)
        if e.negation is not None:
            spans["negation"] = (e.negation.start, e.negation.end)
            if comparator == "present":
                comparator = "absent"
        if e.temporal is not None and "temporal" not in spans:
            # "history of" and course words ("chronic", "acute") qualify the condition; they are not time expressions
            role = next((r for r, rx in _compiled()["temporal_roles"] if rx.fullmatch(text[e.temporal.start:e.temporal.end])), "temporal")
            spans[role] = (e.temporal.start, e.temporal.end)
            attrs.setdefault("temporal", {"phrase": "relative", "status": "course"}.get(e.temporal.type, e.temporal.type))
        if m.attributes.get("site"):
            attrs["site"] = m.attributes["site"]
        if m.attributes.get("fuzzy"):
            attrs["matched_phrase"] = m.attributes["fuzzy"]
        if m.concept == "age" and unit is None and isinstance(value, float):
            unit = "year"
        if comparator == "between" and isinstance(value, float) and value_high is None:
            comparator = "=="
        s = min(a for a, _ in (spans["concept"], spans.get("value", spans["concept"])))
        en = max(b for _, b in (spans["concept"], spans.get("value", spans["concept"])))
        if m.attributes.get("implicit") and "value" in spans:
            del spans["concept"]  # "18 years or older": no word names the concept; the value implies it
        if "negation" in spans and spans["negation"][0] < s and s - spans["negation"][1] < 40:
            s = spans["negation"][0]
        k += 1
        out.append(Constraint(
            id=f"{cid}.c{k}", concept=m.concept, text=text[s:en], start=s, end=en, negated=e.negation is not None,
            comparator=comparator, value=value, value_high=value_high, unit=unit, relative_to=rel,  # type: ignore[arg-type]
            window=Window(comparator=e.window.comparator, value=e.window.value, unit=e.window.unit,  # type: ignore[arg-type]
                          anchor=e.window.anchor) if e.window else None, duration=duration,
            attributes=attrs, open_vocabulary=m.open_vocab, spans=spans,
        ))
    return out


_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-'/+]*")


def _orphan_elements(text: str, els: list[Element], orphans: list[ValueExpr], cl: Clause, ci: int,
                     values: list[ValueExpr], windows: list[WindowExpr]) -> list[ValueExpr]:
    """A value with no concept in its clause gets an open-vocabulary concept: the nearest noun phrase before
    it ("Blood donation of more than 450 mL"), else after it ("20 pack-years of smoking"); returns the rest."""
    c = _compiled()
    skip = [(v.start, v.end) for v in values] + [(w.start, w.end) for w in windows]
    weak = c["lead_ins"] | c["stops"] | c["comparator_words"] | {"of", "than", "to", "equal", "equals", "or", "and"}
    rest = []
    for v in orphans:
        left = _blank(text, skip, cl.start, v.start, "\x00")
        words = [w for w in _WORD.finditer(left)]
        run: list[re.Match[str]] = []
        for w in reversed(words):
            between = left[w.end():run[0].start()] if run else left[w.end():]
            if run and re.search(r"[\x00,;:]", between):
                break
            if w.group(0).lower() in weak or w.group(0).lower() in c["modifiers"]:
                if run:
                    break
                if re.search(r"[\x00,;]", between):
                    break
                continue
            run.insert(0, w)
            if len(run) >= c["ov_max"] // 2 + 1:
                break
        s0 = e0 = -1
        if run and any(_content(w.group(0)) for w in run):
            s0, e0 = cl.start + run[0].start(), cl.start + run[-1].end()
        else:
            right = _blank(text, skip, v.end, cl.end, "\x00")
            m = re.match(r"\s*(?:of\s+)?((?:[A-Za-z][\w\-]*\s*){1,3})", right)
            if m:
                ws = [w for w in _WORD.finditer(m.group(1)) if w.group(0).lower() not in weak]
                ws = ws[:3]
                if ws and _content(ws[0].group(0)):
                    s0, e0 = v.end + m.start(1) + ws[0].start(), v.end + m.start(1) + ws[-1].end()
        if s0 < 0:
            rest.append(v)
            continue
        els.append(Element(Mention(normalise_phrase(text[s0:e0]), s0, e0, open_vocab=True, kind="open"), ci, values=[v]))
    return rest


_ADJ_SUFFIX = re.compile(r"(?<!ical)(?<!bol)(?<!on)ly$", re.I)


def _nounish(word: str) -> bool:
    """Could head a noun phrase: not a listed verb/adjective/adverb (data), not an -ly adverb.
    Abbreviations (capitals or digits) always can."""
    if re.search(r"[A-Z].*[A-Z]|\d", word):
        return True
    w = word.lower().strip("'\"-/+")
    c = _compiled()
    if w in c["non_nouns"] or w in c["stops"]:
        return False
    if len(w) > 4 and _ADJ_SUFFIX.search(w) and w not in c["ly_nouns"]:
        return False
    return True


def _content(word: str) -> bool:
    """A word that can head a noun phrase: not a filler, lead-in, verb-like or adverb form."""
    c = _compiled()
    w = word.lower()
    return len(w) >= 2 and w not in c["lead_ins"] and w not in c["stops"] and w not in c["non_nouns"] and w not in c["fillers"] and not (
        len(w) > 4 and w.endswith("ly"))


def _age_value(text: str, v: ValueExpr, cl: Clause) -> bool:
    """A value in years/months followed by "old"/"of age" or preceded by "age(d)": an age."""
    if v.unit not in ("year", "month") or v.kind != "time" or _thing_is_aged(text, v, cl):
        return False
    return bool(re.match(r"\s*(?:old|of\s+age|-old|\s*yo\b|\s*y/o)", text[v.end:min(cl.end, v.end + 12)], re.I)
                or re.search(r"\b(?:aged?|ages)\s*(?:of\s+|is\s+|between\s+|from\s+|range\s+|ranging\s+|:\s*)?$", text[max(cl.start, v.start - 16):v.start], re.I)
                or re.search(r"\bage|older|younger", text[v.start:v.end], re.I)
                or _compiled()["person_before"].search(text[max(cl.start, v.start - 40):v.start]) is not None)


_COMPARATOR_WORDS = re.compile(
    r"(?:\s|[<>≤≥=]|\b(?:less|more|greater|fewer|than|under|over|below|above|at|least|most|no|not|up|to|or|equal)\b)*$", re.I)


def _thing_is_aged(text: str, v: ValueExpr, cl: Clause) -> bool:
    """True when "N years old" describes a thing, not the person ("specimens less than 2 years old"):
    the word before the value (past any comparator words) is a content noun that is not a person word."""
    before = text[cl.start:v.start]
    m = _COMPARATOR_WORDS.search(before)
    head = before[: m.start()] if m else before
    word = re.search(r"([A-Za-z][A-Za-z\-]+)\W*$", head)
    if not word:
        return False
    w = word.group(1)
    c = _compiled()
    if re.fullmatch(r"ages?|aged|older|younger", w, re.I) or c["person_before"].search(w + " "):
        return False
    return len(w) > 2 and w.lower() not in c["lead_ins"] and w.lower() not in c["stops"] and w.lower() not in c["non_nouns"]


def _implicit_age(text: str, els: list[Element], orphans: list[ValueExpr], cl: Clause, ci: int) -> list[ValueExpr]:
    """Orphan values in years/months that say "years old" / "age" are ages; returns the rest."""
    rest = []
    for v in orphans:
        if _thing_is_aged(text, v, cl):
            rest.append(v)
            continue
        others = re.findall(r"[A-Za-z]{2,}", _blank(text, [(v.start, v.end)], cl.start, cl.end))
        bare = all(w.lower() in ("years", "year", "yrs", "old", "of", "age", "and", "or", "older", "younger", "above", "over",
                                 "patients", "subjects", "participants", "aged", "adults", "men", "women") for w in others)
        if v.unit in ("year", "month") and (_compiled()["age_cue"].search(text, v.start, min(cl.end, v.end + 20))
                                            or re.search(r"\bage[ds]?\b|older|younger", text[max(cl.start, v.start - 12):v.end], re.I)
                                            or bare):
            els.append(Element(Mention("age", v.start, v.end, kind="measurement", attributes={"implicit": "true"}), ci, values=[v]))
        else:
            rest.append(v)
    return rest


def extract_constraints(text: str, start: int, end: int, cid: str, kind: str, ctx: ListingContext) -> Criterion:
    """The Criterion record for text[start:end] (id ``cid``), constraints, logic, category, computability."""
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
        ccues = [c for c in ccues if all(c.end <= v.start or c.start >= v.end for v in values) or c.type in ("current", "history", "status", "phrase")]
        cscopes = carve_scopes(text, cl.start, cl.end)
        scopes.extend(cscopes)
        # a carve-out cue ("except", "unless") narrows the criterion; it negates nothing
        ccues = [c for c in ccues if not (c.type == "negation" and any(a < c.end and c.start < b for a, b in (x.cue for x in cscopes)))]
        ccues += [CueExpr(x.cue[0], x.cue[1], "exception", text[x.cue[0]:x.cue[1]]) for x in cscopes]
        cues.extend(ccues)
        mine = _elements_of_clause(text, cl, ci, ctx, windows, values, ccues)
        asked = consent_scopes(text, cl.start, cl.end)
        if asked:  # "willing to use contraception", "agree to ...": asked of the patient, never of the notes
            first = min(a for a, _ in asked)
            kept = [e for e in mine if e.mention.start > max(b for _, b in asked) or (
                e.mention.start < first and not re.search(r"\b(?:must|should|will|who|are|is)\b", text[e.mention.end:first], re.I))]
            consent_dropped += len(mine) - len(kept)
            mine = kept
        ages = [v for v in values if _age_value(text, v, cl)]
        aged_things = [v for v in values if v.unit in ("year", "month") and _thing_is_aged(text, v, cl)]
        # "specimens less than 2 years old": the lexicon's "years old" names no patient age here
        mine = [e for e in mine if not (e.mention.concept == "age" and any(a.end <= e.mention.start <= a.end + 3 for a in aged_things))]
        age_els = [e for e in mine if e.mention.concept == "age"]
        if ages and age_els:  # "Age 18-75 years": the age named in the clause takes the values
            for v in ages:
                min(age_els, key=lambda e: min(abs(e.mention.end - v.start), abs(v.end - e.mention.start))).values.append(v)
        elif ages:  # "Male or female 18 years or older": an age wherever it stands in the clause
            mine = [e for e in mine if not (e.mention.concept == "age" and any(a.start <= e.mention.start < a.end + 12 for a in ages))]
            mine.extend(Element(Mention("age", v.start, v.end, kind="measurement", attributes={"implicit": "true"}), ci, values=[v])
                        for v in ages)
            mine.sort(key=lambda e: e.mention.start)
        orphans = _attach_values(text, mine, [v for v in values if v not in ages], cl)
        for e in mine:  # "as defined by the New York Heart Association": the scale a value elsewhere uses
            if e.mention.kind == "score" and not e.values and re.search(
                    r"\b(?:defined|classified|graded|assessed|measured|evaluated|scored|according|per|using)\s+(?:to\s+|by\s+)?(?:the\s+)?$",
                    text[cl.start:e.mention.start], re.I):
                e.mention.attributes["absorbed"] = "true"
        mine = [e for e in mine if not e.mention.attributes.get("absorbed")]
        orphans = _implicit_age(text, mine, orphans, cl, ci)
        if orphans and not (not mine and els):
            orphans = _orphan_elements(text, mine, orphans, cl, ci, values, windows)
        if orphans and not mine and els:  # "Uterine prolapse: Grade 2 or 3" - the value qualifies the previous clause
            els[-1].values.extend(orphans)
        els.extend(mine)
        all_windows.extend((ci, w) for w in windows)
        blanks.extend((v.start, v.end) for v in values)
        blanks.extend((w.start, w.end) for w in windows)
    els.sort(key=lambda e: e.mention.start)
    admin = [e for e in els if _category_of(ctx, e.mention.concept) == "consent_administrative"]
    if admin and len(admin) < len(els):  # "written informed consent and ECOG 0-1": only the ECOG is checkable
        els = [e for e in els if e not in admin]
        consent_dropped += len(admin)
    _share_values(text, els)
    for e in els:
        if len(e.values) > 1:
            for v in e.values[1:]:
                prev_v = e.values[e.values.index(v) - 1]
                if re.search(r"\bor\b", text[prev_v.end:v.start]) or text.count("(", start, v.start) > text.count(")", start, v.start) or re.search(
                        r"\b(?:if|in\s+case|for\s+patients|in\s+patients|in\s+the\s+presence)\b", text[v.end:v.end + 40], re.I):
                    v.attributes["alt"] = "true"
    scopes = [_carve_to_next_clause(text, sc, clauses) for sc in scopes]
    carve_only = _mark_carves(text, els, scopes, kind, ctx)
    _find_conditions(text, els, clauses)
    _attach_cues(text, els, cues, clauses, all_windows)
    _attach_windows(text, els, all_windows, clauses)
    cohorts = _cohorts(text, clauses)
    constraints: list[Constraint] = []
    for n, e in enumerate(els):
        floor = max([p.mention.end for p in els[:n] if p.clause == e.clause and p.mention.end <= e.mention.start], default=0)
        cohort = cohorts[e.clause] or _paren_cohort(text, e, clauses[e.clause], els)
        cs = _constraints_of(text, e, cid, len(constraints), clauses[e.clause], cohort, floor)
        e.ids = [c.id for c in cs]
        constraints.extend(cs)
    constraints = _sex_as_applicability(constraints)
    logic = None if carve_only else _criterion_logic(text, els, clauses, kind, blanks)
    if isinstance(logic, str):  # one leaf: the default tree says the same, unless carved items must stay out of it
        logic = LogicNode(op="and", args=[logic]) if any(e.carve is not None for e in els) else None
    category, computable, reason = classify_criterion(text[start:end], constraints, ctx)
    if carve_only and constraints:
        computable, reason = False, "states only what is allowed; nothing to check"
    elif consent_dropped and not constraints:
        category, computable, reason = "consent_administrative", False, "asks for the patient's consent, willingness or ability; not stated in clinical notes"
    return Criterion(id=cid, kind=kind, text=text[start:end], start=start, end=end, computable=computable,  # type: ignore[arg-type]
                     category=category, logic=logic, constraints=constraints, reason=reason)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- category / computability


_classifier_state: dict[str, Any] = {}


def _external_classify(text: str) -> Optional[tuple[str, bool, float]]:
    """``pipeline.extract.computability.classify`` when it exists and has a model; else None."""
    if "fn" not in _classifier_state:
        try:
            from .computability import classify  # type: ignore[attr-defined]

            _classifier_state["fn"] = classify
        except Exception as err:  # the module is optional; rules take over
            log.debug("computability classifier unavailable: %s", type(err).__name__)
            _classifier_state["fn"] = None
    fn = _classifier_state["fn"]
    if fn is None:
        return None
    try:
        cat, comp, conf = fn(text)
    except Exception as err:
        log.debug("computability classifier failed: %s", type(err).__name__)
        _classifier_state["fn"] = None
        return None
    return (cat, bool(comp), float(conf)) if cat in CATEGORIES else None


def classify_criterion(text: str, constraints: list[Constraint], ctx: ListingContext) -> tuple[str, bool, Optional[str]]:
    c = _compiled()
    lex = ctx.matcher.lexicon
    known = [k for k in constraints if not k.open_vocabulary and k.concept in lex]
    if c["judgement"].search(text):
        return "investigator_judgement", False, "depends on the investigator's judgement"
    cats = [lex.get(k.concept).category for k in known if lex.get(k.concept)]  # type: ignore[union-attr]
    category = None
    if cats:
        counts: dict[str, int] = {}
        for x in cats:
            counts[x] = counts.get(x, 0) + 1
        category = max(counts, key=lambda x: (counts[x], -cats.index(x)))
        if category == "demographic" and any(k.concept == "age" for k in known):
            category = "demographic"
    if category is None or category not in CATEGORIES:
        ext = _external_classify(text)
        category = ext[0] if ext else ("consent_administrative" if c["admin"].search(text) else "other")
    if category == "consent_administrative" or (not known and c["admin"].search(text)):
        return "consent_administrative", False, "consent or administrative requirement; not stated in clinical notes"
    if not known:
        return category, False, "no concept from the lexicon (open vocabulary only); needs manual review"
    if any(k.concept == "life_expectancy" for k in known):
        return category, True, "life expectancy is met only when a note states an expected survival"
    return category, True, None
