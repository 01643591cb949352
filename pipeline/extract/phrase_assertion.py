"""The assertion of a phrase found in a note by the open-vocabulary search, decided as a fact's is.

A criterion's words outside the lexicon ("cochlear implant", "bleeding") are looked up in the notes by
``textsearch.find_phrase``. Where such a phrase stands in "no cochlear implant" or "mother had a DVT", the hit
is no evidence that the patient has it. This module runs the note pipeline's own section, sentence and ConText
components over the note with the hit as the only target, and reads the flags exactly as ``ts_facts`` does
(``assertion.decide``, the section's assertion, a form label answered "no"), so a phrase found by search and a
lexicon mention in the same place get the same assertion.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..schema import Cue
from .assertion import FLAG_OF, cue_of, decide, label_answer_negation, line_end, section_cue, zero_answer
from .sections import section_at

FLAG_ORDER = ("negated", "family", "hypothetical", "uncertain", "historical")
"""Which flag names the assertion when several hold (the order of ``match.profile.assertion_of``)."""


@lru_cache(maxsize=32)  # a patient's hits come from a few notes
def _doc(text: str) -> Any:
    """The note with the pipeline's sections and sentences (no mentions or facts)."""
    from ..nlp import get_nlp

    nlp = get_nlp()
    doc = nlp.make_doc(text)
    for name in ("ts_sections", "ts_sentences"):
        doc = nlp.get_pipe(name)(doc)
    return doc


def phrase_assertion(text: str, start: int, end: int) -> tuple[str, Cue | None]:
    """``("affirmed", None)`` or the flag that holds for ``text[start:end]`` with the cue that set it."""
    from ..nlp import get_nlp

    doc = _doc(text)
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return "affirmed", None
    context: Any = get_nlp().get_pipe("ts_context")  # a ContextComponent
    doc.spans[context.span_group] = [span]
    try:
        context(doc)
        memo: dict[int, tuple[str, str, int, int]] = {}
        mods = [cue_of(doc, m, memo) for m in span._.modifiers]
        mods = [m for m in mods if not (m[2] >= start and m[3] <= end)]  # a cue inside the phrase is part of it
    finally:
        span._.modifiers = ()
        del doc.spans[context.span_group]
    sec = section_at(doc._.ts_sections or [], start)
    sec_assertion = sec.assertion if sec is not None and sec.assertion != "history" else None
    sec_cue = section_cue(text, sec) if sec_assertion and sec is not None else None
    a = decide(mods, section_assertion=sec_assertion, section_cue=sec_cue)
    answer = label_answer_negation(text, end, line_end(text, end), start) or zero_answer(text, end, line_end(text, end))
    if answer is not None:
        a.set("negated", answer)
    for flag in FLAG_ORDER:
        if getattr(a, flag):
            hit = next((c for c in a.cues if FLAG_OF.get(c.category, c.category[len("SECTION_"):].lower()) == flag),
                       None)
            return flag, (Cue(category=hit.category, text=hit.text, start=hit.start, end=hit.end) if hit else None)
    return "affirmed", None
