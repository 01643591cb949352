"""Case-insensitive scans done over the lower-cased text find the same spans."""
import re

import pytest

from pipeline.extract.casefold import ascii_lower, lower_twin, scan_pair


@pytest.mark.parametrize("pattern,twin", [
    (r"(?<![A-Za-z0-9])(?:cancer|carcinoma)(?![A-Za-z0-9])", True),
    (r"[\s\-_/\u00a0]*tumou?r\b", True),
    (r"(?P<Age>\d+)\s*y/?o\b", True),
    (r"\Dfoo\W", True),
    (r"\x61bc", True),
    (r"O2|In |[A-Z]x", True),  # letters are lower-cased in the twin (the same under IGNORECASE)
    (r"[A-z]", False),         # a range from an upper-case letter to a non-letter
    (r"[0-Z]", False),
    (r"\x41bc", False),        # 'A' written as an escape
    (r"\N{LATIN SMALL LETTER A}", False),
    (r"(?-i:abc)", False),
    (r"a\\B", True),           # an escaped backslash, then a literal B (lower-cased)
])
def test_lower_twin_only_for_patterns_without_upper_case_letters(pattern, twin):
    assert (lower_twin(re.compile(pattern, re.IGNORECASE)) is not None) is twin


def test_lower_twin_needs_ignorecase():
    assert lower_twin(re.compile("abc")) is None


def test_ascii_lower_keeps_offsets_or_declines():
    assert ascii_lower("Known HIV, CANCER") == "known hiv, cancer"
    assert ascii_lower("İstanbul Carcinoma") is None  # lower-casing would move offsets


@pytest.mark.parametrize("text", [
    "Squamous CELL Carcinoma of the tonsil; TUMOR board. cancer-free, precancerous",
    "Tumour 3 cm (carcinoma) \u00e9tat, CARCINOMA",  # not ASCII: the original scan
    "Kelvin \u212a, long s \u017f: carcinoma",
])
@pytest.mark.parametrize("source", [
    r"(?<![A-Za-z0-9])(?:squamous|carcinoma|tumou?r|cancer)(?![A-Za-z0-9])",
    r"(?<![\w-])(?:SCC|Tumou?r|[C-D]ancer|[^a-z ]ell)(?![\w-])",
    r"(?<=Of )(?P<Site>[a-z]+)|\bCARCINOMA\b",
])
def test_scan_pair_finds_the_same_spans(text, source):
    rx = re.compile(source, re.IGNORECASE)
    pattern, scanned = scan_pair(rx, text)
    assert [m.span() for m in pattern.finditer(scanned)] == [m.span() for m in rx.finditer(text)]
