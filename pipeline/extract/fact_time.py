"""When a fact happened, and whether a therapy line is over.

The date a mention takes (the nearest date in its sentence that is its own, not one bracketed after
another therapy or inside another finding's bracket), a therapy's start and last-dose dates, and its
tense (received / stopped vs currently / C3D1). Which facts may be historical and the tense cue words are
data: ``models/rules/assertion_policy.json`` (read by :func:`assertion_policy`). Used by
:func:`pipeline.extract.facts.build_facts`.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
from functools import lru_cache

from ..resources import models_path
from ..rule_schemas import AssertionPolicy
from ..rulefile import read_json_data
from .assertion import CueHit
from .dates import DateMention, nearest

HISTORICAL_AFTER_DAYS = 14
"""A fact dated more than this many days before the note is historical (ConText's definition)."""


_STOP_CUE = re.compile(r"\b(?:last\s+(?:dose|cycle|infusion)|stopped|discontinued|completed|finished)\b", re.IGNORECASE)
_WEAK_CURRENT = frozenset({"started", "since", "on"})


@lru_cache(maxsize=1)
def assertion_policy() -> dict:
    data = read_json_data(models_path("rules", "assertion_policy.json"), AssertionPolicy)

    def words(key: str) -> re.Pattern:
        alts = "|".join(
            w if "\\" in w else re.escape(w).replace(r"\ ", r"\s+") for w in sorted(data[key], key=len, reverse=True)
        )
        return re.compile(r"(?<![A-Za-z])(?:" + alts + r")(?![A-Za-z])", re.IGNORECASE)

    ongoing = "|".join(data.get("ongoing_date_cues", [])) or r"(?!x)x"
    negated_start = "|".join(re.escape(w) for w in data.get("negated_start_cues", [])) or r"(?!x)x"
    return {
        "weak_past": frozenset(c.lower() for c in data.get("therapy_weak_past_cues", [])),
        "conditional": words("therapy_conditional_cues") if data.get("therapy_conditional_cues") else None,
        "negated_start": re.compile(r"\b(?:" + negated_start + r")\b(?:\s+[\w/-]+){0,2}\s*$", re.IGNORECASE),
        "ongoing_date": re.compile(r"\b(?:" + ongoing + r")\s*$", re.IGNORECASE),
        "never_concepts": frozenset(data["never_historical_concepts"]),
        "never_kinds": frozenset(data["never_historical_kinds"]),
        "no_date_kinds": frozenset(data["no_date_historical_kinds"]),
        "history_heading_kinds": frozenset(data.get("historical_under_history_heading_kinds", [])),
        "negated_historical_cues": frozenset(data.get("negated_keeps_historical_cues", [])),
        "past": words("therapy_past_cues"),
        "comparison_cues": frozenset(c.lower() for c in data.get("comparison_cues", [])),
        "comparison_kinds": frozenset(data.get("comparison_kinds", [])),
        "current": words("therapy_current_cues"),
    }


_PAREN_OPEN = re.compile(r"[ \t]*\(")
THERAPY_KINDS = ("drug", "drug_class", "procedure")


_REGIMEN_JOIN = re.compile(r"(?:[\s,+/&]|\bplus\b|\bwith\b|\band\b|\x00)*", re.IGNORECASE)


def own_dates(text: str, dates: list[DateMention], span, targets, lex, s_start: int, s_end: int) -> list[DateMention]:
    """Dates a therapy mention may take: not those in a bracket right after another therapy
    ("after nivolumab and an investigational drug (last dose 08/08)": the date is the other one's),
    unless the two are one regimen ("pembrolizumab + carboplatin/5-FU (last dose 06/10)")."""
    therapies = []
    for t in targets:
        if t.start_char < s_start or t.end_char > s_end:
            continue
        e = lex.get(t.label_)
        if e is not None and (e.kind in THERAPY_KINDS or e.category == "prior_therapy"):
            therapies.append((t.start_char, t.end_char))
    taken: list[tuple[int, int]] = []
    for start, end in therapies:
        if (start, end) == (span.tok.start_char, span.tok.end_char):
            continue
        m = _PAREN_OPEN.match(text, end, s_end)
        if not m:
            continue
        lo, hi = (span.end_char, start) if start >= span.end_char else (end, span.start_char)
        between = list(text[lo:max(lo, hi)])
        for a, b in therapies:  # other therapy names inside a regimen are part of the chain
            if lo <= a and b <= hi:
                between[a - lo:b - lo] = "\x00" * (b - a)
        if _REGIMEN_JOIN.fullmatch("".join(between)):
            continue
        close = text.find(")", m.end(), s_end)
        taken.append((m.end(), close if close != -1 else s_end))
    if not taken:
        return dates
    return [d for d in dates if not any(lo <= d.start and d.end <= hi for lo, hi in taken)]


def outside_other_brackets(
    text: str, dates: list[DateMention], start: int, end: int, s_start: int
) -> list[DateMention]:
    """Dates a mention may take: not one inside a bracket the mention is neither in nor directly before
    ("DM2 (A1c 7.2% 06/2025), HTN": the date is the A1c's, not the hypertension's)."""
    out = []
    for d in dates:
        open_at = text.rfind("(", s_start, d.start)
        close_at = text.find(")", d.end)
        inside = open_at != -1 and text.find(")", open_at, d.start) == -1 and close_at != -1
        if inside and not (open_at <= start and end <= close_at + 1) and not (
                0 <= open_at - end <= 2 and not text[end:open_at].strip()):
            continue
        out.append(d)
    return out


def fact_date(dates: list[DateMention], start: int, end: int, s_start: int, s_end: int, note_date: dt.date):
    in_sent = [d for d in dates if d.start >= s_start and d.end <= s_end]
    d = nearest(in_sent, start, end) if in_sent else None
    if d is None or d.date > note_date + dt.timedelta(days=366):
        return note_date, None
    return d.date, d


_START_CUE = re.compile(
    r"\b(?:start(?:ed|ing)?|initiat(?:ed|ion)|began|begun|commenced|since|from|C1D1)\b", re.IGNORECASE
)
_LAST_CUE = re.compile(
    r"\b(?:last\s+(?:dose|infusion|cycle|treatment|administration|taken|used|given|injection|tablet)|through|until|to|stopped|discontinued|completed|ended)\b",
    re.IGNORECASE,
)



_RANGE_DASH = re.compile(r"\s*(?:-|–|to|through|until)\s*$", re.IGNORECASE)


def therapy_dates(text: str, dates: list[DateMention], s_start: int, s_end: int) -> dict[str, dt.date]:
    """``start_date`` / ``last_dose_date`` from cue words ("started", "last dose") or a date range
    ("09/2024-03/2025": first and last)."""
    out: dict[str, dt.date] = {}
    in_sent = sorted((d for d in dates if d.start >= s_start and d.end <= s_end), key=lambda d: d.start)
    for prev, d in itertools.pairwise(in_sent):
        if d.start - prev.end <= 9 and _RANGE_DASH.search(text, prev.end, d.start) and prev.date <= d.date:
            out.setdefault("start_date", prev.date)
            out.setdefault("last_dose_date", d.date)
    for d in in_sent:
        before = text[max(s_start, d.start - 30):d.start]
        if _LAST_CUE.search(before) and "last_dose_date" not in out:
            out["last_dose_date"] = d.date
        elif (start := _START_CUE.search(before)) and "start_date" not in out \
                and not assertion_policy()["negated_start"].search(before, 0, start.start()):  # "no tx started today"
            out["start_date"] = d.date
    return out


def ongoing_from(text: str, date_start: int, s_start: int) -> bool:
    """The words right before a date say the state goes on from it ("since 2024", "last filled 11/03/2025")."""
    return assertion_policy()["ongoing_date"].search(text, max(s_start, date_start - 20), date_start) is not None


def is_current_therapy(kind: str, text: str, s_start: int, s_end: int) -> bool:
    return kind in ("drug", "drug_class") and bool(assertion_policy()["current"].search(text, s_start, s_end))


def _closer(m1: re.Match, m2: re.Match, pos: int) -> bool:
    """True when match ``m1`` is nearer to ``pos`` than ``m2``."""
    def dist(m):
        return 0 if m.start() <= pos < m.end() else min(abs(m.start() - pos), abs(m.end() - pos))
    return dist(m1) < dist(m2)


def _weak_past_out_of_place(sent: str, m: re.Match, pos: int, pos_end: int) -> bool:
    """A sequence word ('then', 'had') in another clause than the drug, or in a clause stating a plan or an
    option ('if not enrolled, proceed with cCRT then osimertinib')."""
    from .note_rules import rules as note_rules

    lo, hi = min(m.start(), pos), max(m.end(), pos_end)
    if ";" in sent[lo:hi]:
        return True
    c_lo = sent.rfind(";", 0, pos) + 1
    c_hi = sent.find(";", pos_end)
    clause = sent[c_lo: len(sent) if c_hi < 0 else c_hi]
    conditional = assertion_policy()["conditional"]
    return (re.search(note_rules().plan_pattern, clause, re.IGNORECASE) is not None
            or (conditional is not None and conditional.search(clause) is not None))


def therapy_tense(a, text: str, span, s_start: int, s_end: int, dates: list[DateMention], note_date: dt.date) -> None:
    """A therapy line is historical when the sentence says it is over (received, stopped, PD on,
    last dose weeks ago) and nothing says it is ongoing (currently, C3D1, given today)."""
    policy = assertion_policy()
    sent = text[s_start:s_end]
    pos, pos_end = span.start_char - s_start, span.end_char - s_start
    cues = [(m, "past") for m in policy["past"].finditer(sent)] + [
        (m, "current") for m in policy["current"].finditer(sent)
    ]
    cues = [(m, t) for m, t in cues if not (t == "past" and m.group(0).lower() in policy["weak_past"]
                                             and _weak_past_out_of_place(sent, m, pos, pos_end))]
    if cues:
        def dist(item):  # characters between the cue and the mention (0 when they overlap)
            m, tense = item
            d = pos - m.end() if m.end() <= pos else (m.start() - pos_end if m.start() >= pos_end else 0)
            return (d, tense != "past")
        m, tense = min(cues, key=dist)
        if tense == "current" and m.group(0).lower() in _WEAK_CURRENT:
            stop = _STOP_CUE.search(sent, pos_end)  # "started X 6/2024; last dose 6/18/2025": the line is over
            if stop is not None and not any(
                t == "current" and c.group(0).lower() not in _WEAK_CURRENT for c, t in cues
            ):
                m, tense = stop, "past"
        if tense == "current":
            return
        a.set("historical", CueHit("HISTORICAL", m.group(0), s_start + m.start(), s_start + m.end()))
        return
    for d in dates:
        if (s_start <= d.start and d.end <= s_end and (note_date - d.date).days > HISTORICAL_AFTER_DAYS
                and not ongoing_from(text, d.start, s_start)):
            a.set("historical", CueHit("HISTORICAL_DATE", text[d.start:d.end], d.start, d.end))
            return


def nearest_drug(targets, span, lex, s_start, s_end) -> str | None:
    best, dist = None, None
    for t in targets:
        if t.start_char < s_start or t.end_char > s_end or t is span.tok:
            continue
        e = lex.get(t.label_)
        if e is None or e.kind not in ("drug", "drug_class"):
            continue
        d = abs(t.start_char - span.end_char)
        if dist is None or d < dist:
            best, dist = t.label_, d
    return best


def contextual_historical(a, policy: dict, concept: str, kind: str, sec) -> bool:
    """ConText's temporality on top of the flags above: a negated fact whose historical cue was kept ("no
    history of MI") is historical too, and a condition listed under a past-history heading is historical.
    Returns True when the heading alone made it so (the list may hold an ongoing condition: not over)."""
    if a.historical or a.family or a.hypothetical or concept in policy["never_concepts"]:
        return False
    if a.negated and any(c.category in policy["negated_historical_cues"] for c in a.cues):
        a.historical = True
        return False
    if sec is not None and sec.assertion == "history" and kind in policy["history_heading_kinds"]:
        a.historical = True  # negated or not: "PMH: no diabetes" is a statement about the past too
        return True
    return False
