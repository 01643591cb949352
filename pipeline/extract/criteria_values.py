"""Pure functions that find the measurable parts of a criterion clause: comparators with numbers and units,
ULN/LLN multiples, CTCAE grades, scale classes, time windows with anchors, and the cue words (negation,
temporal, result polarity, test method). Every result carries absolute character offsets.

Patterns are built once from ``models/rules/criteria_patterns.json``,
``models/rules/quantities.json`` and ``models/units/aliases.json``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Optional

from . import quantities as qty
from .criteria_exprs import CueExpr, ValueExpr, WindowExpr
from .criteria_value_patterns import ROMAN, Patterns, _alt, _score_phrases, patterns  # noqa: F401 - re-exported
from .listing import rules
from .quantities import quantities
from .units import canonical_unit_text


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
    bare = re.sub(
        r"^(?:(?:prior|previous|additional|further|separate|consecutive|different|systemic|cytotoxic|treatment|therapy)\s+)",
        "",
        raw.strip(),
        flags=re.I,
    )  # "2 prior lines"
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


_LEVEL_BEFORE = re.compile(
    r"(?:\b(?:score|status|PS|ECOG|KPS|Karnofsky|grade|class|stage|category|index|range|ranging|aged?|ages|of|between)|:|=)\s*$",
    re.I,
)
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


def _heart_class(text: str, start: int, end: int) -> bool:
    """A bare 'class III' is the NYHA class only in a criterion about the heart (``class_scale_pattern``)."""
    pattern = rules().get("class_scale_pattern") or r"(?!x)x"
    return re.search(pattern, text[start:end], re.IGNORECASE) is not None


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
            is_within = (
                bool(pre)
                and any(rx2.match(pre) for rx2, op in p.pre_lookup if op in ("<=", "<"))
                and not re.match(r"less|fewer|<|≤|no\s+more|up\s+to", pre, re.I)
            )
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


@lru_cache(maxsize=1)
def _scale_sizes() -> re.Pattern[str]:
    """The size of a rating scale ('on a 11 points NRS'): ``criteria_patterns.json`` ``scale_size_pattern``."""
    return re.compile(rules().get("scale_size_pattern") or r"(?!x)x", re.IGNORECASE)


def find_values(text: str, start: int, end: int, taken: list[tuple[int, int]]) -> list[ValueExpr]:
    """Value expressions in text[start:end] not overlapping ``taken`` (window spans) or a scale's size."""
    p = patterns()
    spans = list(taken) + [(m.start(), m.end()) for m in _scale_sizes().finditer(text, start, end)]
    out: list[ValueExpr] = []

    def add(v: ValueExpr) -> None:
        v.end = v.start + len(text[v.start:v.end].rstrip())
        spans.append((v.start, v.end))
        out.append(v)

    for m in p.uln.finditer(text, start, end):
        if not _span_free(spans, m.start(), m.end()):
            continue
        if m.group("ref_t") or m.group("ref_m"):  # "2.5 times normal", "twice normal": a multiple of the ULN
            t = "t" if m.group("ref_t") else "m"
            cg = f"comp_{t}" if m.group(f"comp_{t}") else None
            num = (parse_number(m.group("num_t")) if t == "t"
                   else quantities().multiplier_words.get(m.group("num_m").lower()))
            if num is None:
                continue
            add(
                ValueExpr(
                    m.start(cg) if cg else m.start(f"num_{t}"),
                    m.end(),
                    comparator_of(m.group(f"comp_{t}")) or ">",
                    num,
                    relative_to="ULN",
                    kind="uln",
                    comp_span=(m.start(cg), m.end(cg)) if cg else None,
                )
            )
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
            scale = "CTCAE" if kind == "grade" else "NYHA" if _heart_class(text, start, end) else None
            v = ValueExpr(m.start(), m.end(), comp, g1, kind=kind, attributes={"scale": scale} if scale else {})
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
            add(
                ValueExpr(
                    m.start(), m.end(), "between", a, b, unit, kind=kind, attributes={"named": m.group("name").strip()}
                )
            )
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
            add(
                ValueExpr(
                    m.start(), m.end(), post, num, unit=unit, kind=kind, comp_span=(m.start("post"), m.end("post"))
                )
            )
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
    kept: list[ValueExpr] = []
    for v in sorted(out, key=lambda v: v.start):
        prev = kept[-1] if kept else None
        if (prev is not None and prev.unit and v.unit and prev.unit != v.unit
                and _RESTATED.fullmatch(text, prev.end, v.start) and re.match(r"\s*\)", text[v.end:v.end + 3])):
            continue  # "< 8.0 mg/dl (2.00 mmol/L)": the same limit in another unit, no limit of its own
        kept.append(v)
    return kept


_RESTATED = re.compile(r"\s*\(\s*(?:or\s+|i\.?e\.?,?\s*|=\s*)?")
"""What stands between a value and the same value restated in another unit in brackets."""


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
