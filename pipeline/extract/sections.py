"""Section detection over raw note text, driven by header rules in ``models/rules/sections.jsonl``.

A header is a known section title at the start of a line (or right after a sentence end, as in
run-on transcriptions) followed by a colon (or, written in capitals, by a spaced dash: "ALLERGIES -
NONE"), or a known title written in capitals alone on its line.
Any other capitalised ``HEADER:`` at the start of a line closes the running section (category
``other``), so a family-history section never runs on into the plan.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

from ..resources import models_path
from ..rulefile import read_jsonl

Assertion = Optional[str]


class SectionRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^section\.[a-z0-9_]+\.[a-z0-9_]+$")
    category: str = Field(pattern=r"^[a-z_]+$")
    literal: str = Field(min_length=1)
    assertion: str | None = Field(default=None, pattern=r"^(historical|family|hypothetical|history|negated)$")
    """``historical``/``family``/``hypothetical``/``negated`` set that flag on facts in the section
    (a ``negated`` list, "Not detected: KRAS; BRAF", runs to the end of its line); ``history``
    (past medical history: ongoing chronic conditions are listed there too) only records the header
    as a cue, so ConText-style temporality can be read from the cues."""


@dataclass(frozen=True)
class Section:
    category: str
    header_start: int
    header_end: int
    end: int
    assertion: Assertion = None

    @property
    def header(self) -> tuple[int, int]:
        return (self.header_start, self.header_end)


def read_rules(path=None) -> list[SectionRule]:
    return read_jsonl(path or models_path("rules", "sections.jsonl"), SectionRule.model_validate)


_COLON = re.compile(":")
_SPACED_DASH = re.compile(r"[ \t][-–][ \t]")
_CAPS_LINE = re.compile(r"(?m)^[ \t]*(?P<h>[A-Z][A-Z &/\-]{1,60}?)[ \t]*$")


def _literal_regex(literal: str) -> str:
    parts = [re.escape(w) for w in literal.split()]
    return r"\s+".join(parts)


class SectionFinder:
    """Find section headers in text; pure and picklable (compiled from rules)."""

    def __init__(self, rules: list[SectionRule]):
        self.by_literal = {" ".join(r.literal.lower().split()): r for r in rules}
        self.max_len = max(len(k) for k in self.by_literal) + 12
        alts = "|".join(_literal_regex(lit) for lit in sorted(self.by_literal, key=len, reverse=True))
        # known title + colon, at line start or after a sentence end
        self.colon_re = re.compile(
            r"(?:^|(?<=\n)|(?<=[.!?]\s)|(?<=[.!?])|(?<=\S[ \t]{2})|(?<=\b[Hh][Ii][Ss] )|(?<=\b[Hh][Ee][Rr] ))"
            rf"[ \t]*(?:\d{{1,2}}[.)][ \t]*)?(?P<h>(?:{alts}))[ \t]*:",
            re.IGNORECASE,
        )
        # known title in capitals followed by a spaced dash, as dictated ("ALLERGIES - NONE")
        self.dash_re = re.compile(
            rf"(?:^|(?<=\n)|(?<=[.!?]\s)|(?<=[.!?]))[ \t]*(?P<h>(?:{alts}))[ \t]+[-–][ \t]+", re.IGNORECASE
        )
        # known title in capitals alone on its line
        self.line_re = re.compile(rf"(?m)^[ \t]*(?P<h>(?:{alts}))[ \t]*$", re.IGNORECASE)
        # unknown capitalised header at line start: closes the running section
        # (a capitalised label followed by text on its line, "RPR: nonreactive", is a field, not a header)
        self.other_re = re.compile(r"^[ \t]*(?P<h>[A-Z][A-Z0-9 /&,()\-]{2,40}?)[ \t]*:[ \t]*$", re.MULTILINE)

    def category_of(self, header: str) -> SectionRule | None:
        return self.by_literal.get(" ".join(header.lower().split()))

    def find(self, text: str) -> list[Section]:
        heads: dict[int, tuple[int, int, SectionRule | None]] = {}
        for colon in _COLON.finditer(text):  # a titled header ends with a colon: look only there
            i = colon.start()
            for m in self.colon_re.finditer(text, max(0, i - self.max_len), i + 1):
                if m.end() != i + 1:
                    continue
                h = m.group("h")
                if m.start("h") > 0 and text[m.start("h") - 1] not in "\n \t.!?)0123456789":  # mid-word
                    continue
                if h.lower() == h and len(h) <= 3:  # "cc:", "pe:" in lower case is not a header
                    continue
                heads[m.start("h")] = (m.start("h"), m.end(), self.category_of(h))
                break
        for dash in _SPACED_DASH.finditer(text):
            for m in self.dash_re.finditer(text, max(0, dash.start() - self.max_len), dash.end()):
                if m.end() == dash.end() and m.group("h").isupper() and m.start("h") not in heads:
                    heads[m.start("h")] = (m.start("h"), m.end("h"), self.category_of(m.group("h")))
                    break
        for m in _CAPS_LINE.finditer(text):
            h = m.group("h")
            rule = self.category_of(h)
            if rule is not None and m.start("h") not in heads:
                heads[m.start("h")] = (m.start("h"), m.end("h"), rule)
        for m in self.other_re.finditer(text):
            if m.start("h") not in heads and not any(s <= m.start("h") < e for s, e, _ in heads.values()):
                heads[m.start("h")] = (m.start("h"), m.end(), None)
        starts = sorted(heads)
        out = []
        for i, s in enumerate(starts):
            hs, he, rule = heads[s]
            end = starts[i + 1] if i + 1 < len(starts) else len(text)
            line_start = text.rfind("\n", 0, hs) + 1
            if text[line_start:hs].strip():  # an inline header ("... ECOG 1. FHx: mother ...") covers its line only
                nl = text.find("\n", he)
                end = min(end, nl if nl != -1 else len(text))
            if rule is not None and rule.assertion == "family":
                end = min(end, _family_end(text, he))
            if rule is not None and rule.assertion == "negated":
                end = min(end, _list_end(text, he))
            out.append(Section(rule.category if rule else "other", hs, he, end, rule.assertion if rule else None))
        return out


_SENTENCE_END = re.compile(r"[.;](?=\s)|\n")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _list_end(text: str, header_end: int) -> int:
    """A list of negative findings: the rest of an inline header's line, or the lines up to a blank
    line after a header alone on its line."""
    nl = text.find("\n", header_end)
    if text[header_end:nl if nl != -1 else len(text)].strip():
        return nl if nl != -1 else len(text)
    m = _BLANK_LINE.search(text, header_end)
    return m.start() if m else len(text)


def _family_end(text: str, header_end: int) -> int:
    """A family-history section is short: the sentence after an inline header ("FHx: mother with
    colon cancer."), or the lines up to a blank line after a header alone on its line."""
    nl = text.find("\n", header_end)
    rest_of_line = text[header_end:nl if nl != -1 else len(text)]
    if rest_of_line.strip():
        m = _SENTENCE_END.search(text, header_end)
        return m.end() if m else len(text)
    m = _BLANK_LINE.search(text, header_end)
    return m.start() if m else len(text)


@lru_cache(maxsize=1)
def default_finder() -> SectionFinder:
    return SectionFinder(read_rules())


def section_at(sections: list[Section], offset: int) -> Section | None:
    """The section holding character ``offset`` (None before the first header)."""
    found = None
    for s in sections:
        if s.header_start <= offset < s.end:
            found = s
        elif s.header_start > offset:
            break
    return found
