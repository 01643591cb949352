"""A criterion's and/or/not tree as one readable line, without double negatives.

``I8``: ``hemoglobin >= 100 g/L [<= 2 week to first_dose] and no transfusion and (wbc >= 4 10^9/L
or anc >=
2 10^9/L)``. A constraint that asks for absence (``negated`` or comparator ``absent``; both
together mean
absent once, as the matcher reads them) reads "no X"; a NOT over it reads "X" (the two negations
cancel,
exactly as three-valued NOT does); a NOT over a carve-out of an exclusion reads "except X". A
criterion
without a tree reads as the matcher's default: an inclusion requires all its constraints, an
exclusion any.
"""

from __future__ import annotations

from ..schema import Constraint, Criterion, LogicNode

PRESENCE = ("present", "absent")


def asks_absence(c: Constraint) -> bool:
    """True when the constraint is met by the item's absence ("no transfusion")."""
    return c.negated or c.comparator == "absent"


def _core(c: Constraint) -> str:
    """The constraint read positively: concept, comparator, value, unit/ULN, qualifiers, window."""
    from .tables import constraint_summary

    positive = "present" if c.comparator in PRESENCE else c.comparator
    shown = {
        k: v for k, v in c.attributes.items() if k != "role"
    }  # the role is the tree's shape, shown by it
    return constraint_summary(
        c.model_copy(update={"negated": False, "comparator": positive, "attributes": shown})
    )


def constraint_text(c: Constraint, flipped: bool = False) -> str:
    """One constraint, read with its polarity (``flipped``: under an odd number of NOTs)."""
    core = _core(c)
    if asks_absence(c) == flipped:
        return core
    return f"no {core}" if c.comparator in PRESENCE else f"not {core}"


def _is_carve_out(node: str | LogicNode, by_id: dict[str, Constraint]) -> bool:
    leaves = [node] if isinstance(node, str) else [a for a in node.args if isinstance(a, str)]

    def carved(
        leaf: str,
    ) -> bool:  # a carve-out asking absence would make "except" a double negative
        c = by_id.get(leaf)
        return c is not None and c.attributes.get("role") == "carve_out" and not asks_absence(c)

    return (
        bool(leaves)
        and all(map(carved, leaves))
        and (isinstance(node, str) or len(leaves) == len(node.args))
    )


def _render(
    node: str | LogicNode, by_id: dict[str, Constraint], flipped: bool, top: bool = False
) -> str:
    if isinstance(node, str):
        c = by_id.get(node)
        return constraint_text(c, flipped) if c is not None else f"?{node}"
    if node.op == "not":
        return _render(node.args[0], by_id, not flipped, top) if node.args else "?"
    excepts = [
        a
        for a in node.args
        if node.op == "and"
        and not flipped
        and isinstance(a, LogicNode)
        and a.op == "not"
        and a.args
        and _is_carve_out(a.args[0], by_id)
    ]
    parts = [_render(a, by_id, False) for a in node.args if a not in excepts]
    text = f" {node.op} ".join(parts)
    if excepts:
        text += " except " + " or ".join(_render(a.args[0], by_id, False) for a in excepts)
    if flipped:
        return f"not ({text})"
    return text if top or len(parts) + len(excepts) < 2 else f"({text})"


def logic_text(criterion: Criterion) -> str:
    """The criterion's tree as one line (an empty string when it has no constraints)."""
    from ..match.logic import default_tree

    tree = default_tree(criterion)
    if tree is None:
        return ""
    return _render(tree, {c.id: c for c in criterion.constraints}, False, top=True)
