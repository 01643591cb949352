"""Clinical notes -> Facts with assertion, values, dates and evidence offsets.

Flow per note: one compiled phrase automaton (lexicon + user entries + value patterns) finds
candidate mentions in the raw text; a note with none costs only that scan. Otherwise the spaCy
pipeline (sections, sentences, ConText) runs over the note and each mention becomes one Fact.
Multi-core runs use one pipeline per worker process (medspaCy rule objects do not pickle).

``Fact.cues`` records what decided the flags. Categories: the ConText ones (``NEGATED_EXISTENCE``,
``POSSIBLE_EXISTENCE``, ``HISTORICAL``, ``HYPOTHETICAL``, ``FAMILY``; rules in
``models/rules/context_rules.jsonl``), ``RESULT`` (the stated test result, e.g. "(-)"),
``SECTION_FAMILY`` / ``SECTION_HISTORICAL`` / ``SECTION_HYPOTHETICAL`` (the section header),
``SECTION_HISTORY`` (a Past Medical History header: recorded, flag not set, since ongoing chronic
conditions are listed there too), ``HISTORICAL_DATE`` (an explicit date over 14 days before the
note). A negated fact keeps its historical cue but not the flag ("no history of MI"). Which facts
may be historical, and therapy tense (received / stopped vs currently / C3D1), are data:
``models/rules/assertion_policy.json``.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

from ..lexicon import LexiconEntry, load_lexicon
from ..resources import models_path
from ..rule_schemas import (
    Hypersensitivity,
    ResultAliases,
    SurrogateMethods,
    TumorSite,
)
from ..rulefile import read_json_data, read_jsonl
from ..schema import Cue, Fact, Note, Reading, Therapy
from . import fact_time as T
from . import values as V
from .assertion import CueHit, cue_of, decide, label_answer_negation, line_end, section_cue, topic_label, zero_answer
from .criteria_concepts import metastasis_site_in_note, site_concept_in_note
from .dates import DateMention, find_dates
from .fact_time import HISTORICAL_AFTER_DAYS, assertion_policy
from .fact_time import THERAPY_KINDS as THERAPY_KINDS  # re-exported (it lived here)
from .fact_values import local_route, row_limit, tested_result, value_for
from .mentions import PATTERN_CONCEPTS, _site_patterns
from .note_rules import rules as note_rules
from .targets import Match

SEX_VALUES = {"male": "male", "man": "male", "gentleman": "male", "boy": "male", "m": "male", "female": "female",
              "woman": "female", "lady": "female", "girl": "female", "f": "female"}
_GROSS_HEADER = re.compile(r"\bgross|\bspecimens?\b", re.IGNORECASE)
_LINE_LABEL = re.compile(r"\n[ \t]*[A-Za-z][^:\n]{0,30}:")
"""A labelled line ("CT neck: ...") that ends a gross description even when it is not a known header."""
_APPOSITIVE_GAP = re.compile(r"[\s,(:\-]*(?:(?:a|an|the|is|was|aged?|now|who\s+is|his|her|their|patient's|"
                             r"\d{1,3}[\s-]*(?:years?|yrs?|yo|y/o)(?:[\s-]*old)?)\s*[\s,(:\-]*)*", re.IGNORECASE)
"""What may stand between a relative word and an age or sex that describes the relative ("father, a
70-year-old man"; "mother (72-year-old female)"; "70-year-old mother"); anything longer ("gentleman
accompanied by his wife") leaves the age and sex the patient's."""
_QUERY_PREFIX = re.compile(r"(?:^|(?<=[\s,;:(]))(?P<q>\?)[ \t]?(?:[A-Za-z]+[ \t])?$")
"""A question mark written right before a mention, or before one word of it ("?metastasis", "? recurrence",
"?early ILD"), queries it."""
_AGE_WORD = re.compile(r"\bage\s*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _listed_negative() -> re.Pattern[str]:
    """Other tests and one negative result for all after a condition (``note_context.json``
    ``listed_negative_pattern``: 'hepatitis B/C and HIV negative')."""
    return re.compile(note_rules().listed_negative_pattern, re.IGNORECASE)


def _age_at_event(text: str, start: int, s_start: int) -> bool:
    """ "since age 35", "appendectomy age 15", "(age 40)": the age at an event, not the patient's age now, nor
    someone else's age ('to 8 mo old', ``other_person_age_pattern``); a date of birth before it ("DOB 14/05/2006
    (age 19)") makes it the age now. Words: ``note_context.json``."""
    from .note_statements import birth_label, other_persons_age

    if other_persons_age(text, start, s_start):
        return True  # 'her 8-month-old', 'son 14 yo': someone else's age
    lead = text[max(s_start, start - 40):start]
    m = _AGE_WORD.search(lead)
    if m is None or birth_label().search(lead):
        return False
    return re.search(note_rules().age_at_event_pattern, lead[:m.start()], re.IGNORECASE) is not None


_HEADER_ACRONYM = re.compile(r"[A-Z][A-Z/&]{0,4}")
"""Short acronyms that, written as a section title, are the title (``PE:``, ``P/E -``)."""
METHOD_CONCEPTS = {"hpv_status", "p16_status", "pdl1", "pdl1_tps", "pdl1_cps", "egfr_mutation", "alk_rearrangement",
                   "bmd_t_score"}
"""Results whose test method (IHC / ISH / PCR; DXA or ultrasound for a bone density) is recorded."""




# ----------------------------------------------------------------------------- facts


@lru_cache(maxsize=1)
def _policy_maps() -> tuple[dict, dict]:
    hyp = read_json_data(models_path("rules", "hypersensitivity.json"), Hypersensitivity)["class_to_concept"]
    res = read_json_data(models_path("rules", "result_aliases.json"), ResultAliases)["condition_to_result"]
    return hyp, res


def _retarget(concept: str, span, targets, lex, sec, text: str, s_start: int, s_end: int) -> str:
    """Class-specific hypersensitivity (anaphylaxis to cetuximab; cetuximab under Allergies) and
    condition mentions that are test results (HCV in "HIV/HCV negative")."""
    hyp, res = _policy_maps()
    if concept == "drug_hypersensitivity":
        for t in targets:
            if s_start <= t.start_char and t.end_char <= s_end:
                for cls, target in hyp.items():
                    if lex.is_a(t.label_, cls):
                        return target
    entry = lex.get(concept)
    if entry is not None and entry.kind == "drug":
        after = text[span.end_char:span.end_char + 30]
        in_allergies = sec is not None and sec.category == "allergies"
        if in_allergies or re.match(r"\s*\(?\s*(?:anaphyla|allerg|hypersensitiv|infusion reaction)", after,
                                    re.IGNORECASE):
            for cls, target in hyp.items():
                if lex.is_a(concept, cls):
                    return target
    if concept in res and V.result_value(text, span.start_char, span.end_char, s_start, s_end) is not None:
        return res[concept]
    sited = site_concept_in_note(concept, text, span.start_char, span.end_char, s_start)
    if sited is not None and lex.get(sited) is not None:
        return sited  # "MRI brain 7/3: no mets" denies brain metastases, not every metastasis
    return concept



def _sent_bounds(span) -> tuple[int, int]:
    from .components import sentence_of

    sent = sentence_of(span.tok.doc, span.tok.start)
    return sent.start_char, sent.end_char



def build_facts(doc, note: Note, user_entries: Sequence[LexiconEntry] = (),
                span_group: str = "ts_targets") -> list[Fact]:
    from .components import doc_text
    from .fact_context import continued
    from .sections import section_at

    text = doc_text(doc)
    lex = load_lexicon()
    user_by_concept = {e.concept: e for e in user_entries}
    sections = doc._.ts_sections or []
    matches = doc.user_data["ts_target_matches"]
    spans = [_CharSpan(t, m, text) for t, m in zip(doc.spans[span_group], matches)]
    bounds = [_sent_bounds(sp) for sp in spans]
    dates: list[DateMention] = []
    for b in sorted(set(bounds)):  # dates matter only in sentences that hold a fact
        dates.extend(find_dates(text, note.date, b[0], b[1]))
    out: list[Fact] = []
    targets = list(doc.spans[span_group])
    paired = _paired_values(text, spans, bounds, lex)
    cue_memo: dict[int, tuple[str, str, int, int]] = {}
    for k, (span, (s_start, s_end)) in enumerate(zip(spans, bounds)):
        concept = span.label_
        if _HEADER_ACRONYM.fullmatch(span.text) and any(
                h.header_start <= span.start_char and span.end_char <= h.header_end for h in sections):
            continue  # an acronym that is a section title ("PE:" = physical exam), not a mention
        entry = user_by_concept.get(concept) if span.user else lex.get(concept)
        sec = section_at(sections, span.start_char)
        if (concept == "measurable_lesion" and sec is not None
                and _GROSS_HEADER.search(text, sec.header_start, sec.header_end)
                and not _LINE_LABEL.search(text, sec.header_end, span.start_char)):
            continue  # a specimen's dimensions in a pathology gross description, not a tumour on imaging
        concept = _retarget(concept, span, targets, lex, sec, text, s_start, s_end)
        if concept != span.label_:
            entry = lex.get(concept)
        value: V.Value | None = None
        kind = entry.kind if entry is not None else ("measurement" if concept in PATTERN_CONCEPTS else "condition")
        is_result = kind == "result" and not span.user
        if k in paired and concept == span.label_:
            value = paired[k]
        elif not span.user:
            value = value_for(text, span, concept, kind, entry, s_start, s_end)
        mods = [cue_of(doc, m, cue_memo) for m in span.tok._.modifiers]
        # a cue inside the mention is part of the concept phrase ("moist without lesion"), not a modifier
        mods = [m for m in mods if not (m[2] >= span.start_char and m[3] <= span.end_char)]
        if value is not None and kind in ("lab", "score", "measurement"):
            # "no dyspnea, exercise tolerance unlimited, NYHA class I": a negation of an earlier list item does
            # not reach a stated value
            mods = [m for m in mods if not (m[0] == "NEGATED_EXISTENCE" and m[3] <= span.start_char
                                            and re.search(r"[,;]|->|=>|\u2192", text[m[3]:span.start_char]))]
        if concept == "sex" or concept == "age":  # a relative's age/sex only when the relative is its head noun
            mods = [m for m in mods if m[0] == "FAMILY" and _APPOSITIVE_GAP.fullmatch(
                text[m[3]:span.start_char] if m[3] <= span.start_char else text[span.end_char:m[2]])]
        sec_cue = section_cue(text, sec) if sec and sec.assertion else None
        result_cue = (value.start, value.end) if (is_result and value is not None) else None
        sec_assertion = sec.assertion if sec else None
        if sec_assertion == "history":
            sec_assertion = None
        if sec_assertion == "hypothetical" and (value is not None or concept in PATTERN_CONCEPTS
                                                or T.is_current_therapy(kind, text, s_start, s_end)):
            sec_assertion = None  # a stated value, or "Plan: continue X", is not a plan for the future
        a = decide(mods, section_assertion=sec_assertion, section_cue=sec_cue,
                   is_result=is_result or (kind == "lab" and value is not None), result_cue=result_cue)
        if sec is not None and sec.assertion == "history":
            a.cues.append(CueHit("SECTION_HISTORY", text[sec.header_start:sec.header_end], sec.header_start,
                                 sec.header_end))
        if not is_result and kind != "lab":
            answer = label_answer_negation(text, span.end_char, line_end(text, span.end_char), span.start_char)
            if answer is None and kind == "condition" and value is None:  # "Delusions 0", not "ECOG 0"
                answer = zero_answer(text, span.end_char, line_end(text, span.end_char))
            if answer is not None:
                a.set("negated", answer)
            elif concept in note_rules().topic_label_concepts and not a.negated:
                topic = topic_label(text, span.start_char, span.end_char)
                if topic is not None:  # "Pregnancy: on OCP": the form's topic, not a pregnancy
                    a.set("hypothetical", topic)
        if kind == "condition" and not a.negated and value is None:
            named, tested = tested_result(text, span.start_char, span.end_char, s_start, s_end)
            listed = _listed_negative().match(text, span.end_char, s_end)
            if tested is not None and tested.value == "negative":  # "urine pregnancy test negative"
                a.set("negated", CueHit("NEGATED_EXISTENCE", text[tested.start:tested.end], tested.start, tested.end))
            elif listed is not None:  # "hepatitis B/C and HIV negative": one result for the list
                a.set("negated", CueHit("NEGATED_EXISTENCE", listed.group(0).strip(), listed.start(), listed.end()))
            elif named and tested is None:
                # "H. pylori stool antigen sent", "whether H. pylori testing is appropriate": a test, no result
                a.set("hypothetical", CueHit("HYPOTHETICAL", span.text, span.start_char, span.end_char))
        if is_result and value is not None:
            a.cues.append(CueHit("RESULT", text[value.start:value.end], value.start, value.end))
        q = _QUERY_PREFIX.search(text, max(0, span.start_char - 20), span.start_char)
        if q is not None and not a.negated:  # "?metastasis": queried
            a.set("uncertain", CueHit("POSSIBLE_EXISTENCE", "?", q.start("q"), q.end("q")))
        own_dates = (T.own_dates(text, dates, span, targets, lex, s_start, s_end) if kind in ("drug", "drug_class")
                     else T.outside_other_brackets(text, dates, span.start_char, span.end_char, s_start))
        if concept in ("age", "sex"):
            own_dates = []  # stated as of the note ("61-year-old man with hepatitis B diagnosed 2010")
        elif kind == "condition":  # "uncomplicated pregnancy, EDD 18/01/2027": an expected date, not when it was
            own_dates = [d for d in own_dates if d.date <= note.date]
        fact_date, date_cue = T.fact_date(own_dates, span.start_char, span.end_char, s_start, s_end, note.date)
        policy = assertion_policy()
        if (date_cue is not None and fact_date is not None and (note.date - fact_date).days > HISTORICAL_AFTER_DAYS
                and not a.hypothetical and kind not in policy["no_date_kinds"]
                and not T.ongoing_from(text, date_cue.start, s_start)):
            a.set("historical",
                  CueHit("HISTORICAL_DATE", text[date_cue.start:date_cue.end], date_cue.start, date_cue.end))
        if kind in ("drug", "drug_class"):
            if a.hypothetical and not a.negated and continued(text, span.start_char, span.end_char):
                _drop_flag(a, "hypothetical")  # "Recommend continuing risperidone": taken now
            section_plan = a.hypothetical and all(c.category != "HYPOTHETICAL" for c in a.cues)
            _drop_flag(a, "historical")
            if not a.negated and (not a.hypothetical or section_plan):
                T.therapy_tense(a, text, span, s_start, s_end, dates, note.date)
                if a.historical and section_plan:  # "Plan: stop X": the line is over, not planned
                    _drop_flag(a, "hypothetical")
        if a.uncertain and kind not in policy["comparison_kinds"] and all(
                c.text.lower() in policy["comparison_cues"] for c in a.cues if c.category == "POSSIBLE_EXISTENCE"):
            a.uncertain = False  # "cetuximab vs docetaxel" compares options, "Hb 10 vs 11" values
            a.cues = [c for c in a.cues if c.category != "POSSIBLE_EXISTENCE"]
        if kind == "lab" and value is not None and not isinstance(value.value, str):
            _drop_flag(a, "negated")  # a measured value exists; a nearby "no" belongs to something else
        if a.negated:  # "no history of MI": absent, not a past event (the cue stays recorded)
            a.historical = False
            if a.hypothetical and all(c.category != "HYPOTHETICAL" for c in a.cues):
                _drop_flag(a, "hypothetical")  # "Plan: ...; he has never had X": a statement of fact, not a plan
        if is_result and value is not None and not re.search(r"treated|history|hx|h/o|known",
                                                             value.attributes.get("cue", ""), re.IGNORECASE):
            _drop_flag(a, "historical")  # a reported test result describes the present
        if a.historical and (concept in policy["never_concepts"] or kind in policy["never_kinds"]):
            _drop_flag(a, "historical")
        history_heading = T.contextual_historical(a, policy, concept, kind, sec)
        raw: dict[str, Any] = dict(value.attributes) if value is not None else {}
        therapy = None
        if kind in ("drug", "drug_class"):
            details = V.therapy_details(text, span.start_char, span.end_char, s_start, s_end)
            tdates = T.therapy_dates(text, own_dates, s_start, s_end)
            therapy = Therapy(cycles=details.get("cycles"), response=details.get("response"),
                              start_date=tdates.get("start_date"), last_dose_date=tdates.get("last_dose_date"),
                              route="local" if local_route(text, span.start_char, span.end_char) else None)
        on_therapy: list[str] = []
        if concept == "disease_progression":
            drug = T.nearest_drug(targets, span, lex, s_start, s_end)
            if drug:
                on_therapy = [drug]
        timepoint = None
        if concept == "measurable_lesion" and value is not None:
            timepoint = V.size_timepoints(text, s_start, s_end).get(span.start_char)
        method = None
        if concept in METHOD_CONCEPTS:
            method = _method_in_phrase(span.text) or V.test_method(text, span.start_char, span.end_char, s_start, s_end)
        site = (_site_of(span.text) if concept == "hnscc"
                else metastasis_site_in_note(concept, text, span.start_char, span.end_char, s_start))
        if concept == "other_malignancy":
            from .trial_context import organ_sites

            site = next(iter(organ_sites(span.text)), None)
        reading = _reading_of(raw, timepoint) if (raw or timepoint) else None
        if concept == "age" and _age_at_event(text, span.start_char, s_start):
            continue  # "appendectomy age 15", "since age 35": an age at an event, not the patient's age now
        fval: Any = value.value if value is not None else None
        unit = value.unit if value is not None else None
        if concept == "sex":
            fval = SEX_VALUES.get(span.text.lower())
            if fval is None:
                continue
        out.append(
            Fact(
                patient_id=note.patient_id, note_id=note.note_id, date=fact_date, concept=concept,
                text=span.text, start=span.start_char, end=span.end_char, section=sec.category if sec else None,
                value=fval, unit=unit, negated=a.negated, historical=a.historical, history_heading=history_heading,
                hypothetical=a.hypothetical, family=a.family, uncertain=a.uncertain, note_date=note.date,
                classes=list(lex.classes_of(concept)) if entry is not None and not span.user else [],
                cues=[Cue(category=c.category, text=c.text, start=c.start, end=c.end) for c in a.cues],
                method=method, site=site, on_therapy=on_therapy, reading=reading, therapy=therapy,
            )
        )
    return out


class _CharSpan:
    """A target's exact character extent with its token span (for ConText modifiers, sentences)."""

    __slots__ = ("end_char", "label_", "start_char", "text", "tok", "user")

    def __init__(self, tok, match: Match, text: str):
        self.tok = tok
        self.start_char, self.end_char = match.start, match.end
        self.text = text[self.start_char:self.end_char]
        self.label_ = tok.label_
        self.user = match.user



def _paired_values(text: str, spans: list, bounds: list, lex) -> dict[int, V.Value]:
    """Values of lab mentions written as a slash group (``AST/ALT 30/28 U/L``), by span index."""
    out: dict[int, V.Value] = {}
    i = 0
    while i < len(spans):
        group = [i]
        while (group[-1] + 1 < len(spans) and bounds[group[-1] + 1] == bounds[i]
               and V._PAIR_SEP.fullmatch(text, spans[group[-1]].end_char, spans[group[-1] + 1].start_char)):
            group.append(group[-1] + 1)
        entries = [lex.get(spans[j].label_) for j in group if not spans[j].user]
        labs = [(e.concept, e.unit) for e in entries if e is not None and e.kind == "lab"]
        if len(group) > 1 and len(labs) == len(group):
            last = spans[group[-1]]
            values = V.paired_lab_values(text, last.end_char, row_limit(text, last.end_char, bounds[i][1]), labs)
            if values:
                out.update(zip(group, values))
        i = group[-1] + 1
    return out




def _drop_flag(a, flag: str) -> None:
    if getattr(a, flag):
        setattr(a, flag, False)
        a.cues = [c for c in a.cues if flag.upper() not in c.category]


def _reading_of(raw: dict[str, Any], timepoint: str | None) -> Reading:
    """The typed reading of a value's details (``values.Value.attributes``)."""
    rng = raw.get("range")
    return Reading(
        raw_value=None if raw.get("raw_value") is None else str(raw["raw_value"]),
        raw_unit=None if raw.get("raw_unit") is None else str(raw["raw_unit"]),
        ref_low=raw.get("ref_low"), ref_high=raw.get("ref_high"), uln=raw.get("uln"), scale=raw.get("scale"),
        ecog=raw.get("ecog"), range_high=float(rng[1]) if rng else None, comparator=raw.get("comparator"),
        percent=bool(raw.get("percent")), unit_inferred=bool(raw.get("unit_inferred")), paired=bool(raw.get("paired")),
        second_value=raw.get("second_value"), percent_predicted=raw.get("percent_predicted"),
        timepoint=timepoint,  # type: ignore[arg-type]
    )




def _method_in_phrase(text: str) -> str | None:
    for name in ("ISH", "PCR", "IHC"):
        if name.lower() in text.lower():
            return name
    return None


@lru_cache(maxsize=1)
def _site_abbreviations() -> dict[str, str]:
    """Site-named SCC abbreviations (``OSCC`` oral cavity, ``OPSCC`` oropharynx), from tumor_sites.jsonl."""
    out = {}
    for site in read_jsonl(models_path("rules", "tumor_sites.jsonl"), TumorSite.model_validate):
        for a in site.abbreviations:
            out[a] = site.site
    return out


def _site_of(text: str) -> str | None:
    if text in _site_abbreviations():
        return _site_abbreviations()[text]
    after, before, site_of = _site_patterns()
    m = after.search(text) or re.search(before.pattern.rstrip("$"), text, re.IGNORECASE)
    if not m:
        return None
    return site_of.get(" ".join(m.group("site").lower().split()))


# ----------------------------------------------------------------------------- API


def facts_of_doc(doc, note: Note, user_entries: Sequence[LexiconEntry] = (),
                 span_group: str = "ts_targets") -> list[Fact]:
    """The facts of a doc that went through the ``ts_*`` components before ``ts_facts`` (its caller)."""
    from .fact_context import refine_facts

    lex = load_lexicon()
    if user_entries:
        lex = lex.with_user_entries(user_entries)
    facts = build_facts(doc, note, user_entries, span_group)
    return refine_facts(note, facts, lex, _method_aliases())


def _run_note(nlp, note: Note, user_entries: Sequence[LexiconEntry]) -> list[Fact]:
    from .components import facts_of

    return facts_of(nlp, note, user_entries)


@lru_cache(maxsize=1)
def _method_aliases() -> dict[str, str]:
    """Method words next to a result -> method code (``models/rules/surrogates.json``)."""
    data = read_json_data(models_path("rules", "surrogates.json"), SurrogateMethods)
    return dict(data.get("method_aliases", {}))


def extract_text(text: str, *, note_id: str = "n", patient_id: str = "p", date: dt.date | None = None,
                 user_entries: Iterable[LexiconEntry] = ()) -> list[Fact]:
    """Facts from one text (date defaults to today)."""
    from ..nlp import get_nlp

    note = Note(patient_id=patient_id, note_id=note_id, date=date or dt.date.today(), text=text)
    return _run_note(get_nlp(), note, tuple(user_entries))


_WORKER_USER: tuple = ()


def _init_worker(user_entries: tuple) -> None:
    global _WORKER_USER
    from ..nlp import get_nlp

    _WORKER_USER = user_entries
    get_nlp()


def _work(note: Note) -> list[Fact]:
    from ..nlp import get_nlp

    return _run_note(get_nlp(), note, _WORKER_USER)


MAX_CHUNK = 32
"""Notes sent to a worker at a time: larger chunks cut inter-process overhead (most of the parent's
work), smaller ones balance the load; a sized batch gets about four chunks per worker."""


def _chunksize(notes: Iterable[Note], n_process: int) -> int:
    try:
        n = len(notes)  # type: ignore[arg-type]
    except TypeError:
        return MAX_CHUNK // 2
    return max(1, min(MAX_CHUNK, n // (4 * n_process)))


def extract(notes: Iterable[Note], *, user_entries: Iterable[LexiconEntry] = (), n_process: int = 1) -> Iterator[Fact]:
    """Facts from every note, in input order (deterministic for any ``n_process``)."""
    user = tuple(user_entries)
    if n_process <= 1:
        from ..nlp import get_nlp

        nlp = get_nlp()
        for note in notes:
            yield from _run_note(nlp, note, user)
        return
    import gc
    import multiprocessing as mp

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    # Objects that exist now (pipeline, lexicon, vocabulary) are moved out of the collector's reach:
    # otherwise every collection walks that large heap, in the workers (touching shared pages, which
    # copies them) and here while the results are unpickled (most of the parent's time).
    owner = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        with ctx.Pool(n_process, initializer=_init_worker, initargs=(user,)) as pool:
            for facts in pool.imap(_work, notes, chunksize=_chunksize(notes, n_process)):
                yield from facts
    finally:
        if owner:
            gc.unfreeze()

