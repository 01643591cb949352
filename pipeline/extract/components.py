"""spaCy components over the pure functions in sections.py, sentences.py, mentions.py, assertion.py
and facts.py: ``ts_sections`` -> ``ts_sentences`` -> ``ts_mentions`` -> ``ts_context`` ->
``ts_facts``.

Each is a factory with a declared config, registered here (and through the ``spacy_factories`` entry
points, so ``spacy.load`` finds them in a fresh process). Components that hold rules write them with
``to_disk`` and read them back with ``from_disk``. Extensions are registered once, here, with the
``ts_`` prefix:

- ``Doc._.ts_note`` (input, optional): the :class:`~pipeline.schema.Note` the text comes from
  (patient, note id, date); without it the facts get patient ``p``, note ``n`` and today's date.
- ``Doc._.ts_lexicon`` (input, optional): extra user concepts (``LexiconEntry``) for this text.
- ``Doc._.ts_sections`` (list of :class:`~pipeline.extract.sections.Section`).
- ``Doc._.ts_facts`` (output: list of :class:`~pipeline.schema.Fact`, the same as ``extract``).

``ts_facts`` leaves a doc that ``doc.to_bytes`` and ``nlp.pipe(n_process=N)`` can carry: it drops
the components' scratch data and medspaCy's ``doc._.context_graph`` (which holds spans); the
ConText modifiers stay on each mention (``span._.modifiers``).

Mentions go to the span group ``doc.spans["ts_targets"]`` (label = concept id), which ConText reads;
their exact character offsets (a token may be wider than the phrase: "HPV+") and user flag are in
``doc.user_data["ts_target_matches"]``, aligned with the group.
"""

import datetime as dt
import json
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy
import srsly
from spacy.attrs import IDX, IS_SPACE, LOWER, SENT_START
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from ..lexicon import LexiconEntry, read_entries, read_user_lexicon
from ..schema import Fact, Note
from .sections import Section, SectionFinder, SectionRule, default_finder, read_rules
from .sentences import sentence_starts
from .targets import Match

TARGETS = "ts_targets"
BUILTIN = "builtin"
"""Rule source meaning the rules packaged with trialsieve (``models/rules/``)."""

for _name in ("ts_note", "ts_lexicon", "ts_sections", "ts_facts"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def doc_text(doc: Doc) -> str:
    """The note text (kept by the caller: ``Doc.text`` rebuilds the string on every access)."""
    text = doc.user_data.get("ts_text")
    if text is None:
        text = doc.user_data["ts_text"] = doc.text
    return text


# Docs leave a worker of ``nlp.pipe(n_process=N)`` (and ``doc.to_bytes``) as msgpack: the records
# kept in the ts_* extensions travel as JSON objects tagged with their type.
_CODEC_TAG = "__ts_record__"


_CODEC_TYPES: dict[str, type] = {t.__name__: t for t in (Fact, Note, LexiconEntry, Section)}


@srsly.msgpack_encoders("ts_records")
def _encode_record(obj: Any, chain: Any = None) -> Any:
    name = type(obj).__name__
    if _CODEC_TYPES.get(name) is type(obj):
        # one JSON string, not nested maps: other libraries' decoders look into every map (a fact's
        # "section" key would be taken for a medspaCy section)
        data = (
            obj.model_dump_json(by_alias=True)
            if hasattr(obj, "model_dump_json")
            else json.dumps(vars(obj))
        )
        return {_CODEC_TAG: name, "json": data}
    return obj if chain is None else chain(obj)


@srsly.msgpack_decoders("ts_records")
def _decode_record(obj: Any, chain: Any = None) -> Any:
    if isinstance(obj, dict) and _CODEC_TAG in obj:
        cls: Any = _CODEC_TYPES[obj[_CODEC_TAG]]
        if hasattr(cls, "model_validate_json"):
            return cls.model_validate_json(obj["json"])
        return cls(**json.loads(obj["json"]))
    return obj if chain is None else chain(obj)


SCRATCH = ("ts_text", "ts_target_matches", "ts_user_entries", "ts_sent_tokens")
"""``doc.user_data`` keys the components pass along; ``ts_facts`` removes them when done."""


def _write_jsonl(path: Path, records: Iterable[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


# ----------------------------------------------------------------------------- sections


@Language.factory("ts_sections", default_config={"rules": BUILTIN}, assigns=["doc._.ts_sections"])
def make_sections(nlp: Language, name: str, rules: str) -> "SectionComponent":
    """Section headers. ``rules``: ``"builtin"`` or a JSONL file in the format of
    ``models/rules/sections.jsonl``."""
    return SectionComponent(None if rules == BUILTIN else read_rules(rules))


class SectionComponent:
    FILE = "sections.jsonl"

    def __init__(self, rules: list[SectionRule] | None = None) -> None:
        self._set(rules)

    def _set(self, rules: list[SectionRule] | None) -> None:
        self.rules = read_rules() if rules is None else list(rules)
        self.finder = default_finder() if rules is None else SectionFinder(self.rules)

    def __call__(self, doc: Doc) -> Doc:
        doc._.ts_sections = self.finder.find(doc_text(doc))
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        _write_jsonl(path / self.FILE, (r.model_dump(exclude_none=True) for r in self.rules))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "SectionComponent":
        self._set(read_rules(Path(path) / self.FILE))
        return self


# ----------------------------------------------------------------------------- sentences


@Language.factory("ts_sentences", requires=["doc._.ts_sections"], assigns=["token.is_sent_start"])
def make_sentences(nlp: Language, name: str) -> "SentenceComponent":
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
        sent_starts: Any = flags.reshape(-1, 1).astype("uint64")
        doc.from_array([SENT_START], sent_starts)
        token_starts = numpy.flatnonzero(flags == 1)
        doc.user_data["ts_sent_tokens"] = token_starts  # token index of each sentence start
        return doc


_SENTENCES: tuple[Any, Any, list[int], dict[int, Span]] = (None, None, [], {})
"""The last doc's sentence starts as a list and its sentences made so far (a note asks for the same
sentences once per mention, in ConText and again in the facts)."""


def sentence_of(doc: Doc, token_i: int) -> Span:
    """The sentence holding token ``token_i`` (the splitter's stored starts; Span.sent rescans)."""
    global _SENTENCES
    starts = doc.user_data.get("ts_sent_tokens")
    if starts is None:
        return doc[token_i].sent
    if _SENTENCES[0] is not doc or _SENTENCES[1] is not starts:
        _SENTENCES = (doc, starts, [int(i) for i in starts], {})
    bounds, made = _SENTENCES[2], _SENTENCES[3]
    k = bisect_right(bounds, token_i) - 1
    sent = made.get(k)
    if sent is None:
        end = bounds[k + 1] if k + 1 < len(bounds) else len(doc)
        sent = made[k] = doc[bounds[k] : end]
    return sent


# ----------------------------------------------------------------------------- mentions


@Language.factory(
    "ts_mentions",
    default_config={"user_lexicon": None, "span_group": TARGETS},
    assigns=["doc.spans"],
)
def make_mentions(
    nlp: Language, name: str, user_lexicon: str | None, span_group: str
) -> "MentionComponent":
    """Every mention ``extract`` finds: the packaged lexicon, value patterns, misspelled drugs,
    plus user concepts (``user_lexicon``: JSONL lines ``{"concept", "phrase"}``, like
    ``--lexicon``)."""
    return MentionComponent(read_user_lexicon(user_lexicon) if user_lexicon else (), span_group)


class MentionComponent:
    FILE = "user_lexicon.jsonl"

    def __init__(
        self, user_entries: Sequence[LexiconEntry] = (), span_group: str = TARGETS
    ) -> None:
        self.user_entries = tuple(user_entries)
        self.span_group = span_group
        self._last: tuple[str, tuple, list[Match]] | None = None

    def entries_for(self, doc: Doc) -> tuple[LexiconEntry, ...]:
        """The user concepts for ``doc``: this component's, then the doc's own ``ts_lexicon``."""
        extra = doc._.ts_lexicon
        return self.user_entries + tuple(extra) if extra else self.user_entries

    def find(self, text: str, extra: Sequence[LexiconEntry] = ()) -> list[Match]:
        """The mentions in ``text`` (also the prefilter: a note with none needs no tokenizing). The
        last answer is kept for the same string object, so a caller that asks first and then runs
        the pipeline over that string pays for the search once."""
        from .mentions import find_mentions, user_finder_for

        entries = self.user_entries + tuple(extra)
        if self._last is not None and self._last[0] is text and self._last[1] == entries:
            return self._last[2]
        found = find_mentions(text, user_finder_for(entries))
        self._last = (text, entries, found)
        return found

    def __call__(self, doc: Doc) -> Doc:
        entries = self.entries_for(doc)
        matches = self.find(doc_text(doc), entries[len(self.user_entries) :])
        spans, kept = [], []
        for m in matches:
            span = doc.char_span(m.start, m.end, label=m.concept, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            spans.append(span)
            kept.append(m)
        doc.spans[self.span_group] = spans
        doc.user_data["ts_target_matches"] = (
            kept  # exact char offsets and user flag, aligned with the group
        )
        doc.user_data["ts_user_entries"] = entries
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        _write_jsonl(
            path / self.FILE, (e.model_dump(mode="json", by_alias=True) for e in self.user_entries)
        )

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "MentionComponent":
        saved = Path(path) / self.FILE
        # no user concepts saves an empty file: that is an empty user lexicon, not missing package data
        self.user_entries = tuple(read_entries(saved)) if saved.read_text(encoding="utf-8").strip() else ()
        self._last = None
        return self


# ----------------------------------------------------------------------------- ConText


@Language.factory(
    "ts_context",
    default_config={"rules": BUILTIN, "span_group": TARGETS},
    requires=["token.is_sent_start"],
    assigns=["span._.modifiers", "doc._.context_graph"],
)
def make_context(nlp: Language, name: str, rules: str, span_group: str) -> "ContextComponent":
    """medspaCy ConText over the mentions. ``rules``: ``"builtin"`` or a JSONL file in the format of
    ``models/rules/context_rules.jsonl``."""
    from .assertion import default_rules, read_context_rules

    return ContextComponent(
        nlp, default_rules() if rules == BUILTIN else read_context_rules(rules), span_group
    )


class ContextComponent:
    """medspaCy's ConText algorithm (its ``ConTextRule``, ``ConTextModifier`` and ``ConTextGraph``),
    run only over sentences that hold a target (same rules, same graph logic): a note's other
    sentences cannot change any fact, and matching them is most of ConText's cost. One graph per
    sentence (a modifier's scope never leaves its sentence), so pairing modifiers with targets is
    not quadratic in the note. Literals are phrase-matched; the spacing-tolerant token patterns of
    multi-token literals (``history   of``) run only where the sentence holds whitespace tokens,
    the only place they can match something the phrase matcher does not."""

    FILE = "context_rules.jsonl"

    def __init__(
        self,
        nlp: Language,
        specs: Sequence[Any],
        span_group: str = TARGETS,
        prune_on_modifier_overlap: bool = True,
        prune_on_target_overlap: bool = False,
    ) -> None:
        from medspacy.context import ConText

        ConText.register_graph_attributes()
        ConText.register_default_attributes()
        self.nlp = nlp
        self.span_group = span_group
        self.prune_on_modifier_overlap = prune_on_modifier_overlap
        self.prune_on_target_overlap = prune_on_target_overlap
        self.max_scope: int | None = None
        self.set_rules(specs)

    def set_rules(self, specs: Sequence[Any]) -> None:
        """Replace the rules (``ContextRuleSpec`` records, validated)."""
        from .assertion import first_token_lowers, to_medspacy

        self.specs = tuple(specs)
        self.rules = to_medspacy(self.specs, self.nlp.tokenizer)
        vocab = self.nlp.vocab
        self._tokens, self._phrases, self._spacing = (
            Matcher(vocab),
            PhraseMatcher(vocab, attr="LOWER"),
            Matcher(vocab),
        )
        self.rule_map: dict[str, Any] = {}
        self._rule_of: dict[int, Any] = {}  # by the match id the matchers report (the key's hash)
        firsts = first_token_lowers([r.pattern for r in self.rules if r.pattern is not None])
        self._firsts = None if firsts is None else numpy.array([vocab.strings.add(w) for w in firsts], dtype="uint64")
        for n, rule in enumerate(self.rules):
            key = f"{rule.category}_{n}"
            self.rule_map[key] = self._rule_of[vocab.strings.add(key)] = rule
            if rule.pattern is not None:
                self._tokens.add(key, [rule.pattern])
            else:
                self._phrases.add(key, [self.nlp.tokenizer(rule.literal.lower())])
            spacing = (rule.metadata or {}).get("spacing")
            if spacing:
                self._spacing.add(key, [spacing])

    def _sentence_modifiers(self, doc: Doc, sent: Span, has_space: bool, may_tokens: bool = True) -> list:
        from medspacy.common.util import prune_overlapping_matches
        from medspacy.context import ConTextModifier

        from .assertion import sentence_scope

        # token Matcher offsets are relative to the span, PhraseMatcher offsets to the doc
        found = (
            [(i, sent.start + s, sent.start + e) for i, s, e in self._tokens(sent)]
            if len(self._tokens) and may_tokens
            else []
        )
        found += list(self._phrases(sent))
        if has_space and len(self._spacing):
            found = list(
                dict.fromkeys(
                    found + [(i, sent.start + s, sent.start + e) for i, s, e in self._spacing(sent)]
                )
            )
        if self.prune_on_modifier_overlap:
            found = prune_overlapping_matches(found)
        if self.max_scope:  # a window scope: medspaCy computes it
            return [ConTextModifier(self._rule_of[i], s, e, doc, max_scope=self.max_scope) for i, s, e in found]
        return [ConTextModifier(rule, s, e, None, *sentence_scope(rule, s, e, sent.start, sent.end))
                for rule, s, e in ((self._rule_of[i], s, e) for i, s, e in found)]

    def __call__(self, doc: Doc) -> Doc:
        from medspacy.context import ConTextGraph
        from medspacy.context.context import DEFAULT_ATTRIBUTES

        from .assertion import end_at_targets, interior_space, update_scopes

        targets = list(doc.spans[self.span_group]) if self.span_group in doc.spans else []
        by_sent: dict[int, tuple[Span, list]] = {}
        for t in targets:
            sent = sentence_of(doc, t.start)
            by_sent.setdefault(sent.start, (sent, []))[1].append(t)
        space = numpy.flatnonzero(doc.to_array(IS_SPACE)).tolist()
        # where a token pattern can start (None: anywhere); a sentence without such a word skips token matching
        lowers = None if self._firsts is None else numpy.isin(doc.to_array(LOWER), self._firsts)
        firsts = None if lowers is None else numpy.flatnonzero(lowers).tolist()
        whole = ConTextGraph(prune_on_modifier_overlap=self.prune_on_target_overlap)
        whole.targets = targets
        for sent, sent_targets in by_sent.values():
            graph = ConTextGraph(prune_on_modifier_overlap=self.prune_on_target_overlap)
            graph.targets = sent_targets
            k = 0 if firsts is None else bisect_left(firsts, sent.start)
            may = firsts is None or (k < len(firsts) and firsts[k] < sent.end)
            graph.modifiers = end_at_targets(
                doc,
                self._sentence_modifiers(doc, sent, interior_space(space, sent.start, sent.end), may),
                sent_targets,
                self.max_scope,
            )
            if not graph.modifiers:
                continue
            update_scopes(graph.modifiers, self.max_scope)
            graph.apply_modifiers()
            whole.modifiers.extend(graph.modifiers)
            whole.edges.extend(graph.edges)
        for target, modifier in whole.edges:
            target._.modifiers += (modifier,)
            for attr, value in DEFAULT_ATTRIBUTES.get(modifier.category, {}).items():
                setattr(target._, attr, value)
        doc._.context_graph = whole
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        _write_jsonl(path / self.FILE, (s.model_dump(exclude_none=True) for s in self.specs))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "ContextComponent":
        from .assertion import read_context_rules

        self.set_rules(read_context_rules(Path(path) / self.FILE))
        return self


# ----------------------------------------------------------------------------- facts


@Language.factory(
    "ts_facts",
    default_config={"span_group": TARGETS},
    requires=["doc._.ts_sections", "span._.modifiers"],
    assigns=["doc._.ts_facts"],
)
def make_facts(nlp: Language, name: str, span_group: str) -> "FactComponent":
    """Facts (values, dates, assertion, evidence offsets) from the mentions and their modifiers."""
    return FactComponent(span_group)


class FactComponent:
    def __init__(self, span_group: str = TARGETS) -> None:
        self.span_group = span_group

    def __call__(self, doc: Doc) -> Doc:
        from .facts import facts_of_doc

        doc._.ts_facts = facts_of_doc(
            doc, note_of(doc), doc.user_data.get("ts_user_entries", ()), self.span_group
        )
        for key in SCRATCH:
            doc.user_data.pop(key, None)
        # medspaCy's graph holds spans, which msgpack cannot carry; Span._.modifiers stay
        doc._.context_graph = None
        return doc


def note_of(doc: Doc) -> Note:
    """The note behind ``doc``: ``doc._.ts_note`` (its text must be the doc's), else an anonymous
    note dated today."""
    text = doc_text(doc)
    note = doc._.ts_note
    if note is None:
        return Note(patient_id="p", note_id="n", date=dt.date.today(), text=text)
    if note.text != text:
        raise ValueError(
            f"doc._.ts_note (note {note.note_id}) holds another text than the doc: "
            "make the doc from the note's text, nlp.make_doc(note.text)"
        )
    return note


def facts_of(nlp: Language, note: Note, user_entries: Sequence[LexiconEntry] = ()) -> list[Fact]:
    """``note``'s facts through ``nlp`` (with ``ts_mentions`` and ``ts_facts``), as ``nlp``
    itself gives them; a note without any mention is not tokenized at all."""
    mentions = component(nlp, "ts_mentions")
    if not mentions.find(note.text, tuple(user_entries)):
        from .note_statements import birth_dates, note_statements

        return birth_dates(note) + note_statements(
            note
        )  # what ts_facts gives for a doc without mentions
    doc = nlp.make_doc(note.text)
    doc.user_data["ts_text"] = note.text
    doc._.ts_note = note
    doc._.ts_lexicon = tuple(user_entries)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc._.ts_facts


def component(nlp: Language, factory: str) -> Any:
    """The (first) component of ``nlp`` made by ``factory``."""
    for name in nlp.pipe_names:
        if nlp.get_pipe_meta(name).factory == factory:
            return nlp.get_pipe(name)
    raise KeyError(
        f"the pipeline has no {factory!r} component (it has {nlp.pipe_names}); "
        "build it with pipeline.load()"
    )
