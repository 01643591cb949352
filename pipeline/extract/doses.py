"""The amount of a drug a medication line says the patient takes a day ('OxyContin 10 mg bd': 20 mg; 'MTX 15 mg
weekly': 15 mg a week, the amount of one dose). Pure functions over the raw text after the mention; the words are
``note_context.json`` ``dose_pattern``, ``dose_frequencies`` and ``as_needed_pattern``."""
from __future__ import annotations

import re
from functools import lru_cache

from .values import Value


@lru_cache(maxsize=1)
def _rules() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, float], re.Pattern[str]]:
    from .note_rules import rules

    r = rules()
    freqs = {" ".join(k.lower().split()): v for k, v in r.dose_frequencies.items()}
    words = sorted(freqs, key=len, reverse=True)
    freq_rx = re.compile(r"[\s,]*(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")(?!\w)"
                         if words else r"(?!x)x", re.IGNORECASE)
    return (re.compile(r.dose_pattern, re.IGNORECASE), freq_rx, freqs,
            re.compile(r.as_needed_pattern, re.IGNORECASE))


def daily_dose(text: str, start: int, limit: int) -> Value | None:
    """The dose written right after a drug's name up to ``limit``: per day when a daily frequency or '/day' is
    written (the amount times the doses a day), the amount of one dose for a weekly drug; None without a frequency
    (a single amount tells no daily dose) or when taken only as needed."""
    dose_rx, freq_rx, freqs, prn_rx = _rules()
    m = dose_rx.match(text, start, limit)
    if m is None:
        return None
    amount = float(m.group("amount"))
    unit = m.group("unit").lower().replace("µg", "mcg").replace("ug", "mcg")
    end = m.end()
    if m.group("per"):
        per_day = 1.0
    else:
        f = freq_rx.match(text, end, limit)
        if f is None:
            return None
        per_day = freqs[" ".join(f.group(0).strip(" \t,").lower().split())]
        end = f.end()
    if prn_rx.match(text, end, limit):
        return None
    value = amount * per_day if per_day >= 1 else amount
    return Value(round(value, 3), unit, start, end, {"raw_value": text[m.start("amount"):end].strip()})
