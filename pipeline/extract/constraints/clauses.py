"""Clause splitting: a criterion cut at ';', sentence ends, sub-bullets and long ':' preambles."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .context import compiled_rules


@dataclass
class Clause:
    start: int
    end: int
    preamble: bool = False
    label_end: int = -1
    """End of a short 'Label:' at the clause start (its words are not open-vocabulary concepts)."""


_MARKER = re.compile(
    r"[ \t]*(?:[•*·\-–—▪◦○●■➢►]|\d{1,2}[.)]|\(\d{1,2}\)|[a-zA-Z][.)]|\([a-zA-Z]\)"
    r"|(?:i{1,3}|iv|v|vi{1,3})[.)])[ \t]+"
)
_ABBREV_DOT = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|approx|incl|no|Dr|St|ca)|\d)\.$", re.IGNORECASE)


def split_clauses(text: str, start: int, end: int) -> list[Clause]:
    """Clauses of a criterion: split at ';', sentence ends, line breaks before sub-bullets, and
    after a preamble ending in ':' (longer than a short label). Parentheses are never split."""
    cuts: list[tuple[int, int, str]] = []  # (clause end, next start, why)
    depth = 0
    i = start
    while i < end:
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        elif depth == 0 and ch == ";":
            cuts.append((i, i + 1, ";"))
        elif (
            depth == 0
            and ch == "."
            and i + 1 < end
            and text[i + 1] in " \t\r\n"
            and not _ABBREV_DOT.search(text[max(start, i - 6) : i + 1])
        ):
            j = i + 1
            while j < end and text[j] in " \t\r\n":
                j += 1
            if j < end and (text[j].isupper() or text[j] in "(•*-"):
                cuts.append((i, i + 1, "."))
        elif depth == 0 and ch == ":":
            cuts.append((i, i + 1, ":"))
        elif ch == "\n":
            m = _MARKER.match(text, i + 1)
            if m and m.start() < end:
                cuts.append((i, m.end(), "\n"))
                depth = 0
        i += 1
    clauses: list[Clause] = []
    s = start
    pending_label = -1
    c = compiled_rules()
    for cut_end, nxt, why in cuts:
        if why == ":":
            words = re.findall(r"[\w\-/]+", text[s:cut_end])
            is_list = c["list_or"].search(text, s, cut_end) or c["list_and"].search(
                text, s, cut_end
            )
            if len(words) <= c["label_max"] and nxt < end and not is_list:
                pending_label = cut_end + 1
                continue
        if text[s:cut_end].strip():
            clauses.append(Clause(s, cut_end, preamble=(why == ":"), label_end=pending_label))
        s, pending_label = nxt, -1
    if text[s:end].strip():
        clauses.append(Clause(s, end, label_end=pending_label))
    for cl in clauses:  # trim whitespace and markers
        m = _MARKER.match(text, cl.start)
        if m and m.end() <= cl.end and text[cl.start : m.start()].strip() == "":
            cl.start = m.end()
        while cl.start < cl.end and text[cl.start].isspace():
            cl.start += 1
        while cl.end > cl.start and text[cl.end - 1] in " \t\r\n.,":
            cl.end -= 1
    return [cl for cl in clauses if cl.end > cl.start]
