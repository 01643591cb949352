"""Assertion: ConText rules as data, section and relative cues, and result polarity.

``models/rules/context_rules.jsonl`` holds the ConText rules (one per line, validated). medspaCy's
ConText finds modifiers per sentence; :func:`decide` then turns a target's modifiers, its section
and any result polarity into the Fact flags plus the cues that decided them.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field
from spacy.tokens import Doc, Span

from ..errors import E, ModelDataError
from ..resources import models_path
from ..rulefile import read_jsonl

CATEGORIES = ("NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HISTORICAL", "HYPOTHETICAL", "FAMILY", "PSEUDO", "TERMINATE")
DIRECTIONS = ("FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO")
FLAG_OF = {
    "NEGATED_EXISTENCE": "negated",
    "POSSIBLE_EXISTENCE": "uncertain",
    "HISTORICAL": "historical",
    "HYPOTHETICAL": "hypothetical",
    "FAMILY": "family",
}


class ContextRuleSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^context\.[a-z_]+\.[a-z_]+\.[a-z0-9_]+$")
    literal: str = Field(min_length=1)
    category: str
    direction: str
    pattern: list[dict] | None = None
    max_scope: int | None = Field(default=None, ge=1)
    allowed_types: list[str] | None = None
    excluded_types: list[str] | None = None
    terminated_by: list[str] | None = None

    def model_post_init(self, context: object, /) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"category {self.category!r} not in {CATEGORIES}")
        if self.direction not in DIRECTIONS:
            raise ValueError(f"direction {self.direction!r} not in {DIRECTIONS}")


def read_context_rules(path=None) -> list[ContextRuleSpec]:
    path = path or models_path("rules", "context_rules.jsonl")
    specs = read_jsonl(path, ContextRuleSpec.model_validate)
    literals: dict[str, str] = {}
    for lineno, spec in enumerate(specs, 1):
        key = spec.literal.lower()
        if key in literals:  # medspaCy keys rules by literal: a duplicate would silently replace one
            raise ModelDataError(E.E020.format(path=path, line=f"{lineno} (rule {spec.id})",
                                               detail=f"literal {spec.literal!r} already used by {literals[key]}"))
        literals[key] = spec.id
    return specs


def spacing_tolerant_pattern(literal: str, tokenizer) -> list[dict] | None:
    """A token pattern for a multi-token literal that also matches across extra whitespace
    (``history   of``: spaCy keeps runs of spaces as tokens, which a phrase pattern would not skip)."""
    words = [t.lower_ for t in tokenizer(literal) if not t.is_space]
    if len(words) < 2:
        return None
    pattern: list[dict] = []
    for i, w in enumerate(words):
        if i:
            pattern.append({"IS_SPACE": True, "OP": "*"})
        pattern.append({"LOWER": w})
    return pattern


def to_medspacy(specs: Iterable[ContextRuleSpec], tokenizer=None):
    """medspaCy rules. Literals stay phrase rules (one fast PhraseMatcher); with a ``tokenizer``, a
    multi-token literal also carries its spacing-tolerant token pattern in ``metadata["spacing"]``,
    which the ``ts_context`` component runs only over sentences holding whitespace tokens."""
    from medspacy.context import ConTextRule

    rules = []
    tokens_of: dict[tuple[str, ...], str] = {}
    for s in specs:
        if tokenizer is not None and s.pattern is None:
            # "cannot be excluded" and "can not be excluded" are the same tokens: two rules would
            # match the same span and which survives overlap pruning would be arbitrary
            key = tuple(t.lower_ for t in tokenizer(s.literal) if not t.is_space)
            if key in tokens_of:
                raise ModelDataError(
                    E.E020.format(
                        path="context_rules.jsonl",
                        line=s.id,
                        detail=f"literal {s.literal!r} tokenises like the literal of {tokens_of[key]}",
                    )
                )
            tokens_of[key] = s.id
        spacing = (
            spacing_tolerant_pattern(s.literal, tokenizer) if (s.pattern is None and tokenizer is not None) else None
        )
        rules.append(
            ConTextRule(
                literal=s.literal,
                category=s.category,
                direction=s.direction,
                pattern=s.pattern,
                max_scope=s.max_scope,
                allowed_types=set(s.allowed_types) if s.allowed_types else None,
                excluded_types=set(s.excluded_types) if s.excluded_types else None,
                terminated_by=set(s.terminated_by) if s.terminated_by else None,
                metadata={"id": s.id, "spacing": spacing},
            )
        )
    return rules


# ----------------------------------------------------------------------------- scopes


CLOSING_BRACKETS = frozenset(")]}")


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def limited_scope(mod, other) -> tuple[int, int] | None:
    """The scope of ConText modifier ``mod`` once ``other`` limits it, or None when unchanged.

    medspaCy's ``ConTextModifier.limit_scope`` with a containment-aware overlap test (medspaCy's
    ``tuple_overlaps`` misses a scope lying wholly inside the other's, so a TERMINATE cue, whose
    scope is its sentence, never cut a backward or ``max_scope`` cue: "X but cannot be excluded"
    reached X). A closing bracket ends a forward cue's scope but not a backward one's: in
    "Serologies (HIV, HBV) not drawn" the cue reads the bracketed list before it. A terminating word right after
    a forward cue does not end it: "no recent infection" is negated."""
    if mod.direction.upper() == "TERMINATE" or not _overlaps(mod.scope_span, other.scope_span):
        return None
    terminated_by = mod.rule.terminated_by or set()
    if (other.direction.upper() != "TERMINATE" and other.category.upper() not in terminated_by
            and other.category.upper() != mod.category.upper()):
        return None
    if mod.category == other.category and (mod.allowed_types != other.allowed_types
                                           or mod.excluded_types != other.excluded_types):
        return None
    start, end = mod.scope_span
    # "no recent infection": a terminating word right after a forward cue is what the cue is about
    adjacent = other.direction.upper() == "TERMINATE" and other.modifier_span[0] == mod.modifier_span[1]
    if mod.direction.lower() in ("forward", "bidirectional") and other > mod and not adjacent:
        end = min(end, other.modifier_span[0])
    if (mod.direction.lower() in ("backward", "bidirectional") and other < mod
            and not (other.direction.upper() == "TERMINATE"
                     and other.rule.literal in CLOSING_BRACKETS)):
        start = max(start, other.modifier_span[1])
    return None if (start, end) == mod.scope_span else (start, end)


def first_token_lowers(patterns: list[list[dict]]) -> frozenset[str] | None:
    """The lower-case words every match of these token patterns starts with, when each pattern's first token
    is one required word (``{"LOWER": "born"}``): a sentence without any of them needs no token matching.
    None when a pattern may start otherwise."""
    firsts = [p[0] if p else {} for p in patterns]
    if not all(set(f) == {"LOWER"} and isinstance(f["LOWER"], str) for f in firsts):
        return None
    return frozenset(f["LOWER"] for f in firsts)


def sentence_scope(rule, start: int, end: int, sent_start: int, sent_end: int) -> tuple[int, int]:
    """The scope medspaCy's ``ConTextModifier`` gives a cue at tokens ``[start, end)`` of the sentence
    ``[sent_start, sent_end)`` when ConText has no ``max_scope`` (its private ``__set_scope``, without
    finding the token's sentence again): the sentence on the rule's side, cut at the rule's ``max_scope``."""
    direction, most = rule.direction.lower(), rule.max_scope
    if direction == "forward":
        lo, hi = end, sent_end
        if most is not None and hi - lo > most:
            hi = end + most
    elif direction == "backward":
        lo, hi = sent_start, start
        if most is not None and hi - lo > most:
            lo = start - most
    else:
        lo, hi = sent_start, sent_end
        if most is not None and start - lo > most:
            lo = start - most
        if most is not None and hi - end > most:
            hi = end + most
    return lo, hi


def update_scopes(modifiers: list, max_scope: int | None = None) -> None:
    """Every pair of modifiers limits each other's scope (as ``ConTextGraph.update_scopes``). A
    limited modifier is replaced by a new ``ConTextModifier`` with that scope (medspaCy's public
    constructor; its scope has no public setter taking token offsets)."""
    from medspacy.context import ConTextModifier

    def limit(i: int, j: int) -> None:
        scope = limited_scope(modifiers[i], modifiers[j])
        if scope is not None:
            mod = modifiers[i]
            modifiers[i] = ConTextModifier(mod.rule, *mod.modifier_span, None, scope_start=scope[0],
                                           scope_end=scope[1], max_scope=max_scope)

    for i in range(len(modifiers) - 1):
        for j in range(i + 1, len(modifiers)):
            limit(i, j)
            limit(j, i)


def end_at_targets(doc: Doc, modifiers: list, targets: list[Span], max_scope: int | None) -> list:
    """ "No prior malignancy", "no history of cancer": a forward cue whose last words are the first words of
    a concept's own phrase ends where the concept starts, so that it still applies to it (medspaCy never
    lets a cue modify a target it overlaps)."""
    from medspacy.context import ConTextModifier

    out = []
    for mod in modifiers:
        s, e = mod.modifier_span
        cut = min((t.start for t in targets if s < t.start < e <= t.end), default=None)
        if cut is not None and mod.direction in ("FORWARD", "BIDIRECTIONAL"):
            mod = ConTextModifier(mod.rule, s, cut, doc, max_scope=max_scope)
        out.append(mod)
    return out


def interior_space(spaces: list[int], start: int, end: int) -> bool:
    """A whitespace token between two words of tokens ``[start, end)`` (``spaces``: the doc's whitespace
    tokens, in order); leading/trailing runs cannot split a multi-word cue."""
    inside = spaces[bisect_left(spaces, start) : bisect_left(spaces, end)]
    lead = next((k for k, i in enumerate(inside) if i != start + k), len(inside))
    if start + lead >= end:
        return False  # no word
    trail = next((k for k, i in enumerate(reversed(inside)) if i != end - 1 - k), len(inside))
    return len(inside) - lead - trail > 0


# ----------------------------------------------------------------------------- decisions


@dataclass
class CueHit:
    category: str
    text: str
    start: int
    end: int


@dataclass
class Assertion:
    negated: bool = False
    historical: bool = False
    hypothetical: bool = False
    family: bool = False
    uncertain: bool = False
    cues: list[CueHit] = field(default_factory=list)

    def set(self, flag: str, cue: CueHit) -> None:
        if not getattr(self, flag):
            setattr(self, flag, True)
            self.cues.append(cue)


POLARITY_CUE = re.compile(
    r"^(?:negative|neg|non-?reactive|not\s+detected|undetectable|nonreactive|\(-\)|-ve|\(\s*-\s*\))$", re.IGNORECASE
)
"""A negation cue that is really a negative test result (handled as a value, not a negation)."""


HISTORY_WORDS = re.compile(r"\b(?:history|hx|h/o)\b", re.IGNORECASE)


def decide(
    modifiers: Iterable[tuple[str, str, int, int]],
    *,
    section_assertion: str | None = None,
    section_cue: CueHit | None = None,
    is_result: bool = False,
    result_cue: tuple[int, int] | None = None,
) -> Assertion:
    """Flags from ConText modifiers ``(category, text, start_char, end_char)``, plus the section.

    For result concepts, a negation cue that is the stated result ("HBsAg negative", "HIV Ab
    non-reactive") does not negate: the polarity becomes the value instead.
    """
    a = Assertion()
    for category, text, start, end in sorted(modifiers, key=lambda m: m[2]):
        flag = FLAG_OF.get(category)
        if flag is None:
            continue
        if flag == "negated" and is_result:
            if POLARITY_CUE.match(text.strip(": -")) or POLARITY_CUE.match(text.strip()):
                continue
            if result_cue and start >= result_cue[0] and end <= result_cue[1]:
                continue
        a.set(flag, CueHit(category, text, start, end))
        if flag == "negated" and HISTORY_WORDS.search(text):  # "no history of X": negated and about the past
            a.set("historical", CueHit("HISTORICAL", text, start, end))
    if section_assertion and section_cue is not None:
        a.set(section_assertion, section_cue)
    return a


_LABEL_ANSWER = re.compile(
    r"(?:[ \t]*/[ \t]*[\w\-]+)*[ \t]*[:\-–][ \t]*"
    r"(?P<cue>none|no|negative|neg|absent|denies|denied|never|nil)[ \t]*(?=[.;,\n]|$)",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _label_denial() -> re.Pattern[str]:
    """A line's opening label answered by a denial (``note_context.json`` ``label_denial_pattern``)."""
    from .note_rules import rules

    return re.compile(r"[ \t]*[:\-–][ \t]*(?P<cue>" + rules().label_denial_pattern + r")\b", re.IGNORECASE)


_LINE_LEAD = re.compile(r"(?:^|\n)[ \t]*(?:[-*•·]|\d{1,2}[.)])?[ \t]*$")


def label_answer_negation(text: str, mention_end: int, limit: int, mention_start: int | None = None) -> CueHit | None:
    """``Fever: no``, ``Allergies: none``, ``Tobacco - never``: a form label answered in the negative. A label
    that opens its line (``mention_start`` given) may be answered by a denial sentence: ``Thrombosis: denies any
    hx DVT``."""
    m = _LABEL_ANSWER.match(text, mention_end, limit)
    if not m and mention_start is not None and _LINE_LEAD.search(text, max(0, mention_start - 8), mention_start):
        m = _label_denial().match(text, mention_end, limit)
    if not m:
        return None
    return CueHit("NEGATED_EXISTENCE", m.group("cue"), m.start("cue"), m.end("cue"))


@lru_cache(maxsize=1)
def _zero_answer() -> re.Pattern[str]:
    from .note_rules import rules

    return re.compile(rules().zero_answer_pattern, re.IGNORECASE)


def zero_answer(text: str, mention_end: int, limit: int) -> CueHit | None:
    """``Delusions 0``, ``suicide item 0``: a condition scored zero right after its name (``note_context.json``
    ``zero_answer_pattern``); the zero is the cue. For conditions and open-vocabulary phrases only."""
    m = _zero_answer().match(text, mention_end, limit)
    return CueHit("NEGATED_EXISTENCE", m.group("cue"), m.start("cue"), m.end("cue")) if m else None


_LABEL_COLON = re.compile(r"[ \t]*[:\-–]")


@lru_cache(maxsize=1)
def _topic_affirm() -> re.Pattern[str]:
    from .note_rules import rules

    return re.compile(rules().topic_label_affirm_pattern, re.IGNORECASE)


def topic_label(text: str, mention_start: int, mention_end: int) -> CueHit | None:
    """``Pregnancy: on OCP``: a mention opening its line as a form's label, with no answer asserting it
    (``note_context.json`` ``topic_label_affirm_pattern``); the label itself is the cue. None otherwise."""
    colon = _LABEL_COLON.match(text, mention_end, min(len(text), mention_end + 4))
    if colon is None or not _LINE_LEAD.search(text, max(0, mention_start - 8), mention_start):
        return None
    if _topic_affirm().match(text, mention_end, line_end(text, mention_end)):
        return None
    return CueHit("HYPOTHETICAL", text[mention_start:colon.end()], mention_start, colon.end())


def line_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return nl if nl != -1 else len(text)


def cue_of(doc, mod, memo: dict[int, tuple[str, str, int, int]]) -> tuple[str, str, int, int]:
    """(category, text, start char, end char) of a ConText modifier, read once per note (the targets of a
    sentence share its modifiers)."""
    cue = memo.get(id(mod))
    if cue is None:
        s, e = mod.modifier_span
        last = doc[e - 1]
        cue = memo[id(mod)] = (mod.category, doc[s:e].text, doc[s].idx, last.idx + len(last.text))
    return cue


def section_cue(text: str, sec) -> CueHit:
    """The cue a section header with an assertion of its own gives the facts under it (``SECTION_FAMILY``...)."""
    return CueHit("SECTION_" + sec.assertion.upper(), text[sec.header_start:sec.header_end], sec.header_start,
                  sec.header_end)


@lru_cache(maxsize=1)
def default_rules() -> tuple[ContextRuleSpec, ...]:
    return tuple(read_context_rules())
