"""Trial listing -> :class:`TrialCriteria`: segment the eligibility text into criteria and build records.

Segmentation is line based: headings switch the kind (inclusion/exclusion), bullets and numbers start a
criterion, deeper-indented bullets (or a different marker after a parent ending in ':') are folded into
their parent, and unbulleted lines continue the previous criterion unless a blank line separates them.
Offsets always point into the exact ``TrialCriteria.text``.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..errors import E, ListingError
from ..schema import Criterion, Kind, TrialCriteria
from .constraints import ListingContext, extract_constraints
from .constraints.composites import expand_composite
from .criteria_context import with_context
from .listing import ListingSource, _lines, heading_kind, read_listing, rules, unusual_criterion
from .trial_context import demographic_criteria, target_concepts, target_criterion, target_sites, trial_drugs

log = logging.getLogger(__name__)

BULLET_RE = re.compile(
    r"^(?P<indent>[ \t\u00a0]*)(?P<marker>[•*·\-–—▪◦○●■□➢►‣⁃]|\d{1,2}[.)](?!\d)|\(\d{1,2}\)|"
    r"[a-zA-Z][.)](?=\s)|\([a-zA-Z]\)|"
    r"(?:i{1,3}|iv|v|vi{1,3}|ix|x)[.)](?=\s))(?P<gap>[ \t\u00a0]+|(?=[A-Za-z(\[]))"
)


def _marker_class(marker: str) -> str:
    if re.fullmatch(r"\(?\d+[.)]?", marker):
        return "number"
    if re.fullmatch(r"\(?(?:i{1,3}|iv|v|vi{1,3}|ix|x)[.)]", marker):
        return "roman"
    if re.fullmatch(r"\(?[a-zA-Z][.)]", marker):
        return "letter"
    return "bullet:" + marker


def _letter_of(marker: str) -> str | None:
    """A letter marker's letter, lower-cased ('c' of 'C.', 'a' of '(a)'); None for any other marker."""
    return marker.strip("().").lower() if _marker_class(marker) == "letter" else None


def _indent(s: str) -> int:
    return len(s.replace("\t", "    "))


@dataclass
class Segment:
    kind: Optional[str]
    start: int
    end: int
    indent: int = 0
    marker: Optional[str] = None
    opens_list: bool = False
    """The criterion ends with ':' and may take sub-items."""


_OR_LIST = re.compile(r"(?:one|any|either)\s+of\s+the\s+following|at\s+least\s+one\s+of", re.I)


def segment(text: str, region: tuple[int, int], default_kind: Optional[str] = None) -> list[Segment]:
    """Criteria spans in ``text[region]`` with their kind (None = not stated by a heading)."""
    segs: list[Segment] = []
    kind = default_kind
    blank_before = True
    lines = _lines(text, *region)
    heads = [heading_kind(text[s:e]) if text[s:e].strip() else None for s, e in lines]
    bulleted = _bulleted_sections(text, lines, heads)
    has_bullets = bulleted[0]
    last_letter: Optional[str] = None  # the letter of the last lettered item
    for n, (s, e) in enumerate(lines):
        line = text[s:e]
        if not line.strip():
            blank_before = True
            continue
        h = heads[n]
        if h:
            has_bullets = bulleted[n]
            kind = h[0]
            rest = line[h[1]:]
            if rest.strip():
                off = s + h[1] + (len(rest) - len(rest.lstrip()))
                segs.append(Segment(kind, off, e))
            else:
                segs.append(Segment(kind, -1, -1))  # section break marker
            blank_before = False
            continue
        m = BULLET_RE.match(line)
        letter = _letter_of(m.group("marker")) if m else None
        if letter is not None and letter != "a" and (last_letter is None or ord(letter) != ord(last_letter) + 1):
            m = None  # "H. pylori eradication ...": an initial, not the next item of a lettered list
        elif letter is not None:  # a lettered list opens ('a.', 'A)') or goes on
            last_letter = letter
        stripped_end = s + len(line.rstrip())
        if m:
            ind = _indent(m.group("indent"))
            cls = _marker_class(m.group("marker"))
            parent = segs[-1] if segs and segs[-1].start >= 0 else None
            if parent is not None and parent.marker is not None and (
                ind > parent.indent or (parent.opens_list and cls != parent.marker and ind >= parent.indent)
            ):
                parent.end = stripped_end
            elif parent is not None and parent.marker is None and parent.opens_list and _OR_LIST.search(
                text[parent.start:parent.end]
            ):
                parent.end = stripped_end
            else:
                seg = Segment(kind, s + m.end(), stripped_end, ind, cls)
                seg.opens_list = line.rstrip().endswith(":")
                segs.append(seg)
            blank_before = False
            continue
        ind = _indent(line[: len(line) - len(line.lstrip())])
        last = segs[-1] if segs and segs[-1].start >= 0 else None
        content = s + (len(line) - len(line.lstrip()))
        sentence_after_sentence = (last is not None and last.marker is None and not last.opens_list
                                   and text[last.start:last.end].rstrip().endswith((".", ";"))
                                   and line.lstrip()[:1].isupper())
        if last is not None and not sentence_after_sentence and (
                not blank_before or (last.marker is not None and ind > last.indent)):
            last.end = stripped_end
            if line.rstrip().endswith(":"):
                last.opens_list = True
        elif has_bullets and line.rstrip().endswith(":") and not _OR_LIST.search(line) and len(line.split()) <= 12:
            segs.append(Segment(kind, -1, -1))  # a sub-heading ("DISEASE CHARACTERISTICS:")
        else:
            seg = Segment(kind, content, stripped_end, ind, None)
            seg.opens_list = line.rstrip().endswith(":")
            segs.append(seg)
        blank_before = not has_bullets  # plain one-per-line blocks: each line is a criterion
    return [sg for sg in segs if sg.start >= 0 and re.search(r"[A-Za-z0-9]", text[sg.start:sg.end])]


def _bulleted_sections(text: str, lines: list[tuple[int, int]], heads: list) -> list[bool]:
    """For each line, whether its section (from one heading to the next; ``heads``: each line's heading, if any)
    marks criteria with bullets or numbers: a numbered sub-list under one exclusion does not make the inclusions'
    plain one-per-line block a bulleted one."""
    out = [False] * len(lines)
    start = 0
    for n in range(len(lines) + 1):
        if n == len(lines) or (n > start and heads[n]):
            found = any(BULLET_RE.match(text[s:e]) for s, e in lines[start:n])
            out[start:n] = [found] * (n - start)
            start = n
    return out


@dataclass
class _Kinded:
    seg: Segment
    kind: Kind


def _assign_kinds(text: str, segs: list[Segment]) -> list[_Kinded]:
    cues = re.compile("|".join(rules()["exclusion_cues"]), re.I)
    out = []
    for sg in segs:
        k = sg.kind or ("exclusion" if cues.search(text[sg.start:sg.end]) else "inclusion")
        out.append(_Kinded(sg, "exclusion" if k == "exclusion" else "inclusion"))
    return out


def build_criteria(src: ListingSource) -> TrialCriteria:
    """Segment, extract constraints, classify; raises ListingError when no criterion is found."""
    text = src.text
    segs = segment(text, src.region, src.kind)
    if not segs:
        raise ListingError(E.E010.format(path=src.source, detail="no criteria text in the eligibility section"))
    ctx = ListingContext.build(text, src.region)
    counters = {"inclusion": 0, "exclusion": 0}
    criteria: list[Criterion] = []
    min_age, max_age, sex = src.min_age, src.max_age, src.sex
    for item in _assign_kinds(text, segs):
        counters[item.kind] += 1
        cid = ("I" if item.kind == "inclusion" else "E") + str(counters[item.kind])
        unusual = unusual_criterion(text, item.seg.start, item.seg.end)  # linear-time guard
        crit = (
            Criterion(
                id=cid,
                kind=item.kind,
                text=text[item.seg.start : item.seg.end],
                start=item.seg.start,
                end=item.seg.end,
                computable=False,
                category="other",
                reason=f"not parsed: {unusual}; read it by hand",
            )
            if unusual
            else expand_composite(extract_constraints(text, item.seg.start, item.seg.end, cid, item.kind, ctx), text)
        )
        criteria.append(crit)
    targets = target_concepts(src, criteria)
    criteria = [with_context(c, text, set(targets)) for c in criteria]
    prescreen = target_criterion(src, criteria, targets)
    if prescreen is not None:
        criteria.append(prescreen)
    criteria += demographic_criteria(src, criteria)
    for crit in criteria:
        if crit.kind == "inclusion":
            min_age, max_age = _ages_from(crit, min_age, max_age)
            sex = _sex_from(crit, sex)
    return TrialCriteria(
        trial_id=src.trial_id,
        source=src.source,
        title=src.title,
        conditions=list(src.conditions),
        text=text,
        min_age=min_age,
        max_age=max_age,
        sex="male" if sex == "male" else "female" if sex == "female" else "all",  # as the listing read it
        criteria=criteria,
        target_concepts=targets,
        target_phrases=list(src.conditions),
        target_sites=target_sites(src),
        trial_drugs=trial_drugs(src),
    )  # type: ignore[arg-type]


def _ages_from(crit: Criterion, lo: Optional[float], hi: Optional[float]) -> tuple[Optional[float], Optional[float]]:
    for c in crit.constraints:
        if c.concept != "age" or c.negated or not isinstance(c.value, float):
            continue
        scale = 1 / 12 if c.unit == "month" else 1.0
        v = c.value * scale
        if c.comparator == "between" and c.value_high is not None:
            lo = lo if lo is not None else v
            hi = hi if hi is not None else c.value_high * scale
        elif c.comparator in (">=", ">") and lo is None:
            lo = v
        elif c.comparator in ("<=", "<") and hi is None:
            hi = v
    return lo, hi


def _sex_from(crit: Criterion, sex: str) -> str:
    for c in crit.constraints:
        if c.concept == "sex" and c.value in ("male", "female") and not c.negated and sex == "all":
            return str(c.value)
    return sex


def parse_listing(path: Path) -> TrialCriteria:
    """Parse a listing file (web-page text, HTML, plain criteria, CT.gov v2 JSON)."""
    return build_criteria(read_listing(Path(path)))


def parse_criteria_text(
    text: str, *, source: str = "<text>", trial_id: str = "", kind: Optional[str] = None
) -> TrialCriteria:
    """Parse a block of criteria text; ``kind`` forces every criterion's kind (a Chia ``_inc`` file)."""
    from .listing import find_region

    if not text.strip():  # an empty criteria block (e.g. a trial with no exclusion criteria) has no criteria
        return TrialCriteria(trial_id=trial_id, source=source, text=text)
    start, end, n = find_region(text)
    src = ListingSource(text=text, source=source, trial_id=trial_id, region=(start, end) if n else (0, len(text)),
                        kind=kind)
    return build_criteria(src)
