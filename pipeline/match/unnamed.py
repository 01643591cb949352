"""What a record says about a condition it holds no fact of: the trial's target named nowhere (pre-screening),
a broader class named instead ("diabetes" for type 1 diabetes), and phrases outside the lexicon searched in the
notes' words."""
from __future__ import annotations

import datetime as dt

from ..lexicon import LexiconEntry
from ..schema import Constraint, Criterion, Evidence
from .context import DRUG_KINDS, MatchContext, compare, fmt, limit_text, num
from .lexmemo import memo
from .logic import MET, NOT_MET, UNKNOWN, Outcome
from .profile import fact_date, trustworthy
from .rules import settings
from .timeline import in_window


def _shares_class(concept: str, target: str, ctx: MatchContext) -> bool:
    """Two concepts of one disease family (a class other than the generic ones): 'adenocarcinoma' and 'nsclc'."""
    s, known = settings(), memo(ctx.lexicon, "shares_class")
    if known.get("settings") is not s:  # the answers of other settings
        known.clear()
        known["settings"] = s
    found = known.get((concept, target))
    if found is None:
        generic = set(s.generic_disease_concepts) - {"malignancy"}
        mine = set(ctx.lexicon.classes_of(concept)) | {concept}
        theirs = set(ctx.lexicon.classes_of(target)) | {target}
        found = known[(concept, target)] = bool((mine & theirs) - generic)
    return found


def target_absent(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome:
    """Pre-screening: the trial's target condition appears nowhere in the record -> not met (firm), unless the
    notes name it in words the lexicon does not turn into a fact (then a person checks)."""
    name = c.concept.replace("_", " ")
    related = [f for f in ctx.profile.facts
               if not f.negated and not f.family and _shares_class(f.concept, c.concept, ctx)]
    if related:
        f = related[-1]
        return Outcome(UNKNOWN, ctx.ev([f]),
                       f"{name} not documented, but a related condition is ({f.concept.replace('_', ' ')}); check")
    entry = ctx.lexicon.get(c.concept)
    phrases = list(entry.phrases[:6]) if entry is not None else [name]
    if ctx.trial is not None:
        phrases += [p for p in ctx.trial.target_phrases if p not in phrases]
    for phrase in phrases:
        if len(phrase) >= settings().open_vocab_min_chars:
            hits = ctx.search.search(ctx.profile.patient_id, phrase, settings().fuzzy_threshold)
            if hits:
                return Outcome(UNKNOWN, hits[:2],
                               f"{name}: named in the notes ({hits[0].text!r}) but not recognised; check")
    if settings().prescreen_absent_target_is_firm:
        return Outcome(NOT_MET, [], f"{name}, the condition the trial is for, appears nowhere in the patient's record",
                       from_silence=True, firm=True)
    return Outcome(UNKNOWN, [], f"{name}, the condition the trial is for, appears nowhere in the patient's record",
                   ["target_condition"])


def broader_mention(c: Constraint, ctx: MatchContext) -> Outcome | None:
    """ "Type 1 diabetes" asked, "diabetes" written; "PCV13" asked, "a pneumococcal vaccine" given: a mention of a
    broader class may be the very thing the criterion names, so silence does not clear it; a person checks."""
    if c.negated or c.comparator == "absent":
        return None
    s = settings()
    classes = set(ctx.lexicon.classes_of(c.concept)) - set(s.generic_disease_concepts) - set(s.too_broad_classes)
    # a possible mention counts too ('possible prior stroke' for an ischemic stroke): it is no silence either
    hits = [f for f in ctx.profile.facts if f.concept in classes and not f.planned
            and (trustworthy(f) or f.uncertain and not (f.negated or f.family or f.hypothetical))]
    if not hits:
        return None
    siblings = [g for g in ctx.profile.facts if trustworthy(g) and g.concept not in classes and g.concept != c.concept
                and not ctx.lexicon.is_a(g.concept, c.concept) and any(ctx.lexicon.is_a(g.concept, k) for k in classes)]
    if siblings:  # "cardiomyopathy" beside "dilated cardiomyopathy": the broader word names the sibling, not HCM
        return None
    f = hits[-1]
    said = "documented" if trustworthy(f) else "possible"
    return Outcome(UNKNOWN, ctx.ev([f]), f"{f.concept.replace('_', ' ')} {said} ({fact_date(f)}); whether it is "
                   f"the {c.concept.replace('_', ' ')} the criterion names is not stated", [c.concept])


def _prescreen_text(c: Constraint, ctx: MatchContext) -> Outcome:
    """The record's condition, outside the lexicon: named in the notes -> met; not named -> unknown, ranked low."""
    hits = ctx.search.search(ctx.profile.patient_id, c.concept, settings().fuzzy_threshold)
    if hits:
        return Outcome(MET, hits[:2], f"the condition the trial is for is named in the notes ({hits[0].text!r})")
    return Outcome(UNKNOWN, [], f"'{c.concept}', the condition the trial is for, is not named in the notes",
                   ["target_condition"])


NOT_THE_PATIENTS = frozenset({"negated", "family", "hypothetical"})
"""Assertions of a phrase found in the notes that say nothing of the patient having it."""


def open_vocabulary(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome:
    """A phrase outside the lexicon is searched in the notes; a hit goes to review, never a silent pass."""
    if c.attributes.get("prescreen") == "text":
        return _prescreen_text(c, ctx)
    if c.attributes.get("measure") and not (c.attributes.get("role") or c.attributes.get("lexicon_concept")):
        measured = _open_measure(c, criterion, ctx)
        if measured is not None:
            return measured
    phrase = " ".join(c.concept.replace("_", " ").split())
    entry = ctx.lexicon.get(c.attributes["lexicon_concept"]) if c.attributes.get("lexicon_concept") else None
    if len(phrase) < settings().open_vocab_min_chars and entry is not None:
        # "intolerance to MTX": the lexicon's own longer name of the object is searched instead
        phrase = next((p for p in entry.phrases if len(p) >= settings().open_vocab_min_chars), phrase)
    if len(phrase) < settings().open_vocab_min_chars:
        return Outcome(UNKNOWN, [], f"'{phrase}' too short to search", [phrase], neutral=True,
                       carve=c.attributes.get("role") == "carve_out")
    hits = ctx.search.search(ctx.profile.patient_id, phrase, settings().fuzzy_threshold)
    if hits and c.attributes.get("role") == "carve_out":
        # "substance use disorder (except nicotine)": the exception matters only where the main condition is
        # written; a smoking history elsewhere does not put an alcohol use disorder in doubt
        main = [f for k in criterion.constraints if k.attributes.get("role") is None and not k.open_vocabulary
                for f in ctx.profile.facts_for(k.concept, ctx.lexicon) if trustworthy(f)]
        untouched = [f for f in main if not any(h.source_id == f.note_id and h.start < f.end and f.start < h.end
                                                for h in hits)]
        if untouched:  # a mention of the main condition the exception's words are no part of
            hits = []
    family = c.attributes.get("family")  # "family history of sudden death": a relative's is what is asked
    about = [h for h in hits if (h.assertion == "family" if family == "true" else
                                 h.assertion not in NOT_THE_PATIENTS or family and h.assertion == "family")]
    if not about and entry is not None and entry.kind in DRUG_KINDS and not family:
        # "hypersensitivity to murine protein-containing products": an infliximab named in the sentence of a
        # hypersensitivity ('anaphylaxis to infliximab') may be one, in words the class's name does not share
        reactions = [h for h in ctx.profile.facts_for("drug_hypersensitivity", ctx.lexicon) if not h.negated]
        members = [f for f in ctx.profile.facts_for(entry.concept, ctx.lexicon)
                   if (trustworthy(f) or f.historical) and any(
                       h.note_id == f.note_id and h.sentence_key and h.sentence_key == f.sentence_key
                       for h in reactions)]
        about = ctx.ev(members[-2:])
    taken = _tolerated(entry, about, ctx) if entry is not None and not family and any(
        k.concept in settings().object_concepts for k in criterion.constraints) else []
    if taken and len(taken) == len(about):
        # "hypersensitivity to aspirin or clopidogrel" and "aspirin 75 mg daily" on the medication list: a drug the
        # patient takes, never named beside a reaction, is no object of one
        return Outcome(UNKNOWN, [], f"'{phrase}' named in the notes only as a drug the patient takes", [phrase],
                       neutral=True)
    stated = [h for h in about if h.verbatim and h.assertion == "affirmed"]
    if stated and criterion.kind == "inclusion" and c.attributes.get("role") is None and not c.negated:
        # "Fitzpatrick skin phototype IV-VI": the notes write what the inclusion asks, word for word, affirmed
        return Outcome(MET, stated[:2], f"'{phrase}' stated in the notes ({stated[0].text!r}), a phrase outside "
                       "the lexicon: check")
    if stated and c.attributes.get("role") == "carve_out" and not c.negated:
        # "psoriasis other than chronic plaque psoriasis" with "chronic plaque psoriasis" written, affirmed, and no
        # mention of the main condition outside those words: the exception is the patient's form
        return Outcome(MET, stated[:2], f"the exception '{phrase}' is what the notes state ({stated[0].text!r})",
                       carve=True)
    if about:
        return Outcome(UNKNOWN, about[:3], f"'{phrase}' mentioned in notes: check", [phrase])
    if hits:  # "no cochlear implant", "mother had a DVT", "discussed a cochlear implant": as if unnamed, shown
        return Outcome(UNKNOWN, hits[:3], f"'{phrase}' named in the notes only as {hits[0].assertion}", [phrase],
                       neutral=True, carve=c.attributes.get("role") == "carve_out")
    if (c.attributes.get("measure") and criterion.kind == "inclusion" and not c.negated
            and not c.attributes.get("role")):
        # "atopic dermatitis (SCORAD score > 20)": the inclusion asks for a value the notes never write
        return Outcome(UNKNOWN, [], f"'{phrase}' not found in the notes (a value must be measured)", [phrase])
    out = Outcome(UNKNOWN, [], f"'{phrase}' not found in the notes", [phrase], neutral=True,
                  carve=c.attributes.get("role") == "carve_out")
    if any(k.concept in settings().object_concepts for k in criterion.constraints):
        # "allergy to materials of bovine origin" beside "bovine gelatin allergy": a word of it is named, so the
        # notes may write the very thing in other words
        out.word_named = any(ctx.search.search(ctx.profile.patient_id, w, 100.0)
                             for w in phrase.split() if len(w) >= 5)
    return out


def _tolerated(entry: LexiconEntry, hits: list[Evidence], ctx: MatchContext) -> list[Evidence]:
    """The hits of a drug the patient takes now that are plain mentions of it: each lies on a fact of the drug
    outside a reaction section (``reaction_sections``) and outside any sentence with a hypersensitivity."""
    if entry.kind not in DRUG_KINDS:
        return []
    drug = ctx.profile.facts_for(entry.concept, ctx.lexicon)
    if not any(f.therapy is not None and f.therapy.state == "current" and not f.negated for f in drug):
        return []
    reactions = {(h.note_id, h.sentence_key) for h in ctx.profile.facts_for("drug_hypersensitivity", ctx.lexicon)
                 if not h.negated and h.sentence_key}

    def plain(hit: Evidence) -> bool:
        on = [f for f in drug if f.note_id == hit.source_id and f.start < hit.end and hit.start < f.end]
        return bool(on) and all(f.section not in settings().reaction_sections
                                and (f.note_id, f.sentence_key) not in reactions for f in on)

    return [h for h in hits if plain(h)]


def _open_measure(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome | None:
    """A measure outside the lexicon ('PASI score >= 12'): the value the notes write right after its name
    ('PASI 14.2'), the latest one deciding. Read by words, not by a fact, it may clear a patient but never
    exclude one: a value against the patient goes to review. None when no value is written."""
    name = c.attributes["measure"]
    if c.negated or c.attributes.get("bare_equals") and c.comparator == "==":
        return None  # "PASI score = 2": a lost >= or <= with no normal range to tell which; the phrase is searched
    hits = [h for h in ctx.search.measure(ctx.profile.patient_id, name, settings().fuzzy_threshold)
            if isinstance(h.value, float) and h.assertion not in NOT_THE_PATIENTS and h.assertion != "uncertain"]
    if c.window is not None:
        anchor = ctx.anchor(c.window)
        hits = [h for h in hits if in_window(h.date, c.window, anchor)]
    lo = num(c.value)
    if not hits or lo is None:
        return None
    latest = max(h.date or dt.date.min for h in hits)
    last = sorted((h for h in hits if (h.date or dt.date.min) == latest), key=lambda h: (h.source_id, h.start))
    if len({h.value for h in last}) > 1:
        return Outcome(UNKNOWN, last[:2], f"{name}: conflicting values on {latest}: check", [name])
    h = last[-1]
    assert isinstance(h.value, float)
    ok = compare(h.value, c.comparator, lo, c.value_high)
    why = (f"{name} {fmt(h.value)} on {h.date} (written after its name); "
           f"criterion {limit_text(c.comparator, lo, c.value_high)}")
    if ok != (criterion.kind == "inclusion"):
        return Outcome(UNKNOWN, [h], f"{why}; a value read after a name outside the lexicon decides no patient "
                       "against: check", [name])
    return Outcome(MET if ok else NOT_MET, [h], why)
