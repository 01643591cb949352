"""Unit normalisation and conversion (pint, plus molar masses for mass <-> molar)."""
from __future__ import annotations

import pytest

from pipeline.extract.units import canonical_unit_text, convert


@pytest.mark.parametrize(
    "value,unit,target,concept,expected",
    [
        (12.1, "g/dL", "g/L", None, 121.0),
        (150, "K/uL", "10^9/L", None, 150.0),
        (4.0, "×10^9/L", "x10^3/µL", None, 4.0),
        (2000, "/mm3", "10^9/L", None, 2.0),
        (1.0, "mg/dL", "µmol/L", "creatinine", 88.4),
        (1.0, "mg/dL", "umol/L", "total_bilirubin", 17.1),
        (20, "mg/dL", "mg/L", None, 200.0),
        (2.0, "L", "ml", None, 2000.0),
        (10.0, "mg/dL", "mmol/L", "calcium", 2.495),
        (200, "mg/dL", "mmol/L", "total_cholesterol", 5.17),
    ],
)
def test_convert_clinical_units(value, unit, target, concept, expected):
    assert convert(value, unit, target, concept) == pytest.approx(expected, rel=2e-3)


def test_convert_refuses_mass_to_molar_without_molar_mass():
    assert convert(1.0, "mg/dL", "umol/L", None) is None


def test_convert_refuses_incompatible_units():
    assert convert(1.0, "g/L", "mL/min") is None


def test_unknown_unit_has_no_canonical_form():
    assert canonical_unit_text("furlongs/fortnight") is None


def test_convert_mass_to_molar_concentration_is_impossible_not_a_crash():
    # pint divides by zero converting a bare mass to a concentration in the chemistry context
    # (NCT01265550's "creatinine ... 2 mg" against a note in µmol/L)
    assert convert(2.0, "mg", "umol/L", "creatinine") is None
