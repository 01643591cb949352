"""Values next to a mention: lab results with units and reference ranges, test results (polarity and
method), therapy cycles and responses; lesion sizes and ages are read in ``sizes_ages`` (re-exported here),
scores (ECOG, Karnofsky, signed T-scores) in ``scores``.

Pure functions over the raw text and character offsets; the caller passes the end of the mention
and the end of its sentence (or table row) so no value is taken from another sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .quantities import (
    alternation,
    comparator_of,
    comparator_phrases,
    number_value,
    quantities,
    time_unit_alternation,
    time_unit_of,
)
from .sizes_ages import (  # noqa: F401 - re-exported: callers read V.AGE_RE, V.size_mm
    AGE_RE,
    AGE_SEX_RE,
    FEET_INCHES,
    INCH_AFTER,
    SEX_AGE_RE,
    SEX_LABEL_RE,
    SIZE_RE,
    age_of,
    age_sex_matches,
    size_mm,
    size_timepoints,
)
from .units import _aliases, lab_rules, unit_by_magnitude
from .units import convert as _pint_convert


@lru_cache(maxsize=4096)
def _factor(unit: str, target: str, concept: str | None) -> float | None:
    try:
        return _pint_convert(1.0, unit, target, concept)
    except (ZeroDivisionError, ValueError, TypeError, AttributeError):
        return None


def convert(value: float, unit: str, target: str, concept: str | None = None) -> float | None:
    """units.convert for linear clinical units, with the factor cached per (unit, target, concept); temperatures
    (an offset, not a factor) through units.convert itself."""
    if "deg" in unit or "deg" in target or "°" in unit or "°" in target:
        return _pint_convert(value, unit, target, concept)
    f = _factor(unit, target, concept)
    return None if f is None else value * f

NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"


@dataclass
class Value:
    value: Any
    unit: str | None = None
    start: int = 0
    end: int = 0
    attributes: dict = field(default_factory=dict)


# ----------------------------------------------------------------------------- units


@lru_cache(maxsize=1)
def _unit_re() -> re.Pattern:
    exact, _ = _aliases()
    extra = list(quantities().unit_surfaces)
    keys = sorted({k for k in exact if k not in ("y", "l", "L", "g", "d")} | set(extra), key=len, reverse=True)
    alt = "|".join(re.escape(k).replace(r"\ ", r"\s*") for k in keys)
    return re.compile(r"\s*(?P<unit>" + alt + r")(?![A-Za-z0-9])", re.IGNORECASE)


def _to_float(s: str) -> float:
    return float(s.replace(",", ""))


# ----------------------------------------------------------------------------- labs

@lru_cache(maxsize=1)
def _filler() -> re.Pattern[str]:
    """What may stand between a lab's name and its value; a named method or equation comes from
    ``note_context.json`` (``value_method_pattern``)."""
    from .note_rules import rules as note_rules

    return re.compile(
        r"(?:\((?:" + note_rules().value_method_pattern + r")[^()\n]{0,60}\)"  # "(Cockcroft-Gault, actual wt 73.5 kg)"
        r"|\s|[:=,~]|\.{2,}|\u2026|\([A-Za-z][^()\d\n]{0,29}\)|\([A-Za-z][A-Za-z\- ]{1,20}\d{4}\)|\((?!\s*[-+]\s*\))|\)"
        r"|(?:" + note_rules().value_method_pattern + r")(?:[ \t]+(?:19|20)\d\d\b)?"
        r"|approximately|approx\.?|about|-(?=\s)|,\s*(?:absolute|abs|fasting|total|serum|random)\b|"
        r"absolute|abs|fasting|random|dipstick|level|levels|count|value|values|of|was|were|is|are|at|on|today|now|"
        r"result|results|measured|checked|came back|returned|serum|blood|total|\b[HL]\b|\*|ratio|pending)*",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def _comparator_re() -> re.Pattern[str]:
    """A comparator before a number ("< 20", "less than 20"), from the shared vocabulary."""
    phrases = comparator_phrases((">=", "<=", ">", "<"))
    return re.compile(r"\s*" + alternation(phrases), re.IGNORECASE)
_RANGE_AFTER = re.compile(
    r"\s*(?:\(|\[|,|;)?\s*(?:(?:ref(?:erence)?|normal|nl|range|rr|n)\.?\s*(?:range|value|values)?\s*[:=]?\s*)?"
    r"(?P<lo>" + NUM + r")\s*(?:-|–|to)\s*(?P<hi>" + NUM + r")\s*(?P<unit2>[A-Za-zµμ/^0-9.]*)\s*[)\]]?"
)
_ULN_AFTER = re.compile(
    r"\s*(?:\(|,|;)?\s*(?:ULN|upper limit(?: of normal)?)\s*[:=]?\s*(?P<uln>" + NUM + r")", re.IGNORECASE)
_TEMPLATE_BEFORE = re.compile(
    r"(?:normal|reference|ref\.?)\s*(?:range|value|values|limits?)?\s*[:=]?\s*$", re.IGNORECASE)
_DATE_FIRST = re.compile(r"(?:0?[1-9]|[12]\d|3[01])[/.-](?:(?:0?[1-9]|1[0-2])[/.-])?(?:19|20)?\d{2}\b[ \t:,=]*(?=\d)")
"""A date written before a lab value (``03/2025 44``, ``12.11.2024: 41``): skipped to reach the value."""
_FLAG = re.compile(r"[ \t]+(?:[HL]{1,2}|\([HL]\)|\*{1,2}|(?i:high|low|abnormal))(?=[ \t]+[A-Za-zµμ%/])")
"""A laboratory flag between a value and its unit: ``7.9  L  mg/dL``, ``5.9 (H) mmol/L``."""
_PREDICTED_AFTER = re.compile(
    r"(?:[ \t]*(?:L|mL|ml|l|liters?|litres?)\b)?[ \t]*[(,/;][ \t]*(?P<pct>\d{1,3}(?:\.\d)?)[ \t]*%[ \t]*"
    r"(?:of[ \t]+)?(?:pred(?:icted)?\b|pp\b|ref\b)", re.IGNORECASE)
"""A percentage of the predicted normal written right after a value: ``(41% predicted)``, ``/ 52 % pred``."""
_XPOW = re.compile(r"\s*(?:x|×|\*)\s*10\s*(?:\^|e|\*\*)?\s*(?P<exp>\d{1,2})", re.IGNORECASE)


def lab_value(text: str, mention_end: int, limit: int, concept: str, canonical: str | None) -> Value | None:
    """The value written right after a lab mention (``Hb 112 g/L``, ``Cr 1.1 mg/dL (0.6-1.2)``,
    table rows ``ALT    32    U/L    7-40``), converted to the canonical unit."""
    limit = min(limit, mention_end + 80)
    m = _filler().match(text, mention_end, limit)
    pos = m.end() if m else mention_end
    cm = _comparator_re().match(text, pos, limit)
    if cm and concept in ("hbv_dna", "hcv_rna") and re.match(r"\s*<", text[pos:limit]):
        return Value("undetectable", None, pos, cm.end(), {"raw_value": text[pos:cm.end() + 12].split("\n")[0].strip()})
    if _TEMPLATE_BEFORE.search(text[max(mention_end, pos - 20):pos]):
        return None
    bound = comparator_of(cm.group(0)) if cm else None  # "eGFR >90": a value known only to lie beyond 90
    if cm and bound not in (">", ">=", "<", "<="):
        return None
    pos = cm.end() if cm else pos
    nm = re.compile(NUM).match(text, pos, limit)
    if cm and not nm:
        return None
    dm = _DATE_FIRST.match(text, pos, limit) if nm else None
    if dm:  # "Prior eGFR: 03/2025 44; 12/2024 42": a date before the value is no value
        nm = re.compile(NUM).match(text, dm.end(), limit)
    if not nm:
        return _qualitative(text, pos, limit, concept)
    raw = nm.group(0)
    num = _to_float(raw)
    end = nm.end()
    if text.startswith("+", end) and concept == "urine_protein":
        return Value(raw + "+", None, nm.start(), end + 1, {"raw_value": raw + "+"})
    length = canonical is not None and convert(1.0, "inch", canonical, concept) is not None
    fi = FEET_INCHES.match(text, nm.start(), limit) if length else None
    if fi and fi.end() > end:  # the pattern needs a feet mark: "5'9\"", "5 ft", "5 feet"
        inches = int(fi.group("ft")) * 12 + float(fi.group("inch") or 0)
        return _length_value(inches, fi.group(0).strip(), concept, canonical, nm.start(), fi.end())
    inch = INCH_AFTER.match(text, end, limit) if length else None
    if inch:
        return _length_value(num, raw, concept, canonical, nm.start(), inch.end())
    ranged = re.match(r"\s*(?:-|–|to)\s*\d", text[end:limit])
    if ranged and re.search(r"(?:range|normal|ref)", text[mention_end:pos], re.IGNORECASE):
        return None
    fl = _FLAG.match(text, end, limit)
    um = _unit_re().match(text, fl.end(), limit) if fl else None  # "Calcium  7.9  L  mg/dL": a flag, then the unit
    um = um or _unit_re().match(text, end, limit)
    if not um:
        pw = _XPOW.match(text, end, limit)
        if pw and not text.startswith("/", pw.end()):
            num *= 10 ** int(pw.group("exp"))
            end = pw.end()
            um = _unit_re().match(text, end, limit)
    raw_unit = um.group("unit") if um else None
    if um:
        end = um.end()
    elif text[end:end + 1] == "%":
        raw_unit, end = "%", end + 1
    attrs: dict[str, Any] = {"raw_value": raw, "raw_unit": raw_unit}
    if bound:
        attrs["comparator"] = bound
    value, unit = _canonical(num, raw_unit, concept, canonical, attrs)
    if value is None:
        return None
    pp = _PREDICTED_AFTER.match(text, end, limit)
    if pp and unit != "%":  # "FEV1 1.12 L (41% predicted)": the same value as a percentage of the predicted normal
        attrs["percent_predicted"] = float(pp.group("pct"))
    rng = _RANGE_AFTER.match(text, end, limit)
    if rng:
        lo, hi = _to_float(rng.group("lo")), _to_float(rng.group("hi"))
        ru = raw_unit or (rng.group("unit2") or None)
        clo = _convert_like(lo, ru, concept, canonical, attrs)
        chi = _convert_like(hi, ru, concept, canonical, attrs)
        if clo is not None and chi is not None and clo <= chi:
            attrs["ref_low"], attrs["ref_high"] = round(clo, 4), round(chi, 4)
            attrs["uln"] = round(chi, 4)
    else:
        um2 = _ULN_AFTER.match(text, end, limit)
        if um2:
            u = _convert_like(_to_float(um2.group("uln")), raw_unit, concept, canonical, attrs)
            if u is not None:
                attrs["uln"] = round(u, 4)
    first = cm.start() + len(cm.group(0)) - len(cm.group(0).lstrip()) if cm else nm.start()
    return Value(round(value, 4), unit, first, end, attrs)


_PAIR_SEP = re.compile(r"[ \t]*/[ \t]*")
"""Between analytes written as a pair: ``AST/ALT``, ``BUN / Cr``."""


def paired_lab_values(text: str, last_end: int, limit: int, labs: list[tuple[str, str | None]]) -> list[Value] | None:
    """One value per analyte for ``AST/ALT 30/28 U/L``, ``BUN/Cr 14/0.9``: ``labs`` holds (concept,
    canonical unit) of the slash-joined mentions in order, ``last_end`` is the end of the last one.
    A unit after the numbers applies to each; without one each value's unit is inferred per analyte.
    None when the numbers are not written as a matching slash group."""
    limit = min(limit, last_end + 80)
    m = _filler().match(text, last_end, limit)
    pos = m.end() if m else last_end
    rx = re.compile(r"(" + NUM + r")" + r"".join(r"[ \t]*/[ \t]*(" + NUM + r")" for _ in labs[1:]) + r"(?![\d/]|\.\d)")
    nm = rx.match(text, pos, limit)
    if not nm:
        return None
    um = _unit_re().match(text, nm.end(), limit)
    raw_unit = um.group("unit") if um else None
    out = []
    for k, (concept, canonical) in enumerate(labs, 1):
        raw = nm.group(k)
        attrs: dict[str, Any] = {"raw_value": raw, "raw_unit": raw_unit, "paired": True}
        value, unit = _canonical(_to_float(raw), raw_unit, concept, canonical, attrs)
        if value is None:
            return None
        out.append(Value(round(value, 4), unit, nm.start(k), nm.end(k), attrs))
    return out


@lru_cache(maxsize=1)
def _duration_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Durations after a mention ("life expectancy > 3 months") and right before it ("a > 6-month
    life expectancy"), with the shared vocabulary's number words, time units and comparators."""
    number = r"(?P<n>" + NUM + "|" + alternation(list(quantities().number_words))[3:-1] + r")"
    unit = r"(?P<unit>" + time_unit_alternation() + r")"
    after = re.compile(
        r"(?:\s|[:=,~(]|of|is|was|are|judged|estimated|expected|felt|thought|believed|to|be|likely|"
        r"approximately|approx\.?|about|around|roughly|probably|perhaps|only|anticipated|predicted|"
        r"considered|well|at)*?"
        r"(?P<cmp>" + alternation(comparator_phrases((">=", "<=", ">", "<"))) + r")?"
        r"\s*(?:approximately|about|around|roughly)?\s*" + number
        + r"(?:\s*(?:-|–|to)\s*(?P<n2>" + NUM + r"))?\s*" + unit + r"(?![A-Za-z])",
        re.IGNORECASE)
    before = re.compile(
        r"(?P<cmp>" + alternation(comparator_phrases((">=", ">"))) + r")?\s*" + number
        + r"[\s-]*" + unit + r"(?:\s+or\s+more|\s*\+)?\s*$",
        re.IGNORECASE)
    return after, before


def duration_value(
    text: str, mention_end: int, limit: int, mention_start: int | None = None, line_start: int = 0
) -> Value | None:
    """A duration stated after a mention (``life expectancy > 3 months``, ``expected survival of
    about 2 months``, ``beyond 3 months``) or right before it (``a > 6-month life expectancy``), in
    weeks; a range takes its lower end; the comparator is kept as an attribute (``more than``,
    ``beyond``, ``exceeding`` -> ``>``). Conversion is pint's calendar units: 1 month = 1/12 of a
    Julian year = 30.44 days = 4.348 weeks (6 months -> 26.09 weeks), 1 year = 52.18 weeks."""
    after, before = _duration_res()
    m = after.match(text, mention_end, min(limit, mention_end + 60))
    if not m and mention_start is not None:
        m = before.search(text, max(line_start, mention_start - 25), mention_start)
    if not m:
        return None
    raw = m.group("n")
    n = _to_float(raw) if raw[0].isdigit() or raw[0] == "." else number_value(raw)
    if n is None:
        return None
    unit = time_unit_of(m.group("unit"))
    if unit is None:
        return None
    weeks = convert(float(n), unit, "week")
    if weeks is None:
        return None
    attrs: dict[str, Any] = {"raw_value": text[m.start("n"):m.end("unit")], "raw_unit": m.group("unit")}
    if m.group("cmp"):
        c = " ".join(m.group("cmp").lower().split())
        attrs["comparator"] = comparator_of(c) or c
    start = m.start("cmp") if m.group("cmp") else m.start("n")
    return Value(weeks, "week", start, m.end("unit"), attrs)  # unrounded: "3 months" meets ">= 3 months"


def _convert_like(v: float, raw_unit: str | None, concept: str, canonical: str | None, attrs: dict) -> float | None:
    if attrs.get("unit_inferred") and attrs.get("inferred_unit"):
        raw_unit = attrs["inferred_unit"]
    if not raw_unit or not canonical:
        return v
    out = convert(v, raw_unit, canonical, concept)
    return v if out is None and raw_unit == canonical else out


def _length_value(inches: float, raw: str, concept: str, canonical: str | None, start: int, end: int) -> Value | None:
    out = convert(inches, "inch", canonical, concept) if canonical else None
    if out is None:
        return None
    return Value(round(out, 2), canonical, start, end, {"raw_value": raw, "raw_unit": "inch"})


def _canonical(num: float, raw_unit: str | None, concept: str, canonical: str | None, attrs: dict):
    if not canonical:
        return num, raw_unit
    if raw_unit:
        if raw_unit == "%" and canonical != "%":
            attrs["percent"] = True
            return num, "%"
        out = convert(num, raw_unit, canonical, concept)
        if out is None:
            return None, None
        return out, canonical
    assumed = unit_by_magnitude(concept, num)
    if assumed is not None:
        attrs["unit_inferred"] = True
        attrs["inferred_unit"] = assumed
        out = convert(num, assumed, canonical, concept) if assumed != canonical else num
        return (out, canonical) if out is not None else (None, None)
    if concept in lab_rules():
        return None, None  # implausible without a unit (a date, a count of something else)
    return num, canonical


_QUAL = re.compile(
    r"(?:target\s+)?(?P<q>undetectable|not detected|below (?:the )?(?:limit of )?(?:detection|quantification)"
    r"|detectable|detected|negative|neg\b|"
    r"\(-\)|nil\b|trace|[1-4]\+|\+{1,4}|positive|pos\b)", re.IGNORECASE)


def _qualitative(text: str, pos: int, limit: int, concept: str) -> Value | None:
    m = _QUAL.match(text, pos, limit)
    if not m:
        return None
    q = m.group("q").lower()
    if concept in ("hbv_dna", "hcv_rna"):
        v = "undetectable" if q.startswith(("undetect", "not", "below", "neg")) else "detectable"
    else:
        v = {"detected": "positive", "not detected": "negative", "neg": "negative", "(-)": "negative",
             "nil": "negative",
             "pos": "positive"}.get(q, q)
    return Value(v, None, m.start(), m.end(), {"raw_value": m.group("q")})


# ----------------------------------------------------------------------------- results

_JOINED_TEST = (r"(?![ \t]+(?:[A-Za-z-]+[ \t]+)?(?:antigen|antibod|serolog|test|pcr|culture|assay|stool|breath|biops"
                r"|ig[gm]\b|ab\b|ag\b))")
_POS = (r"(?-i:R)\b(?![/\-])|positive|pos\b|\(\+\)|\+(?![\d+])" + _JOINED_TEST
        + r"|reactive|detected|present|infection|infected|titer|1:\d+")
"""Result words. "HPV-associated / -related / -driven disease" describes a disease, not a test result; a "+" joining
two tests ("serology + stool antigen") is no result."""
_NEG = (r"(?-i:NR)\b|negative|neg\b|independent|unrelated|\(-\)|\(\s*-\s*\)|-ve\b|non-?reactive|not\s+detected"
        r"|undetectable|absent|not\s+present|(?<=\s)-(?=[ \t]*(?:$|[,;.)\n]))")
_IND = r"equivocal|indeterminate|borderline|inconclusive|weakly positive"
_POLARITY_AFTER = re.compile(
    r"(?P<gap>(?:[\s:=,\-–()]|\.{2,}|combo|combination|\([^()\n]{1,40}\)|/\s*[A-Za-z][\w\-]*(?:\s+(?:Ab|Ag|antibody|antigen|Ag/Ab))?|"
    # "Anti-HCV, HIV and anti-HDV all negative": a short list of tests whose result is given once for all
    r"(?:(?:,|\s+and|\s+&)\s*(?:anti-?)?[A-Za-z][A-Za-z0-9\-/]{1,10}(?:\s+(?:Ab|Ag|antibody|antigen))?){1,4}\s+(?:all|both)\b|"
    r"\d+(?:\.\d+)?\s*(?:IU/mL|S/CO|COI|index|ratio|U/mL)?|status|all|both|remains|remained|still|now|again|total|"
    r"genotyping|genotype|testing|assay|panel|screen|test(?:ing)?|tests|result(?:s)?|is|was|were|are|by|ihc|ish|pcr|immunohistochemistry|"
    r"in situ hybridization|staining|stain|screen(?:ing)?|antibody|antibodies|ab|ag|antigen|dna|rna|serology|"
    r"came back|returned|reported|as|strongly|diffusely|diffuse|block-like|strong|type|1/2|high-risk|hr|16|18|"
    r"also|both|and|tumor|tumour|cells|on|of|the|for|serologies|e6/e7|mrna|expression|overexpression)*?)"
    r"(?P<pol>" + _IND + "|" + _NEG + "|" + _POS + r")", re.IGNORECASE)
_POLARITY_BEFORE = re.compile(
    r"(?P<pol>" + _IND + r"|positive|negative|reactive|non-?reactive|undetectable|detectable|treated(?:\s+for)?"
    r"|history\s+of|hx\s+of|h/o|known|"
    r"latent|active|secondary|primary|chronic)\s+(?:for\s+)?(?:the\s+)?(?:high-risk\s+)?(?:latent\s+)?$", re.IGNORECASE)
_METHODS = [
    ("ISH", re.compile(r"\b(?:ISH|in[\s-]situ hybridi[sz]ation|RNAscope|CISH|FISH)\b", re.IGNORECASE)),
    ("PCR", re.compile(r"\b(?:PCR|polymerase chain reaction)\b", re.IGNORECASE)),
    ("IHC", re.compile(r"\b(?:IHC|immunohistochemi(?:stry|cal)|immunostain(?:ing)?)\b", re.IGNORECASE)),
    ("serology", re.compile(r"\b(?:ELISA|serology|serologic)\b", re.IGNORECASE)),
    ("DXA", re.compile(r"\b(?:DXA|DEXA|dual[- ]energy)\b", re.IGNORECASE)),
    ("QUS", re.compile(r"\b(?:QUS|quantitative ultrasound|(?:heel|calcaneal) ultrasound|ultrasonometry)\b",
                       re.IGNORECASE)),
]


_DESCRIBES_DISEASE = re.compile(r"[\s-]*(?:associated|related|driven|mediated|induced|dependent)\b", re.IGNORECASE)


def polarity_of(word: str) -> str:
    w = " ".join(word.lower().split())
    if w in ("undetectable", "nr"):  # NR: non-reactive (serology shorthand)
        return "negative"
    if re.fullmatch(_IND, w, re.IGNORECASE):
        return "indeterminate"
    if re.fullmatch(_NEG, w, re.IGNORECASE) or w in ("-", "(-)"):
        return "negative"
    return "positive"


def result_value(text: str, mention_start: int, mention_end: int, sent_start: int, limit: int) -> Value | None:
    """Polarity written after (``p16 negative``, ``HBsAg (-)``, ``HIV Ab non-reactive``,
    ``HPV-positive``) or before (``positive for p16``) a test mention."""
    limit = min(limit, mention_end + 60)
    m = _POLARITY_AFTER.match(text, mention_end, limit)
    if m:
        return Value(polarity_of(m.group("pol")), None, m.start("pol"), m.end("pol"), {"cue": m.group("pol")})
    if _DESCRIBES_DISEASE.match(text, mention_end, limit):
        return None  # "history of HPV-associated cancer": the words before describe the disease
    before = text[max(sent_start, mention_start - 30):mention_start]
    b = _POLARITY_BEFORE.search(before)
    if b:
        off = mention_start - len(before)
        pol = b.group("pol")
        return Value(polarity_of(pol), None, off + b.start("pol"), off + b.end("pol"), {"cue": pol})
    return None


def test_method(text: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> str | None:
    """IHC / ISH / PCR (a bone density: DXA or ultrasound) stated near the mention (within ``[lo, hi)``, its
    sentence), nearest first."""
    best, dist = None, None
    hi = len(text) if hi is None else hi
    window_start = max(lo, start - 40)
    window = text[window_start:min(hi, end + 40)]
    for name, rx in _METHODS:
        for m in rx.finditer(window):
            d = abs(window_start + m.start() - start)
            if dist is None or d < dist:
                best, dist = name, d
    return best


# ----------------------------------------------------------------------------- therapy

_CYCLES = re.compile(
    r"(?:x|×)\s*(?P<a>\d{1,2})\s*cycles?|(?P<b>\d{1,2})\s*cycles?|cycles?\s*(?:#\s*)?(?P<c>\d{1,2})|\bC(?P<d>\d{1,2})\s*D\d{1,2}\b",
    re.IGNORECASE)
_RESPONSES = [
    ("progression", re.compile(
        r"\b(?:progressed|progression|progressive disease|(?<!idiopathic )(?<!Parkinson's )PD(?![-\u2010]?L?-?1)\b"
        r"|progressing|refractory|failed|failure)", re.IGNORECASE)),  # not PD-1, PD-L1, Parkinson's "idiopathic PD"
    ("complete_response", re.compile(r"\b(?:complete response|complete remission|CR\b)", re.IGNORECASE)),
    ("partial_response", re.compile(r"\b(?:partial response|PR\b)", re.IGNORECASE)),
    ("stable", re.compile(r"\b(?:stable disease|SD\b|disease stability)", re.IGNORECASE)),
]


def therapy_details(text: str, start: int, end: int, sent_start: int, sent_end: int) -> dict:
    """Cycles and response stated in the drug's sentence."""
    out: dict[str, Any] = {}
    sent = text[sent_start:sent_end]
    cyc = [m for m in _CYCLES.finditer(sent)]
    if cyc:
        best = min(cyc, key=lambda m: abs(sent_start + m.start() - end))
        out["cycles"] = int(next(g for g in best.groups() if g))
    for name, rx in _RESPONSES:
        if rx.search(sent):
            out["response"] = name
            break
    return out
