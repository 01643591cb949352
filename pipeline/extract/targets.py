"""Find lexicon phrases in raw text with one compiled trie-shaped regular expression.

The same automaton is the prefilter (a note with no match skips the spaCy pipeline) and the
target matcher. Phrases match case-insensitively and tolerant of spacing (``HIV  Ab``, ``anti PD-1``
== ``anti-PD-1``), except short acronyms (``MI``, ``PE``, ``Cr``, ``Hb``), which match as written or
in capitals only, so that ``pe`` or ``cr`` in running text are not findings. User entries are always
case-insensitive and win over built-in phrases on overlap.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..lexicon import LexiconEntry
from .casefold import scan_pair

SHORT_ACRONYM_MAX = 3
"""Phrases up to this length that contain a capital letter match case-sensitively (``MI``, ``Cr``),
as do camel-case abbreviations (``eGFR``, ``irAE``) whose capitals carry meaning."""

_SEP_CHARS = " -_/"


def phrase_key(text: str) -> str:
    """Normalised lookup key: lower case, spaces/hyphens/underscores removed."""
    return "".join(c for c in text.lower() if c not in " \t\r\n-_/\u00a0")


_NOT_NOUN = re.compile(r"(?:s|ic|al|ous|ive|ed|ing|ary|ory|ar|ent|ant|ble|ful|less|like|oid)$")


def plural_variant(phrase: str) -> str | None:
    """The plural of a phrase's last word when it is a regular noun of 4+ letters (``malignancy`` ->
    ``malignancies``, ``metastasis`` -> ``metastases``, ``stroke`` -> ``strokes``), so that a listing's
    "Malignancies" or a note's "prior strokes" find the concept; adjectives and words already ending in
    s are left alone."""
    m = re.search(r"([A-Za-z]{4,})$", phrase.strip())
    if m is None or not m.group(1).islower():
        return None
    w = m.group(1)
    if w.endswith("sis"):
        plural = w[:-3] + "ses"
    elif _NOT_NOUN.search(w):
        return None
    elif re.search(r"[^aeiou]y$", w):
        plural = w[:-1] + "ies"
    elif re.search(r"(?:x|ch|sh)$", w):
        plural = w + "es"
    else:
        plural = w + "s"
    return phrase.strip()[: m.start(1)] + plural


def _is_case_sensitive(phrase: str, user: bool) -> bool:
    if user:
        return False
    compact = phrase.replace(" ", "")
    if " " not in phrase.strip() and len(compact) <= 6 and re.match(r"^[a-z]+[A-Z]", compact):
        return True
    return len(compact) <= SHORT_ACRONYM_MAX and any(c.isupper() for c in compact)


def _trie_regex(keys: Iterable[str]) -> str:
    """A regex matching exactly the given normalised keys, written as a trie; separators between
    characters are optional whitespace/hyphens where the original phrase had them."""
    trie: dict = {}
    for k in keys:
        node = trie
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        alts = []
        end = "" in node
        # a separator last: "fev1" before "fev 1", so "FEV1/FVC" is not cut short at "FEV1" (alternatives are tried in
        # order, and a shorter one that matches wins)
        for ch in sorted((k for k in node if k), key=lambda k: (k == "\x00", k)):
            sub = emit(node[ch])
            if ch == "\x00":  # separator marker
                alts.append(r"[\s\-_/\u00a0]*" + sub)
            else:
                alts.append(re.escape(ch) + sub)
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return emit(trie)


def _pattern_key(phrase: str) -> str:
    """Key with a separator marker where the phrase has spaces/hyphens (marker = NUL)."""
    out: list[str] = []
    prev_sep = False
    for c in phrase.strip():
        if c in _SEP_CHARS or c.isspace():
            if not prev_sep and out:
                out.append("\x00")
            prev_sep = True
        else:
            out.append(c)
            prev_sep = False
    return "".join(out).rstrip("\x00")


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    concept: str
    user: bool


class PhraseFinder:
    """Compiled phrase automaton over lexicon entries (picklable: only regexes and dicts)."""

    def __init__(self, entries: Iterable[LexiconEntry], no_plural: frozenset[str] = frozenset()):
        ci_keys, cs_keys = set(), set()
        self.lookup: dict[str, tuple[str, bool]] = {}
        self.cs_lookup: dict[str, tuple[str, bool]] = {}
        for e in sorted(entries, key=lambda e: (not e.user,)):
            for phrase in e.phrases:
                if not phrase.strip():
                    continue
                pk = _pattern_key(phrase)
                if (
                    e.concept not in no_plural
                    and not _is_case_sensitive(phrase, e.user)
                    and (plural := plural_variant(phrase)) is not None
                ):
                    ci_keys.add(_pattern_key(plural).lower())
                    self.lookup.setdefault(phrase_key(plural), (e.concept, e.user))
                if _is_case_sensitive(phrase, e.user):
                    for variant in {pk, pk.upper()} if len(phrase) >= 3 else {pk}:
                        cs_keys.add(variant)
                        self.cs_lookup.setdefault(variant.replace("\x00", ""), (e.concept, e.user))
                else:
                    ci_keys.add(pk.lower())
                    key = phrase_key(phrase)
                    cur = self.lookup.get(key)
                    if (
                        cur is None
                        or (not cur[1] and e.user)
                        or (not e.user and not cur[1] and e.concept == key and cur[0] != key)
                    ):
                        self.lookup[key] = (e.concept, e.user)
        b_open, b_close = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
        self.ci_re = (
            re.compile(b_open + "(?:" + _trie_regex(ci_keys) + ")" + b_close, re.IGNORECASE) if ci_keys else None
        )
        self.cs_re = re.compile(b_open + "(?:" + _trie_regex(cs_keys) + ")" + b_close) if cs_keys else None

    def any(self, text: str) -> bool:
        scans = (scan_pair(rx, text) for rx in (self.ci_re, self.cs_re) if rx is not None)
        return any(True for rx, scanned in scans for _ in _overlapping(rx, scanned))

    def find(self, text: str) -> list[Match]:
        """Non-overlapping matches, user entries first, then longest first, then leftmost."""
        cands: list[Match] = []
        if self.ci_re is not None:
            for m in _overlapping(*scan_pair(self.ci_re, text)):  # spans only: the key is read from ``text``
                hit = self.lookup.get(phrase_key(text[m[0]:m[1]]))
                if hit:
                    cands.append(Match(m[0], m[1], hit[0], hit[1]))
        if self.cs_re is not None:
            for m in _overlapping(self.cs_re, text):
                hit = self.cs_lookup.get(re.sub(r"[\s\-_/\u00a0]+", "", text[m[0]:m[1]]))
                if hit:
                    cands.append(Match(m[0], m[1], hit[0], hit[1]))
        return select_non_overlapping(cands)


_WORD_CHAR = re.compile(r"[A-Za-z0-9]")


def _overlapping(rx: re.Pattern, text: str) -> Iterable[tuple[int, int]]:
    """Leftmost-longest matches, restarting after each match's first word so that a shorter phrase
    inside a longer one's tail is still seen (overlaps are resolved by the caller)."""
    pos = 0
    n = len(text)
    while pos < n:
        m = rx.search(text, pos)
        if not m:
            return
        s = m.start()
        if s > 0 and _WORD_CHAR.match(text, s - 1):  # inside a word: not a mention, look on
            pos = s + 1
            continue
        yield s, m.end()
        nxt = text.find(" ", s + 1, m.end())
        pos = nxt + 1 if nxt != -1 else m.end()


def select_non_overlapping(cands: list[Match]) -> list[Match]:
    """Greedy by priority (user entries, then longest, then leftmost). The spans taken so far are
    disjoint, so sorted by start they are sorted by end too: only the last one starting before a
    candidate's end can overlap it (a binary search, not a scan of every span taken)."""
    starts: list[int] = []
    ends: list[int] = []
    chosen: list[Match] = []
    for c in sorted(cands, key=lambda c: (not c.user, -(c.end - c.start), c.start)):
        k = bisect.bisect_left(starts, c.end) - 1
        if k >= 0 and ends[k] > c.start:
            continue
        starts.insert(k + 1, c.start)
        ends.insert(k + 1, c.end)
        chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def covers(spans: list[Match], start: int, end: int) -> bool:
    """True when one of ``spans`` (disjoint, sorted by start) contains ``[start, end)``."""
    lo, hi = 0, len(spans)
    while lo < hi:  # the last span starting at or before ``start``
        mid = (lo + hi) // 2
        if spans[mid].start <= start:
            lo = mid + 1
        else:
            hi = mid
    return lo > 0 and spans[lo - 1].end >= end


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def find_first(finder: PhraseFinder, text: str) -> Match | None:
    found = finder.find(text)
    return found[0] if found else None
