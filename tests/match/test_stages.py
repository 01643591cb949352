"""A stage asked of a disease ('Stage III or IV NSCLC', 'Stage IV NSCLC', 'COPD stage III or IV'): the patient's
stage is compared with it, a metastatic disease being stage IV and COPD being staged by GOLD."""
from __future__ import annotations

import pytest
from match_builders import screened

from pipeline.extract.criteria import parse_criteria_text


def _verdict(section: str, criterion: str, text: str) -> tuple[str, str]:
    v = screened(section, criterion, text)
    return v.verdict, v.reason


STAGE_IVA = "Assessment: lung adenocarcinoma cT2bN2M1b, stage IVA (AJCC 8th ed)."


@pytest.mark.parametrize("criterion", ["Stage IV NSCLC", "Stage III or IV NSCLC", "Stage IIIB-IV NSCLC"])
def test_a_documented_stage_inside_the_range_meets_it(criterion):
    assert _verdict("Inclusion", criterion, STAGE_IVA)[0] == "met"


def test_a_metastatic_disease_is_stage_iv():
    assert _verdict("Inclusion", "Stage IV NSCLC", "Metastatic NSCLC to bone and liver.")[0] == "met"


def test_a_stage_outside_an_inclusion_goes_to_review_not_ineligible():
    verdict, reason = _verdict("Inclusion", "Stage I-III breast cancer", "Breast cancer, stage IV (bone).")
    assert verdict == "unknown" and "stage 4 documented" in reason


def test_a_whole_stage_does_not_meet_a_substage_limit():
    verdict, reason = _verdict("Inclusion", "Stage IIIB-IV NSCLC", "NSCLC stage IIIA, unresectable.")
    assert verdict == "unknown" and "IIIB" in reason


def test_copd_is_staged_by_gold():
    assert _verdict("Inclusion", "COPD stage III or IV according to GOLD criteria",
                    "Pulmonology: COPD GOLD 3, FEV1 39% predicted.")[0] == "met"


def test_the_stage_of_a_disease_is_marked_when_the_listing_parses_it():
    (k,) = parse_criteria_text("Inclusion Criteria:\n- Stage IV NSCLC\n").criteria[0].constraints
    assert (k.concept, k.value, k.attributes.get("stage")) == ("nsclc", 4.0, "true")

