"""Thin spaCy components over the pure functions in sections.py, sentences.py and targets.py.

Extensions are registered once, here, with the ``ts_`` prefix:
``Doc._.ts_sections`` (list of :class:`~pipeline.extract.sections.Section`). Targets go to the span
group ``doc.spans["ts_targets"]`` (label = concept id), which ConText reads.
"""

from spacy.language import Language
from spacy.tokens import Doc, Span

from .sections import default_finder
from .sentences import sentence_starts
from .targets import PhraseFinder

TARGETS = "ts_targets"

if not Doc.has_extension("ts_sections"):
    Doc.set_extension("ts_sections", default=None)
if not Span.has_extension("ts_user"):
    Span.set_extension("ts_user", default=False)
if not Span.has_extension("ts_chars"):
    Span.set_extension("ts_chars", default=None)
"""Exact character offsets of the mention (a token may be wider: "HPV+" is one token)."""


@Language.factory("ts_sections", assigns=["doc._.ts_sections"])
def make_sections(nlp: Language, name: str):
    return SectionComponent()


class SectionComponent:
    def __init__(self) -> None:
        self.finder = default_finder()

    def __call__(self, doc: Doc) -> Doc:
        doc._.ts_sections = self.finder.find(doc.text)
        return doc


@Language.factory("ts_sentences", requires=["doc._.ts_sections"], assigns=["token.is_sent_start"])
def make_sentences(nlp: Language, name: str):
    return SentenceComponent()


class SentenceComponent:
    def __call__(self, doc: Doc) -> Doc:
        sections = doc._.ts_sections or []
        starts = sentence_starts(doc.text, [s.header_end for s in sections])
        k = 0
        n = len(starts)
        for i, tok in enumerate(doc):
            idx = tok.idx
            begin = False
            while k < n and starts[k] <= idx:
                begin = True
                k += 1
            tok.is_sent_start = i == 0 or begin
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
            from .facts import builtin_finder

            self._finder = builtin_finder()
        return self._finder

    def __call__(self, doc: Doc) -> Doc:
        matches = doc.user_data.pop("ts_matches", None)
        if matches is None:
            matches = self.finder.find(doc.text)
        spans = []
        for m in matches:
            span = doc.char_span(m.start, m.end, label=m.concept, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            span._.ts_user = m.user
            span._.ts_chars = (m.start, m.end)
            spans.append(span)
        doc.spans[TARGETS] = spans
        return doc
