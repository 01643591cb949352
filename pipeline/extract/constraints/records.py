"""Records: each element becomes Constraint records (comparator, value, window, duration,
qualifiers, cohort, evidence spans)."""

from __future__ import annotations

import re

from ...schema import Constraint, Window
from ..criteria_concepts import Mention
from ..criteria_scopes import cohort_label, cohort_labels_in, qualifiers_in
from ..criteria_values import ValueExpr
from ..listing import rules
from ..name_assertion import assertion_in_name
from ..units import unit_by_magnitude
from .clauses import Clause
from .context import THERAPY_KINDS, VALUE_KINDS, WORD, Element, clause_patterns, compiled_rules
from .demographics import sex_named

_LIMITS = frozenset((">", ">=", "<", "<=", "between", "=="))
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)?")
"""An abbreviation's own letters ('DAS28', 'IPSS', 'CGI-S'): an open-vocabulary name that is a measure by itself."""


def _span(t: tuple[int, int] | None) -> tuple[int, int] | None:
    return t if t and t[1] > t[0] else None


def clause_cohorts(text: str, clauses: list[Clause]) -> list[str | None]:
    """The cohort/arm/part/phase label each clause belongs to: its own label, else the criterion's
    when the criterion opens with the only one ("Cohort A: EGFR-mutant NSCLC")."""
    own = [
        cohort_label(text, cl.start, cl.end if cl.label_end < 0 else cl.label_end + 1)
        for cl in clauses
    ]
    labels = [x[0] for x in own if x]
    inherited = labels[0] if own and own[0] and len(labels) == 1 else None
    return [x[0] if x else inherited for x in own]


def paren_cohort(text: str, e: Element, cl: Clause, els: list[Element]) -> str | None:
    """ "NSCLC with EGFR mutation (Subgroup 1) or KRAS G12C (Subgroup 2)": the label in parentheses
    right after an element (no other element in between) names its cohort; "NSCLC", before both, is
    shared."""
    for label, pos in cohort_labels_in(text, e.mention.end, cl.end):
        if any(e.mention.end <= o.mention.start < pos for o in els if o is not e):
            return None
        return label
    return None


def _qualifiers(text: str, e: Element, cl: Clause, floor: int = 0) -> list[str]:
    """Qualifiers written on the condition ("symptomatic or untreated CNS metastases", "uncontrolled
    hypertension", "brain metastases that are untreated"): from the clause start or the previous
    ';'/','-free stretch up to the concept, and a relative clause right after it."""
    m = e.mention
    left = text[cl.start : m.start]
    cut = max(left.rfind(";"), left.rfind(","), left.rfind("("), left.rfind(":"))
    lo = max(floor, cl.start + cut + 1 if cut >= 0 else cl.start)
    found = qualifiers_in(text, lo, m.start)
    after = re.match(
        r"\s*,?\s*(?:that|which)\s+(?:is|are|was|were|remains?|has\s+been|have\s+been)\s+(?:not\s+)?[^,;.()]{0,40}",
        text[m.end : cl.end],
        re.IGNORECASE,
    )
    if after:
        found += qualifiers_in(text, m.end, m.end + after.end())
    words = [q for q, _, _ in found]
    return list(dict.fromkeys(words))


_DURATION_LEAD = re.compile(
    r"\b(?:for|lasting|duration\s+of|over\s+(?:a\s+period\s+of\s+)?|since)\s*(?:the\s+(?:past|last)\s+)?$",
    re.IGNORECASE,
)


def _duration(v: ValueExpr) -> Window | None:
    """A typed duration from a time value ("for at least 3 months", "> 20 weeks"); hours become
    days."""
    if not isinstance(v.value, float) or v.unit not in ("day", "week", "month", "year", "hour"):
        return None
    value, unit = (v.value / 24.0, "day") if v.unit == "hour" else (v.value, v.unit)
    comparator = v.comparator if v.comparator != "between" else ">="
    return Window(comparator=comparator, value=round(value, 4), unit=unit, anchor="duration")  # type: ignore[arg-type]


def _family_lead(text: str, start: int, at: int) -> str | None:
    """'true' when a family-history lead-in governs the concept at ``at`` ('a family history of sudden death or
    stroke'), 'either' when it names the patient too ('personal or family history of'), else None."""
    last = None
    for last in compiled_rules()["family_history"].finditer(text, start, at):
        pass
    if last is None:
        return None
    return "either" if last.group("own") else "true"


def constraints_of(
    text: str,
    e: Element,
    cid: str,
    k: int,
    cl: Clause | None = None,
    cohort: str | None = None,
    floor: int = 0,
    washout: bool = False,
) -> list[Constraint]:
    m = e.mention
    out = []
    vals: list[ValueExpr | None] = list(e.values) or [None]
    quals = (
        _qualifiers(text, e, cl, floor)
        if cl is not None and m.kind not in VALUE_KINDS | THERAPY_KINDS
        else []
    )
    for v in vals:
        if (m.concept == "age" and v is not None and v.unit is None and v.start > m.end
                and len(WORD.findall(text[m.end:v.start])) > _AGE_GAP_WORDS):
            continue  # "age) with World Health Organization Group 2": a bare number far from 'age' is no age
        spans: dict[str, tuple[int, int]] = {"concept": (m.start, m.end)}
        attrs = dict(e.attributes)
        duration: Window | None = None
        if quals:
            attrs["qualifiers"] = ",".join(quals)
        if cohort:
            attrs["cohort"] = cohort
        if e.carve is not None:
            attrs["role"] = "carve_out"
            spans["negation"] = (
                e.carve.cue
            )  # the cue that puts the item under NOT in the tree; ``negated`` stays False
        if m.attributes.get("lexicon_concept"):
            attrs["lexicon_concept"] = m.attributes["lexicon_concept"]
        if e.condition_of is not None:
            attrs["role"] = "condition"
        family = _family_lead(text, cl.start if cl is not None else floor, m.start)
        if family:
            attrs["family"] = family
        value: float | str | None = None
        comparator, value_high, unit, rel = "present", None, None, None
        recent: Window | None = None
        measured = _length_as_measure(text, m, v, floor)
        if measured is not None:  # "pregnant > 20 weeks", "second trimester pregnancy": a gestational age
            measure, comparator, value, value_high, unit, spans["value"] = measured
            v = None
        if v is not None and v.kind == "time" and m.kind not in VALUE_KINDS and m.concept != "age":
            # "diabetes for at least 6 months": a duration of the condition, not a comparable value
            hours = v.unit == "hour"
            dv, du = (
                (v.value / 24.0, "day")
                if hours and isinstance(v.value, float)
                else (v.value, v.unit)
            )
            dh = v.value_high / 24.0 if hours and v.value_high else v.value_high
            attrs["duration"] = f"{v.comparator} {dv:g}" + (f"-{dh:g}" if dh else "") + f" {du}"
            led = _DURATION_LEAD.search(text, max(0, v.start - 24), v.start) is not None
            if washout and m.kind in THERAPY_KINDS and v.comparator in ("==", "<", "<=") and isinstance(dv, float) \
                    and du in ("day", "week", "month", "year"):
                # "washout periods: 12 weeks for biologics": none in the last N weeks before screening
                recent = Window(comparator="<=", value=round(dv, 4), unit=du, anchor="as_of")  # type: ignore[arg-type]
            elif (
                m.kind != "attribute"
                and v.comparator in ("<", "<=")
                and not led
                and e.window is None
                and isinstance(dv, float)
                and du in ("day", "week", "month", "year")
            ):
                # "Malignancies (<5 years)": less than N years ago, a window back from the screening date
                recent = Window(comparator="<=", value=round(dv, 4), unit=du, anchor="as_of")  # type: ignore[arg-type]
            elif m.kind != "attribute" and (v.comparator != "==" or led):
                duration = _duration(
                    v
                )  # a bare "6 months" is as often a window as a duration: only the string
            spans["temporal"] = (v.start, v.end)
            if compiled_rules()["duration_heads"].search(
                text, max(0, min(m.start, v.start) - 30), v.end + 25
            ) or re.match(r"\\?[<>≤≥=]", text[v.start : v.end]):
                spans["value"] = (
                    v.start,
                    v.end,
                )  # "survival of less than 3 months": the length is the measured value
            v = None
        if v is not None:
            comparator, value, value_high, unit, rel = (
                v.comparator,
                v.value,
                v.value_high,
                v.unit,
                v.relative_to,
            )
            attrs.update({a: b for a, b in v.attributes.items() if a != "alt"})
            spans["value"] = (v.start, v.end)
            if v.kind == "class" and compiled_rules()["stage_head"].search(text[max(0, v.start - 30) : v.start]):
                attrs["stage"] = "true"  # "Stage III or IV NSCLC": the stage of the disease written with it
            lead = clause_patterns()["lead_limit"].search(text, max(0, m.start - 12), m.start)
            said = text[v.comp_span[0] : v.comp_span[1]].strip().lower() if v.comp_span else ""
            if comparator == "==" and value_high is None and lead and said in ("", "of", "is"):
                # "a minimum life expectancy of 12 weeks": the limit word stands before the concept
                comparator = rules()["clause_words"]["limit_words"][lead.group(1).lower()]
            if v.comp_span and _span(v.comp_span):
                spans["comparator"] = v.comp_span
            if comparator == "==" and said == "=":
                # "Age = 65 years": a bare '=' in criteria text is often a lost >= or <= (Chia's text, PDFs)
                attrs["bare_equals"] = "true"
                comparator = rules().get("bare_equals_reading", {}).get(m.concept, comparator)
        elif e.polarity is not None and m.kind not in ("result", "lab"):
            # the outcome of a test for a condition: "negative pregnancy test" = pregnancy absent
            comparator = "absent" if e.polarity.type == "negative" else "present"
            attrs["result"] = e.polarity.type
            spans["value"] = (e.polarity.start, e.polarity.end)
        elif e.polarity is not None:
            comparator, value = "==", e.polarity.type
            spans["value"] = (e.polarity.start, e.polarity.end)
        elif "value" in attrs:
            comparator, value = "==", attrs.pop("value")
        elif m.concept == "sex" and (named := sex_named(text[m.start : m.end])):
            comparator, value = "==", named  # "Female patients": the sex the criterion asks for
        elif (
            e.qualitative is not None
        ):  # "adequate renal function": kept as a qualifier, no comparable value
            # a stated level ("normal", "elevated") is the value; "confirmed", "adequate" only
            # qualify the concept
            role = (
                "value"
                if e.qualitative.value.lower() in compiled_rules()["level_words"]
                else "qualifier"
            )
            spans[role] = (e.qualitative.start, e.qualitative.end)
            attrs["qualifier"] = e.qualitative.value.lower()
        # "a stable daily dose of weak opioids or strong opioids for 72 hours": the lead holds for every drug of the
        # list after it, unless the drug's own words negate it ("and no insulin for 4 weeks")
        lead_floor = floor if e.negation is not None else 0
        stable = (e.window is not None and m.kind in THERAPY_KINDS and e.window.comparator in (">=", ">")
                  and compiled_rules()["stable_dose"].search(
                      text, max(lead_floor, cl.start if cl is not None else 0, e.window.start - 80), e.window.start))
        if stable and e.window is not None and duration is None:
            # "on a stable dose for 30 days prior to study entry": on the drug that long, not off it
            duration = Window(comparator=e.window.comparator, value=e.window.value, unit=e.window.unit,  # type: ignore[arg-type]
                              anchor="duration")
            attrs["duration"] = f"{e.window.comparator} {e.window.value:g} {e.window.unit}"
            attrs["stable_dose"] = "true"  # counted from the last change of dose
            e.window = None
        if e.window is not None:
            spans["window"] = (e.window.start, e.window.end)
        if e.negation is not None:
            spans["negation"] = (e.negation.start, e.negation.end)
            if comparator == "present":
                comparator = "absent"
        if e.temporal is not None and "temporal" not in spans:
            # "history of" and course words ("chronic", "acute") qualify the condition; they are not
            # time expressions
            role = next(
                (
                    r
                    for r, rx in compiled_rules()["temporal_roles"]
                    if rx.fullmatch(text[e.temporal.start : e.temporal.end])
                ),
                "temporal",
            )
            spans[role] = (e.temporal.start, e.temporal.end)
            attrs.setdefault(
                "temporal",
                {"phrase": "relative", "status": "course"}.get(e.temporal.type, e.temporal.type),
            )
        if m.attributes.get("site"):
            attrs["site"] = m.attributes["site"]
        route = drug_route(text, m.start, m.end) if m.kind in ("drug", "drug_class") else None
        if route is not None:
            attrs["route"] = route
        in_name = assertion_in_name(text[m.start : m.end])  # "non-smokers", "ex-smokers": the words say it
        negated_in_name = in_name is not None and in_name[0] == "negated" and comparator in ("present", "absent")
        if negated_in_name:
            comparator = "absent" if comparator == "present" else "present"
        elif in_name is not None and in_name[0] == "historical":
            attrs.setdefault("temporal", "history")
        if m.attributes.get("fuzzy"):
            attrs["matched_phrase"] = m.attributes["fuzzy"]
        if m.concept == "age" and unit is None and isinstance(value, float):
            # "Age <1m": a bare 'm' or 'mo' after an age is months (a metre or a minute is no age)
            said_unit = compiled_rules()["age_month_unit"].match(text, spans["value"][1]) if "value" in spans else None
            unit = "month" if said_unit else "year"
        elif isinstance(unit, str) and m.kind in ("drug", "drug_class") and (
                per_day := compiled_rules()["dose_rate_unit"].fullmatch(unit.strip())):
            unit = per_day.group("amount")  # "prednisone > 10 mg/day": a drug's dose is read per day in notes
        elif unit is None and rel is None and isinstance(value, float) and m.kind in ("lab", "measurement"):
            unit = unit_by_magnitude(m.concept, value) or None  # "platelets < 50,000": per microlitre, as in notes
        if comparator == "between" and isinstance(value, float) and value_high is None:
            comparator = "=="
        s = min(a for a, _ in (spans["concept"], spans.get("value", spans["concept"])))
        en = max(b for _, b in (spans["concept"], spans.get("value", spans["concept"])))
        if m.attributes.get("implicit") and "value" in spans:
            # "18 years or older": no word names the concept; the value implies it
            del spans["concept"]
        if "negation" in spans and spans["negation"][0] < s and s - spans["negation"][1] < 40:
            s = spans["negation"][0]
        if m.open_vocab and isinstance(value, float) and unit is None and comparator in _LIMITS:
            # "PASI score >= 12", "DAS28 > 5.1": a measure outside the lexicon, looked up by its name ('pasi')
            name = " ".join(w for w in m.concept.split() if w not in compiled_rules()["measure_words"])
            if name and (name != m.concept or _ACRONYM.fullmatch(text[m.start : m.end])):
                attrs["measure"] = name
        k += 1
        scale_concept = compiled_rules()["scale_concepts"].get(attrs.get("scale", ""), m.concept)
        out.append(
            Constraint(
                id=f"{cid}.c{k}",
                # "heart failure NYHA II-IV": the level is the NYHA class's, which implies the condition
                concept=measure if measured is not None else
                scale_concept if "value" in spans and m.kind not in VALUE_KINDS else m.concept,
                text=text[s:en],
                start=s,
                end=en,
                negated=(e.negation is not None) != negated_in_name,  # "no never-smokers": both cancel
                comparator=comparator,  # type: ignore[arg-type]
                value=value,
                value_high=value_high,
                unit=unit,
                relative_to=rel,  # type: ignore[arg-type]
                window=Window(
                    comparator=e.window.comparator,  # type: ignore[arg-type]
                    value=e.window.value,
                    unit=e.window.unit,  # type: ignore[arg-type]
                    anchor=e.window.anchor,
                )
                if e.window
                else recent,
                duration=duration,
                attributes=attrs,
                open_vocabulary=m.open_vocab,
                spans=spans,
            )
        )
    return out


_AGE_GAP_WORDS = 3
"""A number with no unit after 'age' is its value only within this many words ('age at least 18', not 'age) with
World Health Organization Group 2')."""

def _length_as_measure(text: str, m: Mention, v: ValueExpr | None, floor: int
                       ) -> tuple[str, str, float | None, float | None, str, tuple[int, int]] | None:
    """A condition whose length is a measure of its own (``duration_measures``): its time value ('pregnant > 20
    weeks') or the named period written beside it ('second trimester pregnancy') as a limit on that measure:
    (measure, comparator, value, value_high, unit, value span); None when neither is written."""
    spec = compiled_rules()["duration_measures"].get(m.concept)
    if spec is None:
        return None
    measure, unit, written_in, ceiling, periods = spec
    if v is not None and v.kind == "time" and isinstance(v.value, float) and v.unit in written_in:
        k = written_in[v.unit]
        high = v.value_high * k if isinstance(v.value_high, float) else None
        if max(v.value * k, high or 0) <= ceiling:  # "a pregnancy for 3 years" is no gestational age
            comparator = "between" if high is not None else v.comparator
            return measure, comparator, round(v.value * k, 2), round(high, 2) if high else None, unit, (v.start, v.end)
    for left, right, lo, hi in periods:
        hit = left.search(text, max(floor, m.start - 30), m.start)
        if hit is not None:
            return measure, "between", lo, hi, unit, (hit.start(), hit.end())
        after = right.match(text, m.end, min(len(text), m.end + 30))
        if after is not None:
            return measure, "between", lo, hi, unit, (after.start(), after.end())
    return None


_ROUTE_BRACKET = re.compile(r"\s*\(([^()]{0,40})\)")
"""A short bracket right after a drug, where a listing may name its route ('corticosteroids (inhaled or oral)')."""


def drug_route(text: str, start: int, end: int) -> str | None:
    """The route a listing names for a drug: 'topical steroids' (local), 'systemic corticosteroids' (systemic),
    'steroids (inhaled or oral)' (any); None when it names none (``drug_route_words``)."""
    before = text[max(0, start - 30) : start]
    before = before[max(before.rfind(ch) for ch in ",;:()") + 1 :]
    bracket = _ROUTE_BRACKET.match(text, end, end + 45)
    said = " ".join((before, text[start:end], bracket.group(1) if bracket else ""))
    found = [route for route, rx in compiled_rules()["drug_routes"] if rx.search(said)]
    return "any" if len(found) > 1 else (found[0] if found else None)

