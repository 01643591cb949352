"""A documented condition judged against the qualifiers its criterion puts on it ('uncontrolled
hypertension', 'active hepatitis B', 'normal blood pressure'): the qualifier words extraction found
around each mention (``Fact.qualifier_cues``), a recent or remote event date, or a measure (HbA1c for
diabetes control, blood pressure for hypertension), as ``models/rules/qualifiers.json`` says."""
from __future__ import annotations

import datetime as dt

from ..schema import Constraint, Fact
from .context import MatchContext, compare, num
from .logic import MET, NOT_MET, UNKNOWN, Outcome
from .profile import fact_date, trustworthy
from .qualifiers import QualifierGroup, support
from .rules import settings
from .timeline import event_date, has_event_date


def measured(group: QualifierGroup, f: Fact, ctx: MatchContext) -> tuple[bool, str] | None:
    """The group's lab measure for this condition (e.g. HbA1c for diabetes control), latest value."""
    for m in group.measures:
        if not ctx.lexicon.is_a(f.concept, m.condition):
            continue
        vals = [g for g in ctx.profile.facts_for(m.concept, ctx.lexicon) if trustworthy(g) and num(g.value) is not None]
        if vals:
            v = num(vals[-1].value)
            assert v is not None
            return compare(v, m.comparator, m.value, None), f"{m.concept} {v:g}"
    return None


def judge(groups: list[QualifierGroup], f: Fact, ctx: MatchContext) -> tuple[str, str, bool]:
    """All qualifiers must hold: any 'no' decides no, all 'yes' decide yes, else unknown. The flag
    says whether the note's own words (or a measured lab) decided, rather than a default."""
    when = event_date(f)
    # "recent" counts only for an event whose date the text states (MI in June), not for a chronic condition
    recent = has_event_date(f) and (when or dt.date.min) >= ctx.as_of - dt.timedelta(days=settings().recent_event_days)
    remote = when is not None and when != fact_date(f) and not recent
    verdicts = [support(g, f, recent=recent, measured=measured(g, f, ctx), remote=remote) for g in groups]
    explicit = any(w not in ("", "current", "past", "recent", "remote") for _, w in verdicts)
    for s_, w in verdicts:
        if s_ == "no":
            return "no", w, explicit
    if all(s_ == "yes" for s_, _ in verdicts):
        return "yes", ", ".join(w for _, w in verdicts), explicit
    return "unknown", "", explicit


def presence_qualified(c: Constraint, groups: list[QualifierGroup], ctx: MatchContext, aff: list[Fact],
                       exclusion: bool = False) -> Outcome:
    """A documented condition counts only if its note context supports the criterion's qualifiers;
    the latest mention whose own words decide wins over older or undecided ones."""
    name = c.concept.replace("_", " ")
    word = "/".join(g.id.split(".")[-1] for g in groups)
    judged = [(f, *judge(groups, f, ctx)) for f in aff]
    explicit = [(f, s_, w) for f, s_, w, e in judged if e and s_ != "unknown"]
    implicit_yes = [f for f, s_, _, e in judged if s_ == "yes" and not e]
    if explicit and (not implicit_yes
                     or (fact_date(explicit[-1][0]) or dt.date.min) >= (fact_date(implicit_yes[-1]) or dt.date.min)):
        f, s_, w = explicit[-1]
        if s_ == "yes":
            return Outcome(MET, ctx.ev([f]), f"{name} documented as {w} ({fact_date(f)}); criterion asks {word}")
        return Outcome(NOT_MET, ctx.ev([f]), f"{name} documented as {w} ({fact_date(f)}), criterion asks {word}")
    yes = [(f, w) for f, s_, w, _ in judged if s_ == "yes"]
    if yes:
        f, w = yes[-1]
        return Outcome(MET, ctx.ev([f]), f"{name} documented as {w} ({fact_date(f)}); criterion asks {word}")
    unk = [f for f, s_, _, _ in judged if s_ == "unknown"]
    recent = [f for f in unk if has_event_date(f)
              and (event_date(f) or dt.date.min) >= ctx.as_of - dt.timedelta(days=settings().recent_event_days)]
    if unk and exclusion and not recent and all(g.unstated_clears_exclusion for g in groups):
        # a recent event (an MI two months ago) may still be the unstable form: only a lasting condition is cleared
        return Outcome(NOT_MET, ctx.ev(unk[-1:]), f"{name} documented ({fact_date(unk[-1])}); nothing describes it as "
                       f"{word}")
    if unk:
        return Outcome(UNKNOWN, ctx.ev(unk[-2:]),
                       f"{name} documented ({fact_date(unk[-1])}); whether {word} is not stated")
    f, _, w, _ = judged[-1]
    if not exclusion and all(w_ in ("past", "remote") for _, _, w_, _ in judged):
        # "a history of asthma for 3 years": a history is no firm evidence that a lasting condition is over
        return Outcome(UNKNOWN, ctx.ev([f]), f"{name} documented as {w} ({fact_date(f)}), no word says whether it is "
                       f"{word}", [c.concept])
    return Outcome(NOT_MET, ctx.ev([f]), f"{name} documented as {w} ({fact_date(f)}), criterion asks {word}")
