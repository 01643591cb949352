"""Thin spaCy components over the pure functions in sections.py, sentences.py and targets.py.

Extensions are registered once, here, with the ``ts_`` prefix:
``Doc._.ts_sections`` (list of :class:`~pipeline.extract.sections.Section`). Targets go to the span
group ``doc.spans["ts_targets"]`` (label = concept id), which ConText reads; their exact character
offsets (a token may be wider than the phrase: "HPV+") and user flag are in
``doc.user_data["ts_target_matches"]``, aligned with the group.
"""

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from .sections import default_finder
from .sentences import sentence_starts
from .targets import PhraseFinder

TARGETS = "ts_targets"

if not Doc.has_extension("ts_sections"):
    Doc.set_extension("ts_sections", default=None)


def doc_text(doc: Doc) -> str:
    """The note text (kept by the caller: ``Doc.text`` rebuilds the string on every access)."""
    text = doc.user_data.get("ts_text")
    if text is None:
        text = doc.user_data["ts_text"] = doc.text
    return text


@Language.factory("ts_sections", assigns=["doc._.ts_sections"])
def make_sections(nlp: Language, name: str):
    return SectionComponent()


class SectionComponent:
    def __init__(self) -> None:
        self.finder = default_finder()

    def __call__(self, doc: Doc) -> Doc:
        doc._.ts_sections = self.finder.find(doc_text(doc))
        return doc


@Language.factory("ts_sentences", requires=["doc._.ts_sections"], assigns=["token.is_sent_start"])
def make_sentences(nlp: Language, name: str):
    return SentenceComponent()


class SentenceComponent:
    def __call__(self, doc: Doc) -> Doc:
        sections = doc._.ts_sections or []
        starts = sentence_starts(doc_text(doc), [s.header_end for s in sections])
        if not len(doc):
            return doc
        # one array write instead of a per-token setter (the setter re-checks annotations each time)
        idx = doc.to_array(IDX).astype(numpy.int64)
        pos = numpy.searchsorted(idx, numpy.asarray(starts, dtype=numpy.int64), side="left")
        flags = numpy.full(len(doc), -1, dtype=numpy.int32)
        flags[pos[pos < len(doc)]] = 1
        flags[0] = 1
        doc.from_array([SENT_START], flags.reshape(-1, 1).astype("uint64"))
        token_starts = numpy.flatnonzero(flags == 1)
        doc.user_data["ts_sent_tokens"] = token_starts  # token index of each sentence start
        return doc


@Language.factory("ts_targets", assigns=["doc.spans"])
def make_targets(nlp: Language, name: str):
    return TargetComponent()


class TargetComponent:
    """Lexicon phrases -> spans. Precomputed matches in ``doc.user_data["ts_matches"]`` (from the
    prefilter, which may include user entries) are used when present."""

    def __init__(self) -> None:
        self._finder = None

    @property
    def finder(self) -> PhraseFinder:
        if self._finder is None:
            from .mentions import builtin_finder

            self._finder = builtin_finder()
        return self._finder

    def __call__(self, doc: Doc) -> Doc:
        matches = doc.user_data.pop("ts_matches", None)
        if matches is None:
            matches = self.finder.find(doc_text(doc))
        spans, kept = [], []
        for m in matches:
            span = doc.char_span(m.start, m.end, label=m.concept, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            spans.append(span)
            kept.append(m)
        doc.spans[TARGETS] = spans
        doc.user_data["ts_target_matches"] = kept  # exact char offsets and user flag, aligned with the group
        return doc


def sentence_of(doc: Doc, token_i: int) -> Span:
    """The sentence holding token ``token_i`` (from the splitter's stored starts; Span.sent rescans)."""
    starts = doc.user_data.get("ts_sent_tokens")
    if starts is None:
        return doc[token_i].sent
    k = int(numpy.searchsorted(starts, token_i, side="right")) - 1
    end = int(starts[k + 1]) if k + 1 < len(starts) else len(doc)
    return doc[int(starts[k]):end]


def _interior_space(is_space) -> bool:
    """A whitespace token between two words of the sentence (leading/trailing runs cannot split a
    multi-word cue)."""
    words = numpy.flatnonzero(is_space == 0)
    return bool(words.size) and bool(is_space[words[0]:words[-1] + 1].any())


def _sentence_context_class():
    """medspaCy ConText, run only over sentences that hold a target (same rules, same graph logic):
    a note's other sentences cannot change any fact, and matching them is most of ConText's cost.
    One graph per sentence (a modifier's scope never leaves its sentence), so pairing modifiers
    with targets is not quadratic in the note. Multi-token literals are phrase-matched; their
    spacing-tolerant token patterns (``history   of``) run only where the sentence holds whitespace
    tokens, the only place they can match something the phrase matcher does not."""
    from medspacy.common.util import prune_overlapping_matches
    from medspacy.context import ConText
    from medspacy.context.context_graph import ConTextGraph
    from medspacy.context.context_modifier import ConTextModifier
    from spacy.attrs import IS_SPACE
    from spacy.matcher import Matcher

    class SentenceContext(ConText):
        def add(self, rules) -> None:
            rules = list(rules)
            super().add(rules)
            if not hasattr(self, "_ts_spacing"):
                self._ts_spacing = Matcher(self.nlp.vocab)
            for rule in rules:
                spacing = (rule.metadata or {}).get("spacing")
                if spacing:
                    self._ts_spacing.add(rule._rule_id, [spacing])

        def _sentence_modifiers(self, doc: Doc, sent: Span, has_space: bool) -> list:
            matcher = self._ConText__matcher
            # token Matcher offsets are relative to the span, PhraseMatcher offsets to the doc
            token_matcher = matcher._MedspacyMatcher__matcher
            found = [(i, sent.start + s, sent.start + e) for i, s, e in token_matcher(sent)] if len(token_matcher) else []
            found += list(matcher._MedspacyMatcher__phrase_matcher(sent))
            if has_space and getattr(self, "_ts_spacing", None) is not None:
                found = list(dict.fromkeys(found + [(i, sent.start + s, sent.start + e) for i, s, e in self._ts_spacing(sent)]))
            if matcher._prune:
                found = prune_overlapping_matches(found)
            return [ConTextModifier(matcher.rule_map[self.nlp.vocab[match_id].text], start, end, doc, max_scope=self.max_scope)
                    for match_id, start, end in found]

        def __call__(self, doc: Doc, targets=None) -> Doc:
            targets = list(doc.spans[self.span_group_name])
            by_sent: dict[int, tuple[Span, list]] = {}
            for t in targets:
                sent = sentence_of(doc, t.start)
                by_sent.setdefault(sent.start, (sent, []))[1].append(t)
            space = doc.to_array(IS_SPACE)
            whole = ConTextGraph(prune_on_modifier_overlap=self.prune_on_target_overlap)
            whole.targets = targets
            for sent, sent_targets in by_sent.values():
                graph = ConTextGraph(prune_on_modifier_overlap=self.prune_on_target_overlap)
                graph.targets = sent_targets
                graph.modifiers = self._sentence_modifiers(doc, sent, _interior_space(space[sent.start:sent.end]))
                if not graph.modifiers:
                    continue
                update_scopes(graph.modifiers)
                graph.apply_modifiers()
                whole.modifiers.extend(graph.modifiers)
                whole.edges.extend(graph.edges)
            for target, modifier in whole.edges:
                target._.modifiers += (modifier,)
            if self.context_attributes_mapping:
                self.set_context_attributes(whole.edges)
            doc._.context_graph = whole
            return doc

    return SentenceContext


CLOSING_BRACKETS = frozenset(")]}")


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def limit_scope(mod, other) -> bool:
    """medspaCy's ``ConTextModifier.limit_scope`` with a containment-aware overlap test (medspaCy's
    ``tuple_overlaps`` misses a scope lying wholly inside the other's, so a TERMINATE cue, whose
    scope is its sentence, never cut a backward or ``max_scope`` cue: "X but cannot be excluded"
    reached X). A closing bracket ends a forward cue's scope but not a backward one's: in
    "Serologies (HIV, HBV) not drawn" the cue reads the bracketed list before it."""
    if mod.direction.upper() == "TERMINATE" or not _overlaps(mod.scope_span, other.scope_span):
        return False
    terminated_by = mod.rule.terminated_by or set()
    if (other.direction.upper() != "TERMINATE" and other.category.upper() not in terminated_by
            and other.category.upper() != mod.category.upper()):
        return False
    if mod.category == other.category and (mod.allowed_types != other.allowed_types or mod.excluded_types != other.excluded_types):
        return False
    orig = mod.scope_span
    if mod.direction.lower() in ("forward", "bidirectional") and other > mod:
        mod._scope_end = min(mod._scope_end, other.modifier_span[0])
    if (mod.direction.lower() in ("backward", "bidirectional") and other < mod
            and not (other.direction.upper() == "TERMINATE" and other.rule.literal in CLOSING_BRACKETS)):
        mod._scope_start = max(mod._scope_start, other.modifier_span[1])
    return orig != mod.scope_span


def update_scopes(modifiers: list) -> None:
    """Every pair of modifiers limits each other's scope (as ``ConTextGraph.update_scopes``)."""
    for i in range(len(modifiers) - 1):
        for j in range(i + 1, len(modifiers)):
            limit_scope(modifiers[i], modifiers[j])
            limit_scope(modifiers[j], modifiers[i])


@Language.factory("ts_context", assigns=["span._.modifiers"])
def make_context(nlp: Language, name: str):
    cls = _sentence_context_class()
    return cls(nlp, name=name, rules=None, input_span_type="group", span_group_name=TARGETS)
