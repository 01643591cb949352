"""Read rule and lexicon files (JSONL, one validated record per line) with errors that name file and line."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import E, ModelDataError

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


def read_jsonl(path: str | Path, parse: Callable[[dict], T]) -> list[T]:
    """Each non-blank line of ``path`` turned into a record by ``parse`` (e.g. ``Model.model_validate``).

    Invalid JSON, a failed validation, a ``ValueError`` or a bad regex raised by ``parse`` becomes a
    ``ModelDataError`` (E020) naming the file and line, so a typo in a rule fails at load time.
    """
    out: list[T] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                out.append(parse(json.loads(line)))
            except (json.JSONDecodeError, ValidationError, ValueError, re.error) as err:
                raise ModelDataError(E.E020.format(path=path, line=lineno, detail=str(err).splitlines()[0])) from err
    return out


def read_json(path: str | Path, model: type[M]) -> M:
    """A rule file holding one JSON object (``_comment`` ignored), validated by ``model``; a missing or
    malformed file is E021, a failed validation E020, both naming the file."""
    try:
        data: Any = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ModelDataError(E.E021.format(path=path, detail=err)) from err
    if isinstance(data, dict):
        data.pop("_comment", None)
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise ModelDataError(E.E020.format(path=path, line=1, detail=str(err).splitlines()[0])) from err


def words_pattern(words: "tuple[str, ...] | list[str]") -> re.Pattern[str]:
    """Alternatives (regular expressions) matched case-insensitively as whole words (not inside a word or a hyphenated one)."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])", re.IGNORECASE)
