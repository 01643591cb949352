"""Build the general oncology and medicine vocabulary: ``models/lexicon/vocab_*.jsonl``.

Curated tables below say which concepts exist, how they group (``class``) and which short forms are
safe; two maintained vocabularies that ship their data inside their PyPI packages fill in codes and
names, offline, at build time only (the runtime reads the JSONL files and needs neither package):

- ``simple-icd-10-cm`` (MIT; data: CMS/NCHS ICD-10-CM, public domain): every condition's ICD-10-CM
  code must be a valid code or category there, else the build fails.
- ``drug-named-entity-recognition`` (MIT; data from DrugBank open vocabulary CC0, MeSH, MedlinePlus,
  NHS, Wikipedia): DrugBank and MeSH ids and brand/generic synonyms of every drug.

Reproduce::

    python -m venv /tmp/vb && /tmp/vb/bin/pip install simple-icd-10-cm==1.5.0 drug-named-entity-recognition==2.0.9 pydantic==2.14.4 pint==0.25.3
    /tmp/vb/bin/python scripts/build_vocabulary.py          # rewrites models/lexicon/vocab_*.jsonl

A phrase that another concept already owns (the hand-curated ``concepts.jsonl`` and
``notes_phrases.jsonl`` come first) is left out and listed on stdout, so no phrase names two concepts.
Deterministic: same packages, same output bytes.
"""
from __future__ import annotations

import bz2
import json
import pickle
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEXICON = ROOT / "models" / "lexicon"
CURATED = ("concepts.jsonl", "notes_phrases.jsonl")

# ----------------------------------------------------------------------------------------- tables
# Conditions: concept | classes (comma-separated) | ICD-10-CM code | phrases (semicolon-separated)

CANCER = """
hematologic_malignancy | malignancy | C96.9 | hematologic malignancy; haematologic malignancy; hematological malignancy; haematological malignancy; blood cancer; hematologic cancer
lung_cancer | solid_tumor, malignancy | C34 | lung cancer; lung carcinoma; carcinoma of the lung; cancer of the lung; bronchogenic carcinoma; pulmonary carcinoma; lung malignancy; bronchial carcinoma
nsclc |  | C34 | non-small-cell lung cancer; non-small cell lung carcinoma; non small cell lung carcinoma; non-small cell carcinoma of the lung
lung_adenocarcinoma | nsclc, lung_cancer, solid_tumor, malignancy | C34 | adenocarcinoma of the lung; lung adenocarcinoma; pulmonary adenocarcinoma; LUAD; adenocarcinoma of lung origin; adenocarcinoma of pulmonary origin; adenocarcinoma of lung; lung adeno; adenocarcinoma lung
squamous_nsclc | nsclc, lung_cancer, solid_tumor, malignancy | C34 | squamous non-small cell lung cancer; squamous NSCLC; squamous cell carcinoma of the lung; lung squamous cell carcinoma; squamous cell lung cancer; squamous cell lung carcinoma; LUSC
nonsquamous_nsclc | nsclc, lung_cancer, solid_tumor, malignancy | C34 | non-squamous non-small cell lung cancer; nonsquamous non-small cell lung cancer; non-squamous NSCLC; nonsquamous NSCLC
large_cell_lung_carcinoma | nsclc, lung_cancer, solid_tumor, malignancy | C34 | large cell lung carcinoma; large cell carcinoma of the lung; large cell lung cancer
sclc | solid_tumor | C34 | small-cell lung cancer; small cell lung carcinoma; small-cell lung carcinoma; small cell carcinoma of the lung; extensive-stage small cell lung cancer; limited-stage small cell lung cancer; ES-SCLC; LS-SCLC
mesothelioma | solid_tumor, malignancy | C45.9 | mesothelioma; malignant mesothelioma; malignant pleural mesothelioma; pleural mesothelioma; peritoneal mesothelioma
thymic_epithelial_tumor | solid_tumor, malignancy | C37 | thymoma; thymic carcinoma; thymic epithelial tumor; thymic epithelial tumour
breast_cancer | solid_tumor, malignancy | C50.919 | breast cancer; breast carcinoma; carcinoma of the breast; cancer of the breast; breast malignancy; mammary carcinoma; invasive breast cancer; invasive ductal carcinoma; invasive lobular carcinoma; breast adenocarcinoma; IDC; ILC; infiltrating ductal carcinoma
triple_negative_breast_cancer | breast_cancer, solid_tumor, malignancy | C50.919 | triple-negative breast cancer; triple negative breast cancer; TNBC; triple-negative breast carcinoma
inflammatory_breast_cancer | breast_cancer, solid_tumor, malignancy | C50.919 | inflammatory breast cancer; inflammatory breast carcinoma
dcis | carcinoma_in_situ | D05.10 | ductal carcinoma in situ; DCIS; lobular carcinoma in situ; LCIS
carcinoma_in_situ |  | D09.9 | carcinoma in situ; in situ carcinoma; in-situ carcinoma
colorectal_cancer | solid_tumor, malignancy | C18.9 | colorectal cancer; colorectal carcinoma; colorectal adenocarcinoma; CRC; cancer of the colon or rectum; bowel cancer
colon_cancer | colorectal_cancer, solid_tumor, malignancy | C18.9 | colon cancer; colon carcinoma; colon adenocarcinoma; carcinoma of the colon; cancer of the colon; adenocarcinoma of the colon
rectal_cancer | colorectal_cancer, solid_tumor, malignancy | C20 | rectal cancer; rectal carcinoma; rectal adenocarcinoma; carcinoma of the rectum; cancer of the rectum; adenocarcinoma of the rectum
anal_cancer | solid_tumor, malignancy | C21.0 | anal cancer; anal carcinoma; anal canal carcinoma; squamous cell carcinoma of the anus; anal squamous cell carcinoma
gastric_cancer | solid_tumor, malignancy | C16.9 | gastric cancer; stomach cancer; gastric carcinoma; gastric adenocarcinoma; adenocarcinoma of the stomach; carcinoma of the stomach
gej_cancer | gastric_cancer, esophageal_cancer, solid_tumor, malignancy | C16.0 | gastroesophageal junction cancer; gastroesophageal junction adenocarcinoma; gastro-oesophageal junction cancer; gastro-oesophageal junction adenocarcinoma; GEJ cancer; GEJ adenocarcinoma; esophagogastric junction cancer; esophagogastric junction adenocarcinoma
esophageal_cancer | solid_tumor, malignancy | C15.9 | esophageal cancer; oesophageal cancer; esophageal carcinoma; oesophageal carcinoma; cancer of the esophagus; carcinoma of the esophagus; cancer of the oesophagus
esophageal_scc | esophageal_cancer, solid_tumor, malignancy | C15.9 | esophageal squamous cell carcinoma; oesophageal squamous cell carcinoma; squamous cell carcinoma of the esophagus; ESCC
esophageal_adenocarcinoma | esophageal_cancer, solid_tumor, malignancy | C15.9 | esophageal adenocarcinoma; oesophageal adenocarcinoma; adenocarcinoma of the esophagus
pancreatic_cancer | solid_tumor, malignancy | C25.9 | pancreatic cancer; pancreatic carcinoma; pancreatic adenocarcinoma; pancreatic ductal adenocarcinoma; PDAC; carcinoma of the pancreas; cancer of the pancreas
liver_cancer | solid_tumor, malignancy | C22.9 | liver cancer; liver malignancy; primary liver cancer; cancer of the liver
hcc | liver_cancer, solid_tumor, malignancy | C22.0 | hepatocellular carcinoma; hepatocellular cancer; HCC; hepatoma; liver cell carcinoma
biliary_tract_cancer | solid_tumor, malignancy | C24.9 | biliary tract cancer; biliary cancer; biliary tract carcinoma; biliary carcinoma
cholangiocarcinoma | biliary_tract_cancer, solid_tumor, malignancy | C22.1 | cholangiocarcinoma; bile duct cancer; bile duct carcinoma; intrahepatic cholangiocarcinoma; extrahepatic cholangiocarcinoma; perihilar cholangiocarcinoma
gallbladder_cancer | biliary_tract_cancer, solid_tumor, malignancy | C23 | gallbladder cancer; gallbladder carcinoma; carcinoma of the gallbladder
prostate_cancer | solid_tumor, malignancy | C61 | prostate cancer; prostate carcinoma; prostatic carcinoma; prostatic adenocarcinoma; prostate adenocarcinoma; adenocarcinoma of the prostate; cancer of the prostate
crpc | prostate_cancer, solid_tumor, malignancy | C61 | castration-resistant prostate cancer; castrate-resistant prostate cancer; CRPC; mCRPC; nmCRPC
cspc | prostate_cancer, solid_tumor, malignancy | C61 | hormone-sensitive prostate cancer; castration-sensitive prostate cancer; mHSPC; mCSPC; HSPC
bladder_cancer | urothelial_carcinoma, solid_tumor, malignancy | C67.9 | bladder cancer; bladder carcinoma; urinary bladder cancer; carcinoma of the bladder; cancer of the bladder; non-muscle invasive bladder cancer; muscle-invasive bladder cancer; NMIBC; MIBC
urothelial_carcinoma | solid_tumor, malignancy | C68.9 | urothelial carcinoma; urothelial cancer; transitional cell carcinoma; upper tract urothelial carcinoma; urothelial cell carcinoma
renal_cell_carcinoma | kidney_cancer, solid_tumor, malignancy | C64.9 | renal cell carcinoma; renal cell cancer; RCC; clear cell renal cell carcinoma; ccRCC; clear-cell renal cell carcinoma; papillary renal cell carcinoma
kidney_cancer | solid_tumor, malignancy | C64.9 | kidney cancer; renal cancer; kidney carcinoma; renal carcinoma; cancer of the kidney
ovarian_cancer | solid_tumor, malignancy | C56.9 | ovarian cancer; ovarian carcinoma; epithelial ovarian cancer; cancer of the ovary; high-grade serous ovarian cancer; high-grade serous carcinoma; HGSOC; fallopian tube cancer; primary peritoneal cancer; primary peritoneal carcinoma
endometrial_cancer | solid_tumor, malignancy | C54.1 | endometrial cancer; endometrial carcinoma; endometrial adenocarcinoma; uterine cancer; uterine corpus cancer; carcinoma of the endometrium; uterine carcinoma
cervical_cancer | solid_tumor, malignancy | C53.9 | cervical cancer; cervical carcinoma; carcinoma of the cervix; cancer of the cervix; cervix cancer; uterine cervical cancer
vulvar_cancer | solid_tumor, malignancy | C51.9 | vulvar cancer; vulval cancer; vulvar carcinoma; carcinoma of the vulva
head_and_neck_cancer | solid_tumor, malignancy | C76.0 | head and neck malignancy; head and neck tumor; head and neck tumour
hnscc | head_and_neck_cancer | C76.0 | head-and-neck squamous cell carcinoma
nasopharyngeal_carcinoma | head_and_neck_cancer, solid_tumor, malignancy | C11.9 | nasopharyngeal carcinoma; nasopharyngeal cancer; NPC; carcinoma of the nasopharynx
salivary_gland_cancer | head_and_neck_cancer, solid_tumor, malignancy | C08.9 | salivary gland cancer; salivary gland carcinoma; salivary gland tumor; adenoid cystic carcinoma; mucoepidermoid carcinoma
thyroid_cancer | solid_tumor, malignancy | C73 | thyroid cancer; thyroid carcinoma; differentiated thyroid cancer; differentiated thyroid carcinoma; papillary thyroid carcinoma; papillary thyroid cancer; follicular thyroid carcinoma; medullary thyroid cancer; medullary thyroid carcinoma; anaplastic thyroid cancer; anaplastic thyroid carcinoma; cancer of the thyroid
melanoma_skin | melanoma, solid_tumor, malignancy | C43.9 | cutaneous melanoma; melanoma of the skin; malignant melanoma; metastatic melanoma; unresectable melanoma
melanoma | solid_tumor, malignancy | C43.9 | melanoma; melanomas
uveal_melanoma | melanoma, solid_tumor, malignancy | C69.40 | uveal melanoma; ocular melanoma; choroidal melanoma
mucosal_melanoma | melanoma, solid_tumor, malignancy | C43.9 | mucosal melanoma
non_melanoma_skin_cancer | solid_tumor, malignancy | C44.90 | non-melanoma skin cancer; nonmelanoma skin cancer; non-melanoma skin cancers; non-melanomatous skin cancer; NMSC; non-melanoma skin carcinoma; skin cancer other than melanoma
basal_cell_carcinoma | non_melanoma_skin_cancer, solid_tumor, malignancy | C44.91 | basal cell carcinoma; basal cell skin cancer; basal cell carcinoma of the skin; basal cell cancer; BCC; basal-cell carcinoma
cutaneous_scc | non_melanoma_skin_cancer, solid_tumor, malignancy | C44.92 | cutaneous squamous cell carcinoma; squamous cell carcinoma of the skin; skin squamous cell carcinoma; cutaneous SCC; cSCC; squamous cell skin cancer
merkel_cell_carcinoma | solid_tumor, malignancy | C4A.9 | Merkel cell carcinoma; Merkel cell cancer
primary_brain_tumor | solid_tumor, malignancy | C71.9 | primary brain tumor; primary brain tumour; brain cancer; primary CNS tumor; primary central nervous system tumor; malignant brain tumor
glioma | primary_brain_tumor, solid_tumor, malignancy | C71.9 | glioma; gliomas; high-grade glioma; low-grade glioma; astrocytoma; oligodendroglioma; diffuse glioma; anaplastic astrocytoma
glioblastoma | glioma, primary_brain_tumor, solid_tumor, malignancy | C71.9 | glioblastoma; glioblastoma multiforme; GBM
sarcoma | solid_tumor, malignancy | C49.9 | sarcoma; sarcomas; soft tissue sarcoma; soft-tissue sarcoma; leiomyosarcoma; liposarcoma; synovial sarcoma; rhabdomyosarcoma; angiosarcoma; undifferentiated pleomorphic sarcoma
bone_sarcoma | sarcoma, solid_tumor, malignancy | C41.9 | osteosarcoma; Ewing sarcoma; Ewing's sarcoma; chondrosarcoma; bone sarcoma
gist | sarcoma, solid_tumor, malignancy | C49.A0 | gastrointestinal stromal tumor; gastrointestinal stromal tumour; GIST
neuroendocrine_neoplasm | solid_tumor, malignancy | C7A.8 | neuroendocrine tumor; neuroendocrine tumour; neuroendocrine carcinoma; neuroendocrine neoplasm; carcinoid tumor; carcinoid tumour
testicular_cancer | solid_tumor, malignancy | C62.90 | testicular cancer; testicular germ cell tumor; germ cell tumor; germ cell tumour; seminoma; nonseminomatous germ cell tumor
penile_cancer | solid_tumor, malignancy | C60.9 | penile cancer; penile carcinoma; carcinoma of the penis
cancer_of_unknown_primary | solid_tumor, malignancy | C80.1 | cancer of unknown primary; carcinoma of unknown primary; unknown primary cancer; CUP syndrome
lymphoma | hematologic_malignancy, malignancy | C85.90 | lymphoma; malignant lymphoma; lymphomas
non_hodgkin_lymphoma | lymphoma, hematologic_malignancy, malignancy | C85.90 | non-Hodgkin lymphoma; non-Hodgkin's lymphoma; non Hodgkin lymphoma; NHL; B-cell lymphoma; T-cell lymphoma; B-cell non-Hodgkin lymphoma
dlbcl | non_hodgkin_lymphoma, lymphoma, hematologic_malignancy, malignancy | C83.30 | diffuse large B-cell lymphoma; diffuse large B cell lymphoma; DLBCL; large B-cell lymphoma
follicular_lymphoma | non_hodgkin_lymphoma, lymphoma, hematologic_malignancy, malignancy | C82.90 | follicular lymphoma
mantle_cell_lymphoma | non_hodgkin_lymphoma, lymphoma, hematologic_malignancy, malignancy | C83.10 | mantle cell lymphoma; mantle-cell lymphoma
marginal_zone_lymphoma | non_hodgkin_lymphoma, lymphoma, hematologic_malignancy, malignancy | C88.4 | marginal zone lymphoma; MALT lymphoma; mucosa-associated lymphoid tissue lymphoma
hodgkin_lymphoma | lymphoma, hematologic_malignancy, malignancy | C81.90 | Hodgkin lymphoma; Hodgkin's lymphoma; Hodgkin disease; Hodgkin's disease; classical Hodgkin lymphoma
leukemia | hematologic_malignancy, malignancy | C95.90 | leukemia; leukaemia; leukemias; leukaemias
aml | leukemia, hematologic_malignancy, malignancy | C92.00 | acute myeloid leukemia; acute myeloid leukaemia; acute myelogenous leukemia; acute myelogenous leukaemia; AML
all_leukemia | leukemia, hematologic_malignancy, malignancy | C91.00 | acute lymphoblastic leukemia; acute lymphoblastic leukaemia; acute lymphocytic leukemia; acute lymphocytic leukaemia
cll | leukemia, hematologic_malignancy, malignancy | C91.10 | chronic lymphocytic leukemia; chronic lymphocytic leukaemia; CLL; small lymphocytic lymphoma; SLL; CLL/SLL
cml | leukemia, hematologic_malignancy, malignancy | C92.10 | chronic myeloid leukemia; chronic myeloid leukaemia; chronic myelogenous leukemia; CML
multiple_myeloma | plasma_cell_dyscrasia, hematologic_malignancy, malignancy | C90.00 | multiple myeloma; myeloma; plasma cell myeloma; plasma cell neoplasm
mds | hematologic_malignancy, malignancy | D46.9 | myelodysplastic syndrome; myelodysplastic syndromes; myelodysplasia; MDS
mpn | hematologic_malignancy, malignancy | D47.1 | myeloproliferative neoplasm; myeloproliferative neoplasms; MPN; myelofibrosis; polycythemia vera; polycythaemia vera; essential thrombocythemia; essential thrombocythaemia
waldenstrom_macroglobulinemia | non_hodgkin_lymphoma, lymphoma, hematologic_malignancy, malignancy | C88.0 | Waldenstrom macroglobulinemia; Waldenström macroglobulinemia; Waldenstrom's macroglobulinemia; lymphoplasmacytic lymphoma
"""

STAGE = """
cancer_stage |  |  | TNM stage; AJCC stage; clinical stage; pathologic stage; pathological stage; stage group; anatomic stage
stage_0 | cancer_stage |  | stage 0; stage 0is
stage_i | cancer_stage |  | stage I; stage IA; stage IA1; stage IA2; stage IA3; stage IB; stage 1; stage 1A; stage 1B
stage_ii | cancer_stage |  | stage II; stage IIA; stage IIB; stage IIC; stage 2; stage 2A; stage 2B
stage_iii | cancer_stage, locally_advanced |  | stage III; stage IIIA; stage IIIB; stage IIIC; stage 3; stage 3A; stage 3B; stage 3C
stage_iv | cancer_stage, metastatic_disease |  | stage IVA; stage IVB; stage 4; stage 4A; stage 4B
tnm_m0 |  |  | M0; cM0; pM0
"""

COMORBIDITY = """
cardiac_disease |  |  | significant cardiac disease; clinically significant cardiac disease; cardiac disorder; heart condition
arthralgia |  | M25.50 | arthralgia; arthralgias; joint pain; joint pains
chronic_pain |  | G89.29 | chronic pain; chronic low back pain; low back pain; back pain; neuropathic pain; chronic pain syndrome
dyspnea |  | R06.00 | dyspnea; dyspnoea; shortness of breath; breathlessness; SOB
cough |  | R05.9 | cough; chronic cough; productive cough
fatigue |  | R53.83 | fatigue; tiredness
headache |  | R51.9 | headache; headaches
edema |  | R60.9 | edema; oedema; peripheral edema; peripheral oedema; leg swelling
pruritus |  | L29.9 | pruritus; itching; itch
constipation |  | K59.00 | constipation
uveitis |  | H20.9 | uveitis; iritis; iridocyclitis
spinal_stenosis |  | M48.00 | spinal stenosis; lumbar stenosis; lumbar spinal stenosis; cervical stenosis; cervical spinal stenosis
fracture |  | T14.8 | fracture; fractures; fragility fracture; hip fracture; vertebral fracture; vertebral compression fracture
vascular_disease |  | I99.9 | vascular disease; peripheral vascular disease; PVD; arterial disease
atrial_fibrillation | arrhythmia, cardiac_disease | I48.91 | atrial fibrillation/flutter; auricular fibrillation; atrial fibrillation and flutter
ventricular_arrhythmia | arrhythmia, cardiac_disease | I49.9 | ventricular arrhythmia; ventricular arrhythmias; ventricular fibrillation; torsades de pointes; torsade de pointes; sustained ventricular tachycardia
bradycardia | arrhythmia, cardiac_disease | R00.1 | bradycardia; sinus bradycardia; symptomatic bradycardia
sick_sinus_syndrome | arrhythmia, cardiac_disease | I49.5 | sick sinus syndrome
qtc_prolongation | cardiac_disease | I45.81 | QT prolongation; QTc prolongation; prolonged QTc; prolonged QT interval; prolonged QTc interval; long QT syndrome; congenital long QT syndrome; QT interval prolongation
cardiomyopathy | cardiac_disease | I42.9 | cardiomyopathy; cardiomyopathies; non-ischemic cardiomyopathy; non-ischaemic cardiomyopathy; NICM
dilated_cardiomyopathy | cardiomyopathy, cardiac_disease | I42.0 | dilated cardiomyopathy; DCM
hypertrophic_cardiomyopathy | cardiomyopathy, cardiac_disease | I42.2 | hypertrophic cardiomyopathy; HCM; hypertrophic obstructive cardiomyopathy; HOCM
restrictive_cardiomyopathy | cardiomyopathy, cardiac_disease | I42.5 | restrictive cardiomyopathy; cardiac amyloidosis
ischemic_cardiomyopathy | cardiomyopathy, coronary_artery_disease, cardiac_disease | I25.5 | ischemic cardiomyopathy; ischaemic cardiomyopathy
peripartum_cardiomyopathy | cardiomyopathy, cardiac_disease | O90.3 | peripartum cardiomyopathy
stress_cardiomyopathy | cardiomyopathy, cardiac_disease | I51.81 | takotsubo cardiomyopathy; stress cardiomyopathy
myocarditis | cardiac_disease | I51.4 | myocarditis; immune-mediated myocarditis
pericardial_disease | cardiac_disease | I31.9 | pericarditis; pericardial effusion; cardiac tamponade; constrictive pericarditis
valvular_heart_disease | cardiac_disease | I38 | valvular heart disease; heart valve disease; valvular disease; aortic stenosis; aortic regurgitation; mitral regurgitation; mitral stenosis; mitral valve prolapse; prosthetic heart valve; tricuspid regurgitation
coronary_artery_disease | cardiac_disease | I25.10 | ischemic heart disease; ischaemic heart disease; coronary heart disease; coronary disease; atherosclerotic heart disease
peripheral_arterial_disease | vascular_disease | I73.9 | peripheral arterial disease; peripheral artery disease; PAD; claudication; intermittent claudication
aortic_aneurysm | vascular_disease | I71.9 | aortic aneurysm; abdominal aortic aneurysm; thoracic aortic aneurysm; aortic dissection; AAA
hypotension |  | I95.9 | hypotension; orthostatic hypotension; low blood pressure
hyperlipidemia |  | E78.5 | hyperlipidemia; hyperlipidaemia; dyslipidemia; dyslipidaemia; hypercholesterolemia; hypercholesterolaemia; high cholesterol; hypertriglyceridemia
ischemic_stroke | stroke, cerebrovascular_disease | I63.9 | ischemic stroke; ischaemic stroke; acute ischemic stroke; lacunar infarct; lacunar infarction; lacunar stroke; lacune; cerebral infarct; embolic stroke; thrombotic stroke
hemorrhagic_stroke | stroke, cerebrovascular_disease, intracranial_hemorrhage | I61.9 | hemorrhagic stroke; haemorrhagic stroke; intracerebral hemorrhage; intracerebral haemorrhage; intracerebral bleed; subarachnoid hemorrhage; subarachnoid haemorrhage
intracranial_hemorrhage | bleeding, cerebrovascular_disease | I62.9 | intracranial hemorrhage; intracranial haemorrhage; intracranial bleed; intracranial bleeding; cSDH; subdural hematoma; subdural haematoma; subdural hemorrhage; subdural haemorrhage; extradural hematoma; extradural haematoma; epidural hematoma; epidural haematoma
bleeding |  | R58 | bleeding; bleed; hemorrhage; haemorrhage; bleeding event; bleeding episode; bleeding complication; hemorrhagic complication; haemorrhagic complication
epistaxis | bleeding | R04.0 | epistaxis; nosebleed; nosebleeds; nose bleed; nose bleeds
venous_thrombosis | thromboembolism | I82.90 | venous thrombosis; thrombosis; blood clot; portal vein thrombosis; superficial vein thrombosis
liver_disease |  | K76.9 | liver disease; hepatic disease; chronic liver disease; liver disorder; hepatic disorder; hepatic impairment; liver impairment
cirrhosis | liver_disease | K74.60 | cirrhosis; liver cirrhosis; hepatic cirrhosis; cirrhosis of the liver; cirrhotic; decompensated cirrhosis; compensated cirrhosis
nafld | liver_disease | K76.0 | non-alcoholic fatty liver disease; nonalcoholic fatty liver disease; NAFLD; fatty liver disease; fatty liver; hepatic steatosis; MASLD; metabolic dysfunction-associated steatotic liver disease
nash | nafld, liver_disease | K75.81 | non-alcoholic steatohepatitis; nonalcoholic steatohepatitis; NASH; MASH; metabolic dysfunction-associated steatohepatitis
alcoholic_liver_disease | liver_disease | K70.9 | alcoholic liver disease; alcohol-related liver disease; alcoholic hepatitis; alcoholic cirrhosis
autoimmune_hepatitis | liver_disease, autoimmune_disease | K75.4 | autoimmune hepatitis
primary_biliary_cholangitis | liver_disease | K74.3 | primary biliary cholangitis; primary biliary cirrhosis
primary_sclerosing_cholangitis | liver_disease | K83.01 | primary sclerosing cholangitis; PSC
hepatic_encephalopathy | liver_disease | K76.82 | hepatic encephalopathy
portal_hypertension | liver_disease | K76.6 | portal hypertension; esophageal varices; oesophageal varices; gastric varices; variceal bleeding
kidney_disease |  | N28.9 | kidney disease; renal disease; renal impairment; renal insufficiency; kidney impairment; renal failure; kidney failure; renal dysfunction; kidney dysfunction
ckd | kidney_disease | N18.9 | chronic kidney disease; CKD; chronic renal failure; chronic renal insufficiency; chronic renal disease; chronic kidney failure
ckd_stage_3 | ckd, kidney_disease | N18.30 | CKD stage 3; stage 3 CKD; chronic kidney disease stage 3; stage 3 chronic kidney disease; CKD 3; CKD 3a; CKD 3b; CKD stage 3a; CKD stage 3b
ckd_stage_4 | ckd, kidney_disease | N18.4 | CKD stage 4; stage 4 CKD; chronic kidney disease stage 4; stage 4 chronic kidney disease; CKD 4
ckd_stage_5 | ckd, kidney_disease | N18.5 | CKD stage 5; stage 5 CKD; chronic kidney disease stage 5; stage 5 chronic kidney disease; CKD 5
esrd | ckd, kidney_disease | N18.6 | end-stage renal disease; end stage renal disease; ESRD; end-stage kidney disease; end stage kidney disease; ESKD
aki | kidney_disease | N17.9 | acute kidney injury; AKI; acute renal failure; acute renal injury
nephrotic_syndrome | kidney_disease | N04.9 | nephrotic syndrome
glomerulonephritis | kidney_disease | N05.9 | glomerulonephritis; IgA nephropathy; lupus nephritis
polycystic_kidney_disease | kidney_disease | Q61.3 | polycystic kidney disease; ADPKD
idiopathic_pulmonary_fibrosis | interstitial_lung_disease, lung_disease | J84.112 | idiopathic pulmonary fibrosis; IPF
radiation_pneumonitis | interstitial_lung_disease, lung_disease | J70.0 | radiation pneumonitis; radiation-induced pneumonitis
drug_induced_pneumonitis | interstitial_lung_disease, lung_disease | J70.4 | drug-induced pneumonitis; drug-induced interstitial lung disease; drug-induced ILD
pulmonary_hypertension | lung_disease | I27.20 | pulmonary hypertension; pulmonary arterial hypertension; PAH
bronchiectasis | lung_disease | J47.9 | bronchiectasis
cystic_fibrosis | lung_disease | E84.9 | cystic fibrosis
sarcoidosis | lung_disease | D86.9 | sarcoidosis; pulmonary sarcoidosis
sleep_apnea | lung_disease | G47.33 | obstructive sleep apnea; obstructive sleep apnoea; sleep apnea; sleep apnoea; OSA
respiratory_failure | lung_disease | J96.90 | respiratory failure; chronic respiratory failure; acute respiratory failure; oxygen dependence; home oxygen
autoimmune_disease |  |  | autoimmune disorder; autoimmune disorders; autoimmune condition; autoimmune diseases; active autoimmune disease
rheumatic_disease |  | M35.9 | rheumatic disease; rheumatologic disease; rheumatological disease; inflammatory rheumatic disease; connective tissue disease; inflammatory arthritis
rheumatoid_arthritis | autoimmune_disease, rheumatic_disease | M06.9 | rheumatoid arthritis; seropositive rheumatoid arthritis; seronegative rheumatoid arthritis
juvenile_idiopathic_arthritis | autoimmune_disease, rheumatic_disease | M08.90 | juvenile idiopathic arthritis; juvenile rheumatoid arthritis; JIA
sle | autoimmune_disease, rheumatic_disease | M32.9 | systemic lupus erythematosus; lupus erythematosus; lupus; SLE
ibd | autoimmune_disease | K50.90 | inflammatory bowel disease; IBD
crohns_disease | ibd, autoimmune_disease | K50.90 | Crohn's disease; Crohn disease; Crohns disease; Crohn's
ulcerative_colitis | ibd, autoimmune_disease | K51.90 | ulcerative colitis; ulcerative proctitis; ulcerative pancolitis
psoriasis | autoimmune_disease | L40.9 | psoriasis; plaque psoriasis; psoriatic disease
psoriatic_arthritis | autoimmune_disease, rheumatic_disease | L40.50 | psoriatic arthritis; PsA
ankylosing_spondylitis | autoimmune_disease, rheumatic_disease | M45.9 | ankylosing spondylitis; axial spondyloarthritis; spondyloarthritis; SpA; axSpA; axial SpA; nr-axSpA; radiographic axial spondyloarthritis; non-radiographic axial spondyloarthritis; Morbus Bechterew; Bechterew's disease
multiple_sclerosis | autoimmune_disease, neurological_disorder | G35 | multiple sclerosis; relapsing multiple sclerosis; relapsing-remitting multiple sclerosis; RRMS; progressive multiple sclerosis
myasthenia_gravis | autoimmune_disease, neurological_disorder | G70.00 | myasthenia gravis
guillain_barre_syndrome | autoimmune_disease, neurological_disorder | G61.0 | Guillain-Barre syndrome; Guillain-Barré syndrome; Guillain Barre syndrome
systemic_sclerosis | autoimmune_disease, rheumatic_disease | M34.9 | systemic sclerosis; scleroderma
sjogren_syndrome | autoimmune_disease, rheumatic_disease | M35.00 | Sjogren syndrome; Sjögren's syndrome; Sjogren's syndrome; Sjögren syndrome; Sjogren disease; Sjogren's disease; Sjögren disease; Sjögren's disease
secondary_sjogren_syndrome | sjogren_syndrome, autoimmune_disease | M35.00 | secondary Sjogren syndrome; secondary Sjogren's syndrome; secondary Sjögren's syndrome; secondary Sjögren syndrome
vasculitis | autoimmune_disease, rheumatic_disease | I77.6 | vasculitis; giant cell arteritis; granulomatosis with polyangiitis; ANCA-associated vasculitis
celiac_disease | autoimmune_disease | K90.0 | celiac disease; coeliac disease
type1_diabetes | diabetes, autoimmune_disease | E10.9 | type 1 diabetes mellitus; type I diabetes; type I diabetes mellitus; T1DM; insulin-dependent diabetes mellitus; juvenile diabetes; diabetes type 1
type2_diabetes | diabetes | E11.9 | type II diabetes mellitus; non-insulin-dependent diabetes mellitus; adult-onset diabetes
graves_disease | hyperthyroidism, autoimmune_disease | E05.00 | Graves disease; Graves' disease
hashimoto_thyroiditis | hypothyroidism, autoimmune_disease | E06.3 | Hashimoto thyroiditis; Hashimoto's thyroiditis; Hashimoto's disease; Hashimoto disease; chronic lymphocytic thyroiditis
autoimmune_hypophysitis | autoimmune_disease | E23.6 | hypophysitis; autoimmune hypophysitis
adrenal_insufficiency |  | E27.40 | adrenal insufficiency; Addison's disease; Addison disease; adrenal insufficiency requiring replacement
hyperthyroidism |  | E05.90 | hyperthyroidism; thyrotoxicosis
hypothyroidism |  | E03.9 | primary hypothyroidism; acquired hypothyroidism
obesity |  | E66.9 | obesity; obese; morbid obesity; severe obesity; class III obesity
psychiatric_disorder |  |  | psychiatric condition; mental disorder; mental health disorder; mental health condition; psychiatric disease; psychiatric diseases
depression | psychiatric_disorder | F32.A | major depressive disorder; major depression; depression; depressive disorder; depressive episode; clinical depression; MDD; recurrent depression; treatment-resistant depression
bipolar_disorder | psychiatric_disorder | F31.9 | bipolar disorder; bipolar affective disorder; bipolar I disorder; bipolar II disorder; manic depression; bipolar illness
schizophrenia | psychiatric_disorder | F20.9 | schizophrenia; schizoaffective disorder; schizophrenic; schizophreniform disorder
intellectual_disability | psychiatric_disorder | F79 | intellectual disability; mental retardation; intellectual developmental disorder
psychosis | psychiatric_disorder | F29 | psychosis; psychotic disorder; psychotic episode
anxiety_disorder | psychiatric_disorder | F41.9 | generalized anxiety disorder; GAD; panic disorder; anxiety disorders; anxiety disorder; generalised anxiety disorder
ptsd | psychiatric_disorder | F43.10 | post-traumatic stress disorder; posttraumatic stress disorder; PTSD
suicidal_ideation | psychiatric_disorder | R45.851 | suicidal ideation; suicide attempt; suicidal behavior; suicidal behaviour; suicidality
eating_disorder | psychiatric_disorder | F50.9 | eating disorder; anorexia nervosa; bulimia nervosa; bulimia
substance_use_disorder | substance_abuse, psychiatric_disorder | F19.90 | drug dependence; drug addiction; substance dependence; chemical dependency; substance-related disorder; substance-related disorders; substance related disorder; substance-induced disorder
alcohol_use_disorder | substance_use_disorder, substance_abuse, psychiatric_disorder | F10.20 | alcohol use disorder; alcohol abuse; alcohol dependence; alcoholism; alcohol addiction; alcohol misuse; excessive alcohol use; heavy drinking; alcohol abuse disorder
opioid_use_disorder | substance_use_disorder, substance_abuse, psychiatric_disorder | F11.20 | opioid use disorder; heroin use; opioid dependence; opioid addiction; opiate dependence; opioid abuse; heroin addiction; heroin dependence
cocaine_use_disorder | substance_use_disorder, substance_abuse, psychiatric_disorder | F14.20 | cocaine use; cocaine dependence; cocaine abuse; cocaine addiction; crack cocaine use
cannabis_use_disorder | substance_use_disorder, substance_abuse, psychiatric_disorder | F12.20 | cannabis dependence; cannabis use disorder; cannabis abuse; marijuana dependence
stimulant_use_disorder | substance_use_disorder, substance_abuse, psychiatric_disorder | F15.20 | methamphetamine use; methamphetamine dependence; amphetamine dependence; stimulant use disorder
nicotine_dependence |  | F17.200 | nicotine dependence; tobacco dependence; tobacco use disorder; nicotine addiction; current smoker; active smoker; cigarette smoking; tobacco use
neurological_disorder |  | G98.8 | neurological disorder; neurologic disorder; neurological disease; neurologic disease; neurological condition; CNS disorder
epilepsy | neurological_disorder | G40.909 | epilepsy; seizure disorder; seizures; seizure; epileptic seizures; convulsions; status epilepticus
dementia | cognitive_impairment, neurological_disorder | F03.90 | dementia; major neurocognitive disorder; vascular dementia; Lewy body dementia
alzheimers_disease | dementia, neurological_disorder | G30.9 | Alzheimer's disease; Alzheimer disease; Alzheimers disease; Alzheimer's dementia; dementia of the Alzheimer type
cognitive_impairment | neurological_disorder | R41.84 | cognitive impairment; cognitive decline; cognitive dysfunction; cognitive deficit; cognitive deficits; cognitive disorder; neurocognitive disorder; memory impairment
mild_cognitive_impairment | cognitive_impairment, neurological_disorder | G31.84 | mild cognitive impairment; MCI; mild neurocognitive disorder
parkinsons_disease | neurological_disorder | G20.A1 | Parkinson's disease; Parkinson disease; Parkinsons disease; parkinsonism
peripheral_neuropathy | neurological_disorder | G62.9 | peripheral neuropathy; polyneuropathy; sensory neuropathy; peripheral sensory neuropathy; chemotherapy-induced peripheral neuropathy; CIPN; neuropathy; diabetic neuropathy
spinal_cord_compression | neurological_disorder | G95.20 | spinal cord compression; cord compression; epidural spinal cord compression
leptomeningeal_disease | neurological_disorder, metastatic_disease | C79.32 | leptomeningeal disease; leptomeningeal metastases; leptomeningeal carcinomatosis; carcinomatous meningitis
motor_neuron_disease | neurological_disorder | G12.20 | amyotrophic lateral sclerosis; ALS; motor neuron disease; motor neurone disease
migraine | neurological_disorder | G43.909 | migraine; migraines
kidney_transplant | organ_transplant, transplant | Z94.0 | kidney transplantation; renal transplantation; renal allograft; kidney allograft; kidney transplant; renal transplant; kidney transplant recipient; renal transplant recipient
liver_transplant | organ_transplant, transplant | Z94.4 | liver transplantation; hepatic transplantation; orthotopic liver transplantation; liver transplant; orthotopic liver transplant; liver transplant recipient; liver allograft
heart_transplant | organ_transplant, transplant | Z94.1 | heart transplantation; cardiac transplantation; cardiac transplant; heart transplant
lung_transplant | organ_transplant, transplant | Z94.2 | lung transplantation; pulmonary transplantation; lung transplant
allogeneic_transplant | stem_cell_transplant, transplant | Z94.84 | allogeneic stem cell transplantation; allogeneic stem cell transplant; allogeneic hematopoietic stem cell transplantation; allo-HSCT; allogeneic bone marrow transplant; allogeneic transplantation
autologous_transplant | stem_cell_transplant, transplant | Z94.84 | autologous stem cell transplantation; autologous stem cell transplant; ASCT; autologous transplantation; high-dose chemotherapy with autologous stem cell rescue
immunodeficiency |  | D84.9 | immunodeficiency; primary immunodeficiency; immunocompromised; immunosuppressed; immune deficiency
peptic_ulcer_disease |  | K27.9 | peptic ulcer disease; peptic ulcer; gastric ulcer; duodenal ulcer
gi_bleeding | bleeding | K92.2 | gastrointestinal bleeding; GI bleeding; gastrointestinal hemorrhage; gastrointestinal haemorrhage; GI bleed; upper GI bleed; melena; hematemesis; melaena; haematemesis; black stools; black tarry stools; tarry stools; coffee-ground vomiting
gi_perforation |  | K63.1 | gastrointestinal perforation; GI perforation; bowel perforation; intestinal perforation; gastrointestinal fistula; tracheoesophageal fistula
bowel_obstruction |  | K56.609 | bowel obstruction; intestinal obstruction; small bowel obstruction; large bowel obstruction
malabsorption |  | K90.9 | malabsorption; malabsorption syndrome
bleeding_disorder |  | D68.9 | bleeding disorder; bleeding diathesis; coagulopathy; von Willebrand disease; disorder of hemostasis; hemostatic disorder
hemophilia | bleeding_disorder | D66 | hemophilia; haemophilia; hemophilia A; haemophilia A; hemophilia B; haemophilia B
sickle_cell_disease |  | D57.1 | sickle cell disease; sickle cell anemia; sickle cell anaemia
metabolic_disease |  | E88.9 | metabolic disease; metabolic disorder; metabolic disorders; inborn error of metabolism; inborn errors of metabolism; disorder of metabolism
mitochondrial_disease | metabolic_disease | E88.40 | mitochondrial disease; mitochondrial disorder; mitochondrial disorders; mitochondrial myopathy; POLG-related disorder; Alpers-Huttenlocher syndrome; Leigh syndrome; MELAS
mcad_deficiency | metabolic_disease | E71.311 | MCAD; MCAD deficiency; medium-chain acyl-CoA dehydrogenase deficiency; MCADD
pyruvate_carboxylase_deficiency | metabolic_disease | E74.4 | pyruvate carboxylase deficiency
thalassemia |  | D56.9 | thalassemia; thalassaemia; beta thalassemia; thalassemia major
hearing_loss |  | H91.90 | hearing loss; hearing impairment; sensorineural hearing loss; deafness; ototoxicity
tinnitus |  | H93.19 | tinnitus; ringing in the ears; ringing in the ear; ringing in ears
glaucoma |  | H40.9 | glaucoma
pancreatitis |  | K85.90 | pancreatitis; acute pancreatitis; chronic pancreatitis
diverticulitis |  | K57.92 | diverticulitis
gerd |  | K21.9 | gastroesophageal reflux disease; gastro-oesophageal reflux disease; GERD; GORD; acid reflux
gout |  | M10.9 | gout; gouty arthritis
osteoarthritis |  | M19.90 | osteoarthritis; degenerative joint disease
atopic_dermatitis |  | L20.9 | atopic dermatitis; eczema
urticaria |  | L50.9 | urticaria; hives; chronic urticaria
vitiligo | autoimmune_disease | L80 | vitiligo
syncope |  | R55 | syncope; fainting
cardiac_device |  | Z95.0 | pacemaker; cardiac pacemaker; implantable cardioverter-defibrillator; implantable cardioverter defibrillator; ICD device; implanted cardiac device
cushing_syndrome |  | E24.9 | Cushing syndrome; Cushing's syndrome; Cushing disease; Cushing's disease
hyperparathyroidism |  | E21.3 | hyperparathyroidism; primary hyperparathyroidism
prediabetes |  | R73.03 | prediabetes; pre-diabetes; impaired fasting glucose; impaired glucose tolerance
gestational_diabetes |  | O24.419 | gestational diabetes; gestational diabetes mellitus; GDM
hyponatremia |  | E87.1 | hyponatremia; hyponatraemia
hyperkalemia |  | E87.5 | hyperkalemia; hyperkalaemia
hypoglycemia |  | E16.2 | hypoglycemia; hypoglycaemia; hypoglycemic episodes
insomnia |  | G47.00 | insomnia
adhd | psychiatric_disorder | F90.9 | attention deficit hyperactivity disorder; attention-deficit/hyperactivity disorder; ADHD
autism_spectrum_disorder | psychiatric_disorder | F84.0 | autism spectrum disorder; autism
ocd | psychiatric_disorder | F42.9 | obsessive-compulsive disorder; obsessive compulsive disorder; OCD
traumatic_brain_injury | brain_damage, neurological_disorder | S06.9X0A | traumatic brain injury; head injury; head trauma; TBI; brain injury
brain_damage | neurological_disorder | G93.9 | organic brain damage; brain damage; organic brain syndrome; encephalomalacia; anoxic brain injury; hypoxic brain injury
spinal_cord_injury | neurological_disorder | S14.109A | spinal cord injury
endometriosis |  | N80.9 | endometriosis
infertility |  | N97.9 | infertility; female infertility
kidney_stones | kidney_disease | N20.0 | kidney stones; nephrolithiasis; renal calculi; urolithiasis
herpes_simplex | active_infection | B00.9 | herpes simplex; HSV infection; genital herpes
malaria | active_infection | B54 | malaria
pneumothorax | lung_disease | J93.9 | pneumothorax
hemoptysis | bleeding | R04.2 | hemoptysis; haemoptysis; coughing up blood
wound_nonhealing |  | T81.89XA | non-healing wound; nonhealing wound; wound dehiscence; unhealed wound
osteoporosis |  | M81.0 | osteoporosis; osteopenia
osteonecrosis_of_jaw |  | M87.180 | osteonecrosis of the jaw; ONJ; osteonecrosis of jaw
hypercalcemia |  | E83.52 | hypercalcemia; hypercalcaemia
hypokalemia |  | E87.6 | hypokalemia; hypokalaemia
hypomagnesemia |  | E83.42 | hypomagnesemia; hypomagnesaemia
anemia |  | D64.9 | anemia; anaemia; iron deficiency anemia; iron deficiency anaemia
neutropenia |  | D70.9 | neutropenia; febrile neutropenia; agranulocytosis
thrombocytopenia |  | D69.6 | thrombocytopenia; immune thrombocytopenia; ITP; heparin-induced thrombocytopenia
claustrophobia | anxiety_disorder, psychiatric_disorder | F40.240 | claustrophobia; claustrophobic
plasma_cell_dyscrasia |  | D47.2 | plasma cell dyscrasia; monoclonal gammopathy; monoclonal gammopathy of undetermined significance; MGUS; paraproteinemia; paraproteinaemia; monoclonal protein; M-spike; M spike
delirium | psychiatric_disorder | F05 | delirium; acute confusional state
vomiting |  | R11.10 | vomiting; emesis; uncontrolled vomiting
diarrhea |  | R19.7 | diarrhea; diarrhoea; chronic diarrhea; chronic diarrhoea
nausea |  | R11.0 | nausea
liver_failure | liver_disease | K72.90 | liver failure; hepatic failure; hepatic insufficiency; end-stage liver disease; ESLD
porphyria |  | E80.20 | porphyria; acute intermittent porphyria
irritable_bowel_syndrome |  | K58.9 | irritable bowel syndrome; IBS
thyroid_disease |  | E07.9 | thyroid disease; thyroid disorder; thyroid dysfunction
pheochromocytoma |  | D35.00 | pheochromocytoma; phaeochromocytoma
encephalopathy | neurological_disorder | G93.40 | encephalopathy; hepatic encephalopathy
hypogonadism |  | E29.1 | hypogonadism; male hypogonadism; testosterone deficiency
diabetic_retinopathy | retinopathy | E11.319 | diabetic retinopathy
nonproliferative_diabetic_retinopathy | diabetic_retinopathy, retinopathy | E11.329 | non-proliferative diabetic retinopathy; nonproliferative diabetic retinopathy; non-proliferative retinopathy; nonproliferative retinopathy; NPDR
proliferative_diabetic_retinopathy | diabetic_retinopathy, retinopathy | E11.359 | proliferative diabetic retinopathy; proliferative retinopathy; PDR
retinopathy |  | H35.00 | retinopathy
hematuria | bleeding | R31.9 | hematuria; haematuria; blood in urine; gross hematuria; gross haematuria; macroscopic hematuria; macroscopic haematuria; frank hematuria; frank haematuria
respiratory_disease |  | J98.9 | respiratory disease; respiratory disorder; pulmonary disease
hemodynamic_instability |  | R57.9 | hemodynamic instability; haemodynamic instability; hemodynamically unstable
"""

INFECTION = """
c_difficile_infection | active_infection | A04.72 | Clostridioides difficile infection; Clostridium difficile infection; C. difficile infection; C. difficile colitis; C. diff; C diff; Clostridioides difficile; Clostridium difficile
septic_shock | active_infection | R65.21 | septic shock; severe sepsis
herpes_zoster | active_infection | B02.9 | herpes zoster; shingles; varicella zoster
cmv_infection | active_infection | B25.9 | cytomegalovirus infection; CMV infection; CMV reactivation; CMV viremia
fungal_infection | active_infection | B49 | fungal infection; invasive fungal infection; aspergillosis; candidemia; invasive candidiasis
urinary_tract_infection | active_infection | N39.0 | urinary tract infection; UTI; pyelonephritis
endocarditis | active_infection, cardiac_disease | I33.0 | endocarditis; infective endocarditis; bacterial endocarditis
osteomyelitis | active_infection | M86.9 | osteomyelitis
influenza | active_infection | J11.1 | influenza
haemophilus_influenzae | active_infection | A49.2 | Haemophilus influenzae; Hemophilus influenzae; H. influenzae
mrsa_infection | active_infection | A49.02 | MRSA infection; methicillin-resistant Staphylococcus aureus
latent_tuberculosis | tuberculosis | Z22.7 | latent tuberculosis; latent tuberculosis infection; latent TB; latent TB infection; LTBI; positive tuberculin skin test; positive QuantiFERON; positive IGRA
covid19 |  | U07.1 | SARS-CoV-2 infection; coronavirus disease 2019; COVID-19 infection
h_pylori_infection |  | B96.81 | Helicobacter pylori; Helicobacter pylori infection; H. pylori; H.pylori; H pylori; H-pylori; H. pylori infection; Helicobacter
hepatitis_b |  | B18.1 | chronic HBV infection; hepatitis B virus infection; HBV carrier; HBV reactivation
hepatitis_c |  | B18.2 | chronic HCV infection; hepatitis C virus infection
"""

REPRODUCTIVE = """
pregnancy |  | Z33.1 | currently pregnant; positive pregnancy test
breastfeeding | pregnancy | Z39.1 | breast-feeding; breast feeding; lactation; nursing mother
postmenopausal |  | Z78.0 | postmenopausal; post-menopausal; menopause
surgical_sterilization |  | Z98.51 | surgically sterile; surgical sterilization; surgical sterilisation; tubal ligation; bilateral tubal ligation; BTL; vasectomy; bilateral oophorectomy; bilateral salpingo-oophorectomy
premenopausal |  |  | premenopausal; pre-menopausal; perimenopausal
"""

DIALYSIS = """
dialysis | kidney_disease | Z99.2 | dialysis; hemodialysis; haemodialysis; peritoneal dialysis; renal replacement therapy; chronic dialysis
"""

PROCEDURE = """
mastectomy | surgery |  | mastectomy; lumpectomy; breast-conserving surgery
prostatectomy | surgery |  | prostatectomy; radical prostatectomy
lobectomy | surgery |  | lobectomy; pneumonectomy; segmentectomy
colectomy | surgery |  | colectomy; hemicolectomy; low anterior resection
whipple | surgery |  | Whipple procedure; pancreaticoduodenectomy
sbrt | radiotherapy |  | stereotactic body radiotherapy; stereotactic body radiation therapy; SBRT; SABR; stereotactic radiosurgery; SRS; gamma knife
car_t | immunotherapy, anticancer_therapy |  | CAR T-cell therapy; CAR T cell therapy; chimeric antigen receptor T-cell therapy; CAR-T cell therapy
coronary_revascularization |  |  | coronary revascularization; coronary revascularisation; revascularization; revascularisation; myocardial revascularization
pci | coronary_revascularization |  | PCI
cabg | coronary_revascularization |  | CABG
nephrectomy | surgery | Z90.5 | nephrectomy; radical nephrectomy; partial nephrectomy; hemi-nephrectomy
cholecystectomy | surgery | Z90.49 | cholecystectomy; lap chole; laparoscopic cholecystectomy
hysterectomy | surgery | Z90.710 | hysterectomy; total abdominal hysterectomy; TAH-BSO; vaginal hysterectomy
splenectomy | surgery | Z90.81 | splenectomy
gastrectomy | surgery | Z90.3 | gastrectomy; partial gastrectomy; total gastrectomy
bariatric_surgery | surgery | Z98.84 | bariatric surgery; gastric bypass; Roux-en-Y gastric bypass; sleeve gastrectomy; gastric banding
colostomy | surgery | Z93.3 | colostomy
tracheostomy | surgery | Z93.0 | tracheostomy
amputation | surgery | Z89.9 | amputation; below-knee amputation; above-knee amputation
cochlear_implant |  | Z96.21 | cochlear implant; cochlear implants
insulin_pump |  | Z96.41 | insulin pump; insulin pumps; insulin pump therapy; continuous subcutaneous insulin infusion; CSII; Omnipod; MiniMed; t:slim
joint_replacement | surgery | Z96.64 | joint replacement; hip replacement; knee replacement; total hip arthroplasty; total knee arthroplasty
"""

# Biomarkers: concept | classes | - | phrases. Results read positive/negative/values after the mention,
# so phrases never contain a polarity word ("EGFR-positive" is EGFR + positive).
BIOMARKER = """
actionable_alteration |  |  | actionable genomic alteration; actionable genomic alterations; actionable mutation; actionable mutations; oncogenic driver; oncogenic driver mutation; driver mutation; driver mutations; targetable alteration; targetable mutation; targetable genomic alteration; driver gene alteration
egfr_mutation | actionable_alteration |  | EGFR mutations; EGFR-mutated; EGFR mutated; mutant EGFR; EGFR activating mutation; activating EGFR mutation; EGFR sensitizing mutation; sensitizing EGFR mutation; EGFR-sensitizing mutation; EGFR gene mutation; EGFR mutation status
egfr_exon19_deletion | egfr_mutation, actionable_alteration |  | EGFR exon 19 deletion; exon 19 deletion; exon 19 deletions; exon 19 del; ex19del; del19; EGFR del19; EGFR exon 19 del
egfr_l858r | egfr_mutation, actionable_alteration |  | L858R; EGFR L858R; Ex21-L858R; Ex21 L858R; exon 21 L858R substitution; exon 21 L858R; EGFR exon 21 L858R; L858R mutation; EGFR L858R mutation; EGFR L858R point mutation
egfr_t790m | egfr_mutation, actionable_alteration |  | T790M; EGFR T790M; T790M mutation; EGFR T790M mutation
egfr_exon20_insertion | egfr_mutation, actionable_alteration |  | EGFR exon 20 insertion; EGFR exon 20 insertions; exon 20 insertion; exon 20 insertions; ex20ins; EGFR ex20ins
alk_rearrangement | actionable_alteration |  | ALK gene rearrangement; ALK translocation; EML4-ALK; ALK fusion gene; ALK-rearranged
ros1_fusion | actionable_alteration |  | ROS1; ROS1 rearrangement; ROS1 fusion; ROS1 gene rearrangement; ROS-1; ROS1-rearranged
ret_fusion | actionable_alteration |  | RET fusion; RET rearrangement; RET gene fusion; RET-rearranged; RET alteration
ret_mutation | actionable_alteration |  | RET mutation; RET-mutant; RET-mutated
ntrk_fusion | actionable_alteration |  | NTRK fusion; NTRK gene fusion; NTRK1/2/3 fusion; NTRK; TRK fusion; NTRK1 fusion
kras_mutation | actionable_alteration |  | KRAS; KRAS mutation; K-RAS; KRAS-mutant; KRAS mutated; KRAS-mutated; KRAS status
kras_g12c | kras_mutation, actionable_alteration |  | KRAS G12C; G12C; KRAS p.G12C; KRAS G12C mutation
nras_mutation |  |  | NRAS; NRAS mutation; N-RAS
ras_mutation |  |  | RAS mutation; RAS status; RAS gene
braf_mutation | actionable_alteration |  | BRAF; BRAF mutation; BRAF-mutant; BRAF mutated; BRAF-mutated
braf_v600_mutation | braf_mutation, actionable_alteration |  | BRAF V600; BRAF V600 mutation; BRAF V600E/K; V600 mutation
braf_v600e | braf_v600_mutation, braf_mutation, actionable_alteration |  | BRAF V600E; V600E; BRAF p.V600E; BRAF V600E mutation
met_exon14_skipping | actionable_alteration |  | MET exon 14 skipping; METex14; METex14 skipping; MET exon 14 skipping mutation; MET exon 14; MET exon 14 alteration
met_amplification | actionable_alteration |  | MET amplification; MET amplified; MET gene amplification; high-level MET amplification
her2_status |  |  | HER2; HER2/neu; HER-2; ERBB2; HER2 status; human epidermal growth factor receptor 2; HER2 expression
her2_amplification | her2_status |  | HER2 amplification; HER2 amplified; HER2 gene amplification; ERBB2 amplification; HER2-amplified
her2_overexpression | her2_status |  | HER2 overexpression; HER2 protein overexpression; HER2 IHC; HER2 overexpressing
her2_low | her2_status |  | HER2-low; HER2 low; HER2-ultralow
her2_mutation | her2_status, actionable_alteration |  | HER2 mutation; ERBB2 mutation; HER2-mutant; HER2 mutated; HER2 exon 20 insertion; ERBB2 exon 20 insertion
hormone_receptor_status |  |  | hormone receptor; hormone receptor status; hormone-receptor; HR status
er_status | hormone_receptor_status |  | estrogen receptor; oestrogen receptor; ER status; estrogen receptor status; ER expression
pr_status | hormone_receptor_status |  | progesterone receptor; PgR; PR status; progesterone receptor status
pdl1 |  |  | PD-L1 expression; programmed death-ligand 1; programmed death ligand 1; programmed cell death ligand 1; PD-L1 status
msi_status |  |  | microsatellite instability; MSI; microsatellite status; MSI status
msi_high | msi_status |  | MSI-H; MSI-high; microsatellite instability-high; high microsatellite instability; microsatellite instability high; MSI high
mss | msi_status |  | MSS; microsatellite stable; microsatellite-stable
mmr_status |  |  | mismatch repair; MMR status; mismatch repair status; MMR proteins; mismatch repair proteins
dmmr | mmr_status |  | dMMR; mismatch repair deficient; mismatch repair-deficient; deficient mismatch repair; MMR-deficient; MMR deficient; MMR deficiency; mismatch repair deficiency
pmmr | mmr_status |  | pMMR; mismatch repair proficient; mismatch repair-proficient; proficient mismatch repair; MMR-proficient; MMR proficient
tmb |  |  | tumor mutational burden; tumour mutational burden; TMB; tumor mutation burden; tumour mutation burden
tmb_high | tmb |  | TMB-H; TMB-high; high tumor mutational burden; high tumour mutational burden; TMB high
brca_mutation | actionable_alteration |  | BRCA; BRCA mutation; BRCA1/2; BRCA1/2 mutation; BRCA1/BRCA2; gBRCA; germline BRCA; BRCA-mutated; BRCA mutated; sBRCA; gBRCAm
brca1_mutation | brca_mutation, actionable_alteration |  | BRCA1; BRCA1 mutation; BRCA1-mutated
brca2_mutation | brca_mutation, actionable_alteration |  | BRCA2; BRCA2 mutation; BRCA2-mutated
hrd |  |  | homologous recombination deficiency; HRD; homologous recombination repair; HRR mutation; HRR gene alteration
pik3ca_mutation | actionable_alteration |  | PIK3CA; PIK3CA mutation; PIK3CA-mutated; PIK3CA-mutant
esr1_mutation |  |  | ESR1 mutation; ESR1; ESR1-mutated
idh_mutation | actionable_alteration |  | IDH mutation; IDH1; IDH2; IDH1 mutation; IDH2 mutation; IDH-mutant; IDH-mutated
fgfr_alteration | actionable_alteration |  | FGFR alteration; FGFR2 fusion; FGFR3 mutation; FGFR2; FGFR3; FGFR fusion; FGFR3 alteration; FGFR2 rearrangement
nrg1_fusion | actionable_alteration |  | NRG1 fusion; NRG1 gene fusion
flt3_mutation | actionable_alteration |  | FLT3; FLT3 mutation; FLT3-ITD; FLT3-TKD
npm1_mutation |  |  | NPM1; NPM1 mutation
tp53_mutation |  |  | TP53; TP53 mutation; p53 mutation
bcr_abl |  |  | BCR-ABL; BCR-ABL1; Philadelphia chromosome; Philadelphia chromosome-positive; BCR::ABL1
jak2_mutation |  |  | JAK2 V617F; JAK2 mutation; JAK2
cd20_expression |  |  | CD20; CD20 expression; CD20-positive
hpv_status |  |  | HPV status; HPV16; HPV 16; HPV-16
p16_status |  |  | p16 status; p16 immunohistochemistry; p16 staining
dexamethasone_suppression_test |  |  | dexamethasone suppression test; low-dose dexamethasone suppression test; overnight dexamethasone suppression test; high-dose dexamethasone suppression test
"""

# Drug classes: concept | classes | - | phrases
DRUG_CLASS = """
anticancer_therapy |  |  | anticancer drug; anticancer agent; antineoplastic agent; antineoplastic agents; anti-cancer drug; anti-tumor therapy; systemic anticancer therapy; systemic anti-cancer therapy
anti_pd1 | immune_checkpoint_inhibitor, immunotherapy, anticancer_therapy |  | anti-programmed death-1; anti-PD-1 monoclonal antibody; PD-1 checkpoint inhibitor
anti_pdl1 | immune_checkpoint_inhibitor, immunotherapy, anticancer_therapy |  | anti-PD-L1 antibody; PD-L1 antibody; anti-PDL1; PDL1 inhibitor; anti-PD-L1 therapy
anti_ctla4 | immune_checkpoint_inhibitor, immunotherapy, anticancer_therapy |  | CTLA-4 antibody; anti-CTLA4; CTLA4 inhibitor; anti-CTLA-4 antibody
anti_lag3 | immune_checkpoint_inhibitor, immunotherapy, anticancer_therapy |  | anti-LAG-3; LAG-3 inhibitor; anti-LAG3; LAG-3 antibody; anti-LAG-3 antibody
anti_tigit | immune_checkpoint_inhibitor, immunotherapy, anticancer_therapy |  | anti-TIGIT; TIGIT inhibitor; anti-TIGIT antibody
alk_inhibitor | targeted_therapy, anticancer_therapy |  | ALK inhibitor; ALK inhibitors; ALK TKI; ALK tyrosine kinase inhibitor; ALK-TKI
ros1_inhibitor | targeted_therapy, anticancer_therapy |  | ROS1 inhibitor; ROS1 TKI; ROS1 tyrosine kinase inhibitor
kras_g12c_inhibitor | targeted_therapy, anticancer_therapy |  | KRAS G12C inhibitor; KRAS G12C inhibitors; G12C inhibitor
her2_tki | targeted_therapy, anticancer_therapy |  | HER2 tyrosine kinase inhibitor; HER2 TKI; HER2-TKI
braf_inhibitor | targeted_therapy, anticancer_therapy |  | BRAF inhibitor; BRAF inhibitors; BRAFi
mek_inhibitor | targeted_therapy, anticancer_therapy |  | MEK inhibitor; MEK inhibitors; MEKi
met_inhibitor | targeted_therapy, anticancer_therapy |  | MET inhibitor; MET inhibitors; MET TKI; c-MET inhibitor
ret_inhibitor | targeted_therapy, anticancer_therapy |  | RET inhibitor; RET inhibitors; selective RET inhibitor
ntrk_inhibitor | targeted_therapy, anticancer_therapy |  | TRK inhibitor; NTRK inhibitor; TRK inhibitors
fgfr_inhibitor | targeted_therapy, anticancer_therapy |  | FGFR inhibitor; FGFR inhibitors
idh_inhibitor | targeted_therapy, anticancer_therapy |  | IDH inhibitor; IDH1 inhibitor; IDH2 inhibitor
flt3_inhibitor | targeted_therapy, anticancer_therapy |  | FLT3 inhibitor; FLT3 inhibitors
bcr_abl_tki | targeted_therapy, anticancer_therapy |  | BCR-ABL inhibitor; BCR-ABL tyrosine kinase inhibitor; BCR-ABL TKI
btk_inhibitor | targeted_therapy, anticancer_therapy |  | BTK inhibitor; BTK inhibitors; Bruton tyrosine kinase inhibitor; BTKi
bcl2_inhibitor | targeted_therapy, anticancer_therapy |  | BCL-2 inhibitor; BCL2 inhibitor
pi3k_inhibitor | targeted_therapy, anticancer_therapy |  | PI3K inhibitor; PI3K inhibitors; PI3Kα inhibitor; AKT inhibitor
parp_inhibitor | targeted_therapy, anticancer_therapy |  | PARP inhibitor; PARP inhibitors; PARPi; poly ADP-ribose polymerase inhibitor
mtor_inhibitor | targeted_therapy, anticancer_therapy |  | mTOR inhibitor
vegfr_tki | targeted_therapy, anticancer_therapy |  | VEGFR TKI; VEGFR tyrosine kinase inhibitor; VEGFR inhibitor; multikinase inhibitor; multi-kinase inhibitor; anti-angiogenic TKI; antiangiogenic tyrosine kinase inhibitor
anti_vegf | targeted_therapy, anticancer_therapy |  | anti-VEGF; anti-VEGF antibody; anti-VEGF therapy; VEGF inhibitor; anti-angiogenic therapy; antiangiogenic therapy; angiogenesis inhibitor; VEGF-targeted therapy
anti_her2 | targeted_therapy, anticancer_therapy |  | anti-HER2; anti-HER2 antibody; anti-HER2 therapy; HER2-targeted therapy; HER2-directed therapy; anti-HER2 monoclonal antibody; HER2 antibody
antibody_drug_conjugate | targeted_therapy, anticancer_therapy |  | antibody-drug conjugate; antibody drug conjugate; antibody-drug conjugates; ADCs
anti_cd20 | targeted_therapy, anticancer_therapy |  | anti-CD20; anti-CD20 antibody; anti-CD20 monoclonal antibody; CD20 antibody
bispecific_antibody | immunotherapy, anticancer_therapy |  | bispecific antibody; bispecific T-cell engager; BiTE
proteasome_inhibitor | targeted_therapy, anticancer_therapy |  | proteasome inhibitor
hiv_protease_inhibitor | antiretroviral, antiviral |  | protease inhibitor; protease inhibitors; HIV protease inhibitor; HIV protease inhibitors
immunomodulatory_drug | anticancer_therapy |  | immunomodulatory drug; immunomodulatory agent; IMiD
hypomethylating_agent | chemotherapy, anticancer_therapy |  | hypomethylating agent; hypomethylating agents; HMA
antimetabolite | chemotherapy, anticancer_therapy |  | antimetabolite; antimetabolites; fluoropyrimidine; fluoropyrimidines
anthracycline | chemotherapy, anticancer_therapy |  | anthracycline; anthracyclines; anthracycline-based chemotherapy
alkylating_agent | chemotherapy, anticancer_therapy |  | alkylating agent; alkylating agents; nitrogen mustard
topoisomerase_inhibitor | chemotherapy, anticancer_therapy |  | topoisomerase inhibitor; topoisomerase I inhibitor; topoisomerase II inhibitor; camptothecin
vinca_alkaloid | chemotherapy, anticancer_therapy |  | vinca alkaloid; vinca alkaloids
platinum | chemotherapy, anticancer_therapy |  | platinum-containing chemotherapy; platinum-based therapy; platinum agent; platinum compound; platinum chemotherapy
taxane | chemotherapy, anticancer_therapy |  | taxane-based chemotherapy
hormone_replacement_therapy |  |  | hormone replacement therapy; HRT; menopausal hormone therapy; estrogen replacement therapy; oestrogen replacement therapy; menopausal hormone replacement therapy
hormonal_therapy | anticancer_therapy |  | hormonal therapy; hormone therapy; endocrine therapy; anti-hormonal therapy; antihormonal therapy
aromatase_inhibitor | hormonal_therapy, anticancer_therapy |  | aromatase inhibitor; aromatase inhibitors; AI therapy; nonsteroidal aromatase inhibitor
serm | hormonal_therapy, anticancer_therapy |  | selective estrogen receptor modulator; SERM
serd | hormonal_therapy, anticancer_therapy |  | selective estrogen receptor degrader; SERD; oral SERD
antiandrogen | hormonal_therapy, anticancer_therapy |  | antiandrogen; anti-androgen; androgen receptor inhibitor; androgen receptor antagonist; androgen receptor pathway inhibitor; ARPI; AR inhibitor; androgen receptor-targeted agent; novel hormonal agent
androgen_deprivation_therapy | hormonal_therapy, anticancer_therapy |  | androgen deprivation therapy; androgen-deprivation therapy; ADT; castration therapy; medical castration
gnrh_agonist | androgen_deprivation_therapy, hormonal_therapy, anticancer_therapy |  | GnRH agonist; LHRH agonist; gonadotropin-releasing hormone agonist; LHRH analogue; GnRH analogue
gnrh_antagonist | androgen_deprivation_therapy, hormonal_therapy, anticancer_therapy |  | GnRH antagonist; LHRH antagonist; gonadotropin-releasing hormone antagonist
cyp17_inhibitor | hormonal_therapy, anticancer_therapy |  | CYP17 inhibitor; androgen synthesis inhibitor
corticosteroid | immunosuppressant |  | corticosteroid; corticosteroids; steroids; steroid therapy; systemic steroids; systemic corticosteroids; glucocorticoid; glucocorticoids; steroid
steroid_replacement_therapy |  |  | glucocorticoid replacement therapy; glucocorticoid replacement; steroid replacement therapy; corticosteroid replacement therapy; physiologic steroid replacement; physiological steroid replacement; physiologic replacement doses; physiological replacement doses; physiologic doses of corticosteroids; hydrocortisone replacement; adrenal replacement therapy
immunosuppressant |  |  | immunosuppressant; immunosuppressants; immunosuppressive therapy; immunosuppressive agent; immunosuppressive agents; immunosuppressive medication; immunosuppressive drugs; immunosuppression
dmard | immunosuppressant |  | DMARD; DMARDs; disease-modifying antirheumatic drug; disease-modifying anti-rheumatic drug; csDMARD; conventional synthetic DMARD
biologic_dmard | dmard, immunosuppressant |  | biologic DMARD; bDMARD; biological DMARD; biologic agent; biologic therapy
tnf_inhibitor | biologic_dmard, dmard, immunosuppressant |  | TNF inhibitor; TNF inhibitors; anti-TNF; anti-TNF therapy; TNF-alpha inhibitor; TNF alpha inhibitor; TNF blocker; TNF-α inhibitor; TNFi; anti-TNF agent
il6_inhibitor | biologic_dmard, dmard, immunosuppressant |  | IL-6 inhibitor; IL-6 receptor antagonist; anti-IL-6; interleukin-6 inhibitor
il17_inhibitor | biologic_dmard, dmard, immunosuppressant |  | IL-17 inhibitor; anti-IL-17; interleukin-17 inhibitor
il23_inhibitor | biologic_dmard, dmard, immunosuppressant |  | IL-23 inhibitor; IL-12/23 inhibitor; anti-IL-23
jak_inhibitor | dmard, immunosuppressant |  | JAK inhibitor; JAK inhibitors; Janus kinase inhibitor; JAKi
calcineurin_inhibitor | immunosuppressant |  | calcineurin inhibitor; calcineurin inhibitors; CNI
anticoagulant |  |  | anticoagulant; anticoagulants; anticoagulation; anticoagulant therapy; therapeutic anticoagulation; blood thinner; blood thinners; full-dose anticoagulation
doac | anticoagulant |  | DOAC; DOACs; NOAC; direct oral anticoagulant; novel oral anticoagulant; oral factor Xa inhibitor; oral direct thrombin inhibitor
vitamin_k_antagonist | anticoagulant |  | vitamin K antagonist; VKA; coumarin anticoagulant
heparin_class | anticoagulant |  | low molecular weight heparin; low-molecular-weight heparin; LMWH; unfractionated heparin; UFH
antiplatelet |  |  | antiplatelet; antiplatelet agent; antiplatelet agents; antiplatelet therapy; dual antiplatelet therapy; DAPT
p2y12_inhibitor | antiplatelet |  | P2Y12 inhibitor; P2Y12 inhibitors; thienopyridine
antihypertensive |  |  | antihypertensive; antihypertensives; antihypertensive medication; antihypertensive medications; antihypertensive therapy; blood pressure medication
diuretic | antihypertensive |  | diuretic; diuretics; water pill
loop_diuretic | diuretic, antihypertensive |  | loop diuretic; loop diuretics
thiazide_diuretic | diuretic, antihypertensive |  | thiazide; thiazide diuretic; thiazide diuretics; thiazide-like diuretic
potassium_sparing_diuretic | diuretic, antihypertensive |  | potassium-sparing diuretic; mineralocorticoid receptor antagonist; MRA therapy; aldosterone antagonist
ace_inhibitor | antihypertensive |  | ACE inhibitor; ACE inhibitors; ACEi; ACE-I; ACE inh; ACE-inh; angiotensin-converting enzyme inhibitor; angiotensin converting enzyme inhibitor
arb | antihypertensive |  | angiotensin receptor blocker; angiotensin receptor blockers; angiotensin II receptor blocker; ARB; ARBs; sartan
arni | antihypertensive |  | angiotensin receptor-neprilysin inhibitor; ARNI
beta_blocker | antihypertensive |  | beta blocker; beta-blocker; beta blockers; beta-blockers; beta-adrenergic blocker
calcium_channel_blocker | antihypertensive |  | calcium channel blocker; calcium channel blockers; calcium antagonist
antiarrhythmic |  |  | antiarrhythmic; antiarrhythmic drug; antiarrhythmics; anti-arrhythmic medication
statin |  |  | statin; statins; HMG-CoA reductase inhibitor; lipid-lowering therapy
antidiabetic |  |  | antidiabetic; antidiabetic medication; antidiabetic agent; glucose-lowering medication; glucose-lowering therapy; hypoglycemic agent; oral hypoglycemic; oral hypoglycaemic; oral antidiabetic
insulin | antidiabetic |  | insulin; insulin therapy; basal insulin; insulin-treated
biguanide | antidiabetic |  | biguanide; biguanides
sglt2_inhibitor | antidiabetic |  | SGLT2 inhibitor; SGLT2 inhibitors; SGLT-2 inhibitor; SGLT2i; gliflozin
glp1_ra | antidiabetic |  | GLP-1 receptor agonist; GLP-1 receptor agonists; GLP-1 RA; GLP-1 agonist; GLP1 agonist; GLP-1RA
dpp4_inhibitor | antidiabetic |  | DPP-4 inhibitor; DPP-4 inhibitors; DPP4 inhibitor; dipeptidyl peptidase-4 inhibitor; gliptin
sulfonylurea | antidiabetic |  | sulfonylurea; sulfonylureas; sulphonylurea
thiazolidinedione | antidiabetic |  | thiazolidinedione; thiazolidinediones; glitazone
antidepressant |  |  | antidepressant; antidepressants; antidepressant medication
ssri | antidepressant |  | SSRI; SSRIs; selective serotonin reuptake inhibitor; selective serotonin reuptake inhibitors
snri | antidepressant |  | SNRI; SNRIs; serotonin-norepinephrine reuptake inhibitor; serotonin norepinephrine reuptake inhibitor
tca | antidepressant |  | tricyclic antidepressant; tricyclic antidepressants; TCA; TCAs
maoi | antidepressant |  | MAOI; MAOIs; monoamine oxidase inhibitor; monoamine oxidase inhibitors
antipsychotic |  |  | antipsychotic; antipsychotics; neuroleptic; neuroleptics
atypical_antipsychotic | antipsychotic |  | atypical antipsychotic; atypical antipsychotics; second-generation antipsychotic; second generation antipsychotic; second-generation antipsychotics
typical_antipsychotic | antipsychotic |  | typical antipsychotic; typical antipsychotics; first-generation antipsychotic; first generation antipsychotic; first-generation antipsychotics; conventional antipsychotic
antiepileptic |  |  | antiepileptic; antiepileptic drug; antiepileptic drugs; anticonvulsant; anticonvulsants; antiseizure medication; anti-seizure medication; enzyme-inducing antiepileptic drug; EIAED
benzodiazepine | cns_depressant |  | benzodiazepine; benzodiazepines
opioid | cns_depressant |  | opioid; opioids; opiate; opiates; opioid analgesic; opioid analgesics; narcotic; narcotics; narcotic analgesic
antiviral |  |  | antiviral; antiviral therapy; antivirals; antiviral medication
hbv_antiviral | antiviral |  | nucleos(t)ide analogue; nucleoside analogue; nucleotide analogue; HBV antiviral therapy; anti-HBV therapy; HBV prophylaxis
hcv_daa | antiviral |  | direct-acting antiviral; direct-acting antivirals; direct acting antiviral; DAA; DAAs; HCV treatment
antiretroviral | antiviral |  | antiretroviral therapy; antiretroviral; antiretrovirals; HAART; cART; combination antiretroviral therapy; highly active antiretroviral therapy
bisphosphonate | bone_modifying_agent |  | bisphosphonate; bisphosphonates
bone_modifying_agent |  |  | bone-modifying agent; bone modifying agent; bone-targeted therapy; RANKL inhibitor
strong_cyp3a4_inhibitor |  |  | strong CYP3A4 inhibitor; strong CYP3A4 inhibitors; strong CYP3A inhibitor; strong CYP3A inhibitors; strong inhibitors of CYP3A4; strong inhibitors of CYP3A; potent CYP3A4 inhibitor
strong_cyp1a2_inhibitor |  |  | strong CYP1A2 inhibitor; strong CYP1A2 inhibitors; strong inhibitors of CYP1A2
strong_cyp2d6_inhibitor |  |  | strong CYP2D6 inhibitor; strong CYP2D6 inhibitors; strong inhibitors of CYP2D6
strong_cyp3a4_inducer |  |  | strong CYP3A4 inducer; strong CYP3A4 inducers; strong CYP3A inducer; strong CYP3A inducers; strong inducers of CYP3A4; strong inducers of CYP3A; potent CYP3A4 inducer
live_vaccine |  |  | live vaccine; live vaccines; live attenuated vaccine; live attenuated vaccines; live-virus vaccine
nsaid |  |  | NSAID; NSAIDs; non-steroidal anti-inflammatory drug; non-steroidal anti-inflammatory drugs; nonsteroidal anti-inflammatory drug; nonsteroidal anti-inflammatory drugs; non-steroidal anti-inflammatory
proton_pump_inhibitor |  |  | proton pump inhibitor; proton pump inhibitors; PPI; PPIs
dopamine_agonist |  |  | dopamine agonist; dopamine agonists; dopaminergic agonist; dopamine receptor agonist
nitrate |  |  | nitrate therapy; organic nitrate; organic nitrates; nitrates; long-acting nitrate; nitric oxide donor
alpha_blocker | antihypertensive |  | alpha blocker; alpha blockers; alpha-blocker; alpha-blockers; alpha-adrenergic blocker; alpha-adrenergic blockers; alpha-receptor blocking agent; alpha-receptor blocking agents; alpha-1 blocker; alpha adrenergic antagonist
pde5_inhibitor |  |  | PDE5 inhibitor; PDE5 inhibitors; PDE-5 inhibitor; PDE-5 inhibitors; phosphodiesterase type 5 inhibitor; phosphodiesterase type 5 inhibitors; phosphodiesterase-5 inhibitor; phosphodiesterase 5 inhibitor
cholinesterase_inhibitor |  |  | cholinesterase inhibitor; cholinesterase inhibitors; acetylcholinesterase inhibitor; acetylcholinesterase inhibitors; ChEI; ChEIs
nmda_antagonist |  |  | NMDA receptor antagonist; NMDA antagonist
cns_stimulant |  |  | stimulant medication; psychostimulant; psychostimulants; CNS stimulant; CNS stimulants
antiparkinson_agent |  |  | antiparkinsonian medication; antiparkinson medication; antiparkinsonian drug; dopaminergic therapy; dopaminergic medication
qt_prolonging_drug |  |  | QT prolonging drug; QT-prolonging drug; QT prolonging drugs; QT-prolonging drugs; QT prolonging medication; QT-prolonging medication; QT prolonging medications; QT-prolonging medications; QT prolonging agent; QT-prolonging agent; QT prolonging agents; QT-prolonging agents; drugs that prolong the QT interval; drugs known to prolong the QT interval; medications known to prolong the QT interval; medications that prolong the QT interval; drugs that prolong QTc; drugs known to prolong QTc
cns_depressant |  |  | CNS depressant; CNS depressants; central nervous system depressant; central nervous system depressants; respiratory depressant; respiratory depressants; sedative; sedatives; sedative-hypnotic; sedative-hypnotics; sedative hypnotic; sedative hypnotics; hypnotic; hypnotics
murine_protein_antibody |  |  | murine protein-containing products; murine protein-containing product; murine proteins; murine protein; murine antibodies; murine antibody; murine monoclonal antibodies; chimeric antibodies; chimeric monoclonal antibodies; mouse antibodies; mouse proteins
antibiotic |  |  | antibiotic; antibiotics; antibacterial; antibacterials; antimicrobial therapy
antifungal |  |  | antifungal; antifungals; azole antifungal; azole antifungals
antiemetic |  |  | antiemetic; antiemetics; anti-emetic; anti-emetics
"""

# Drugs: generic name (as the drug package spells it) | classes | extra phrases (codes, abbreviations)
DRUG = """
pembrolizumab | anti_pd1 |
nivolumab | anti_pd1 |
cemiplimab | anti_pd1 |
dostarlimab | anti_pd1 |
atezolizumab | anti_pdl1 |
durvalumab | anti_pdl1 |
avelumab | anti_pdl1 |
sugemalimab | anti_pdl1 |
ipilimumab | anti_ctla4 |
tremelimumab | anti_ctla4 | Imjudo
relatlimab | anti_lag3 |
tiragolumab | anti_tigit |
gefitinib | egfr_tki |
erlotinib | egfr_tki |
afatinib | egfr_tki, her2_tki |
osimertinib | egfr_tki |
dacomitinib | egfr_tki |
lazertinib | egfr_tki | Lazcluze
mobocertinib | egfr_tki | Exkivity
sunvozertinib | egfr_tki |
lapatinib | egfr_tki, her2_tki |
neratinib | her2_tki | Nerlynx
tucatinib | her2_tki | Tukysa
crizotinib | alk_inhibitor, ros1_inhibitor, met_inhibitor |
ceritinib | alk_inhibitor | Zykadia
alectinib | alk_inhibitor | Alecensa
brigatinib | alk_inhibitor | Alunbrig
lorlatinib | alk_inhibitor, ros1_inhibitor | Lorbrena; Lorviqua
entrectinib | ros1_inhibitor, ntrk_inhibitor | Rozlytrek
repotrectinib | ros1_inhibitor, ntrk_inhibitor | Augtyro
larotrectinib | ntrk_inhibitor | Vitrakvi
sotorasib | kras_g12c_inhibitor | Lumakras; AMG 510
adagrasib | kras_g12c_inhibitor | Krazati; MRTX849
dabrafenib | braf_inhibitor | Tafinlar
vemurafenib | braf_inhibitor | Zelboraf
encorafenib | braf_inhibitor | Braftovi
trametinib | mek_inhibitor | Mekinist
cobimetinib | mek_inhibitor | Cotellic
binimetinib | mek_inhibitor | Mektovi
selumetinib | mek_inhibitor |
capmatinib | met_inhibitor | Tabrecta
tepotinib | met_inhibitor | Tepmetko
savolitinib | met_inhibitor |
selpercatinib | ret_inhibitor | Retevmo
pralsetinib | ret_inhibitor | Gavreto
erdafitinib | fgfr_inhibitor | Balversa
pemigatinib | fgfr_inhibitor | Pemazyre
futibatinib | fgfr_inhibitor |
ivosidenib | idh_inhibitor | Tibsovo
enasidenib | idh_inhibitor | Idhifa
vorasidenib | idh_inhibitor |
midostaurin | flt3_inhibitor | Rydapt
gilteritinib | flt3_inhibitor | Xospata
imatinib | bcr_abl_tki | Gleevec; Glivec
dasatinib | bcr_abl_tki | Sprycel
nilotinib | bcr_abl_tki | Tasigna
ibrutinib | btk_inhibitor | Imbruvica
acalabrutinib | btk_inhibitor | Calquence
zanubrutinib | btk_inhibitor | Brukinsa
venetoclax | bcl2_inhibitor | Venclexta
alpelisib | pi3k_inhibitor | Piqray
capivasertib | pi3k_inhibitor | Truqap
olaparib | parp_inhibitor | Lynparza
niraparib | parp_inhibitor | Zejula
rucaparib | parp_inhibitor | Rubraca
talazoparib | parp_inhibitor | Talzenna
everolimus | mtor_inhibitor | Afinitor
temsirolimus | mtor_inhibitor | Torisel
sirolimus | mtor_inhibitor, immunosuppressant | Rapamune
palbociclib | cdk46_inhibitor |
ribociclib | cdk46_inhibitor |
abemaciclib | cdk46_inhibitor |
sunitinib | vegfr_tki | Sutent
sorafenib | vegfr_tki | Nexavar
pazopanib | vegfr_tki | Votrient
axitinib | vegfr_tki | Inlyta
cabozantinib | vegfr_tki, met_inhibitor | Cabometyx; Cometriq
lenvatinib | vegfr_tki | Lenvima
regorafenib | vegfr_tki | Stivarga
anlotinib | vegfr_tki |
apatinib | vegfr_tki | rivoceranib
fruquintinib | vegfr_tki | Fruzaqla
tivozanib | vegfr_tki | Fotivda
vandetanib | vegfr_tki, ret_inhibitor, qt_prolonging_drug | Caprelsa
bevacizumab | anti_vegf |
ramucirumab | anti_vegf | Cyramza
aflibercept | anti_vegf | ziv-aflibercept; Zaltrap
cetuximab | anti_egfr_mab |
panitumumab | anti_egfr_mab |
necitumumab | anti_egfr_mab |
amivantamab | anti_egfr_mab |
trastuzumab | anti_her2 |
pertuzumab | anti_her2 | Perjeta
margetuximab | anti_her2 | Margenza
trastuzumab deruxtecan | antibody_drug_conjugate, anti_her2 | T-DXd; Enhertu; fam-trastuzumab deruxtecan; DS-8201
trastuzumab emtansine | antibody_drug_conjugate, anti_her2 | T-DM1; Kadcyla; ado-trastuzumab emtansine
sacituzumab govitecan | antibody_drug_conjugate | Trodelvy; sacituzumab
enfortumab vedotin | antibody_drug_conjugate | Padcev; enfortumab
datopotamab deruxtecan | antibody_drug_conjugate | Dato-DXd; Datroway
mirvetuximab soravtansine | antibody_drug_conjugate | Elahere; mirvetuximab
tisotumab vedotin | antibody_drug_conjugate | Tivdak
brentuximab vedotin | antibody_drug_conjugate | Adcetris; brentuximab
polatuzumab vedotin | antibody_drug_conjugate | Polivy
telisotuzumab vedotin | antibody_drug_conjugate | Teliso-V
rituximab | anti_cd20, biologic_dmard | Rituxan; MabThera; Truxima; Ruxience
obinutuzumab | anti_cd20 | Gazyva
ofatumumab | anti_cd20 | Arzerra; Kesimpta
ocrelizumab | anti_cd20, immunosuppressant | Ocrevus
blinatumomab | bispecific_antibody | Blincyto
tarlatamab | bispecific_antibody | Imdelltra
teclistamab | bispecific_antibody | Tecvayli
bortezomib | proteasome_inhibitor | Velcade
carfilzomib | proteasome_inhibitor | Kyprolis
lenalidomide | immunomodulatory_drug | Revlimid
pomalidomide | immunomodulatory_drug | Pomalyst
thalidomide | immunomodulatory_drug | Thalomid
daratumumab | targeted_therapy | Darzalex
azacitidine | hypomethylating_agent | Vidaza
decitabine | hypomethylating_agent | Dacogen
cisplatin | platinum |
carboplatin | platinum |
oxaliplatin | platinum |
paclitaxel | taxane |
docetaxel | taxane |
cabazitaxel | taxane | Jevtana
fluorouracil | antimetabolite |
capecitabine | antimetabolite |
gemcitabine | antimetabolite |
pemetrexed | antimetabolite |
methotrexate | antimetabolite, dmard |
tegafur | antimetabolite |
cytarabine | antimetabolite | Ara-C; cytosine arabinoside
fludarabine | antimetabolite |
trifluridine and tipiracil | antimetabolite | TAS-102; Lonsurf; trifluridine/tipiracil
doxorubicin | anthracycline | Adriamycin; liposomal doxorubicin; Doxil
epirubicin | anthracycline | Ellence
daunorubicin | anthracycline |
idarubicin | anthracycline |
cyclophosphamide | alkylating_agent, immunosuppressant | Cytoxan
ifosfamide | alkylating_agent | Ifex
temozolomide | alkylating_agent | Temodar; Temodal
bendamustine | alkylating_agent | Treanda; Bendeka
melphalan | alkylating_agent | Alkeran
chlorambucil | alkylating_agent | Leukeran
dacarbazine | alkylating_agent | DTIC
lomustine | alkylating_agent | CCNU
carmustine | alkylating_agent | BCNU; Gliadel
busulfan | alkylating_agent |
mitomycin | alkylating_agent | mitomycin C
trabectedin | alkylating_agent | Yondelis
irinotecan | topoisomerase_inhibitor | Camptosar; liposomal irinotecan; Onivyde
topotecan | topoisomerase_inhibitor | Hycamtin
etoposide | topoisomerase_inhibitor | VP-16; Etopophos
vincristine | vinca_alkaloid | Oncovin
vinblastine | vinca_alkaloid |
vinorelbine | vinca_alkaloid | Navelbine
eribulin | chemotherapy | Halaven
bleomycin | chemotherapy |
lurbinectedin | alkylating_agent | Zepzelca
letrozole | aromatase_inhibitor | Femara
anastrozole | aromatase_inhibitor | Arimidex
exemestane | aromatase_inhibitor | Aromasin
tamoxifen | serm | Nolvadex
raloxifene | serm | Evista
toremifene | serm |
fulvestrant | serd | Faslodex
elacestrant | serd | Orserdu
enzalutamide | antiandrogen | Xtandi
apalutamide | antiandrogen | Erleada
darolutamide | antiandrogen | Nubeqa
bicalutamide | antiandrogen | Casodex
flutamide | antiandrogen |
abiraterone | cyp17_inhibitor | Zytiga; abiraterone acetate
leuprolide | gnrh_agonist | leuprorelin; Lupron; Eligard
goserelin | gnrh_agonist | Zoladex
triptorelin | gnrh_agonist | Trelstar; Decapeptyl
degarelix | gnrh_antagonist | Firmagon
relugolix | gnrh_antagonist | Orgovyx
prednisone | corticosteroid |
prednisolone | corticosteroid |
methylprednisolone | corticosteroid | Solu-Medrol; Medrol
dexamethasone | corticosteroid | Decadron
hydrocortisone | corticosteroid |
budesonide | corticosteroid |
fludrocortisone | corticosteroid |
azathioprine | immunosuppressant, dmard | Imuran
mycophenolate mofetil | immunosuppressant | mycophenolate; CellCept; mycophenolic acid; MMF
tacrolimus | calcineurin_inhibitor | Prograf
cyclosporine | calcineurin_inhibitor | ciclosporin; Neoral; Sandimmune
hydroxychloroquine | dmard, qt_prolonging_drug | Plaquenil
sulfasalazine | dmard |
leflunomide | dmard | Arava
adalimumab | tnf_inhibitor | Humira
etanercept | tnf_inhibitor | Enbrel
infliximab | tnf_inhibitor | Remicade
golimumab | tnf_inhibitor | Simponi
certolizumab pegol | tnf_inhibitor | certolizumab; Cimzia
abatacept | biologic_dmard | Orencia
tocilizumab | il6_inhibitor | Actemra; RoActemra
sarilumab | il6_inhibitor | Kevzara
anakinra | biologic_dmard | Kineret
secukinumab | il17_inhibitor | Cosentyx
ixekizumab | il17_inhibitor | Taltz
ustekinumab | il23_inhibitor | Stelara
guselkumab | il23_inhibitor | Tremfya
risankizumab | il23_inhibitor | Skyrizi
vedolizumab | biologic_dmard | Entyvio
belimumab | biologic_dmard | Benlysta
natalizumab | biologic_dmard | Tysabri
tofacitinib | jak_inhibitor | Xeljanz
baricitinib | jak_inhibitor | Olumiant
upadacitinib | jak_inhibitor | Rinvoq
ruxolitinib | jak_inhibitor, targeted_therapy | Jakafi; Jakavi
warfarin | vitamin_k_antagonist |
acenocoumarol | vitamin_k_antagonist |
apixaban | doac |
rivaroxaban | doac | Xarelto
edoxaban | doac | Savaysa; Lixiana
dabigatran | doac | Pradaxa; dabigatran etexilate
heparin | heparin_class | unfractionated heparin
enoxaparin | heparin_class | Lovenox; Clexane
dalteparin | heparin_class | Fragmin
tinzaparin | heparin_class |
fondaparinux | anticoagulant | Arixtra
aspirin | antiplatelet | acetylsalicylic acid
clopidogrel | p2y12_inhibitor | Plavix
prasugrel | p2y12_inhibitor | Effient
ticagrelor | p2y12_inhibitor | Brilinta
furosemide | loop_diuretic | Lasix
torsemide | loop_diuretic |
bumetanide | loop_diuretic |
hydrochlorothiazide | thiazide_diuretic | HCTZ
chlorthalidone | thiazide_diuretic |
indapamide | thiazide_diuretic |
spironolactone | potassium_sparing_diuretic | Aldactone
eplerenone | potassium_sparing_diuretic |
lisinopril | ace_inhibitor |
enalapril | ace_inhibitor |
ramipril | ace_inhibitor |
perindopril | ace_inhibitor |
captopril | ace_inhibitor |
benazepril | ace_inhibitor |
losartan | arb |
valsartan | arb |
irbesartan | arb |
candesartan | arb |
olmesartan | arb |
telmisartan | arb |
sacubitril and valsartan | arni | sacubitril/valsartan; Entresto
metoprolol | beta_blocker |
bisoprolol | beta_blocker |
carvedilol | beta_blocker |
atenolol | beta_blocker |
propranolol | beta_blocker |
nebivolol | beta_blocker |
amlodipine | calcium_channel_blocker | Norvasc
nifedipine | calcium_channel_blocker |
diltiazem | calcium_channel_blocker |
verapamil | calcium_channel_blocker |
amiodarone | antiarrhythmic, qt_prolonging_drug | Cordarone
sotalol | antiarrhythmic, beta_blocker, qt_prolonging_drug |
flecainide | antiarrhythmic, qt_prolonging_drug |
dronedarone | antiarrhythmic, qt_prolonging_drug | Multaq
digoxin | antiarrhythmic | Lanoxin
atorvastatin | statin |
rosuvastatin | statin |
simvastatin | statin |
pravastatin | statin |
metformin | biguanide |
empagliflozin | sglt2_inhibitor | Jardiance
dapagliflozin | sglt2_inhibitor | Farxiga; Forxiga
canagliflozin | sglt2_inhibitor | Invokana
semaglutide | glp1_ra | Ozempic; Wegovy; Rybelsus
liraglutide | glp1_ra | Victoza; Saxenda
dulaglutide | glp1_ra | Trulicity
exenatide | glp1_ra | Byetta; Bydureon
tirzepatide | glp1_ra | Mounjaro; Zepbound
sitagliptin | dpp4_inhibitor | Januvia
linagliptin | dpp4_inhibitor | Tradjenta
saxagliptin | dpp4_inhibitor | Onglyza
glipizide | sulfonylurea |
glimepiride | sulfonylurea | Amaryl
gliclazide | sulfonylurea |
glyburide | sulfonylurea | glibenclamide
pioglitazone | thiazolidinedione | Actos
insulin glargine | insulin | Lantus; Toujeo; Basaglar
insulin lispro | insulin | Humalog
insulin aspart | insulin | Novolog; NovoRapid
insulin detemir | insulin | Levemir
insulin degludec | insulin | Tresiba
fluoxetine | ssri, strong_cyp2d6_inhibitor |
sertraline | ssri |
citalopram | ssri, qt_prolonging_drug |
escitalopram | ssri, qt_prolonging_drug |
paroxetine | ssri, strong_cyp2d6_inhibitor |
fluvoxamine | ssri, strong_cyp1a2_inhibitor |
venlafaxine | snri |
duloxetine | snri |
desvenlafaxine | snri |
amitriptyline | tca |
nortriptyline | tca |
imipramine | tca |
clomipramine | tca |
phenelzine | maoi |
tranylcypromine | maoi |
selegiline | maoi |
bupropion | antidepressant, strong_cyp2d6_inhibitor | Wellbutrin; Zyban
mirtazapine | antidepressant | Remeron
trazodone | antidepressant |
haloperidol | typical_antipsychotic, qt_prolonging_drug | Haldol
chlorpromazine | typical_antipsychotic, qt_prolonging_drug | Thorazine
fluphenazine | typical_antipsychotic |
perphenazine | typical_antipsychotic |
loxapine | typical_antipsychotic |
thioridazine | typical_antipsychotic, qt_prolonging_drug |
trifluoperazine | typical_antipsychotic |
thiothixene | typical_antipsychotic |
pimozide | typical_antipsychotic, qt_prolonging_drug |
olanzapine | atypical_antipsychotic | Zyprexa
quetiapine | atypical_antipsychotic | Seroquel
risperidone | atypical_antipsychotic | Risperdal
aripiprazole | atypical_antipsychotic | Abilify
clozapine | atypical_antipsychotic | Clozaril
ziprasidone | atypical_antipsychotic | Geodon
lurasidone | atypical_antipsychotic | Latuda
paliperidone | atypical_antipsychotic | Invega
asenapine | atypical_antipsychotic | Saphris
iloperidone | atypical_antipsychotic | Fanapt
cariprazine | atypical_antipsychotic | Vraylar
brexpiprazole | atypical_antipsychotic | Rexulti
levetiracetam | antiepileptic | Keppra
phenytoin | antiepileptic, strong_cyp3a4_inducer | Dilantin
carbamazepine | antiepileptic, strong_cyp3a4_inducer | Tegretol
valproic acid | antiepileptic | valproate; sodium valproate; Depakote; divalproex
lamotrigine | antiepileptic | Lamictal
lacosamide | antiepileptic | Vimpat
oxcarbazepine | antiepileptic | Trileptal
topiramate | antiepileptic | Topamax
gabapentin | antiepileptic | Neurontin
pregabalin | antiepileptic | Lyrica
phenobarbital | antiepileptic, strong_cyp3a4_inducer, cns_depressant |
lorazepam | benzodiazepine | Ativan
diazepam | benzodiazepine | Valium
clonazepam | benzodiazepine | Klonopin
alprazolam | benzodiazepine | Xanax
morphine | opioid |
oxycodone | opioid | OxyContin
hydromorphone | opioid | Dilaudid
fentanyl | opioid | Duragesic
methadone | opioid, qt_prolonging_drug |
buprenorphine | opioid | Suboxone; Subutex
tramadol | opioid |
hydrocodone | opioid |
codeine | opioid |
tapentadol | opioid |
entecavir | hbv_antiviral | Baraclude
tenofovir disoproxil | hbv_antiviral, antiretroviral | tenofovir; TDF; Viread
tenofovir alafenamide | hbv_antiviral, antiretroviral | TAF; Vemlidy
lamivudine | hbv_antiviral, antiretroviral | 3TC; Epivir
adefovir | hbv_antiviral |
sofosbuvir | hcv_daa | Sovaldi
sofosbuvir and velpatasvir | hcv_daa | sofosbuvir/velpatasvir; Epclusa
ledipasvir and sofosbuvir | hcv_daa | ledipasvir/sofosbuvir; Harvoni
glecaprevir and pibrentasvir | hcv_daa | glecaprevir/pibrentasvir; Mavyret; Maviret
elbasvir and grazoprevir | hcv_daa | Zepatier
dolutegravir | antiretroviral | Tivicay
bictegravir | antiretroviral | Biktarvy
raltegravir | antiretroviral | Isentress
efavirenz | antiretroviral, strong_cyp3a4_inducer | Sustiva
emtricitabine | antiretroviral | FTC; Emtriva
abacavir | antiretroviral | Ziagen
zidovudine | antiretroviral | AZT; Retrovir
ritonavir | hiv_protease_inhibitor, strong_cyp3a4_inhibitor | Norvir
cobicistat | strong_cyp3a4_inhibitor | Tybost
darunavir | hiv_protease_inhibitor | Prezista
rilpivirine | antiretroviral | Edurant
ketoconazole | strong_cyp3a4_inhibitor, antifungal |
itraconazole | strong_cyp3a4_inhibitor, antifungal | Sporanox
voriconazole | strong_cyp3a4_inhibitor, antifungal | Vfend
posaconazole | strong_cyp3a4_inhibitor, antifungal | Noxafil
clarithromycin | strong_cyp3a4_inhibitor, qt_prolonging_drug, antibiotic | Biaxin
rifampin | strong_cyp3a4_inducer | rifampicin; Rifadin
dofetilide | antiarrhythmic, qt_prolonging_drug | Tikosyn
quinidine | antiarrhythmic, qt_prolonging_drug |
disopyramide | antiarrhythmic, qt_prolonging_drug |
procainamide | antiarrhythmic, qt_prolonging_drug |
ibutilide | antiarrhythmic, qt_prolonging_drug |
droperidol | antiemetic, qt_prolonging_drug |
ondansetron | antiemetic, qt_prolonging_drug | Zofran
domperidone | antiemetic, qt_prolonging_drug |
azithromycin | antibiotic, qt_prolonging_drug | Zithromax
erythromycin | antibiotic, qt_prolonging_drug |
moxifloxacin | antibiotic, qt_prolonging_drug |
levofloxacin | antibiotic, qt_prolonging_drug | Levaquin
ciprofloxacin | antibiotic, qt_prolonging_drug | Cipro
chloroquine | qt_prolonging_drug |
fluconazole | antifungal, qt_prolonging_drug | Diflucan
arsenic trioxide | anticancer_therapy, qt_prolonging_drug | Trisenox
anagrelide | qt_prolonging_drug |
pentamidine | qt_prolonging_drug |
cisapride | qt_prolonging_drug |
zolpidem | cns_depressant | Ambien
zopiclone | cns_depressant |
eszopiclone | cns_depressant | Lunesta
midazolam | benzodiazepine |
temazepam | benzodiazepine | Restoril
zoledronic acid | bisphosphonate | zoledronate; Zometa; Reclast
pamidronate | bisphosphonate | Aredia
alendronate | bisphosphonate | Fosamax
denosumab | bone_modifying_agent | Xgeva; Prolia; DMAB
teriparatide | bone_modifying_agent | Forteo; TPTD
abaloparatide | bone_modifying_agent | Tymlos
romosozumab | bone_modifying_agent | Evenity
risedronate | bisphosphonate | Actonel
ibandronate | bisphosphonate | Boniva
ibuprofen | nsaid | Advil; Motrin
naproxen | nsaid | Aleve; Naprosyn
diclofenac | nsaid | Voltaren
celecoxib | nsaid | Celebrex
meloxicam | nsaid | Mobic
indomethacin | nsaid | Indocin
ketorolac | nsaid | Toradol
omeprazole | proton_pump_inhibitor | Prilosec
pantoprazole | proton_pump_inhibitor | Protonix
esomeprazole | proton_pump_inhibitor | Nexium
lansoprazole | proton_pump_inhibitor | Prevacid
pramipexole | dopamine_agonist, antiparkinson_agent | Mirapex
ropinirole | dopamine_agonist, antiparkinson_agent | Requip
rotigotine | dopamine_agonist, antiparkinson_agent | Neupro
apomorphine | dopamine_agonist, antiparkinson_agent | Apokyn
bromocriptine | dopamine_agonist |
cabergoline | dopamine_agonist |
levodopa | antiparkinson_agent | L-dopa; carbidopa/levodopa; carbidopa-levodopa; Sinemet
nitroglycerin | nitrate | glyceryl trinitrate; GTN; nitroglycerine
isosorbide mononitrate | nitrate | Imdur; ISMN
isosorbide dinitrate | nitrate | Isordil; ISDN
tamsulosin | alpha_blocker | Flomax
doxazosin | alpha_blocker | Cardura
terazosin | alpha_blocker |
prazosin | alpha_blocker | Minipress
alfuzosin | alpha_blocker | Uroxatral
silodosin | alpha_blocker | Rapaflo
sildenafil | pde5_inhibitor | Viagra; Revatio
tadalafil | pde5_inhibitor | Cialis; Adcirca
vardenafil | pde5_inhibitor | Levitra
avanafil | pde5_inhibitor | Stendra
donepezil | cholinesterase_inhibitor, qt_prolonging_drug | Aricept
rivastigmine | cholinesterase_inhibitor | Exelon
galantamine | cholinesterase_inhibitor | Razadyne
memantine | nmda_antagonist | Namenda
methylphenidate | cns_stimulant | Ritalin; Concerta
"""

# Labs: concept | canonical unit | LOINC | phrases (units must be known to models/units/aliases.json)
LAB = """
calcium | mmol/L | 17861-6 | calcium; serum calcium; corrected calcium; calcium level; ionized calcium
magnesium | mmol/L | 19123-9 | magnesium; serum magnesium; magnesium level
phosphate | mmol/L | 2777-1 | phosphate; phosphorus; serum phosphate; serum phosphorus
direct_bilirubin | umol/L | 1968-7 | direct bilirubin; conjugated bilirubin; D. bili
ggt | U/L | 2324-2 | gamma-glutamyl transferase; gamma-glutamyltransferase; GGT; gamma GT
lipase | U/L | 3040-3 | lipase; serum lipase
amylase | U/L | 1798-8 | amylase; serum amylase
uric_acid | umol/L | 3084-1 | uric acid; serum uric acid; urate
hematocrit | % | 4544-3 | hematocrit; haematocrit; Hct
bnp | pg/mL | 30934-4 | BNP; brain natriuretic peptide; B-type natriuretic peptide
nt_probnp | pg/mL | 33762-6 | NT-proBNP; N-terminal pro-B-type natriuretic peptide; NT-pro-BNP; N-terminal pro-brain natriuretic peptide
troponin | ng/L | 89579-7 | troponin; troponin I; troponin T; high-sensitivity troponin; hs-troponin; cardiac troponin; hs-cTnT; hs-cTnI
hiv_viral_load | copies/mL | 20447-9 | HIV-1 RNA; HIV RNA; plasma HIV RNA
free_t4 | pmol/L | 3024-7 | free T4; FT4; free thyroxine
cortisol | nmol/L | 2143-6 | cortisol; serum cortisol; plasma cortisol; morning cortisol; 8 AM serum cortisol
urinary_free_cortisol |  | 3297-9 | urinary free cortisol; UFC; 24-hour urinary free cortisol; 24-hour urinary cortisol
testosterone | ng/dL | 2986-8 | testosterone; serum testosterone; castrate testosterone level
cea | ng/mL | 2039-6 | carcinoembryonic antigen; CEA
ca125 | U/mL | 10334-1 | CA-125; CA 125; CA125; cancer antigen 125
ca19_9 | U/mL | 24108-3 | CA 19-9; CA19-9; CA-19-9; carbohydrate antigen 19-9
afp | ng/mL | 1834-1 | alpha-fetoprotein; alpha fetoprotein; AFP
beta_hcg | mIU/mL | 21198-7 | beta-hCG; beta hCG; β-hCG; b-hCG; bhCG; hCG; HCG; human chorionic gonadotropin; serum hCG; urine hCG; urine beta-hCG; quantitative hCG
urine_protein_creatinine_ratio | mg/g | 2890-2 | urine protein-to-creatinine ratio; urine protein to creatinine ratio; UPCR; protein/creatinine ratio
neutrophil_lymphocyte_ratio |  |  | neutrophil-to-lymphocyte ratio; neutrophil to lymphocyte ratio; NLR
fibrinogen | g/L | 3255-7 | fibrinogen; plasma fibrinogen
d_dimer | mg/L | 48065-7 | D-dimer; D dimer
crp | mg/L | 1988-5 | C-reactive protein; CRP
ferritin | ug/L | 2276-4 | ferritin; serum ferritin
vitamin_d | nmol/L | 1989-3 | vitamin D; 25-hydroxyvitamin D; 25(OH)D
ldl_cholesterol | mmol/L | 13457-7 |
tsh | mIU/L | 3016-3 | serum TSH
potassium | mmol/L | 2823-3 |
sodium | mmol/L | 2951-2 |
alkaline_phosphatase | U/L | 6768-6 | alk phos; alkaline phosphatase level
prothrombin_time | sec | 5902-2 | PT/INR; prothrombin time (PT)
ptt | sec | 3173-2 | activated partial thromboplastin time (aPTT)
"""

# A phrase from the drug package is kept only when it is a plain name: letters, spaces and hyphens,
# 6+ characters, at most three words, and none of these (common words, salts, manufacturers' prefixes).
SYNONYM_MAX = 8
SYNONYM_STOP = {
    "sodium", "potassium", "calcium", "chloride", "hydrochloride", "sulfate", "acetate", "tablets",
    "injection", "solution", "capsules", "oral", "liquid", "tablet", "retard", "forte", "depot",
    "morphia", "cortan", "lithium", "heparin", "insulin", "codeine", "aspirin", "flu",
}
SYNONYM_DENY = {
    # other meanings: a lab (cortisol), a common adjective (luminal), another drug (transamine ~ tranexamic acid),
    # a class phrase, not the drug (anti-VEGF antibody), the wrong molecule (recombinant human TNF)
    "cortisol", "luminal", "transamine", "anti-vegf monoclonal antibody", "recombinant human tnf",
    # topical, ophthalmic or inhaled forms, which trials do not count as systemic therapy
    "pulmicort", "rhinocort", "locoid", "pandel", "texacort", "cortifair", "anusol hc", "maxidex", "ozurdex",
    "protopic", "restasis", "opzelura", "inflamase",
}
SYNONYM_BAD_PREFIX = re.compile(r"^(?:apo|gen|novo|ratio|rhoxal|pms|teva|mylan|sandoz|nu|dom|phl|riva|med|jamp|mint|auro|ran|sab)[\s\-]")


# ----------------------------------------------------------------------------------------- build


def rows(table: str) -> list[list[str]]:
    out = []
    for line in table.strip().splitlines():
        parts = [p.strip() for p in line.split("|")]
        while len(parts) < 4:
            parts.append("")
        out.append(parts)
    return out


def key_of(phrase: str) -> str:
    """The runtime's phrase identity: case, spaces, hyphens, underscores and slashes do not count."""
    return re.sub(r"[\s\-_/]+", "", phrase.lower())


def split(field: str, sep: str) -> list[str]:
    return [x.strip() for x in field.split(sep) if x.strip()]


class Builder:
    def __init__(self) -> None:
        self.owner: dict[str, str] = {}
        self.curated: dict[str, dict] = {}
        for name in CURATED:
            for line in (LEXICON / name).read_text(encoding="utf-8").splitlines():
                if line.strip():
                    e = json.loads(line)
                    self.curated.setdefault(e["concept"], e)
                    for p in e["phrases"]:
                        self.owner.setdefault(key_of(p), e["concept"])
        self.defined: set[str] = set(self.curated)
        self.ids: set[str] = set()
        self.dropped: list[tuple[str, str, str]] = []
        self.files: dict[str, list[dict]] = defaultdict(list)

    def phrases_for(self, concept: str, phrases: list[str]) -> list[str]:
        out: list[str] = []
        seen: set[str] = set()
        for p in phrases:
            key = key_of(p)
            if key in seen:
                continue
            seen.add(key)
            owner = self.owner.get(key)
            if owner is not None and owner != concept:
                self.dropped.append((p, concept, owner))
                continue
            if owner == concept:
                continue  # already a phrase of this concept
            self.owner[key] = concept
            out.append(p)
        return out

    def add(self, file: str, prefix: str, concept: str, category: str, kind: str, classes: list[str],
            phrases: list[str], codes: dict[str, str] | None = None, unit: str | None = None) -> None:
        existing = self.curated.get(concept)
        kept = self.phrases_for(concept, phrases)
        new_classes = [c for c in classes if c != concept]
        if existing is not None:
            new_classes = [c for c in new_classes if c not in existing.get("class", [])]
            codes = {k: v for k, v in (codes or {}).items() if k not in existing.get("codes", {})}
            if not kept and not new_classes and not codes:
                return
            category, kind, unit = existing["category"], existing["kind"], None
            if not kept:
                kept = [existing["phrases"][0]]  # an extension line needs a phrase; this one is already owned by it
        elif concept in self.defined:
            raise SystemExit(f"{concept}: defined twice in the build tables")
        if not kept:
            raise SystemExit(f"{concept}: every phrase is owned by another concept ({phrases})")
        self.defined.add(concept)
        eid = f"{prefix}.{concept}" if existing is None else f"vocab.ext.{concept}"
        if eid in self.ids:
            raise SystemExit(f"duplicate id {eid}")
        self.ids.add(eid)
        entry: dict = {"id": eid, "concept": concept, "category": category, "kind": kind, "class": new_classes,
                       "phrases": kept}
        if codes:
            entry["codes"] = dict(sorted(codes.items()))
        if unit is not None:
            entry["unit"] = unit
        self.files[file].append(entry)

    def write(self) -> None:
        for name, entries in sorted(self.files.items()):
            text = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
            (LEXICON / name).write_text(text, encoding="utf-8")
            print(f"{name}: {len(entries)} lines")


def icd_codes(code: str) -> dict[str, str]:
    import simple_icd_10_cm as cm

    if not code:
        return {}
    if not cm.is_valid_item(code):
        raise SystemExit(f"ICD-10-CM code {code!r} is not in simple_icd_10_cm")
    return {"icd10cm": code}


OTHER_MALIGNANCY_EXEMPT = {"nsclc", "sclc", "hnscc", "head_and_neck_cancer", "nasopharyngeal_carcinoma", "salivary_gland_cancer"}
"""Cancers the seed lexicon treats as index conditions (its lung and head and neck concepts). Every other
named cancer is also an ``other_malignancy``, as the seed's phrases and site patterns made it ("history of
prostate adenocarcinoma"), so "no other malignancy" still finds it; deciding that the trial's own index
cancer is not "other" belongs to the matcher's trial context (issue 8, item 3), not to the lexicon."""


def add_conditions(b: Builder, file: str, prefix: str, table: str, category: str, kind: str = "condition",
                   other_malignancy: bool = False) -> None:
    for concept, classes, code, phrases in rows(table):
        cls = split(classes, ",")
        if other_malignancy and concept not in OTHER_MALIGNANCY_EXEMPT and "malignancy" in cls + ["malignancy"] * (concept == "carcinoma_in_situ"):
            cls = ["other_malignancy"] + cls
        names = split(phrases, ";")
        if other_malignancy:  # clinicians' shorthand for a site's cancer: "breast ca", "prostate ca"
            names += [p[: -len("cancer")] + "ca" for p in names if p.endswith(" cancer") and len(p.split()) <= 3]
        b.add(file, prefix, concept, category, kind, cls, names, icd_codes(code))


def drug_data() -> tuple[dict, dict, dict]:
    import drug_named_entity_recognition as dner

    path = Path(dner.__file__).parent / "drug_ner_dictionary.pkl.bz2"
    with bz2.open(path, "rb") as fh:
        d = pickle.load(fh)  # the package's own shipped data file
    synonyms: dict[str, list[str]] = defaultdict(list)
    for variant, canonicals in d["drug_variant_to_canonical"].items():
        for c in canonicals:
            synonyms[c].append(variant)
    return d["drug_canonical_to_data"], synonyms, d["drug_variant_to_variant_data"]


def good_synonym(v: str, generic: str) -> bool:
    if not re.fullmatch(r"[a-z][a-z\- ]*[a-z]", v) or len(v) < 6 or len(v.split()) > 3:
        return False
    if v in SYNONYM_DENY or SYNONYM_BAD_PREFIX.match(v) or any(w in SYNONYM_STOP for w in re.split(r"[\s\-]", v)):
        return False
    if " " in v and min(len(w) for w in v.split()) < 3:
        return False  # "taxol a", "sunfural s": a letter glued to a name
    return not (v != generic and v.endswith(("um", "ina", "ine", "ino")) and v[:5] == generic[:5])  # Latin/Spanish forms


def display(v: str, generic: str) -> str:
    """Brand names capitalised (``Humira``); generic names and their variants stay lower case."""
    return v if v[:5] == generic[:5] or " " in v else v.capitalize()


def add_drugs(b: Builder, file: str) -> None:
    from drug_named_entity_recognition.util import stopwords

    canon, synonyms, variant_data = drug_data()
    for generic, classes, extra, _ in rows(DRUG):
        data = canon.get(generic, {})
        codes = {}
        if data.get("drugbank_id"):
            codes["drugbank"] = data["drugbank_id"]
        if data.get("mesh_id"):
            codes["mesh"] = data["mesh_id"]
        if not data:
            print(f"note: {generic} not in drug-named-entity-recognition; curated names only", file=sys.stderr)
        syns = [v for v in synonyms.get(generic, []) if v != generic and good_synonym(v, generic) and v not in stopwords]
        syns.sort(key=lambda v: (not variant_data.get(v, {}).get("is_brand"), "-" in v, len(v), v))
        names = [generic] + split(extra, ";") + [display(v, generic) for v in syns[:SYNONYM_MAX]]
        cls = split(classes, ",")
        cls += [c for c in inn_classes(generic, INN_STEMS_ALL) if c not in cls]
        concept = re.sub(r"[^a-z0-9]+", "_", generic).strip("_")
        concept = concept.replace("_and_", "_")
        closure = expand_classes(b, cls)
        b.add(file, f"drug.{cls[0]}", concept, "prior_therapy", "drug", closure, names, codes)


# Every other drug the package links to a MedlinePlus monograph and a DrugBank id (the drugs in common clinical
# use), named by its generic and brand names, with no class: a criterion naming one ("patients taking clonidine")
# is read from the notes' mentions of it. Names that are common words or another concept's are left out.
COMMON_DRUG_DENY = {
    "oxygen", "alcohol", "nicotine", "caffeine", "water", "glucose", "dextrose", "iron", "zinc", "magnesium",
    "vitamin", "sulfur", "charcoal", "lactose", "sucrose", "talc", "urea", "ethanol", "menthol", "camphor",
    "guaifenesin", "capsaicin", "melatonin", "collagenase", "hyaluronidase", "glycerin", "lanolin",
    # hormones and vitamins that name a receptor status or a laboratory test as often as a drug
    "estrogen", "estrogens", "progesterone", "testosterone", "glucagon", "folic acid", "calcitonin", "albumin",
}


# WHO INN stems (the naming convention of generic names) that place a common drug in a curated class: "fosinopril"
# is an ACE inhibitor, "cefoxitin" an antibiotic. Only stems whose every INN is of the class (the antineoplastic
# -mycins and the JAK and SYK inhibitors' -tinibs are left out).
INN_STEMS = """
-pril$ | ace_inhibitor
-sartan$ | arb
-olol$ | beta_blocker
-dipine$ | calcium_channel_blocker
-statin$ | statin
-gliflozin$ | sglt2_inhibitor
-gliptin$ | dpp4_inhibitor
-glutide$ | glp1_ra
-prazole$ | proton_pump_inhibitor
-triptyline$ | tca
-azepam$|-azolam$ | benzodiazepine
-floxacin$ | antibiotic
-cillin$ | antibiotic
^cef|^ceph | antibiotic
-cycline$ | antibiotic
^(?!bleo|mito|dactino|plica)[a-z]*mycin$ | antibiotic
-penem$ | antibiotic
-conazole$ | antifungal
-fungin$ | antifungal
-setron$ | antiemetic
-previr$|-asvir$|-buvir$ | hcv_daa
-navir$ | hiv_protease_inhibitor
-tegravir$ | antiretroviral
-parin$ | heparin_class
-xaban$|-gatran$ | doac
-dronate$ | bisphosphonate
^(?!fostama)[a-z]*(?<!ci)(?<!li)tinib$ | anticancer_therapy
-ciclib$ | anticancer_therapy
-parib$ | parp_inhibitor
-zomib$ | proteasome_inhibitor
-lutamide$ | antiandrogen
-trozole$ | aromatase_inhibitor
-relin$ | gnrh_agonist
-semide$ | loop_diuretic
-thiazide$ | thiazide_diuretic
-profen$ | nsaid
-coxib$ | nsaid
-oxetine$ | antidepressant
"""

# INN stems that place every drug, the curated ones too, in a class their curated line does not name: a murine
# (-omab) or chimeric (-ximab) monoclonal antibody contains mouse protein, which hypersensitivity criteria name
# ('hypersensitivity to murine protein-containing products': an anaphylaxis to infliximab is one).
INN_STEMS_ALL = """
-ximab$|-omab$ | murine_protein_antibody
"""


def inn_classes(generic: str, table: str = INN_STEMS + INN_STEMS_ALL) -> list[str]:
    out: list[str] = []
    for line in filter(str.strip, table.strip().splitlines()):
        stems, cls = (x.strip() for x in line.rsplit(" | ", 1))
        pattern = "|".join(st[1:] if st.startswith("-") else st for st in stems.split("|"))
        if re.search(pattern, generic.split()[0]) and cls not in out:
            out.append(cls)
    return out


def add_common_drugs(b: Builder, file: str) -> None:
    from drug_named_entity_recognition.util import stopwords

    canon, synonyms, variant_data = drug_data()
    taken = {generic for generic, _, _, _ in rows(DRUG)}
    for generic in sorted(canon):
        data = canon[generic]
        if generic in taken or not (data.get("medline_plus_id") and data.get("drugbank_id")):
            continue
        if not re.fullmatch(r"[a-z][a-z\- ]*[a-z]", generic) or len(generic) < 5 or generic in stopwords:
            continue
        if generic in COMMON_DRUG_DENY or any(w in COMMON_DRUG_DENY | SYNONYM_STOP for w in generic.split()):
            continue
        concept = re.sub(r"[^a-z0-9]+", "_", generic).strip("_")
        if concept in b.defined or b.owner.get(key_of(generic)) not in (None, concept):
            continue  # a concept of its own already, or its name is another concept's
        syns = [v for v in synonyms.get(generic, []) if v != generic and good_synonym(v, generic) and v not in stopwords
                and v not in COMMON_DRUG_DENY]
        syns.sort(key=lambda v: (not variant_data.get(v, {}).get("is_brand"), "-" in v, len(v), v))
        names = [generic] + [display(v, generic) for v in syns[:SYNONYM_MAX]]
        codes = {"drugbank": data["drugbank_id"]} | ({"mesh": data["mesh_id"]} if data.get("mesh_id") else {})
        b.add(file, "drug.common", concept, "prior_therapy", "drug", expand_classes(b, inn_classes(generic)), names,
              codes)


CLASS_PARENTS: dict[str, list[str]] = {}


def expand_classes(b: Builder, classes: list[str]) -> list[str]:
    """A drug line lists its direct classes; written out transitively like the curated lines."""
    out: list[str] = []
    todo = list(classes)
    while todo:
        c = todo.pop(0)
        if c in out:
            continue
        out.append(c)
        parents = CLASS_PARENTS.get(c)
        if parents is None and c in b.curated:
            parents = b.curated[c].get("class", [])
        todo.extend(parents or [])
    return out


def add_labs(b: Builder, file: str) -> None:
    from pipeline.extract.units import canonical_unit_text  # the runtime's own unit registry

    for concept, unit, loinc, phrases in rows(LAB):
        if unit and canonical_unit_text(unit) is None:
            raise SystemExit(f"{concept}: unit {unit!r} unknown to models/units/aliases.json")
        codes = {"loinc": loinc} if loinc else {}
        b.add(file, "lab", concept, "laboratory", "lab", [], split(phrases, ";"), codes, unit or "")


def main() -> None:
    sys.path.insert(0, str(ROOT))
    b = Builder()
    for concept, classes, _, _ in rows(DRUG_CLASS):
        CLASS_PARENTS[concept] = split(classes, ",")
    add_conditions(b, "vocab_biomarkers.jsonl", "bm", BIOMARKER, "diagnosis", kind="result")
    add_conditions(b, "vocab_cancer.jsonl", "dx", CANCER, "diagnosis", other_malignancy=True)
    add_conditions(b, "vocab_cancer.jsonl", "stage", STAGE, "disease_status")
    add_conditions(b, "vocab_conditions.jsonl", "cond", COMORBIDITY, "comorbidity")
    add_conditions(b, "vocab_conditions.jsonl", "inf", INFECTION, "infection")
    add_conditions(b, "vocab_conditions.jsonl", "repro", REPRODUCTIVE, "reproductive")
    add_conditions(b, "vocab_conditions.jsonl", "tx", DIALYSIS, "comorbidity", kind="procedure")
    add_conditions(b, "vocab_conditions.jsonl", "tx", PROCEDURE, "prior_therapy", kind="procedure")
    for concept, classes, _, phrases in rows(DRUG_CLASS):
        b.add("vocab_drugs.jsonl", "class", concept, "prior_therapy", "drug_class",
              expand_classes(b, split(classes, ",")), split(phrases, ";"))
    add_drugs(b, "vocab_drugs.jsonl")
    add_labs(b, "vocab_labs.jsonl")
    add_common_drugs(b, "vocab_drugs_common.jsonl")
    missing = sorted({c for es in b.files.values() for e in es for c in e["class"]} - b.defined)
    if missing:
        raise SystemExit(f"classes used but never defined: {missing}")
    b.write()
    print(f"left out {len(b.dropped)} phrases another concept owns:")
    for phrase, concept, owner in b.dropped:
        print(f"  {phrase!r}: wanted by {concept}, owned by {owner}")


if __name__ == "__main__":
    main()
