"""Read back the criteria JSON that ``trialsieve criteria`` prints, so a user can correct a parse
and re-run.

``trialsieve criteria LISTING > trial.json`` writes one :class:`~pipeline.schema.TrialCriteria`
(indented
JSON; several listings give one per line, JSONL). After editing a threshold, ``match trial.json
NOTES`` and
``screen trial.json`` use the edited record instead of parsing a listing. The file is validated
against the
record's schema (``docs/schema/trial_criteria.schema.json``: unknown keys, wrong types and labels
are
rejected) and for what the schema cannot say: ids unique, logic leaves naming the criterion's own
constraints, and every quote equal to the listing text at its offsets (evidence must hold). A bad
file is an
:class:`InputError` naming the file, the record and the field (E003, E007).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import E, InputError
from ..schema import Constraint, Criterion, LogicNode, TrialCriteria

CRITERIA_KEYS = ("trial_id", "criteria")
"""Top-level keys that mark a criteria record (a ClinicalTrials.gov study has
``protocolSection``)."""
LISTING_KEYS = ("protocolSection", "studies", "raw_criteria")


def _objects(path: Path, raw: str) -> list[tuple[str, Any]]:
    """``(record label, parsed JSON)`` for a JSON file (one record) or JSONL (one per line)."""
    try:
        whole_obj = json.loads(raw)
        return [(f"trial {_label(whole_obj)}", whole_obj)]
    except json.JSONDecodeError as whole:
        lines = [(n, line) for n, line in enumerate(raw.splitlines(), 1) if line.strip()]
        if len(lines) < 2:
            raise InputError(
                E.E003.format(path=path, line=whole.lineno, detail=whole.msg)
            ) from whole
    out = []
    for n, line in lines:
        try:
            out.append((f"line {n}", json.loads(line)))
        except json.JSONDecodeError as err:
            raise InputError(E.E003.format(path=path, line=n, detail=err.msg)) from err
    return out


def _label(obj: Any) -> str:
    return str(obj.get("trial_id", "?")) if isinstance(obj, dict) else "?"


def is_criteria_record(obj: Any) -> bool:
    """True for a dict shaped like ``criteria`` output rather than a listing (CT.gov study, flat
    record)."""
    return (
        isinstance(obj, dict)
        and all(k in obj for k in CRITERIA_KEYS)
        and not any(k in obj for k in LISTING_KEYS)
    )


def looks_like_criteria_json(path: Path) -> bool:
    """A ``.json``/``.jsonl`` file whose (first) record is criteria output. An unreadable or
    invalid file
    is not: the listing reader then reports it with its own coded error."""
    if Path(path).suffix.lower() not in (".json", ".jsonl"):
        return False
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    try:
        return is_criteria_record(json.loads(raw))
    except json.JSONDecodeError:
        first = next((line for line in raw.splitlines() if line.strip()), "")
        try:
            return is_criteria_record(json.loads(first))
        except json.JSONDecodeError:
            return False


def _field(loc: Sequence[int | str], obj: Any) -> str:
    """``criteria[7] (I8).constraints[0].value`` from a pydantic error location."""
    parts: list[str] = []
    node = obj
    for step in loc:
        if isinstance(step, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{step}]"]
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict) and "id" in node:
                parts[-1] += f" ({node['id']})"
        elif isinstance(node, dict) or not parts:
            parts.append(step)
            node = node.get(step) if isinstance(node, dict) else None
        # else: a union member's tag ("float") under a scalar, not a field of the file
    return ".".join(parts) or "-"


def _leaves(node: str | LogicNode) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    else:
        for arg in node.args:
            yield from _leaves(arg)


def check_trial(trial: TrialCriteria, path: Path, record: str) -> None:
    """What the schema cannot check: unique ids, logic over own constraints, quotes at their
    offsets."""

    def bad(field: str, detail: str) -> InputError:
        return InputError(E.E007.format(path=path, record=record, field=field, detail=detail))

    def check_quote(part: Criterion | Constraint, field: str) -> None:
        if trial.text[part.start : part.end] != part.text:
            raise bad(field, "does not equal the listing text at start:end; edit values, not quotes")

    seen: set[str] = set()
    for i, c in enumerate(trial.criteria):
        where = f"criteria[{i}] ({c.id})"
        if c.id in seen:
            raise bad(f"{where}.id", f"criterion id {c.id!r} used twice")
        seen.add(c.id)
        check_quote(c, f"{where}.text")
        own = set()
        for j, k in enumerate(c.constraints):
            if k.id in own or k.id in seen:
                raise bad(f"{where}.constraints[{j}].id", f"constraint id {k.id!r} used twice")
            own.add(k.id)
            check_quote(k, f"{where}.constraints[{j}] ({k.id}).text")
        seen |= own
        unknown = [leaf for leaf in (_leaves(c.logic) if c.logic else ()) if leaf not in own]
        if unknown:
            raise bad(f"{where}.logic", f"names {unknown[0]!r}, not a constraint of this criterion")


def read_criteria_json(path: Path) -> list[TrialCriteria]:
    """Every trial in a criteria JSON/JSONL file, validated; :class:`InputError` names file,
    record, field."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InputError(E.E002.format(path=path, offset=err.start)) from err
    except OSError as err:
        raise InputError(E.E001.format(path=path, detail=err.strerror or err)) from err
    trials = []
    for record, obj in _objects(path, raw):
        if not is_criteria_record(obj):
            raise InputError(
                E.E007.format(
                    path=path,
                    record=record,
                    field="-",
                    detail="not criteria output (needs 'trial_id' and 'criteria')",
                )
            )
        try:
            trial = TrialCriteria.model_validate(obj)
        except ValidationError as err:
            first = err.errors()[0]
            raise InputError(
                E.E007.format(
                    path=path,
                    record=record,
                    field=_field(first["loc"], obj),
                    detail=f"{first['msg']}; schema: docs/schema/trial_criteria.schema.json",
                )
            ) from err
        check_trial(trial, path, record)
        trials.append(trial)
    return trials


def load_trials(path: Path) -> list[TrialCriteria]:
    """Criteria output read back, or the listing at ``path`` parsed: what ``match`` and ``screen``
    take."""
    if looks_like_criteria_json(Path(path)):
        return read_criteria_json(Path(path))
    from ..extract.criteria import parse_listing

    return [parse_listing(Path(path))]


def load_trial(path: Path) -> TrialCriteria:
    """Exactly one trial (``match`` screens one): a file holding several is an
    :class:`InputError`."""
    trials = load_trials(path)
    if len(trials) != 1:
        raise InputError(
            E.E007.format(
                path=path,
                record="-",
                field="-",
                detail=f"holds {len(trials)} trials; give one (use `screen` for several)",
            )
        )
    return trials[0]
