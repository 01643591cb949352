"""Pure functions that find the measurable parts of a criterion clause: comparators with numbers and units,
ULN/LLN multiples, CTCAE grades, scale classes, time windows with anchors, and the cue words (negation,
temporal, result polarity, test method). Every result carries absolute character offsets.

Patterns are built once from ``models/rules/criteria_patterns.json``,
``models/rules/quantities.json`` and ``models/units/aliases.json``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from ..resources import models_path
from ..rule_schemas import UnitAliases
from ..rulefile import read_json_data
from .criteria_exprs import CueExpr, ValueExpr, WindowExpr
from .listing import rules
from . import quantities as qty
from .quantities import quantities
from .units import canonical_unit_text

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "0": 0, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}


def _alt(words: list[str], escape: bool = True) -> str:
    parts = []
    for w in sorted(set(words), key=lambda x: (-len(x), x)):
        p = re.escape(w).replace(r"\ ", r"\s+") if escape else w
        if escape and not w[0].isalnum():
            p = r"\\?" + p  # CT.gov escapes comparators as "\>"
        if w[0].isalnum():
            p = r"\b" + p
        if w[-1].isalnum():
            p += r"\b"
        parts.append(p)
    return "(?:" + "|".join(parts) + ")"


@dataclass
class Patterns:
    post_lookup: dict[str, str]
    time_units: list[tuple[re.Pattern[str], str]]
    count_units: list[tuple[re.Pattern[str], str]]
    pre_lookup: list[tuple[re.Pattern[str], str]]
    anchors: list[tuple[re.Pattern[str], str]]
    uln: re.Pattern[str]
    normal: re.Pattern[str]
    grade: re.Pattern[str]
    klass: re.Pattern[str]
    between: re.Pattern[str]
    comp_value: re.Pattern[str]
    range_: re.Pattern[str]
    score_or: re.Pattern[str]
    post_only: re.Pattern[str]
    bare: re.Pattern[str]
    dipstick: re.Pattern[str]
    score_list: re.Pattern[str]
    sandwich: re.Pattern[str]
    window: re.Pattern[str]
    window_words: re.Pattern[str]
    cues: list[tuple[re.Pattern[str], str, str]]
    neg_not_before: re.Pattern[str]
    unit_surface: dict[str, str]


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    r = rules()
    q = quantities()
    comp_lookup: dict[str, str] = {}
    for op, words in q.comparators.items():
        for w in words:
            comp_lookup[" ".join(w.lower().split())] = op
    post_lookup: dict[str, str] = {
        " ".join(w.split()): op for op, ws in q.post_comparators.items() for w in ws
    }
    comp = _alt([w for w in comp_lookup if w not in q.ambiguous_comparators])
    comp_eq = _alt(list(comp_lookup))
    post = _alt(list(post_lookup))
    nw = q.number_words
    num = r"(?:(?:(?<=[<>≤≥=])|(?<=[<>≤≥=]\s))\d+,\d{1,2}(?![\d,])|\d+\.\d+?(?=10\s*[\^*]\s*\(?\d)|\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[ \u00a0]\d{3})+(?=\s*(?:/|[x×]\s*10|cells|copies|IU\b|U/))|\d+(?:\.\d+)?|\.\d+|" + _alt(list(nw))[3:-1] + r")(?:\s*\(\s*\d+(?:\.\d+)?\s*\))?"
    aliases = read_json_data(models_path("units", "aliases.json"), UnitAliases)
    time_keys = {"years", "year", "yrs", "y", "months", "month", "weeks", "week", "wks", "days", "day"}
    lab_units = [k for k in aliases if k not in time_keys and not re.match(r"^[x×*]?\s*10", k)]
    lab_units += list(q.unit_surfaces)
    pow_unit = (r"(?:[x×*]\s*)?10\s*(?:\^|\*\*?|E|e)?\s*\(?\s*(?:9|12|6|3)\s*\)?\s*(?:cells\s*)?/\s*(?:L|l|µL|μL|uL|mm3|mm\^3|mcL)\b")
    generic = r"[A-Za-zµμ]{1,6}\s*/\s*[A-Za-z0-9µμ.²³^]{1,8}(?:\s*/\s*[A-Za-z0-9.²]{1,6})?(?![A-Za-z])"
    unit_alt = "(?:" + pow_unit + "|" + generic + "|" + "|".join(
        re.escape(u).replace(r"\ ", r"\s*").replace("/", r"\s*/\s*") + (r"(?![A-Za-z0-9])" if u[-1].isalnum() else "")
        for u in sorted(set(lab_units), key=len, reverse=True)) + "|" + "|".join(
        "(?:" + u + r")(?![A-Za-z0-9])" for u in q.extra_units) + ")"
    tu = q.time_units
    cu = q.count_units
    time_alt = "(?:" + "|".join(sorted(tu, key=len, reverse=True)) + r")\b"
    count_alt = "(?:" + "|".join(sorted(cu, key=len, reverse=True)) + r")\b"
    count_mod = r"(?:(?:prior|previous|additional|further|separate|consecutive|different|systemic|cytotoxic|treatment|therapy)\s+)?"
    any_unit = rf"(?P<unit>{unit_alt}|{time_alt}|{count_mod}{count_alt}|%)"
    uln_ref = (r"(?P<ref>(?:\b|(?<=[x×]))(?:ULN|IULN|UNL|LLN)\b|upper\s+limits?\s+(?:of\s+)?(?:the\s+)?(?:institutional\s+|laboratory\s+)?"
               r"normal(?:\s+(?:range|limits?|values?))?|(?:institutional\s+)?upper\s+(?:normal\s+)?limit(?:\s+of\s+normal)?|"
               r"lower\s+limits?\s+of\s+(?:the\s+)?normal(?:\s+range)?)")
    times = r"(?:[x×*]|-?\s*times(?:\s+(?:of|(?:higher|greater|more|above)(?:\s+than)?))?|-?\s*folds?(?:\s+(?:higher|greater|above)(?:\s+than)?)?)"
    uln = re.compile(
        rf"(?:(?P<comp>{comp_eq})\s*(?:\(\s*[<>≤≥=]{{1,2}}\s*\)\s*)?)?(?:(?P<num>{num})\s*{times}?\s*)?(?:the\s+)?(?:institutional\s+)?"
        + uln_ref + r"(?:\s*\((?:ULN|LLN|IULN|UNL)\))?"
        + rf"|(?:(?P<comp_t>{comp_eq})\s*)?(?P<num_t>{num})\s*{times}\s*(?:the\s+)?(?P<ref_t>normal(?:\s+(?:values?|range|limits?))?)", re.I)
    normal = re.compile(r"\b(?:within|in)\s+(?:the\s+)?(?:institutional\s+|laboratory\s+)?normal\s+(?:range|limits?)(?:\s+\(?WNL\)?)?|\bWNL\b", re.I)
    g = r"(?:[0-5]|IV|V|I{1,3})\b"
    grade = re.compile(
        rf"(?:(?P<comp1>{comp})\s*)?(?:(?:NCI[- ])?CTC(?:AE)?\s*(?:v(?:ersion)?\s*)?(?:\d(?:\.\d+)?\s*)?)?\bgrades?\s*(?P<comp2>{comp})?\s*(?P<g>{g})"
        rf"(?:\s*(?:,\s*(?:or|and)?|-|–|to|or|/|and)\s*(?P<g2>{g})(?!\s*(?:%|{time_alt})))*(?:\s+(?P<post>{post}))?", re.I)
    klass = re.compile(
        rf"(?:(?P<comp1>{comp})\s*)?(?:NYHA\s+|New\s+York\s+Heart\s+Association\s+)?\b(?:functional\s+)?class(?:es)?\s*(?P<comp2>{comp})?\s*(?P<g>(?:IV|I{{1,3}}|[1-4])\b)"
        rf"(?:\s*(?:,\s*(?:or|and)?|-|–|to|or|/|and)\s*(?P<g2>(?:IV|I{{1,3}}|[1-4])\b)(?!\s*(?:%|{time_alt})))*(?:\s+(?P<post>{post}))?|"
        rf"(?:(?P<comp3>{comp})\s*)?\bNYHA\s*(?:class\s*)?(?P<g3>IV|I{{1,3}}|[1-4])\b"
        rf"(?:\s*(?:-|–|to|or|/|,)\s*(?P<g4>IV|I{{1,3}}|[1-4])\b)?", re.I)
    nb = r"(?<![A-Za-z0-9.\-/^])"
    between = re.compile(rf"\bbetween\s+(?:(?:the\s+)?ages?\s+(?:of\s+)?)?(?P<a>{num})\s*(?P<u1>{unit_alt}|{time_alt}|%)?\s*(?:and|-|–|to)\s*(?P<b>{num})\s*{any_unit}?", re.I)
    comp_value = re.compile(rf"(?P<comp>{comp_eq})\s*(?:\(\s*[<>≤≥=]{{1,2}}\s*\)\s*|\"(?=\d))?(?P<age>(?:the\s+)?ages?\s+(?:of\s+)?)?{nb}(?P<num>(?:-(?=\d))?{num})\"?(?!\s*[-–]\s*\d)\s*{any_unit}?(?:\s+(?P<post>{post}))?", re.I)
    range_ = re.compile(rf"(?:\bfrom\s+)?{nb}(?P<a>{num})\s*(?P<u1>{unit_alt}|{time_alt}|%)?\s*(?:-|–|—|to)\s*(?P<b>{num})\s*{any_unit}?(?!\.\d|\w)", re.I)
    score_or = re.compile(rf"{nb}(?P<a>[0-5])\s*(?:,\s*[0-5]\s*,?\s*)?(?:or|,|/)\s*(?P<b>[0-5])(?!\.\d|[\w%])", re.I)
    post_only = re.compile(rf"{nb}(?P<num>{num})\s*{any_unit}?\s+(?P<post>{post})", re.I)
    bare = re.compile(rf"{nb}(?P<num>{num})\s*{any_unit}(?:\s+(?P<post>{post}))?", re.I)
    dipstick = re.compile(rf"(?P<comp>{comp})\s*(?P<n>[1-4])?\s*\+(?![\w+])", re.I)
    # a score, class, stage or category named by a word or a lexicon scale, then a level or a list/range of levels:
    # "ASA 1-3", "ECOG 0 or 1", "Rutherford category 4 or 5", "stage 0-B", "Class 1, 2, or 3"
    item = r"(?:\d{1,2}(?:\.\d)?[a-c]?|(?:IV|V|I{1,3})[A-C]?|[A-D](?![A-Za-z]))"
    sc = r.get("score_heads", [])
    scale_phr = _alt(_score_phrases())
    head = rf"(?:\b(?:{'|'.join(sc)})(?![A-Za-z])|{scale_phr})"
    no_unit = rf"(?!\s*(?:%|/|{unit_alt}|{time_alt}|{count_alt})|[\w.]|\s+{post})"
    conn = r"\s*(?:,\s*(?:or|and|to)?|\bor(?![a-z])|\band(?![a-z])|\bto\b|-|–|/|\bthrough\b)\s*"
    score_list = re.compile(
        rf"{head}\s*(?:\([^()]{{1,80}}\)\s*)?(?:(?:score|scale|class|status|stage|category)\s*)?(?:(?:of|was|is|with|=|:|-)\s*)?"
        rf"(?P<list>(?P<a>{item})(?:{conn}(?:\w+\s+)?{item})*){no_unit}", re.I)
    sandwich = re.compile(rf"{nb}(?P<a>{num})\s*(?P<c1><=?|≤|=<)\s*(?P<name>[A-Za-z][\w\- ]{{0,30}}?)\s*(?P<c2><=?|≤|=<)\s*"
                          rf"(?P<b>{num})\s*{any_unit}?", re.I)
    pre = r["window_pre"]
    pre_all = "|".join(sorted((p for ps in pre.values() for p in ps), key=len, reverse=True))
    anchors_all = "|".join(p for ps in r["anchors"].values() for p in ps)
    post_w = "|".join(sorted(r["window_post"], key=len, reverse=True))
    window = re.compile(
        rf"(?:(?P<pre>{pre_all})\s*)?(?:the\s+)?(?:(?:past|last|previous|preceding|prior)\s+)?(?P<num>{num})\s*(?:-\s*)?(?P<unit>{time_alt})"
        rf"(?:\s+(?:or\s+(?:more|less|longer)\s+)?(?P<post>{post_w})\b(?:\s*(?:the\s+)?(?P<anchor>{anchors_all}))?)?", re.I)
    window_words = re.compile(
        rf"\b(?:within|in|during|over)\s+the\s+(?:past|last|previous|preceding|prior)\s+(?P<unit>{time_alt})"
        rf"(?:\s+(?P<post>{post_w})\b(?:\s*(?:the\s+)?(?P<anchor>{anchors_all}))?)?", re.I)
    cues: list[tuple[re.Pattern[str], str, str]] = []
    cues.append((re.compile(_alt(r["negation_cues"]), re.I), "negation", ""))
    cues.append((re.compile(r["negation_non"], re.I), "negation", "non"))  # "non-smoker", not "non-small cell"
    cues.append((re.compile("|".join(r["temporal_phrases"]), re.I), "phrase", ""))
    cues.append((re.compile(r"\b(?:" + "|".join(r["qualitative_values"]) + r")\b", re.I), "qualitative", ""))
    for t, words in r["temporal_words"].items():
        cues.append((re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I), t, ""))
    for pol, words in r["polarity"].items():
        pat = "|".join(w if w == r"\+" else r"\b" + w + r"\b" for w in words)
        pat = pat.replace(r"\+", r"(?<=[A-Za-z])\+(?!\w)")
        cues.append((re.compile(pat, re.I), pol, pol))
    for name, pat in r["methods"].items():
        cues.append((re.compile(r"\b(?:" + pat + r")\b", re.I if name not in ("IHC", "ISH", "FISH", "PCR", "NGS") else 0), "method", name))
    for name, pats in r["scales"].items():
        cues.append((re.compile(r"\b(?:" + "|".join(pats) + r")\b", re.I if name != "WHO" else 0), "scale", name))
    return Patterns(
        post_lookup=post_lookup,
        time_units=[(re.compile(k + r"$", re.I), v) for k, v in tu.items()],
        count_units=[(re.compile(k + r"$", re.I), v) for k, v in cu.items()],
        pre_lookup=[(re.compile(p + r"$", re.I), op) for op, ps in pre.items() for p in ps],
        anchors=[(re.compile(p, re.I), a) for a, ps in r["anchors"].items() for p in ps],
        uln=uln, normal=normal, grade=grade, klass=klass, between=between, comp_value=comp_value, range_=range_,
        score_or=score_or, post_only=post_only, bare=bare, dipstick=dipstick, score_list=score_list, sandwich=sandwich, window=window, window_words=window_words, cues=cues,
        neg_not_before=re.compile(r"\s+(?:" + "|".join(r["negation_not_before"]) + r")\b", re.I),
        unit_surface=r["unit_surface"],
    )


# ----------------------------------------------------------------------------- helpers


def _score_phrases() -> list[str]:
    """Lexicon phrases of score concepts (ASA, NYHA, mRS...): a level may follow them with no unit."""
    from ..lexicon import load_lexicon

    return [p for e in load_lexicon().entries if e.kind == "score" for p in e.phrases if len(p) >= 2] or ["score"]


def parse_number(s: str) -> Optional[float]:
    s = re.sub(r"\s*\(.*\)$", "", s.strip()).lower()
    words = quantities().number_words
    if s in words:
        return words[s]
    s = re.sub(r"(?<=\d)[ \u00a0,](?=\d{3}\b)", "", s)
    s = re.sub(r"^(\d+),(\d{1,2})$", r"\1.\2", s)  # a decimal comma ("> 2,5 mg/dl"); never a thousands one
    try:
        return float(s)
    except ValueError:
        return None


def comparator_of(s: Optional[str]) -> Optional[str]:
    if not s:
        return None
    return qty.comparator_of(s.lstrip("\\"))


def clean_unit(raw: Optional[str]) -> tuple[Optional[str], str]:
    """(clean surface unit, kind) for a unit as written: "x 10^9/L" -> ("10^9/L", "number")."""
    if not raw:
        return None, "number"
    p = patterns()
    for rx, u in p.time_units:
        if rx.match(raw.strip()):
            return u, "time"
    bare = re.sub(r"^(?:(?:prior|previous|additional|further|separate|consecutive|different|systemic|cytotoxic|treatment|therapy)\s+)",
                  "", raw.strip(), flags=re.I)  # "2 prior lines"
    for rx, u in p.count_units:
        if rx.match(bare):
            return u, "count"
    raw_c = re.sub(r"\s+", "", raw)
    m = re.match(r"[x×*]?10(?:\^|\*\*?|E|e)?\(?(9|12|6|3)\)?(?:cells)?/(.+)$", raw_c)
    if m:
        den = m.group(2).replace("μ", "u").replace("µ", "u").replace("mcL", "uL").replace("mm^3", "mm3")
        den = "L" if den.lower() == "l" else den
        return f"10^{m.group(1)}/{den}", "number"
    canon = canonical_unit_text(raw_c)
    if canon is None:
        return " ".join(raw.split()), "number"
    surf = p.unit_surface.get(canon)
    if surf:
        return surf, "number"
    if canon in ("IU/L",) or raw_c.upper() in ("U/L", "IU/L"):
        return "U/L", "number"
    return canon, "number"


def _span_free(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return all(e <= a or s >= b for a, b in spans)


_LEVEL_BEFORE = re.compile(r"(?:\b(?:score|status|PS|ECOG|KPS|Karnofsky|grade|class|stage|category|index|range|ranging|aged?|ages|of|between)|:|=)\s*$", re.I)
_ABBREV_BEFORE = re.compile(r"\b[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*\)?\s*:?\s*$")


def _level_context(text: str, pos: int) -> bool:
    """May a unitless range or list at ``pos`` be a value? Yes after a score word, a colon or an abbreviation
    ("ECOG score: 0-2", "BMI 18-35", "age ranging 40-80"); the look-back stays on the line."""
    left = text[max(0, pos - 25):pos]
    left = left[left.rfind("\n") + 1:]
    return bool(_LEVEL_BEFORE.search(left) or _ABBREV_BEFORE.search(left))


def _level(s: str) -> Optional[float]:
    """A score level as a number: "2" -> 2, "III" -> 3, "IIb" -> 2, "B" -> 2 (letters count A=1)."""
    m = re.match(r"(\d{1,2}(?:\.\d)?)", s)
    if m:
        return float(m.group(1))
    m = re.match(r"(IV|V|I{1,3})", s, re.I)
    if m and m.group(1).lower() in ROMAN:
        return float(ROMAN[m.group(1).lower()])
    if re.fullmatch(r"[A-D]", s, re.I):
        return float("ABCD".index(s.upper()) + 1)
    return None


def _roman(s: Optional[str]) -> Optional[float]:
    return float(ROMAN[s.lower()]) if s and s.lower() in ROMAN else None


# ----------------------------------------------------------------------------- finders


def find_windows(text: str, start: int, end: int) -> list[WindowExpr]:
    p = patterns()
    out: list[WindowExpr] = []
    for rx in (p.window, p.window_words):
        for m in rx.finditer(text, start, end):
            pre = (m.groupdict().get("pre") or "").strip()
            post = (m.group("post") or "").strip().lower()
            anchor_txt = m.group("anchor")
            is_within = bool(pre) and any(rx2.match(pre) for rx2, op in p.pre_lookup if op in ("<=", "<")) and not re.match(
                r"less|fewer|<|≤|no\s+more|up\s+to", pre, re.I)
            if rx is p.window_words:
                is_within = True
            since_words = ("prior to", "before", "since", "preceding", "from", "after", "following")
            if not (is_within or anchor_txt or post == "ago" or (post in since_words and pre)):
                continue
            if post and not anchor_txt and post not in ("ago",) and not is_within and post not in since_words:
                continue
            op = "<="
            for rx2, o in p.pre_lookup:
                if pre and rx2.match(pre):
                    op = o
                    break
            num = parse_number(m.group("num")) if "num" in m.groupdict() and m.groupdict().get("num") else 1.0
            if num is None:
                continue
            unit, _ = clean_unit(m.group("unit"))
            if unit is None or unit not in ("day", "week", "month", "year", "hour"):
                continue
            if unit == "hour":  # "within 72 hours" is 3 days
                num, unit = round(num / 24.0, 4), "day"
            anchor, a_span = "as_of", None
            w_end = m.end()
            if anchor_txt:
                for arx, a in p.anchors:
                    if arx.fullmatch(anchor_txt.strip()):
                        anchor = a
                        break
                a_span = (m.start("anchor"), m.end("anchor"))
            elif post in since_words:
                w_end = m.end("post")
            s = m.start() if not pre else m.start("pre")
            if post == "since" and anchor == "as_of":
                anchor = "last_dose"
            if not _span_free([(w.start, w.end) for w in out], s, w_end):
                continue
            out.append(WindowExpr(s, w_end, op, float(num), unit, anchor, a_span))
    return sorted(out, key=lambda w: w.start)


def find_values(text: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[ValueExpr]:
    """Value expressions in text[start:end] not overlapping ``taken`` (window spans)."""
    p = patterns()
    spans = list(taken)
    out: list[ValueExpr] = []

    def add(v: ValueExpr) -> None:
        v.end = v.start + len(text[v.start:v.end].rstrip())
        spans.append((v.start, v.end))
        out.append(v)

    for m in p.uln.finditer(text, start, end):
        if not _span_free(spans, m.start(), m.end()):
            continue
        if m.group("ref_t"):  # "2.5 times normal", "3 times higher than normal": a multiple of the ULN
            cg = "comp_t" if m.group("comp_t") else None
            num = parse_number(m.group("num_t"))
            if num is None:
                continue
            add(ValueExpr(m.start(cg) if cg else m.start("num_t"), m.end(), comparator_of(m.group("comp_t")) or ">", num,
                          relative_to="ULN", kind="uln", comp_span=(m.start(cg), m.end(cg)) if cg else None))
            continue
        comp = comparator_of(m.group("comp"))
        num = parse_number(m.group("num")) if m.group("num") else None
        if comp is None and num is None:
            continue
        if comp == "==" and m.group("comp") and m.group("comp").lower() == "of" and num is None:
            continue
        ref = "LLN" if re.search(r"LLN|lower", m.group("ref"), re.I) else "ULN"
        s = m.start("comp") if m.group("comp") else m.start("num")
        add(ValueExpr(s, m.end(), comp or "<=", num if num is not None else 1.0, relative_to=ref, kind="uln",
                      comp_span=(m.start("comp"), m.end("comp")) if m.group("comp") else None))
    for m in p.normal.finditer(text, start, end):
        if _span_free(spans, m.start(), m.end()):
            add(ValueExpr(m.start(), m.end(), "<=", 1.0, relative_to="ULN", attributes={"range": "normal"}, kind="uln"))
    for rx, kind in ((p.grade, "grade"), (p.klass, "class")):
        for m in rx.finditer(text, start, end):
            if not _span_free(spans, m.start(), m.end()):
                continue
            gd = m.groupdict()
            g1 = _roman(gd.get("g") or gd.get("g3"))
            if g1 is None:
                continue
            g2 = _roman(gd.get("g2") or gd.get("g4"))
            craw = gd.get("comp1") or gd.get("comp2") or gd.get("comp3")
            comp = comparator_of(craw) or "=="
            post = patterns().post_lookup.get(" ".join((gd.get("post") or "").lower().split()))
            if post:
                comp = post
            v = ValueExpr(m.start(), m.end(), comp, g1, kind=kind,
                          attributes={"scale": "CTCAE" if kind == "grade" else "NYHA"})
            if g2 is not None and g2 != g1:
                v.comparator, v.value, v.value_high = "between", min(g1, g2), max(g1, g2)
            add(v)
    for m in p.between.finditer(text, start, end):
        if _span_free(spans, m.start(), m.end()):
            a, b = parse_number(m.group("a")), parse_number(m.group("b"))
            unit, kind = clean_unit(m.group("unit") or m.group("u1"))
            if unit is None and re.search(r"\bages?\b", text[m.start():m.start("a")], re.I):
                unit, kind = "year", "time"  # "between the ages of 21-60"
            if a is not None and b is not None:
                add(ValueExpr(m.start(), m.end(), "between", a, b, unit, kind=kind))
    for m in p.range_.finditer(text, start, end):
        if not _span_free(spans, m.start(), m.end()):
            continue
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        unit, kind = clean_unit(m.group("unit") or m.group("u1"))
        if a is None or b is None or b <= a:
            continue
        if unit is None and not _level_context(text, m.start()):
            continue
        add(ValueExpr(m.start(), m.end(), "between", a, b, unit, kind=kind))
    for m in p.score_or.finditer(text, start, end):
        if not _span_free(spans, m.start(), m.end()):
            continue
        a, b = float(m.group("a")), float(m.group("b"))
        if b > a and _level_context(text, m.start()):
            add(ValueExpr(m.start(), m.end(), "between", a, b, kind="number"))
    for m in p.sandwich.finditer(text, start, end):  # "18 ≤ BMI ≤ 32 kg/m2"
        a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        if a is not None and b is not None and a < b and _span_free(spans, m.start(), m.end()):
            unit, kind = clean_unit(m.group("unit"))
            add(ValueExpr(m.start(), m.end(), "between", a, b, unit, kind=kind, attributes={"named": m.group("name").strip()}))
    for m in p.score_list.finditer(text, start, end):
        ls, le = m.start("list"), m.end("list")
        if not _span_free(spans, ls, le):
            continue
        levels = re.findall(r"\d{1,2}(?:\.\d)?[a-c]?|(?:IV|V|I{1,3})[A-C]?|\b[A-D]\b", text[ls:le], re.I)
        nums = [_level(x) for x in levels]
        if not levels or any(n is None for n in nums):
            continue
        lo, hi = min(nums), max(nums)  # type: ignore[type-var]
        ranged = len(levels) == 2 and re.search(r"-|–|\bto\b|\bthrough\b", text[ls:le], re.I)
        if len(levels) == 1 or lo == hi:
            v = ValueExpr(ls, le, "==", levels[0] if nums[0] is None else nums[0], kind="class")
        elif ranged or nums == [float(x) for x in range(int(lo), int(hi) + 1)]:  # type: ignore[arg-type]
            v = ValueExpr(ls, le, "between", lo, hi, kind="class")
        else:
            v = ValueExpr(ls, le, "==", nums[0], kind="class", attributes={"levels": ",".join(levels)})
        if any(re.search(r"[A-Da-d]$", x) for x in levels):
            v.attributes["levels"] = ",".join(levels)
        add(v)
    for m in p.dipstick.finditer(text, start, end):
        if _span_free(spans, m.start(), m.end()):
            add(ValueExpr(m.start(), m.end(), comparator_of(m.group("comp")) or "<", f"{m.group('n') or 1}+",
                          comp_span=(m.start("comp"), m.end("comp")), kind="dipstick"))
    for m in p.comp_value.finditer(text, start, end):
        if not _span_free(spans, m.start(), m.end()):
            continue
        comp = comparator_of(m.group("comp"))
        num = parse_number(m.group("num"))
        unit, kind = clean_unit(m.group("unit"))
        if comp is None or num is None:
            continue
        if comp == "==" and not unit and m.group("comp").strip().lower() in ("of", "is"):
            continue
        if m.group("age") and unit is None:  # "over the age of 65"
            unit, kind = "year", "time"
        post = p.post_lookup.get(" ".join((m.group("post") or "").lower().split()))
        add(ValueExpr(m.start(), m.end(), post or comp, num, unit=unit, kind=kind,
                      comp_span=(m.start("comp"), m.end("comp"))))
    for m in p.post_only.finditer(text, start, end):
        if not _span_free(spans, m.start(), m.end()):
            continue
        num = parse_number(m.group("num"))
        post = p.post_lookup.get(" ".join(m.group("post").lower().split()))
        unit, kind = clean_unit(m.group("unit"))
        if num is not None and post:
            add(ValueExpr(m.start(), m.end(), post, num, unit=unit, kind=kind, comp_span=(m.start("post"), m.end("post"))))
    for m in p.bare.finditer(text, start, end):
        if not _span_free(spans, m.start(), m.end()):
            continue
        num = parse_number(m.group("num"))
        unit, kind = clean_unit(m.group("unit"))
        if num is None or unit is None:
            continue
        post = p.post_lookup.get(" ".join((m.group("post") or "").lower().split()))
        add(ValueExpr(m.start(), m.end(), post or "==", num, unit=unit, kind=kind,
                      comp_span=(m.start("post"), m.end("post")) if post else None))
    return sorted(out, key=lambda v: v.start)


def find_cues(text: str, start: int, end: int) -> list[CueExpr]:
    p = patterns()
    out: list[CueExpr] = []
    for rx, typ, val in p.cues:
        for m in rx.finditer(text, start, end):
            if typ == "negation" and p.neg_not_before.match(text, m.end()):
                continue
            if typ == "negation" and val == "non":  # the cue is the prefix; the condition it negates follows
                out.append(CueExpr(m.start(), m.start() + 3, typ, text[m.start():m.start() + 3]))
                continue
            out.append(CueExpr(m.start(), m.end(), typ, val or m.group(0)))
    return sorted(out, key=lambda c: (c.start, -c.end))


def window_model_args(w: WindowExpr) -> dict[str, Any]:
    return {"comparator": w.comparator, "value": w.value, "unit": w.unit, "anchor": w.anchor}
