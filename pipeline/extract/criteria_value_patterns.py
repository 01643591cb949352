"""The regular expressions of criterion parsing, built once from ``models/rules/criteria_patterns.json``,
``models/rules/quantities.json``, ``models/units/aliases.json`` and the lexicon's score phrases."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..resources import models_path
from ..rule_schemas import UnitAliases
from ..rulefile import read_json_data
from .listing import rules
from .quantities import alternation, quantities

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "0": 0, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}


def _listing_phrase(w: str) -> str:
    p = re.escape(w).replace(r"\ ", r"\s+")
    return p if w[0].isalnum() else r"\\?" + p  # CT.gov escapes comparators as "\>"


def _alt(words: list[str], escape: bool = True) -> str:
    """Listing words (``escape``) or regexes as one alternation (``quantities.alternation``)."""
    return alternation(words, _listing_phrase if escape else (lambda w: w))


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
    num = (
        r"(?:(?:(?<=[<>≤≥=])|(?<=[<>≤≥=]\s))\d+,\d{1,2}(?![\d,])|\d+\.\d+?(?=10\s*[\^*]\s*\(?\d)"
        # a decimal comma right before a unit ("1,5 mg/dL or more"); a thousands comma has three digits after it
        r"|\d+,\d{1,2}(?![\d,])(?=\s*(?:mg|g/|mmol|[µu]mol|meq|u/|iu\b|%|ng|pg|[µu]g|mcg|ml|mm|cm|kg))"
        r"|\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:[ \u00a0]\d{3})+(?=\s*(?:/|[x×]\s*10|cells|copies|IU\b|U/))"
        r"|\d+(?:\.\d+)?|\.\d+|"
        + _alt(list(nw))[3:-1]
        + r")(?:\s*\(\s*\d+(?:\.\d+)?\s*\))?"
    )
    aliases = read_json_data(models_path("units", "aliases.json"), UnitAliases)
    time_keys = {"years", "year", "yrs", "y", "months", "month", "weeks", "week", "wks", "days", "day"}
    lab_units = [k for k in aliases if k not in time_keys and not re.match(r"^[x×*]?\s*10", k)]
    lab_units += list(q.unit_surfaces)
    pow_unit = (r"(?:[x×*]\s*)?10\s*(?:\^|\*\*?|E|e)?\s*\(?\s*(?:9|12|6|3)\s*\)?\s*(?:cells\s*)?"
                r"/\s*(?:L|l|µL|μL|uL|mm3|mm\^3|mcL)\b")
    generic = r"[A-Za-zµμ]{1,6}\s*/\s*[A-Za-z0-9µμ.²³^]{1,8}(?:\s*/\s*[A-Za-z0-9.²]{1,6})?(?![A-Za-z])"
    unit_alt = "(?:" + pow_unit + "|" + generic + "|" + "|".join(
        re.escape(u).replace(r"\ ", r"\s*").replace("/", r"\s*/\s*") + (r"(?![A-Za-z0-9])" if u[-1].isalnum() else "")
        for u in sorted(set(lab_units), key=lambda u: (-len(u), u))) + "|" + "|".join(
        "(?:" + u + r")(?![A-Za-z0-9])" for u in q.extra_units) + ")"
    tu = q.time_units
    cu = q.count_units
    time_alt = "(?:" + "|".join(sorted(tu, key=len, reverse=True)) + r")\b"
    count_alt = "(?:" + "|".join(sorted(cu, key=len, reverse=True)) + r")\b"
    count_mod = (r"(?:(?:prior|previous|additional|further|separate|consecutive|different|systemic|cytotoxic"
                 r"|treatment|therapy)\s+)?")
    any_unit = rf"(?P<unit>{unit_alt}|{time_alt}|{count_mod}{count_alt}|%)"
    uln_ref = (
        r"(?P<ref>(?:\b|(?<=[x×]))(?:ULN|IULN|UNL|LLN)\b|upper\s+limits?\s+(?:of\s+)?(?:the\s+)?(?:institutional\s+|laboratory\s+)?"
        r"normal(?:\s+(?:range|limits?|values?))?|(?:institutional\s+)?upper\s+(?:normal\s+)?limit(?:\s+of\s+normal)?|"
        r"lower\s+limits?\s+of\s+(?:the\s+)?normal(?:\s+range)?)"
    )
    times = (r"(?:[x×*]|-?\s*times(?:\s+(?:of|(?:higher|greater|more|above)(?:\s+than)?))?"
             r"|-?\s*folds?(?:\s+(?:higher|greater|above)(?:\s+than)?)?)")
    uln = re.compile(
        rf"(?:(?P<comp>{comp_eq})\s*(?:\(\s*[<>≤≥=]{{1,2}}\s*\)\s*)?)?(?:(?P<num>{num})\s*{times}?\s*)?(?:the\s+)?(?:institutional\s+)?"
        + uln_ref
        + r"(?:\s*\((?:ULN|LLN|IULN|UNL)\))?"
        + rf"|(?:(?P<comp_t>{comp_eq})\s*)?(?P<num_t>{num})\s*{times}\s*(?:the\s+)?"
        + r"(?P<ref_t>normal(?:\s+(?:values?|range|limits?))?)"
        # "more than twice the normal range", "double the ULN": a multiplier word and no "times"
        + (rf"|(?:(?P<comp_m>{comp_eq})\s*)?(?P<num_m>{_alt(list(q.multiplier_words))[3:-1]})\s+(?:the\s+)?"
           r"(?P<ref_m>(?:upper\s+limit\s+of\s+)?normal(?:\s+(?:values?|range|limits?))?|ULN\b|upper\s+limits?)"
           if q.multiplier_words else ""),
        re.I,
    )
    normal = re.compile(
        r"\b(?:within|in)\s+(?:the\s+)?(?:institutional\s+|laboratory\s+)?normal\s+(?:range|limits?)(?:\s+\(?WNL\)?)?|\bWNL\b",
        re.I,
    )
    g = r"(?:[0-5]|IV|V|I{1,3})\b"
    grade = re.compile(
        rf"(?:(?P<comp1>{comp})\s*)?(?:(?:NCI[- ])?CTC(?:AE)?\s*(?:v(?:ersion)?\s*)?(?:\d(?:\.\d+)?\s*)?)?"
        rf"\bgrades?\s*(?P<comp2>{comp})?\s*(?P<g>{g})"
        rf"(?:\s*(?:,\s*(?:or|and)?|-|–|to|or|/|and)\s*(?P<g2>{g})(?!\s*(?:%|{time_alt})))*(?:\s+(?P<post>{post}))?",
        re.I,
    )
    klass = re.compile(
        rf"(?:(?P<comp1>{comp})\s*)?(?:NYHA\s+|New\s+York\s+Heart\s+Association\s+)?\b(?:functional\s+)?class(?:es)?\s*(?P<comp2>{comp})?\s*(?P<g>(?:IV|I{{1,3}}|[1-4])\b)"
        rf"(?:\s*(?:,\s*(?:or|and)?|-|–|to|or|/|and)\s*(?P<g2>(?:IV|I{{1,3}}|[1-4])\b)(?!\s*(?:%|{time_alt})))*(?:\s+(?P<post>{post}))?|"
        rf"(?:(?P<comp3>{comp})\s*)?\bNYHA\s*(?:class\s*)?(?P<g3>IV|I{{1,3}}|[1-4])\b"
        rf"(?:\s*(?:-|–|to|or|/|,)\s*(?P<g4>IV|I{{1,3}}|[1-4])\b)?", re.I)
    nb = r"(?<![A-Za-z0-9.\-/^])"
    between = re.compile(
        rf"\bbetween\s+(?:(?:the\s+)?ages?\s+(?:of\s+)?)?(?P<a>{num})\s*(?P<u1>{unit_alt}|{time_alt}|%)?\s*(?:and|-|–|to)\s*(?P<b>{num})\s*{any_unit}?",
        re.I,
    )
    comp_value = re.compile(
        rf"(?P<comp>{comp_eq})\s*(?:\(\s*[<>≤≥=]{{1,2}}\s*\)\s*|\"(?=\d))?(?P<age>(?:the\s+)?ages?\s+(?:of\s+)?)?{nb}(?P<num>(?:-(?=\d))?{num})\"?(?!\s*[-–]\s*\d)\s*{any_unit}?(?:\s+(?P<post>{post}))?",
        re.I,
    )
    range_ = re.compile(
        rf"(?:\bfrom\s+)?{nb}(?P<a>{num})\s*(?P<u1>{unit_alt}|{time_alt}|%)?\s*(?:-|–|—|to)\s*(?P<b>{num})\s*{any_unit}?(?!\.\d|\w)",
        re.I,
    )
    # "ECOG 0, 1 or 2"; never a decimal comma before a unit ("1,5 mg/dL")
    score_or = re.compile(rf"{nb}(?P<a>[0-5])\s*(?:,\s*[0-5]\s*,?\s*)?(?:or|,|/)\s*(?P<b>[0-5])(?!\.\d|[\w%])"
                          rf"(?!\s*(?:{unit_alt})(?![A-Za-z]))", re.I)
    post_only = re.compile(rf"{nb}(?P<num>{num})\s*{any_unit}?\s+(?P<post>{post})", re.I)
    bare = re.compile(rf"{nb}(?P<num>{num})\s*{any_unit}(?:\s+(?P<post>{post}))?", re.I)
    dipstick = re.compile(rf"(?P<comp>{comp})\s*(?P<n>[1-4])?\s*\+(?![\w+])", re.I)
    # a score, class, stage or category named by a word or a lexicon scale, then a level or a list/range of levels:
    # "ASA 1-3", "ECOG 0 or 1", "Rutherford category 4 or 5", "stage 0-B", "Class 1, 2, or 3"
    item = r"(?:\d{1,2}(?:\.\d)?[a-c]?|(?:IV|V|I{1,3})[A-C]?|[A-D](?![A-Za-z]))"
    sc = r.get("score_heads", [])
    scale_phr = _alt(_score_phrases())
    head = rf"(?:\b(?:{'|'.join(sc)})(?![A-Za-z])|{scale_phr})"
    no_unit = rf"(?!\s*(?:%|/|{unit_alt}|{time_alt}|{count_alt})|[\w.]|,\d|\s+{post})"
    conn = r"\s*(?:,\s*(?:or|and|to)?|\bor(?![a-z])|\band(?![a-z])|\bto\b|-|–|/|\bthrough\b)\s*"
    score_list = re.compile(
        rf"{head}\s*(?:\([^()]{{1,80}}\)\s*)?(?:(?:score|scale|class|status|stage|category)\s*)?(?:(?:of|was|is|with|=|:|-)\s*)?"
        rf"(?P<list>(?P<a>{item})(?:{conn}(?:\w+\s+)?{item})*){no_unit}", re.I)
    sandwich = re.compile(
        rf"{nb}(?P<a>{num})\s*(?P<c1><=?|≤|=<)\s*(?P<name>[A-Za-z][\w\- ]{{0,30}}?)\s*(?P<c2><=?|≤|=<)\s*"
        rf"(?P<b>{num})\s*{any_unit}?",
        re.I,
    )
    pre = r["window_pre"]
    pre_all = "|".join(sorted((p for ps in pre.values() for p in ps), key=len, reverse=True))
    anchors_all = "|".join(p for ps in r["anchors"].values() for p in ps)
    post_w = "|".join(sorted(r["window_post"], key=len, reverse=True))
    window = re.compile(
        rf"(?:(?P<pre>{pre_all})\s*)?(?:the\s+)?(?:(?:past|last|previous|preceding|prior)\s+)?(?P<num>{num})\s*(?:-\s*)?(?P<unit>{time_alt})(?:[\s-]+period\b)?"
        rf"(?:\s+(?:or\s+(?:more|less|longer)\s+)?(?P<post>{post_w})\b(?:\s*(?:the\s+)?(?P<anchor>{anchors_all}))?)?",
        re.I,
    )
    window_words = re.compile(
        rf"\b(?:within|in|during|over)\s+the\s+(?:past|last|previous|preceding|prior)\s+(?P<unit>{time_alt})"
        rf"(?:\s+(?P<post>{post_w})\b(?:\s*(?:the\s+)?(?P<anchor>{anchors_all}))?)?", re.I)
    cues: list[tuple[re.Pattern[str], str, str]] = []
    cues.append((re.compile(_alt(r["negation_cues"]), re.I), "negation", ""))
    cues.append((re.compile(r["negation_non"], re.I), "negation", "non"))  # "non-smoker", not "non-small cell"
    cues.append((re.compile(r"\b(?:" + "|".join(r["temporal_phrases"]) + ")", re.I), "phrase", ""))  # not "Singlet-on"
    cues.append((re.compile(r"\b(?:" + "|".join(r["qualitative_values"]) + r")\b", re.I), "qualitative", ""))
    for t, words in r["temporal_words"].items():
        cues.append((re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I), t, ""))
    for pol, words in r["polarity"].items():
        pat = "|".join(w if w == r"\+" else r"\b" + w + r"\b" for w in words)
        pat = pat.replace(r"\+", r"(?<=[A-Za-z])\+(?!\w)")
        cues.append((re.compile(pat, re.I), pol, pol))
    for name, pat in r["methods"].items():
        cues.append(
            (
                re.compile(r"\b(?:" + pat + r")\b", re.I if name not in ("IHC", "ISH", "FISH", "PCR", "NGS") else 0),
                "method",
                name,
            )
        )
    for name, pats in r["scales"].items():
        cues.append((re.compile(r"\b(?:" + "|".join(pats) + r")\b", re.I if name != "WHO" else 0), "scale", name))
    return Patterns(
        post_lookup=post_lookup,
        time_units=[(re.compile(k + r"$", re.I), v) for k, v in tu.items()],
        count_units=[(re.compile(k + r"$", re.I), v) for k, v in cu.items()],
        pre_lookup=[(re.compile(p + r"$", re.I), op) for op, ps in pre.items() for p in ps],
        anchors=[(re.compile(p, re.I), a) for a, ps in r["anchors"].items() for p in ps],
        uln=uln,
        normal=normal,
        grade=grade,
        klass=klass,
        between=between,
        comp_value=comp_value,
        range_=range_,
        score_or=score_or,
        post_only=post_only,
        bare=bare,
        dipstick=dipstick,
        score_list=score_list,
        sandwich=sandwich,
        window=window,
        window_words=window_words,
        cues=cues,
        neg_not_before=re.compile(r"\s+(?:" + "|".join(r["negation_not_before"]) + r")\b", re.I),
        unit_surface=r["unit_surface"],
    )


# ----------------------------------------------------------------------------- helpers


def _score_phrases() -> list[str]:
    """Lexicon phrases of score concepts (ASA, NYHA, mRS...): a level may follow them with no unit."""
    from ..lexicon import load_lexicon

    return [p for e in load_lexicon().entries if e.kind == "score" for p in e.phrases if len(p) >= 2] or ["score"]
