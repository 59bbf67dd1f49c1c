/**
 * Clinical vocabulary, grouped into presentation themes.
 *
 * Why themes: a note about a cough should examine the chest and order a chest X-ray, so
 * notes read as plausible to people looking at benchmark output. Why so many entries: the
 * detection benchmarks need two unrelated notes to share almost no 8-word runs, which only
 * holds when every few words of a sentence come from a large pool (see clinical-text.ts).
 *
 * Entries are '|'-separated to keep the file compact. All ASCII (see names.ts for why).
 */

export function list(text: string): readonly string[] {
  return Object.freeze(
    text
      .split('|')
      .map((s) => s.replace(/\s+/g, ' ').trim())
      .filter((s) => s.length > 0),
  );
}

export interface Theme {
  name: string;
  /** Presenting complaints, as noun phrases ("a productive cough"). */
  complaints: readonly string[];
  /** Body sites for localising complaints and findings. */
  sites: readonly string[];
  /** Positive associated symptoms. */
  associated: readonly string[];
  /** Pertinent negatives, as bare nouns ("haemoptysis"). */
  negatives: readonly string[];
  /** Examination findings, as clauses that can stand after "On examination". */
  findings: readonly string[];
  /** Working diagnoses and differentials. */
  diagnoses: readonly string[];
  /** Tests to order. */
  tests: readonly string[];
  /** Medication names (keys into MEDICATIONS in vocab-common.ts). */
  meds: readonly string[];
  /** Specialties or services to refer to. */
  referrals: readonly string[];
}

export const THEMES: readonly Theme[] = [
  {
    name: 'respiratory',
    complaints: list(`productive cough | dry irritating cough | wheeze | shortness of breath on exertion |
      chest tightness | recurrent chest infections | nocturnal cough | pleuritic chest pain | sputum production |
      noisy breathing | breathlessness when lying flat | persistent cough after a viral illness |
      reduced exercise tolerance`),
    sites: list(`left lower zone | right lower zone | right base | left base | both bases | upper lobes |
      right mid zone | left axilla | anterior chest wall | lower chest`),
    associated: list(`green sputum | blood-streaked sputum on one occasion | fevers at night | a hoarse voice |
      sinus congestion | post-nasal drip | wheeze with cold air | waking at night breathless | ankle swelling |
      fatigue after minimal exertion | a sore throat preceding the cough | myalgia`),
    negatives: list(`haemoptysis | night sweats | weight loss | orthopnoea | calf pain | chest pain | fevers |
      rigors | travel overseas | sick contacts | stridor | asbestos exposure`),
    findings: list(`scattered expiratory wheeze | coarse crackles at the {site} | reduced air entry at the {site} |
      dullness to percussion at the {site} | a prolonged expiratory phase | bronchial breathing at the {site} |
      good air entry without added sounds | fine inspiratory crackles at both bases | use of accessory muscles |
      a respiratory rate of {rr} with mild intercostal recession | no clubbing or lymphadenopathy`),
    diagnoses: list(`community-acquired pneumonia | acute exacerbation of asthma | infective exacerbation of COPD |
      post-viral cough | acute bronchitis | poorly controlled asthma | bronchiectasis | upper airway cough syndrome |
      possible pulmonary embolism | interstitial lung disease | pertussis | cough secondary to ACE inhibitor`),
    tests: list(`chest X-ray | spirometry with reversibility | sputum culture | full blood count and CRP | D-dimer |
      CT pulmonary angiogram | peak flow diary | nasopharyngeal swab for respiratory viruses | HRCT chest |
      arterial blood gas`),
    meds: list(`salbutamol | budesonide with formoterol | fluticasone | tiotropium | amoxicillin | doxycycline |
      prednisone | roxithromycin | montelukast | amoxicillin with clavulanic acid`),
    referrals: list(`respiratory medicine | pulmonary rehabilitation | the asthma nurse |
      the smoking cessation service`),
  },
  {
    name: 'cardiovascular',
    complaints: list(`central chest pain | palpitations | ankle swelling | exertional chest tightness |
      breathlessness on climbing stairs | episodes of light-headedness | a racing heartbeat | calf pain on walking |
      elevated home blood pressure readings | a brief blackout | intermittent chest discomfort`),
    sites: list(`left chest | central chest | left arm | jaw | both ankles | right calf | left calf | epigastrium |
      between the shoulder blades`),
    associated: list(`sweating with the episodes | nausea during the pain | breathlessness at rest |
      a fluttering sensation | reduced exercise tolerance | orthopnoea requiring three pillows |
      waking breathless at night | fatigue by early afternoon | cold peripheries`),
    negatives: list(`syncope | chest pain at rest | haemoptysis | calf tenderness | recent surgery |
      long-haul travel | palpitations | claudication | presyncope | family history of sudden death`),
    findings: list(`an irregularly irregular pulse of {hr} | pitting oedema to the mid shins |
      a pansystolic murmur loudest at the apex | an ejection systolic murmur to the carotids |
      a raised JVP at {jvp} cm | heart sounds dual with no added sounds |
      cool peripheries with delayed capillary refill | bibasal crepitations | absent pedal pulses on the {side} |
      blood pressure of {bp} in the {side} arm`),
    diagnoses: list(`stable angina | atrial fibrillation with rapid ventricular response |
      heart failure with reduced ejection fraction | essential hypertension | paroxysmal SVT |
      peripheral arterial disease | aortic stenosis | musculoskeletal chest wall pain | acute coronary syndrome |
      vasovagal syncope | postural hypotension`),
    tests: list(`12-lead ECG | troponin at 0 and 3 hours | echocardiogram | 24-hour Holter monitor | lipid profile |
      BNP | ambulatory blood pressure monitoring | exercise tolerance test | ankle-brachial pressure index |
      CT coronary angiogram`),
    meds: list(`aspirin | atorvastatin | metoprolol succinate | cilazapril | amlodipine | furosemide | dabigatran |
      apixaban | glyceryl trinitrate spray | bisoprolol | spironolactone | candesartan | rosuvastatin`),
    referrals: list(`cardiology | the rapid access chest pain clinic | vascular surgery | cardiac rehabilitation |
      the heart failure nurse specialist`),
  },
  {
    name: 'musculoskeletal',
    complaints: list(`lower back pain | neck stiffness | knee pain | shoulder pain | hip pain | a swollen ankle |
      heel pain | wrist pain after a fall | morning joint stiffness | pain radiating down the leg | elbow pain |
      painful swollen big toe | sciatica | thumb base pain`),
    sites: list(`left knee | right knee | lumbar spine | cervical spine | left shoulder | right shoulder | right hip |
      left hip | right ankle | left ankle | left heel | right wrist | left elbow | right first MTP joint |
      sacroiliac joints | thoracic spine | left thumb base | right hamstring`),
    associated: list(`pins and needles in the foot | stiffness lasting over an hour in the morning |
      clicking with movement | locking of the joint | giving way on stairs | night pain | swelling after activity |
      weakness of grip | bruising around the joint | difficulty reaching overhead`),
    negatives: list(`saddle anaesthesia | bladder or bowel dysfunction | fevers | trauma | weight loss | night pain |
      leg weakness | joint redness | rash | history of malignancy`),
    findings: list(`tenderness over the {site} | a reduced range of movement at the {site} |
      a positive straight leg raise at {angle} degrees on the {side} | an effusion of the {site} |
      painful arc between {angle} and 120 degrees | crepitus throughout the range of movement |
      full power and normal reflexes in the lower limbs | joint line tenderness medially | a warm swollen {site} |
      paraspinal muscle spasm | an antalgic gait | ligamentous laxity on anterior drawer testing`),
    diagnoses: list(`mechanical lower back pain | lumbar radiculopathy | osteoarthritis of the knee |
      rotator cuff tendinopathy | adhesive capsulitis | acute gout | plantar fasciitis | lateral epicondylalgia |
      ankle sprain | possible scaphoid fracture | inflammatory arthritis | trochanteric bursitis | meniscal tear |
      de Quervain tenosynovitis`),
    tests: list(`X-ray of the {site} | ultrasound of the {site} | MRI lumbar spine | urate level | CRP and ESR |
      rheumatoid factor and anti-CCP | HLA-B27 | MRI of the {site} | bone density scan`),
    meds: list(`paracetamol | ibuprofen | diclofenac | naproxen | codeine phosphate | colchicine | allopurinol |
      tramadol | prednisone | celecoxib`),
    referrals: list(`physiotherapy | orthopaedics | rheumatology | the ACC-funded physiotherapist | the pain service |
      podiatry | hand therapy`),
  },
  {
    name: 'gastrointestinal',
    complaints: list(`epigastric pain | heartburn | change in bowel habit | rectal bleeding | abdominal bloating |
      diarrhoea | constipation | nausea and vomiting | right upper quadrant pain | difficulty swallowing |
      lower abdominal cramping | loss of appetite | black tarry stools`),
    sites: list(`epigastrium | right upper quadrant | left iliac fossa | right iliac fossa | periumbilical region |
      suprapubic region | left upper quadrant | perianal area | lower abdomen`),
    associated: list(`early satiety | bloating after meals | urgency | mucus in the stool | acid brash | belching |
      nausea without vomiting | pain relieved by defecation | alternating loose and hard stools | pale stools |
      dark urine | tenesmus`),
    negatives: list(`weight loss | dysphagia | haematemesis | melaena | jaundice | nocturnal symptoms | fevers |
      family history of bowel cancer | recent antibiotics | travel`),
    findings: list(`tenderness in the {site} without guarding | a soft non-tender abdomen |
      a liver edge {n} cm below the costal margin | a positive Murphy sign | active bowel sounds |
      a distended tympanic abdomen | no organomegaly or masses | localised guarding in the {site} |
      external haemorrhoids on inspection | a soft brown stool on rectal examination`),
    diagnoses: list(`gastro-oesophageal reflux disease | functional dyspepsia | irritable bowel syndrome |
      biliary colic | acute gastroenteritis | diverticulitis | possible peptic ulcer disease | coeliac disease |
      haemorrhoids | inflammatory bowel disease | constipation with overflow | Helicobacter pylori infection`),
    tests: list(`FIT test | liver function tests | coeliac serology | H. pylori stool antigen |
      ultrasound of the abdomen | faecal calprotectin | stool microscopy and culture | gastroscopy | colonoscopy |
      lipase`),
    meds: list(`omeprazole | pantoprazole | loperamide | macrogol | lactulose | ondansetron | metoclopramide |
      mebeverine | hyoscine butylbromide | psyllium husk`),
    referrals: list(`gastroenterology | general surgery | the dietitian | the colorectal surgical team`),
  },
  {
    name: 'mental-health',
    complaints: list(`low mood | anxiety | poor sleep | panic attacks | low motivation | irritability |
      difficulty concentrating | work-related stress | grief following a bereavement | intrusive thoughts |
      social withdrawal | racing thoughts | tearfulness`),
    sites: list(`chest | stomach | head | throat`),
    associated: list(`early morning waking | reduced appetite | loss of enjoyment in hobbies | feelings of guilt |
      difficulty getting out of bed | avoidance of crowded places | palpitations during episodes |
      increased alcohol use | conflict at home | thoughts that life is not worth living without plans`),
    negatives: list(`suicidal intent | self-harm | psychotic symptoms | manic episodes | illicit drug use |
      homicidal ideation | command hallucinations | access to firearms`),
    findings: list(`a flat affect with reduced reactivity | appropriate dress and good eye contact |
      speech of normal rate and volume | linear goal-directed thought form | no perceptual disturbance |
      an anxious affect with fidgeting | a PHQ-9 score of {score} | a GAD-7 score of {score} |
      intact insight and judgement | tearfulness during the consultation`),
    diagnoses: list(`moderate depressive episode | generalised anxiety disorder | panic disorder |
      adjustment disorder | insomnia | complicated grief | post-traumatic stress symptoms | alcohol use disorder |
      burnout`),
    tests: list(`thyroid function tests | full blood count | vitamin B12 and folate | HbA1c | PHQ-9 at review |
      sleep diary`),
    meds: list(`sertraline | citalopram | fluoxetine | escitalopram | venlafaxine | mirtazapine | zopiclone |
      quetiapine | propranolol | melatonin`),
    referrals: list(`the community mental health team | a counsellor | the health improvement practitioner |
      the alcohol and drug service | a clinical psychologist | the Whanau Ora navigator`),
  },
  {
    name: 'dermatology',
    complaints: list(`an itchy rash | a changing mole | a non-healing sore | acne | dry scaly patches | hives |
      a painful red area of skin | hair loss | a lump under the skin | nail changes | a blistering rash`),
    sites: list(`left forearm | right shin | upper back | scalp | face | both hands | flexures | left cheek |
      right ear | trunk | groin | lower legs | nose`),
    associated: list(`itch worse at night | weeping of the lesions | spreading redness | bleeding on contact |
      scaling | triggers with new soap | similar symptoms in a household member | joint aches`),
    negatives: list(`fevers | mucosal involvement | new medications | recent travel | family history of melanoma |
      systemic symptoms | blistering`),
    findings: list(`an erythematous scaly plaque on the {site} |
      an irregular {size} mm pigmented lesion on the {site} | a pearly nodule with telangiectasia on the {site} |
      excoriations on the {site} | a warm erythematous area on the {site} |
      comedones and inflammatory papules on the {site} | lichenified skin in the flexures |
      silvery plaques on the extensor surfaces | urticarial wheals over the {site}`),
    diagnoses: list(`atopic eczema | cellulitis | psoriasis | basal cell carcinoma | suspicious pigmented lesion |
      seborrhoeic keratosis | acne vulgaris | urticaria | contact dermatitis | tinea corporis | impetigo | shingles`),
    tests: list(`dermoscopy photographs | skin swab for culture | skin scrapings for fungal culture | punch biopsy |
      excision biopsy | patch testing`),
    meds: list(`hydrocortisone cream | betamethasone valerate cream | flucloxacillin | cephalexin | cetirizine |
      doxycycline | adapalene gel | terbinafine cream | emollient cream | valaciclovir`),
    referrals: list(`dermatology | plastic surgery | the skin lesion clinic | the district nurse for dressings`),
  },
  {
    name: 'metabolic',
    complaints: list(`diabetes review | tiredness | weight gain | increased thirst | frequent urination |
      cold intolerance | poor wound healing | tingling in the feet | annual cardiovascular risk review |
      heat intolerance`),
    sites: list(`both feet | left foot | right foot | neck | lower legs | toes`),
    associated: list(`blurred vision | recurrent thrush | hair thinning | dry skin | constipation |
      weight loss despite good appetite | tremor | numbness in the toes`),
    negatives: list(`hypoglycaemic episodes | chest pain | foot ulcers | visual loss | polyuria | palpitations |
      neck swelling`),
    findings: list(`a BMI of {bmi} | reduced monofilament sensation on the {side} foot | intact foot pulses and skin |
      a smooth non-tender goitre | dry skin and delayed ankle reflexes | acanthosis nigricans at the neck |
      a waist circumference of {waist} cm | fine tremor of the outstretched hands |
      background retinopathy on the retinal photographs`),
    diagnoses: list(`type 2 diabetes with suboptimal control | prediabetes | hypothyroidism | hyperthyroidism |
      obesity | dyslipidaemia | diabetic peripheral neuropathy | vitamin D deficiency | iron deficiency |
      metabolic syndrome`),
    tests: list(`HbA1c | urine albumin to creatinine ratio | lipid profile | thyroid function tests |
      renal function and electrolytes | retinal screening | ferritin and iron studies | vitamin B12 |
      liver function tests`),
    meds: list(`metformin | vildagliptin with metformin | empagliflozin | gliclazide | insulin glargine |
      levothyroxine | carbimazole | atorvastatin | ferrous fumarate | cholecalciferol`),
    referrals: list(`the diabetes nurse specialist | endocrinology | the dietitian | podiatry |
      the retinal screening service | Green Prescription`),
  },
  {
    name: 'ent-infection',
    complaints: list(`sore throat | earache | blocked nose | facial pain | hearing loss | ringing in the ears |
      fever | swollen glands | hoarse voice | discharging ear | recurrent tonsillitis |
      dizziness on turning the head`),
    sites: list(`left ear | right ear | both tonsils | maxillary sinuses | left tonsil | right tonsil |
      anterior cervical nodes | frontal sinuses | nasal septum`),
    associated: list(`painful swallowing | fevers to 38.5 | discoloured nasal discharge | reduced sense of smell |
      muffled hearing | headache on bending forward | a cough at night | fatigue | feeling of fullness in the ear`),
    negatives: list(`drooling | trismus | stridor | neck stiffness | rash | vertigo | facial weakness |
      unilateral hearing loss`),
    findings: list(`an inflamed {site} with exudate | a bulging red tympanic membrane on the {site} side |
      tender enlarged {site} | a temperature of {temp} | a perforated tympanic membrane with discharge |
      wax occluding the {site} canal | normal tympanic membranes bilaterally | tenderness over the {site} |
      a swollen erythematous ear canal | a positive Dix-Hallpike test to the {side}`),
    diagnoses: list(`acute tonsillitis | acute otitis media | otitis externa | acute sinusitis |
      viral upper respiratory tract infection | glandular fever | benign paroxysmal positional vertigo |
      impacted ear wax | peritonsillar abscess | allergic rhinitis | streptococcal pharyngitis`),
    tests: list(`throat swab for group A streptococcus | ear swab | monospot test | audiogram | tympanometry |
      full blood count`),
    meds: list(`phenoxymethylpenicillin | amoxicillin | ciprofloxacin with hydrocortisone ear drops |
      fluticasone nasal spray | loratadine | ibuprofen | paracetamol | betahistine | prochlorperazine`),
    referrals: list(`ENT | audiology | the rheumatic fever prevention nurse | the ear nurse for microsuction`),
  },
  {
    name: 'genitourinary',
    complaints: list(`dysuria | urinary frequency | haematuria | loin pain | urinary incontinence | nocturia |
      poor urinary stream | testicular pain | scrotal swelling | urgency`),
    sites: list(`left loin | right loin | suprapubic region | left testis | right testis | left renal angle |
      right renal angle | bladder`),
    associated: list(`cloudy offensive urine | rigors | nausea | terminal dribbling | hesitancy |
      incomplete emptying | leakage on coughing | pain radiating to the groin`),
    negatives: list(`fevers | visible haematuria | vaginal discharge | urethral discharge | weight loss | back pain |
      flank pain`),
    findings: list(`renal angle tenderness on the {side} | suprapubic tenderness |
      a smoothly enlarged prostate on rectal examination | a tender swollen {site} | a palpable bladder |
      no renal angle tenderness | dipstick positive for {dipstick} |
      a temperature of {temp} with tachycardia of {hr}`),
    diagnoses: list(`lower urinary tract infection | pyelonephritis | renal colic | benign prostatic hyperplasia |
      stress incontinence | overactive bladder | epididymo-orchitis | microscopic haematuria for investigation`),
    tests: list(`urine microscopy and culture | PSA | renal ultrasound | CT KUB | renal function | STI screen |
      bladder diary | flow study`),
    meds: list(`nitrofurantoin | trimethoprim | cephalexin | tamsulosin | oxybutynin | ciprofloxacin | diclofenac |
      solifenacin | finasteride`),
    referrals: list(`urology | the continence nurse | pelvic floor physiotherapy | the sexual health clinic`),
  },
  {
    name: 'neurology',
    complaints: list(`headache | dizziness | numbness in the hand | a tremor | memory concerns |
      episodes of confusion | facial drooping | migraine | a seizure | visual disturbance | weakness of the leg |
      word-finding difficulty`),
    sites: list(`left hand | right hand | left leg | right leg | left side of the face | occipital region | temples |
      behind the eyes | both feet | left arm`),
    associated: list(`visual aura | photophobia | nausea with the headaches | neck stiffness | a tingling sensation |
      tongue biting | incontinence during the episode | post-ictal drowsiness | unsteadiness | slurred speech`),
    negatives: list(`thunderclap onset | fever | neck stiffness | focal weakness | visual loss | head injury |
      jaw claudication | morning vomiting | loss of consciousness`),
    findings: list(`normal cranial nerves | reduced power of {power}/5 in the {site} | brisk reflexes on the {side} |
      an upgoing plantar on the {side} | past pointing on the {side} | a resting tremor of the {site} | normal fundi |
      a positive Romberg test | reduced sensation to light touch over the {site} | an MMSE of {mmse}/30 |
      a broad based gait`),
    diagnoses: list(`migraine without aura | tension-type headache | medication overuse headache |
      transient ischaemic attack | carpal tunnel syndrome | Parkinson disease | mild cognitive impairment |
      first seizure | vestibular neuronitis | giant cell arteritis | Bell palsy | peripheral neuropathy`),
    tests: list(`CT head | MRI brain | nerve conduction studies | EEG | ESR and CRP | carotid doppler |
      B12 and folate | cognitive screening bloods`),
    meds: list(`sumatriptan | amitriptyline | propranolol | gabapentin | levetiracetam | aspirin | clopidogrel |
      pregabalin | topiramate | nortriptyline`),
    referrals: list(`neurology | the TIA clinic | the memory clinic | the first seizure clinic | ophthalmology`),
  },
  {
    name: 'womens-health',
    complaints: list(`heavy periods | irregular bleeding | pelvic pain | hot flushes | contraception review |
      breast lump | vaginal discharge | missed period | painful periods | postcoital bleeding | antenatal check`),
    sites: list(`left breast | right breast | left iliac fossa | right iliac fossa | pelvis | lower abdomen`),
    associated: list(`flooding and clots | fatigue | night sweats | mood changes | vaginal dryness |
      pain with intercourse | nipple discharge | cyclical breast tenderness`),
    negatives: list(`postmenopausal bleeding | weight loss | fevers | skin changes over the breast | axillary lumps |
      abnormal smear history`),
    findings: list(`a {size} mm mobile smooth lump in the {site} | a bulky non-tender uterus | cervical excitation |
      a normal cervix on speculum examination | adnexal tenderness on the {side} | a fundal height of {fundal} cm |
      no palpable breast masses | pallor of the conjunctivae`),
    diagnoses: list(`menorrhagia | perimenopausal symptoms | dysmenorrhoea | fibroadenoma |
      polycystic ovary syndrome | endometriosis | bacterial vaginosis | pelvic inflammatory disease |
      iron deficiency anaemia | uterine fibroids`),
    tests: list(`pelvic ultrasound | beta hCG | ferritin | cervical screening test | mammogram | breast ultrasound |
      swabs for chlamydia and gonorrhoea | FSH and oestradiol`),
    meds: list(`tranexamic acid | mefenamic acid | levonorgestrel intrauterine system | norethisterone |
      oestradiol patch | desogestrel | ferrous sulphate | metronidazole | combined oral contraceptive`),
    referrals: list(`gynaecology | the breast clinic | the family planning clinic | the lead maternity carer`),
  },
  {
    name: 'injury',
    complaints: list(`a laceration | a fall at home | a dog bite | a burn to the hand | a head knock |
      a rolled ankle | a sporting injury | a crush injury to the finger | a work injury | a bicycle accident |
      a puncture wound`),
    sites: list(`left hand | right index finger | scalp | left shin | right forearm | left forehead | right knee |
      left ankle | palm | right thumb | left ring finger | chin`),
    associated: list(`bleeding controlled with pressure | bruising | swelling | reduced grip |
      tingling distal to the wound | pain on weight bearing | a brief loss of consciousness |
      headache since the injury`),
    negatives: list(`loss of consciousness | vomiting | numbness | anticoagulant use | foreign body | amnesia |
      neck pain`),
    findings: list(`a {size} cm laceration to the {site} | full tendon function in the {site} |
      bony tenderness over the {site} | swelling and bruising over the {site} |
      intact distal sensation and capillary refill | a partial thickness burn of about {percent} percent |
      a superficial puncture wound on the {site} | GCS 15 with no focal neurology`),
    diagnoses: list(`simple laceration | soft tissue injury | ankle sprain | partial thickness burn |
      minor head injury | possible fracture | dog bite wound | nail bed injury | contusion`),
    tests: list(`X-ray of the {site} | wound swab | CT head | tetanus status check`),
    meds: list(`paracetamol | ibuprofen | amoxicillin with clavulanic acid | flucloxacillin | tetanus toxoid |
      lidocaine | silver sulfadiazine cream`),
    referrals: list(`the fracture clinic | hand therapy | plastic surgery | the practice nurse for dressings |
      physiotherapy under ACC`),
  },
];
