/**
 * Vocabulary shared by every theme: medications, social and family history, time
 * expressions, plans. See vocab.ts for why the pools are large.
 */
import { list } from './vocab.js';

export interface Medication {
  name: string;
  strengths: readonly string[];
  form: string;
  /** Typical directions; a sig is drawn from these. */
  sigs: readonly string[];
}

// Directions are kept to three words or fewer: long fixed sigs ("three times daily for seven
// days") would otherwise be the most common 8-word run across unrelated notes.
const SIG = {
  od: 'once daily | daily | mane | one daily | in the morning',
  bd: 'twice daily | bd | one bd | morning and night',
  tds: 'three times daily | tds | one tds | with each meal',
  nocte: 'at night | nocte | at bedtime | one nocte',
  prn: 'when required | prn | four-hourly prn | as needed',
  inh: 'two puffs bd | one puff daily | two puffs prn | as directed',
  top: 'apply bd | apply daily | apply thinly | apply tds',
};

/** "name:strength,strength:form:sigkey" - compact, parsed once at load time. */
const MED_TABLE = `
  metformin:500 mg,850 mg,1 g:tablet:bd|atorvastatin:10 mg,20 mg,40 mg,80 mg:tablet:nocte|aspirin:100 mg:tablet:od
  metoprolol succinate:23.75 mg,47.5 mg,95 mg:tablet:od|cilazapril:0.5 mg,2.5 mg,5 mg:tablet:od|amlodipine:5 mg,10 mg:tablet:od
  furosemide:20 mg,40 mg:tablet:od|dabigatran:110 mg,150 mg:capsule:bd|apixaban:2.5 mg,5 mg:tablet:bd
  glyceryl trinitrate spray:400 microgram/dose:spray:prn|bisoprolol:2.5 mg,5 mg,10 mg:tablet:od
  spironolactone:25 mg:tablet:od|candesartan:8 mg,16 mg,32 mg:tablet:od|rosuvastatin:10 mg,20 mg:tablet:nocte
  salbutamol:100 microgram/dose:inhaler:inh|budesonide with formoterol:200/6 microgram:inhaler:inh
  fluticasone:125 microgram:inhaler:inh|tiotropium:18 microgram:inhalation capsule:inh
  amoxicillin:500 mg:capsule:tds|doxycycline:100 mg:tablet:od|prednisone:5 mg,20 mg:tablet:od
  roxithromycin:150 mg,300 mg:tablet:bd|montelukast:10 mg:tablet:nocte|amoxicillin with clavulanic acid:625 mg:tablet:tds
  paracetamol:500 mg:tablet:prn|ibuprofen:200 mg,400 mg:tablet:tds|diclofenac:25 mg,50 mg:tablet:bd|naproxen:250 mg,500 mg:tablet:bd
  codeine phosphate:15 mg,30 mg:tablet:prn|colchicine:500 microgram:tablet:bd|allopurinol:100 mg,300 mg:tablet:od
  tramadol:50 mg:capsule:prn|celecoxib:100 mg,200 mg:capsule:od|omeprazole:10 mg,20 mg,40 mg:capsule:od
  pantoprazole:20 mg,40 mg:tablet:od|loperamide:2 mg:capsule:prn|macrogol:13.8 g:sachet:od|lactulose:10 g/15 mL:oral liquid:bd
  ondansetron:4 mg,8 mg:dispersible tablet:prn|metoclopramide:10 mg:tablet:tds|mebeverine:135 mg:tablet:tds
  hyoscine butylbromide:10 mg:tablet:prn|psyllium husk:3.4 g:powder:od|sertraline:50 mg,100 mg:tablet:od
  citalopram:10 mg,20 mg:tablet:od|fluoxetine:20 mg:capsule:od|escitalopram:10 mg,20 mg:tablet:od
  venlafaxine:75 mg,150 mg:capsule:od|mirtazapine:15 mg,30 mg:tablet:nocte|zopiclone:3.75 mg,7.5 mg:tablet:nocte
  quetiapine:25 mg:tablet:nocte|propranolol:10 mg,40 mg:tablet:bd|melatonin:2 mg:modified-release tablet:nocte
  hydrocortisone cream:1%:cream:top|betamethasone valerate cream:0.1%:cream:top|flucloxacillin:500 mg:capsule:tds
  cephalexin:500 mg:capsule:tds|cetirizine:10 mg:tablet:od|adapalene gel:0.1%:gel:top|terbinafine cream:1%:cream:top
  emollient cream:500 g:cream:top|valaciclovir:500 mg,1 g:tablet:tds|vildagliptin with metformin:50/1000 mg:tablet:bd
  empagliflozin:10 mg,25 mg:tablet:od|gliclazide:40 mg,80 mg:tablet:bd|insulin glargine:100 units/mL:pen:od
  levothyroxine:25 microgram,50 microgram,100 microgram:tablet:od|carbimazole:5 mg:tablet:tds
  ferrous fumarate:200 mg:tablet:od|cholecalciferol:1.25 mg:capsule:od|phenoxymethylpenicillin:500 mg:capsule:bd
  ciprofloxacin with hydrocortisone ear drops:0.2%/1%:ear drops:bd|fluticasone nasal spray:50 microgram/dose:nasal spray:od
  loratadine:10 mg:tablet:od|betahistine:16 mg:tablet:tds|prochlorperazine:5 mg:tablet:tds|nitrofurantoin:50 mg,100 mg:capsule:tds
  trimethoprim:300 mg:tablet:nocte|tamsulosin:400 microgram:capsule:od|oxybutynin:5 mg:tablet:bd|ciprofloxacin:250 mg,500 mg:tablet:bd
  solifenacin:5 mg,10 mg:tablet:od|finasteride:5 mg:tablet:od|sumatriptan:50 mg,100 mg:tablet:prn|amitriptyline:10 mg,25 mg:tablet:nocte
  gabapentin:100 mg,300 mg:capsule:tds|levetiracetam:250 mg,500 mg:tablet:bd|clopidogrel:75 mg:tablet:od
  pregabalin:25 mg,75 mg:capsule:bd|topiramate:25 mg,50 mg:tablet:bd|nortriptyline:10 mg,25 mg:tablet:nocte
  tranexamic acid:500 mg:tablet:tds|mefenamic acid:250 mg:capsule:tds|levonorgestrel intrauterine system:52 mg:intrauterine device:od
  norethisterone:5 mg:tablet:tds|oestradiol patch:50 microgram/24 h:patch:od|desogestrel:75 microgram:tablet:od
  ferrous sulphate:325 mg:tablet:od|metronidazole:400 mg:tablet:bd|combined oral contraceptive:150/30 microgram:tablet:od
  tetanus toxoid:0.5 mL:injection:od|lidocaine:1%:injection:prn|silver sulfadiazine cream:1%:cream:top|warfarin:1 mg,3 mg,5 mg:tablet:od
  losartan:50 mg,100 mg:tablet:od|simvastatin:20 mg,40 mg:tablet:nocte|quinapril:5 mg,10 mg,20 mg:tablet:od|diltiazem:120 mg,180 mg:capsule:od
  felodipine:2.5 mg,5 mg,10 mg:tablet:od|hydrochlorothiazide:12.5 mg,25 mg:tablet:od|doxazosin:2 mg,4 mg:tablet:nocte
  morphine sulphate:10 mg:modified-release tablet:bd|oxycodone:5 mg:capsule:prn|buprenorphine patch:5 microgram/h:patch:od
  alendronate:70 mg:tablet:od|calcium carbonate:1.25 g:tablet:od|vitamin B12 injection:1 mg:injection:od|folic acid:0.8 mg,5 mg:tablet:od
  methotrexate:2.5 mg,10 mg:tablet:od|hydroxychloroquine:200 mg:tablet:bd|sulfasalazine:500 mg:tablet:bd|budesonide:3 mg:capsule:od
  lithium carbonate:250 mg,400 mg:tablet:bd|sodium valproate:200 mg,500 mg:tablet:bd|lamotrigine:25 mg,100 mg:tablet:bd
  risperidone:0.5 mg,1 mg:tablet:bd|aripiprazole:5 mg,10 mg:tablet:od|olanzapine:5 mg,10 mg:tablet:nocte
  donepezil:5 mg,10 mg:tablet:nocte|levodopa with carbidopa:100/25 mg:tablet:tds|baclofen:10 mg:tablet:tds
  clotrimazole cream:1%:cream:top|mupirocin ointment:2%:ointment:top|fusidic acid cream:2%:cream:top|permethrin cream:5%:cream:top
  chloramphenicol eye drops:0.5%:eye drops:tds|latanoprost eye drops:0.005%:eye drops:nocte|timolol eye drops:0.5%:eye drops:bd
  nicotine patch:21 mg/24 h,14 mg/24 h:patch:od|varenicline:0.5 mg,1 mg:tablet:bd|naltrexone:50 mg:tablet:od|disulfiram:200 mg:tablet:od
`;

function parseMeds(table: string): readonly Medication[] {
  return table
    .split(/[|\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((entry) => {
      const [name = '', strengths = '', form = '', sig = 'od'] = entry.split(':');
      return { name, strengths: strengths.split(','), form, sigs: list(SIG[sig as keyof typeof SIG] ?? SIG.od) };
    });
}

export const MEDICATIONS: readonly Medication[] = parseMeds(MED_TABLE);
export const MEDICATION_BY_NAME: ReadonlyMap<string, Medication> = new Map(MEDICATIONS.map((m) => [m.name, m]));

/** Long-term conditions for past medical history lists. */
export const CHRONIC_CONDITIONS = list(`hypertension | type 2 diabetes | asthma | COPD | atrial fibrillation |
  ischaemic heart disease | hypothyroidism | gout | osteoarthritis | depression | anxiety |
  gastro-oesophageal reflux | chronic kidney disease stage 3 | obesity | hypercholesterolaemia | migraine | eczema |
  psoriasis | coeliac disease | epilepsy | rheumatoid arthritis | osteoporosis | sleep apnoea on CPAP |
  benign prostatic hyperplasia | heart failure | previous stroke | iron deficiency anaemia |
  polycystic ovary syndrome | endometriosis | irritable bowel syndrome | glaucoma | macular degeneration |
  hearing loss | bipolar affective disorder | ADHD | autism spectrum disorder | chronic pain | fibromyalgia |
  diverticular disease | previous DVT | hepatitis B carrier | rheumatic heart disease | bronchiectasis |
  type 1 diabetes | Parkinson disease | dementia | recurrent urinary tract infections | previous breast cancer |
  previous bowel cancer | prostate cancer under surveillance | melanoma in remission |
  alcohol use disorder in remission`);

export const PROCEDURES = list(`appendicectomy | laparoscopic cholecystectomy | caesarean section |
  right total knee replacement | left total hip replacement | tonsillectomy in childhood |
  coronary artery bypass grafts | PCI with stent to the LAD | hysterectomy | inguinal hernia repair |
  carpal tunnel release | cataract surgery | ACL reconstruction | excision of a basal cell carcinoma |
  grommets in childhood | vasectomy | thyroidectomy | spinal fusion`);

export const ALLERGENS = list(`penicillin | amoxicillin | cephalexin | sulfonamides | codeine | morphine |
  trimethoprim | aspirin | ibuprofen | latex | sticking plaster | erythromycin | doxycycline | tramadol |
  iodinated contrast | peanuts | shellfish | bee stings | carbamazepine | metoclopramide`);

export const REACTIONS = list(`rash | hives | anaphylaxis | facial swelling | vomiting | wheeze | itch | diarrhoea |
  dizziness | blistering rash | throat swelling | confusion`);

export const OCCUPATIONS = list(`builder | primary school teacher | nurse | truck driver | dairy farmer | accountant |
  retail assistant | chef | software developer | electrician | plumber | cleaner | bus driver | university student |
  secondary school student | retired teacher | retired engineer | stay-at-home parent | orchard worker |
  forestry worker | hairdresser | early childhood educator | police officer | lawyer | call centre operator |
  warehouse worker | barista | social worker | mechanic | painter and decorator | real estate agent | shearer |
  fisherman | pharmacist | aged care worker | security guard | civil servant | vineyard worker | architect |
  taxi driver | kaiawhina | tour guide | meat processing worker | librarian | graphic designer | scaffolder | roofer |
  midwife`);

export const HOUSEHOLDS = list(`lives alone in a flat | lives with {poss} partner |
  lives with {poss} partner and {n} children | lives with {poss} parents | lives in a boarding house |
  lives with flatmates | lives with extended whanau | lives with {poss} daughter's family | lives in a rest home |
  lives with {poss} wife | lives with {poss} husband | is a solo parent of {n} children |
  lives in a retirement village | lives with {poss} grandparents | shares a house with {n} other students`);

export const HOBBIES = list(`walking the dog | touch rugby | waka ama | gardening | netball | fishing | tramping |
  cycling to work | swimming | playing the guitar | church activities | kapa haka | surfing | golf | lawn bowls |
  volunteering at the food bank | cricket | yoga | running half marathons | woodwork | knitting | playing in a band`);

export const RELATIVES = list(`mother | father | brother | sister | maternal grandmother | paternal grandfather |
  maternal uncle | paternal aunt | older brother | younger sister | son | daughter`);

export const FAMILY_CONDITIONS = list(`type 2 diabetes | ischaemic heart disease | bowel cancer | breast cancer |
  stroke | hypertension | rheumatic heart disease | gout | asthma | depression | prostate cancer | melanoma |
  kidney failure | dementia | thyroid disease | sudden cardiac death | ovarian cancer | schizophrenia | epilepsy`);

export const TRIGGERS = list(`after a long-haul flight | following a fall at work | after moving house |
  since starting a new job | after a viral illness | following a family bereavement |
  after helping a friend move furniture | since changing {poss} diet | after a weekend of gardening |
  since the weather turned cold | after a rugby game | following a course of antibiotics |
  after returning from Samoa | after returning from Bali | since the birth of {poss} youngest child |
  after a car accident | since a change in {poss} medication | during exam preparation | after starting night shifts |
  after a bout of food poisoning | since increasing {poss} running distance | after a tangi |
  after a chest infection | since the flood in {poss} area | after a stressful court case |
  following a holiday in Rarotonga | after lifting a heavy box | while on a tramping trip | after a dental procedure`);

export const TRIED = list(`paracetamol | ibuprofen | heat packs | ice | rest | a friend's inhaler |
  over-the-counter antacids | honey and lemon | a chiropractor | massage | stretching exercises |
  rongoa from {poss} aunty | antihistamines from the pharmacy | a topical cream from the pharmacy |
  reducing caffeine | elevating the leg | saline nasal spray | an old prescription of antibiotics |
  physiotherapy exercises | meditation apps | avoiding dairy | sleeping upright | a brace from the pharmacy |
  acupuncture | magnesium supplements`);

export const IMPACTS = list(`has had {n} days off work | is struggling to look after {poss} children |
  cannot sleep through the night | has stopped playing sport | is finding it hard to drive |
  has been unable to attend university | is behind on {poss} studies | is worried about losing {poss} job |
  has had to cancel a holiday | relies on whanau for shopping | has reduced {poss} hours at work |
  is avoiding social events | cannot lift {poss} grandchildren | has been using sick leave |
  finds stairs at home difficult`);

export const CONCERNS = list(`cancer | a heart attack | a blood clot | needing surgery | passing it on |
  losing {poss} licence | a stroke | being a burden | long-term damage | a missed diagnosis |
  dependence on painkillers | a recurrence | specialist costs | time off work | infertility | losing {poss} job |
  missing {hobby}`);

export const ONSETS = list(`sudden | gradual | insidious | abrupt | stepwise | recurrent | fluctuating | progressive`);
export const QUALITIES = list(`dull | sharp | burning | throbbing | cramping | aching | stabbing | gnawing | colicky |
  pressure-like | shooting | tight | constant | intermittent | nagging | vague | severe | mild | moderate`);

export const DURATION_UNITS = list(`day | week | month`);
export const VAGUE_DURATIONS = list(`several days | a few weeks | about a fortnight | the last month |
  several months | since Christmas | since Easter | since the school holidays | over the winter |
  since the start of the year`);

export const HISTORY_VERBS = list(`reports | describes | mentions | notes | complains of | presents with |
  has noticed | has been troubled by | has had`);
export const PLAN_VERBS = list(`Start | Commence | Trial | Continue | Increase | Reduce | Restart | Switch to`);
export const SAFETY_NET = list(`worsening pain | high fever | breathlessness | chest pain | confusion |
  persistent vomiting | spreading redness | new weakness | numbness | blood in the urine | severe headache |
  fainting | coughing blood | black stools | thoughts of self-harm | a non-blanching rash | dehydration | drowsiness |
  leg swelling | palpitations | a stiff neck | urinary retention | worsening swelling | pus | increasing redness`);
export const REVIEW_WITH = list(`the practice nurse | {gp} | {gp} | {clinician} | {clinician} | the on-call doctor |
  the clinical pharmacist | the nurse practitioner | the health coach | Nurse {nurse}`);
export const FOLLOW_UP_MODES = list(`face to face | by phone | by video | with the nurse | in clinic`);

export const AGGRAVATING = list(`on exertion | when lying flat | after meals | with coughing | in the mornings |
  at night | on bending forward | with prolonged sitting | on climbing stairs | with cold weather | with stress |
  after alcohol | when walking uphill | on weight bearing | with overhead activity | when turning in bed |
  with deep breathing | after long shifts | with caffeine | on standing from sitting | during {poss} commute |
  with typing`);

export const RELIEVING = list(`with rest | with simple analgesia | when sitting upright | with heat | with ice |
  after passing wind | with antacids | by keeping still | with stretching | after sleep | with fluids |
  by avoiding triggers | with {poss} inhaler | in a dark room | with gentle walking`);

export const COURSES = list(`getting steadily worse | slowly improving | unchanged | coming and going |
  worse each week | better during the day | settling but not resolved | no better with treatment |
  flaring every few days | worse since {pastdate} | improving since {pastdate} | waxing and waning |
  worse at weekends | better on holiday`);

export const EFFECTS = list(`limited benefit | partial relief | no change | good relief for a few hours |
  side effects | some improvement | mixed results | little effect | relief only at night`);

export const PLACES = list(`{suburb} after-hours clinic | {suburb} urgent care | {city} Hospital ED |
  {suburb} pharmacy | {suburb} walk-in clinic | {city} urgent doctors | {suburb} Accident and Medical`);

/** Phrases used to join clauses, chosen at random so connectives do not repeat across notes. */
export const LINKS = list(`Of note, | In addition, | Also | Furthermore, | Apart from this, | Separately, |
  More recently, | Initially | Today | Since then | Over the past week | Prior to this | At this stage`);
