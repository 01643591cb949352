"""Case-insensitive scans of ASCII text, done as case-sensitive scans of its lower-case copy.

Python's ``re`` gives up its fast literal and first-character scanning under ``IGNORECASE``; the same
pattern without the flag and with its literal letters lower-cased (``lower_twin``), run over ``text.lower()``,
finds the same spans several times faster. The two agree when lower-casing keeps every offset and case folding
is plain ASCII (``text.isascii()``), so a caller that reads only the spans of the matches (or words it
lower-cases anyway) may use either; one that quotes a match reads it from the original text by its offsets.
Any other text, or a pattern the rewrite cannot be sure of, keeps the original scan.
"""
from __future__ import annotations

import re
from functools import lru_cache

_LAST: tuple[str | None, str | None] = (None, None)

_GROUP_NAME = re.compile(r"\(\?P(?:<\w+>|=\w+\))")
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]+[:)]|\(\?#")
_HEX_ESCAPE = re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")
_CASELESS_ESCAPES = frozenset("dDsSwWbBAZntrfv")
"""Escaped letters whose meaning does not depend on case (classes, anchors, control characters)."""


def _lowered_source(pattern: str) -> str | None:
    """``pattern`` with every literal letter lower-cased (the same pattern under ``IGNORECASE``), or None when
    a letter is written in a way this cannot rewrite safely (an escape naming a character, a range from
    an upper-case letter to a non-letter or a lower-case one)."""
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\":
            hexed = _HEX_ESCAPE.match(pattern, i)
            if hexed:
                if "A" <= chr(int(hexed.group(0)[2:], 16)) <= "Z":
                    return None
                out.append(hexed.group(0))
                i = hexed.end()
                continue
            nxt = pattern[i + 1:i + 2]
            if nxt.isalpha() and nxt not in _CASELESS_ESCAPES or nxt == "0" or (nxt.isdigit() and in_class):
                return None  # \x41, \N{...}, octal: a character named by number
            if nxt.isdigit() and pattern[i + 2:i + 3].isdigit():
                return None
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if not in_class:
            named = _GROUP_NAME.match(pattern, i)
            if named:
                out.append(named.group(0))
                i = named.end()
                continue
            if c == "[":
                in_class, j = True, i + 1
                j += pattern.startswith("^", j)
                j += pattern.startswith("]", j)  # a leading ']' is a member
                out.append(pattern[i:j])
                i = j
                continue
            out.append(c.lower())
            i += 1
            continue
        if c == "]":
            in_class = False
            out.append(c)
            i += 1
            continue
        if pattern[i + 1:i + 2] == "-" and pattern[i + 2:i + 3] not in ("", "]", "\\"):
            lo, hi = c, pattern[i + 2]
            if lo.isupper() or hi.isupper():
                if not ("A" <= lo <= "Z" and "A" <= hi <= "Z"):
                    return None
            out.append(f"{lo.lower()}-{hi.lower()}")
            i += 3
            continue
        out.append(c.lower())
        i += 1
    return "".join(out)


def ascii_lower(text: str) -> str | None:
    """``text.lower()`` when ``text`` is ASCII (offsets unchanged), else None; kept for the last text asked
    about (the same string object), since a note's scans ask for it several times."""
    global _LAST
    if _LAST[0] is not text:
        _LAST = (text, text.lower() if text.isascii() else None)
    return _LAST[1]


@lru_cache(maxsize=256)
def lower_twin(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """``rx`` without ``IGNORECASE`` and with its letters lower-cased: over a lower-cased ASCII text it matches
    where ``rx`` matches over the text. None when ``rx`` is not case-insensitive or cannot be rewritten."""
    if not rx.flags & re.IGNORECASE or _INLINE_FLAGS.search(rx.pattern):
        return None
    source = _lowered_source(rx.pattern)
    if source is None:
        return None
    try:
        return re.compile(source, rx.flags & ~re.IGNORECASE)
    except re.error:
        return None


_TWIN_OF: dict[int, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}
"""``lower_twin`` by pattern identity: hashing a compiled pattern hashes its whole program (the lexicon's is
large), so the cache above is asked once per pattern object, not once per note."""


def _twin(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    known = _TWIN_OF.get(id(rx))
    if known is None or known[0] is not rx:
        if len(_TWIN_OF) > 256:
            _TWIN_OF.clear()
        known = _TWIN_OF[id(rx)] = (rx, lower_twin(rx))
    return known[1]


def scan_pair(rx: re.Pattern[str], text: str) -> tuple[re.Pattern[str], str]:
    """The pattern and the text to scan for ``rx``'s match spans in ``text``: the lower-case twins when
    both exist, else ``(rx, text)``. Match offsets are the same either way; matched text may be lower-cased."""
    twin = _twin(rx)
    low = ascii_lower(text) if twin is not None else None
    return (twin, low) if twin is not None and low is not None else (rx, text)


def search(rx: re.Pattern[str], text: str, pos: int, endpos: int) -> re.Match[str] | None:
    """``rx.search(text, pos, endpos)``, for its span only (the match's text may be lower-cased)."""
    pattern, scanned = scan_pair(rx, text)
    return pattern.search(scanned, pos, endpos)


def search_in(rx: re.Pattern[str], piece: str) -> re.Match[str] | None:
    """``rx.search(piece)`` for a short string, for its span only (the match's text may be lower-cased)."""
    twin = _twin(rx)
    return twin.search(piece.lower()) if twin is not None and piece.isascii() else rx.search(piece)


def match_in(rx: re.Pattern[str], piece: str) -> re.Match[str] | None:
    """``rx.match(piece)``, for its span only (as ``search_in``)."""
    twin = _twin(rx)
    return twin.match(piece.lower()) if twin is not None and piece.isascii() else rx.match(piece)
