"""Find lexicon concepts in criteria text: exact phrases (longest first), abbreviations the listing defines,
elliptical coordination ("hepatitis B or C") and spelling variants (rapidfuzz, named threshold)."""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple, Optional

from rapidfuzz import fuzz, process

from ..lexicon import Lexicon, load_lexicon
from .listing import rules
from .mentions import listing_word_ok


@dataclass
class Mention:
    concept: str
    start: int
    end: int
    open_vocab: bool = False
    kind: str = "condition"
    attributes: dict[str, str] = field(default_factory=dict)


def _case_sensitive(phrase: str) -> bool:
    """Short abbreviations (PS, MI, Cr, EPO) match only as written; longer phrases ignore case."""
    core = re.sub(r"[^A-Za-z]", "", phrase)
    if core == core.lower():
        return False
    return len(phrase) <= 4 or (len(core) <= 5 and core.isupper())


def _phrase_pattern(phrases: list[str]) -> str:
    parts = []
    for p in sorted(set(phrases), key=lambda x: (-len(x), x)):
        toks = [t for t in re.split(r"([\s\-]+)", p)]
        esc = "".join(
            (r"[\s\-]*" if "-" in t else r"[\s\-]+") if re.fullmatch(r"[\s\-]+", t) else re.escape(t) for t in toks
        )
        if re.search(r"[a-z]{3}[^aeiou]y$", p):  # "malignancy" / "malignancies"
            parts.append(esc[:-1] + r"(?:y|ies)")
            continue
        parts.append(esc + r"(?:e?s)?")
    return r"(?<![\w\-])(?:" + "|".join(parts) + r")(?![\w])"


class ConceptMatcher:
    """Compiled once per lexicon; ``find`` returns non-overlapping mentions, longest first."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.phrase_to_concept: dict[str, str] = {}
        ci: list[str] = []
        cs: list[str] = []
        for entry in lexicon.by_concept.values():
            for p in entry.phrases:
                key = p.lower()
                self.phrase_to_concept.setdefault(key, entry.concept)
                (cs if _case_sensitive(p) else ci).append(p)
        self.cs_phrases = {p: self.phrase_to_concept[p.lower()] for p in cs}
        self.rx_ci = re.compile(_phrase_pattern(ci), re.I)
        self.rx_cs = re.compile(_phrase_pattern(cs))
        negatable = [w for w in rules()["non_prefix_negates"] if w.lower() in self.phrase_to_concept]
        # "non-pregnant": the prefix negates the word after it (attach.py); listed states only
        self.rx_non = re.compile(r"(?<=\bnon-)(?:" + "|".join(map(re.escape, negatable)) + r")(?![\w])", re.I) \
            if negatable else None
        th = rules()["thresholds"]
        self.fuzzy_min = th["fuzzy_min_score"]
        self.fuzzy_chars = th["fuzzy_min_chars"]
        self.fuzzy_ngram = th["fuzzy_max_ngram"]
        self.fuzzy_choices = [p for p in self.phrase_to_concept if len(p) >= self.fuzzy_chars]
        self.fuzzy_stops = frozenset(w.lower() for w in rules()["open_vocab_stops"])
        self._fuzzy_cache: dict[str, tuple[str, float, int] | None] = {}

    def concept_of(self, phrase: str) -> Optional[str]:
        key = " ".join(phrase.lower().replace("-", " ").split())
        hit = self.phrase_to_concept.get(phrase.lower()) or self.phrase_to_concept.get(key)
        if hit is None and key.endswith("s"):
            hit = self.phrase_to_concept.get(key[:-1])
        if hit is None:
            m = self.rx_ci.fullmatch(phrase)
            if m:
                hit = self._lookup(m.group(0))
        return hit

    def _lookup(self, surface: str) -> Optional[str]:
        low = surface.lower()
        for cand in (low, re.sub(r"[\s\-]+", " ", low), re.sub(r"[\s\-]+", "-", low), re.sub(r"[\s\-]+", "", low)):
            for c2 in (cand, re.sub(r"s$", "", cand), re.sub(r"es$", "", cand), re.sub(r"ies$", "y", cand)):
                if c2 in self.phrase_to_concept and (c2 == cand or self._pluralisable(self.phrase_to_concept[c2])):
                    return self.phrase_to_concept[c2]
        for p, c in self.cs_phrases.items():
            if re.fullmatch(re.escape(p) + r"(?:e?s)?", surface):
                return c
        norm = re.sub(r"[\s\-]+", "", low)
        for p, c in self.phrase_to_concept.items():
            q = re.sub(r"[\s\-]+", "", p)
            if q == norm or (q in (re.sub(r"s$", "", norm), re.sub(r"es$", "", norm)) and self._pluralisable(c)):
                return c
        return None

    def _pluralisable(self, concept: str) -> bool:
        """A plural names a condition, drug, lab...; demographic attributes ("males", "females") are read by
        the demographic patterns, which know their negation and alternatives."""
        return self.kind_of(concept) != "attribute"

    def kind_of(self, concept: str) -> str:
        e = self.lexicon.get(concept)
        return e.kind if e else "condition"

    def find(self, text: str, start: int, end: int, extra: Optional[dict[str, str]] = None,
             extra_rx: Optional[re.Pattern[str]] = None) -> list[Mention]:
        """Mentions in text[start:end] (absolute offsets). A short form in brackets inside a phrase ("central
        nervous system (CNS) metastases") is read through as well: the phrase it interrupts may be a lexicon one."""
        cands = self._candidates(text, start, end, extra, extra_rx)
        masked = _mask_bracketed_short_forms(text, start, end)
        if masked != text:
            holes = [(m.start(), m.end()) for m in _BRACKETED_SHORT_FORM.finditer(text, start, end)]
            cands += [t for t in self._candidates(masked, start, end, extra, extra_rx)
                      if any(t[0] < hs and he < t[1] for hs, he in holes)]
        cands.sort(key=lambda t: (-(t[1] - t[0]), t[0]))
        taken: list[tuple[int, int, str]] = []
        for s, e, c in cands:
            if all(e <= ts or s >= te for ts, te, _ in taken):
                taken.append((s, e, c))
        taken.sort()
        out = [Mention(c, s, e, kind=self.kind_of(c), open_vocab=c not in self.lexicon) for s, e, c in taken]
        out = self._sited(masked, out, start, end)
        out = self._ellipsis(text, out, start, end)
        out = self._fuzzy(text, out, start, end)
        return sorted(out, key=lambda m: m.start)

    def _candidates(self, text: str, start: int, end: int, extra: Optional[dict[str, str]],
                    extra_rx: Optional[re.Pattern[str]]) -> list[tuple[int, int, str]]:
        """Every lexicon phrase (and listing-defined short form) in text[start:end], overlapping ones included."""
        cands: list[tuple[int, int, str]] = []
        for rx in (self.rx_ci, self.rx_cs):
            for m in rx.finditer(text, start, end):
                c = self._lookup(m.group(0))
                if c:
                    cands.append((m.start(), m.end(), c))
        if self.rx_non is not None:
            cands += [(m.start(), m.end(), self.phrase_to_concept[m.group(0).lower()])
                      for m in self.rx_non.finditer(text, start, end)]
        if extra and extra_rx is not None:
            for m in extra_rx.finditer(text, start, end):
                c = extra.get(m.group(0))
                if c:
                    cands.append((m.start(), m.end(), c))
        cands += self._inverted(text, start, end)
        drugs = [(s, e) for s, e, c in cands if self.kind_of(c) in ("drug", "drug_class")]
        return [t for t in cands if listing_word_ok(text, *t, drugs)]

    def _inverted(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """A lexicon phrase written head first with 'of' ('abuse of alcohol', 'attempt of suicide', 'cirrhosis of
        the liver'): the words after 'of', then the head, name the concept; the longest such reading wins."""
        out = []
        for m in _HEAD_OF.finditer(text, start, end):
            if m.group("head").lower() in _not_heads():  # "history of psychiatric illness", "evidence of ..."
                continue
            words = list(re.finditer(r"[A-Za-z][\w\-]*", m.group("mod")))
            for k in range(len(words), 0, -1):
                if _adjective().search(words[k - 1].group(0)):
                    continue  # "impairment of renal [function]": the phrase goes on
                c = self.concept_of(" ".join([w.group(0) for w in words[:k]] + [m.group("head")]))
                if c:
                    out.append((m.start(), m.start("mod") + words[k - 1].end(), c))
                    break
        return out

    def _sited(self, text: str, mentions: list[Mention], start: int, end: int) -> list[Mention]:
        """"CNS metastases", "metastases to the brain", "liver mets": a metastasis concept with its site is
        that site's concept (rules: ``metastasis_sites``), never any metastasis."""
        sp = _site_patterns()
        rx_left, rx_right, sites, site_concepts, concepts = sp.left, sp.right, sp.sites, sp.site_concepts, sp.concepts
        out = list(mentions)
        for m in mentions:
            if m.concept not in concepts:
                continue
            left = rx_left.search(text, max(start, m.start - 40), m.start)
            right = rx_right.match(text, m.end, end)
            hit = left if left and left.end() == m.start else right
            if hit is None:
                continue
            site_text = hit.group("site")
            site = next((name for name, rx in sites if rx.fullmatch(site_text)), None)
            if site is None:
                continue
            s0, e0 = (hit.start("site"), m.end) if hit is left else (m.start, hit.end())
            concept = site_concepts.get(site)
            attrs = dict(m.attributes)
            if concept is None or concept not in self.lexicon:
                concept = m.concept
                attrs["site"] = site
            out = [o for o in out if o is not m and not (o.start < e0 and s0 < o.end)]
            out.append(Mention(concept, s0, e0, kind=self.kind_of(concept), attributes=attrs))
        return sorted(out, key=lambda x: x.start)

    def _ellipsis(self, text: str, mentions: list[Mention], start: int, end: int) -> list[Mention]:
        """"hepatitis B or C" -> hepatitis_c on "C"; "pleural or ascites fluid" -> pleural_effusion on "pleural"."""
        out = list(mentions)
        for m in mentions:
            surface = text[m.start:m.end]
            words = surface.split()
            tail = re.match(r"\s*(?:,|or|and|and/or|/)\s*([A-Za-z0-9]{1,3})\b", text[m.end:end])
            if tail and len(words) >= 2:
                cand = " ".join(words[:-1] + [tail.group(1)])
                c = self.concept_of(cand)
                if c and c != m.concept:
                    s = m.end + tail.start(1)
                    out.append(Mention(c, s, s + len(tail.group(1)), kind=self.kind_of(c)))
            head = re.search(r"\b([A-Za-z]{3,})\s+(?:or|and|/)\s*$", text[start:m.start])
            nxt = re.match(r"\s+([A-Za-z]{3,})", text[m.end:end])
            if head:
                s = start + head.start(1)
                for parts in ([head.group(1)] + words[1:], [head.group(1), nxt.group(1)] if nxt else None):
                    if not parts:
                        continue
                    c = self.concept_of(" ".join(parts))
                    if c and all(not (o.start <= s < o.end) for o in out):
                        out.append(Mention(c, s, s + len(head.group(1)), kind=self.kind_of(c)))
                        break
        return out

    def _fuzzy(self, text: str, mentions: list[Mention], start: int, end: int) -> list[Mention]:
        """Spelling variants of lexicon phrases in the words no exact match covers."""
        covered = [(m.start, m.end) for m in mentions]
        words = [w for w in re.finditer(r"[A-Za-z][A-Za-z\-]+", text[start:end])]
        out = list(mentions)
        used: list[tuple[int, int]] = []
        for n in range(self.fuzzy_ngram, 0, -1):
            for i in range(len(words) - n + 1):
                s, e = start + words[i].start(), start + words[i + n - 1].end()
                if e - s < self.fuzzy_chars or any(s < ce and e > cs for cs, ce in covered + used):
                    continue
                if {words[i].group(0).lower(), words[i + n - 1].group(0).lower()} & self.fuzzy_stops:
                    continue  # "defined as score" is no spelling of "ASA score": a variant starts and ends on a name
                q = text[s:e].lower()
                if q not in self._fuzzy_cache:
                    self._fuzzy_cache[q] = process.extractOne(
                        q, self.fuzzy_choices, scorer=fuzz.ratio, score_cutoff=self.fuzzy_min)
                hit = self._fuzzy_cache[q]
                if hit and listing_word_ok(text, s, e, self.phrase_to_concept[hit[0]]):
                    c = self.phrase_to_concept[hit[0]]
                    out.append(Mention(c, s, e, kind=self.kind_of(c), attributes={"fuzzy": hit[0]}))
                    used.append((s, e))
        return out


@lru_cache(maxsize=1)
def _not_heads() -> frozenset[str]:
    """Words before 'of' that lead into a criterion's item rather than name it: the listing rules' lead-ins,
    fillers, modifiers, mention heads and history words ('history of', 'evidence of', 'level of')."""
    r = rules()
    words = [*r["lead_ins"], *r["fillers"], *r["modifiers"], *r["mention_heads"], *r["temporal_words"]["history"]]
    first = {w.split()[0].lower() for w in words if w.split()}
    return frozenset(f for w in first for f in ((w[:-2], w[:-1]) if w.endswith("s?") else (w,)))  # "patients?"


@lru_cache(maxsize=1)
def _adjective() -> re.Pattern[str]:
    return re.compile(rules().get("inverted_adjective_pattern") or r"(?!x)x", re.IGNORECASE)


_HEAD_OF = re.compile(r"\b(?P<head>[A-Za-z][\w\-]+)\s+of\s+(?:the\s+)?"
                      r"(?P<mod>[A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*){0,2})", re.IGNORECASE)
"""A head noun, 'of', and up to three words after it: 'abuse of alcohol', 'infection of the urinary tract'."""

_BRACKETED_SHORT_FORM = re.compile(r"(?<=\w)\s*\((?=[A-Za-z0-9\-]*[A-Z])[A-Za-z][A-Za-z0-9\-]{0,9}\)(?=\s+\w)")
"""A short form in brackets between two words: "central nervous system (CNS) metastases"."""


def _mask_bracketed_short_forms(text: str, start: int, end: int) -> str:
    """The text with each bracketed short form inside a phrase blanked out, offsets unchanged."""
    if "(" not in text[start:end]:
        return text
    return text[:start] + _BRACKETED_SHORT_FORM.sub(lambda m: " " * len(m.group(0)), text[start:end]) + text[end:]


class SitePatterns(NamedTuple):
    """The metastasis-site rules compiled once: listing side (adjacent site) and note side (clause search)."""

    left: re.Pattern[str]
    right: re.Pattern[str]
    sites: list[tuple[str, re.Pattern[str]]]
    site_concepts: dict[str, str]
    concepts: set[str]
    words: re.Pattern[str]
    clause_cut: re.Pattern[str]


@lru_cache(maxsize=1)
def _site_patterns() -> SitePatterns:
    r = rules()["metastasis_sites"]
    site_alt = "|".join(f"(?:{p})" for p in r["sites"].values())
    return SitePatterns(
        left=re.compile(rf"\b(?P<site>{site_alt})(?:\s+|-)$", re.I),
        right=re.compile(rf"\s+(?:to|in|of|involving|within)\s+(?:the\s+)?(?P<site>{site_alt})\b", re.I),
        sites=[(name, re.compile(p, re.I)) for name, p in r["sites"].items()],
        site_concepts=dict(r["site_concepts"]),
        concepts=set(r["concepts"]),
        words=re.compile(rf"\b(?:{site_alt})\b", re.I),
        clause_cut=re.compile(r["note_clause_cut"], re.I),
    )


def metastasis_site_in_note(concept: str, text: str, start: int, end: int, lo: int) -> str | None:
    """The site of a note's metastasis mention ("no bone mets", "mets to the brain"): the site next to it, or
    the nearest site word earlier in its clause (from ``lo``, the sentence start); None when there is none
    (rules: ``metastasis_sites``)."""
    sp = _site_patterns()
    if concept not in sp.concepts:
        return None
    right = sp.right.match(text, end, min(len(text), end + 30))
    clause_start = max((m.end() for m in sp.clause_cut.finditer(text, lo, start)), default=lo)
    found = list(sp.words.finditer(text, clause_start, start))
    site_text = right.group("site") if right else (found[-1].group(0) if found else None)
    if site_text is None:
        return None
    return next((name for name, rx in sp.sites if rx.fullmatch(site_text)), None)


def site_concept_in_note(concept: str, text: str, start: int, end: int, lo: int) -> str | None:
    """A note's metastasis mention whose site has a concept of its own ("MRI brain 7/3: no mets", "mets to the
    brain" -> ``brain_metastases``); None when its site has none, or it has no site."""
    site = metastasis_site_in_note(concept, text, start, end, lo)
    return _site_patterns().site_concepts.get(site) if site else None


@lru_cache(maxsize=1)
def default_matcher() -> ConceptMatcher:
    return ConceptMatcher(load_lexicon())


@lru_cache(maxsize=1)
def _abbreviation_nlp():
    import spacy
    from scispacy.abbreviation import AbbreviationDetector  # noqa: F401  (registers the factory)

    nlp = spacy.blank("en")
    nlp.add_pipe("abbreviation_detector")
    return nlp


_ABBREVIATION = re.compile(r"(?=[^\s]*[A-Z0-9])[A-Za-z0-9][\w\-/&+.]{1,11}")


def listing_abbreviations(text: str, matcher: ConceptMatcher) -> dict[str, str]:
    """Short forms the listing defines ("head and neck squamous cell carcinoma (HNSCC)") -> concept id.

    Only short forms not already in the lexicon are returned; a long form outside the lexicon gives an
    open-vocabulary concept (its normalised text).
    """
    if "(" not in text:
        return {}
    nlp = _abbreviation_nlp()  # built first: importing spaCy installs its own warning filters
    from .listing import detector_pieces

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*W036.*")  # the detector's global matcher is empty by design
        found = [a for doc in nlp.pipe(detector_pieces(text)) for a in doc._.abbreviations]  # bounded pairing
    out: dict[str, str] = {}
    for abrv in found:
        short = abrv.text
        if short in out or matcher.concept_of(short) or len(short) < 2 or not _ABBREVIATION.fullmatch(short):
            continue  # "(except Gilbert's disease ...)" defines no short form "disease"
        long_form = abrv._.long_form.text
        if re.search(r"\b(?:upper|lower)\s+limits?\b|\bnormal\b", long_form, re.I):
            continue  # ULN/LLN are value references, not concepts
        c = matcher.concept_of(long_form)
        if c is None:
            found = matcher.find(long_form, 0, len(long_form))
            c = found[-1].concept if found and found[-1].end == len(long_form) else None
        out[short] = c or normalise_phrase(long_form)
    return out


def normalise_phrase(text: str) -> str:
    """The open-vocabulary concept id of a phrase: lower case, single spaces, no edge punctuation."""
    return " ".join(re.sub(r"[^\w\s\-/+%']", " ", text.lower()).split()).strip(" -/")
