"""Decide, once per note, everything the matcher needs from the words around each fact.

After the pipeline has found a note's mentions (``facts.build_facts``), this pass reads the note text
around each fact and records the result as typed fields of the fact: the event date the text states,
what a therapy mention says about administration (current, stopped, planned, past), whether a drug is
only planned or discussed, qualifier words (uncontrolled, resolved, severe...), test methods, predicted
or earlier values, copy-forward keys, and note-level statements (section headings, "not on any anticancer
therapy", the title line). ``pipeline/match`` reads these records and never the note text.

Patterns are data: ``models/rules/note_context.json`` (validated at load) and the qualifier groups of
``models/rules/qualifiers.json``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from bisect import bisect_left
from functools import lru_cache
from typing import Literal

from ..lexicon import Lexicon
from ..rulefile import words_pattern
from ..schema import Fact, Note, QualifierCue, Reading, Therapy
from .casefold import ascii_lower, lower_twin, match_in, search, search_in
from .derived import derived_facts
from .doses import daily_dose
from .fact_values import row_limit
from .note_rules import qualifier_words, rules
from .note_text import (
    ago_dates,
    any_of,
    clause_around,
    clause_span,
    dates_in,
    first_in,
    last_dose_in_text,
    sentence_bounds,
    text_memo,
)

DRUG_KINDS = ("drug", "drug_class")
EXPOSURE_KINDS = ("drug", "drug_class", "procedure")
_DOSE_DETAIL = ("last_dose_date", "start_date", "cycles", "response")
_PROGRESSED = ("progression", "progressive disease", "pd", "progressed")


@lru_cache(maxsize=None)
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=1)
def qualifier_patterns() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]:
    return tuple((g.id, words_pattern(g.supports), words_pattern(g.contradicts)) for g in qualifier_words().groups)


# ----------------------------------------------------------------------------- stretches of text


def _starting_in(text: str, facts: list[Fact], lo: int, hi: int) -> list[Fact]:
    """The facts that start in ``[lo, hi)``, in their order in ``facts`` (the only ones a sentence's
    narrowing can read: a note's facts are sorted by start once, not scanned for every fact)."""
    memo = text_memo(text, "starts")
    index = memo.get(id(facts))
    if index is None or index[0] is not facts:
        order = sorted(range(len(facts)), key=lambda i: facts[i].start)
        index = memo[id(facts)] = (facts, order, [facts[i].start for i in order])
    _, order, starts = index
    return [facts[i] for i in sorted(order[bisect_left(starts, lo):bisect_left(starts, hi)])]


def own_stretch(text: str, f: Fact, facts: list[Fact], lexicon: Lexicon) -> tuple[int, int]:
    """The fact's sentence, cut at the neighbouring mentions of other drugs ('cisplatin x3, then
    toripalimab, last dose 1 Jul': the last dose belongs to toripalimab), and at an unnamed second therapy."""
    s_, e_ = sentence_bounds(text, f.start, f.end)
    for o in _starting_in(text, facts, s_, e_):
        if o.concept == f.concept or not (s_ <= o.start < e_) or o.statement:
            continue
        entry = lexicon.get(o.concept)
        if entry is None or entry.kind not in DRUG_KINDS:
            continue
        if o.end <= f.start:
            s_ = max(s_, o.end)
        elif o.start >= f.end:
            e_ = min(e_, o.start)
    other = search(_rx(rules().other_therapy_pattern), text, f.end, max(f.end, e_))
    if other:
        e_ = other.start()
    return s_, e_


def mention_context(text: str, f: Fact, facts: list[Fact]) -> tuple[int, int]:
    """The sentence between the neighbouring mentions of other concepts ('COPD on tiotropium, childhood asthma
    (inactive)': 'inactive' is asthma's); a condition's runs past its drugs ('HTN - amlodipine, well controlled')."""
    s, e = sentence_bounds(text, f.start, f.end)
    for o in _starting_in(text, facts, s, e + 1):  # o.start == e passes for an empty o
        if (o.concept == f.concept or o.statement or not (s <= o.start and o.end <= e)
                or o.start >= f.end and o.therapy is not None and f.therapy is None):
            continue
        if o.end <= f.start:
            s = max(s, o.end)
        elif o.start >= f.end:  # up to the comma that leads to the next one ('..., childhood asthma')
            sep = max(text.rfind(",", f.end, o.start), text.rfind(";", f.end, o.start))
            e = min(e, sep if sep > f.end and f.therapy is None else o.start)
    return s, e


# ----------------------------------------------------------------------------- per-fact decisions


def _stated_last_dose(text: str, f: Fact, stretch: tuple[int, int]) -> dt.date | None:
    if f.note_date is None:
        return None
    memo = text_memo(text, "last_dose")
    key = (stretch, f.note_date)
    if key not in memo:  # the facts of a sentence share their stretches
        found = last_dose_in_text(text[stretch[0]:stretch[1]], f.note_date)
        memo[key] = found[1] if found else None
    return memo[key]


def _event_date(text: str, f: Fact, stretch: tuple[int, int]) -> dt.date | None:
    """When the event happened, when the text states it; None when only the fact's own date is known.

    A stated last dose wins; then an explicit date the extractor read (unless it precedes the therapy's
    start); then the latest past date written in the mention's clause and stretch, or "N years ago"."""
    own = f.date or f.note_date
    last_attr = f.therapy.last_dose_date if f.therapy else None
    if last_attr is not None:
        return last_attr
    if f.note_date is None:
        return None
    stated = _stated_last_dose(text, f, stretch)
    if stated is not None:
        return stated
    start = f.therapy.start_date if f.therapy else None
    explicit = f.date is not None and f.date != f.note_date
    if explicit and not (start is not None and own is not None and own < start):
        return f.date
    best: dt.date | None = None
    c_s, c_e = clause_span(text, f.start, f.end)
    lo, method = max(c_s, stretch[0]), _rx(r"(?:" + rules().value_method_pattern + r")[ \t]*[(,]?[ \t]*$")
    for at, when in _dates_between(text, lo, min(c_e, stretch[1]), f.note_date):  # not "(CKD-EPI 2021)"'s year
        if when < f.note_date and (best is None or when > best) and not method.search(text, lo + max(0, at - 30),
                                                                                       lo + at):
            best = when
    memo = text_memo(text, "ago")
    key = (c_s, c_e, f.note_date)
    if key not in memo:
        memo[key] = ago_dates(text[c_s:c_e], f.note_date)
    for when in memo[key]:
        if best is None or when > best:
            best = when
    return best if best is not None and best != own else None


def _dates_between(text: str, start: int, end: int, ref: dt.date) -> list[tuple[int, dt.date]]:
    """``dates_in(text[start:end], ref)``, read once per note and stretch (read-only: the list is shared)."""
    memo = text_memo(text, "dates")
    key = (start, end, ref)
    found = memo.get(key)
    if found is None:
        found = memo[key] = dates_in(text[start:end], ref)
    return found


def _therapy(text: str, f: Fact, stretch: tuple[int, int], planned: bool) -> Therapy:
    """What a drug mention says about its administration, as of its note (``planned``: ``_planned``'s answer)."""
    t = f.therapy or Therapy()
    r = rules()
    last = t.last_dose_date or _stated_last_dose(text, f, stretch)
    local = clause_around(text, f.start, f.end)
    lead = text[max(stretch[0], f.start - 30):f.start]
    ss, se = sentence_bounds(text, f.start, f.end)
    dated = _dates_between(text, ss, se, f.note_date) if f.note_date else []
    before = max(d for _, d in dated) if dated else None
    state: str
    reason: str
    if planned:
        state, reason = "planned", "named in a plan or as an option"
    elif f.over:
        state, reason = "past", "historical mention"
    elif str(t.response or "").lower() in _PROGRESSED:
        state, reason = "past", "progressed on it"
    elif _rx(r.stopped_pattern).search(text, stretch[0], max(stretch[0], stretch[1])):
        state, reason = "stopped", "stopped or completed"
    elif _rx(r.ongoing_pattern).search(local) or f.section == "medications" or _rx(r.ongoing_lead_pattern).search(lead):
        state, reason = "current", "ongoing"
    elif _rx(r.past_therapy_pattern).search(local):
        state, reason = "past", "given in the past"
    elif last is not None and f.note_date is not None and last < f.note_date:
        state, reason = "past", "last dose stated"  # "meloxicam last taken 08/12/2025", nothing says it goes on
    elif _rx(r.dosing_after_pattern).match(text[f.end:min(len(text), f.end + 80, stretch[1] + 80)]):
        state, reason = "current", "dose and frequency listed"
    else:
        state, reason = "unclear", "no cue whether it continues"
    return t.model_copy(update={"state": state, "reason": reason, "last_dose_date": last,
                                "sentence_dated_before": before})


def continued(text: str, start: int, end: int) -> bool:
    """The clause says to continue the drug at ``[start, end)``: it is taken now ('Recommend continuing X')."""
    return _rx(rules().continuation_pattern).search(clause_around(text, start, end)) is not None


def _planned(text: str, f: Fact, kind: str | None) -> bool:
    """A drug named in a plan, a referral or a trial being discussed, with no dose or date detail."""
    if kind not in EXPOSURE_KINDS or f.over:
        return False
    t = f.therapy
    if t is not None and (t.last_dose_date or t.start_date or t.cycles or t.response):
        return False
    if continued(text, f.start, f.end):
        return False  # "Recommend continuing risperidone": taken now, and to go on
    s_, e_ = sentence_bounds(text, f.start, f.end)
    return search(_rx(rules().plan_pattern), text, s_, e_) is not None


def _positive_in_name(f: Fact) -> bool:
    """The mention's own words state the finding ('EGFR-mutant', 'KRAS G12C') and no result read
    after the mention says otherwise (a result word before it belongs to the previous item, a hyphen
    inside it joins a compound: 'brain MRI neg), EGFR-mutated')."""
    if f.negated or not _rx(rules().positive_in_name_pattern).search(f.text):
        return False
    if f.value is None:
        return True
    results = [c for c in f.cues if c.category == "RESULT"]
    return bool(results) and all(c.start < f.end for c in results)


_Scope = Literal["context", "after", "sentence"]
_Polarity = Literal["supports", "contradicts"]


_Patterns = tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]


def _qualifier_scan(text: str) -> tuple[_Patterns, re.Pattern[str] | None, str]:
    """The qualifier patterns, their alternation and the text to search for their spans: the lower-case twins
    and the lower-cased note when the note is ASCII (``casefold``; several times faster), else the originals."""
    low = ascii_lower(text)
    twins = _qualifier_twins() if low is not None else None
    if twins is not None and low is not None:
        return twins[0], twins[1], low
    return qualifier_patterns(), any_qualifier(), text


@lru_cache(maxsize=1)
def _qualifier_twins() -> tuple[_Patterns, re.Pattern[str] | None] | None:
    twins = tuple((gid, lower_twin(sup), lower_twin(con)) for gid, sup, con in qualifier_patterns())
    anyone = any_qualifier()
    any_twin = lower_twin(anyone) if anyone is not None else None
    if any(s is None or c is None for _, s, c in twins) or (anyone is not None and any_twin is None):
        return None
    return twins, any_twin  # type: ignore[return-value]  # every twin was checked


def _sentence_qualifiers(text: str, ss: int, se: int) -> list[tuple[str, re.Pattern[str], re.Pattern[str],
                                                                     re.Match[str] | None, re.Match[str] | None]]:
    """Each qualifier group's first supporting and contradicting match in the sentence ``[ss, se)``, searched
    once a sentence (the facts of one sentence share them), with the patterns to search its windows with
    (over ``_qualifier_scan``'s text: read a match's words from ``text`` by its offsets)."""
    memo = text_memo(text, "qualifiers")
    found = memo.get((ss, se))
    if found is None:
        patterns, anyone, scanned = _qualifier_scan(text)
        first = anyone.search(scanned, ss, se) if anyone is not None else None
        if anyone is not None and first is None:
            found = [(gid, sup, con, None, None) for gid, sup, con in patterns]
        else:  # no pattern matches before the alternation's first match: each search starts there
            lo = ss if first is None else first.start()
            found = [(gid, sup, con, sup.search(scanned, lo, se), con.search(scanned, lo, se))
                     for gid, sup, con in patterns]
        memo[(ss, se)] = found
    return found


@lru_cache(maxsize=1)
def any_qualifier() -> re.Pattern[str] | None:
    """Every qualifier pattern as one alternation (``note_text.any_of``): a sentence where it finds nothing
    costs one search, not one per pattern."""
    return any_of(tuple(rx for _, sup, con in qualifier_patterns() for rx in (sup, con)))


def _no_qualifier_in(text: str, lo: int, hi: int) -> bool:
    """No qualifier group's words in ``[lo, hi)`` (one search of the combined pattern, ``any_qualifier``)."""
    _, anyone, scanned = _qualifier_scan(text)
    return anyone is not None and anyone.search(scanned, lo, hi) is None


def _qualifier_cues(text: str, f: Fact, facts: list[Fact]) -> list[QualifierCue]:
    cs, ce = mention_context(text, f, facts)
    ss, se = sentence_bounds(text, f.start, f.end)
    se = max(ss, se)
    ce, after_end = max(cs, ce), max(f.end, se)
    found = _sentence_qualifiers(text, ss, se)
    if (all(sup_whole is None and con_whole is None for *_, sup_whole, con_whole in found)
            and (ce == se or _no_qualifier_in(text, cs, ce))
            and (after_end == se or _no_qualifier_in(text, f.end, after_end))):
        return []  # no group's words in the sentence, nor in a window a shorter end could change
    scanned = _qualifier_scan(text)[2]
    # the mention that ends the context, whose words a qualifier may take ('pneumonia, on antibiotics')
    bound = next((o.end for o in _starting_in(text, facts, ce, ce + 1) if o.end <= se and o.concept != f.concept),
                 None)
    out = []
    for gid, sup, con, sup_whole, con_whole in found:
        windows: tuple[tuple[_Polarity, _Scope, re.Match[str] | None], ...] = (
            ("supports", "context", first_in(sup, scanned, cs, ce, sup_whole, ss, se)
             or _into(sup, scanned, cs, ce, bound)),
            ("contradicts", "context", first_in(con, scanned, cs, ce, con_whole, ss, se)),
            ("contradicts", "after", first_in(con, scanned, f.end, after_end, con_whole, ss, se)),
            ("supports", "sentence", sup_whole))
        for polarity, scope, m in windows:
            if m:
                out.append(QualifierCue(group=gid, polarity=polarity, scope=scope, text=text[m.start():m.end()],
                                        start=m.start(), end=m.end()))
    return out


def _into(rx: re.Pattern[str], text: str, lo: int, hi: int, bound: int | None) -> re.Match[str] | None:
    """A match that starts in ``[lo, hi)`` and runs into the mention ending at ``bound`` ('on antibiotics')."""
    m = rx.search(text, lo, bound) if bound is not None else None
    return m if m is not None and m.start() < hi < m.end() else None


def _method(text: str, f: Fact, facts: list[Fact], aliases: dict[str, str]) -> str | None:
    if f.method:
        return f.method.upper()
    cs, ce = mention_context(text, f, facts)
    context = text[cs:ce]
    for pattern, method in aliases.items():
        if re.search(pattern, context, re.IGNORECASE):
            return method
    return None


def _reading(text: str, f: Fact) -> Reading | None:
    r = rules()
    left, right = clause_span(text, f.start, f.end)
    before = text[max(left, f.start - 30, text.rfind("\n", 0, f.start) + 1):f.start]
    clause = text[left:right]
    memo = text_memo(text, "clause_reading")  # the facts of a clause share what it says
    said = memo.get((left, right))
    if said is None:
        said = memo[(left, right)] = (bool(search_in(_rx(r.non_target_pattern), clause)),
                                      bool(search_in(_rx(r.prediction_pattern), clause)))
    update = {"prior_value": bool(search_in(_rx(r.prior_value_pattern), before)), "non_target": said[0],
              "predicted": said[1]}
    if f.negated and f.value is None:
        around = " ".join([c.text for c in f.cues] + [clause])
        update["undetectable"] = bool(_rx(rules().undetectable_pattern).search(around))
    if f.reading is None:  # a default reading is made only when a flag is set (most facts have none)
        return Reading(**update) if any(update.values()) else None  # type: ignore[arg-type]  # bools only
    return f.reading.model_copy(update=update)


def _sentence_key(text: str, f: Fact) -> str:
    bounds = sentence_bounds(text, f.start, f.end)
    memo = text_memo(text, "sentence_key")  # the facts of a sentence share its key
    key = memo.get(bounds)
    if key is None:
        sentence = " ".join(text[bounds[0]:bounds[1]].split()).lower()
        short = len(sentence) < rules().copy_forward_min_chars
        key = memo[bounds] = "" if short else hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:16]
    return key


# ----------------------------------------------------------------------------- assertion refinements


def _family_checked(text: str, f: Fact) -> Fact:
    """Keep a 'family' flag only when the fact's own line names a relative (a cue from a section heading
    several lines up does not count)."""
    if not f.family:
        return f
    line_start = text.rfind("\n", 0, f.start) + 1
    line_end = text.find("\n", f.end)
    line_end = line_end if line_end >= 0 else len(text)
    if _rx(rules().family_pattern).search(text, line_start, line_end):
        return f
    return f.model_copy(update={"family": False})


def _negation_checked(f: Fact, result_cues: set[tuple[int, int]]) -> Fact:
    """Drop a negation whose only cue is another fact's result word ("tongue SCC (p16 negative)")."""
    if not f.negated or f.value is not None:
        return f
    neg = [c for c in f.cues if "NEG" in c.category.upper()]
    if neg and all((c.start, c.end) in result_cues for c in neg):
        return f.model_copy(update={"negated": False})
    return f


_BE, _PUNCT = re.compile(r"\s*(?:is|was|has|have|had)?\s*(?:been\s+)?"), re.compile(r"[,;:]")


def _confirmation_checked(text: str, f: Fact) -> Fact:
    """'we have not confirmed progression', 'progression not confirmed': unproven, so uncertain."""
    if f.uncertain or f.family or f.hypothetical:
        return f
    s_, e_ = sentence_bounds(text, f.start, f.end)
    before = text[max(s_, f.start - 40):f.start]
    after = text[f.end:min(e_, f.end + 30)]
    rx = _rx(rules().unconfirmed_pattern)
    hit_before = search_in(rx, before) and any(not _PUNCT.search(before, m.end()) for m in rx.finditer(before))
    be = _BE.match(after)
    hit_after = match_in(rx, after.lstrip(" (")) or (be is not None and match_in(rx, after[be.end():]))
    if hit_before or hit_after:
        return f.model_copy(update={"negated": False, "uncertain": True})
    return f


# ----------------------------------------------------------------------------- the pass


def refine_facts(note: Note, facts: list[Fact], lexicon: Lexicon, method_aliases: dict[str, str]) -> list[Fact]:
    """The note's facts with every text-derived field decided, plus its note-level statements."""
    text = note.text
    result_cues = {(c.start,
                    c.end) for f in facts if f.value is not None for c in f.cues if "NEG" not in c.category.upper()}
    from .name_assertion import assertion_in_name_checked, not_the_thing  # they read this module's rules

    refined = [not_the_thing(text, assertion_in_name_checked(_confirmation_checked(
        text, _negation_checked(_family_checked(text, f), result_cues)))) for f in facts]
    out: list[Fact] = []
    for f in refined:
        entry = lexicon.get(f.concept)
        kind = entry.kind if entry is not None else None
        planned = _planned(text, f, kind)  # only _therapy reads it: set with the rest, in one copy
        stretch = own_stretch(text, f, refined, lexicon)
        update: dict = {"planned": planned, "event_date": _event_date(text, f, stretch),
                        "sentence_key": _sentence_key(text, f), "qualifier_cues": _qualifier_cues(text, f, refined),
                        "reading": _reading(text, f)}
        if kind in DRUG_KINDS:
            update["therapy"] = therapy = _therapy(text, f, stretch, planned)
            if therapy.state == "current" and f.value is None and not f.negated:
                dose = daily_dose(text, f.end, row_limit(text, f.end, len(text)))
                if dose is not None:  # "OxyContin 10 mg bd": 20 mg a day, read only for a drug taken now
                    update["value"], update["unit"] = dose.value, dose.unit
        if kind == "result":
            update["method"] = _method(text, f, refined, method_aliases)
            if _positive_in_name(f):
                update["value"] = "positive"
            elif f.value is None and f.negated and any(c.category == "SECTION_NEGATED" for c in f.cues):
                update["value"] = "negative"  # listed under "Not detected:"
        out.append(f.model_copy(update=update))
    from .note_statements import birth_dates, note_statements  # they read this module's rules

    births = birth_dates(note)
    return out + derived_facts(note, out + births) + births + note_statements(note)
