"""Match patients against a trial's criteria: one verdict with evidence per criterion, a status per
patient, and a ranked list for the coordinator."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..lexicon import Lexicon, LexiconEntry, load_lexicon
from ..schema import (
    Criterion,
    CriterionVerdict,
    Evidence,
    Fact,
    Note,
    NoteMeta,
    PatientResult,
    TrialCriteria,
    VerdictValue,
)
from .absence import silence_outcome
from .alternatives import open_failed_alternatives
from .constraints import MatchContext, evaluate_constraint
from .context import NoSearch, TextSearch
from .lexmemo import MatchLexicon
from .logic import MET, NOT_MET, UNKNOWN, Outcome, evaluate_tree
from .plan import CriterionPlan, plan_criterion, trial_plan
from .profile import PatientProfile, build_profiles
from .rank import Unknown, patient_status, rank_results, score_and_reasons, unknown_cost
from .rules import settings

log = logging.getLogger(__name__)


def evaluate_criterion(criterion: Criterion, ctx: MatchContext,
                       plan: CriterionPlan | None = None) -> tuple[CriterionVerdict, Outcome]:
    """The verdict on one criterion; ``plan`` is its part of the trial's plan (made here when not given)."""
    plan = plan or plan_criterion(criterion, ctx.lexicon)

    def verdict(value: VerdictValue, reason: str, evidence: Sequence[Evidence] = ()) -> CriterionVerdict:
        # made of validated parts (the criterion record, Evidence records, a verdict of VerdictValue, a str):
        # validating them again, for every criterion of every patient, took a tenth of screening a trial
        return CriterionVerdict.model_construct(
            criterion_id=criterion.id,
            kind=criterion.kind,
            text=criterion.text,
            start=criterion.start,
            end=criterion.end,
            verdict=value,
            evidence=list(evidence),
            reason=_one_line(reason),
        )

    if not criterion.computable:
        hit = _open_vocabulary_hit(criterion, ctx)
        if hit is not None and hit.verdict in (MET, NOT_MET):
            # every phrase of an inclusion written in the notes as asked; the measures of an exclusion read below
            # its limits
            return verdict(hit.verdict, hit.reason, hit.evidence), hit
        if hit is not None:  # the notes mention what the criterion names: a person checks it, never a silent pass
            return verdict("unknown", hit.reason, hit.evidence), hit
        out = Outcome("unknown", [], criterion.reason or f"not computable ({criterion.category})")
        if criterion.kind == "inclusion" and criterion.category not in NEVER_SEARCHED and criterion.constraints:
            # a requirement in words outside the lexicon: nobody checked it, so the patient is not yet eligible
            out.reason = f"an inclusion in words outside the lexicon; check it by hand ({out.reason})"
            return verdict("unknown", out.reason), out
        return verdict("not_computable", out.reason), out
    tree = plan.tree
    if tree is None:
        out = Outcome(UNKNOWN, [], "no checkable condition parsed from this criterion", [])
        return verdict("unknown", out.reason), out
    by_id = plan.constraints
    own: list[Outcome] = []

    def leaf(cid: str) -> Outcome:
        c = by_id.get(cid)
        if c is None:
            return Outcome(UNKNOWN, [], f"constraint {cid} missing", [])
        out = evaluate_constraint(c, criterion, ctx)
        if c.concept in settings().object_concepts:
            out.takes_object = True
        if out.own_condition:
            own.append(out)
        return out

    out = evaluate_tree(tree, leaf, "met" if criterion.kind == "inclusion" else "not_met")
    if out.silent and own:
        # the trial's own condition beside items the notes never name: nothing decided, and the patient has
        # the condition the criterion is about, so silence clears nothing
        return verdict("unknown", f"{own[0].reason}, and the notes name none of them", own[0].evidence), Outcome(
            UNKNOWN, own[0].evidence, own[0].reason, own[0].concepts)
    if out.verdict == UNKNOWN and criterion.kind == "exclusion":
        out = _defined_condition(criterion, ctx, out)
    if out.deferred:
        return verdict("not_computable", out.reason), out
    if out.verdict == UNKNOWN and out.neutral and criterion.kind == "exclusion" and criterion.constraints:
        # an exclusion none of whose items the notes mention: absent, when a clinician note covers the history
        # judged as an unlisted condition: open-vocabulary items name conditions, whatever the criterion's category
        assert plan.silence_probe is not None
        probe, as_comorbidity = plan.silence_probe
        covered = silence_outcome(probe, as_comorbidity, ctx.profile, ctx.lexicon)
        if covered.verdict == "not_met":
            out = covered
            out.reason = f"none of its items is mentioned in the notes ({covered.reason})"
    if out.verdict == UNKNOWN and out.neutral:
        out.reason = f"nothing in the notes to check ({out.reason})"
    # every piece of evidence is kept: a compound criterion ("normal organ function") shows each of its
    # sub-conditions with its own
    return verdict(out.verdict, out.reason, out.evidence), out


def _defined_condition(criterion: Criterion, ctx: MatchContext, out: Outcome) -> Outcome:
    """'Anemia (hemoglobin < 9 g/dL)': the values decide; when they are not documented, the condition they define
    may still clear the patient (no anemia in a clinician's history). It never excludes one by itself."""
    for c in criterion.constraints:
        if c.attributes.get("defined_by"):
            named = evaluate_constraint(c, criterion, ctx)
            if named.verdict == NOT_MET:
                named.reason = f"{out.reason}; {named.reason}" if out.reason else named.reason
                return named
    return out


NEVER_SEARCHED = frozenset(("investigator_judgement", "consent_administrative"))
"""Categories whose non-computable criteria are not searched in the notes: their words name no finding.
Every other non-computable criterion (phrases outside the lexicon) is still looked up."""


def _open_vocabulary_hit(criterion: Criterion, ctx: MatchContext) -> Outcome | None:
    """A non-computable criterion made of open-vocabulary phrases: the first phrase the notes mention."""
    if criterion.category in NEVER_SEARCHED:
        return None
    phrases = [c for c in criterion.constraints if c.open_vocabulary]
    all_met = bool(phrases) and len(phrases) == len(criterion.constraints)  # only an inclusion's phrases are met
    none_met = all_met and criterion.kind == "exclusion"  # only an exclusion's measures are read as not met
    outs: list[Outcome] = []
    first: Outcome | None = None  # the first phrase the notes mention
    for c in phrases:
        out = evaluate_constraint(c, criterion, ctx)
        outs.append(out)
        all_met = all_met and out.verdict == MET
        none_met = none_met and out.verdict == NOT_MET
        if first is None and out.evidence and not out.neutral:  # named only as absent or a relative's: no doubt
            first = out
        if first is not None and not (all_met or none_met):
            break  # the remaining phrases can change neither answer
    if all_met or none_met:
        return Outcome(MET if all_met else NOT_MET, [e for o in outs for e in o.evidence][:3],
                       "; ".join(o.reason for o in outs))
    if first is not None:
        first.verdict = UNKNOWN
        first.reason = f"not computable from the lexicon, but the notes mention it: {first.reason}"
    return first


def _one_line(text: str) -> str:
    """The reason on one line, in full: screens shorten it, output files never do."""
    return " ".join(text.split())


def match_patient(trial: TrialCriteria, profile: PatientProfile, ctx: MatchContext) -> PatientResult:
    plan = trial_plan(trial, ctx.lexicon)
    verdicts: list[CriterionVerdict] = []
    outs = {}
    for criterion in trial.criteria:
        v, outs[criterion.id] = evaluate_criterion(criterion, ctx, plan.criteria[id(criterion)])
        verdicts.append(v)
    covered = open_failed_alternatives(verdicts, plan.alternatives)
    unknowns: list[Unknown] = [unknown_cost(plan.by_id[v.criterion_id], outs[v.criterion_id].concepts, ctx.lexicon,
                                            v.criterion_id) for v in verdicts
                               if v.verdict == "unknown" and v.criterion_id not in covered]
    status = patient_status(verdicts, covered)
    score, reasons = score_and_reasons(status, verdicts, unknowns, plan.target_ids, covered)
    # validated parts again (CriterionVerdicts, a Status, a float score, str reasons): see evaluate_criterion
    return PatientResult.model_construct(patient_id=profile.patient_id, status=status, score=score, criteria=verdicts,
                                         reasons=reasons)


@dataclass
class Patients:
    """Patients' records made ready for matching, once, against any number of trials: their profiles (facts
    indexed by concept), the lexicon and the screening dates."""

    profiles: dict[str, PatientProfile]
    lexicon: Lexicon
    as_of: dt.date
    first_dose: dt.date
    search: TextSearch


def matching_lexicon(user_entries: Iterable[LexiconEntry] = ()) -> Lexicon:
    """The packaged lexicon, extended with the user's entries when there are any, remembering its lookups
    (the packaged one's for the whole process)."""
    global _PACKAGED
    lexicon = load_lexicon()
    user_entries = list(user_entries)
    if user_entries:
        return MatchLexicon(lexicon.with_user_entries(user_entries))
    if _PACKAGED is None or _PACKAGED[0] is not lexicon:
        _PACKAGED = (lexicon, MatchLexicon(lexicon))
    return _PACKAGED[1]


_PACKAGED: tuple[Lexicon, MatchLexicon] | None = None


def prepare_patients(notes: Sequence[Note | NoteMeta], facts: list[Fact], *, as_of: dt.date,
                     first_dose: dt.date | None = None, lexicon: Lexicon | None = None,
                     search: TextSearch | None = None) -> Patients:
    """The patients of ``notes``/``facts`` as of the screening date, ready for ``match_patients``.

    ``search`` finds open-vocabulary phrases in the patients' notes; when it is not given and ``notes``
    carry their text, a search over those notes is used; with notes given as ``NoteMeta`` and no search,
    open-vocabulary phrases are reported as not searchable."""
    if search is None:
        with_text = [n for n in notes if isinstance(n, Note)]
        if with_text:
            from ..extract.textsearch import NoteTextSearch

            search = NoteTextSearch(with_text)
        else:
            search = NoSearch()
    # screening looks back from the as-of date: later notes (and facts read from them) are left out
    everyone = {n.patient_id for n in notes} | {f.patient_id for f in facts}
    metas = [NoteMeta.of(n) for n in notes if n.date <= as_of]
    kept = {(n.patient_id, n.note_id) for n in metas}
    # a fact dated after the as-of date is a plan or an appointment, not something that happened
    facts = [
        f for f in facts if (f.patient_id, f.note_id) in kept and (f.date is None or f.date <= as_of or f.statement)
    ]
    return Patients(build_profiles(metas, facts, everyone), lexicon or matching_lexicon(), as_of, first_dose or as_of,
                    search)


def match_patients(trial: TrialCriteria, patients: Patients) -> list[PatientResult]:
    """Every prepared patient against ``trial``, ranked best candidate first (rank 1)."""
    results = []
    for profile in patients.profiles.values():
        ctx = MatchContext(profile, patients.lexicon, patients.as_of, patients.first_dose, patients.search, trial)
        results.append(match_patient(trial, profile, ctx))
    log.info("matched %d patients against %d criteria", len(results), len(trial.criteria))
    return rank_results(results)


def match_trial(trial: TrialCriteria, notes: Sequence[Note | NoteMeta], facts: list[Fact], *, as_of: dt.date,
                first_dose: dt.date | None = None, user_entries: Iterable[LexiconEntry] = (),
                search: TextSearch | None = None) -> list[PatientResult]:
    """Every patient in ``notes``/``facts`` against ``trial``, ranked best candidate first (rank 1).

    Matching reads records only. ``search`` finds open-vocabulary phrases in the patients' notes; when it
    is not given and ``notes`` carry their text, a search over those notes is used; with notes given as
    ``NoteMeta`` and no search, open-vocabulary phrases are reported as not searchable."""
    patients = prepare_patients(notes, facts, as_of=as_of, first_dose=first_dose,
                                lexicon=matching_lexicon(user_entries), search=search)
    return match_patients(trial, patients)
