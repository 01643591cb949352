"""'Adequate organ function' and its kin: a criterion naming organ systems without limits, read with the usual
limits (``models/rules/composites.json``).

Each system's definition is parsed like any criterion text; its constraints then point at the listing's own
phrase ("Adequate organ function"), so evidence still quotes the listing, and carry ``limit: conventional``: a
value inside the usual limits meets the criterion, one outside them is left to review (the matcher's job), since
the listing states no limit of its own."""
from __future__ import annotations

import re
from functools import lru_cache

from ...resources import models_path
from ...rule_schemas import Composites
from ...rulefile import read_json_data
from ...schema import CONVENTIONAL_LIMIT, Constraint, Criterion, LogicNode
from .context import ListingContext


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _rules() -> tuple[re.Pattern[str], dict[str, str], dict[str, str], frozenset[str]]:
    data = read_json_data(models_path("rules", "composites.json"), Composites)
    system_of = {w.lower(): name for name, s in data["systems"].items() for w in s["words"]}
    every = frozenset(w.lower() for w in data["all_systems"])
    word = _alt(list(system_of) + list(every))
    pattern = re.compile(
        rf"\b(?:{_alt(data['lead'])})\s+(?P<systems>(?:{word})(?:\s*(?:,|/|&|\band\b)\s*(?:and\s+)?(?:{word}))*)"
        rf"\s+(?:{_alt(data['nouns'])})\b",
        re.IGNORECASE,
    )
    definitions = {name: s["definition"] for name, s in data["systems"].items()}
    return pattern, system_of, definitions, every


def _systems(phrase: str) -> list[str]:
    pattern, system_of, definitions, every = _rules()
    names: list[str] = []
    for w in re.split(r"\s*(?:,|/|&|\band\b)\s*", phrase.lower()):
        w = " ".join(w.replace("-", " ").split())
        if w in every or w.replace(" ", "-") in every:
            return list(definitions)
        name = system_of.get(w)
        if name is not None and name not in names:
            names.append(name)
    return names


def _renumber(node: LogicNode | str, ids: dict[str, str]) -> LogicNode | str:
    if isinstance(node, str):
        return ids[node]
    return LogicNode(op=node.op, args=[_renumber(a, ids) for a in node.args])


def expand_composite(crit: Criterion, text: str) -> Criterion:
    """The criterion with its organ-function phrase read as the usual limits, when that phrase is all it asks
    (every constraint it has is open vocabulary); otherwise unchanged."""
    from .criterion import extract_constraints

    if any(not c.open_vocabulary for c in crit.constraints):
        return crit
    pattern, _, definitions, _ = _rules()
    m = pattern.search(text, crit.start, crit.end)
    if m is None:
        return crit
    systems = _systems(m.group("systems"))
    if not systems:
        return crit
    constraints: list[Constraint] = []
    parts: list[LogicNode | str] = []
    for name in systems:
        definition = definitions[name]
        sub = extract_constraints(definition, 0, len(definition), crit.id, crit.kind,
                                  ListingContext.build(definition, (0, len(definition))))
        ids: dict[str, str] = {}
        for c in sub.constraints:
            ids[c.id] = f"{crit.id}.c{len(constraints) + 1}"
            constraints.append(c.model_copy(update={
                "id": ids[c.id], "start": m.start(), "end": m.end(), "text": m.group(0),
                "spans": {"concept": (m.start(), m.end())}, "context": None,
                "attributes": {**c.attributes, "limit": CONVENTIONAL_LIMIT, "composite": name},
            }))
        if sub.logic is not None:
            parts.append(_renumber(sub.logic, ids))
    if not constraints:
        return crit
    logic = parts[0] if len(parts) == 1 and isinstance(parts[0], LogicNode) else LogicNode(op="and", args=parts)
    return crit.model_copy(update={
        "constraints": constraints, "logic": logic, "computable": True, "category": "laboratory",
        "reason": f"no limits stated: read as the usual limits for {', '.join(systems)} function "
                  "(models/rules/composites.json); a value outside them is left to review",
    })
