"""Build the HELD-OUT cohort ``corpora/cohort_heldout/`` from the hand-annotated notes below.

The held-out cohort was written independently of ``corpora/cohort/`` (never read its notes, gold or
sources) and follows the same annotation guideline (``corpora/cohort/README.md``). It must never be
used to tune the tool: it exists to measure how the tool generalises. Every patient is fictional.

Markup inside a note: ``[[span|concept|flags]]`` where flags are space-separated tokens:
``=VALUE`` (number or word), ``@UNIT`` (default: the lexicon's canonical unit for numeric values),
``N`` negated, ``H`` historical, ``Y`` hypothetical, ``F`` family, ``U`` uncertain.
Offsets are computed here; the script asserts that every span equals the note text at its offsets,
that every concept is in annotation.json and the lexicon, and that each gold status follows the
status rule of the guideline.

Run: ``.venv/bin/python scripts/build_heldout_gold.py``
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
from pathlib import Path

from pipeline.match.rank import status_of_verdict_map

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "corpora" / "cohort_heldout"
CRITERIA = [f"I{i}" for i in range(1, 9)] + [f"E{i}" for i in range(1, 16)]
FLAGS = {"N": "negated", "H": "historical", "Y": "hypothetical", "F": "family", "U": "uncertain"}
MARK = re.compile(r"\[\[([^\[\]|]+)\|([a-z0-9_]+)\|([^\[\]]*)\]\]")
INT_CONCEPTS = {"ecog"}

# ----------------------------------------------------------------------------- notes
# (patient_id, note_id, date, note_type, marked-up text)
NOTES: list[tuple[str, str, str, str, str]] = [
    # ------------------------------------------------------------------ H01 eligible
    ("H01", "H01-N1", "2025-07-15", "radiology", """CT NECK AND CHEST WITH IV CONTRAST
Exam date: 15/07/2025. Comparison: 14/04/2025.
Clinical history: [[recurrent|recurrent_disease|]] [[oral tongue SCC|hnscc|]] on [[pembrolizumab|pembrolizumab|]], restaging.

FINDINGS
Neck: Enhancing mass centred on the left floor of mouth and ventral tongue now measures [[3.1 x 2.2 cm|measurable_lesion|=31]] (previously [[2.0 x 1.6 cm|measurable_lesion|=20]]). New left level IB node, [[1.4 cm|measurable_lesion|=14]] short axis, with central necrosis. No right-sided adenopathy. Thyroid: 6 mm cyst in the right lobe, unchanged.
Chest: Lungs are clear. No suspicious pulmonary nodule. No [[pleural effusion|pleural_effusion|N]]. Mild centrilobular changes at the apices. Heart size normal.

IMPRESSION
1. Interval enlargement of the floor-of-mouth mass and new necrotic level IB node, consistent with [[progressive disease|disease_progression|]].
2. No evidence of distant [[metastasis|metastatic_disease|N]]."""),
    ("H01", "H01-N2", "2025-08-20", "progress_note", """ONCOLOGY CLINIC - SOAP NOTE

S: [[64 yo|age|=64]] [[M|sex|=male]] w/ [[recurrent|recurrent_disease|]] L [[oral tongue squamous cell carcinoma|hnscc|]] (pT2N1, glossectomy + neck dissection 2023, adjuvant [[CRT|chemotherapy|H]] with weekly [[cisplatin|cisplatin|H]]). [[Recurrence|recurrent_disease|]] 11/2024 -> [[Keytruda|pembrolizumab|H]] x6 cycles, last dose 06/03/2025, stopped for [[progression|disease_progression|]] on CT 07/15. Feels tired, managing soft diet, wt stable. Denies fevers, cough, bleeding.
PMH: HTN, [[T2DM|diabetes|]] on metformin ([[A1c|hba1c|=6.8]] 6.8% in July), hyperlipidemia. No [[MI|myocardial_infarction|N]], no [[stroke|stroke|N]].
Meds: metformin 1 g BID, amlodipine 5 mg daily, oxycodone prn.
SH: ex-smoker 30 pk-yr, quit 2023. 1-2 beers/wk. Lives w/ daughter.
FH: father - [[colon cancer|other_malignancy|F]] at 70.

O: BP 138/82, HR 76, afebrile. [[ECOG|ecog|=1]] 1. Firm ulcerated mass L FOM ~[[3 cm|measurable_lesion|=30]], tender. Chest clear.
Labs 08/20 reviewed (separate report) - counts, LFTs and renal fxn acceptable.

A/P: [[p16|p16_status|=negative]]-negative [[recurrent|recurrent_disease|]] [[OSCC|hnscc|]] [[progressing|disease_progression|]] after [[anti-PD-1|anti_pd1|H]] therapy. [[Cetuximab|cetuximab|N]]-naive, never received an [[EGFR TKI|egfr_tki|N]]. Not on any anticancer treatment at present.
[[Life expectancy|life_expectancy|=26]] estimated at more than 6 months.
- refer to research team for dalpiciclib + [[cetuximab|cetuximab|Y]] [[clinical trial|clinical_trial_participation|Y]] screening; consent discussed today
- if [[ANC|anc|Y]] falls below 1.5 on study, hold per protocol
- RTC 2 wks"""),
    ("H01", "H01-N3", "2025-08-20", "lab", """LABORATORY REPORT - Outpatient
Collected: 2025-08-20 07:55   Reported: 2025-08-20 11:02
Ordering: H&N Oncology

Test                 Result     Flag   Reference
[[Hgb|hemoglobin|=128]]                  12.8 g/dL   L     13.5-17.5
[[WBC|wbc|=6.2]]                  6.2 K/uL          4.0-11.0
[[ANC|anc|=4.1]]                  4.1 K/uL          1.8-7.7
[[Plt|platelets|=245]]                  245 K/uL          150-400
[[TBili|total_bilirubin|=10.26]]                0.6 mg/dL         0.2-1.2
[[AST|ast|=24]]                  24 U/L            10-40
[[ALT|alt|=31]]                  31 U/L            7-56
[[SCr|creatinine|=83.1]]                  0.94 mg/dL        0.70-1.30
[[CrCl|creatinine_clearance|=74]] (Cockcroft-Gault)  74 mL/min
[[BUN|urea_nitrogen|=160]]                  16 mg/dL          7-20
[[Glucose|glucose|=7.0]], fasting      126 mg/dL   H     70-99
[[UA protein|urine_protein|=negative]]           Negative

Infectious serology
[[HIV Ab|hiv|=negative]]               Non-reactive
[[RPR|syphilis|=negative]]                  Non-reactive
[[HBsAg|hbsag|=negative]]                Negative
[[anti-HCV|hcv_ab|=negative]]             Negative

Comment: specimen slightly lipaemic; results verified by the duty biochemist. Reference ranges are adult ranges for this laboratory."""),
    # ------------------------------------------------------------------ H02 eligible (British)
    ("H02", "H02-N1", "2025-02-10", "pathology", """HISTOPATHOLOGY REPORT
Specimen: Right lower lobe lung lesion, CT-guided core biopsy (4 cores).
Clinical details: [[laryngeal SCC|hnscc|]] treated 2022. New lung nodule, ?[[metastasis|metastatic_disease|U]].

Macroscopy: Four pale cores, 8 to 14 mm in length.
Microscopy: The cores are infiltrated by a moderately differentiated keratinising squamous cell carcinoma with individual cell keratinisation and intercellular bridges. No in-situ component in the bronchial epithelium sampled.
Immunohistochemistry: p40 positive, TTF-1 negative, napsin A negative. [[p16|p16_status|=negative]]: negative (patchy cytoplasmic staining in under 10% of tumour cells; no block-type staining).

CONCLUSION
Right lower lobe, core biopsy: [[metastatic|metastatic_disease|]] squamous cell carcinoma. The morphology and immunoprofile are in keeping with spread from the known laryngeal primary rather than a new lung primary.
Tissue block B1 retained for further molecular testing if requested."""),
    ("H02", "H02-N2", "2025-07-30", "radiology", """CT THORAX WITH CONTRAST - 30 July 2025
Indication: Known [[metastatic|metastatic_disease|]] [[laryngeal squamous cell carcinoma|hnscc|]] on [[nivolumab|nivolumab|]]. Restaging.
Comparison: CT of 22 April 2025.

Findings:
The dominant right lower lobe deposit has increased to [[2.6 cm|measurable_lesion|=26]] (from [[1.9 cm|measurable_lesion|=19]]). A new left lower lobe nodule measures [[11 mm|measurable_lesion|=11]]. A few sub-4 mm nodules are too small to characterise.
Trace left [[pleural effusion|pleural_effusion|]]. No mediastinal or hilar lymphadenopathy. Laryngectomy stoma appearances are unremarkable. Upper abdomen: no adrenal or hepatic lesion.

Impression:
[[Progression|disease_progression|]] of pulmonary [[metastases|metastatic_disease|]] with a new contralateral nodule. The trace pleural collection is new."""),
    ("H02", "H02-N3", "2025-08-22", "consultation", """Head and Neck Oncology - Consultation letter

Dear Dr Okafor,

Thank you for referring this [[57-year-old|age|=57]] [[woman|sex|=female]] with [[metastatic|metastatic_disease|]] [[laryngeal squamous cell carcinoma|hnscc|]]. She underwent total laryngectomy and adjuvant radiotherapy in 2022. Lung [[metastases|metastatic_disease|]] were biopsied in February (tumour [[p16|p16_status|=negative]] negative). She received [[nivolumab|nivolumab|H]] from March, last infusion on 8 July 2025, and the CT of 30 July showed [[progression|disease_progression|]] of the lung deposits, so it has been discontinued. She is on no anticancer treatment at present.

She remains independent and walks her dog daily; [[KPS|karnofsky|=80]] 80%. The trace [[pleural fluid|pleural_effusion|]] on CT is asymptomatic and does not need drainage.

Bloods (20/08/2025): [[haemoglobin|hemoglobin|=118]] 118 g/L, [[white cell count|wbc|=5.4]] 5.4, [[neutrophils|anc|=3.3]] 3.3, [[platelets|platelets|=276]] 276 x10^9/L, [[bilirubin|total_bilirubin|=9]] 9 umol/L, [[ALT|alt|=18]] 18 U/L, [[AST|ast|=22]] 22 U/L, [[creatinine|creatinine|=71]] 71 umol/L, [[eGFR|creatinine_clearance|=88]] 88. Virology: [[HIV|hiv|=negative]] negative, [[syphilis|syphilis|=negative]] (TPPA) negative, [[HBsAg|hbsag|=negative]] negative, [[HCV antibody|hcv_ab|=negative]] negative.

Past history: hypothyroidism after laryngectomy, on levothyroxine. No [[asthma|asthma|N]] or [[COPD|copd|N]]. Non-smoker for ten years.
Family history: her mother had [[breast cancer|other_malignancy|F]] in her sixties.
She has never had [[cetuximab|cetuximab|N]] or any other [[EGFR antibody|anti_egfr_mab|N]].

I think she is a good candidate for the dalpiciclib plus [[cetuximab|cetuximab|Y]] study and we will arrange screening.

Yours sincerely,
Consultant Medical Oncologist"""),
    # ------------------------------------------------------------------ H03 eligible (telegraphic)
    ("H03", "H03-N1", "2025-08-25", "lab", """Chem/heme flowsheet  08/25/2025 0810

[[Hgb|hemoglobin|=112]]        11.2 g/dL    (L)
[[WBC|wbc|=5.1]]        5.1 x10^3/uL
[[ANC|anc|=3.0]]        3.0 x10^3/uL
[[PLT|platelets|=188]]        188 x10^3/uL
[[T bili|total_bilirubin|=11.97]]     0.7 mg/dL
[[AST|ast|=28]]        28 U/L
[[ALT|alt|=22]]        22 U/L
[[Creat|creatinine|=88.4]]      1.0 mg/dL
[[CrCl|creatinine_clearance|=72]]       72 mL/min (C-G, actual wt)
[[BUN|urea_nitrogen|=190]]        19 mg/dL
[[Glucose|glucose|=5.39]]    97 mg/dL
Mg 1.9, K 4.1, Na 138

Serology (drawn 08/25/2025)
[[HIV 1/2 Ab|hiv|=negative]]     nonreactive
[[RPR|syphilis|=negative]]            NR
[[HBsAg|hbsag|=negative]]          neg
[[anti-HBc|hbcab|=negative]]       neg
[[HCV Ab|hcv_ab|=negative]]         neg
TSH 2.1

Flags: L = below reference interval, H = above. Specimens received intact and processed within 2 hours of collection. Values released to the ordering clinician (H&N oncology) and to the research coordinator on request of the treating team."""),
    ("H03", "H03-N2", "2025-08-26", "clinic_note", """H&N onc f/u - Dr Sato

[[70 y/o|age|=70]] [[M|sex|=male]]
Dx: [[hypopharyngeal cancer|hnscc|]] (R pyriform sinus), SCC, [[p16|p16_status|=negative]] neg / [[HPV|hpv_status|=negative]] ISH neg.
Hx:
- 2023 definitive [[CRT|chemotherapy|H]] ([[cisplatin|cisplatin|H]] x3)
- local [[recurrence|recurrent_disease|]] 12/2024, [[unresectable|locally_advanced|]] per H&N surg
- 1L: [[toripalimab|toripalimab|H]] + [[cisplatin|cisplatin|H]]/[[5-FU|fluorouracil|H]] x4 Jan-Mar 2025, then [[toripalimab|toripalimab|H]] maint, last dose 1 Jul 2025
- C2 complicated by febrile neutropenia -> [[pegfilgrastim|filgrastim|H]] w/ subsequent cycles (last given Mar 2025)
- CT 22 Jul: [[PD|disease_progression|]]. R pyriform mass [[4.0 x 2.9 cm|measurable_lesion|=40]], R level III node [[1.7 cm|measurable_lesion|=17]] SA. Lungs clear.
Off all tx since 1 Jul.

PMH: remote [[prostate adenocarcinoma|other_malignancy|H]] 2016, s/p RP, PSA undetectable. GERD. OSA on CPAP.
[[ECOG|ecog|=1]] 1. Liquids + PEG top-ups. Wt 61 kg.
Labs 8/25 ok, serologies neg (see flowsheet).

A: [[HPV|hpv_status|=negative]]-neg [[recurrent|recurrent_disease|]] [[hypopharyngeal SCC|hnscc|]], [[progressed|disease_progression|]] on [[anti-PD-1|anti_pd1|H]] combo. No prior [[cetuximab|cetuximab|N]].
P: screen for dalpiciclib/[[cetuximab|cetuximab|Y]] [[clinical trial|clinical_trial_participation|Y]]. If not eligible -> [[docetaxel|docetaxel|Y]] single agent."""),
    ("H03", "H03-N3", "2025-08-26", "nursing_intake", """NURSING INTAKE - infusion suite pre-screening visit

Pt is a [[70-year-old|age|=70]] [[gentleman|sex|=male]] attending with his wife, alert and orientated. Allergies: penicillin (rash). Communicates well, mild hearing loss on the left.
Resp: reports no breathlessness at rest, sats 96% RA. Has a CPAP machine at night.
Cardio: no [[chest pain on exertion|angina|N]], no palpitations, no ankle swelling.
Nutrition: PEG in situ (inserted 2023), site clean and dry, uses 2 feeds/day plus soft diet. Weight 61.4 kg (down 2 kg in a month) - dietitian referral made.
Social: lives with wife, retired engineer. Denies [[drug abuse|substance_abuse|N]]; stopped alcohol 2023. No [[psychiatric illness|psychiatric_disorder|N]]; mood "fine, a bit worried about the results".
Pain: 2/10 right throat, paracetamol helps.
Infection screen questionnaire: denies history of [[TB|tuberculosis|N]], no recent fevers.
Falls risk low. Education given on trial screening visits; written information leaflet provided. Pt aware bloods must be repeated if screening is delayed."""),
    # ------------------------------------------------------------------ H04 eligible
    ("H04", "H04-N1", "2025-08-05", "radiology", """CT THORAX/ABDOMEN/PELVIS WITH CONTRAST   05-Aug-2025
Indication: [[metastatic|metastatic_disease|]] [[buccal mucosa SCC|hnscc|]]; restaging after [[sintilimab|sintilimab|H]] (discontinued June 2025).
Comparison: 02-May-2025.

Findings:
Right upper lobe nodule now [[18 x 15 mm|measurable_lesion|=18]] (previously [[9 mm|measurable_lesion|=9]]). New right lower lobe nodule [[7 mm|measurable_lesion|=7]]. No consolidation. No pleural thickening.
Liver, spleen, pancreas and adrenals unremarkable; no [[ascites|ascites|N]]. 2 cm simple cyst upper pole left kidney. No lytic or sclerotic bone lesion.

Impression:
Enlarging right upper lobe nodule and a new right lower lobe nodule, compatible with [[progressive disease|disease_progression|]] of pulmonary [[metastases|metastatic_disease|]]."""),
    ("H04", "H04-N2", "2025-08-21", "screening_note", """TRIAL SCREENING NOTE - pre-consent chart review (research nurse + PI)

Age [[45|age|=45]] / [[F|sex|=female]]
Primary: [[SCC of the buccal mucosa|hnscc|]], right, dx 2023; wide local excision + neck dissection. Pulmonary [[metastases|metastatic_disease|]] 09/2024.
Tumour markers: [[p16|p16_status|=negative]] IHC negative (2023 resection specimen); PD-L1 CPS 15.
Prior systemic: [[sintilimab|sintilimab|H]] 200 mg q3w 10/2024 - 20/06/2025 (11 cycles), stopped for G2 dermatitis. CT 05/08/2025 = [[progression|disease_progression|]] (RUL [[18 mm|measurable_lesion|=18]]).
No [[chemotherapy|chemotherapy|N]] given to date. Currently on no anticancer treatment.
Perf: [[ECOG|ecog|=0]] 0.

Labs 19/08/2025: [[Hb|hemoglobin|=131]] 131 g/L; [[WBC|wbc|=7.9]] 7.9; [[Plt|platelets|=302]] 302; [[TBIL|total_bilirubin|=7]] 7 umol/L; [[AST|ast|=19]]/[[ALT|alt|=15]] 19/15 U/L; [[Cr|creatinine|=58]] 58 umol/L; [[urine protein|urine_protein|=trace]] trace.
Serology: [[HIV Ab|hiv|=negative]] neg; [[TP-Ab|syphilis|=negative]] neg; [[HBsAg|hbsag|=negative]] neg; [[HBcAb|hbcab|=positive]] POS -> [[HBV DNA|hbv_dna|=undetectable]] not detected; [[HCV-Ab|hcv_ab|=negative]] neg.

PMH: [[asthma|asthma|H]] as a child, no inhaler since primary school. No cardiac history.
Meds: cetirizine prn, emollients.
Excl check: no prior [[anti-EGFR mAb|anti_egfr_mab|N]]; no [[G-CSF|hematopoietic_growth_factor|N]]; not taking another [[study drug|clinical_trial_participation|N]].
Plan: consent visit 28/08. If [[ANC|anc|Y]] < 1.5 on D1 labs, delay dosing."""),
    # ------------------------------------------------------------------ H05 eligible
    ("H05", "H05-N1", "2025-08-12", "discharge_summary", """DISCHARGE SUMMARY
Admitted: 08/08/2025   Discharged: 08/12/2025
Reason for admission: dehydration, poor oral intake, tumour pain.

HPI: [[68-year-old|age|=68]] [[man|sex|=male]] with [[recurrent|recurrent_disease|]] [[tonsillar squamous cell carcinoma|hnscc|]] ([[p16|p16_status|=negative]]-negative, [[HPV|hpv_status|=negative]] PCR negative) treated in 2022 with [[chemoradiotherapy|chemotherapy|H]]. [[Recurrence|recurrent_disease|]] at the right tongue base in early 2025, deemed [[inoperable|locally_advanced|]]. He received [[camrelizumab|camrelizumab|H]] for 4 cycles, last dose 10 July; the restaging CT on 1 August showed [[progression|disease_progression|]] (tongue base mass [[3.4 x 2.8 cm|measurable_lesion|=34]]).

Hospital course: IV fluids and analgesia titration (oxycodone). Blood cultures negative; chest x-ray without [[pneumonia|pneumonia|N]]. Admission [[creatinine|creatinine|=132.6]] 1.5 mg/dL (pre-renal), discharge [[creatinine|creatinine|=88.4]] 1.0 mg/dL. Swallow assessment: modified diet.

PMH: [[MI|myocardial_infarction|H]] 2019 treated with [[PCI|pci|H]] to the LAD, no [[angina|angina|N]] since; hypertension; hyperlipidaemia.
Discharge medications: aspirin 81 mg, atorvastatin 40 mg, metoprolol 25 mg BID, oxycodone 5 mg q4h prn, senna.

Follow-up: H&N oncology clinic 08/28 to discuss [[cetuximab|cetuximab|Y]]-based options including a [[clinical trial|clinical_trial_participation|Y]]."""),
    ("H05", "H05-N2", "2025-08-28", "clinic_note", """Head & Neck Oncology Clinic - follow up

Seen with his son. Eating better, pain controlled on oxycodone 5 mg 2-3/day. No fevers. Mild dysphagia to solids.
Exam: weight 70 kg (+1.5 kg), fungating R tongue base lesion, no new neck nodes. [[ECOG|ecog|=1]] 1.

Labs today 8/28: [[Hgb|hemoglobin|=109]] 10.9 (L), [[WBC|wbc|=4.6]] 4.6, [[ANC|anc|=2.9]] 2.9, [[plt|platelets|=156]] 156, [[TBili|total_bilirubin|=8.55]] 0.5, [[AST|ast|=33]] 33, [[ALT|alt|=29]] 29, [[SCr|creatinine|=79.56]] 0.9, [[CrCl|creatinine_clearance|=68]] 68.
ID screen: [[HIV|hiv|=negative]] neg, [[syphilis|syphilis|=negative]] neg (TP-Ab), [[HBsAg|hbsag|=negative]] neg, [[HCV|hcv_ab|=negative]] neg.
ECG: sinus rhythm 64, old inferior Q waves. Echo 2024: EF 55%, no wall motion abnormality.

Assessment: [[HPV|hpv_status|=negative]]-negative [[recurrent|recurrent_disease|]] [[OPSCC|hnscc|]], [[progressed|disease_progression|]] after [[camrelizumab|camrelizumab|H]] ([[PD-1 inhibitor|anti_pd1|H]]). No prior [[cetuximab|cetuximab|N]]. Not on any cancer therapy now.
Plan: refer to the trial team for screening. If he is not a candidate, weekly [[paclitaxel|paclitaxel|Y]]/[[cetuximab|cetuximab|Y]] off study."""),
    # ------------------------------------------------------------------ H06 ineligible: prior cetuximab (E1)
    ("H06", "H06-N1", "2025-03-18", "radiology", """PET-CT SKULL BASE TO MID-THIGH   18 March 2025
History: [[supraglottic SCC|hnscc|]] treated 2022, new left neck swelling.
Findings: FDG-avid left level III node [[2.2 cm|measurable_lesion|=22]] (SUVmax 11.4). Two FDG-avid nodules in the right upper lobe, the larger [[1.1 cm|measurable_lesion|=11]]. Post-radiation changes of the larynx without focal uptake. No osseous lesion.
Technique: 370 MBq FDG IV, patient fasted for 6 hours before injection, images acquired at 60 minutes with low-dose CT for attenuation correction.
Impression: Nodal [[recurrence|recurrent_disease|]] in the left neck and pulmonary [[metastases|metastatic_disease|]]. Physiological uptake in the bowel and urinary tract. Tissue sampling of the neck node would be the most accessible target."""),
    ("H06", "H06-N2", "2025-08-19", "progress_note", """Progress Note - Medical Oncology

[[61 yo|age|=61]] [[male|sex|=male]], [[supraglottic SCC|hnscc|]] dx 2021, [[p16|p16_status|=negative]] neg.
Tx hx:
 - 2022 RT + weekly [[cetuximab|cetuximab|H]] (hearing loss, renal concerns)
 - 03/2025 [[recurrence|recurrent_disease|]] L neck + lung [[mets|metastatic_disease|]]
 - 04/2025-06/2025 [[pembrolizumab|pembrolizumab|H]] + [[carboplatin|carboplatin|H]]/[[5FU|fluorouracil|H]] x3, then [[pembro|pembrolizumab|H]] alone; last dose 07/08/2025
 - CT 07/29: [[PD|disease_progression|]], L neck node [[3.0 cm|measurable_lesion|=30]], lung nodules up to [[1.5 cm|measurable_lesion|=15]]
Interval: more neck pain, otherwise well. Eating normally.
[[ECOG|ecog|=1]] 1. Labs 8/19: [[Hgb|hemoglobin|=124]] 12.4, [[plt|platelets|=210]] 210, LFTs nl, [[Cr|creatinine|=70.72]] 0.8.

A/P: prior [[cetuximab|cetuximab|H]] exposure -> excluded from the dalpiciclib/[[cetuximab|cetuximab|Y]] study (prior [[EGFR mAb|anti_egfr_mab|H]]). Discussed options: weekly [[methotrexate|methotrexate|Y]] vs best supportive care. Pt wants to think it over; return in 1 week. Palliative care referral placed."""),
    # ------------------------------------------------------------------ H07 ineligible: p16 positive (I4)
    ("H07", "H07-N1", "2025-01-14", "pathology", """SURGICAL PATHOLOGY - FINAL DIAGNOSIS
Specimen: Base of tongue, left, incisional biopsy.
Clinical information: [[recurrent|recurrent_disease|]] disease after transoral robotic surgery (2022).

Diagnosis: Invasive nonkeratinizing squamous cell carcinoma.
Ancillary studies:
- [[p16|p16_status|=positive]] IHC: strong, diffuse nuclear and cytoplasmic (block) positivity in >70% of tumor cells.
- High-risk [[HPV|hpv_status|=positive]] RNA ISH: positive.
Comment: Findings are consistent with [[HPV|hpv_status|=positive]]-associated [[oropharyngeal squamous cell carcinoma|hnscc|]], [[recurrent|recurrent_disease|]] at the primary site. Margins not assessable on this biopsy (largest fragment 0.9 cm).
Gross: Three tan-pink irregular fragments submitted entirely in one cassette.
Electronically signed out by the attending pathologist after intradepartmental consultation."""),
    ("H07", "H07-N2", "2025-08-27", "clinic_note", """HEME/ONC CLINIC NOTE 8/27/2025
[[52 y/o|age|=52]] [[M|sex|=male]] with [[p16|p16_status|=positive]]+ / [[HPV|hpv_status|=positive]]+ [[oropharyngeal SCC|hnscc|]], [[recurrent|recurrent_disease|]] L BOT 01/2025 with lung [[mets|metastatic_disease|]]. Got [[nivolumab|nivolumab|H]] q4w Feb-Jul 2025 (last 7/15). CT 8/5 showed [[progression|disease_progression|]]: L BOT [[2.7 cm|measurable_lesion|=27]], RLL nodule [[1.3 cm|measurable_lesion|=13]].
Doing ok, working part time. [[ECOG|ecog|=0]] 0.
Labs 8/26: [[Hgb|hemoglobin|=141]] 14.1, [[WBC|wbc|=6.8]] 6.8, [[Plt|platelets|=233]] 233, [[Tbili|total_bilirubin|=13.68]] 0.8, [[AST|ast|=21]] 21, [[ALT|alt|=25]] 25, [[Cr|creatinine|=97.24]] 1.1. [[HIV|hiv|=negative]] neg, [[RPR|syphilis|=negative]] neg, [[HBsAg|hbsag|=negative]] neg, [[HCV Ab|hcv_ab|=negative]] neg.
No prior [[cetuximab|cetuximab|N]]. NKDA.
Imp/Plan: [[HPV|hpv_status|=positive]]-positive disease, so not a fit for the dalpiciclib study (requires a negative test). Will offer [[cetuximab|cetuximab|Y]] + [[docetaxel|docetaxel|Y]]; consent next visit."""),
    # ------------------------------------------------------------------ H08 ineligible: ECOG 2, symptomatic effusion, Hb low
    ("H08", "H08-N1", "2025-08-15", "discharge_summary", """Discharge Summary - Medical Oncology Ward
Admission 11/08/2025 - discharge 15/08/2025

Diagnosis: symptomatic large right [[pleural effusion|pleural_effusion|]], malignant.
Patient: [[59-year-old|age|=59]] [[woman|sex|=female]] with [[oral cavity squamous cell carcinoma|hnscc|]] (lower gingiva), [[p16|p16_status|=negative]] negative, [[metastatic|metastatic_disease|]] to lung and pleura since 2024. Received [[tislelizumab|tislelizumab|H]] from 11/2024, last dose 30/06/2025; CT in July showed [[progression|disease_progression|]] (right lower lobe mass [[4.2 cm|measurable_lesion|=42]]).
Course: presented with breathlessness on minimal exertion. CXR: large right-sided fluid collection, no [[pneumonia|pneumonia|N]]. Ultrasound-guided thoracentesis drained 1.4 L of blood-stained fluid, cytology positive for malignant cells. Symptoms improved.
Discharge: [[ECOG|ecog|=2]] 2, on home oxygen assessment list. Follow-up in clinic next week to discuss indwelling pleural catheter."""),
    ("H08", "H08-N2", "2025-08-22", "clinic_note", """Oncology review 22/08/2025
Breathless again 5 days after discharge, sleeps on 3 pillows. Dull to mid-zone on the right; repeat CXR shows reaccumulation of the right [[pleural effusion|pleural_effusion|]]. Plan repeat drainage and indwelling pleural catheter (IR booked 26/08).
[[ECOG|ecog|=2]] 2 - spends about half the day resting.
Bloods today: [[Hb|hemoglobin|=96]] 96 g/L (L), [[WBC|wbc|=8.8]] 8.8, [[plt|platelets|=410]] 410 (H), [[bilirubin|total_bilirubin|=12]] 12, [[ALT|alt|=35]] 35, [[AST|ast|=41]] 41, [[creatinine|creatinine|=64]] 64.
Has not had [[cetuximab|cetuximab|N]] before. Not a candidate for the dalpiciclib trial at present given her functional decline and the fluid; would reconsider if she recovers after the catheter. Discussed transfusion threshold. No [[DVT|dvt|N]] on leg Doppler."""),
    # ------------------------------------------------------------------ H09 ineligible: age 78, COPD
    ("H09", "H09-N1", "2025-08-25", "progress_note", """SOAP - ENT/Oncology joint clinic

S: [[78 yo|age|=78]] [[F|sex|=female]], [[laryngeal SCC|hnscc|]] (transglottic), [[recurrent|recurrent_disease|]] after RT 2021, [[inoperable|locally_advanced|]] given lung function. Had [[AK105|penpulimab|H]] ([[penpulimab|penpulimab|H]]) 6 cycles Feb-Jun 2025, last 25/06; scan 28/07 = [[progression|disease_progression|]], stoma-adjacent mass [[2.3 cm|measurable_lesion|=23]]. Complains of increasing cough, more sputum in the mornings, using her inhaler 4x daily.
PMH: [[COPD|copd|]] (GOLD 3) on tiotropium + ICS/LABA, [[FEV1|fev1|=0.98]] 0.98 L (May 2025). Osteoporosis. [[Atrial fibrillation|arrhythmia|H]] in 2018 after hip surgery, resolved, none since.

O: T 36.8, sats 92% RA, wheeze bilaterally. PE: no calf tenderness, no lymphadenopathy palpable. [[ECOG|ecog|=1]] 1.
Tumour [[p16|p16_status|=negative]] negative on the 2021 biopsy.

A: [[recurrent|recurrent_disease|]] [[laryngeal SCC|hnscc|]] [[progressing|disease_progression|]] after [[anti-PD-1|anti_pd1|H]]; active [[COPD|copd|]] with a mild exacerbation.
P: prednisolone 30 mg x5d, sputum culture. Trial with dalpiciclib not possible - she is over 75 and has [[COPD|copd|]]. Discuss palliative RT."""),
    ("H09", "H09-N2", "2025-08-25", "lab", """Biochemistry / Haematology  25.08.2025
[[Haemoglobin|hemoglobin|=121]]        121 g/L      (115-165)
[[White cell count|wbc|=10.2]]   10.2 x10^9/L (4.0-11.0)
[[Neutrophils|anc|=7.9]]        7.9 x10^9/L  H
[[Platelets|platelets|=312]]         312 x10^9/L
[[Bilirubin|total_bilirubin|=6]]         6 umol/L     (<21)
[[ALT|alt|=12]]               12 U/L
[[AST|ast|=17]]               17 U/L
[[Creatinine|creatinine|=82]]        82 umol/L    (45-90)
[[eGFR|creatinine_clearance|=58]]              58 mL/min/1.73m2
[[Urea|urea_nitrogen|=182]]              6.5 mmol/L
CRP 24 mg/L (H)
Comment: neutrophilia, correlate clinically. Recent steroid exposure or infection can raise the count. Sample received at 09:40, analysed at 10:15. Renal function reported with the CKD-EPI equation; interpret with caution at extremes of body size. Requesting clinician: ENT/oncology joint clinic. Copy to general practitioner."""),
    # ------------------------------------------------------------------ H10 ineligible: active HBV, recent anti-PD-1
    ("H10", "H10-N1", "2025-08-20", "radiology", """MRI NECK + CT CHEST, 20/08/2025
Clinical: [[hypopharyngeal squamous cell carcinoma|hnscc|]], [[recurrent|recurrent_disease|]], on [[serplulimab|serplulimab|]]; ?response.
MRI: Left pyriform sinus mass [[3.6 x 2.4 cm|measurable_lesion|=36]] (prior [[2.8 x 2.0 cm|measurable_lesion|=28]]), extending into the left paraglottic space. Left level II node [[1.9 cm|measurable_lesion|=19]] short axis.
CT chest: no pulmonary nodules; no [[pleural effusion|pleural_effusion|N]]. Liver: coarse echotexture and nodular contour, no focal lesion; no [[ascites|ascites|N]].
Technique: MRI neck with and without gadolinium, axial and coronal sequences; CT chest in the portal venous phase.
IMPRESSION: Local [[progression|disease_progression|]] with enlarging primary and nodal disease. Hepatic morphology suggests chronic liver disease; correlate with hepatology follow-up."""),
    ("H10", "H10-N2", "2025-08-21", "lab", """HEPATITIS PANEL / SCREENING BLOODS   21-08-2025
[[HBsAg|hbsag|=positive]]            POSITIVE   (ref: negative)
[[HBcAb total|hbcab|=positive]]       POSITIVE
[[HBV DNA|hbv_dna|=4100]]           4.1 x 10^3 IU/mL   (LLQ 20)
[[HCV-Ab|hcv_ab|=negative]]            negative
[[HIV Ag/Ab|hiv|=negative]]         negative
[[Syphilis Ab|syphilis|=negative]]       negative
[[Hb|hemoglobin|=134]]                134 g/L
[[WBC|wbc|=5.8]]               5.8
[[PLT|platelets|=98]]               98  L
[[TBIL|total_bilirubin|=24]]              24 umol/L  H (ULN 21)
[[ALT|alt|=52]]               52 U/L  H (ULN 40)
[[AST|ast|=61]]               61 U/L  H (ULN 40)
[[Cr|creatinine|=77]]                77 umol/L
Comment: [[HBV viral load|hbv_dna|]] above the lower limit of quantification. Liver tests raised compared with the previous sample; discussed with the requesting team by telephone. Hepatology review advised before any new systemic treatment."""),
    ("H10", "H10-N3", "2025-08-26", "screening_note", """Screening note (research)  26/08/2025
[[55-year-old|age|=55]] [[male|sex|=male]] referred for dalpiciclib/[[cetuximab|cetuximab|Y]] trial.
Index cancer: [[recurrent|recurrent_disease|]] left [[hypopharyngeal SCC|hnscc|]], [[p16|p16_status|=negative]] negative (biopsy 03/2025).
Prior tx: [[chemoradiation|chemotherapy|H]] with [[nedaplatin|nedaplatin|H]] 2023; [[serplulimab|serplulimab|H]] from 04/2025, most recent dose 12/08/2025, stopped after the MRI of 20/08 showed [[progression|disease_progression|]]. No other anticancer therapy ongoing.
Known [[chronic hepatitis B|hepatitis_b|]] on entecavir since 2024; viral load still detectable ([[HBV DNA|hbv_dna|=4100]] 4.1 x 10^3 IU/mL on 21/08); blood counts and liver tests abnormal on 21/08.
[[ECOG|ecog|=1]] 1. No [[diabetes|diabetes|N]]. Never had [[cetuximab|cetuximab|N]].
Conclusion: screen fail - [[active hepatitis B|hepatitis_b|]] with detectable [[HBV DNA|hbv_dna|]], and the last [[anti-PD-1|anti_pd1|H]] dose is within 4 weeks of the planned start. Refer back to treating oncologist."""),
    # ------------------------------------------------------------------ H11 needs_review: labs only old
    ("H11", "H11-N1", "2025-07-10", "lab", """OUTPATIENT BLOODS 10/07/2025
[[Hgb|hemoglobin|=136]] 13.6 g/dL   [[WBC|wbc|=7.1]] 7.1   [[ANC|anc|=4.6]] 4.6   [[Plt|platelets|=255]] 255
[[T. bili|total_bilirubin|=8.55]] 0.5 mg/dL   [[AST|ast|=26]] 26   [[ALT|alt|=30]] 30   [[Creat|creatinine|=79.56]] 0.9 mg/dL
[[HIV Ab|hiv|=negative]]: non-reactive
[[TPPA|syphilis|=negative]]: non-reactive
[[HBsAg|hbsag|=negative]]: non-reactive
[[HCV Ab|hcv_ab|=negative]]: non-reactive
[[HbA1c|hba1c|=5.6]] 5.6 %
Collected by: phlebotomy, clinic B. No haemolysis. Results reviewed by the on-call registrar; nothing actionable. Patient informed by letter. These results were requested at the routine follow-up visit and are valid for clinical monitoring only; any study-specific screening requires fresh samples drawn within the protocol window."""),
    ("H11", "H11-N2", "2025-08-29", "progress_note", """Medical oncology progress note - 29/08/2025

[[66-year-old|age|=66]] [[man|sex|=male]] with [[recurrent|recurrent_disease|]] right [[oral tongue SCC|hnscc|]] ([[p16|p16_status|=negative]] negative), originally resected 2022 and treated with adjuvant [[chemoradiotherapy|chemotherapy|H]] ([[cisplatin|cisplatin|H]]). [[Relapse|recurrent_disease|]] in the right neck 12/2024. He had [[Opdivo|nivolumab|H]] from January, last dose 30/05/2025; CT 20/06/2025 showed [[progression|disease_progression|]] with a right level II mass of [[3.3 cm|measurable_lesion|=33]].
Since then no treatment; he travelled to see family in July and is back now.
Feels well, [[ECOG|ecog|=0]] 0. Weight steady. Neck mass firm, non-tender.
No significant past history apart from gout. Never smoked. No history of [[heart failure|heart_failure|N]] or [[arrhythmia|arrhythmia|N]].
Last bloods 10/07 were all in range; serology negative. Screening bloods for the trial are booked for next week.
Plan: screening for the dalpiciclib + [[cetuximab|cetuximab|Y]] trial; he has never had [[cetuximab|cetuximab|N]] or other [[anti-EGFR antibody|anti_egfr_mab|N]]. Tissue request sent to pathology."""),
    # ------------------------------------------------------------------ H12 needs_review: no syphilis test
    ("H12", "H12-N1", "2025-07-24", "radiology", """CT NECK/CHEST 24 Jul 2025
Hx: [[floor of mouth SCC|hnscc|]], [[recurrent|recurrent_disease|]], on [[pembrolizumab|pembrolizumab|]] maintenance.
Findings: The [[recurrent|recurrent_disease|]] floor of mouth mass has enlarged to [[2.9 x 2.1 cm|measurable_lesion|=29]] from [[1.8 x 1.5 cm|measurable_lesion|=18]]. Bilateral level I nodes, right [[1.2 cm|measurable_lesion|=12]] short axis. Lungs: no nodules. No [[pleural effusion|pleural_effusion|N]].
Impression: [[Progressive disease|disease_progression|]] at the primary site and right neck. No distant [[metastatic|metastatic_disease|N]] disease.
Technique: contrast-enhanced helical CT from skull base to adrenals, 1.25 mm reconstructions. Dental amalgam artefact limits assessment of the oral cavity at the level of the alveolus. Result communicated to the requesting oncologist."""),
    ("H12", "H12-N2", "2025-08-27", "consultation", """Oncology consult - trial referral

Reason: eligibility review, dalpiciclib + [[cetuximab|cetuximab|Y]] study.
HPI: [[49 y/o|age|=49]] [[female|sex|=female]], [[floor of mouth squamous cell carcinoma|hnscc|]], tumour [[p16|p16_status|=negative]] neg. Surgery + PORT 2023. [[Recurrence|recurrent_disease|]] Jan 2025 -> [[pembrolizumab|pembrolizumab|H]] + [[carboplatin|carboplatin|H]]/[[5-FU|fluorouracil|H]] x6, then [[pembro|pembrolizumab|H]] maintenance, last dose 01 Jul 2025. CT 24 Jul: [[progression|disease_progression|]] (primary [[2.9 cm|measurable_lesion|=29]]). Nothing since.
PMH: migraine; seasonal allergies. No [[diabetes|diabetes|N]], no [[asthma|asthma|N]].
[[PS|ecog|=1]] 1 (works from home).
Labs 25/08/2025: [[Hgb|hemoglobin|=122]] 12.2 g/dL, [[WBC|wbc|=5.0]] 5.0, [[ANC|anc|=2.6]] 2.6, [[Plt|platelets|=198]] 198, [[TBili|total_bilirubin|=5.13]] 0.3 mg/dL, [[AST|ast|=17]] 17, [[ALT|alt|=14]] 14, [[SCr|creatinine|=61.0]] 0.69 mg/dL.
Serologies 25/08: [[HIV Ab|hiv|=negative]] non-reactive, [[HBsAg|hbsag|=negative]] negative, [[anti-HCV|hcv_ab|=negative]] negative.
Never received [[cetuximab|cetuximab|N]]; no [[TKI|egfr_tki|N]].
Impression: [[HPV|hpv_status|=negative]]-negative [[recurrent|recurrent_disease|]] [[oral cavity SCC|hnscc|]] refractory to [[anti-PD-1|anti_pd1|H]]; appears suitable. Will forward to the study coordinator."""),
    # ------------------------------------------------------------------ H13 needs_review: no p16, only HPV PCR
    ("H13", "H13-N1", "2025-05-06", "pathology", """PATHOLOGY SYNOPSIS
Specimen: Left supraglottic larynx, endoscopic biopsy.
Diagnosis: Squamous cell carcinoma, moderately differentiated, keratinizing.
Ancillary: [[HPV|hpv_status|=negative]] DNA PCR (high-risk genotypes 16/18/31/33/35/45/52/58): not detected.
Note: immunostains not performed owing to limited tissue. Lymphovascular invasion not identified in the sampled fragments.
Clinical correlation: [[recurrent|recurrent_disease|]] [[laryngeal squamous cell carcinoma|hnscc|]] following prior radiotherapy (2020).
Gross: Five fragments of grey-white tissue, aggregate 0.6 cm, all embedded.
Microscopy shows nests of atypical squamous cells with keratin pearls invading the subepithelial stroma.
Pathologist: Dr M. Ferreira"""),
    ("H13", "H13-N2", "2025-08-26", "progress_note", """Progress note 8/26/2025 - med onc

[[71 yo|age|=71]] [[M|sex|=male]] w/ [[recurrent|recurrent_disease|]] [[laryngeal SCC|hnscc|]] (bx 5/2025, [[HPV|hpv_status|=negative]] PCR neg), not a salvage laryngectomy candidate - [[not a surgical candidate|locally_advanced|]] per ENT due to extent. Started [[nivo|nivolumab|H]] 6/2024 for a first [[relapse|recurrent_disease|]]; last dose 6/18/2025. CT 7/30: [[PD|disease_progression|]], L supraglottic mass [[2.5 cm|measurable_lesion|=25]], L level III node [[1.2 cm|measurable_lesion|=12]].
Feels ok, mild hoarseness. [[ECOG|ecog|=1]] 1.
Labs 8/22: [[Hgb|hemoglobin|=138]] 13.8, [[WBC|wbc|=7.4]] 7.4, [[Plt|platelets|=190]] 190, [[TBili|total_bilirubin|=11.97]] 0.7, [[AST|ast|=23]] 23, [[ALT|alt|=20]] 20, [[SCr|creatinine|=106.08]] 1.2, [[CrCl|creatinine_clearance|=61]] 61.
[[HIV|hiv|=negative]] neg, [[RPR|syphilis|=negative]] neg, [[HBsAg|hbsag|=negative]] neg, [[anti-HCV|hcv_ab|=negative]] neg.
PMH: BPH, HTN. Quit smoking 2020.
No prior [[cetuximab|cetuximab|N]]. Not on treatment.
Plan: trial screen for dalpiciclib/[[cetuximab|cetuximab|Y]]; ask pathology whether enough tissue remains to run [[p16|p16_status|Y]] IHC."""),
    # ------------------------------------------------------------------ H14 needs_review: progression vs pseudoprogression
    ("H14", "H14-N1", "2025-08-12", "radiology", """CT NECK W CONTRAST  2025-08-12
Indication: [[recurrent|recurrent_disease|]] [[oral tongue cancer|hnscc|]], immunotherapy response assessment.
Comparison: 2025-05-20.
Findings: The right oral tongue/floor of mouth lesion measures [[2.8 x 2.3 cm|measurable_lesion|=28]], previously [[2.3 x 2.0 cm|measurable_lesion|=23]], with more central low attenuation than before and surrounding oedema. Right level IIA node decreased to [[0.9 cm|measurable_lesion|=9]] short axis (was [[1.3 cm|measurable_lesion|=13]]).
Impression: Mixed response. Enlargement of the primary lesion may represent [[progression|disease_progression|U]]; pseudoprogression/treatment-related inflammation cannot be excluded given the decrease in nodal disease. Suggest short-interval follow-up. No new lesion elsewhere in the neck."""),
    ("H14", "H14-N2", "2025-08-25", "clinic_note", """Oncology clinic, 25 Aug 2025

[[60-year-old|age|=60]] [[woman|sex|=female]], [[recurrent|recurrent_disease|]] right [[oral tongue SCC|hnscc|]] ([[p16|p16_status|=negative]] negative). [[Pembrolizumab|pembrolizumab|H]] monotherapy 8 cycles, last 22/07/2025; she chose to stop after cycle 8 because of fatigue.
CT 12/08 equivocal - primary slightly larger but node smaller. Radiology and I both feel pseudoprogression remains possible; we have not confirmed [[progression|disease_progression|U]].
[[ECOG|ecog|=1]] 1. Tongue pain 3/10. Eating well.
Labs 22/08: [[Hb|hemoglobin|=124]] 124, [[WBC|wbc|=6.1]] 6.1, [[Plt|platelets|=220]] 220, [[bili|total_bilirubin|=8]] 8, [[AST|ast|=25]] 25, [[ALT|alt|=27]] 27, [[creat|creatinine|=66]] 66.
[[HIV|hiv|=negative]] neg, [[TP-Ab|syphilis|=negative]] neg, [[HBsAg|hbsag|=negative]] neg, [[HCV Ab|hcv_ab|=negative]] neg.
History: well-controlled hypothyroidism; no [[pneumonitis|interstitial_lung_disease|N]] during immunotherapy.
Never given [[cetuximab|cetuximab|N]].
Plan: repeat CT late September. If [[progression|disease_progression|Y]] is confirmed, screen for the dalpiciclib/[[cetuximab|cetuximab|Y]] [[clinical trial|clinical_trial_participation|Y]]."""),
]

# ----------------------------------------------------------------------------- verdicts
ELIGIBLE = {"I1": "met", "I2": "met", "I3": "met", "I4": "met", "I5": "not_computable", "I6": "met",
            "I7": "not_computable", "I8": "met", **{f"E{i}": "not_met" for i in range(1, 16)},
            "E13": "not_computable", "E14": "not_computable"}

PATIENTS: dict[str, tuple[str, dict[str, str], str]] = {
    "H01": ("eligible", {"I7": "met"},
            "p16-neg recurrent oral tongue SCC, PD on pembrolizumab (last 2025-06-03), labs/serology 2025-08-20 ok, ECOG 1, life expectancy > 6 months, HbA1c 6.8%"),
    "H02": ("eligible", {},
            "p16-neg metastatic laryngeal SCC, PD on nivolumab (last 2025-07-08), KPS 80, trace asymptomatic effusion, labs 2025-08-20 ok, family breast cancer only"),
    "H03": ("eligible", {},
            "p16-neg recurrent unresectable hypopharyngeal SCC, PD after toripalimab (last 2025-07-01), pegfilgrastim only in 03/2025, prostate cancer 2016 (>5 y), labs 2025-08-25 ok"),
    "H04": ("eligible", {},
            "p16-neg metastatic buccal SCC, PD after sintilimab (last 2025-06-20), isolated HBcAb+ with HBV DNA not detected, childhood asthma, labs 2025-08-19 ok"),
    "H05": ("eligible", {},
            "p16-neg recurrent inoperable tonsil SCC, PD after camrelizumab (last 2025-07-10), MI/PCI 2019 (>1 y), labs 2025-08-28 ok"),
    "H06": ("ineligible", {"I8": "unknown", "E1": "met", "E5": "unknown", "E6": "unknown"},
            "prior cetuximab with RT 2022 (E1); no WBC/ANC or TBIL/AST/ALT values in window, no serology"),
    "H07": ("ineligible", {"I4": "not_met"},
            "p16-positive / HPV RNA ISH positive oropharyngeal SCC (I4)"),
    "H08": ("ineligible", {"I3": "met", "I6": "not_met", "I8": "not_met", "E5": "unknown", "E6": "unknown", "E8": "met"},
            "ECOG 2 (I6), Hb 96 g/L (I8), recurrent symptomatic malignant pleural effusion needing drainage (E8); no serology"),
    "H09": ("ineligible", {"I1": "not_met", "I8": "not_met", "E5": "unknown", "E6": "unknown", "E9": "met"},
            "age 78 (I1); active COPD with exacerbation (E9); FEV1 0.98 L (I8); no serology"),
    "H10": ("ineligible", {"I3": "not_met", "I8": "not_met", "E6": "met"},
            "chronic hepatitis B on entecavir with HBV DNA 4.1e3 IU/mL (E6); last serplulimab 2025-08-12, within 4 weeks (I3); PLT 98 and AST 61 > 1.5 ULN (I8)"),
    "H11": ("needs_review", {"I8": "unknown"},
            "all criteria satisfied except labs: latest labs 2025-07-10, outside the 2-week window (I8 unknown)"),
    "H12": ("needs_review", {"E5": "unknown"},
            "no syphilis antibody result (E5 unknown); otherwise eligible"),
    "H13": ("needs_review", {"I4": "unknown"},
            "p16 never reported, only HPV DNA PCR negative (I4 unknown)"),
    "H14": ("needs_review", {"I3": "unknown"},
            "progression vs pseudoprogression after pembrolizumab not confirmed (I3 unknown)"),
}


# ----------------------------------------------------------------------------- build


def lexicon_units() -> dict[str, str | None]:
    units: dict[str, str | None] = {}
    for line in (ROOT / "models" / "lexicon" / "concepts.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            units[d["concept"]] = d.get("unit") or None
    return units


def parse_value(concept: str, raw: str):
    try:
        num = float(raw)
    except ValueError:
        return raw
    return int(num) if concept in INT_CONCEPTS else num


def parse_note(body: str, pid: str, nid: str, units: dict) -> tuple[str, list[dict]]:
    out: list[str] = []
    facts: list[dict] = []
    pos = 0
    length = 0
    for m in MARK.finditer(body):
        before = body[pos:m.start()]
        out.append(before)
        length += len(before)
        span, concept, flags = m.group(1), m.group(2), m.group(3).split()
        value = unit = None
        rec = {f: False for f in FLAGS.values()}
        for tok in flags:
            if tok.startswith("="):
                value = parse_value(concept, tok[1:])
            elif tok.startswith("@"):
                unit = tok[1:]
            else:
                for ch in tok:
                    rec[FLAGS[ch]] = True
        if isinstance(value, (int, float)) and unit is None and concept not in INT_CONCEPTS:
            unit = units.get(concept)
        facts.append({"patient_id": pid, "note_id": nid, "concept": concept, "start": length,
                      "end": length + len(span), "text": span, "value": value, "unit": unit, **rec})
        out.append(span)
        length += len(span)
        pos = m.end()
    out.append(body[pos:])
    text = "".join(out)
    assert "[[" not in text and "]]" not in text, f"{nid}: unbalanced markup"
    return text, facts


status_of = status_of_verdict_map  # the tool's own status rule (pipeline.match.rank)


def build() -> None:
    units = lexicon_units()
    concepts = set(json.loads((ROOT / "corpora" / "cohort" / "annotation.json").read_text(encoding="utf-8"))["concepts"])
    notes, facts = [], []
    seen = set()
    for pid, nid, date, ntype, body in NOTES:
        assert nid not in seen, nid
        seen.add(nid)
        assert "2025-01-01" <= date <= "2025-08-31", (nid, date)
        text, nf = parse_note(body, pid, nid, units)
        words = len(text.split())
        assert 80 <= words <= 400, f"{nid}: {words} words"
        for f in nf:
            assert text[f["start"]:f["end"]] == f["text"], f
            assert f["concept"] in concepts, f"{nid}: {f['concept']} not in annotation.json"
            assert f["concept"] in units, f"{nid}: {f['concept']} not in the lexicon"
        notes.append({"patient_id": pid, "note_id": nid, "date": date, "note_type": ntype, "text": text})
        facts.extend(nf)
    pids = sorted({n["patient_id"] for n in notes})
    assert pids == sorted(PATIENTS), (pids, sorted(PATIENTS))
    gold_patients = []
    for pid in pids:
        status, overrides, comment = PATIENTS[pid]
        verdicts = {c: overrides.get(c, ELIGIBLE[c]) for c in CRITERIA}
        assert set(overrides) <= set(CRITERIA), pid
        assert status_of(verdicts) == status, f"{pid}: status {status} but rule gives {status_of(verdicts)}"
        gold_patients.append({"patient_id": pid, "status": status, "verdicts": verdicts, "notes": comment})

    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "notes.jsonl").open("w", encoding="utf-8") as fh:
        for n in notes:
            fh.write(json.dumps(n, ensure_ascii=False) + "\n")
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["patient_id", "note_id", "date", "note_type", "text"], lineterminator="\n")
    w.writeheader()
    w.writerows(notes)
    (OUT / "notes.csv").write_text(buf.getvalue(), encoding="utf-8")
    with (OUT / "gold_facts.jsonl").open("w", encoding="utf-8") as fh:
        for f in facts:
            fh.write(json.dumps(f, ensure_ascii=False) + "\n")
    with (OUT / "gold_patients.jsonl").open("w", encoding="utf-8") as fh:
        for g in gold_patients:
            fh.write(json.dumps(g, ensure_ascii=False) + "\n")
    shutil.copyfile(ROOT / "corpora" / "cohort" / "annotation.json", OUT / "annotation.json")
    (OUT / "meta.json").write_text(json.dumps({"listing": "corpora/listings/NCT06935188.txt", "as_of": "2025-09-01",
                                               "first_dose": "2025-09-01"}, indent=1) + "\n", encoding="utf-8")
    by_status: dict[str, int] = {}
    for g in gold_patients:
        by_status[g["status"]] = by_status.get(g["status"], 0) + 1
    print(f"{len(pids)} patients, {len(notes)} notes, {len(facts)} gold facts; statuses {by_status}")


if __name__ == "__main__":
    build()
    sys.exit(0)
