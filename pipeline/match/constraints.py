"""Evaluate one constraint's condition against a patient profile.

A constraint states a condition ("platelets >= 100", "anti-EGFR mAb present", "HPV == negative by
IHC"); the verdict says whether it holds for this patient (met), does not (not_met), or the notes
cannot tell (unknown). ``negated`` constraints are evaluated positively then inverted.
"""
from __future__ import annotations

import datetime as dt

from ..schema import Constraint, Criterion, Fact
from .absence import operational_outcome, silence_outcome
from .context import (
    DRUG_KINDS,
    EXPOSURE_KINDS,
    EXPOSURE_UNITS,
    NEUTRAL_SEX,
    MatchContext,
    compare,
    known_concept,
    lex_info,
    near,
    num,
    reading_order,
)
from .current import lasting_state, needs_current, presence_current, stopped_in_time, therapy_state
from .lexmemo import memo
from .logic import MET, NOT_MET, UNKNOWN, Outcome
from .numeric import evaluate_numeric
from .own_condition import own_condition
from .profile import fact_date, trustworthy
from .qualified import judge, presence_qualified
from .qualifiers import group_by_id, groups_for
from .results import evaluate_result
from .routes import by_route, local_only
from .rules import ordinal_values, settings
from .sites import at_site, site_denials
from .stages import asks_stage, evaluate_stage
from .timeline import event_date, held_until, in_window
from .unnamed import broader_mention, open_vocabulary, target_absent
from .windowed import duration_outcome, presence_windowed, under_not

__all__ = ["EXPOSURE_KINDS", "MatchContext", "evaluate_constraint", "in_window", "needs_current"]

def _exposure_count(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome:
    presence = c.model_copy(update={"comparator": "present", "value": None, "unit": None})
    out = _evaluate_positive(presence, criterion, ctx)
    if out.verdict != MET:
        return out
    need = num(c.value) or 0.0
    stated = [f.therapy.cycles for f in ctx.profile.facts_for(c.concept, ctx.lexicon) if trustworthy(f) and f.therapy]
    counts = [n for n in stated if n is not None]
    if counts and not compare(max(counts), c.comparator, need, c.value_high):
        return Outcome(NOT_MET, out.evidence,
                       f"{c.concept.replace('_', ' ')}: {max(counts):g} {c.unit}(s), criterion {c.comparator} {need:g}")
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
    if c.context is not None and c.context.treated_for:  # "therapy for ascites": no ascites, no such therapy
        absent = c.comparator == "absent"
        out = _evaluate_positive(c.model_copy(update={"context": c.context.model_copy(update={"treated_for": False}),
                                                      "comparator": "present" if absent else c.comparator}),
                                 criterion, ctx)
        if out.verdict == MET:
            out = Outcome(UNKNOWN, out.evidence, f"{out.reason}; whether it was treated as the criterion asks is not "
                          "stated", [c.concept])
        return out.negate() if absent else out
    if c.context is not None and c.context.purpose:
        return Outcome(UNKNOWN, [], f"'{c.text}' names what a sample, test or risk is for, not a condition of the "
                       "patient", [],
                       neutral=True)
    if c.open_vocabulary or not known_concept(c.concept, ctx.lexicon):
        return open_vocabulary(c, criterion, ctx)
    entry = ctx.lexicon.get(c.concept)
    if entry is not None and entry.category == "consent_administrative":
        # consent, willingness, logistics: never asked of the notes
        return Outcome(UNKNOWN, [], f"{c.concept.replace('_', ' ')}: not asked of the notes", neutral=True)
    operational = operational_outcome(c, criterion, ctx.profile, ctx.lexicon)
    if operational is not None:
        return operational
    if c.concept == "sex":
        return _sex(c, criterion, ctx)
    kind, _ = lex_info(ctx.lexicon, c.concept)
    if kind in EXPOSURE_KINDS and c.unit and c.unit.rstrip("s") in EXPOSURE_UNITS:
        # "at least 1 cycle of prior anti-PD-1": exposure, with the count checked when stated
        return _exposure_count(c, criterion, ctx)
    if (kind == "lab" and c.comparator == "present" and c.value is None and not c.attributes.get("qualifier")
            and c.window is None and c.concept not in ordinal_values().undetectable_when_negated):
        # "hemoglobin SC", "a PSA test": a laboratory name with no value asks no value, and a measured one is no
        # condition; the criterion's other parts decide
        return Outcome(UNKNOWN, [], f"{c.concept.replace('_', ' ')}: a laboratory test named without a limit",
                       [], neutral=True)
    if c.attributes.get("family"):
        return _family_history(c, criterion, ctx)
    if asks_stage(c):
        staged = evaluate_stage(c, criterion, ctx, lambda k: _presence(k, criterion, ctx))
        if staged is not None:
            return staged
    if c.comparator in ("present", "absent"):
        if kind == "result":
            out = evaluate_result(c.model_copy(update={"comparator": "==", "value": "positive"}), criterion, ctx)
        else:
            out = _presence(c, criterion, ctx)
        return out.negate() if c.comparator == "absent" else out
    if isinstance(c.value, str) and num(c.value) is None and ordinal_values().number(c.concept, c.value) is None:
        return evaluate_result(c, criterion, ctx)
    return evaluate_numeric(c, criterion, ctx)


def _family_history(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome:
    """'Family history of X': a relative's X, stated ('mother had X') or denied ('no family history of X');
    'personal or family history of X' asks either."""
    name = c.concept.replace("_", " ")
    facts = [f for f in ctx.profile.facts_for(c.concept, ctx.lexicon) if f.family and not f.hypothetical]
    said = [f for f in facts if not f.negated and not f.uncertain]
    if said:
        relative = Outcome(MET, ctx.ev(said[-1:]), f"family history of {name} ({fact_date(said[-1])})")
    elif any(f.negated for f in facts):
        denied = [f for f in facts if f.negated]
        relative = Outcome(NOT_MET, ctx.ev(denied[-1:]), f"no family history of {name} ({fact_date(denied[-1])})")
    else:
        relative = silence_outcome(c, criterion, ctx.profile, ctx.lexicon)
        relative.reason = f"family history of {name}: {relative.reason}"
    if c.attributes.get("family") != "either":
        return relative
    attrs = {a: b for a, b in c.attributes.items() if a != "family"}
    own = _evaluate_positive(c.model_copy(update={"attributes": attrs}), criterion, ctx)
    if MET in (own.verdict, relative.verdict):
        return own if own.verdict == MET else relative
    if own.verdict == relative.verdict == NOT_MET:
        return Outcome(NOT_MET, own.evidence + relative.evidence, f"{own.reason}; {relative.reason}")
    return own if own.verdict == UNKNOWN else relative


# ----------------------------------------------------------------------------- presence


def _linked_to_therapy(f: Fact, target: str, ctx: MatchContext, drugs: list[Fact]) -> bool:
    if f.on_therapy:
        return any(ctx.lexicon.is_a(o, target) or o == target for o in f.on_therapy)
    d = fact_date(f)
    starts = [fact_date(x) for x in drugs]
    return d is not None and any(s is not None and s <= d for s in starts)


def _target_related(f: Fact, ctx: MatchContext) -> bool:
    """The fact names the trial's own index condition (or a broader or narrower form of it, or a cancer of its
    organ site): the patient's disease, never "another" one."""
    trial = ctx.trial
    if trial is None:
        return False
    if any(ctx.lexicon.is_a(f.concept, t) or ctx.lexicon.is_a(t, f.concept) for t in trial.target_concepts):
        return True
    # a sibling in a specific family ("Hodgkin lymphoma" for a PTCL trial: both lymphomas), not only "a malignancy"
    s = settings()
    broad = (set(s.generic_disease_concepts) | set(s.too_broad_classes) | set(s.other_disease_concepts)
             | set(s.other_disease_concepts.values()))
    mine = set(ctx.lexicon.classes_of(f.concept)) - broad
    if any(mine & ({t} | set(ctx.lexicon.classes_of(t))) for t in trial.target_concepts):
        return True
    return f.site is not None and f.site in trial.target_sites


def _is_other_disease(c: Constraint, ctx: MatchContext) -> bool:
    """The constraint asks for a disease other than the trial's own ("other malignancy", "another cancer")."""
    targets = ctx.trial.target_concepts if ctx.trial is not None else []
    return bool(targets) and not (c.context is not None and c.context.target) and any(
        ctx.lexicon.is_a(t, c.concept) for t in targets) or c.concept in settings().other_disease_concepts


def _specific(concept: str, ctx: MatchContext) -> bool:
    """A named condition (not a generic or an "other" name): with its member concepts and phrases searched, its
    absence can be trusted."""
    s = settings()
    return concept not in s.generic_disease_concepts and concept not in s.other_disease_concepts


def _carved(criterion: Criterion, ctx: MatchContext) -> list[str]:
    """Lexicon concepts the criterion carves out of its main condition ("except nicotine")."""
    known = memo(ctx.lexicon, "carved")
    found = known.get(id(criterion))
    if found is None or found[0] is not criterion:  # kept with its criterion: a trial's, or its plan's
        found = known[id(criterion)] = (criterion, [k.concept for k in criterion.constraints
                                                    if k.attributes.get("role") == "carve_out" and not k.open_vocabulary
                                                    and ctx.lexicon.get(k.concept) is not None])
    return found[1]


def _presence(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome:
    out = _presence_found(c, criterion, ctx)
    against = (criterion.kind == "exclusion") != (c.negated or c.comparator == "absent")
    drug = lex_info(ctx.lexicon, c.concept)[0] in DRUG_KINDS
    if out.verdict == MET and against and drug:
        given = [f for f in ctx.profile.facts_for(c.concept, ctx.lexicon) if trustworthy(f) and _administered(f)]
        if not given:
            # "candidate for osimertinib", "options: osimertinib", "the osimertinib study": named, not given
            name = c.concept.replace("_", " ")
            return Outcome(UNKNOWN, out.evidence, f"{name} named in the notes, but nothing says it was given "
                           "(an option, a plan or a trial?)", [c.concept])
    if out.verdict == MET and against and criterion.kind == "inclusion" and c.attributes.get("duration") and drug:
        stopped = stopped_in_time(c, ctx)
        if stopped is not None:
            return stopped
        # "No use of NSAIDs one week before the operation": a drug taken today may still be stopped in time
        return Outcome(UNKNOWN, out.evidence, f"{c.concept.replace('_', ' ')} taken; the criterion asks it stopped "
                       f"for a time ({c.attributes['duration']}) before the start, which may still come", [c.concept])
    if drug and (hedged := local_only(c, ctx, out)):
        return hedged
    narrow = c.context.narrowed_by if c.context is not None else None
    if (narrow and out.verdict == MET and not c.negated and c.comparator == "present"
            and (criterion.kind == "exclusion" or narrow.lower() in settings().inclusion_narrowing_words)):
        # 'bowel resection' read as surgery: a lumpectomy is surgery, but not what the criterion excludes
        name = c.concept.replace("_", " ")
        return Outcome(UNKNOWN, out.evidence, f"{name} documented; the criterion asks '{narrow} {c.text}', "
                       f"which the notes do not state")
    return out


def _administered(f: Fact) -> bool:
    """The mention says the drug was given: a therapy state other than unclear or planned, or a dose
    detail (start, last dose, cycles, response)."""
    t = f.therapy
    if t is None:
        return True  # not a drug mention read for administration: nothing to doubt
    return t.state in ("current", "past", "stopped") or any(
        v is not None for v in (t.start_date, t.last_dose_date, t.cycles, t.response))


def _presence_found(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome:
    if c.attributes.get("role") == "carve_out" and not c.open_vocabulary and ctx.lexicon.get(c.concept) is not None:
        # applied to the main condition's facts instead (see _carved): no condition of its own
        return Outcome(UNKNOWN, [], f"{c.concept.replace('_', ' ')} carved out", neutral=True, carve=True)
    facts = ctx.profile.facts_for(c.concept, ctx.lexicon)
    lasts = settings().transient_state_days.get(c.concept)
    if lasts is not None:  # a pregnancy in 2024 is over by 2026, and so is one the note calls past
        facts = [f for f in facts if (event_date(f) or ctx.as_of) >= ctx.as_of - dt.timedelta(days=lasts)
                 and not (f.historical and not f.negated)]
    carved = _carved(criterion, ctx)
    if carved:
        facts = [f for f in facts if not any(ctx.lexicon.is_a(f.concept, k) for k in carved)]
    if c.context is not None and c.context.planned and not c.negated:
        plans = [f for f in facts if f.planned and not (f.negated or f.family or f.uncertain)]
        if plans:  # "patients who plan to treat with adalimumab": the plan is what is asked
            return Outcome(MET, ctx.ev(plans[-1:]), f"{c.concept.replace('_', ' ')} planned ({fact_date(plans[-1])})")
        if criterion.kind == "exclusion":  # "subjects scheduled for surgery": a surgery in 2022 is no plan
            facts = [f for f in facts if f.planned]
    if (c.context is not None and c.context.target and not facts and not c.negated and criterion.kind == "inclusion"
            and _specific(c.concept, ctx)):
        return target_absent(c, criterion, ctx)
    if (criterion.kind == "exclusion" and c.context is not None and c.context.target and not c.negated
            and c.comparator != "absent" and not groups_for(c) and not c.attributes.get("qualifier")):
        own = [f for f in facts if trustworthy(f)]
        if own:
            return own_condition(c, criterion, own, ctx)
    if criterion.kind == "exclusion" and _is_other_disease(c, ctx):
        generic = settings().generic_disease_concepts
        facts = [f for f in facts if not _target_related(f, ctx) and f.concept not in generic]
        if c.concept in settings().other_disease_concepts:
            facts += [f for f in ctx.profile.facts_for(settings().other_disease_concepts[c.concept], ctx.lexicon)
                      if not _target_related(f, ctx) and f.concept not in settings().generic_disease_concepts
                      and f not in facts]
    therapy = c.attributes.get("on_therapy") or c.attributes.get("after_therapy")
    if therapy:
        return _progression_on(c, therapy, criterion, ctx, facts)
    aff = [f for f in facts if trustworthy(f) and not f.planned]
    neg = site_denials(c, [f for f in facts if f.negated and not (f.family or f.hypothetical)])
    unc = [f for f in facts if f.uncertain and not (f.negated or f.family or f.hypothetical)]
    days = settings().contradiction_days
    aff, placed = at_site(c, criterion, ctx, by_route(c, aff), neg)
    if placed is not None:
        return placed
    name = c.concept.replace("_", " ")
    kind, _ = lex_info(ctx.lexicon, c.concept)
    if aff and kind in EXPOSURE_KINDS:
        last = aff[-1]
        d_last = fact_date(last) or dt.date.min
        denied = [n for n in neg
                  if (fact_date(n) or dt.date.min) > d_last and ctx.lexicon.is_a(last.concept, n.concept)]
        over = needs_current(c, criterion) and not any(therapy_state(f, ctx)[0] == "current" for f in aff)
        if denied and not over:
            # a later statement that the therapy was never given: contradiction if close in time, else it wins
            # (a course that is over and "no further antibiotics" agree when the criterion asks the present)
            if ((fact_date(denied[-1]) or d_last) - d_last).days <= days:
                return Outcome(UNKNOWN, ctx.ev([last, denied[-1]]),
                               f"{name}: given and denied in notes of similar date")
            return Outcome(NOT_MET, ctx.ev([denied[-1], last]),
                           f"{name} denied on {fact_date(denied[-1])} (earlier mention {d_last})")
    lasted = duration_outcome(c, ctx, aff)
    if lasted is not None:
        return lasted
    if c.window is not None:
        anchor = ctx.anchor(c.window)
        qualified = groups_for(c) if aff and criterion.kind == "exclusion" else []
        inside = aff
        if qualified and c.window.comparator in ("<", "<="):  # only mentions inside "within 4 weeks" are asked
            inside = [f for f in aff if in_window(held_until(f), c.window, anchor)]
            qualified = qualified if inside else []
        if qualified:  # "uncontrolled hypertension in the past 3 months": the qualifier holds inside the window
            q = presence_qualified(c, qualified, ctx, inside, exclusion=True)
            if q.verdict != MET:
                return q
            aff = [f for f in inside if judge(qualified, f, ctx)[0] == "yes"] or inside
        return presence_windowed(c, criterion, ctx, aff, neg, unc, anchor)
    lasting = lasting_state(c.concept, ctx.lexicon)
    if aff and kind in EXPOSURE_KINDS and needs_current(c, criterion) and not lasting:
        return presence_current(c, criterion, ctx, aff, neg)
    groups = groups_for(c) if aff else []
    if lasting:  # 's/p hysterectomy 2009' is no episode that ends: it needs no word saying it is active now
        groups = [g for g in groups if g.id != "qualifier.active"]
    if (aff and not groups and kind not in EXPOSURE_KINDS and needs_current(c, criterion)
            and not (c.context is not None and c.context.history)
            and not lasting):
        groups = [group_by_id("qualifier.active")]
    qualifier = c.attributes.get("qualifier")
    if (aff and qualifier and qualifier not in settings().qualifiers_met_by_mention and not groups
            and kind not in EXPOSURE_KINDS):
        # "normal blood pressure": documented, but whether it is what the criterion asks is not decided here
        return Outcome(UNKNOWN, ctx.ev(aff[-1:]),
                       f"{name} documented ({fact_date(aff[-1])}); whether {qualifier} is not stated")
    if groups:
        later = [n for n in neg
                 if (fact_date(n) or dt.date.min) > (fact_date(aff[-1]) or dt.date.min) + dt.timedelta(days=days)]
        if later:
            return Outcome(NOT_MET, ctx.ev([later[-1], aff[-1]]),
                           f"{name} documented {fact_date(aff[-1])}, absent on {fact_date(later[-1])}")
        return presence_qualified(c, groups, ctx, aff, criterion.kind == "exclusion" and not under_not(
            c.id, criterion.logic))
    if aff:
        # a denial clashes only with what it covers ("no psychosis" does not deny depression, both psychiatric)
        # nor does one in the same note in other words ("no gastric varices. Impression: F3 esophageal varices")
        clash = [n for n in neg if any(near(n, a, days) and ctx.lexicon.is_a(a.concept, n.concept)
                                       and not _other_words_same_note(n, a) for a in aff)]
        latest = aff[-1]
        hedged = [u for u in unc if (fact_date(u) or dt.date.min) >= (fact_date(latest) or dt.date.min)]
        if hedged:
            return Outcome(UNKNOWN, ctx.ev([latest, hedged[-1]]),
                           f"{name}: the latest note hedges it ({hedged[-1].text!r})")
        if clash and fact_date(clash[-1]) and fact_date(latest) and fact_date(clash[-1]) >= fact_date(latest):  # type: ignore[operator]
            return Outcome(UNKNOWN, ctx.ev([latest, clash[-1]]),
                           f"{name}: affirmed and negated in notes of similar date")
        return Outcome(MET, ctx.ev(aff[-2:] if len(aff) > 1 else aff), f"{name} documented ({fact_date(latest)})")
    if unc and neg and reading_order(neg[-1]) > reading_order(unc[-1]):
        return Outcome(NOT_MET, ctx.ev([neg[-1], unc[-1]]), f"{name} queried, then negated ({fact_date(neg[-1])})")
    if unc:
        return Outcome(UNKNOWN, ctx.ev(unc[-2:]), f"{name}: only uncertain mentions")
    if neg:
        return Outcome(NOT_MET, ctx.ev(neg[-1:]), f"{name} negated ({fact_date(neg[-1])})")
    broader = broader_mention(c, ctx)
    if broader is not None:
        return broader
    return silence_outcome(c, criterion, ctx.profile, ctx.lexicon)


def _progression_on(c: Constraint, therapy: str, criterion: Criterion, ctx: MatchContext, facts: list[Fact]) -> Outcome:
    """Progression on or after a therapy class: a progression fact linked to (or after the start of)
    that therapy, or a drug fact of that class whose response is progression."""
    drugs = [f for f in ctx.profile.facts_for(therapy, ctx.lexicon) if trustworthy(f)]
    drug_prog = [f for f in drugs if f.therapy is not None and str(f.therapy.response or "").lower() == "progression"]
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


# ----------------------------------------------------------------------------- sex, open vocabulary


def _sex(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome:
    want = str(c.value or "all").lower()
    if want not in NEUTRAL_SEX and want not in ("male", "female"):
        return Outcome(UNKNOWN, [], f"sex constraint not understood ({want})", neutral=True)
    if want in NEUTRAL_SEX:
        if criterion.kind == "exclusion" or c.attributes.get("applies_to"):
            # "male hypogonadism": the sex qualifies another item; it is no condition of its own
            return Outcome(UNKNOWN, [], "sex qualifies another item", neutral=True)
        return Outcome(MET, [], "any sex accepted")
    facts = [f for f in ctx.profile.facts_for("sex", ctx.lexicon) if trustworthy(f)]
    if not facts:
        return Outcome(UNKNOWN, [], "sex not documented")
    f = facts[-1]
    return Outcome(MET if str(f.value).lower() == want else NOT_MET, ctx.ev([f]), f"sex {f.value}")


def _other_words_same_note(neg: Fact, aff: Fact) -> bool:
    """A denial and a mention in one note that name the concept in different words: the note names two things."""
    return neg.note_id == aff.note_id and " ".join(neg.text.lower().split()) != " ".join(aff.text.lower().split())
