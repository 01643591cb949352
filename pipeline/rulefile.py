"""Read rule and lexicon files (JSONL, one validated record per line) with errors that name file and line."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable, TypeVar

from pydantic import ValidationError

from .errors import E, ModelDataError

T = TypeVar("T")


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
