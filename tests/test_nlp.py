"""The note pipeline's tokenizer: whitespace special cases dropped, tokens unchanged."""
from __future__ import annotations

import pytest
import spacy

from pipeline.nlp import drop_whitespace_special_cases


@pytest.mark.parametrize(
    "text",
    [
        "HISTORY:\nHe has a cough.\n\nPLAN:  Dr. Smith will see him.",
        "Labs:\xa0Hb 11.2 g/dL\tPLT 180  K/uL\r\nCr 1.1 (0.6-1.2)",
        "It can't be excluded.\n  - no fever\n\\n literal backslash-n",
    ],
)
def test_drop_whitespace_special_cases_keeps_tokens(text):
    stock, ours = spacy.blank("en"), spacy.blank("en")
    drop_whitespace_special_cases(ours)
    assert [(t.text, t.idx, t.whitespace_) for t in ours.make_doc(text)] == [
        (t.text, t.idx, t.whitespace_) for t in stock.make_doc(text)]


def test_drop_whitespace_special_cases_removes_only_whitespace_keys():
    nlp = spacy.blank("en")
    before = set(nlp.tokenizer.rules)
    drop_whitespace_special_cases(nlp)
    assert before - set(nlp.tokenizer.rules) == {k for k in before if k.isspace()} != set()
