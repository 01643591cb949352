"""Read a trial listing and find its eligibility part.

Three inputs are understood: a web page saved as text (or HTML), a plain block of criteria text, and a
ClinicalTrials.gov API v2 study JSON. The result is a :class:`ListingSource`: the exact text every
offset refers to, the region(s) holding the criteria, and what the page header says (title, ages, sex).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Optional

from ..errors import E, ListingError
from ..resources import models_path
from ..rule_schemas import CriteriaPatterns
from ..rulefile import read_json_data

NCT_RE = re.compile(r"\bNCT\d{8}\b")


@dataclass
class ListingSource:
    """Where the criteria are: ``text`` is exact; ``region`` is (start, end) of the eligibility part."""

    text: str
    source: str
    trial_id: str = ""
    title: Optional[str] = None
    region: tuple[int, int] = (0, 0)
    min_age: Optional[float] = None
    max_age: Optional[float] = None
    sex: str = "all"
    kind: Optional[str] = None
    """Known kind of every criterion (a Chia ``_inc``/``_exc`` file), else None."""
    conditions: list[str] = field(default_factory=list)
    """The conditions the trial is for, as the record lists them (CT.gov ``conditionsModule``)."""
    extra: dict[str, Any] = field(default_factory=dict)


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    """The packaged criteria rules (``models/rules/criteria_patterns.json``)."""
    path = models_path("rules", "criteria_patterns.json")
    return read_json_data(path, CriteriaPatterns)


@lru_cache(maxsize=1)
def _heading_res() -> dict[str, re.Pattern[str]]:
    r = rules()["headings"]
    return {
        kind: re.compile(r"^\s*(?:[#*=\-•]+\s*)?(?:" + "|".join(pats) + r")\s*(?:[:：\-–]\s*|$)", re.I)
        for kind, pats in r.items()
    }


@lru_cache(maxsize=1)
def _end_re() -> re.Pattern[str]:
    return re.compile(r"^\s*(?:" + "|".join(rules()["end_markers"]) + r")\s*:?\s*$", re.I)


@lru_cache(maxsize=1)
def _noise_re() -> re.Pattern[str]:
    return re.compile(r"^\s*(?:" + "|".join(rules()["header_noise"]) + r")\s*$", re.I)


def heading_kind(line: str) -> Optional[tuple[str, int]]:
    """("inclusion"|"exclusion", end of the heading within ``line``) when the line opens a section."""
    best: Optional[tuple[str, int]] = None
    for kind, rx in _heading_res().items():
        m = rx.match(line)
        if m and (best is None or m.end() > best[1]):
            best = (kind, m.end())
    if best is None:
        return None
    kind, end = best
    rest = line[end:].strip()
    head = line[:end].strip().rstrip(":：-– ").lower()
    if head.endswith("eligibility criteria"):
        kind = "inclusion"
    # a heading followed by a long sentence that is not introduced by ':' is a criterion, not a heading
    if rest and not re.search(r"[:：]\s*$", line[:end]) and len(head.split()) <= 2:
        return None
    return kind, end


# ----------------------------------------------------------------------------- reading


def read_text_file(path: Path) -> str:
    """Decode a file as UTF-8 without newline translation (CRLF offsets stay exact)."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ListingError(E.E001.format(path=path, detail=err.strerror or err)) from err
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ListingError(E.E002.format(path=path, offset=err.start)) from err


class _TextExtractor(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
             "header", "footer", "table", "dt", "dd", "title"}
    SKIP = {"script", "style", "noscript", "svg", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag in self.SKIP and tag != "head":
            self.skip += 1
        if tag == "li":
            self.parts.append("\n• ")
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in self.SKIP and tag != "head" and self.skip:
            self.skip -= 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, Optional[str]]:
    """Plain text of an HTML page (block elements become line breaks, list items bullets) and its <title>."""
    p = _TextExtractor()
    p.feed(html)
    text = "".join(p.parts)
    text = re.sub(r"[ \t\r\f\v]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    title = " ".join("".join(p.title).split()) or None
    return text, title


def _age_years(value: Optional[str]) -> Optional[float]:
    if not value:
        return None
    m = re.match(r"\s*(\d+(?:\.\d+)?)\s*(year|month|week|day)", value, re.I)
    if not m:
        return None
    n = float(m.group(1))
    scale = {"year": 1.0, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25}[m.group(2).lower()]
    return round(n * scale, 4)


def read_ctgov(path: Path, raw: str) -> ListingSource:
    """A ClinicalTrials.gov API v2 study record."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        raise ListingError(E.E003.format(path=path, line=err.lineno, detail=err.msg)) from err
    if isinstance(data, dict) and "studies" in data and isinstance(data["studies"], list) and data["studies"]:
        data = data["studies"][0]
    if isinstance(data, dict) and "raw_criteria" in data and "protocolSection" not in data:
        return read_flat_record(path, data)
    proto = data.get("protocolSection") if isinstance(data, dict) else None
    if not isinstance(proto, dict):
        raise ListingError(E.E011.format(path=path, field="protocolSection"))
    elig = proto.get("eligibilityModule") or {}
    text = elig.get("eligibilityCriteria")
    if not isinstance(text, str) or not text.strip():
        raise ListingError(E.E010.format(path=path, detail="eligibilityModule.eligibilityCriteria is empty"))
    ident = proto.get("identificationModule") or {}
    sex = str(elig.get("sex") or "ALL").lower()
    cond = proto.get("conditionsModule") or {}
    conditions = [c for c in (cond.get("conditions") or []) if isinstance(c, str) and c.strip()]
    return ListingSource(
        text=text, source=str(path), trial_id=ident.get("nctId") or path.stem,
        title=ident.get("briefTitle") or ident.get("officialTitle"), region=(0, len(text)),
        min_age=_age_years(elig.get("minimumAge")), max_age=_age_years(elig.get("maximumAge")),
        sex=sex if sex in ("all", "male", "female") else "all", conditions=conditions,
    )


def _string_list(value: Any) -> list[str]:
    """A list written as JSON, as a Python literal (``"['A', 'B']"``) or as one string."""
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    if not isinstance(value, str) or not value.strip():
        return []
    import ast

    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return [value.strip()]
    return [str(v) for v in parsed if str(v).strip()] if isinstance(parsed, (list, tuple)) else [str(parsed)]


def read_flat_record(path: Path, data: dict[str, Any]) -> ListingSource:
    """A flat trial record (the TREC / TrialGPT layout: ``nctid``, ``title``, ``raw_criteria``,
    ``minimum_age``, ``maximum_age``, ``sex``, ``condition``)."""
    text = data.get("raw_criteria")
    if not isinstance(text, str) or not text.strip():
        raise ListingError(E.E010.format(path=path, detail="raw_criteria is empty"))
    start, end, n = find_region(text)
    sex = str(data.get("sex") or "ALL").lower()
    return ListingSource(
        text=text, source=str(path), trial_id=str(data.get("nctid") or path.stem), title=data.get("title") or None,
        region=(start, end) if n else (0, len(text)), min_age=_age_years(data.get("minimum_age")),
        max_age=_age_years(data.get("maximum_age")), sex=sex if sex in ("all", "male", "female") else "all",
        conditions=_string_list(data.get("condition")),
    )


def _lines(text: str, start: int = 0, end: Optional[int] = None) -> list[tuple[int, int]]:
    """(start, end) of each line in text[start:end], end excluding the line break."""
    end = len(text) if end is None else end
    out = []
    for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text[start:end]):
        if m.start() == m.end():
            break
        body = m.group(0).rstrip("\r\n")
        out.append((start + m.start(), start + m.start() + len(body)))
    return out


def find_region(text: str) -> tuple[int, int, int]:
    """(start, end, number of criteria headings) of the eligibility part of a page.

    Starts at the first inclusion/exclusion heading; ends at the first page-furniture heading after the
    last criteria heading ("Study details", "FAQs", "Locations" ...). Without headings: the whole text.
    """
    lines = _lines(text)
    first: int | None = None
    last = 0
    n = 0
    for i, (s, e) in enumerate(lines):
        if heading_kind(text[s:e]):
            n += 1
            first = i if first is None else first
            last = i
    if first is None:
        return 0, len(text), 0
    end = len(text)
    end_re = _end_re()
    for s, e in lines[last + 1:]:
        if end_re.match(text[s:e]):
            end = s
            break
    return lines[first][0], end, n


def _header_facts(src: ListingSource, header: str) -> None:
    """Title, ages and sex from the lines of a page header (before the criteria)."""
    limit = rules()["thresholds"]["header_scan_lines"]
    lines = [ln.strip() for ln in header.splitlines() if ln.strip()][:limit]
    for ln in lines:
        m = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)\s*years?", ln, re.I)
        if m and src.min_age is None:
            src.min_age, src.max_age = float(m.group(1)), float(m.group(2))
            continue
        m = re.fullmatch(r"(\d+)\s*\+\s*years?|(\d+)\s*years?\s+and\s+(?:older|over)", ln, re.I)
        if m and src.min_age is None:
            src.min_age = float(m.group(1) or m.group(2))
            continue
        if ln.lower() in ("all", "male", "female") and src.extra.get("sex_seen") is None:
            src.sex = ln.lower()
            src.extra["sex_seen"] = True
    if src.title is None:
        noise = _noise_re()
        cands = [ln for ln in lines if len(ln) >= 15 and not noise.match(ln) and not heading_kind(ln)]
        if cands:
            repeated = [c for c in cands if cands.count(c) > 1]
            src.title = (repeated or cands)[0]


def read_page(path: Path, text: str, title: Optional[str] = None) -> ListingSource:
    """A web page as text: find the eligibility region; header gives title/ages/sex."""
    start, end, n = find_region(text)
    m = NCT_RE.search(text)
    src = ListingSource(text=text, source=str(path), trial_id=m.group(0) if m else path.stem, title=title,
                        region=(start, end))
    if n:
        _header_facts(src, text[:start])
    src.extra.pop("sex_seen", None)
    return src


def read_listing(path: Path) -> ListingSource:
    """Read any supported listing file (see module doc); raises ListingError with a coded message."""
    path = Path(path)
    raw = read_text_file(path)
    suffix = path.suffix.lower()
    if suffix == ".json" or (suffix not in (".html", ".htm") and raw.lstrip().startswith("{")):
        return read_ctgov(path, raw)
    if suffix in (".html", ".htm") or re.match(r"\s*(?:<!doctype html|<html)", raw, re.I):
        text, title = html_to_text(raw)
        return read_page(path, text, title)
    src = read_page(path, raw)
    kind = re.search(r"_(inc|exc)$", path.stem)
    if kind and src.region == (0, len(raw)):
        src.kind = "inclusion" if kind.group(1) == "inc" else "exclusion"
    return src


# ----------------------------------------------------------------------------- guards

MAX_CRITERION_CHARS = 6_000
"""Longest criterion handed to the constraint parser (the longest of the 239 TREC and NSCLC
listings is 3,203 characters); a longer one is kept, not computable, for a person to read."""
MAX_DIGIT_RUN = 24
"""Longest run of digits in a criterion the value patterns are given."""
MAX_BRACKET_DEPTH = 8
"""Deepest bracket nesting in a criterion, and in a listing line given to the abbreviation detector."""
MAX_REPEATED_WORD = 30
"""Longest run of one word repeated ("not not not ...") in a criterion."""
MAX_DETECTOR_PARENS = 400
"""Opening brackets up to which the abbreviation detector reads a listing whole (its matcher pairs
every "(" with every later ")"); beyond, it reads line by line, skipping lines past these limits."""

_DIGIT_RUN = re.compile(rf"\d{{{MAX_DIGIT_RUN + 1}}}")
_WORD = re.compile(r"\S+")


def bracket_depth(text: str, start: int = 0, end: Optional[int] = None) -> int:
    """Deepest nesting of round and square brackets in ``text[start:end]`` (linear)."""
    depth = deepest = 0
    for ch in text[start:end]:
        if ch in "([":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]" and depth:
            depth -= 1
    return deepest


def _longest_repeat(text: str, start: int, end: int) -> int:
    run = best = 0
    prev = None
    for m in _WORD.finditer(text, start, end):
        word = m.group(0).lower()
        run = run + 1 if word == prev else 1
        best = max(best, run)
        prev = word
    return best


def unusual_criterion(text: str, start: int, end: int) -> Optional[str]:
    """Why ``text[start:end]`` is not given to the constraint parser (whose patterns and pairwise checks
    grow faster than linearly on such text), or None. Linear time."""
    if end - start > MAX_CRITERION_CHARS:
        return f"criterion of {end - start} characters, longer than {MAX_CRITERION_CHARS}"
    if _DIGIT_RUN.search(text, start, end):
        return f"a number of more than {MAX_DIGIT_RUN} digits"
    if bracket_depth(text, start, end) > MAX_BRACKET_DEPTH:
        return f"brackets nested more than {MAX_BRACKET_DEPTH} deep"
    if _longest_repeat(text, start, end) > MAX_REPEATED_WORD:
        return f"one word repeated more than {MAX_REPEATED_WORD} times in a row"
    return None


def detector_pieces(text: str) -> list[str]:
    """What the abbreviation detector reads: the whole text, or (past ``MAX_DETECTOR_PARENS`` opening
    brackets) its lines, without lines too bracket-heavy to pair in reasonable time."""
    if text.count("(") <= MAX_DETECTOR_PARENS:
        return [text]
    return [line for line in text.split("\n")
            if line.count("(") <= MAX_DETECTOR_PARENS and bracket_depth(line) <= MAX_BRACKET_DEPTH]
