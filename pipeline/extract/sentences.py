"""A fast rule-based sentence splitter for clinical text (newlines, punctuation, headers).

Works on raw text and returns sentence start offsets, so it is testable without spaCy; the
``ts_sentences`` component copies the boundaries onto tokens. Rules:

* a blank line ends a sentence; a line break ends one when the previous line ends with
  punctuation or the next line starts like a new item (capital letter, digit, bullet), unless the
  previous line ends with a connecting word or comma (a hard-wrapped sentence);
* ``. ! ?`` followed by space and a capital/digit ends a sentence, except after abbreviations
  and initials;
* run-on transcriptions: ``4.7 cm.2. Normal`` and ``36 mmHg.DOPPLER:`` split after the period;
* the end of a section header (``FAMILY HISTORY:``) starts a new sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "st",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "eg",
        "ie",
        "fig",
        "no",
        "approx",
        "a.m",
        "p.m",
        "am",
        "pm",
        "cf",
        "al",
        "jr",
        "sr",
        "inc",
        "dept",
        "mg",
        "ml",
        "mcg",
        "pt",
        "pts",
        "hx",
        "dx",
        "tx",
        "rx",
        "sx",
        "yo",
        "y.o",
        "b.i.d",
        "t.i.d",
        "q.i.d",
        "p.o",
        "q.d",
        "b.i.d.",
        "ca",
        "cap",
        "tab",
        "tabs",
        "calc",
        "est",
        "corr",
        "ref",
        "avg",
        "incl",
        "excl",
        "max",
        "min",
    ]
)
CONNECTORS = frozenset(
    [
        "and",
        "or",
        "of",
        "the",
        "with",
        "to",
        "a",
        "an",
        "in",
        "on",
        "for",
        "by",
        "at",
        "from",
        "but",
        "nor",
        "as",
        "than",
        "that",
        "which",
        "who",
        "was",
        "were",
        "is",
        "are",
        "has",
        "had",
    ]
)

_PUNCT = re.compile(r"[.!?]+(?<!\.\.\.)[\"')\]]*(?=\s+(?:[\"'(\[]?[A-Z0-9•\-*]|[a-z]\d))")
"""A sentence's end; a run of three or more dots is a leader between a test and its result
('Anti-HCV ..... Nonreactive')."""
# Patterns start with a literal so the regex engine can skip ahead; the character before is checked in code.
_RUNON_NUM = re.compile(r"\.(?=\d{1,2}\.\s)")
_RUNON_HEAD = re.compile(r"\.(?=[A-Z][A-Z /&\-]{2,40}:)")
_INLINE_ITEM = re.compile(r"[ \t]{2,}(?=\d{1,2}\)\s|[A-Z][A-Z /&()\-]{2,40}:)")
_BEFORE_OK = {
    _RUNON_NUM: re.compile(r"[a-z%)]"),
    _RUNON_HEAD: re.compile(r"[a-z0-9%)]"),
    _INLINE_ITEM: re.compile(r"\S"),
}
"""Run-on text whose line breaks became runs of spaces: ``None    POSTOPERATIVE DIAGNOSIS:  1) ...``."""
_NEWLINE = re.compile(r"\n")
_ITEM_START = re.compile(r"[ \t]*(?:[A-Z0-9\"'(•*\u2022]|-\s|#)")
_LIST_NUM = re.compile(r"(^|\n|:)?[ \t]*(\d{1,2})$")
_WORD_BEFORE = re.compile(r"(?:^|(?<=[\s(]))([A-Za-z][A-Za-z.]*)\.*$")


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, dot - 12), dot + 1)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if len(word) == 1:  # initials: "J. Smith"
        return True
    return word in ABBREVIATIONS


def _is_list_number(text: str, dot: int, starts: set[int]) -> bool:
    m = _LIST_NUM.search(text, max(0, dot - 8), dot)
    if not m:
        return False
    return m.group(1) is not None or m.start(2) in starts


def sentence_starts(text: str, header_ends: Iterable[int] = ()) -> list[int]:
    """Sorted character offsets where sentences start (always includes the first non-space char)."""
    starts: set[int] = set()
    n = len(text)
    # line breaks
    for m in _NEWLINE.finditer(text):
        i = m.start()
        j = i + 1
        while j < n and text[j] in " \t\r":
            j += 1
        if j >= n:
            break
        if text[j] == "\n":  # blank line
            starts.add(j)
            continue
        k = i
        while k > 0 and text[k - 1] in " \t\r":
            k -= 1
        last_line = text[text.rfind("\n", 0, k) + 1 : k]
        if not last_line:
            starts.add(j)
            continue
        if last_line[-1] in ".:!?;":
            starts.add(j)
            continue
        if last_line[-1] == ",":
            continue
        lw = last_line.rsplit(None, 1)[-1].lower() if last_line.split() else ""
        if lw in CONNECTORS:
            continue
        if _ITEM_START.match(text, j):
            starts.add(j)
    for rx in (_RUNON_NUM, _RUNON_HEAD, _INLINE_ITEM):
        ok = _BEFORE_OK[rx]
        for m in rx.finditer(text):
            if m.start() > 0 and ok.match(text, m.start() - 1):
                starts.add(m.end())
    for m in _PUNCT.finditer(text):
        dot = m.start()
        if text[dot] == "." and (_is_abbreviation(text, dot) or _is_list_number(text, dot, starts)):
            continue
        k = m.end()
        while k < n and text[k].isspace():
            k += 1
        starts.add(k)
    for e in header_ends:
        k = e
        while k < n and text[k].isspace():
            k += 1
        if k < n:
            starts.add(k)
    first = len(text) - len(text.lstrip())
    starts.add(first)
    return sorted(s for s in starts if s < n)


def sentence_spans(text: str, header_ends: Iterable[int] = ()) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trailing whitespace excluded."""
    starts = sentence_starts(text, header_ends)
    out = []
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(text)
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out
