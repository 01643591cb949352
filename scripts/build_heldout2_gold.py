"""Build the second held-out cohort ``corpora/cohort_heldout2/`` from the inline-annotated notes below.

Markup: ``[[span|concept|flags...]]`` where each flag token is ``=VALUE``, ``@UNIT`` or a string of
assertion letters (``N`` negated, ``H`` historical, ``Y`` hypothetical, ``F`` family, ``U`` uncertain).
Offsets are computed here from the markup-free text, and every span is checked against the note text.
Gold was written by reading the notes only; the trialsieve extractor/matcher was never run on them.

Run: ``.venv/bin/python scripts/build_heldout2_gold.py``
"""
from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

from pipeline.match.rank import status_of_verdict_map

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "corpora" / "cohort_heldout2"
sys.path.insert(0, str(ROOT))

MARK = re.compile(r"\[\[([^\[\]|]+)\|([a-z0-9_]+)((?:\|[^\[\]|]*)*)\]\]")
FLAGS = {"N": "negated", "H": "historical", "Y": "hypothetical", "F": "family", "U": "uncertain"}
INT_VALUED = {"ecog"}

# (patient_id, note_id, date, note_type, marked-up text)
NOTES: list[tuple[str, str, str, str, str]] = [
    # ------------------------------------------------------------------ K01 eligible
    ("K01", "K01-1", "2025-03-04", "oncology progress note", """MEDICAL ONCOLOGY REVIEW - 04/03/2025
Patient: K01, [[63-year-old|age|=63|@year]] [[man|sex|=male]].
Dx: left [[oral tongue SCC|hnscc]], pT3N2b, resected 06/2023, adjuvant [[chemoradiation|chemotherapy|H]] with weekly [[cisplatin|cisplatin|H]] (completed 08/2023). Locoregional [[recurrence|recurrent_disease]] 11/2024 (biopsy-proven, left neck).
Current treatment: [[pembrolizumab|pembrolizumab]] + [[carboplatin|carboplatin]]/[[5-FU|fluorouracil]] since 12/2024, now C4. Tolerating well apart from grade 1 fatigue and mild mucositis.
Exam: left neck fullness slightly softer than at baseline. [[ECOG|ecog|=1]] 1.
Family: father died of [[colon cancer|other_malignancy|F]] aged 80.
Social: ex-smoker (25 pack-years, quit 2019), alcohol 2 standard drinks/week.
Plan: complete C6 of [[chemo|chemotherapy]] then [[pembro|pembrolizumab]] maintenance q3w. Restaging CT after C6."""),
    ("K01", "K01-2", "2025-07-10", "radiology", """CT NECK AND CHEST WITH CONTRAST  10/07/2025
Indication: [[recurrent|recurrent_disease]] [[oral tongue squamous cell carcinoma|hnscc]] on maintenance [[pembrolizumab|pembrolizumab]]. Comparison 14/03/2025.
Findings: Necrotic left level IIa nodal mass now [[2.8 x 2.2 cm|measurable_lesion|=28|@mm]] (previously [[1.6 x 1.2 cm|measurable_lesion|=16|@mm]]). New spiculated nodule right lower lobe [[1.4 cm|measurable_lesion|=14|@mm]]. No [[pleural fluid|pleural_effusion|N]]. Liver and adrenals unremarkable.
Impression: Interval [[progression|disease_progression]] of left neck nodal disease and a new pulmonary nodule, suspicious for [[metastasis|metastatic_disease|U]].
Technique: helical acquisition from skull base to adrenals after 80 mL IV contrast, 1.25 mm reconstructions. Post-surgical changes of the left hemiglossectomy and free-flap reconstruction are stable. The airway is patent. Thyroid unremarkable. No suspicious osseous lesion.
Reported by: Consultant Radiologist."""),
    ("K01", "K01-3", "2025-08-22", "trial screening note", """TRIAL SCREENING - NCT06935188 (dalpiciclib + [[cetuximab|cetuximab|Y]] vs [[cetuximab|cetuximab|Y]]) - 22/08/2025
[copied forward from review 04/03/2025] Dx: left [[oral tongue SCC|hnscc]], resected 06/2023, adjuvant [[chemoradiation|chemotherapy|H]] with [[cisplatin|cisplatin|H]]. [[Recurrence|recurrent_disease]] 11/2024.
Interval: [[pembrolizumab|pembrolizumab|H]] + [[carboplatin|carboplatin|H]]/[[5-FU|fluorouracil|H]] x6 then [[pembro|pembrolizumab|H]] maintenance; last dose 26/06/2025. CT 10/07/2025 shows [[progression|disease_progression]] (left neck node [[2.8 cm|measurable_lesion|=28|@mm]], new RLL nodule [[1.4 cm|measurable_lesion|=14|@mm]]). [[Pembrolizumab|pembrolizumab|H]] stopped. Not on any anticancer therapy now.
Pathology 2023: [[p16|p16_status|=negative]] IHC negative.
Never received an [[EGFR antibody|anti_egfr_mab|N]] or [[TKI|egfr_tki|N]]. No prior [[clinical trial|clinical_trial_participation|N]].
PMH: hypertension on amlodipine. No cardiac or lung disease, no [[psychiatric illness|psychiatric_disorder|N]].
[[ECOG|ecog|=1]] 1.
Labs 20/08/2025: [[Hb|hemoglobin|=124|@g/L]] 124 g/L, [[WBC|wbc|=5.8|@10^9/L]] 5.8, [[ANC|anc|=3.6|@10^9/L]] 3.6, [[PLT|platelets|=212|@10^9/L]] 212, [[T.bili|total_bilirubin|=9|@umol/L]] 9 umol/L, [[AST|ast|=22|@U/L]] 22, [[ALT|alt|=18|@U/L]] 18, [[Cr|creatinine|=81|@umol/L]] 81 umol/L, [[urine protein|urine_protein|=negative]] negative.
Serology 20/08/2025: [[HIV Ab|hiv|=negative]] non-reactive, [[TPPA|syphilis|=negative]] non-reactive, [[HBsAg|hbsag|=negative]] negative, [[HCV Ab|hcv_ab|=negative]] negative.
Assessment: appears to meet entry criteria; tissue block request sent to pathology."""),
    # ------------------------------------------------------------------ K02 ineligible: prior cetuximab
    ("K02", "K02-1", "2025-02-18", "oncology consultation", """Dear Dr Whitlam,

Re: K02, [[58|age|=58|@year]] year old [[woman|sex|=female]]

Thank you for your ongoing care of this lady with [[recurrent|recurrent_disease]] [[glottic squamous cell carcinoma|hnscc]]. To recap, she was treated in 2022 with definitive radiotherapy (70 Gy) with concurrent [[cetuximab|cetuximab|H]], as she was considered unsuitable for [[cisplatin|cisplatin|N]] because of pre-existing sensorineural hearing loss. She remained disease free until 10/2024 when a biopsy of a right paratracheal node confirmed [[recurrence|recurrent_disease]].
She started [[nivolumab|nivolumab]] 240 mg fortnightly in 11/2024 and has now had 7 doses. She reports less hoarseness. [[ECOG|ecog|=0]] 0.
Her other history includes hypothyroidism after radiotherapy (thyroxine 100 mcg) and osteoarthritis. She does not smoke.
We will continue [[nivolumab|nivolumab]] and repeat imaging in three months.

Kind regards,
Medical Oncology Registrar"""),
    ("K02", "K02-2", "2025-06-30", "radiology", """FDG PET-CT  30/06/2025
Clinical: [[recurrent|recurrent_disease]] [[laryngeal SCC|hnscc]] on [[nivolumab|nivolumab]].
Right paratracheal node [[3.1 x 2.4 cm|measurable_lesion|=31|@mm]], SUVmax 14.2 (previously [[2.0 cm|measurable_lesion|=20|@mm]], SUVmax 8.1). New FDG-avid left upper lobe nodule [[1.2 cm|measurable_lesion|=12|@mm]]. Trace physiological uptake in bowel.
Technique: standard protocol, [[blood glucose|glucose|=5.9|@mmol/L]] 5.9 mmol/L at injection, uptake time 62 minutes.
Head and neck: post-radiation changes of the larynx with low-grade symmetric uptake, in keeping with treatment effect. No cervical nodal uptake above the paratracheal region.
Abdomen and pelvis: no abnormal uptake. Skeleton: degenerative uptake at both knees only.
Conclusion: Metabolic and anatomical [[progressive disease|disease_progression]], with probable new lung [[metastasis|metastatic_disease|U]]."""),
    ("K02", "K02-3", "2025-07-15", "tumour board summary", """HEAD & NECK MULTIDISCIPLINARY MEETING - 15/07/2025
K02, [[F|sex|=female]] [[58|age|=58|@year]]. [[Recurrent|recurrent_disease]] [[laryngeal SCC|hnscc]] with [[progression|disease_progression]] on [[nivolumab|nivolumab|H]] (PET 30/06/2025). Last [[nivolumab|nivolumab|H]] 23/06/2025, now ceased.
Previously irradiated with [[cetuximab|cetuximab|H]] (2022). Salvage laryngectomy discussed - not favoured given paratracheal and probable lung disease.
Options discussed: [[docetaxel|docetaxel|Y]]; [[clinical trial|clinical_trial_participation|Y]] of dalpiciclib with [[cetuximab|cetuximab|Y]] - the team noted the trial excludes prior [[anti-EGFR|anti_egfr_mab|Y]] exposure.
Present: ENT surgery, radiation oncology, medical oncology, speech pathology, nursing.
Outcome: refer back to medical oncology for systemic options; palliative care introduction. Speech pathology to review swallow."""),
    # ------------------------------------------------------------------ K03 needs_review: syphilis not tested
    ("K03", "K03-1", "2025-04-12", "discharge summary", """DEPARTMENT OF MEDICAL ONCOLOGY - DISCHARGE SUMMARY
Name: K03   Age/Sex: [[49|age|=49|@year]] Yrs/[[M|sex|=male]]   DOA: 08/04/2025   DOD: 12/04/2025
Diagnosis: [[Ca hypopharynx|hnscc]] (right pyriform sinus) with lung [[metastases|metastatic_disease]]; community acquired [[pneumonia|pneumonia]] right lower lobe.
History: Diagnosed 09/2024, [[metastatic|metastatic_disease]] at presentation. Receiving [[tislelizumab|tislelizumab]] + [[paclitaxel|paclitaxel]] + [[carboplatin|carboplatin]], 3 cycles till date. Admitted with fever and productive cough 4 days.
Course: CXR consolidation RLL. Treated with IV ceftriaxone + azithromycin, afebrile from day 2. Blood cultures sterile.
Condition at discharge: stable, [[ECOG|ecog|=1]] 1.
Advice: oral cefuroxime 5 days. Next cycle after review. Tobacco chewing cessation counselled."""),
    ("K03", "K03-2", "2025-07-28", "radiology", """CECT THORAX - 28/07/2025
Known [[Ca pyriform sinus|hnscc]] with pulmonary [[metastases|metastatic_disease]], on [[tislelizumab|tislelizumab]].
Compared with CT 15/04/2025: Right lower lobe consolidation has resolved. Pulmonary nodules have increased in size and number: largest in the left lower lobe [[1.8 x 1.5 cm|measurable_lesion|=18|@mm]] (earlier [[1.1 cm|measurable_lesion|=11|@mm]]); at least four new subcentimetric nodules. No [[effusion|pleural_effusion|N]].
Mediastinum: subcentimetric paratracheal nodes, not significant. Heart size normal. Upper abdomen: liver and adrenals normal.
Impression: [[Progressive disease|disease_progression]] in lungs. Resolved RLL [[pneumonia|pneumonia|H]].
Suggest: clinical correlation and follow-up as per oncologist."""),
    ("K03", "K03-3", "2025-08-26", "oncology progress note", """OPD NOTE 26/08/2025 - Dr. S. Menon
[[49|age|=49|@year]] [[M|sex|=male]], [[Ca hypopharynx|hnscc]], lung [[mets|metastatic_disease]]. [[Tislelizumab|tislelizumab|H]]/[[paclitaxel|paclitaxel|H]]/[[carboplatin|carboplatin|H]] x 4 then [[tislelizumab|tislelizumab|H]] alone; last dose 03/07/2025. [[Progression|disease_progression]] on CT 28/07 (LLL [[1.8 cm|measurable_lesion|=18|@mm]]). Off treatment since.
Biopsy 2024: [[p16|p16_status|=negative]] negative.
C/o mild dysphagia to solids. No cough now. [[PS|ecog|=1]] 1.
Labs 25/08/2025: [[Hb|hemoglobin|=108|@g/L]] 10.8 g/dL (ref 12-16), [[TLC|wbc|=7.9|@10^9/L]] 7900/cmm, [[platelets|platelets|=265|@10^9/L]] 2.65 lakh, [[S. bilirubin|total_bilirubin|=13.68|@umol/L]] 0.8 mg/dL, [[SGOT|ast|=31|@U/L]] 31, [[SGPT|alt|=27|@U/L]] 27, [[S. creatinine|creatinine|=79.56|@umol/L]] 0.9 mg/dL, [[RBS|glucose|=6.11|@mmol/L]] 110 mg/dL.
Viral markers 25/08: [[HIV I & II|hiv|=negative]] non-reactive, [[HBsAg|hbsag|=negative]] non-reactive, [[anti-HCV|hcv_ab|=negative]] non-reactive.
No h/o [[TB|tuberculosis|N]], [[DM|diabetes|N]] or heart disease. No [[psychiatric illness|psychiatric_disorder|N]].
Plan: screen for dalpiciclib/[[cetuximab|cetuximab|Y]] study; send [[VDRL|syphilis|Y]] with next bloods; block retrieval."""),
    # ------------------------------------------------------------------ K04 eligible
    ("K04", "K04-1", "2025-05-06", "oncology consultation", """Melbourne outpatient clinic letter, 6 May 2025

Dear Dr Nguyen,

I reviewed Mrs K04, a [[70|age|=70|@year]] year old [[woman|sex|=female]] with [[recurrent|recurrent_disease]] [[oropharyngeal squamous cell carcinoma|hnscc]] (left base of tongue), [[p16|p16_status|=negative]] negative on IHC, CPS 20. She had primary [[chemoradiotherapy|chemotherapy|H]] with [[cisplatin|cisplatin|H]] in 2023. Nodal [[recurrence|recurrent_disease]] was confirmed on FNA in December 2024 and she commenced first-line [[pembrolizumab|pembrolizumab]] monotherapy in January 2025.
She is well, walking 3 km a day, [[ECOG|ecog|=0]] 0. Her bloods today show a mild anaemia ([[Hb|hemoglobin|=96|@g/L]] 96) which we will monitor; iron studies requested.
Past history: [[TIA|tia|H]] in 2019 (on aspirin), hypercholesterolaemia, GORD. No [[diabetes|diabetes|N]].
She will continue [[pembrolizumab|pembrolizumab]] three-weekly.

Yours sincerely,
Consultant Medical Oncologist"""),
    ("K04", "K04-2", "2025-07-29", "radiology", """CT NECK/CHEST 29 July 2025
History: [[Recurrent|recurrent_disease]] [[BOT SCC|hnscc]], on [[pembrolizumab|pembrolizumab]].
Comparison: 22 April 2025.
Right level II node has enlarged to [[2.4 cm|measurable_lesion|=24|@mm]] short axis (was [[1.3 cm|measurable_lesion|=13|@mm]]). Left level III node stable at [[8 mm|measurable_lesion|=8|@mm]]. Two new pulmonary nodules, the largest [[11 mm|measurable_lesion|=11|@mm]] in the lingula.
No [[pleural effusion|pleural_effusion|N]]. No pericardial effusion.
Mild centrilobular nodules in the right upper lobe are unchanged. Thyroid normal. No bone lesion. Upper abdomen unremarkable.
Impression: [[Progressive disease|disease_progression]] with new nodal and pulmonary disease.
Findings discussed with the treating team on the day of the scan."""),
    ("K04", "K04-3", "2025-08-26", "oncology progress note", """Telephone encounter + results review, 26/08/2025
Spoke with Mrs K04. [[Pembrolizumab|pembrolizumab|H]] ceased after the scan of 29/07 showed [[progression|disease_progression]]; final dose was 17/07/2025. Skin rash from immunotherapy has settled. She is keen on the dalpiciclib trial. Reports no chest pain, no breathlessness, no falls. Still walking daily ([[ECOG|ecog|=0]] 0).
Results 25/08/2025 (ref ranges): [[Haemoglobin|hemoglobin|=118|@g/L]] 118 g/L (115-165), [[WCC|wbc|=6.1|@10^9/L]] 6.1 (4.0-11.0), [[Neutrophils|anc|=3.9|@10^9/L]] 3.9, [[Platelets|platelets|=244|@10^9/L]] 244, [[Bilirubin|total_bilirubin|=11|@umol/L]] 11 umol/L (<20), [[AST|ast|=25|@U/L]] 25 (<35), [[ALT|alt|=21|@U/L]] 21 (<35), [[Creatinine|creatinine|=72|@umol/L]] 72 umol/L, [[eGFR|creatinine_clearance|=71|@mL/min]] 71.
[[HIV Ab|hiv|=negative]] not detected, [[syphilis antibody|syphilis|=negative]] not detected, [[HBsAg|hbsag|=negative]] not detected, [[HCV Ab|hcv_ab|=negative]] not detected.
No [[G-CSF|hematopoietic_growth_factor|N]] or transfusion this year. Never given [[cetuximab|cetuximab|N]].
Plan: book screening visit; request archival block."""),
    # ------------------------------------------------------------------ K05 ineligible: p16 positive
    ("K05", "K05-1", "2025-02-20", "pathology", """SURGICAL PATHOLOGY REPORT - 20/02/2025
Specimen: Biopsy, right tonsillar fossa ([[recurrence|recurrent_disease|U]] query).
Microscopy: Non-keratinising [[squamous cell carcinoma of the oropharynx|hnscc]] infiltrating fibromuscular stroma.
SYNOPTIC CHECKLIST
[x] Histologic type: squamous cell carcinoma, non-keratinising
[x] [[p16|p16_status|=positive]] IHC: POSITIVE (strong, diffuse nuclear and cytoplasmic, >70% of tumour cells)
[x] [[HPV|hpv_status|=positive]] (high-risk RNA ISH): POSITIVE
[ ] PD-L1 CPS: pending
[x] Lymphovascular invasion: present
[x] Perineural invasion: not identified
[x] Margins: not applicable (biopsy)
Clinical history supplied: prior tonsil primary treated 2021, new mucosal irregularity at the fossa on surveillance endoscopy.
Comment: Findings consistent with [[recurrent|recurrent_disease]] [[HPV|hpv_status|=positive]]-associated carcinoma."""),
    ("K05", "K05-2", "2025-08-21", "trial screening note", """SCREENING NOTE 21/08/2025
K05, [[55|age|=55|@year]] [[M|sex|=male]], [[recurrent|recurrent_disease]] [[tonsil SCC|hnscc]] (initial 2021, [[CRT|chemotherapy|H]] with [[cisplatin|cisplatin|H]]). Right neck [[recurrence|recurrent_disease]] 02/2025; [[nivolumab|nivolumab|H]] 03/2025-06/2025, last dose 12/06/2025; CT 08/07/2025 [[progression|disease_progression]], right neck mass [[3.3 cm|measurable_lesion|=33|@mm]].
[[ECOG|ecog|=1]] 1.
Tumour is [[p16|p16_status|=positive]] positive and [[HPV|hpv_status|=positive]] RNA ISH positive (biopsy 20/02/2025) - the study requires a negative result.
Labs 19/08/2025: [[Hb|hemoglobin|=131|@g/L]] 131, [[ANC|anc|=4.2|@10^9/L]] 4.2, [[Plt|platelets|=198|@10^9/L]] 198, [[bilirubin|total_bilirubin|=14|@umol/L]] 14, [[AST|ast|=28|@U/L]] 28, [[ALT|alt|=33|@U/L]] 33, [[creatinine|creatinine|=88|@umol/L]] 88.
No prior [[anti-EGFR|anti_egfr_mab|N]] therapy. No [[psychiatric illness|psychiatric_disorder|N]] or lung disease.
Outcome: not eligible for NCT06935188; discuss [[cetuximab|cetuximab|Y]] + [[paclitaxel|paclitaxel|Y]] off-study."""),
    # ------------------------------------------------------------------ K06 needs_review: labs outside window
    ("K06", "K06-1", "2025-03-15", "discharge summary", """DISCHARGE SUMMARY - Regional Cancer Centre
Name: K06   Age: [[66|age|=66|@year]] yrs   Sex: [[Female|sex|=female]]
Diagnosis: [[Carcinoma left buccal mucosa|hnscc]] (SCC, moderately differentiated), s/p wide excision + MND 2023, adjuvant RT. [[Recurrent|recurrent_disease]] disease left cheek/infratemporal fossa 01/2025 - [[unresectable|locally_advanced]] per surgical board.
Admitted for cycle 1 [[sintilimab|sintilimab]] + [[cisplatin|cisplatin]] + [[5FU|fluorouracil]] (DOA 12/03/2025). Hydration given; no emesis. Discharged 15/03/2025.
Comorbidities: hypertension (telmisartan), hypothyroid. Brother had [[lung cancer|other_malignancy|F]].
[[ECOG|ecog|=1]] 1. Follow up after 3 weeks for C2.
Medications at discharge: tab ondansetron 8 mg SOS, tab pantoprazole 40 mg OD, tab telmisartan 40 mg OD, tab thyroxine 50 mcg OD.
Advice: soft diet, oral hygiene, report fever or bleeding immediately."""),
    ("K06", "K06-2", "2025-07-22", "lab report", """LAB RESULTS EXPORT   Collected: 22/07/2025 09:14   Patient: K06
Test                      Result    Units       Ref range
[[Haemoglobin|hemoglobin|=112|@g/L]]               11.2      g/dL        12.0-15.5
[[Total leucocyte count|wbc|=6.6|@10^9/L]]     6.6       10^3/uL     4.0-11.0
[[Absolute neutrophils|anc|=4.0|@10^9/L]]      4.0       10^3/uL     2.0-7.5
[[Platelet count|platelets|=301|@10^9/L]]            301       10^3/uL     150-450
[[Total bilirubin|total_bilirubin|=8.55|@umol/L]]           0.5       mg/dL       0.2-1.2
[[AST (SGOT)|ast|=24|@U/L]]                24        U/L         <40
[[ALT (SGPT)|alt|=19|@U/L]]                19        U/L         <41
[[Creatinine|creatinine|=61.88|@umol/L]]                0.7       mg/dL       0.5-1.1
[[Blood urea nitrogen|urea_nitrogen|=120|@mg/L]]       12        mg/dL       7-20
[[HIV 1&2 antibody|hiv|=negative]]          Non-reactive
[[RPR|syphilis|=negative]]                       Non-reactive
[[HBsAg|hbsag|=negative]]                     Non-reactive
[[Anti-HCV|hcv_ab|=negative]]                  Non-reactive
Comments: Sample received in good condition. Values outside the reference range are flagged by the laboratory information system. Verified by: Senior Technologist."""),
    ("K06", "K06-3", "2025-08-19", "oncology progress note", """MEDICAL ONCOLOGY OPD - 19/08/2025
[[66|age|=66|@year]][[F|sex|=female]], [[recurrent|recurrent_disease]] [[buccal mucosa SCC|hnscc]], [[inoperable|locally_advanced]].
Received [[sintilimab|sintilimab|H]] + [[cisplatin|cisplatin|H]]/[[5FU|fluorouracil|H]] x 4, then [[sintilimab|sintilimab|H]] maintenance; last dose 10/07/2025.
CECT face/neck 05/08/2025: infratemporal mass [[4.2 x 3.0 cm|measurable_lesion|=42|@mm]] (was [[3.1 x 2.6 cm|measurable_lesion|=31|@mm]] in May) - [[progression|disease_progression]]. Trismus worse, on soft diet. Pain controlled on tramadol.
[[PS|ecog|=1]] 1. Wt 52 kg (stable).
[[p16|p16_status|=negative]] negative by IHC (2023 specimen).
No [[TB|tuberculosis|N]], no [[asthma|asthma|N]]. No cardiac history.
Plan: for dalpiciclib/[[cetuximab|cetuximab|Y]] trial screening; repeat CBC, LFT, RFT before screening visit."""),
    # ------------------------------------------------------------------ K07 eligible
    ("K07", "K07-1", "2025-04-02", "emergency department note", """ED NOTE 02/04/2025 21:40
[[52|age|=52|@year]] yo [[M|sex|=male]] with [[metastatic|metastatic_disease]] [[floor of mouth SCC|hnscc]] on [[toripalimab|toripalimab]] (last dose 27/03), presenting with 2 days of poor oral intake and dizziness.
PMHx: [[asthma|asthma|H]] as a child - no inhaler for >30 yrs. Appendicectomy. No heart disease.
O/E: T 37.4, HR 104, BP 98/60. Dry mucosa. Chest clear.
CXR: no consolidation; no [[pneumonia|pneumonia|N]].
Bloods: [[Hb|hemoglobin|=133|@g/L]] 13.3 g/dL, [[WBC|wbc|=9.2|@10^9/L]] 9.2, [[Cr|creatinine|=123.76|@umol/L]] 1.4 mg/dL (baseline 0.9), Na 133.
Impression: pre-renal AKI from dehydration. DDx includes immune nephritis - hold [[toripalimab|toripalimab|Y]] if [[creatinine|creatinine|Y]] fails to recover.
Plan: IV fluids 2 L, repeat renal function in AM, oncology to review."""),
    ("K07", "K07-2", "2025-08-01", "radiology", """PET-CT (FDG) 01/08/2025
Indication: [[floor of mouth SCC|hnscc]], [[metastatic|metastatic_disease]] to neck nodes and bone; restaging on [[toripalimab|toripalimab]].
Findings: Left level IB node [[2.1 x 1.5 cm|measurable_lesion|=21|@mm]], SUVmax 11 (prior [[1.2 cm|measurable_lesion|=12|@mm]]). New lytic lesion T9 vertebral body with uptake (non-measurable). Sclerotic L2 lesion unchanged. Lungs clear. No [[effusion|pleural_effusion|N]].
Physiological uptake in the brain, myocardium, kidneys and bladder. Liver and spleen normal.
Impression: [[Progression|disease_progression]] - enlarging nodal disease and new osseous [[metastasis|metastatic_disease]].
Recommend correlation with MRI spine if cord symptoms develop."""),
    ("K07", "K07-3", "2025-08-27", "oncology progress note", """Telephone encounter - 27/08/2025
Called Mr K07 to go through results before screening for study NCT06935188. Last [[toripalimab|toripalimab|H]] 18/07/2025; stopped after the PET of 01/08 confirmed [[progression|disease_progression]]. Mild back ache at T9, paracetamol helps. Up and about, working part-time ([[ECOG|ecog|=1]] 1).
Reminded that his 2024 biopsy was [[p16|p16_status|=negative]] negative (IHC) and that the trial gives [[cetuximab|cetuximab|Y]].
Labs drawn 26/08/2025: [[Hgb|hemoglobin|=129|@g/L]] 12.9 g/dL, [[WBC|wbc|=6.8|@10^9/L]] 6.8 K/uL, [[ANC|anc|=4.4|@10^9/L]] 4.4 K/uL, [[Plt|platelets|=187|@10^9/L]] 187 K/uL, [[Tbili|total_bilirubin|=10.26|@umol/L]] 0.6 mg/dL, [[AST|ast|=19|@U/L]] 19, [[ALT|alt|=23|@U/L]] 23, [[Creat|creatinine|=79.56|@umol/L]] 0.9 mg/dL, [[BUN|urea_nitrogen|=150|@mg/L]] 15 mg/dL.
[[HIV Ab|hiv|=negative]] negative; [[RPR|syphilis|=negative]] non-reactive; [[HBsAg|hbsag|=negative]] negative; [[HCV Ab|hcv_ab|=negative]] negative.
Denies chest pain or palpitations. No inhalers. No [[other cancers|other_malignancy|N]]."""),
    # ------------------------------------------------------------------ K08 ineligible: ECOG 2
    ("K08", "K08-1", "2025-05-20", "infusion center note", """INFUSION CENTRE NURSING NOTE 20/05/2025
K08, [[71|age|=71|@year]] [[M|sex|=male]]. [[Supraglottic SCC|hnscc]], [[recurrent|recurrent_disease]]. Here for cycle 6 [[pembrolizumab|pembrolizumab]] 200 mg IV.
Pre-treatment: [[ECOG|ecog|=1]] 1 per oncologist note. Obs stable. TSH normal.
[[Hb|hemoglobin|=121|@g/L]] 121, [[Neut|anc|=3.1|@10^9/L]] 3.1, [[Plt|platelets|=176|@10^9/L]] 176 - within parameters.
Patient reports mild itch on forearms, managed with emollient. Denies diarrhoea, cough or breathlessness. Weight 68.4 kg.
Infusion given over 30 min without reaction. Cannula removed, site clean. Next due 10/06/2025. Wife present; both understand to call the oncology hotline for fever, new rash, diarrhoea or breathlessness."""),
    ("K08", "K08-2", "2025-08-12", "oncology progress note", """ONCOLOGY CLINIC 12/08/2025
[[71|age|=71|@year]] [[M|sex|=male]] with [[recurrent|recurrent_disease]] [[supraglottic laryngeal cancer|hnscc]] treated with [[pembrolizumab|pembrolizumab|H]] (C1 01/2025 - last 01/07/2025). CT 28/07/2025: [[progression|disease_progression]] at the stoma margin, mass [[3.5 x 2.7 cm|measurable_lesion|=35|@mm]], and a small left [[pleural effusion|pleural_effusion]] not requiring drainage.
Since July he has lost 6 kg, spends most of the afternoon resting in a chair and needs help with showering. [[ECOG|ecog|=2]] 2.
PMH: [[COPD|copd|U]]? - never formally tested, no inhalers; hypertension.
Tumour [[p16|p16_status|=negative]] negative (2022).
Discussed the dalpiciclib/[[cetuximab|cetuximab|Y]] study: his current functional status precludes entry. Plan: dietitian, PEG discussion, consider single-agent [[methotrexate|methotrexate|Y]] vs best supportive care; review 2 weeks."""),
    # ------------------------------------------------------------------ K09 needs_review: anti-HBc+ without HBV DNA
    ("K09", "K09-1", "2025-02-10", "pathology", """PATHOLOGY - STRUCTURED REPORT  10/02/2025
Specimen: core biopsy, left lung lower lobe mass.
Diagnosis: [[Metastatic|metastatic_disease]] squamous cell carcinoma, consistent with [[metastasis|metastatic_disease]] from the known [[oral tongue carcinoma|hnscc]] (resected 2023).
Synoptic:
 - Keratinisation: present
 - [[p16|p16_status|=negative]] (IHC): negative (patchy <5%)
 - TTF-1: negative; p40: positive
 - PD-L1 (22C3) CPS: 15
Comment: Morphology and immunoprofile (TTF-1 negative) support spread from the [[tongue carcinoma|hnscc]].
Specimen adequacy: adequate for ancillary testing, about 40% tumour cellularity. Block A1 retained in the departmental archive. Reported by: Consultant Histopathologist."""),
    ("K09", "K09-2", "2025-07-25", "radiology", """PET-CT WHOLE BODY 25/07/2025
Clinical: [[metastatic|metastatic_disease]] [[oral tongue SCC|hnscc]] on [[penpulimab|penpulimab]] ([[AK105|penpulimab]]) + [[docetaxel|docetaxel]].
Left lower lobe mass [[3.0 x 2.6 cm|measurable_lesion|=30|@mm]] (previously [[2.2 x 1.9 cm|measurable_lesion|=22|@mm]]), SUVmax 12.5. New right hilar node [[1.5 cm|measurable_lesion|=15|@mm]] short axis. No hepatic lesions. No [[effusion|pleural_effusion|N]].
Head and neck: post-glossectomy changes without focal uptake at the primary site. Brain not included in the field. Skeleton: no focal uptake. Physiological activity elsewhere.
Impression: [[Progressive disease|disease_progression]]. Suggest tumour board review. Comparison study: PET-CT 18/03/2025 at the same centre, same scanner and protocol."""),
    ("K09", "K09-3", "2025-08-28", "trial screening note", """STUDY SCREENING - 28/08/2025
K09, [[60|age|=60|@year]]-yr [[woman|sex|=female]]. [[Metastatic|metastatic_disease]] [[tongue SCC|hnscc]] to lung; prior partial glossectomy 2023 + adjuvant RT. [[Penpulimab|penpulimab|H]] + [[docetaxel|docetaxel|H]] 03/2025-07/2025, last dose 08/07/2025; PET 25/07 [[progression|disease_progression]].
[[ECOG|ecog|=1]] 1. [[p16|p16_status|=negative]] negative (IHC, 10/02/2025).
Labs 27/08/2025: [[Hb|hemoglobin|=110|@g/L]] 110 g/L, [[WBC|wbc|=4.6|@10^9/L]] 4.6, [[ANC|anc|=2.5|@10^9/L]] 2.5, [[PLT|platelets|=150|@10^9/L]] 150, [[TBIL|total_bilirubin|=12|@umol/L]] 12, [[AST|ast|=36|@U/L]] 36, [[ALT|alt|=40|@U/L]] 40, [[Cr|creatinine|=66|@umol/L]] 66 umol/L, [[urine protein|urine_protein|=trace]] trace.
Serology 27/08/2025: [[HIV Ab|hiv|=negative]] negative, [[TP-Ab|syphilis|=negative]] negative, [[HBsAg|hbsag|=negative]] negative, [[anti-HBc|hbcab|=positive]] POSITIVE, [[HCV Ab|hcv_ab|=negative]] negative. [[HBV DNA|hbv_dna|Y]] sent 27/08 - result awaited; if above the lab limit, hepatology review before any dosing.
No [[hepatitis B|hepatitis_b|N]] history known. Never received [[cetuximab|cetuximab|N]] or [[nimotuzumab|nimotuzumab|N]]. No recent [[G-CSF|hematopoietic_growth_factor|N]].
Mother had [[breast cancer|other_malignancy|F]]."""),
    # ------------------------------------------------------------------ K10 eligible
    ("K10", "K10-1", "2025-06-03", "problem list", """EHR EXPORT - PROBLEM LIST / MEDICATIONS (printed 03/06/2025)
Patient K10 | [[67|age|=67|@year]] y | [[Male|sex|=male]]
ACTIVE PROBLEMS
 1. [[Laryngeal squamous cell carcinoma|hnscc]], supraglottic - [[recurrent|recurrent_disease]] (onset 02/2025)
 2. [[Type 2 diabetes mellitus|diabetes]] - diet + metformin; last [[HbA1c|hba1c|=6.9|@%]] 6.9% (04/2025)
 3. Essential hypertension
 4. Hypothyroidism, post-radiation
RESOLVED PROBLEMS
 - [[Pneumonia|pneumonia|H]], left lower lobe (01/2024) - resolved
 - [[Laryngeal SCC|hnscc]], primary treatment: RT + [[cisplatin|cisplatin|H]] (2022) - completed
MEDICATIONS
 - [[Nivolumab|nivolumab]] 480 mg IV q4w (started 03/2025)
 - Metformin 1 g BID
 - Perindopril 4 mg daily
 - Levothyroxine 75 mcg daily
ALLERGIES: sulfonamides (rash)"""),
    ("K10", "K10-2", "2025-07-30", "radiology", """CT NECK & THORAX 30/07/2025
Clinical: [[recurrent|recurrent_disease]] [[supraglottic SCC|hnscc]] on [[nivolumab|nivolumab]] since 03/2025.
Findings: Right paraglottic [[recurrent|recurrent_disease]] mass [[1.9 x 1.7 cm|measurable_lesion|=19|@mm]] (prior [[1.0 x 0.9 cm|measurable_lesion|=10|@mm]]). New right level III node [[1.3 cm|measurable_lesion|=13|@mm]] short axis. Lungs: [[emphysema|copd|N]] is not present; no nodules. No [[pleural effusion|pleural_effusion|N]].
Larynx: tracheostomy not present; airway narrowed to 9 mm at the level of the false cords, no stridor reported on the request. Upper abdomen: simple hepatic cyst unchanged. Bones: degenerative change of the lower cervical spine.
Impression: Local and nodal [[progression|disease_progression]]; no distant disease."""),
    ("K10", "K10-3", "2025-08-29", "oncology progress note", """Oncology follow-up 29/08/2025
Reason: pre-screening for dalpiciclib + [[cetuximab|cetuximab|Y]] trial.
[[Nivolumab|nivolumab|H]] discontinued after 5 doses; final infusion 22/07/2025. CT 30/07 confirmed [[progression|disease_progression]] (paraglottic mass [[1.9 cm|measurable_lesion|=19|@mm]]). No immune toxicity.
[[Type 2 DM|diabetes]] well controlled on metformin; [[HbA1c|hba1c|=6.7|@%]] 6.7% on 21/08/2025. No [[COPD|copd|N]] (spirometry normal, [[FEV1|fev1|=2.6|@L]] 2.6 L).
[[ECOG|ecog|=0]] 0.
Tumour: [[p16|p16_status|=negative]] negative on IHC (2025 [[recurrence|recurrent_disease]] biopsy).
Labs 21/08/2025: [[Hb|hemoglobin|=136|@g/L]] 136, [[WBC|wbc|=7.2|@10^9/L]] 7.2, [[Plt|platelets|=220|@10^9/L]] 220, [[bili|total_bilirubin|=15|@umol/L]] 15, [[AST|ast|=30|@U/L]] 30, [[ALT|alt|=35|@U/L]] 35, [[creat|creatinine|=95|@umol/L]] 95, [[glucose|glucose|=7.1|@mmol/L]] 7.1 mmol/L (fasting).
[[HIV|hiv|=negative]] neg, [[syphilis|syphilis|=negative]] neg, [[HBsAg|hbsag|=negative]] neg, [[HCV Ab|hcv_ab|=negative]] neg (21/08/2025).
No prior [[clinical trial|clinical_trial_participation|N]] participation, no [[EGFR antibody|anti_egfr_mab|N]], no heart disease, no [[psychiatric disorder|psychiatric_disorder|N]]."""),
    # ------------------------------------------------------------------ K11 ineligible: second cancer within 5 years
    ("K11", "K11-1", "2025-03-11", "tumour board summary", """TUMOUR BOARD 11/03/2025 - Head and Neck
Patient K11, [[69|age|=69|@year]] [[male|sex|=male]].
Index cancer: [[SCC of the retromolar trigone|hnscc]], pT2N1, resected 2024. Now [[recurrent|recurrent_disease]] in the left submandibular region, biopsy-proven 02/2025; also [[p16|p16_status|=negative]] negative.
Other history: [[prostate adenocarcinoma|other_malignancy|H]], Gleason 4+3, diagnosed 04/2022 and treated with radiotherapy plus goserelin until 10/2024; PSA undetectable. [[Atrial fibrillation|arrhythmia]] rate-controlled on bisoprolol and apixaban.
Imaging reviewed: MRI neck shows the submandibular mass abutting the mandible and surrounding the left carotid bifurcation.
Recommendation: [[unresectable|locally_advanced]] (encases carotid) - first-line [[pembrolizumab|pembrolizumab|Y]] monotherapy (CPS 30)."""),
    ("K11", "K11-2", "2025-08-22", "trial screening note", """TRIAL PRE-SCREEN 22/08/2025
K11, [[69|age|=69|@year]] [[M|sex|=male]]. [[Recurrent|recurrent_disease]] [[retromolar trigone SCC|hnscc]].
[[Pembrolizumab|pembrolizumab|H]] 03/2025-07/2025 (last dose 01/07/2025); CT 24/07/2025 [[progression|disease_progression]], submandibular mass [[3.6 x 2.9 cm|measurable_lesion|=36|@mm]].
[[ECOG|ecog|=1]] 1. [[p16|p16_status|=negative]] negative.
Labs 20/08/2025: [[Hb|hemoglobin|=128|@g/L]] 128, [[WBC|wbc|=5.1|@10^9/L]] 5.1, [[Plt|platelets|=160|@10^9/L]] 160, [[TBIL|total_bilirubin|=10|@umol/L]] 10, [[AST|ast|=20|@U/L]] 20, [[ALT|alt|=17|@U/L]] 17, [[Cr|creatinine|=102|@umol/L]] 102.
[[HIV Ab|hiv|=negative]] neg, [[TPPA|syphilis|=negative]] neg, [[HBsAg|hbsag|=negative]] neg, [[HCV Ab|hcv_ab|=negative]] neg.
[[AF|arrhythmia]] controlled, no palpitations.
Medications: bisoprolol, apixaban, paracetamol. Lives with wife, independent.
Issue: [[prostate cancer|other_malignancy|H]] diagnosed 2022 and treated to 10/2024 - within 5 years; excluded."""),
    # ------------------------------------------------------------------ K12 ineligible: anti-PD-1 too recent
    ("K12", "K12-1", "2025-08-15", "infusion center note", """DAY ONCOLOGY UNIT - 15/08/2025
K12, [[45|age|=45|@year]] [[F|sex|=female]], [[metastatic|metastatic_disease]] [[oral tongue SCC|hnscc]] (lung, nodes). [[p16|p16_status|=negative]] negative.
Cycle 4 [[pembrolizumab|pembrolizumab]] 200 mg + [[docetaxel|docetaxel]] 75 mg/m2 given today. Cycle 3 complicated by febrile neutropenia, so [[pegfilgrastim|filgrastim|Y]] 6 mg s/c to be given tomorrow 16/08.
[[ECOG|ecog|=1]] 1.
Nursing: antiemetics given, premedication with dexamethasone, line flushed. Patient educated on neutropenic precautions and given a fever card. Husband will drive her home. Next appointment with the oncologist after restaging CT.
Pre-infusion: [[Hb|hemoglobin|=104|@g/L]] 104, [[ANC|anc|=2.1|@10^9/L]] 2.1, [[Plt|platelets|=140|@10^9/L]] 140."""),
    ("K12", "K12-2", "2025-08-28", "oncology progress note", """ONCOLOGY NOTE 28/08/2025
[[45|age|=45|@year]] [[F|sex|=female]], [[metastatic|metastatic_disease]] [[tongue SCC|hnscc]]. Received [[pembrolizumab|pembrolizumab|H]] + [[docetaxel|docetaxel|H]] x4, last dose 15/08/2025; [[pegfilgrastim|filgrastim|H]] given 16/08.
CT 25/08/2025: [[progression|disease_progression]] in lungs, largest nodule [[2.3 cm|measurable_lesion|=23|@mm]] (was [[1.5 cm|measurable_lesion|=15|@mm]]).
[[Pembrolizumab|pembrolizumab|H]] and [[docetaxel|docetaxel|H]] stopped. [[ECOG|ecog|=1]] 1.
Labs 27/08/2025: [[Hb|hemoglobin|=102|@g/L]] 102, [[WBC|wbc|=8.8|@10^9/L]] 8.8, [[Plt|platelets|=155|@10^9/L]] 155, [[bilirubin|total_bilirubin|=7|@umol/L]] 7, [[AST|ast|=18|@U/L]] 18, [[ALT|alt|=15|@U/L]] 15, [[creatinine|creatinine|=58|@umol/L]] 58.
[[HIV Ab|hiv|=negative]] neg, [[syphilis|syphilis|=negative]] neg, [[HBsAg|hbsag|=negative]] neg, [[HCV Ab|hcv_ab|=negative]] neg.
Would be interested in the dalpiciclib study; last [[anti-PD-1|anti_pd1|H]] dose is within 4 weeks of a 01/09 start, so not eligible on that date. Plan: revisit screening in mid-September."""),
]

CRITERIA = [f"I{i}" for i in range(1, 9)] + [f"E{i}" for i in range(1, 16)]
BASE = {c: "not_met" for c in CRITERIA}
BASE.update({f"I{i}": "met" for i in range(1, 9)})
BASE.update({"I5": "not_computable", "I7": "not_computable", "E13": "not_computable", "E14": "not_computable"})

# patient -> (overrides of BASE, one-line note). Every deviation from the clean baseline is explicit.
VERDICTS: dict[str, tuple[dict[str, str], str]] = {
    "K01": ({}, "eligible: pembrolizumab last 2025-06-26, CT progression 2025-07-10 (node 28 mm), p16 IHC neg, "
            "ECOG 1, labs 2025-08-20 normal, HIV/TPPA/HBsAg/HCV neg; cetuximab only in the trial title; colon cancer "
            "is the father's"),
    "K02": ({"I4": "unknown", "I8": "unknown", "E1": "met", "E5": "unknown", "E6": "unknown"},
            "ineligible: concurrent cetuximab with radiotherapy in 2022 (E1); p16 never reported, no labs or serology"),
    "K03": ({"E5": "unknown"},
            "needs_review: syphilis serology not done (VDRL only planned), HIV neg; everything else met "
            "(tislelizumab last 2025-07-03, progression 2025-07-28, labs 2025-08-25); pneumonia resolved in April"),
    "K04": ({}, "eligible: pembrolizumab last 2025-07-17, progression 2025-07-29 (node 24 mm), p16 IHC neg, ECOG 0, "
            "labs 2025-08-25 normal (the Hb 96 is from May), serology neg; TIA in 2019 is outside 6 months"),
    "K05": ({"I4": "not_met", "E5": "unknown", "E6": "unknown"},
            "ineligible: p16 IHC positive and HPV RNA ISH positive (I4); no serology"),
    "K06": ({"I8": "unknown"},
            "needs_review: latest labs 2025-07-22, outside the 2-week window (repeat only planned); otherwise met "
            "(sintilimab last 2025-07-10, progression 2025-08-05, mass 42 mm, serology neg)"),
    "K07": ({}, "eligible: toripalimab last 2025-07-18, PET progression 2025-08-01 (node 21 mm), p16 IHC neg, ECOG 1, "
            "labs 2025-08-26 normal (the April creatinine 1.4 mg/dL is old), serology neg; asthma only in childhood"),
    "K08": ({"I6": "not_met", "I8": "unknown", "E5": "unknown", "E6": "unknown"},
            "ineligible: ECOG 2 on 2025-08-12 (I6); labs only from May, no serology; small effusion not drained"),
    "K09": ({"E6": "unknown"},
            "needs_review: anti-HBc positive with HBsAg negative and HBV DNA still pending (E6); all else met "
            "(penpulimab last 2025-07-08, progression 2025-07-25, labs 2025-08-27)"),
    "K10": ({}, "eligible: nivolumab last 2025-07-22, progression 2025-07-30 (mass 19 mm), p16 IHC neg, ECOG 0, "
            "labs 2025-08-21 normal, diabetes controlled (HbA1c 6.7%), pneumonia resolved 2024, serology neg"),
    "K11": ({"E15": "met"},
            "ineligible: prostate adenocarcinoma diagnosed 04/2022, treated until 10/2024 (E15); AF rate-controlled"),
    "K12": ({"I3": "not_met"},
            "ineligible: last pembrolizumab 2025-08-15, less than 4 weeks before first dose (I3); pegfilgrastim "
            "2025-08-16 is before the 1-week window"),
}


status_of = status_of_verdict_map  # the tool's own status rule (pipeline.match.rank)


EXPECTED_STATUS = {"K01": "eligible", "K04": "eligible", "K07": "eligible", "K10": "eligible",
                   "K02": "ineligible", "K05": "ineligible", "K08": "ineligible", "K11": "ineligible",
                   "K12": "ineligible", "K03": "needs_review", "K06": "needs_review", "K09": "needs_review"}


def _value(concept: str, raw: str):
    try:
        num = float(raw)
    except ValueError:
        return raw
    return int(num) if concept in INT_VALUED else num


def parse(marked: str) -> tuple[str, list[dict]]:
    """Plain text and the gold spans of one marked-up note."""
    out: list[str] = []
    spans: list[dict] = []
    pos = 0
    length = 0
    for m in MARK.finditer(marked):
        chunk = marked[pos:m.start()]
        out.append(chunk)
        length += len(chunk)
        span, concept, flag_str = m.group(1), m.group(2), m.group(3)
        rec = {"concept": concept, "start": length, "end": length + len(span), "text": span,
               "value": None, "unit": None, **{f: False for f in FLAGS.values()}}
        for tok in filter(None, flag_str.split("|")):
            if tok.startswith("="):
                rec["value"] = _value(concept, tok[1:])
            elif tok.startswith("@"):
                rec["unit"] = tok[1:]
            else:
                for letter in tok:
                    rec[FLAGS[letter]] = True
        out.append(span)
        length += len(span)
        spans.append(rec)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        raise ValueError("unparsed markup left in note text")
    return text, spans


def main() -> int:
    from pipeline.lexicon import load_lexicon

    annotation = json.loads((ROOT / "corpora" / "cohort" / "annotation.json").read_text(encoding="utf-8"))
    concepts = set(annotation["concepts"])
    lexicon = load_lexicon()
    OUT.mkdir(parents=True, exist_ok=True)
    notes, facts = [], []
    for pid, nid, date, ntype, marked in NOTES:
        text, spans = parse(marked)
        notes.append({"patient_id": pid, "note_id": nid, "date": date, "note_type": ntype, "text": text})
        for s in spans:
            assert text[s["start"]:s["end"]] == s["text"], (nid, s)
            assert s["concept"] in concepts, (nid, s["concept"])
            assert s["concept"] in lexicon, (nid, s["concept"])
            facts.append({"patient_id": pid, "note_id": nid, **s})
    patients = []
    for pid in sorted(VERDICTS):
        over, note = VERDICTS[pid]
        verdicts = {**BASE, **over}
        status = status_of(verdicts)
        assert status == EXPECTED_STATUS[pid], (pid, status)
        patients.append({"patient_id": pid, "status": status, "verdicts": verdicts, "notes": note})
    assert {n["patient_id"] for n in notes} == set(VERDICTS)

    def dump(name: str, rows: list[dict]) -> None:
        (OUT / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")

    dump("notes.jsonl", notes)
    with (OUT / "notes.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["patient_id", "note_id", "date", "note_type", "text"])
        writer.writeheader()
        writer.writerows(notes)
    dump("gold_facts.jsonl", facts)
    dump("gold_patients.jsonl", patients)
    (OUT / "annotation.json").write_text(json.dumps(annotation, indent=1) + "\n", encoding="utf-8")
    (OUT / "meta.json").write_text(json.dumps({"listing": "corpora/listings/NCT06935188.txt", "as_of": "2025-09-01",
                                               "first_dose": "2025-09-01"}) + "\n", encoding="utf-8")
    words = [len(n["text"].split()) for n in notes]
    print(f"{len(patients)} patients, {len(notes)} notes ({min(words)}-{max(words)} words), {len(facts)} gold facts")
    for p in patients:
        print(f"  {p['patient_id']} {p['status']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
