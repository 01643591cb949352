"""Read rule and lexicon files (JSON / JSONL, validated by a schema) with errors that name file, line and field.

Every packaged rule file goes through ``read_jsonl``, ``read_json`` or ``read_json_data``: a missing or
empty file is E023, invalid JSON or a record its schema rejects (unknown key, wrong type, a pattern that
does not compile) is E020 naming the line and the field, so a typo in a rule fails at load time.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ValidationError

from .errors import E, ModelDataError

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as err:
        raise ValueError(f"not a valid regular expression ({err})") from err
    return pattern


Regex = Annotated[str, AfterValidator(_compiles)]
"""A string field holding a regular expression; one that does not compile fails validation."""


def field_detail(err: ValidationError) -> str:
    """The first failed field of ``err`` as ``field 'a.b.2': message (found: value)``."""
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "(record)"
    found = repr(first.get("input"))
    found = found if len(found) <= 60 else found[:57] + "..."
    return f"field '{where}': {first['msg']} (found: {found})"


def _read(path: str | Path) -> str:
    """The text of a rule file; missing, unreadable or blank is E023 (the package or checkout is incomplete)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ModelDataError(E.E023.format(path=path, problem=f"missing or unreadable ({err})")) from err
    if not text.strip():
        raise ModelDataError(E.E023.format(path=path, problem="empty"))
    return text


def read_jsonl(path: str | Path, parse: Callable[[dict], T]) -> list[T]:
    """Each non-blank line of ``path`` turned into a record by ``parse`` (e.g. ``Model.model_validate``).

    Invalid JSON, a failed validation, a ``ValueError`` or a bad regex raised by ``parse`` becomes a
    ``ModelDataError`` (E020) naming the file, line and field; a missing or empty file is E023.
    """
    out: list[T] = []
    for lineno, line in enumerate(_read(path).split("\n"), 1):
        if not line.strip():
            continue
        try:
            out.append(parse(json.loads(line)))
        except ValidationError as err:
            raise ModelDataError(E.E020.format(path=path, line=lineno, detail=field_detail(err))) from err
        except (json.JSONDecodeError, ValueError, re.error) as err:
            raise ModelDataError(E.E020.format(path=path, line=lineno, detail=str(err).splitlines()[0])) from err
    return out


def _key_line(text: str, key: object) -> int:
    """The line on which the top-level ``key`` is written (1 when it cannot be found)."""
    m = re.search(r'^\s*' + re.escape(json.dumps(str(key), ensure_ascii=False)) + r'\s*:', text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _load_object(path: str | Path, model: type[BaseModel]) -> tuple[Any, BaseModel]:
    text = _read(path)
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as err:
        raise ModelDataError(E.E020.format(path=path, line=err.lineno, detail=f"invalid JSON ({err.msg})")) from err
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if not k.startswith("_comment")}
    try:
        return data, model.model_validate(data)
    except ValidationError as err:
        loc = err.errors()[0]["loc"]
        line = _key_line(text, loc[0]) if loc else 1
        raise ModelDataError(E.E020.format(path=path, line=line, detail=field_detail(err))) from err


def read_json(path: str | Path, model: type[M]) -> M:
    """A rule file holding one JSON object (top-level ``_comment*`` keys ignored), validated by ``model``."""
    record = _load_object(path, model)[1]
    assert isinstance(record, model)
    return record


def read_json_data(path: str | Path, model: type[BaseModel]) -> Any:
    """Like ``read_json``, but the file's own data (without ``_comment*`` keys) once ``model`` accepts it,
    for readers that index the JSON themselves."""
    return _load_object(path, model)[0]


def words_pattern(words: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """Alternatives (regular expressions) matched case-insensitively as whole words (not inside a word or a
    hyphenated one)."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])", re.IGNORECASE)
