"""Case-insensitive scans of ASCII text, done as case-sensitive scans of its lower-case copy.

Python's ``re`` gives up its fast literal and first-character scanning under ``IGNORECASE``; the same
pattern without the flag, run over ``text.lower()``, finds the same spans several times faster. The two
agree when lower-casing keeps every offset and case folding is plain ASCII (``text.isascii()``) and when
the pattern's own letters are lower case (``lower_twin`` checks its source), so a caller that reads only
the spans of the matches (never their text) may use either. Any other text or pattern keeps the original.
"""
from __future__ import annotations

import re
from functools import lru_cache

_LAST: tuple[str | None, str | None] = (None, None)

_CASE_CLOSED = re.compile(r"A-Za-z|a-zA-Z")
"""Character-class ranges that hold both cases of every letter (the same with and without the flag)."""
_SAFE_ESCAPE = re.compile(r"\\(?:[^A-Za-z0-9]|[dDsSwWbBAZntrfv]|[1-9](?![0-9]))")
"""Escapes whose meaning does not depend on case: escaped punctuation, classes, anchors, back-references."""
_HEX_ESCAPE = re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")
_GROUP_NAME = re.compile(r"\(\?P(?:<\w+>|=\w+\))")
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]+[:)]")


def ascii_lower(text: str) -> str | None:
    """``text.lower()`` when ``text`` is ASCII (offsets unchanged), else None; kept for the last text asked
    about (the same string object), since a note's scans ask for it several times."""
    global _LAST
    if _LAST[0] is not text:
        _LAST = (text, text.lower() if text.isascii() else None)
    return _LAST[1]


@lru_cache(maxsize=256)
def lower_twin(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """``rx`` without ``IGNORECASE``, when its matches over a lower-cased ASCII text are ``rx``'s over the
    text: the flag is set and no upper-case letter is left in the source once escapes, group names and
    both-case ranges are set aside. None otherwise."""
    if not rx.flags & re.IGNORECASE or _INLINE_FLAGS.search(rx.pattern):
        return None
    source = rx.pattern.replace("\\\\", "")  # an escaped backslash is a plain character
    if any("A" <= chr(int(h[2:], 16)) <= "Z" for h in _HEX_ESCAPE.findall(source)):
        return None
    rest = _CASE_CLOSED.sub("", _GROUP_NAME.sub("", _HEX_ESCAPE.sub("", source)))
    rest = _SAFE_ESCAPE.sub("", rest)
    if "\\" in rest or re.search(r"[A-Z]", rest):
        return None  # an escape that might name a letter (\N{...}, octal), or an upper-case letter
    return re.compile(rx.pattern, rx.flags & ~re.IGNORECASE)


_TWIN_OF: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}
"""``lower_twin`` by pattern identity: hashing a compiled pattern hashes its whole program (the lexicon's is
large), so the cache above is asked once per pattern object, not once per note."""


def scan_pair(rx: re.Pattern[str], text: str) -> tuple[re.Pattern[str], str]:
    """The pattern and the text to scan for ``rx``'s match spans in ``text``: the lower-case twins when
    both exist, else ``(rx, text)``. Match offsets are the same either way; matched text may be lower-cased."""
    known = _TWIN_OF.get(id(rx))
    if known is None or known[0] is not rx:
        if len(_TWIN_OF) > 256:
            _TWIN_OF.clear()
        known = _TWIN_OF[id(rx)] = (rx, lower_twin(rx))
    twin = known[1]
    low = ascii_lower(text) if twin is not None else None
    return (twin, low) if twin is not None and low is not None else (rx, text)
