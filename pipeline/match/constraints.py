"""Evaluate one constraint's condition against a patient profile.

A constraint states a condition ("platelets >= 100", "anti-EGFR mAb present", "HPV == negative by
IHC"); the verdict says whether it holds for this patient (met), does not (not_met), or the notes
cannot tell (unknown). ``negated`` constraints are evaluated positively then inverted.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from dateutil.relativedelta import relativedelta

from ..extract.units import convert
from ..lexicon import Lexicon
from ..schema import Constraint, Criterion, Evidence, Fact, Window
from .absence import silence_outcome
from .logic import MET, NOT_MET, UNKNOWN, Outcome, Tri
from .profile import PatientProfile, evidence_from_fact, fact_date, sentence_bounds, trustworthy
from .rules import ordinal_values, settings, surrogates, uln_defaults
from .qualifiers import QualifierGroup, fact_context, purpose_clause, group_by_id, groups_for, history_clause, support
from .textsearch import find_phrase

_NEUTRAL_SEX = {"all", "both", "any", "either"}
EXPOSURE_KINDS = ("drug", "drug_class", "procedure")
_EXPOSURE_UNITS = ("cycle", "dose", "course", "line", "infusion")


def _known(concept: str, lexicon: Lexicon) -> bool:
    """In the lexicon as a concept, or used as a class by some concept (``lung_disease``)."""
    return concept in ("age", "sex") or concept in lexicon or _is_class(concept, lexicon)


def _is_class(concept: str, lexicon: Lexicon) -> bool:
    return any(concept in e.classes for e in lexicon.by_concept.values())


@dataclass
class MatchContext:
    profile: PatientProfile
    lexicon: Lexicon
    as_of: dt.date
    first_dose: dt.date
    listing_text: str = ""

    def anchor(self, window: Window) -> dt.date:
        return self.as_of if window.anchor in ("as_of", "today", "screening") else self.first_dose

    def ev(self, facts: list[Fact]) -> list[Evidence]:
        return [evidence_from_fact(f, self.profile.notes) for f in facts]


# ----------------------------------------------------------------------------- helpers


def _delta(window: Window) -> relativedelta:
    n = window.value
    if window.unit == "day":
        return relativedelta(days=round(n))
    if window.unit == "week":
        return relativedelta(days=round(7 * n))
    if window.unit == "month":
        return relativedelta(months=int(n), days=round((n - int(n)) * 30))
    return relativedelta(years=int(n), days=round((n - int(n)) * 365))


def _dose_date(f: Fact) -> Optional[dt.date]:
    """The date a fact's event applies to: the last dose of a drug when stated, else its date."""
    for key in ("last_dose_date", "end_date", "stop_date"):
        v = f.attributes.get(key)
        if v:
            try:
                return dt.date.fromisoformat(str(v)[:10])
            except ValueError:
                pass
    return fact_date(f)


_DATE_IN_TEXT = re.compile(r"\b(?:(?P<m>\d{1,2})/(?:(?P<d>\d{1,2})/)?)?(?P<y>(?:19|20)\d{2})\b")


def _clause_around(text: str, start: int, end: int) -> str:
    """The comma/semicolon-delimited clause holding ``text[start:end]`` ("remote MI/PCI 2019")."""
    left = max(text.rfind(ch, 0, start) for ch in ",;\n") + 1
    rights = [i for i in (text.find(ch, end) for ch in ",;\n") if i >= 0]
    s_, e_ = sentence_bounds(text, start, end)
    left, right = max(left, s_), min(rights + [e_])
    if text.count("(", left, right) > text.count(")", left, right):
        # "Skin SCCs excised x2 (2019, 2021)": a parenthesis is one clause
        close = text.find(")", right, e_)
        right = close + 1 if close >= 0 else right
    return text[left:right]


_AGO = re.compile(r"\b(\d{1,3})\s*(years?|yrs?|y|months?|mo|weeks?|wks?|days?)\s+ago\b", re.I)


def _event_date(f: Fact, ctx: "MatchContext") -> Optional[dt.date]:
    """When an event happened: a stated last dose or a date the extractor read, else the latest past
    date written next to the mention ("papillary thyroid cancer 2014", "MI/PCI 2019"), else its date.
    A bare year counts as its last day and a month/year as its month's last day (the later bound)."""
    stated = _dose_date(f)
    if _explicit_date(f) or f.note_date is None:
        return stated
    note = ctx.profile.notes.get(f.note_id)
    if note is None:
        return stated
    best: Optional[dt.date] = None
    for m in _DATE_IN_TEXT.finditer(_clause_around(note.text, f.start, f.end)):
        y, mo, d = int(m.group("y")), m.group("m"), m.group("d")
        try:
            if mo and d:
                when = dt.date(y, int(mo), int(d))
            elif mo:
                when = dt.date(y, int(mo), 1) + relativedelta(months=1, days=-1)
            else:
                when = dt.date(y, 12, 31)
        except ValueError:
            continue
        if when < f.note_date and (best is None or when > best):
            best = when
    for m in _AGO.finditer(_clause_around(note.text, f.start, f.end)):
        n, unit = float(m.group(1)), m.group(2).lower()
        delta = relativedelta(years=int(n)) if unit.startswith("y") else relativedelta(months=int(n)) if unit.startswith("mo") \
            else relativedelta(days=int(7 * n)) if unit.startswith("w") else relativedelta(days=int(n))
        when = f.note_date - delta
        if best is None or when > best:
            best = when
    return best or stated


def _explicit_date(f: Fact) -> bool:
    return bool(f.attributes.get("last_dose_date")) or (f.date is not None and f.note_date is not None and f.date != f.note_date)


def in_window(d: Optional[dt.date], window: Window, anchor: dt.date) -> Optional[bool]:
    """Whether date ``d`` satisfies the window relative to ``anchor``; None when ``d`` is unknown."""
    if d is None:
        return None
    edge = anchor - _delta(window)
    if window.comparator in ("<=", "<", "between", "=="):
        return edge <= d <= anchor if window.comparator != "<" else edge < d <= anchor
    if window.comparator in (">=", ">"):
        return d <= edge if window.comparator == ">=" else d < edge
    return True


def _num(v: object) -> Optional[float]:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return None
    return None


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _compare(x: float, comparator: str, lo: float, hi: Optional[float]) -> bool:
    if comparator == ">=":
        return x >= lo
    if comparator == ">":
        return x > lo
    if comparator == "<=":
        return x <= lo
    if comparator == "<":
        return x < lo
    if comparator == "between":
        return lo <= x <= (hi if hi is not None else lo)
    return abs(x - lo) < 1e-9


def _order(f: Fact) -> tuple:
    """Reading order: date, then note date, then position in the note."""
    return (fact_date(f) or dt.date.min, f.note_date or dt.date.min, f.note_id, f.start)


def _near(a: Fact, b: Fact, days: int) -> bool:
    da, db = fact_date(a), fact_date(b)
    return da is None or db is None or abs((da - db).days) <= days


def _lex_info(lexicon: Lexicon, concept: str) -> tuple[Optional[str], Optional[str]]:
    e = lexicon.get(concept)
    if e is None:
        members = [m for m in sorted(lexicon.by_concept.values(), key=lambda x: x.concept) if concept in m.classes]
        e = members[0] if members else None
    return (e.kind, e.category) if e else (None, None)


def _exposure_count(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome:
    presence = c.model_copy(update={"comparator": "present", "value": None, "unit": None})
    out = _evaluate_positive(presence, criterion, ctx)
    if out.verdict != MET:
        return out
    need = _num(c.value) or 0.0
    counts = [_num(f.attributes.get("cycles")) for f in ctx.profile.facts_for(c.concept, ctx.lexicon) if trustworthy(f)]
    counts = [n for n in counts if n is not None]
    if counts and not _compare(max(counts), c.comparator, need, c.value_high):
        return Outcome(NOT_MET, out.evidence, f"{c.concept.replace('_', ' ')}: {max(counts):g} {c.unit}(s), criterion {c.comparator} {need:g}")
    return out


# ----------------------------------------------------------------------------- entry point


def evaluate_constraint(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome:
    """The condition stated by ``c`` for this patient (``negated`` applied)."""
    if c.negated and c.comparator == "absent":
        # "no myocardial infarction": the parser may mark absence twice (negated + comparator); it means absent once
        c = c.model_copy(update={"negated": False})
    out = _evaluate_positive(c, criterion, ctx)
    if out.verdict == UNKNOWN and not out.concepts:
        out.concepts = [c.concept]
    return out.negate() if c.negated else out


def _evaluate_positive(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome:
    if purpose_clause(c, criterion, ctx.listing_text):
        return Outcome(UNKNOWN, [], f"'{c.text}' names what a sample is for, not a condition of the patient", [], neutral=True)
    if c.open_vocabulary or not _known(c.concept, ctx.lexicon):
        return _open_vocabulary(c, criterion, ctx)
    if c.concept == "sex":
        return _sex(c, ctx)
    kind, _ = _lex_info(ctx.lexicon, c.concept)
    if kind in EXPOSURE_KINDS and c.unit and c.unit.rstrip("s") in _EXPOSURE_UNITS:
        # "at least 1 cycle of prior anti-PD-1": exposure, with the count checked when stated
        return _exposure_count(c, criterion, ctx)
    if c.comparator in ("present", "absent"):
        if kind == "result":
            out = _result(c.model_copy(update={"comparator": "==", "value": "positive"}), criterion, ctx)
        else:
            out = _presence(c, criterion, ctx)
        return out.negate() if c.comparator == "absent" else out
    if isinstance(c.value, str) and _num(c.value) is None and ordinal_values().number(c.concept, c.value) is None:
        return _result(c, criterion, ctx)
    return _numeric(c, criterion, ctx)


# ----------------------------------------------------------------------------- presence


def _linked_to_therapy(f: Fact, target: str, ctx: MatchContext, drugs: list[Fact]) -> bool:
    on = f.attributes.get("on_therapy") or f.attributes.get("after_therapy")
    if on:
        ons = on if isinstance(on, list) else [on]
        return any(ctx.lexicon.is_a(str(o), target) or str(o) == target for o in ons)
    d = fact_date(f)
    starts = [fact_date(x) for x in drugs]
    return d is not None and any(s is not None and s <= d for s in starts)


def _presence(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome:
    facts = ctx.profile.facts_for(c.concept, ctx.lexicon)
    therapy = c.attributes.get("on_therapy") or c.attributes.get("after_therapy")
    if therapy:
        return _progression_on(c, therapy, criterion, ctx, facts)
    aff = [f for f in facts if trustworthy(f) and not _planned(f, ctx)]
    neg = [f for f in facts if f.negated and not (f.family or f.hypothetical)]
    unc = [f for f in facts if f.uncertain and not (f.negated or f.family or f.hypothetical)]
    days = settings().contradiction_days
    name = c.concept.replace("_", " ")
    kind, _ = _lex_info(ctx.lexicon, c.concept)
    if aff and kind in EXPOSURE_KINDS:
        last = aff[-1]
        d_last = fact_date(last) or dt.date.min
        denied = [n for n in neg if (fact_date(n) or dt.date.min) > d_last and ctx.lexicon.is_a(last.concept, n.concept)]
        if denied:
            # a later statement that the therapy was never given: contradiction if close in time, else it wins
            if ((fact_date(denied[-1]) or d_last) - d_last).days <= days:
                return Outcome(UNKNOWN, ctx.ev([last, denied[-1]]), f"{name}: given and denied in notes of similar date")
            return Outcome(NOT_MET, ctx.ev([denied[-1], last]), f"{name} denied on {fact_date(denied[-1])} (earlier mention {d_last})")
    if c.window is not None:
        anchor = ctx.anchor(c.window)
        return _presence_windowed(c, criterion, ctx, aff, neg, unc, anchor)
    if aff and kind in EXPOSURE_KINDS and needs_current(c, criterion):
        return _presence_current(c, criterion, ctx, aff, neg)
    groups = groups_for(c, criterion, ctx.listing_text) if aff else []
    if (aff and not groups and kind not in EXPOSURE_KINDS and needs_current(c, criterion)
            and not history_clause(c, criterion, ctx.listing_text)):
        groups = [group_by_id("qualifier.active")]
    if groups:
        later = [n for n in neg if (fact_date(n) or dt.date.min) > (fact_date(aff[-1]) or dt.date.min) + dt.timedelta(days=days)]
        if later:
            return Outcome(NOT_MET, ctx.ev([later[-1], aff[-1]]), f"{name} documented {fact_date(aff[-1])}, absent on {fact_date(later[-1])}")
        return _presence_qualified(c, groups, ctx, aff)
    if aff:
        clash = [n for n in neg if any(_near(n, a, days) for a in aff)]
        latest = aff[-1]
        hedged = [u for u in unc if (fact_date(u) or dt.date.min) >= (fact_date(latest) or dt.date.min)]
        if hedged:
            return Outcome(UNKNOWN, ctx.ev([latest, hedged[-1]]), f"{name}: the latest note hedges it ({hedged[-1].text!r})")
        if clash and fact_date(clash[-1]) and fact_date(latest) and fact_date(clash[-1]) >= fact_date(latest):  # type: ignore[operator]
            return Outcome(UNKNOWN, ctx.ev([latest, clash[-1]]), f"{name}: affirmed and negated in notes of similar date")
        return Outcome(MET, ctx.ev(aff[-2:] if len(aff) > 1 else aff), f"{name} documented ({fact_date(latest)})")
    if unc and neg and _order(neg[-1]) > _order(unc[-1]):
        return Outcome(NOT_MET, ctx.ev([neg[-1], unc[-1]]), f"{name} queried, then negated ({fact_date(neg[-1])})")
    if unc:
        return Outcome(UNKNOWN, ctx.ev(unc[-2:]), f"{name}: only uncertain mentions")
    if neg:
        return Outcome(NOT_MET, ctx.ev(neg[-1:]), f"{name} negated ({fact_date(neg[-1])})")
    return silence_outcome(c, criterion, ctx.profile, ctx.lexicon)


_DOSE_DETAIL = ("last_dose_date", "start_date", "cycles", "response", "line")


def _planned(f: Fact, ctx: MatchContext) -> bool:
    """A drug named in a plan, a referral or the trial being screened for is not an exposure."""
    entry = ctx.lexicon.get(f.concept)
    if entry is None or entry.kind not in ("drug", "drug_class") or f.historical or any(f.attributes.get(k) for k in _DOSE_DETAIL):
        return False
    note = ctx.profile.notes.get(f.note_id)
    if note is None:
        return False
    s_, e_ = sentence_bounds(note.text, f.start, f.end)
    return re.search(settings().plan_pattern, note.text[s_:e_], re.I) is not None


def needs_current(c: Constraint, criterion: Optional[Criterion]) -> bool:
    """The criterion asks about the present ("currently receiving"), not the history."""
    if (c.attributes.get("temporal") or c.attributes.get("temporality")) in ("current", "ongoing", "active"):
        return True
    text = criterion.text if criterion is not None else c.text
    return re.search(settings().current_pattern, text, re.I) is not None


def _past_in_clause(f: Fact, ctx: MatchContext) -> bool:
    """The mention's clause puts it in the past ("after the last anti-PD-1 dose")."""
    note = ctx.profile.notes.get(f.note_id)
    return note is not None and re.search(settings().past_pattern, _clause_around(note.text, f.start, f.end), re.I) is not None


def _presence_current(c: Constraint, criterion: Criterion, ctx: MatchContext, aff: list[Fact], neg: list[Fact]) -> Outcome:
    name = c.concept.replace("_", " ")
    horizon = ctx.as_of - dt.timedelta(days=settings().current_days)
    current = [f for f in aff if not f.historical and (fact_date(f) or dt.date.min) >= horizon and not _past_in_clause(f, ctx)]
    if current:
        latest = current[-1]
        d_latest = fact_date(latest) or dt.date.min
        # "No systemic therapy since June" covers a same-day mention of immunotherapy; "no chemo" does not cover pembrolizumab
        covering = [n for n in neg if (fact_date(n) or dt.date.min) >= d_latest and ctx.lexicon.is_a(latest.concept, n.concept)]
        if covering:
            return Outcome(NOT_MET, ctx.ev([covering[-1], latest]), f"{name}: {covering[-1].text} negated ({fact_date(covering[-1])})")
        later_neg = [n for n in neg if (fact_date(n) or dt.date.min) > d_latest]
        if later_neg:
            return Outcome(UNKNOWN, ctx.ev([latest, later_neg[-1]]), f"{name}: current use then denied")
        return Outcome(MET, ctx.ev([latest]), f"{name} current ({fact_date(latest)})")
    last = aff[-1]
    covered = silence_outcome(c, criterion, ctx.profile, ctx.lexicon)
    if covered.verdict != NOT_MET:
        return Outcome(UNKNOWN, ctx.ev([last]), f"{name}: last mentioned {fact_date(last)}; no clinician note says whether it continues")
    return Outcome(NOT_MET, ctx.ev([last] + neg[-1:]), f"{name} documented only in the past (latest {fact_date(last)})")


def _measured(group: QualifierGroup, f: Fact, ctx: MatchContext) -> Optional[tuple[bool, str]]:
    """The group's lab measure for this condition (e.g. HbA1c for diabetes control), latest value."""
    for m in group.measures:
        if not ctx.lexicon.is_a(f.concept, m.condition):
            continue
        vals = [g for g in ctx.profile.facts_for(m.concept, ctx.lexicon) if trustworthy(g) and _num(g.value) is not None]
        if vals:
            v = _num(vals[-1].value)
            assert v is not None
            return _compare(v, m.comparator, m.value, None), f"{m.concept} {v:g}"
    return None


def _judge(groups: list[QualifierGroup], f: Fact, ctx: MatchContext) -> tuple[str, str, bool]:
    """All qualifiers must hold: any 'no' decides no, all 'yes' decide yes, else unknown. The flag
    says whether the note's own words (or a measured lab) decided, rather than a default."""
    recent = (_event_date(f, ctx) or dt.date.min) >= ctx.as_of - dt.timedelta(days=settings().recent_event_days)
    note = ctx.profile.notes.get(f.note_id)
    verdicts = [support(g, f, note, ctx.profile.facts, recent=recent, measured=_measured(g, f, ctx)) for g in groups]
    explicit = any(w not in ("", "current", "past", "recent") for _, w in verdicts)
    for s_, w in verdicts:
        if s_ == "no":
            return "no", w, explicit
    if all(s_ == "yes" for s_, _ in verdicts):
        return "yes", ", ".join(w for _, w in verdicts), explicit
    return "unknown", "", explicit


def _presence_qualified(c: Constraint, groups: list[QualifierGroup], ctx: MatchContext, aff: list[Fact]) -> Outcome:
    """A documented condition counts only if its note context supports the criterion's qualifiers;
    the latest mention whose own words decide wins over older or undecided ones."""
    name = c.concept.replace("_", " ")
    word = "/".join(g.id.split(".")[-1] for g in groups)
    judged = [(f, *_judge(groups, f, ctx)) for f in aff]
    explicit = [(f, s_, w) for f, s_, w, e in judged if e and s_ != "unknown"]
    implicit_yes = [f for f, s_, _, e in judged if s_ == "yes" and not e]
    if explicit and (not implicit_yes or (fact_date(explicit[-1][0]) or dt.date.min) >= (fact_date(implicit_yes[-1]) or dt.date.min)):
        f, s_, w = explicit[-1]
        if s_ == "yes":
            return Outcome(MET, ctx.ev([f]), f"{name} documented as {w} ({fact_date(f)}); criterion asks {word}")
        return Outcome(NOT_MET, ctx.ev([f]), f"{name} documented as {w} ({fact_date(f)}), criterion asks {word}")
    yes = [(f, w) for f, s_, w, _ in judged if s_ == "yes"]
    if yes:
        f, w = yes[-1]
        return Outcome(MET, ctx.ev([f]), f"{name} documented as {w} ({fact_date(f)}); criterion asks {word}")
    unk = [f for f, s_, _, _ in judged if s_ == "unknown"]
    if unk:
        return Outcome(UNKNOWN, ctx.ev(unk[-2:]), f"{name} documented ({fact_date(unk[-1])}); whether {word} is not stated")
    f, _, w, _ = judged[-1]
    return Outcome(NOT_MET, ctx.ev([f]), f"{name} documented as {w} ({fact_date(f)}), criterion asks {word}")


def _presence_windowed(c: Constraint, criterion: Criterion, ctx: MatchContext, aff: list[Fact], neg: list[Fact], unc: list[Fact],
                       anchor: dt.date) -> Outcome:
    w = c.window
    assert w is not None
    name = c.concept.replace("_", " ")
    wtxt = f"{w.comparator} {_fmt(w.value)} {w.unit}(s) before {anchor}"
    if w.comparator in (">=", ">"):
        # "at least N weeks since": every exposure must have ended before the edge
        if not aff:
            if unc:
                return Outcome(UNKNOWN, ctx.ev(unc[-1:]), f"{name}: only uncertain mentions")
            if neg:
                return Outcome(NOT_MET, ctx.ev(neg[-1:]), f"{name} negated")
            return silence_outcome(c, criterion, ctx.profile, ctx.lexicon)
        explicit = [f for f in aff if _explicit_date(f) or _event_date(f, ctx) != fact_date(f)]
        # a stated last-dose date beats later undated mentions of the same therapy
        latest = max(explicit or aff, key=lambda f: _event_date(f, ctx) or dt.date.min)
        ok = in_window(_event_date(latest, ctx), w, anchor)
        if ok:
            return Outcome(MET, ctx.ev([latest]), f"{name}: last documented {_event_date(latest, ctx)} ({wtxt})")
        if ok is False and (_explicit_date(latest) or _event_date(latest, ctx) != fact_date(latest) or not latest.historical):
            return Outcome(NOT_MET, ctx.ev([latest]), f"{name}: documented {_event_date(latest, ctx)}, not {wtxt}")
        return Outcome(UNKNOWN, ctx.ev([latest]), f"{name}: last dose date not stated ({wtxt})")
    inside = [f for f in aff if in_window(_event_date(f, ctx), w, anchor)]
    if inside:
        return Outcome(MET, ctx.ev(inside[-1:]), f"{name} on {_event_date(inside[-1], ctx)}, within {_fmt(w.value)} {w.unit}(s)")
    unc_in = [f for f in unc if in_window(_event_date(f, ctx), w, anchor)]
    if unc_in:
        return Outcome(UNKNOWN, ctx.ev(unc_in[-1:]), f"{name}: uncertain mention within window")
    if aff:
        return Outcome(NOT_MET, ctx.ev(aff[-1:]), f"{name} only on {_event_date(aff[-1], ctx)}, outside {_fmt(w.value)} {w.unit}(s)")
    if neg:
        return Outcome(NOT_MET, ctx.ev(neg[-1:]), f"{name} negated")
    return silence_outcome(c, criterion, ctx.profile, ctx.lexicon)


def _progression_on(c: Constraint, therapy: str, criterion: Criterion, ctx: MatchContext, facts: list[Fact]) -> Outcome:
    """Progression on or after a therapy class: a progression fact linked to (or after the start of)
    that therapy, or a drug fact of that class whose response is progression."""
    drugs = [f for f in ctx.profile.facts_for(therapy, ctx.lexicon) if trustworthy(f)]
    drug_prog = [f for f in drugs if str(f.attributes.get("response", "")).lower() == "progression"]
    prog = [f for f in facts if trustworthy(f) and f.concept != therapy and not ctx.lexicon.is_a(f.concept, therapy)]
    linked = [f for f in prog if _linked_to_therapy(f, therapy, ctx, drugs)]
    tname = therapy.replace("_", "-")
    if linked or drug_prog:
        ev = (drug_prog[-1:] + linked[-1:]) if drug_prog else (drugs[-1:] + linked[-1:])
        return Outcome(MET, ctx.ev(ev), f"progression on/after {tname}")
    if not drugs:
        return Outcome(NOT_MET if _therapy_absent(therapy, ctx) else UNKNOWN, ctx.ev(prog[-1:]),
                       f"no {tname} documented" + ("" if not prog else " (progression documented)"))
    if prog:
        return Outcome(UNKNOWN, ctx.ev(drugs[-1:] + prog[-1:]), f"progression not linked to {tname}")
    neg = [f for f in facts if f.negated]
    if neg:
        return Outcome(NOT_MET, ctx.ev(drugs[-1:] + neg[-1:]), f"no progression on {tname}")
    return Outcome(UNKNOWN, ctx.ev(drugs[-1:]), f"{tname} given; response not documented")


def _therapy_absent(therapy: str, ctx: MatchContext) -> bool:
    facts = ctx.profile.facts_for(therapy, ctx.lexicon)
    return bool(facts) and all(f.negated for f in facts)


# ----------------------------------------------------------------------------- results (positive/negative)


def _result_candidates(c: Constraint, ctx: MatchContext) -> list[tuple[Fact, Optional[str], bool, bool]]:
    """(fact, value as target concept, usable for the criterion's method, method known to match) for
    direct facts and documented surrogates. A result whose method is not stated can exclude the patient
    but never qualify them."""
    want_method = (c.attributes.get("method") or "").upper() or None
    want = str(c.value).lower()
    out: list[tuple[Fact, Optional[str], bool, bool]] = []
    for f in ctx.profile.facts_for(c.concept, ctx.lexicon):
        method = _method_of(f, ctx)
        value = str(f.value).lower() if f.value is not None else None
        exact = want_method is None or method == want_method
        out.append((f, value, exact or (method is None and value is not None and value != want), exact))
    for s in surrogates().for_target(c.concept):
        if s.value_attribute or (want_method and s.method and s.method.upper() != want_method):
            continue
        for f in ctx.profile.facts_for(s.source, ctx.lexicon):
            # the surrogate test has one method by definition (p16 is an IHC stain): a method word the
            # extractor attached from a neighbouring test does not change it
            method = str(s.method or f.attributes.get("method") or "").upper() or None
            v = s.values.get(str(f.value).lower()) if f.value is not None else None
            exact = want_method is None or method in (None, want_method)
            out.append((f, v, exact, exact))
    out.sort(key=lambda t: (fact_date(t[0]) or dt.date.min))
    return out


def _method_of(f: Fact, ctx: MatchContext) -> Optional[str]:
    """The test method: the fact's attribute, else a method word next to the mention ("HPV-negative by PCR")."""
    stated = f.attributes.get("method")
    if stated:
        return str(stated).upper()
    note = ctx.profile.notes.get(f.note_id)
    if note is None:
        return None
    context = fact_context(f, note, ctx.profile.facts)
    for pattern, method in surrogates().method_aliases.items():
        if re.search(pattern, context, re.I):
            return method
    return None


def _result(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome:
    want = str(c.value).lower()
    name = c.concept.replace("_", " ")
    cands = _result_candidates(c, ctx)
    usable = [(f, v, ok, exact) for f, v, ok, exact in cands if trustworthy(f) and v in ("positive", "negative")]
    decisive = [(f, v, exact) for f, v, ok, exact in usable if ok]
    if decisive:
        inclusion_like = (criterion is None or criterion.kind == "inclusion") != c.negated
        against = [(g, w) for g, w, exact in decisive if exact and ((w != want) if inclusion_like else (w == want))]
        # among results of the required method, the one that goes against the patient wins
        f, v = against[-1] if against else (decisive[-1][0], decisive[-1][1])
        clash = [] if against else [g for g, w, _, _ in usable if w != v]
        if clash:
            return Outcome(UNKNOWN, ctx.ev([f, clash[-1]]), f"{name}: conflicting results ({v} vs {'positive' if v == 'negative' else 'negative'})")
        pending = [g for g, w, ok, _ in cands if ok and w is None and g.affirmed and not g.uncertain
                   and (fact_date(g) or dt.date.min) >= (fact_date(f) or dt.date.min)]
        if pending and v == want and criterion is not None and criterion.kind == "inclusion" and not c.negated:
            return Outcome(UNKNOWN, ctx.ev([f, pending[-1]]), f"{name} {v}, but a later mention of {pending[-1].text!r} gives no result (pending?)")
        label = f"{name} {v}" + (f" ({f.concept.replace('_', ' ')} surrogate)" if f.concept != c.concept and not ctx.lexicon.is_a(f.concept, c.concept) else "")
        return Outcome(MET if v == want else NOT_MET, ctx.ev([f]), label)
    if usable:
        f, v, _, _ = usable[-1]
        return Outcome(UNKNOWN, ctx.ev([f]), f"{name} {v} by {f.attributes.get('method')}, criterion asks {c.attributes.get('method')}")
    other = [f for f, v, _, _ in cands if not f.family and not f.hypothetical]
    if other:
        f = other[-1]
        why = "not done" if f.negated else "indeterminate" if not f.uncertain else "uncertain"
        return Outcome(UNKNOWN, ctx.ev([f]), f"{name}: test {why}")
    return silence_outcome(c, criterion, ctx.profile, ctx.lexicon)


# ----------------------------------------------------------------------------- numeric


def _threshold(c: Constraint, f: Fact, target_unit: Optional[str], ctx: MatchContext) -> tuple[Optional[float], Optional[float], str]:
    """Threshold(s) in the fact's unit, and a note on where a reference limit came from."""
    lo, hi = _num(c.value), c.value_high
    if lo is None and isinstance(c.value, str):
        lo = ordinal_values().number(c.concept, c.value)
    if lo is None:
        return None, None, ""
    if c.relative_to in ("ULN", "LLN"):
        key = "uln" if c.relative_to == "ULN" else "lln"
        note_ref = f.attributes.get(key) if key in f.attributes else f.attributes.get("ref_high" if key == "uln" else "ref_low")
        ref = _num(note_ref)
        src = "note reference range"
        if ref is None:
            d = uln_defaults().defaults.get(f.concept) or uln_defaults().defaults.get(c.concept)
            ref_raw = getattr(d, key) if d else None
            if d is None or ref_raw is None:
                return None, None, f"no {c.relative_to} for {f.concept}"
            ref = ref_raw
            if f.unit and d.unit and f.unit != d.unit:
                ref = convert(ref_raw, d.unit, f.unit, f.concept)
                if ref is None:
                    return None, None, f"default {c.relative_to} unit mismatch"
            src = f"default {c.relative_to} {_fmt(ref)} {f.unit or ''}".rstrip()
        return lo * ref, (hi * ref if hi is not None else None), src
    if c.unit and f.unit and c.unit != f.unit:
        lo2 = convert(lo, c.unit, f.unit, f.concept)
        hi2 = convert(hi, c.unit, f.unit, f.concept) if hi is not None else None
        if lo2 is None:
            return None, None, f"cannot convert {c.unit} to {f.unit}"
        return lo2, hi2, ""
    return lo, hi, ""


def _fact_number(f: Fact, c: Constraint, ctx: MatchContext) -> Optional[float]:
    if c.concept == "age":
        dob = f.attributes.get("birth_date") or f.attributes.get("date_of_birth") or f.attributes.get("dob")
        if dob:
            try:
                b = dt.date.fromisoformat(str(dob)[:10])
                return float(relativedelta(ctx.as_of, b).years)
            except ValueError:
                pass
        v = _num(f.value)
        d = fact_date(f)
        if v is not None and d is not None:
            return v + (ctx.as_of - d).days / 365.25 if f.concept == "age" else v
        return v
    for s in surrogates().for_target(c.concept):
        if f.concept == s.source and f.concept != c.concept:
            mapped = _num(f.attributes.get(s.value_attribute)) if s.value_attribute else None
            raw = _num(f.value)
            if mapped is None and raw is not None:
                mapped = next((t for lo, hi, t in s.ranges if lo <= raw <= hi), None)
            return mapped
    v = _num(f.value)
    if v is None and f.negated and f.concept in ordinal_values().undetectable_when_negated:
        note = ctx.profile.notes.get(f.note_id)
        around = " ".join([c.text for c in f.cues] + ([_clause_around(note.text, f.start, f.end)] if note else []))
        if re.search(r"not detected|undetect|below|<\s*\d", around, re.I):
            return 0.0
    if v is None and isinstance(f.value, str):
        v = ordinal_values().number(f.concept, f.value)
        if v is None and f.value.lower() in ("undetectable", "not detected", "below detection limit"):
            return 0.0
    return v


def _numeric_facts(c: Constraint, ctx: MatchContext) -> list[Fact]:
    facts = list(ctx.profile.facts_for(c.concept, ctx.lexicon))
    for s in surrogates().for_target(c.concept):
        facts += ctx.profile.facts_for(s.source, ctx.lexicon)
    if c.concept == "age":
        facts += [f for f in ctx.profile.facts if f.concept in ("date_of_birth", "birth_date")]
    return sorted({id(f): f for f in facts}.values(), key=lambda f: (fact_date(f) or dt.date.min, f.note_id, f.start))


def _numeric(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome:
    name = c.concept.replace("_", " ")
    facts = _numeric_facts(c, ctx)
    valued = [f for f in facts if (trustworthy(f) or f.negated and not (f.family or f.hypothetical))
              and _fact_number(f, c, ctx) is not None]
    if c.window is not None:
        anchor = ctx.anchor(c.window)
        fresh = [f for f in valued if in_window(fact_date(f), c.window, anchor)]
        if not fresh and valued and silence_outcome(c, criterion, ctx.profile, ctx.lexicon).deferred:
            # a secondary test the investigator repeats at screening: the latest value still tells
            fresh = valued
        if not fresh and valued:
            old = valued[-1]
            return Outcome(UNKNOWN, ctx.ev([old]), f"{name}: latest value {fact_date(old)} is older than {_fmt(c.window.value)} {c.window.unit}(s) before {anchor}")
        valued = fresh
    if not valued:
        other = [f for f in facts if not (f.family or f.hypothetical)]
        kind, _ = _lex_info(ctx.lexicon, c.concept)
        if other and kind not in ("lab", "result", "score", "measurement") and all(f.negated for f in other):
            return Outcome(NOT_MET, ctx.ev(other[-1:]), f"{name} negated ({fact_date(other[-1])})")
        silent = silence_outcome(c, criterion, ctx.profile, ctx.lexicon)
        if other and silent.deferred:
            silent.evidence = ctx.ev(other[-1:])
            silent.reason = f"{name} mentioned without a value; {silent.reason}"
            return silent
        if other:
            return Outcome(UNKNOWN, ctx.ev(other[-1:]), f"{name}: no usable value")
        return silence_outcome(c, criterion, ctx.profile, ctx.lexicon)
    latest_date = fact_date(valued[-1])
    same_day = [f for f in valued if fact_date(f) == latest_date]
    verdicts: list[tuple[Fact, bool, str]] = []
    for f in same_day:
        lo, hi, src = _threshold(c, f, c.unit, ctx)
        x = _fact_number(f, c, ctx)
        if lo is None or x is None:
            return Outcome(UNKNOWN, ctx.ev([f]), f"{name}: {src or 'threshold not comparable'}")
        verdicts.append((f, _compare(x, c.comparator, lo, hi), _numeric_reason(name, x, f, c, lo, hi, src)))
    if len({v for _, v, _ in verdicts}) > 1:
        return Outcome(UNKNOWN, ctx.ev([f for f, _, _ in verdicts][:2]), f"{name}: conflicting values on {latest_date}")
    f, ok, why = verdicts[-1]
    context = [g for g in valued if fact_date(g) != latest_date][-settings().context_values:] if settings().context_values else []
    return Outcome(MET if ok else NOT_MET, ctx.ev([f] + context), why)


def _numeric_reason(name: str, x: float, f: Fact, c: Constraint, lo: float, hi: Optional[float], src: str) -> str:
    unit = f" {f.unit}" if f.unit else ""
    bound = f"{_fmt(round(lo, 3))}-{_fmt(round(hi, 3))}" if c.comparator == "between" and hi is not None else f"{c.comparator} {_fmt(round(lo, 3))}"
    rel = f" ({_fmt(c.value)} x {c.relative_to}, {src})" if c.relative_to else ""
    return f"{name} {_fmt(round(x, 2))}{unit} on {fact_date(f)}; criterion {bound}{rel}"


# ----------------------------------------------------------------------------- sex, open vocabulary


def _sex(c: Constraint, ctx: MatchContext) -> Outcome:
    want = str(c.value or "all").lower()
    if want in _NEUTRAL_SEX:
        return Outcome(MET, [], "any sex accepted")
    facts = [f for f in ctx.profile.facts_for("sex", ctx.lexicon) if trustworthy(f)]
    if not facts:
        return Outcome(UNKNOWN, [], "sex not documented")
    f = facts[-1]
    return Outcome(MET if str(f.value).lower() == want else NOT_MET, ctx.ev([f]), f"sex {f.value}")


def _open_vocabulary(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome:
    """A phrase outside the lexicon is searched in the notes; a hit goes to review, never a silent pass."""
    phrase = re.sub(r"[_\s]+", " ", c.concept if c.open_vocabulary else c.text).strip()
    if len(phrase) < settings().open_vocab_min_chars:
        return Outcome(UNKNOWN, [], f"'{phrase}' too short to search", [phrase])
    hits = find_phrase(phrase, ctx.profile.notes.values(), settings().fuzzy_threshold)
    if hits:
        return Outcome(UNKNOWN, hits[:3], f"'{phrase}' mentioned in notes: check", [phrase])
    return Outcome(UNKNOWN, [], f"'{phrase}' not found in the notes", [phrase], neutral=True)
