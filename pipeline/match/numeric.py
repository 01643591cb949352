"""Numeric constraints: comparators, unit conversion, ULN-relative limits, windows, ages, ordinal scales."""
from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from ..extract.units import convert
from ..schema import CONVENTIONAL_LIMIT, Constraint, Criterion, Fact
from .absence import silence_outcome
from .context import MatchContext, compare, fmt, lex_info, limit_text, num
from .logic import MET, NOT_MET, UNKNOWN, Outcome
from .profile import fact_date, trustworthy
from .rules import Surrogate, lab_ranges, ordinal_values, settings, surrogates, uln_defaults
from .timeline import in_window

# ----------------------------------------------------------------------------- numeric


def _threshold(
    c: Constraint, f: Fact, target_unit: str | None, ctx: MatchContext
) -> tuple[float | None, float | None, str]:
    """Threshold(s) in the fact's unit, and a note on where a reference limit came from."""
    lo, hi = num(c.value), c.value_high
    if lo is None and isinstance(c.value, str):
        lo = ordinal_values().number(c.concept, c.value)
    if lo is None:
        return None, None, ""
    if c.relative_to in ("ULN", "LLN"):
        r = f.reading
        if r is None:
            ref = None
        elif c.relative_to == "ULN":
            ref = r.uln if r.uln is not None else r.ref_high
        else:
            ref = r.ref_low
        key = "uln" if c.relative_to == "ULN" else "lln"
        src = "note reference range"
        if ref is None:
            d = uln_defaults().defaults.get(f.concept) or uln_defaults().defaults.get(c.concept)
            if d is None or getattr(d, key) is None:
                return None, None, f"no {c.relative_to} for {f.concept}"
            ref = _default_in_unit(getattr(d, key), d.unit, f)
            if ref is None:
                return None, None, f"default {c.relative_to} unit mismatch"
            src = f"default {c.relative_to} {fmt(ref)} {f.unit or ''}".rstrip()
        return lo * ref, (hi * ref if hi is not None else None), src
    if c.unit and f.unit and c.unit != f.unit:
        lo2 = convert(lo, c.unit, f.unit, f.concept)
        hi2 = convert(hi, c.unit, f.unit, f.concept) if hi is not None else None
        if lo2 is None:
            return None, None, f"cannot convert {c.unit} to {f.unit}"
        return _plausible(c, f, lo2, hi2)
    return _plausible(c, f, lo, hi)


def _plausible(c: Constraint, f: Fact, lo: float, hi: float | None) -> tuple[float | None, float | None, str]:
    """The threshold, unless it lies outside what the lab can measure ('potassium > 6 mg/dl' is 1.5
    mmol/L: a wrong unit in the listing, which must not decide every patient)."""
    r = lab_ranges().ranges.get(f.concept)
    if r is None or not f.unit:
        return lo, hi, ""
    low = convert(r.low, r.unit, f.unit, f.concept) if r.unit != f.unit else r.low
    high = convert(r.high, r.unit, f.unit, f.concept) if r.unit != f.unit else r.high
    if low is None or high is None:
        return lo, hi, ""
    if not all(low <= x <= high for x in (lo, hi) if x is not None):
        # 'potassium > 6 mg/dl': the number is plausible in the lab's own unit, so the listing's unit is the slip;
        # read that way it may clear a patient, never exclude one (evaluate_numeric)
        raw_lo, raw_hi = num(c.value), c.value_high
        as_own = [x if x is None or r.unit == f.unit else convert(x, r.unit, f.unit, f.concept)
                  for x in (raw_lo, raw_hi)]
        # or a decimal point slipped ('Hemoglobin <1.05 g/dl': 10.5 g/dL)
        slipped = [[x * k if x is not None else None for x in (lo, hi)] for k in (10.0, 0.1)]
        for how, (a, b) in [(f"{r.unit}", as_own)] + [(f"{c.unit or f.unit} with the decimal point moved", x)
                                                       for x in slipped]:
            if (c.relative_to is None and raw_lo is not None and a is not None
                    and all(low <= x <= high for x in (a, b) if x is not None)):
                return a, b, f"{REREAD} {how} ({c.value} {c.unit or ''} is outside what " \
                    f"{f.concept.replace('_', ' ')} can measure)"
        return None, None, (f"the criterion's threshold {fmt(lo)} {f.unit} ({c.value} {c.unit or ''}) is outside what "
                            f"{f.concept.replace('_', ' ')} can measure; check the listing's unit")
    return lo, hi, ""


REREAD = "the listing's number read in"
"""How a threshold whose unit is implausible is read: in the lab's own unit, and only in the patient's favour."""


def _surrogate(f: Fact, c: Constraint) -> Surrogate | None:
    """The surrogate through which fact ``f`` answers ``c`` on another scale ('KPS 70' for an ECOG limit, an eGFR for a
    CKD stage), or None when the fact is of the criterion's own concept."""
    return next((s for s in surrogates().for_target(c.concept) if s.source == f.concept != c.concept), None)


def fact_number(f: Fact, c: Constraint, ctx: MatchContext) -> float | None:
    if c.concept == "age":
        if f.birth_date is not None:
            age = relativedelta(ctx.as_of, f.birth_date)
            # completed years; under two, completed months ("1 month to 24 months of age")
            return float(age.years) if age.years >= 2 else round((age.years * 12 + age.months) / 12, 4)
        v = num(f.value)
        d = fact_date(f)
        if v is not None and d is not None:
            return v + (ctx.as_of - d).days / 365.25 if f.concept == "age" else v
        return v
    per = settings().advancing_measures.get(c.concept)
    if per is not None and f.concept == c.concept:  # "GA 20+3" two weeks ago is 22+3 on the screening date
        v, d = num(f.value), fact_date(f)
        return round(v + (ctx.as_of - d).days / per, 2) if v is not None and d is not None else v
    s = _surrogate(f, c)
    if s is not None:
        raw = num(f.value)
        if s.value_attribute == "value":  # the source's own value ('BP 150/105': the systolic)
            mapped = raw
        elif s.value_attribute and f.reading:
            mapped = num(getattr(f.reading, s.value_attribute, None))
        else:
            mapped = None
        if mapped is None and raw is not None:
            mapped = next((t for lo, hi, t in s.ranges if lo <= raw <= hi), None)
        return mapped
    v = num(f.value)
    if v is None and f.negated and f.concept in ordinal_values().undetectable_when_negated:
        if f.reading is not None and f.reading.undetectable:
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
    if c.unit == "%":  # "FEV1 < 50% of predicted": 'FEV1 1.12 L (41% predicted)' answers it with the 41
        facts = [f.model_copy(update={"value": f.reading.percent_predicted, "unit": "%"})
                 if f.unit not in (None, "%") and f.reading is not None and f.reading.percent_predicted is not None
                 else f for f in facts]
    return sorted({id(f): f for f in facts}.values(), key=lambda f: (value_date(f) or dt.date.min, f.note_id, f.start))


def value_date(f: Fact) -> dt.date | None:
    """When a value was measured: the date its sentence states ('a 2022 DXA (LS T -2.4)' quoted in a 2025 note),
    never after the note's own date; else the fact's date."""
    d, e = fact_date(f), f.event_date
    return min(d, e) if d is not None and e is not None else d or e


def _asks_prediction(c: Constraint, ctx: MatchContext) -> bool:
    """A lab criterion asking for a predicted value ('FEV1 > 800 ml expected post-surgery')."""
    kind, _ = lex_info(ctx.lexicon, c.concept)
    return kind == "lab" and c.context is not None and c.context.prediction


def _predicted(f: Fact) -> bool:
    return f.reading is not None and f.reading.predicted


def evaluate_numeric(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome:
    name = c.concept.replace("_", " ")
    facts = _numeric_facts(c, ctx)
    if _asks_prediction(c, ctx):
        facts = [f for f in facts if _predicted(f)]
        if not facts:
            verdict = NOT_MET if criterion.kind == "inclusion" else UNKNOWN
            return Outcome(
                verdict,
                [],
                f"{name}: the criterion asks for a predicted value; none is documented "
                "(measured values do not answer it)",
            )
    valued = [f for f in facts if (trustworthy(f) or f.negated and not (f.family or f.hypothetical))
              and fact_number(f, c, ctx) is not None]
    method = c.attributes.get("method")
    other_method = [f for f in valued if method and f.method and f.method != method]
    if other_method:  # "T-score according to DXA": a heel-ultrasound T-score is another measurement
        valued = [f for f in valued if f not in other_method]
        newer = not valued or (value_date(other_method[-1]) or dt.date.min) > (value_date(valued[-1]) or dt.date.min)
        if newer:  # no value by the method asked, or only an older one: a person checks
            return Outcome(UNKNOWN, ctx.ev(other_method[-1:] + valued[-1:]),
                           f"{name}: the latest value was measured by {other_method[-1].method}; the criterion asks "
                           f"{method}")
    if c.window is not None:
        anchor = ctx.anchor(c.window)
        fresh = [f for f in valued if in_window(value_date(f), c.window, anchor)]
        if not fresh and valued and silence_outcome(c, criterion, ctx.profile, ctx.lexicon).deferred:
            # a secondary test the investigator repeats at screening: the latest value still tells
            fresh = valued
        if not fresh and valued:
            old = valued[-1]
            return Outcome(
                UNKNOWN,
                ctx.ev([old]),
                f"{name}: latest value {value_date(old)} is older than {fmt(c.window.value)} {c.window.unit}(s) "
                f"before {anchor}",
            )
        valued = fresh
    if not valued:
        other = [f for f in facts if not (f.family or f.hypothetical)]
        kind, _ = lex_info(ctx.lexicon, c.concept)
        if other and kind not in ("lab", "result", "score", "measurement") and all(f.negated for f in other):
            return Outcome(NOT_MET, ctx.ev(other[-1:]), f"{name} negated ({fact_date(other[-1])})")
        measure = kind in ("lab", "result", "score", "measurement")
        if (other and not measure and c.attributes.get("temporal") == "current"
                and all(f.negated or f.historical for f in other)):
            # "current heavy smoking (> 20 cigarettes per day)": an ex-smoker has no current amount
            return Outcome(NOT_MET, ctx.ev(other[-1:]), f"{name} documented only in the past ({fact_date(other[-1])})")
        if not other and c.attributes.get("scale") and any(
                k.id != c.id and k.attributes.get("scale") and ctx.profile.facts_for(k.concept, ctx.lexicon)
                for k in criterion.constraints):
            # "Karnofsky/Lansky score 50 or greater": the scale the notes use decides; the other one is not silence
            return Outcome(UNKNOWN, [], f"{name} not written; the criterion's other scale is", neutral=True)
        silent = silence_outcome(c, criterion, ctx.profile, ctx.lexicon)
        if other and silent.deferred:
            silent.evidence = ctx.ev(other[-1:])
            silent.reason = f"{name} mentioned without a value; {silent.reason}"
            return silent
        if other:
            return Outcome(UNKNOWN, ctx.ev(other[-1:]), f"{name}: no usable value")
        return silence_outcome(c, criterion, ctx.profile, ctx.lexicon)
    latest_date = value_date(valued[-1])
    same_day = _current_values([f for f in valued if value_date(f) == latest_date], ctx)
    verdicts: list[tuple[Fact, bool, str, float, float]] = []  # fact, met, why, its limit, its number
    for f in same_day:
        lo, hi, src = _threshold(c, f, c.unit, ctx)
        x = fact_number(f, c, ctx)
        if lo is None or x is None:
            return Outcome(UNKNOWN, ctx.ev([f]), f"{name}: {src or 'threshold not comparable'}")
        comparator, read_as = _bare_equals_reading(c, criterion, f, lo, hi)
        unread = c.attributes.get("bare_equals") and comparator == "=="
        why = _numeric_reason(name, x, f, c, lo, hi, src, comparator) + read_as
        bound = _bound(f, c)
        ok = compare(x, comparator, lo, hi) if bound is None else beyond(x, bound, comparator, lo, hi)
        if ok is None:  # "eGFR >90" against "eGFR < 120": the limit lies inside what the report says
            return Outcome(UNKNOWN, ctx.ev([f]), f"{why}; the report gives only a bound, and the limit lies "
                           "beyond it: check", [c.concept])
        verdicts.append((f, ok, f"{why} ({src})" if REREAD in src else why, lo, x))
    if (
        len({v[1] for v in verdicts}) > 1
        and c.concept in settings().any_value_concepts
    ):
        # "measurable lesions": one lesion of qualifying size is enough; a T-score: the lowest site
        f, _, why, _, _ = next(v for v in verdicts if v[1])
        return Outcome(MET, ctx.ev([f]), why)
    if len({v[1] for v in verdicts}) > 1:
        return Outcome(UNKNOWN, ctx.ev([v[0] for v in verdicts][:2]), f"{name}: conflicting values on {latest_date}")
    f, ok, why, low, now = verdicts[-1]
    against = (not ok) if criterion.kind == "inclusion" else ok
    later = [g for g in facts if g.value is None and not (g.negated or g.family or g.hypothetical)
             and (value_date(g) or dt.date.min) > (latest_date or dt.date.min)] if against else []
    if later:
        # a newer report names the measure but its value could not be read (a table, a layout): the older
        # value is no firm evidence against the patient
        return Outcome(UNKNOWN, ctx.ev([f, later[-1]]),
                       f"{why}; a later note ({value_date(later[-1])}) names {name} without a value I can read: check")
    if against and REREAD in why:
        return Outcome(UNKNOWN, ctx.ev([f]), f"{why}; that reading decides no patient against: check")
    per = settings().advancing_measures.get(c.concept)
    if (against and per is not None and criterion.kind == "inclusion" and c.comparator in (">", ">=", "between")
            and now < low):
        # "over 26 weeks of gestation" at 6 weeks: not yet, and the measure grows; the day it gets there is shown
        on = ctx.as_of + dt.timedelta(days=round((low - now) * per))
        return Outcome(UNKNOWN, ctx.ev([f]), f"{why}; not yet: reaches {fmt(low)} on {on}", [c.concept])
    if not ok and c.attributes.get("limit") == CONVENTIONAL_LIMIT:
        return Outcome(UNKNOWN, ctx.ev([f]), f"{why}; the listing states no limit (this is the usual one): check")
    if (against and c.comparator == "==" and isinstance(c.value, (int, float)) and c.unit
            and "comparator" not in (c.spans or {}) and not c.attributes.get("bare_equals")):
        # "both sexes from 18 years": no word of the listing says which side of a measured quantity is asked, so a
        # value that only differs from it decides no patient against (a stage or class, 'GOLD 4', is exact)
        return Outcome(UNKNOWN, ctx.ev([f]), f"{why}; the listing states no comparator for it: check")
    if c.attributes.get("bare_equals") and (against or not ok and unread):
        # a side guessed for a bare '=' may clear a patient, never exclude one
        lost = ": check" if not unread else "; the listing writes '=' (often a lost >= or <=): check"
        return Outcome(UNKNOWN, ctx.ev([f]), f"{why}{lost}")
    context = (
        [g for g in valued if value_date(g) != latest_date][-settings().context_values :]
        if settings().context_values
        else []
    )
    return Outcome(MET if ok else NOT_MET, ctx.ev([f] + context), why)


def _current_values(facts: list[Fact], ctx: MatchContext) -> list[Fact]:
    """Values of one report that describe the present: an earlier size quoted for comparison
    ('now 3.1 cm, previously 2.4 cm', 'from 18 mm') is dropped, and so are sizes of non-target
    things (a cyst, a specimen fragment) when the report gives another size."""
    if len(facts) < 2:
        return facts
    kept = [f for f in facts if not (f.reading and f.reading.prior_value)] or facts
    if len(kept) > 1:
        kept = [f for f in kept if not (f.reading and f.reading.non_target)] or kept
    return kept


def _bare_equals_reading(
    c: Constraint, criterion: Criterion, f: Fact, lo: float, hi: float | None
) -> tuple[str, str]:
    """The comparator a bare '=' stands for ('WBC=3.0x10^9/L', 'bilirubin=1.5x ULN': a lost >= or <=).

    A limit below the normal range is a floor and one above it a ceiling: an inclusion keeps the normal side
    ('WBC=3.0' is WBC >= 3.0), an exclusion the other. Measures without a reference range take their side
    from ``match_settings.json`` ``bare_equals_sides``. Anything else stays '=' and goes to review."""
    if c.comparator != "==" or hi is not None or not c.attributes.get("bare_equals"):
        return c.comparator, ""
    side = settings().bare_equals_sides.get(c.concept, "")
    low, high = _reference_range(f)
    if low is not None and lo <= low:
        side = "floor"
    elif high is not None and lo >= high:
        side = "ceiling"
    if not side:
        return c.comparator, ""
    keep = ">=" if side == "floor" else "<="
    comparator = keep if criterion.kind == "inclusion" else {">=": "<", "<=": ">"}[keep]
    where = {"floor": "a floor", "ceiling": "a ceiling"}[side]
    return comparator, f"; the listing writes '=', read as {comparator} ({where})"


def _reference_range(f: Fact) -> tuple[float | None, float | None]:
    """The fact's normal range in its own unit: the note's, else the default (``uln_defaults.json``)."""
    r = f.reading
    low = r.ref_low if r is not None else None
    high = (r.uln if r.uln is not None else r.ref_high) if r is not None else None
    d = uln_defaults().defaults.get(f.concept)
    if d is not None:
        low = low if low is not None or d.lln is None else _default_in_unit(d.lln, d.unit, f)
        high = high if high is not None or d.uln is None else _default_in_unit(d.uln, d.unit, f)
    return low, high


def _default_in_unit(x: float, unit: str, f: Fact) -> float | None:
    """A default reference limit (``uln_defaults.json``, in ``unit``) in the fact's unit; None when it cannot be
    converted."""
    return convert(x, unit, f.unit, f.concept) if f.unit and unit and f.unit != unit else x


def _bound(f: Fact, c: Constraint) -> str | None:
    """The comparator a report wrote before the value ('eGFR >90'), when the value is the fact's own (a surrogate
    mapped to another scale keeps no bound)."""
    bound = f.reading.comparator if f.reading is not None else None
    if bound not in (">", ">=", "<", "<=") or _surrogate(f, c) is not None:
        return None
    return bound


def beyond(x: float, bound: str, comparator: str, lo: float, hi: float | None) -> bool | None:
    """Whether a value known only as ``bound x`` ('> 90') meets ``comparator lo [hi]``: the answer at every point
    it may take (its end, the far end, and either side of each limit), or None when they differ."""
    inf, eps = 1e18, 1e-9
    a, b = ((x + eps if bound == ">" else x), inf) if bound in (">", ">=") else (-inf, (x - eps if bound == "<" else x))
    points = {a, b} | {p for q in (lo, hi) if q is not None for p in (q - eps, q, q + eps) if a <= p <= b}
    answers = {compare(p, comparator, lo, hi) for p in points}
    return answers.pop() if len(answers) == 1 else None


def _numeric_reason(
    name: str, x: float, f: Fact, c: Constraint, lo: float, hi: float | None, src: str, comparator: str = ""
) -> str:
    unit = f" {f.unit}" if f.unit and _surrogate(f, c) is None else ""  # an eGFR read as a CKD stage has no unit
    written = _bound(f, c) or ""
    bound = limit_text(comparator or c.comparator, round(lo, 3), round(hi, 3) if hi is not None else None)
    rel = f" ({fmt(c.value)} x {c.relative_to}, {src})" if c.relative_to else ""
    if c.concept in settings().advancing_measures and num(f.value) is not None and num(f.value) != x:
        # "GA 21+0" on 20 August is 22.71 weeks on 1 September: both said
        return (f"{name} {fmt(round(x, 2))}{unit} by the screening date ({fmt(num(f.value))} on {value_date(f)}); "
                f"criterion {bound}")
    return f"{name} {written}{fmt(round(x, 2))}{unit} on {value_date(f)}; criterion {bound}{rel}"


