"""Reading listings: web-page text, HTML, CT.gov v2 JSON, plain criteria; coded errors naming the file."""
from __future__ import annotations

import json

import pytest

from pipeline.errors import ListingError
from pipeline.extract.criteria import parse_criteria_text, parse_listing
from pipeline.extract.listing import find_region, heading_kind, html_to_text, read_listing

CRITERIA = "Inclusion Criteria:\n\n* Age >= 18 years\n* ECOG 0-1\n\nExclusion Criteria:\n\n* Pregnancy\n"


def ctgov_record(criteria=CRITERIA, **elig):
    return {
        "protocolSection": {
            "identificationModule": {"nctId": "NCT00000001", "briefTitle": "A test study"},
            "eligibilityModule": {"eligibilityCriteria": criteria, "sex": "FEMALE", "minimumAge": "18 Years",
                                  "maximumAge": "80 Years", **elig},
        }
    }


def test_read_listing_ctgov_json_uses_eligibility_module(tmp_path):
    p = tmp_path / "study.json"
    p.write_text(json.dumps(ctgov_record()), encoding="utf-8")
    t = parse_listing(p)
    assert (t.trial_id, t.title, t.min_age, t.max_age, t.sex) == ("NCT00000001", "A test study", 18, 80, "female")
    assert t.text == CRITERIA
    # the structured sex field becomes a criterion of its own (the text states none); ages 18-80 are in I1
    assert [c.id for c in t.criteria] == ["I1", "I2", "E1", "S1"]
    assert [(k.concept, k.comparator, k.value) for k in t.criteria[-1].constraints] == [("sex", "==", "female")]


def test_read_listing_html_offsets_refer_to_emitted_text(tmp_path):
    p = tmp_path / "page.html"
    p.write_text("<html><head><title>Trial X</title><script>var a=1;</script></head><body><nav>Menu</nav>"
                 "<h2>Inclusion Criteria:</h2><ul><li>Age &ge; 18 years</li><li>ECOG 0-1</li></ul>"
                 "<h2>Exclusion Criteria:</h2><ul><li>Pregnancy</li></ul><h2>Study details</h2><p>Sponsor</p></body></html>",
                 encoding="utf-8")
    t = parse_listing(p)
    assert t.title == "Trial X"
    assert [c.text for c in t.criteria] == ["Age ≥ 18 years", "ECOG 0-1", "Pregnancy"]
    for c in t.criteria:
        assert t.text[c.start:c.end] == c.text


def test_html_to_text_drops_scripts_and_makes_list_items_bullets():
    text, title = html_to_text("<title>T</title><script>x()</script><ul><li>One</li><li>Two</li></ul>")
    assert "x()" not in text and "• One" in text and "• Two" in text and title == "T"


def test_find_region_stops_at_page_furniture():
    page = "Menu\nInclusion Criteria:\n• A\nExclusion Criteria:\n• B\nStudy details\nFAQs\n• not a criterion\n"
    s, e, n = find_region(page)
    assert page[s:e] == "Inclusion Criteria:\n• A\nExclusion Criteria:\n• B\n" and n == 2


@pytest.mark.parametrize("line,kind", [
    ("Inclusion Criteria:", "inclusion"),
    ("INCLUSION:", "inclusion"),
    ("Key inclusion criteria", "inclusion"),
    ("Exclusion criteria include:", "exclusion"),
    ("Patients must meet all of the following criteria:", "inclusion"),
    ("Patients meeting any of the following criteria will be excluded:", "exclusion"),
    ("EXCLUSION CRITERIA", "exclusion"),
])
def test_heading_kind_recognises_spellings(line, kind):
    assert heading_kind(line)[0] == kind


@pytest.mark.parametrize("line", ["Inclusion of patients with prior surgery", "Exclusion of brain metastases by MRI"])
def test_heading_kind_ignores_criteria_that_start_with_the_word(line):
    assert heading_kind(line) is None


def test_read_listing_keeps_crlf_offsets(tmp_path):
    p = tmp_path / "NCT1_inc.txt"
    p.write_bytes(b"Age >= 18 years\r\nECOG 0-1\r\n")
    src = read_listing(p)
    assert src.kind == "inclusion" and "\r\n" in src.text
    t = parse_listing(p)
    assert [c.text for c in t.criteria] == ["Age >= 18 years", "ECOG 0-1"]


@pytest.mark.parametrize("content,code", [
    (b"\xff\xfe\x00bad", "E002"),
    (b'{"protocolSection": ', "E003"),
    (b'{"something": 1}', "E011"),
    (json.dumps(ctgov_record(criteria="  ")).encode(), "E010"),
    (b"\n\n   \n", "E010"),
])
def test_read_listing_errors_are_coded_and_name_the_file(tmp_path, content, code):
    p = tmp_path / ("listing.json" if content.startswith(b"{") else "listing.txt")
    p.write_bytes(content)
    with pytest.raises(ListingError) as err:
        parse_listing(p)
    assert f"[{code}]" in str(err.value) and str(p) in str(err.value)


def test_read_listing_missing_file_is_e001(tmp_path):
    with pytest.raises(ListingError, match=r"\[E001\]"):
        parse_listing(tmp_path / "nope.txt")


@pytest.mark.parametrize(
    "body,why",
    [
        ("Hemoglobin >= " + "1" * 50_000 + " g/dL", "longer than"),
        ("Hemoglobin >= " + "1" * 2_000 + " g/dL", "digits"),
        ("not " * 1_000 + "pregnant", "repeated"),
        ("Age 18 " + "(" * 2_000 + "x" + ")" * 2_000, "nested"),
    ],
)
def test_parse_criteria_text_keeps_a_pathological_criterion_unparsed(body, why):
    from pipeline.extract.criteria import parse_criteria_text

    text = f"Inclusion Criteria:\n- {body}\nExclusion Criteria:\n- HIV infection\n"
    trial = parse_criteria_text(text)
    first, last = trial.criteria[0], trial.criteria[-1]
    assert not first.computable and why in first.reason and text[first.start:first.end] == first.text
    assert last.computable and last.constraints  # the rest of the listing is parsed as usual


def test_detector_pieces_read_a_normal_listing_whole_and_a_bracket_heavy_one_by_line():
    from pipeline.extract.listing import MAX_DETECTOR_PARENS, detector_pieces

    normal = "Head and neck squamous cell carcinoma (HNSCC)\nECOG (PS) 0-1\n"
    assert detector_pieces(normal) == [normal]
    heavy = "Hepatitis B virus (HBV)\n" + "(" * (MAX_DETECTOR_PARENS + 1) + "x\n"
    assert detector_pieces(heavy) == ["Hepatitis B virus (HBV)", ""]


def test_a_capital_initial_at_a_line_start_is_no_lettered_list_item():
    trial = parse_criteria_text("Exclusion Criteria:\nUse of proton pump inhibitors less than 7 days before.\n"
                                "H. Pylori eradication within 2 months before study entry.\n"
                                "Intestinal infection within 2 months.\n")
    assert [c.text for c in trial.criteria] == ["Use of proton pump inhibitors less than 7 days before.",
                                                "H. Pylori eradication within 2 months before study entry.",
                                                "Intestinal infection within 2 months."]


def test_a_lettered_list_in_sequence_is_still_a_list():
    trial = parse_criteria_text("Inclusion Criteria:\nA. Age 18 or older\nB. Type 2 diabetes\nC. HbA1c > 7%\n")
    assert [c.text for c in trial.criteria] == ["Age 18 or older", "Type 2 diabetes", "HbA1c > 7%"]
