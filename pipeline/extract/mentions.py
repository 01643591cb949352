"""Candidate mentions in raw note text: lexicon phrases (one automaton, also the prefilter), value
patterns (ages, lesion sizes), site-named cancers, other malignancies, misspelled drug names; spans
trimmed to the concept (data: ``models/rules/span_trims.json``) and aliases merged (``SGOT (AST)``).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..lexicon import LexiconEntry, load_lexicon
from ..resources import models_path
from ..rule_schemas import AbbreviationContext, LesionTerms, OtherMalignancy, Plurals, SpanTrims, TumorSite
from ..rulefile import read_json_data, read_jsonl
from . import values as V
from .casefold import scan_pair
from .fact_values import notation_matches
from .targets import Match, PhraseFinder, covers, select_non_overlapping

PATTERN_CONCEPTS = {"age", "measurable_lesion"}
"""Concepts found by value patterns (ages, sizes) rather than by their lexicon trigger words."""
TRIGGER_ONLY = {"measuring", "measures", "growth of"}
"""Lexicon phrases that only announce a value or a verb, never a mention of their own."""
SCC_RE = re.compile(
    r"\b(?:squamous[\s-]+cell[\s-]+(?:carcinoma|cancer|ca)|squamous[\s-]+carcinoma|SCCA?|SqCC)\b", re.IGNORECASE
)
CANCER_RE = re.compile(r"\b(?:cancer|carcinoma|malignancy|tumou?r)\b", re.IGNORECASE)
"""Plain cancer words: hnscc only with a head and neck site written before them ("laryngeal cancer")."""
_COMPARATOR_BEFORE = re.compile(
    r"(?:>=|<=|≥|≤|>|<|at least|less than|greater than|more than|\bsub[\s-]*)\s*$", re.IGNORECASE
)
"""A threshold before a size ("lesions >= 10 mm", "sub-4 mm nodules"); "up to 1.5 cm" in a finding
gives the largest one's size, a measurement."""


@lru_cache(maxsize=1)
def builtin_finder() -> PhraseFinder:
    plurals = read_json_data(models_path("rules", "plurals.json"), Plurals)
    return PhraseFinder(load_lexicon().entries, frozenset(plurals["concepts_without_plural"]))


@lru_cache(maxsize=1)
def _site_patterns() -> tuple[re.Pattern, re.Pattern, dict[str, str]]:
    site_of: dict[str, str] = {}
    for site in read_jsonl(models_path("rules", "tumor_sites.jsonl"), TumorSite.model_validate):
        for p in site.phrases:
            site_of[" ".join(p.lower().split())] = site.site
    alts = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(site_of, key=len, reverse=True))
    after = re.compile(
        r"\s+(?:of|in|involving|arising\s+(?:from|in))\s+(?:the\s+)?(?:(?:left|right|bilateral|lateral|anterior|posterior|"
        r"base\s+of\s+(?:the\s+)?|l\.?|r\.?)\s+)*(?P<site>" + alts + r")\b", re.IGNORECASE)
    before = re.compile(r"\b(?P<site>" + alts + r")\s+(?:primary\s+)?$", re.IGNORECASE)
    return after, before, site_of


@lru_cache(maxsize=1)
def _lesion_re() -> re.Pattern:
    terms = read_json_data(models_path("rules", "lesion_terms.json"), LesionTerms)["terms"]
    return re.compile(
        r"\b(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")\b", re.IGNORECASE
    )


@lru_cache(maxsize=1)
def _non_lesion_re() -> re.Pattern:
    terms = read_json_data(models_path("rules", "lesion_terms.json"), LesionTerms).get("non_lesion_terms", [])
    return re.compile(r"\b(?:" + "|".join(terms) + r")", re.IGNORECASE) if terms else re.compile(r"(?!x)x")


def _describes_non_lesion(text: str, size: re.Match, s: int, e: int, lesion: re.Pattern) -> bool:
    """True when the descriptor nearest before a size in its sentence (with none before, the nearest
    after) is a non-lesion word: ``simple cyst measuring 2.3 cm``, ``specimen measuring 1.2 x 0.8
    cm``, ``subcentimetre lymph node 0.8 cm``. Lesion words inside a non-lesion phrase do not count."""
    bad = [(m.start(), m.end(), True) for m in _non_lesion_re().finditer(text, s, e)]
    if not bad:
        return False
    good = [(m.start(), m.end(), False) for m in lesion.finditer(text, s, e)
            if not any(b0 <= m.start() and m.end() <= b1 for b0, b1, _ in bad)]
    terms = bad + good
    before = [t for t in terms if t[1] <= size.start()]
    if before:
        return max(before, key=lambda t: (t[1], t[1] - t[0]))[2]
    after = [t for t in terms if t[0] >= size.end()]
    return bool(after) and min(after, key=lambda t: t[0])[2]


WINDOW_PAD = 24
"""Characters scanned either side of an anchor (a digit run; a cancer word) by the value patterns."""
_DIGITS = re.compile(r"\d+")
_CANCER_ANCHOR = re.compile(r"squamous|scc|sqcc|cancer|carcinoma|malignan|tumou?r|neoplasm", re.IGNORECASE)


def _windows(anchor: re.Pattern, text: str, pad: int) -> list[tuple[int, int]]:
    """Merged ``[start, end)`` windows around every anchor match."""
    out: list[tuple[int, int]] = []
    n = len(text)
    rx, scanned = scan_pair(anchor, text)  # spans only
    for m in rx.finditer(scanned):
        s, e = max(0, m.start() - pad), min(n, m.end() + pad)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


_DIGIT_RUNS = re.compile(rf"\d+(?:\D{{0,{2 * WINDOW_PAD}}}+\d+)*")
"""Digit runs, merged when at most two pads apart (possessive gap: no backtracking)."""


def _digit_windows(text: str, pad: int = WINDOW_PAD) -> list[tuple[int, int]]:
    """Same windows as ``_windows(_DIGITS, text, pad)``, merged by the regex engine."""
    n = len(text)
    return [(max(0, m.start() - pad), min(n, m.end() + pad)) for m in _DIGIT_RUNS.finditer(text)]


def pattern_matches(text: str) -> list[Match]:
    """Mentions found by shape: ages (``62-year-old``), lesion sizes (``3.2 x 2.1 cm``) and
    site-specific squamous cell carcinoma (``SCC of the left tonsil``)."""
    low = text.lower()
    digits = _digit_windows(text)  # ages and sizes hold digits: scan only near them
    age_rx, scanned = scan_pair(V.AGE_RE, text)  # spans and numbers only
    out = [Match(m.start("n3"), m.end("n3"), "age", False) if m.group("n3") else Match(m.start(), m.end(), "age", False)
           for s, e in digits for m in age_rx.finditer(scanned, s, e) if V.age_of(m) is not None]
    out += [
        Match(s, e, c, False) for c, s, e in V.age_sex_matches(text, digits, labels="sex" in low or "gender" in low)
    ]
    out += [Match(s, e, c, False) for c, s, e in notation_matches(text)]
    lesion = _lesion_re()
    sizes = [m for s, e in digits for m in V.SIZE_RE.finditer(text, s, e)] if ("cm" in text or "mm" in text) else ()
    for m in sizes:
        if _COMPARATOR_BEFORE.search(text, max(0, m.start() - 15), m.start()):
            continue  # a threshold ("lesions >= 10 mm"), not a measurement
        # same sentence (rough: no period-space between) must name a lesion
        s = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        e_candidates = [i for i in (text.find(". ", m.end()), text.find("\n", m.end())) if i != -1]
        e = min(e_candidates) if e_candidates else len(text)
        if lesion.search(text, s, e) and not _describes_non_lesion(text, m, s, e, lesion):
            out.append(Match(m.start(), m.end(), "measurable_lesion", False))
    cancer = _windows(_CANCER_ANCHOR, text, WINDOW_PAD)
    if not cancer:
        return out
    after, before, site_of = _site_patterns()
    for ws, we in cancer:
        for m in SCC_RE.finditer(text, ws, we):
            a = after.match(text, m.end(), min(len(text), m.end() + 60))
            b = before.search(text, max(0, m.start() - 40), m.start())
            hit = a or b
            if hit:
                start, end = (m.start(), a.end()) if a else (hit.start(), m.end())
                out.append(Match(start, end, "hnscc", False))
        for m in CANCER_RE.finditer(text, ws, we):
            b = before.search(text, max(0, m.start() - 40), m.start())
            if b:
                out.append(Match(b.start(), m.end(), "hnscc", False))
    named, generic, nouns = _other_malignancy_res()
    organ_concepts = _organ_concepts()
    found_nouns = [n for ws, we in cancer for n in nouns.finditer(text, ws, we)]
    for n in found_nouns:  # anchor on the few cancer nouns, then look back for an organ
        lo = max(0, n.start() - 40)
        nm = named.search(text, lo, n.end())
        if nm and nm.end() == n.end():
            organ = " ".join(nm.group("organ").lower().split())
            out.append(Match(nm.start(), nm.end(), organ_concepts.get(organ, "other_malignancy"), False))
        g = generic.search(text, lo, n.end())
        if g and g.end() == n.end():
            out.append(Match(g.start("m"), g.end("m"), "other_malignancy", False))
    return out


@lru_cache(maxsize=1)
def _other_malignancy_data() -> dict:
    return read_json_data(models_path("rules", "other_malignancy.json"), OtherMalignancy)


@lru_cache(maxsize=1)
def _organ_concepts() -> dict[str, str]:
    """Organ word -> its cancer's concept (``other_malignancy.json`` ``organ_concepts``)."""
    return {" ".join(k.lower().split()): v for k, v in _other_malignancy_data()["organ_concepts"].items()}


@lru_cache(maxsize=1)
def _other_malignancy_res() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    data = _other_malignancy_data()

    def alt(words):
        return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))

    between = r"(?:\s+(?:" + alt(data["modifiers"]) + r"))*" if data["modifiers"] else ""
    named = re.compile(r"\b(?P<organ>" + alt(data["organs"]) + r")" + between + r"\s+(?:" + alt(data["nouns"]) + r")\b",
                       re.IGNORECASE)
    generic = re.compile(
        r"\b(?:" + alt(data["generic_prefixes"]) + r")\s+(?P<m>cancers?|malignanc(?:y|ies))\b", re.IGNORECASE
    )
    nouns = re.compile(r"(?:" + alt(data["nouns"]) + r")\b", re.IGNORECASE)
    return named, generic, nouns


@lru_cache(maxsize=1)
def _abbreviation_rules() -> dict[tuple[str, str], dict]:
    """(text, concept) -> compiled context rule, from ``models/rules/abbreviation_context.json``."""
    path = models_path("rules", "abbreviation_context.json")
    out = {}
    for rule in read_json_data(path, AbbreviationContext)["abbreviations"]:
        out[(rule["text"], rule["concept"])] = {
            "window": int(rule["window"]), "drug_nearby": bool(rule.get("drug_nearby")),
            "require": re.compile("|".join(rule["require"]), re.IGNORECASE) if rule["require"] else None,
            "reject": re.compile("|".join(rule["reject"]), re.IGNORECASE) if rule["reject"] else None,
            "reject_after": re.compile(rule["reject_after"], re.IGNORECASE) if rule.get("reject_after") else None,
            "scope": rule.get("scope", "notes"),
        }
    return out


def _abbreviation_ok(text: str, m: Match, rule: dict, drugs: list[Match]) -> bool:
    """An ambiguous abbreviation is not the start of another term, has no word of another sense nearby
    and (when the rule asks for one) a supporting word or a drug."""
    if rule["reject_after"] is not None and rule["reject_after"].match(text, m.end):
        return False
    if rule["require"] is None and not rule["drug_nearby"]:
        return rule["reject"] is None or not rule["reject"].search(
            text, max(0, m.start - rule["window"]), m.end + rule["window"]
        )
    line_start = text.rfind("\n", 0, m.start) + 1
    line_end = text.find("\n", m.end)
    lo = max(line_start, m.start - rule["window"])
    hi = min(len(text) if line_end == -1 else line_end, m.end + rule["window"])
    if rule["reject"] is not None and rule["reject"].search(text, lo, hi):
        return False
    if rule["drug_nearby"] and any(lo <= d.start and d.end <= hi for d in drugs):
        return True
    return rule["require"] is not None and (
        bool(rule["require"].search(text, lo, m.start)) or bool(rule["require"].search(text, m.end, hi))
    )


def _disambiguate(text: str, cands: list[Match]) -> list[Match]:
    rules = _abbreviation_rules()
    hits = [m for m in cands if (r := rules.get((text[m.start:m.end], m.concept))) is not None
            and r["scope"] != "listings"]
    if not hits:
        return cands
    lex = load_lexicon()
    drugs = [d for d in cands if (e := lex.get(d.concept)) is not None and e.kind in ("drug", "drug_class")]
    drop = {id(m) for m in hits if not _abbreviation_ok(text, m, rules[(text[m.start:m.end], m.concept)], drugs)}
    return [m for m in cands if id(m) not in drop]


@lru_cache(maxsize=1)
def _lab_abbreviations() -> tuple[re.Pattern | None, dict[str, str]]:
    """Lab abbreviations of 3+ letters that the lexicon writes in capitals (``PLT``, ``HGB``, ``ANC``):
    matched in any case, but only when a value follows (``plt 150``, ``hgb: 12.1``, a table row)."""
    concepts: dict[str, str] = {}
    for e in load_lexicon().entries:
        if e.kind != "lab":
            continue
        for ph in e.phrases:
            if re.fullmatch(r"[A-Za-z]{3,6}", ph) and any(c.isupper() for c in ph):
                concepts.setdefault(ph.lower(), e.concept)
    if not concepts:
        return None, {}
    alts = "|".join(sorted((re.escape(k) for k in concepts), key=len, reverse=True))
    rx = re.compile(r"(?<![A-Za-z0-9])(?P<a>" + alts + r")(?=[ \t]*[:=]?[ \t]*(?:[<>≤≥]=?[ \t]*)?\d)", re.IGNORECASE)
    return rx, concepts


def lab_abbreviation_matches(text: str) -> list[Match]:
    rx, concepts = _lab_abbreviations()
    if rx is None:
        return []
    rx, scanned = scan_pair(rx, text)  # the concept is looked up by the lower-cased abbreviation either way
    return [Match(m.start(), m.end(), concepts[m.group("a").lower()], False) for m in rx.finditer(scanned)]


@lru_cache(maxsize=1)
def _drug_for_re() -> re.Pattern:
    from .note_rules import rules as note_rules

    return re.compile(note_rules().drug_for_pattern, re.IGNORECASE)


@lru_cache(maxsize=1)
def _device_drug_re() -> re.Pattern:
    from .note_rules import rules as note_rules

    return re.compile(note_rules().device_drug_pattern, re.IGNORECASE)


def _drug_purpose(text: str, m: Match) -> bool:
    """A condition named as what a drug is for ('never took any osteoporosis medication'), or a drug named as what a
    device carries ('sirolimus-eluting stent', ``device_drug_pattern``): neither is a fact of its own."""
    entry = load_lexicon().get(m.concept)
    if entry is not None and entry.kind in ("drug", "drug_class"):
        return _device_drug_re().match(text, m.end, min(len(text), m.end + 30)) is not None
    return (entry is not None and entry.kind == "condition"
            and _drug_for_re().match(text, m.end, min(len(text), m.end + 20)) is not None)


def find_mentions(text: str, user_finder: PhraseFinder | None = None) -> list[Match]:
    cands = [m for m in builtin_finder().find(text)
             if m.concept != "age" and " ".join(text[m.start:m.end].lower().split()) not in TRIGGER_ONLY]
    cands += [m for m in lab_abbreviation_matches(text) if not covers(cands, m.start, m.end)]  # cands: disjoint, sorted
    cands = [m for m in _disambiguate(text, cands) if not _drug_purpose(text, m)]
    cands += pattern_matches(text)
    cands += fuzzy_drug_matches(text)
    if user_finder is not None:
        cands += user_finder.find(text)
    return merge_aliases(text, [_trim(text, m) for m in select_non_overlapping(cands)])


@lru_cache(maxsize=1)
def _trim_res() -> dict[str, re.Pattern]:
    data = read_json_data(models_path("rules", "span_trims.json"), SpanTrims)
    return {
        k: re.compile(
            r"\s+(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(v, key=len, reverse=True)) + r")$",
            re.IGNORECASE,
        )
        for k, v in data.items()
    }


def _trim(text: str, m: Match) -> Match:
    """Drop method/criterion words from the end of a mention (``p16 IHC`` -> ``p16``)."""
    if m.user:
        return m
    rx = _trim_res().get(m.concept)
    if rx is None:
        entry = load_lexicon().get(m.concept)
        rx = _trim_res().get(entry.kind) if entry is not None else None
    if rx is None:
        return m
    t = rx.search(text, m.start, m.end)
    if t is None or t.start() <= m.start:
        return m
    return Match(m.start, t.start(), m.concept, m.user)


_WORD7 = re.compile(r"\b[A-Za-z]{7,}\b")


@lru_cache(maxsize=1)
def _drug_names() -> dict[str, list[tuple[str, str]]]:
    """Single-word drug names (7+ letters) by their first two letters, for misspelling tolerance."""
    out: dict[str, list[tuple[str, str]]] = {}
    for e in load_lexicon().entries:
        if e.kind != "drug":
            continue
        for p in e.phrases:
            w = p.lower()
            if w.isalpha() and len(w) >= 7:
                out.setdefault(w[:2], []).append((w, e.concept))
    return out


@lru_cache(maxsize=65536)
def _misspelled_drug(w: str) -> str | None:
    """The drug concept a lower-case word misspells (one edit away, two for 10+ letters), if any."""
    from rapidfuzz.distance import Levenshtein

    for name, concept in _drug_names().get(w[:2], ()):
        if name == w:
            return None
        limit = 2 if len(name) >= 10 else 1
        if abs(len(name) - len(w)) <= limit and Levenshtein.distance(w, name, score_cutoff=limit) <= limit:
            return concept
    return None


def fuzzy_drug_matches(text: str) -> list[Match]:
    """Misspelled drug names (``pembrolizumb``, ``cisplatn``): one edit away (two for 10+ letters)."""
    out = []
    for m in _WORD7.finditer(text):
        concept = _misspelled_drug(m.group(0).lower())
        if concept is not None:
            out.append(Match(m.start(), m.end(), concept, False))
    return out


_ALIAS_GAP = re.compile(r"[ \t]*\(?[ \t]*$")
_RESULT_THEN_ALIAS = re.compile(
    r"[ \t:]*(?:negative|positive|neg|pos|non-?reactive|reactive|NR|R|not\s+detected|detected|"
    r"undetectable|\(?[+-]\)?)[ \t]*\([ \t]*",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _drug_concepts() -> frozenset[str]:
    return frozenset(e.concept for e in load_lexicon().entries if e.kind in ("drug", "drug_class"))


def merge_aliases(text: str, matches: list[Match]) -> list[Match]:
    """One mention for a name and its alias: ``SGOT (AST)``, ``Syphilis antibody (TPPA)``,
    ``syphilis TP-Ab`` (same concept, separated only by space or an opening parenthesis)."""
    out: list[Match] = []
    for m in matches:
        prev = out[-1] if out else None
        if (prev is not None and prev.concept == m.concept and prev.user == m.user and m.concept not in _drug_concepts()
                and _ALIAS_GAP.fullmatch(text[prev.end:m.start])):
            end = m.end + 1 if "(" in text[prev.end:m.start] and text.startswith(")", m.end) else m.end
            out[-1] = Match(prev.start, end, prev.concept, prev.user)
            continue
        if (prev is not None and prev.concept == m.concept and prev.user == m.user and m.concept not in _drug_concepts()
                and _RESULT_THEN_ALIAS.fullmatch(text[prev.end:m.start])):
            continue  # "syphilis neg (TP-Ab)": the bracket names the test just reported
        out.append(m)
    return out


_USER_FINDERS: dict[tuple, PhraseFinder] = {}


def user_finder_for(entries: Sequence[LexiconEntry]) -> PhraseFinder | None:
    if not entries:
        return None
    key = tuple((e.concept, e.phrases) for e in entries)
    f = _USER_FINDERS.get(key)
    if f is None:
        if len(_USER_FINDERS) > 64:
            _USER_FINDERS.clear()
        f = _USER_FINDERS[key] = PhraseFinder([e.model_copy(update={"user": True}) for e in entries])
    return f


def listing_word_ok(text: str, start: int, end: int, concept: str,
                    drugs: Sequence[tuple[int, int]] = ()) -> bool:
    """A listing's word passes the context rules whose ``scope`` takes listings (``drugs``: the spans of the
    listing's drug names, for rules that ask a drug nearby)."""
    rule = _abbreviation_rules().get((text[start:end], concept))
    if rule is None or rule["scope"] == "notes":
        return True
    return _abbreviation_ok(text, Match(start, end, concept, False), rule, [Match(s, e, "", False) for s, e in drugs])
