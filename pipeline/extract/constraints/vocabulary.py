"""Open vocabulary: noun phrases outside the lexicon that still name a condition ("Fabry disease"),
found in the gaps between lexicon concepts, from elliptical coordination ("medical or psychiatric
illness") and for values with no concept in their clause ("Blood donation of more than 450 mL")."""

from __future__ import annotations

import re
from typing import Any

from ..criteria_concepts import ConceptMatcher, Mention, normalise_phrase
from ..criteria_values import ValueExpr, WindowExpr
from .clauses import Clause
from .context import WORD, Element, blank, compiled_rules

_CONNECTOR_SPLIT = re.compile(
    r"\x00+|,|;|\band/or\b|\bor\b|\band\b|\bnor\b|\bas well as\b|\bplus\b"
    r"|(?<=[A-Za-z])/(?=[A-Za-z])|\s/\s|[()\[\]]",
    re.IGNORECASE,
)


_CLAUSE_START = re.compile(r"\b(?:that|which)\b", re.IGNORECASE)
"""Where a judgement clause (``criteria_patterns.json`` ``judgement_after_pattern``) may begin."""


def open_vocab_mentions(
    text: str, start: int, end: int, gap: str, next_is_mention: bool, prev_is_mention: bool = False
) -> list[Mention]:
    """Open-vocabulary concepts from a stretch of text with no lexicon concept. A head noun right
    after a concept completes it ("Ex21-L858R substitution", "PD-L1 expression"): not a concept."""
    c = compiled_rules()
    head = re.match(r"[ \t]*([A-Za-z][\w\-]*)", gap)
    if prev_is_mention and head and head.group(1).lower() in c["mention_heads"]:
        gap = " " * head.end() + gap[head.end() :]
    for m in _CLAUSE_START.finditer(gap):
        if c["judgement_after"].match(gap[m.start():]):
            # "disorders that preclude participation in exercise": the judgement's words name no condition
            gap = gap[: m.start()] + " " * (len(gap) - m.start())
            break
    out: list[Mention] = []
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
        all_words = list(re.finditer(r"[A-Za-z][\w\-/+]*(?:'\w+)*|\d+[\w\-]*", gap[ps:pe]))
        segs: list[list[re.Match[str]]] = [
            []
        ]  # runs of words between stop words ("medication which interacts with aspirin")
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
        member: Mention | None = None
        if len(segs) > 1 and segs[-1] and not (conn.strip() and conn.strip() not in "()[]"):
            # "disorders of lipid metabolism characterized by hypertriglyceridemia": the last phrase
            # too
            last_m = _ov_mention(text, start + ps, gap[ps:pe], list(segs[-1]), c)
            if last_m is not None and (first is None or last_m.start >= first.end):
                member = last_m
        elif conn.strip() and conn.strip() not in "()[]" and segs[-1]:
            # the member next to the connector: "interacts with either aspirin or ..." -> "aspirin"
            tail = list(segs[-1])
            able = [
                i
                for i in range(len(tail) - 1)
                if tail[i].group(0).lower() in c["ability_words"]
                and tail[i + 1].group(0).lower() == "to"
            ]
            if able:
                # "unable to abstain from alcohol": the inability is the condition
                tail = tail[able[-1] :]
            else:
                for i in range(len(tail) - 1, -1, -1):
                    if tail[i].group(0).lower() in c["lead_ins"] or not nounish(tail[i].group(0)):
                        tail = tail[i + 1 :]
                        break
            member = _ov_mention(text, start + ps, gap[ps:pe], tail, c) if tail else None
        if (
            first is not None
            and member is not None
            and first.start < member.end
            and member.start < first.end
        ):
            first = None  # one phrase: keep the coordinated member
        out.extend(m for m in (first, member) if m is not None)
    return out


def _ov_mention(
    text: str, base: int, piece: str, words: list[re.Match[str]], c: dict[str, Any]
) -> Mention | None:
    """One open-vocabulary mention from a run of words: lead-ins and trailing non-nouns trimmed,
    noun required."""
    # strip lead-ins and leading adverbs ("already on medications", "frequently recurring")
    while words and (
        words[0].group(0).lower() in c["lead_ins"] | c["modifiers"]
        or (
            len(words) > 1
            and len(words[0].group(0)) > 4
            and _ADJ_SUFFIX.search(words[0].group(0))
            and words[0].group(0).lower() not in c["ly_nouns"]
        )
    ):
        words.pop(0)
    words = words[: c["ov_max"]]
    while words and words[-1].group(0).lower() in c["lead_ins"] | {
        "of",
        "with",
        "to",
        "from",
        "the",
        "a",
        "an",
    }:
        words.pop()
    while len(words) > 1 and not nounish(words[-1].group(0)):
        words.pop()  # "laboratory findings obtained": the phrase ends at its last noun-like word
    noise = c["modifiers"] | c["fillers"] | c["lead_ins"]
    if not words or all(w.group(0).lower() in noise or w.group(0)[0].isdigit() for w in words):
        return None
    if (
        len(words) == 1
        and len(words[0].group(0)) < 4
        and not re.fullmatch(r"[A-Z][A-Z0-9]{2}", words[0].group(0))
    ):
        return None  # short words are not concepts, three-letter abbreviations ("ECT") are
    if not any(nounish(w.group(0)) and w.group(0).lower() not in noise for w in words):
        return None  # "willingly", "showing", "deemed": no noun, no concept
    if all(c["person_word"].fullmatch(w.group(0)) for w in words) and re.match(r"\s*:", text[base + words[-1].end():]):
        return None  # "males: <= 28 units/week": who the limit is for, not a condition
    if (len(words) == 1 and _PARTICIPLE.search(words[0].group(0))
            and words[0].group(0).lower() not in c["kept_participles"]):
        return None  # "compared", "corrected", "referred": a verb's leftover names nothing
    s = base + words[0].start()
    e = base + words[-1].end()
    return Mention(normalise_phrase(text[s:e]), s, e, open_vocab=True, kind="open")


_ELLIPSIS_LEFT = re.compile(
    r"(?<![\w\-])([A-Za-z][\w\-]{2,})\s*,?\s*(?:or|and/or|and|/)\s*$", re.IGNORECASE
)


def elliptical(
    text: str,
    cl: Clause,
    mentions: list[Mention],
    skip: list[tuple[int, int]],
    matcher: ConceptMatcher,
) -> list[Mention]:
    """ "medical or psychiatric illness": a lone modifier coordinated with the first word of a
    longer phrase shares that phrase's head; it becomes its own mention ("medical illness") on the
    modifier's span."""
    c = compiled_rules()
    out = list(mentions)
    for m in mentions:
        words = text[m.start : m.end].split()
        if len(words) < 2:
            continue
        left = _ELLIPSIS_LEFT.search(text, cl.start, m.start)
        if not left:
            continue
        s, e = left.start(1), left.end(1)
        w = left.group(1).lower()
        if (
            w in c["lead_ins"]
            or w in c["stops"]
            or w in c["non_nouns"]
            or w in c["modifiers"]
            or w in c["not_elliptical"]
            or not nounish(w)
        ):
            continue
        bare = [
            o for o in out if o.open_vocab and (o.start, o.end) == (s, e)
        ]  # "renal" alone says less
        if any(a < e and s < b for a, b in skip) or any(
            o.start < e and s < o.end for o in out if o not in bare
        ):
            continue  # a cue word ("acute or chronic") or already a concept
        out = [o for o in out if o not in bare]
        phrase = " ".join([left.group(1)] + words[1:])
        concept = matcher.concept_of(phrase)
        out.append(
            Mention(
                concept or normalise_phrase(phrase),
                s,
                e,
                open_vocab=concept is None,
                kind=matcher.kind_of(concept) if concept else "open",
                attributes={"elliptical": phrase},
            )
        )
    return sorted(out, key=lambda m: m.start)


def orphan_elements(
    text: str,
    els: list[Element],
    orphans: list[ValueExpr],
    cl: Clause,
    ci: int,
    values: list[ValueExpr],
    windows: list[WindowExpr],
) -> list[ValueExpr]:
    """A value with no concept in its clause gets an open-vocabulary concept: the nearest noun
    phrase before it ("Blood donation of more than 450 mL"), else after it ("20 pack-years of
    smoking"); returns the rest."""
    c = compiled_rules()
    skip = [(v.start, v.end) for v in values] + [(w.start, w.end) for w in windows]
    weak = (
        c["lead_ins"]
        | c["stops"]
        | c["comparator_words"]
        | {"of", "than", "to", "equal", "equals", "or", "and"}
    )
    rest = []
    for v in orphans:
        left = blank(text, skip, cl.start, v.start, "\x00")
        words = [w for w in WORD.finditer(left)]
        run: list[re.Match[str]] = []
        for w in reversed(words):
            between = left[w.end() : run[0].start()] if run else left[w.end() :]
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
        if run and any(content_word(w.group(0)) for w in run):
            s0, e0 = cl.start + run[0].start(), cl.start + run[-1].end()
        else:
            right = blank(text, skip, v.end, cl.end, "\x00")
            m = re.match(r"\s*(?:of\s+)?((?:[A-Za-z][\w\-]*\s*){1,3})", right)
            if m:
                ws = [w for w in WORD.finditer(m.group(1)) if w.group(0).lower() not in weak]
                ws = ws[:3]
                if ws and content_word(ws[0].group(0)):
                    s0, e0 = v.end + m.start(1) + ws[0].start(), v.end + m.start(1) + ws[-1].end()
        if s0 < 0:
            rest.append(v)
            continue
        els.append(
            Element(
                Mention(normalise_phrase(text[s0:e0]), s0, e0, open_vocab=True, kind="open"),
                ci,
                values=[v],
            )
        )
    return rest


_PARTICIPLE = re.compile(r"^[A-Za-z][a-z]{2,}[^e]ed$")
"""A past participle ("compared", "referred"; not "bleed"): alone, never an open-vocabulary concept."""
_ADJ_SUFFIX = re.compile(r"(?<!ical)(?<!bol)(?<!on)ly$", re.IGNORECASE)


def nounish(word: str) -> bool:
    """Could head a noun phrase: not a listed verb/adjective/adverb (data), not an -ly adverb.
    Abbreviations (capitals or digits) always can."""
    if re.search(r"[A-Z].*[A-Z]|\d", word):
        return True
    w = word.lower().strip("'\"-/+")
    c = compiled_rules()
    if w in c["non_nouns"] or w in c["stops"]:
        return False
    return not (len(w) > 4 and _ADJ_SUFFIX.search(w) and w not in c["ly_nouns"])


def content_word(word: str) -> bool:
    """A word that can head a noun phrase: not a filler, lead-in, verb-like or adverb form."""
    c = compiled_rules()
    w = word.lower()
    return (
        len(w) >= 2
        and w not in c["lead_ins"]
        and w not in c["stops"]
        and w not in c["non_nouns"]
        and w not in c["fillers"]
        and not (len(w) > 4 and w.endswith("ly"))
    )
