"""The general vocabulary (models/lexicon/vocab_*.jsonl, built by scripts/build_vocabulary.py): well-formed
files, and what a phrase means, read the same way in criteria and in notes."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from pipeline.extract.criteria_concepts import default_matcher
from pipeline.extract.mentions import find_mentions
from pipeline.extract.units import canonical_unit_text
from pipeline.lexicon import load_lexicon, read_entries
from pipeline.resources import models_path
from pipeline.schema import CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
VOCAB_FILES = sorted(models_path("lexicon").glob("vocab_*.jsonl"))
CODE_PATTERNS = {
    "icd10cm": r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?",
    "icd10": r"[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?",
    "drugbank": r"DB\d{5}",
    "mesh": r"[CD]\d{6,9}",
    "loinc": r"\d{1,7}-\d",
}


def _key(phrase: str) -> str:
    return re.sub(r"[\s\-_/]+", "", phrase.lower())


def _entries():
    return [(path.name, e) for path in VOCAB_FILES for e in read_entries(path)]


def _build_script():
    spec = importlib.util.spec_from_file_location("build_vocabulary", ROOT / "scripts" / "build_vocabulary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vocabulary_files_exist_and_validate():
    assert [p.name for p in VOCAB_FILES] == [
        "vocab_biomarkers.jsonl", "vocab_cancer.jsonl", "vocab_conditions.jsonl", "vocab_drugs.jsonl",
        "vocab_drugs_common.jsonl", "vocab_labs.jsonl"]
    assert len(_entries()) > 700


def test_vocabulary_defines_each_new_concept_once():
    """One line per concept; a later line for a hand-curated concept (id ``vocab.ext.*``) only extends it."""
    seen: dict[str, str] = {}
    for name, e in _entries():
        if e.id.startswith("vocab.ext."):
            assert e.id == f"vocab.ext.{e.concept}"
            continue
        assert e.concept not in seen, f"{e.concept} in {name} and {seen[e.concept]}"
        seen[e.concept] = name


def test_vocabulary_phrases_are_unique_within_a_concept():
    for _, e in _entries():
        keys = [_key(p) for p in e.phrases]
        assert len(keys) == len(set(keys)), e.concept


def test_vocabulary_phrase_belongs_to_one_concept_ignoring_case_and_separators():
    """The runtime looks phrases up without case, spaces or hyphens: two owners would make one silently lose."""
    owners: dict[str, set[str]] = {}
    for e in load_lexicon().entries:
        for p in e.phrases:
            owners.setdefault(_key(p), set()).add(e.concept)
    vocab_keys = {_key(p) for _, e in _entries() for p in e.phrases}
    assert {k: c for k, c in owners.items() if len(c) > 1 and k in vocab_keys} == {}


def test_vocabulary_classes_are_concepts():
    lex = load_lexicon()
    assert {c for _, e in _entries() for c in e.classes if c not in lex} == set()


def test_vocabulary_kinds_and_categories_are_known():
    for _, e in _entries():
        assert e.category in CATEGORIES, e.id


@pytest.mark.parametrize("system,pattern", sorted(CODE_PATTERNS.items()))
def test_vocabulary_codes_are_well_formed(system, pattern):
    for _, e in _entries():
        if system in e.codes:
            assert re.fullmatch(pattern, e.codes[system]), (e.id, e.codes[system])


def test_vocabulary_code_systems_are_known():
    assert {s for _, e in _entries() for s in e.codes} <= set(CODE_PATTERNS)


def test_vocabulary_every_new_condition_has_an_icd10cm_code():
    """Stage groups, the TNM M0 category and a pre-menopausal status have no ICD-10-CM code of their own."""
    new = [e for name, e in _entries() if name in ("vocab_cancer.jsonl", "vocab_conditions.jsonl")
           and e.kind == "condition" and not e.id.startswith("vocab.ext.")]
    uncoded = [e.concept for e in new if "icd10cm" not in e.codes]
    assert uncoded == ["cancer_stage", "stage_0", "stage_i", "stage_ii", "stage_iii", "stage_iv", "tnm_m0",
                       "premenopausal"]


def test_vocabulary_drugs_carry_drugbank_ids_from_the_package():
    drugs = [e for _, e in _entries() if e.kind == "drug"]
    with_ids = [e for e in drugs if "drugbank" in e.codes]
    assert len(with_ids) >= 0.95 * len(drugs)


def test_vocabulary_lab_units_are_known_to_the_unit_registry():
    for _, e in _entries():
        if e.kind == "lab" and e.unit:
            assert canonical_unit_text(e.unit) is not None, (e.concept, e.unit)


def test_vocabulary_build_tables_match_the_generated_files():
    """Every concept the build script's tables name is in the packaged lexicon (the files were rebuilt)."""
    build = _build_script()
    lex = load_lexicon()
    tables = [build.CANCER, build.STAGE, build.COMORBIDITY, build.INFECTION, build.REPRODUCTIVE, build.DIALYSIS,
              build.PROCEDURE, build.BIOMARKER, build.DRUG_CLASS, build.LAB]
    concepts = [row[0] for t in tables for row in build.rows(t)]
    concepts += [re.sub(r"[^a-z0-9]+", "_", row[0]).strip("_").replace("_and_", "_") for row in build.rows(build.DRUG)]
    assert [c for c in concepts if c not in lex] == []


# ------------------------------------------------------------------------------ what phrases mean

PHRASES = [
    # cancers: site and histology
    ("non-small cell lung cancer", "nsclc"),
    ("adenocarcinoma of the lung", "lung_adenocarcinoma"),
    ("squamous NSCLC", "squamous_nsclc"),
    ("extensive-stage small cell lung cancer", "sclc"),
    ("triple-negative breast cancer", "triple_negative_breast_cancer"),
    ("colorectal adenocarcinoma", "colorectal_cancer"),
    ("gastroesophageal junction adenocarcinoma", "gej_cancer"),
    ("pancreatic ductal adenocarcinoma", "pancreatic_cancer"),
    ("hepatocellular carcinoma", "hcc"),
    ("cholangiocarcinoma", "cholangiocarcinoma"),
    ("castration-resistant prostate cancer", "crpc"),
    ("urothelial carcinoma", "urothelial_carcinoma"),
    ("clear cell renal cell carcinoma", "renal_cell_carcinoma"),
    ("high-grade serous ovarian cancer", "ovarian_cancer"),
    ("endometrial carcinoma", "endometrial_cancer"),
    ("carcinoma of the cervix", "cervical_cancer"),
    ("nasopharyngeal carcinoma", "nasopharyngeal_carcinoma"),
    ("papillary thyroid carcinoma", "thyroid_cancer"),
    ("cutaneous melanoma", "melanoma_skin"),
    ("non-melanoma skin cancer", "non_melanoma_skin_cancer"),
    ("cutaneous squamous cell carcinoma", "cutaneous_scc"),
    ("glioblastoma multiforme", "glioblastoma"),
    ("soft tissue sarcoma", "sarcoma"),
    ("diffuse large B-cell lymphoma", "dlbcl"),
    ("Hodgkin lymphoma", "hodgkin_lymphoma"),
    ("acute myeloid leukemia", "aml"),
    ("acute lymphoblastic leukaemia", "all_leukemia"),
    ("chronic lymphocytic leukemia", "cll"),
    ("multiple myeloma", "multiple_myeloma"),
    ("myelodysplastic syndrome", "mds"),
    ("stage IIIB", "stage_iii"),
    # comorbidities
    ("QTc prolongation", "qtc_prolongation"),
    ("dilated cardiomyopathy", "dilated_cardiomyopathy"),
    ("hypertrophic cardiomyopathy", "hypertrophic_cardiomyopathy"),
    ("rheumatoid arthritis", "rheumatoid_arthritis"),
    ("alcohol use disorder", "alcohol_use_disorder"),
    ("substance-related disorder", "substance_use_disorder"),
    ("aortic stenosis", "valvular_heart_disease"),
    ("intracerebral hemorrhage", "hemorrhagic_stroke"),
    ("cirrhosis", "cirrhosis"),
    ("NAFLD", "nafld"),
    ("CKD stage 4", "ckd_stage_4"),
    ("end-stage renal disease", "esrd"),
    ("hemodialysis", "dialysis"),
    ("nephrotic syndrome", "nephrotic_syndrome"),
    ("idiopathic pulmonary fibrosis", "idiopathic_pulmonary_fibrosis"),
    ("pulmonary arterial hypertension", "pulmonary_hypertension"),
    ("Clostridium difficile infection", "c_difficile_infection"),
    ("systemic lupus erythematosus", "sle"),
    ("Sjogren disease", "sjogren_syndrome"),
    ("secondary Sjogren's syndrome", "secondary_sjogren_syndrome"),
    ("inflammatory bowel disease", "ibd"),
    ("bipolar affective disorder", "bipolar_disorder"),
    ("alcohol dependence", "alcohol_use_disorder"),
    ("opioid dependence", "opioid_use_disorder"),
    ("cocaine dependence", "cocaine_use_disorder"),
    ("nicotine dependence", "nicotine_dependence"),
    ("seizure disorder", "epilepsy"),
    ("Alzheimer's disease", "alzheimers_disease"),
    ("Parkinson's disease", "parkinsons_disease"),
    ("peripheral neuropathy", "peripheral_neuropathy"),
    ("type 1 diabetes mellitus", "type1_diabetes"),
    ("hyperthyroidism", "hyperthyroidism"),
    ("obesity", "obesity"),
    ("kidney transplantation", "kidney_transplant"),
    ("hemophilia A", "hemophilia"),
    ("sensorineural hearing loss", "hearing_loss"),
    ("implantable cardioverter-defibrillator", "cardiac_device"),
    ("acute pancreatitis", "pancreatitis"),
    # drugs: brand and generic names
    ("Humira", "adalimumab"), ("Enbrel", "etanercept"), ("Simponi", "golimumab"), ("infliximab", "infliximab"),
    ("Orencia", "abatacept"), ("MabThera", "rituximab"), ("Rituxan", "rituximab"), ("Actemra", "tocilizumab"),
    ("Keytruda", "pembrolizumab"), ("relatlimab", "relatlimab"), ("Xalkori", "crizotinib"), ("Lumakras", "sotorasib"),
    ("Enhertu", "trastuzumab_deruxtecan"), ("T-DM1", "trastuzumab_emtansine"), ("Lynparza", "olaparib"),
    ("Avastin", "bevacizumab"), ("Eliquis", "apixaban"), ("Xarelto", "rivaroxaban"), ("Plavix", "clopidogrel"),
    ("Lipitor", "atorvastatin"), ("Glucophage", "metformin"), ("Jardiance", "empagliflozin"), ("Ozempic", "semaglutide"),
    ("Zoloft", "sertraline"), ("Wellbutrin", "bupropion"), ("Keppra", "levetiracetam"), ("OxyContin", "oxycodone"),
    ("Baraclude", "entecavir"), ("Epclusa", "sofosbuvir_velpatasvir"), ("Biktarvy", "bictegravir"),
    # drug classes
    ("anti-LAG-3 antibody", "anti_lag3"), ("KRAS G12C inhibitor", "kras_g12c_inhibitor"),
    ("antibody-drug conjugate", "antibody_drug_conjugate"), ("aromatase inhibitor", "aromatase_inhibitor"),
    ("TNF inhibitor", "tnf_inhibitor"), ("direct oral anticoagulant", "doac"), ("SGLT2 inhibitor", "sglt2_inhibitor"),
    ("strong CYP3A4 inhibitors", "strong_cyp3a4_inhibitor"), ("systemic corticosteroids", "corticosteroid"),
    ("physiologic replacement doses", "steroid_replacement_therapy"),
    # biomarkers: gene + alteration
    ("EGFR exon 19 deletion", "egfr_exon19_deletion"), ("L858R", "egfr_l858r"), ("T790M", "egfr_t790m"),
    ("EGFR exon 20 insertion", "egfr_exon20_insertion"), ("HER2 amplification", "her2_amplification"),
    ("HER2 overexpression", "her2_overexpression"), ("HER2 mutation", "her2_mutation"), ("HER2-low", "her2_low"),
    ("ROS1 rearrangement", "ros1_fusion"), ("RET fusion", "ret_fusion"), ("NTRK gene fusion", "ntrk_fusion"),
    ("KRAS G12C", "kras_g12c"), ("BRAF V600E", "braf_v600e"), ("MET exon 14 skipping", "met_exon14_skipping"),
    ("MSI-H", "msi_high"), ("mismatch repair deficient", "dmmr"), ("tumor mutational burden", "tmb"),
    ("BRCA2", "brca2_mutation"), ("estrogen receptor", "er_status"), ("actionable genomic alterations", "actionable_alteration"),
    # labs
    ("eGFR", "creatinine_clearance"), ("NT-proBNP", "nt_probnp"), ("troponin", "troponin"), ("lipase", "lipase"),
    ("magnesium", "magnesium"), ("HIV-1 RNA", "hiv_viral_load"), ("CA 19-9", "ca19_9"),
    # drugs in common use outside the curated table, with their brand names
    ("clonidine", "clonidine"), ("Catapres", "clonidine"), ("hydroxyurea", "hydroxyurea"), ("Diamox", "acetazolamide"),
    # gaps the Chia listings showed most often (outside every benchmark trial)
    ("uveitis", "uveitis"), ("spinal stenosis", "spinal_stenosis"), ("hip fracture", "fracture"),
    ("tubal ligation", "surgical_sterilization"), ("hormone replacement therapy", "hormone_replacement_therapy"),
    ("renal dysfunction", "kidney_disease"), ("psychiatric disease", "psychiatric_disorder"),
    ("coronary revascularization", "coronary_revascularization"), ("nephrectomy", "nephrectomy"),
    ("arthralgia", "arthralgia"), ("joint pain", "arthralgia"), ("chronic pain", "chronic_pain"), ("dyspnea", "dyspnea"),
    ("pruritus", "pruritus"), ("adenocarcinoma of lung origin", "lung_adenocarcinoma"),
    # bleeding and cognition (a general family each, with its members)
    ("intracranial bleed", "intracranial_hemorrhage"), ("subdural haematoma", "intracranial_hemorrhage"),
    ("cSDH", "intracranial_hemorrhage"), ("intracerebral hemorrhage", "hemorrhagic_stroke"), ("bleeding", "bleeding"),
    ("gross haematuria", "hematuria"), ("epistaxis", "epistaxis"), ("cognitive decline", "cognitive_impairment"),
    ("mild cognitive impairment", "mild_cognitive_impairment"),
]


@pytest.mark.parametrize("phrase,concept", PHRASES)
def test_vocabulary_phrase_is_its_concept_in_criteria(phrase, concept):
    text = f"History of {phrase}."
    found = default_matcher().find(text, 0, len(text))
    assert [(text[m.start:m.end], m.concept) for m in found] == [(phrase, concept)]


@pytest.mark.parametrize("phrase,concept", PHRASES)
def test_vocabulary_phrase_is_its_concept_in_notes(phrase, concept):
    text = f"History of {phrase}."
    assert [(text[m.start:m.end], m.concept) for m in find_mentions(text)] == [(phrase, concept)]


@pytest.mark.parametrize(
    "concept,target",
    [("relatlimab", "anti_lag3"), ("relatlimab", "immune_checkpoint_inhibitor"), ("osimertinib", "egfr_tki"),
     ("lorlatinib", "alk_inhibitor"), ("trastuzumab_deruxtecan", "antibody_drug_conjugate"),
     ("trastuzumab_deruxtecan", "anticancer_therapy"), ("methotrexate", "antimetabolite"), ("doxorubicin", "anthracycline"),
     ("adalimumab", "tnf_inhibitor"), ("adalimumab", "immunosuppressant"), ("rituximab", "anti_cd20"),
     ("rituximab", "biologic_dmard"), ("apixaban", "anticoagulant"), ("clopidogrel", "antiplatelet"),
     ("metformin", "antidiabetic"), ("sertraline", "ssri"), ("bupropion", "antidepressant"),
     ("dexamethasone", "corticosteroid"), ("itraconazole", "strong_cyp3a4_inhibitor"),
     ("lung_adenocarcinoma", "nsclc"), ("lung_adenocarcinoma", "malignancy"), ("dlbcl", "hematologic_malignancy"),
     ("basal_cell_carcinoma", "non_melanoma_skin_cancer"), ("breast_cancer", "solid_tumor"),
     ("prostate_cancer", "other_malignancy"), ("hnscc", "head_and_neck_cancer"), ("esrd", "kidney_disease"),
     ("atrial_fibrillation", "cardiac_disease"), ("alcohol_use_disorder", "substance_abuse"),
     ("cirrhosis", "liver_disease"), ("hemorrhagic_stroke", "bleeding"), ("gi_bleeding", "bleeding"),
     ("hemorrhagic_stroke", "stroke"), ("dementia", "cognitive_impairment"),
     ("mild_cognitive_impairment", "cognitive_impairment"), ("rheumatoid_arthritis", "autoimmune_disease"), ("psoriasis", "autoimmune_disease"),
     ("opioid_use_disorder", "substance_abuse"), ("hypertrophic_cardiomyopathy", "cardiomyopathy"), ("multiple_sclerosis", "autoimmune_disease"), ("type2_diabetes", "diabetes"),
     ("egfr_l858r", "egfr_mutation"), ("kras_g12c", "actionable_alteration"), ("braf_v600e", "braf_mutation"),
     ("her2_amplification", "her2_status"), ("msi_high", "msi_status"), ("stage_iii", "cancer_stage"),
     # drugs in common use, placed in a class by their INN stem
     ("fosinopril", "ace_inhibitor"), ("fosinopril", "antihypertensive"), ("cefoxitin", "antibiotic"),
     ("vancomycin", "antibiotic"), ("palonosetron", "antiemetic"), ("ponatinib", "anticancer_therapy"),
     ("pci", "coronary_revascularization"), ("cabg", "coronary_revascularization")],
)
def test_vocabulary_concept_belongs_to_its_class(concept, target):
    assert load_lexicon().is_a(concept, target)


@pytest.mark.parametrize(
    "concept,target",
    [("hnscc", "other_malignancy"), ("nsclc", "other_malignancy"), ("nicotine_dependence", "substance_abuse"),
     ("hypertension", "cardiac_disease"), ("rituximab", "tnf_inhibitor"), ("creatinine_clearance", "egfr_mutation"),
     ("egfr_mutation", "creatinine_clearance"), ("dcis", "solid_tumor"),
     ("steroid_replacement_therapy", "corticosteroid"),
     # INN stems with exceptions: antineoplastic -mycins, a SYK inhibitor's -tinib
     ("dactinomycin", "antibiotic"), ("fostamatinib", "anticancer_therapy")],
)
def test_vocabulary_concept_is_not_in_a_wrong_class(concept, target):
    assert not load_lexicon().is_a(concept, target)


@pytest.mark.parametrize(
    "text,concepts",
    [("eGFR 45 mL/min", ["creatinine_clearance"]), ("EGFR 45 mL/min/1.73m2", ["creatinine_clearance"]),
     ("EGFR exon 19 deletion detected", ["egfr_exon19_deletion"]), ("EGFR L858R mutation", ["egfr_l858r"]),
     ("EGFR L858R", ["egfr_l858r"]), ("EGFR T790M detected", ["egfr_t790m"]), ("EGFR G719X mutation", []),
     ("EGFR sensitizing mutation", ["egfr_mutation"]), ("EGFR-mutated NSCLC", ["egfr_mutation", "nsclc"]),
     ("EGFR: negative", []), ("EGFR/ALK negative", ["alk_rearrangement"]), ("EGFR- tumour", []),
     ("Labs: Cr 1.1, EGFR 58", ["creatinine", "creatinine_clearance"]), ("EGFR >60", ["creatinine_clearance"])],
)
def test_vocabulary_egfr_gene_is_never_the_egfr_lab(text, concepts):
    assert [m.concept for m in find_mentions(text)] == concepts


@pytest.mark.parametrize("short", ["PD", "MS", "AS", "ALL", "RA", "ER", "PR", "AIDS", "MM", "HR", "ADC", "ART", "CHD", "MET", "flu"])
def test_vocabulary_adds_no_ambiguous_short_form(short):
    """Bare abbreviations with another common meaning stay out of the generated vocabulary."""
    assert all(p.lower() != short.lower() for _, e in _entries() for p in e.phrases)
