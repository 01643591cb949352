"""Results (positive / negative) with test methods and documented surrogates (p16 IHC for HPV)."""
from __future__ import annotations

import datetime as dt

from ..schema import Constraint, Criterion, Fact
from .absence import silence_outcome
from .context import MatchContext
from .logic import MET, NOT_MET, UNKNOWN, Outcome
from .profile import fact_date, trustworthy
from .rules import surrogates

# ----------------------------------------------------------------------------- results (positive/negative)


def _result_candidates(c: Constraint, ctx: MatchContext) -> list[tuple[Fact, str | None, bool, bool]]:
    """(fact, value as target concept, usable for the criterion's method, method known to match) for
    direct facts and documented surrogates. A result whose method is not stated can exclude the patient
    but never qualify them."""
    want_method = (c.attributes.get("method") or "").upper() or None
    want = str(c.value).lower()
    out: list[tuple[Fact, str | None, bool, bool]] = []
    for f in ctx.profile.facts_for(c.concept, ctx.lexicon):
        method = f.method
        value = str(f.value).lower() if f.value is not None else None
        if f.concept != c.concept:
            # a specific alteration of the class asked for ("EGFR exon 19 deletion" for "EGFR-mutated"): named as
            # found, it is a positive result for the class; its own negative result says nothing about the others
            if value == "negative":
                continue
            if value is None and f.affirmed:
                value = "positive"
        exact = want_method is None or method == want_method
        out.append((f, value, exact or (method is None and value is not None and value != want), exact))
    for s in surrogates().for_target(c.concept):
        if s.value_attribute or (want_method and s.method and s.method.upper() != want_method):
            continue
        for f in ctx.profile.facts_for(s.source, ctx.lexicon):
            # the surrogate test has one method by definition (p16 is an IHC stain): a method word the
            # extractor attached from a neighbouring test does not change it
            method = str(s.method or f.method or "").upper() or None
            v = s.values.get(str(f.value).lower()) if f.value is not None else None
            exact = want_method is None or method in (None, want_method)
            out.append((f, v, exact, exact))
    out.sort(key=lambda t: (fact_date(t[0]) or dt.date.min))
    return out


def evaluate_result(c: Constraint, criterion: Criterion, ctx: MatchContext) -> Outcome:
    want = str(c.value).lower()
    name = c.concept.replace("_", " ")
    cands = _result_candidates(c, ctx)
    usable = [(f, v, ok, exact) for f, v, ok, exact in cands if trustworthy(f) and v in ("positive", "negative")]
    decisive = [(f, v, exact) for f, v, ok, exact in usable if ok]
    if decisive:
        inclusion_like = (criterion is None or criterion.kind == "inclusion") != c.negated
        against = [(g, w) for g, w, exact in decisive if exact and ((w != want) if inclusion_like else (w == want))]
        # among results of the required method, the one that goes against the patient wins
        f, v = against[-1] if against else (decisive[-1][0], decisive[-1][1])
        clash = [] if against else [g for g, w, _, _ in usable if w != v]
        if clash:
            return Outcome(
                UNKNOWN,
                ctx.ev([f, clash[-1]]),
                f"{name}: conflicting results ({v} vs {'positive' if v == 'negative' else 'negative'})",
            )
        # a later mention without a result may be a repeat test not yet reported; one in the result's own
        # sentence is the same test named again ("HBsAg: reactive, quantitative HBsAg 86 IU/mL")
        pending = [g for g, w, ok, _ in cands if ok and w is None and g.affirmed and not g.uncertain
                   and (fact_date(g) or dt.date.min) >= (fact_date(f) or dt.date.min)
                   and not (g.note_id == f.note_id and g.sentence_key and g.sentence_key == f.sentence_key)]
        if pending and v == want and criterion is not None and criterion.kind == "inclusion" and not c.negated:
            return Outcome(
                UNKNOWN,
                ctx.ev([f, pending[-1]]),
                f"{name} {v}, but a later mention of {pending[-1].text!r} gives no result (pending?)",
            )
        label = f"{name} {v}" + (
            f" ({f.concept.replace('_', ' ')} surrogate)"
            if f.concept != c.concept and not ctx.lexicon.is_a(f.concept, c.concept)
            else ""
        )
        return Outcome(MET if v == want else NOT_MET, ctx.ev([f]), label)
    if usable:
        f, v, _, _ = usable[-1]
        return Outcome(UNKNOWN, ctx.ev([f]), f"{name} {v} by {f.method}, criterion asks {c.attributes.get('method')}")
    other = [f for f, v, _, _ in cands if not f.family and not f.hypothetical]
    if other:
        f = other[-1]
        if f.negated and silence_outcome(c, criterion, ctx.profile, ctx.lexicon).verdict == NOT_MET:
            # "No h/o HIV" where silence would already clear it: a denial is no weaker than silence
            return Outcome(NOT_MET, ctx.ev([f]), f"{name} denied ({fact_date(f)})")
        why = "not done" if f.negated else "indeterminate" if not f.uncertain else "uncertain"
        return Outcome(UNKNOWN, ctx.ev([f]), f"{name}: test {why}")
    return silence_outcome(c, criterion, ctx.profile, ctx.lexicon)


