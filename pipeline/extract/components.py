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


def _sentence_context_class():
    """medspaCy ConText, run only over sentences that hold a target (same rules, same graph logic):
    a note's other sentences cannot change any fact, and matching them is most of ConText's cost."""
    from medspacy.common.util import prune_overlapping_matches
    from medspacy.context import ConText
    from medspacy.context.context_graph import ConTextGraph
    from medspacy.context.context_modifier import ConTextModifier

    class SentenceContext(ConText):
        def __call__(self, doc: Doc, targets=None) -> Doc:
            targets = list(doc.spans[self.span_group_name])
            graph = ConTextGraph(prune_on_modifier_overlap=self.prune_on_target_overlap)
            graph.targets = targets
            graph.modifiers = []
            matcher = self._ConText__matcher
            seen: set[int] = set()
            for t in targets:
                sent = sentence_of(doc, t.start)
                if sent.start in seen:
                    continue
                seen.add(sent.start)
                # token Matcher offsets are relative to the span, PhraseMatcher offsets to the doc
                found = [(i, sent.start + s, sent.start + e) for i, s, e in matcher._MedspacyMatcher__matcher(sent)]
                found += list(matcher._MedspacyMatcher__phrase_matcher(sent))
                if matcher._prune:
                    found = prune_overlapping_matches(found)
                for match_id, start, end in found:
                    rule = matcher.rule_map[self.nlp.vocab[match_id].text]
                    graph.modifiers.append(ConTextModifier(rule, start, end, doc, max_scope=self.max_scope))
            graph.update_scopes()
            graph.apply_modifiers()
            for target, modifier in graph.edges:
                target._.modifiers += (modifier,)
            if self.context_attributes_mapping:
                self.set_context_attributes(graph.edges)
            doc._.context_graph = graph
            return doc

    return SentenceContext


@Language.factory("ts_context", assigns=["span._.modifiers"])
def make_context(nlp: Language, name: str):
    cls = _sentence_context_class()
    return cls(nlp, name=name, rules=None, input_span_type="group", span_group_name=TARGETS)
