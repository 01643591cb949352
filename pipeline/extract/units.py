"""Units: parse surface forms and convert to each concept's canonical unit with pint.

Molar conversions (mg/dL <-> µmol/L) need the analyte's molar mass, which is data
(``models/units/molar_masses.json``); everything else is pint's dimensional arithmetic.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

import pint

from ..resources import data_file, models_path
from ..rule_schemas import LabUnits, MolarMasses, UnitAliases
from ..rulefile import read_json_data


@lru_cache(maxsize=1)
def molar_masses() -> dict[str, float]:
    """Analyte -> molar mass in g/mol (``models/units/molar_masses.json``)."""
    data = read_json_data(models_path("units", "molar_masses.json"), MolarMasses)
    return {k: float(v) for k, v in data.items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    ureg: pint.UnitRegistry = pint.UnitRegistry()
    ureg.load_definitions(str(data_file(models_path("units", "units.txt"))))
    return ureg


@lru_cache(maxsize=1)
def _aliases() -> tuple[dict[str, str], dict[str, str]]:
    data = read_json_data(models_path("units", "aliases.json"), UnitAliases)
    return data, {k.lower(): v for k, v in data.items()}


def canonical_unit_text(raw: str) -> Optional[str]:
    """The pint expression for a unit as written (``"x10^9/L"`` -> ``"G_per_L"``), or None if unknown."""
    key = re.sub(r"\s+", "", raw.replace("×", "x"))
    exact, lower = _aliases()
    for candidate in (key, key.lstrip("x*"), raw.strip()):
        if candidate in exact:
            return exact[candidate]
        if candidate.lower() in lower:
            return lower[candidate.lower()]
    return None


def convert(value: float, unit: str, target: str, concept: Optional[str] = None) -> Optional[float]:
    """``value`` in ``unit`` (surface form) expressed in ``target`` (surface form), or None if impossible.

    Mass <-> molar conversions use the concept's molar mass.
    """
    src, dst = canonical_unit_text(unit), canonical_unit_text(target)
    if src is None or dst is None:
        return None
    ureg = registry()
    try:
        q = ureg.Quantity(value, src)
        mw = molar_masses().get(concept or "")
        if mw is not None:
            with ureg.context("chemistry", mw=mw * ureg("g/mol")):
                return float(q.to(dst).magnitude)
        return float(q.to(dst).magnitude)
    except (pint.errors.PintError, ArithmeticError, ValueError):
        # ArithmeticError: a conversion through a zero factor (a score "unit" defined as 0 x something)
        # divides by zero; the caller reports "cannot convert", so the criterion is unknown with its reason
        return None


def same_dimension(unit_a: str, unit_b: str) -> bool:
    return convert(1.0, unit_a, unit_b) is not None


@lru_cache(maxsize=1)
def lab_rules() -> dict:
    """Per-lab defaults for values written without a unit (by magnitude), from data."""
    return read_json_data(models_path("rules", "lab_units.json"), LabUnits)


def unit_by_magnitude(concept: str, num: float) -> str | None:
    """The unit a value written without one has, by its magnitude (``lab_units.json`` bands); None outside them."""
    for lo, hi, assumed in lab_rules().get(concept, []):
        if lo <= num < hi:
            return assumed
    return None
