/**
 * Clinical free text from a small grammar: sentence templates whose slots draw from the
 * large pools in vocab*.ts.
 *
 * Design rule that keeps unrelated notes from sharing 8-word runs: no template has more than
 * about four fixed words in a row, and the connecting words themselves are drawn from
 * synonyms. Any 8-word window then spans at least one high-entropy slot, so two notes only
 * share a window when the dice agree several times over.
 */
import type { Patient } from './patients.js';
import { addDays, ageOn, formatDateNz } from './patients.js';
import { CITIES, FAMILY, GIVEN_FEMALE } from './names.js';
import type { Rng } from './rng.js';
import * as C from './vocab-common.js';
import { THEMES, type Theme } from './vocab.js';
import { resultPhrase } from './vocab-lab.js';
import { APPEARANCE, ASSESSMENT, EXAMINATION, HISTORY, PLAN } from './clinical-templates.js';

export { ASSESSMENT, EXAMINATION, HISTORY, PLAN };

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "a, b and c" / "a or b". */
export function joinList(items: readonly string[], last = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

/** Fills `{slot}` placeholders from a patient, a theme and a random stream. */
export class Filler {
  constructor(
    readonly rng: Rng,
    readonly patient: Patient,
    readonly theme: Theme,
    readonly date: string,
  ) {}

  count(max = 6): string {
    const n = this.rng.int(2, max);
    return this.rng.chance(0.5) ? String(n) : (NUMBER_WORDS[n] ?? String(n));
  }

  duration(): string {
    const r = this.rng;
    if (r.chance(0.25)) return r.pick(C.VAGUE_DURATIONS);
    const unit = r.pick(C.DURATION_UNITS);
    const n = r.int(2, unit === 'day' ? 14 : unit === 'week' ? 10 : 18);
    return `${r.chance(0.5) ? n : (NUMBER_WORDS[n] ?? n)} ${unit}s`;
  }

  pastDate(maxDays = 120): string {
    return formatDateNz(addDays(this.date, -this.rng.int(1, maxDays)));
  }

  /** The patient as a sentence subject; pronoun forms take singular verbs only. */
  subject(): string {
    const p = this.patient;
    const title = p.sex === 'F' ? this.rng.pick(['Ms', 'Mrs']) : p.sex === 'M' ? 'Mr' : 'Mx';
        const r = this.rng.next();
    if (r < 0.55 && p.sex !== 'X') return p.pronouns.subject;
    if (r < 0.75 && ageOn(p.dateOfBirth, this.date) >= 16) return `${title} ${p.familyName}`;
    if (r < 0.75) return p.givenName;
    if (r < 0.88) return p.givenName;
    return 'the patient';
  }

  negatives(): string {
    const pool = this.theme.negatives;
    return joinList(this.rng.sample(pool, this.rng.int(1, Math.min(4, pool.length))), this.rng.chance(0.7) ? 'or' : 'and');
  }

  medLine(name?: string): string {
    const r = this.rng;
    const med = (name && C.MEDICATION_BY_NAME.get(name)) || r.pick(C.MEDICATIONS);
    const form = r.chance(0.6) ? ` ${med.form}` : '';
    const extra = r.chance(0.25) ? r.pick([` for ${r.int(3, 28)} days`, ` since ${this.pastDate(900)}`, ` (${r.pick(['one repeat', 'two repeats', 'three repeats'])})`]) : '';
    return `${med.name} ${r.pick(med.strengths)}${form}, ${r.pick(med.sigs)}${extra}`;
  }

  vitals(): string {
    const r = this.rng;
    const parts = r.shuffle([
      `BP ${r.int(98, 178)}/${r.int(58, 104)}`,
      `HR ${r.int(52, 118)}`,
      `temp ${r.float(35.9, 38.9).toFixed(1)}`,
      `SpO2 ${r.int(91, 100)}%`,
      `RR ${r.int(11, 28)}`,
      `weight ${r.float(48, 131).toFixed(1)} kg`,
    ]);
    return parts.slice(0, r.int(3, 6)).join(', ');
  }

  slot(name: string): string {
    const r = this.rng;
    const t = this.theme;
    const p = this.patient;
    switch (name) {
      case 'subj': return this.subject();
      case 'Subj': return cap(this.subject());
      case 'poss': return p.pronouns.possessive;
      case 'Poss': return cap(p.pronouns.possessive);
      case 'obj': return p.pronouns.object;
      case 'name': return p.givenName;
      case 'fullname': return p.fullName;
      case 'age': return String(Math.max(0, ageOn(p.dateOfBirth, this.date)));
      case 'gp': return p.gp;
      case 'complaint': return r.pick(t.complaints);
      case 'complaintBare': return r.pick(t.complaints).replace(/^(a|an) /, '');
      case 'site': return r.pick(t.sites);
      case 'side': return r.pick(['left', 'right']);
      case 'assoc': return r.pick(t.associated);
      case 'neg': return this.negatives();
      case 'finding': return r.pick(t.findings);
      case 'dx': return r.pick(t.diagnoses);
      case 'test': return r.pick(t.tests);
      case 'tests': return joinList(r.sample(t.tests, r.int(2, 3)));
      case 'med': return this.medLine(r.pick(t.meds));
      case 'anymed': return this.medLine();
      case 'referral': return r.pick(t.referrals);
      case 'quality': return r.pick(C.QUALITIES);
      case 'onset': return r.pick(C.ONSETS);
      case 'duration': return this.duration();
      case 'trigger': return r.pick(C.TRIGGERS);
      case 'tried': return r.pick(C.TRIED);
      case 'impact': return r.pick(C.IMPACTS);
      case 'concern': return r.pick(C.CONCERNS);
      case 'worse': return r.pick(C.AGGRAVATING);
      case 'better': return r.pick(C.RELIEVING);
      case 'course': return r.pick(C.COURSES);
      case 'verb': return r.pick(C.HISTORY_VERBS);
      case 'link': return r.pick(C.LINKS);
      case 'chronic': return r.pick(C.CHRONIC_CONDITIONS);
      case 'procedure': return r.pick(C.PROCEDURES);
      case 'occupation': return r.pick(C.OCCUPATIONS);
      case 'household': return r.pick(C.HOUSEHOLDS);
      case 'hobby': return r.pick(C.HOBBIES);
      case 'relative': return r.pick(C.RELATIVES);
      case 'famcond': return r.pick(C.FAMILY_CONDITIONS);
      case 'safety': return joinList(r.sample(C.SAFETY_NET, r.int(2, 3)), 'or');
      case 'reviewer': return r.pick(C.REVIEW_WITH);
      case 'mode': return r.pick(C.FOLLOW_UP_MODES);
      case 'planverb': return r.pick(C.PLAN_VERBS);
      case 'result': return resultPhrase(r);
      case 'pastdate': return this.pastDate();
      case 'vitals': return this.vitals();
      case 'n': return this.count();
      case 'pain': return String(r.int(2, 9));
      case 'hr': return String(r.int(48, 140));
      case 'rr': return String(r.int(18, 34));
      case 'bp': return `${r.int(95, 185)}/${r.int(55, 110)}`;
      case 'temp': return r.float(37.6, 39.8).toFixed(1);
      case 'jvp': return String(r.int(3, 8));
      case 'angle': return String(r.int(3, 9) * 10);
      case 'size': return String(r.int(2, 40));
      case 'score': return String(r.int(3, 24));
      case 'power': return String(r.int(2, 4));
      case 'mmse': return String(r.int(17, 29));
      case 'bmi': return r.float(18, 46).toFixed(1);
      case 'waist': return String(r.int(70, 140));
      case 'percent': return String(r.int(1, 6));
      case 'fundal': return String(r.int(16, 40));
      default: throw new Error(`unknown template slot {${name}}`);
    }
  }

  /** Expands a template, recursively (vocabulary entries may hold slots too), as a sentence. */
  fill(template: string): string {
    let out = template;
    for (let pass = 0; pass < 4 && out.includes('{'); pass++) {
      out = out.replace(/\{(\w+)\}/g, (_m, name: string) => this.slot(name));
    }
    // Article agreement after slot expansion ("a eight" -> "an eight").
    out = out.replace(/\b([Aa]) (?=(?!one\b)[aeioAEIO]|8|11 |18 )/g, '$1n ');
    return cap(out.replace(/\s+([,.])/g, '$1'));
  }

  /** One sentence from a random template of the list. */
  sentence(templates: readonly string[]): string {
    return this.fill(this.rng.pick(templates));
  }

  /** `n` sentences from a template list, avoiding an immediate repeat of a template. */
  sentences(templates: readonly string[], n: number): string[] {
    const picked = this.rng.sample(templates, n);
    while (picked.length < n) picked.push(this.rng.pick(templates));
    return picked.map((t) => this.fill(t));
  }
}

const URGENCY = ['urgently', 'routinely', 'within two weeks', 'semi-urgently', 'non-urgently', 'same day', 'for an opinion'];
const TOPICS = [
  'the likely diagnosis', 'lifestyle changes', 'smoking cessation', 'alcohol reduction', 'weight loss options',
  'risks and benefits of treatment', 'return to work', 'driving restrictions', 'sleep hygiene', 'a graded exercise plan',
  'expected recovery time', 'the results so far', 'cost of the referral',
];
const AGREEMENT = [
  'is happy with this plan', 'will think about it', 'prefers to wait and see', 'agrees to a trial',
  'would like a second opinion', 'understands and agrees', 'declined for now', 'will discuss with whanau',
];

/** Slots that only make sense inside the templates above. */
class NoteFiller extends Filler {
  override slot(name: string): string {
    switch (name) {
      case 'appearance': return this.fill(this.rng.pick(APPEARANCE)).replace(/^./, (c) => c.toLowerCase());
      case 'urgency': return this.rng.pick(URGENCY);
                  case 'effect': return this.rng.pick(C.EFFECTS);
      case 'safetynet': return this.rng.pick(['Safety-netted re', 'Return if', 'Red flags discussed:', 'Seek help for', 'Call 111 if', 'Re-present with']);
      case 'dipstick': return joinList(this.rng.sample(['leucocytes', 'nitrites', 'blood', 'protein', 'ketones', 'glucose'], this.rng.int(1, 3)));
      case 'place': return this.rng.pick(C.PLACES);
      case 'futuredate': return formatDateNz(addDays(this.date, this.rng.int(2, 90)));
      case 'suburb': return this.rng.pick(this.rng.pick(CITIES).suburbs);
      case 'city': return this.patient.address.city;
      case 'clinician': return this.rng.pick(this.patient.practice.clinicians);
            case 'nurse': return `${this.rng.pick(GIVEN_FEMALE)} ${this.rng.pick(FAMILY)}`;
      case 'topic': return this.rng.pick(TOPICS);
      case 'agreement': return this.rng.pick(AGREEMENT);
      default: return super.slot(name);
    }
  }
}

export interface TextSection {
  heading: string;
  paragraphs: string[];
}

export function wordCount(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}

export function sectionsWordCount(sections: readonly TextSection[]): number {
  let n = 0;
  for (const s of sections) n += wordCount(s.heading) + s.paragraphs.reduce((acc, p) => acc + wordCount(p), 0);
  return n;
}

/**
 * Target body length in words: log-uniform, so most notes are short. With the header and
 * the last entry's overshoot, whole notes come out at about 150 to 1,500 words.
 */
export function drawNoteLength(rng: Rng): number {
  return Math.round(Math.exp(rng.float(Math.log(165), Math.log(1400))));
}

function background(f: NoteFiller): TextSection[] {
  const r = f.rng;
  const pmh = r.sample(C.CHRONIC_CONDITIONS, r.int(0, 5)).map((c) => `${c} (${r.int(1990, 2023)})`);
  if (r.chance(0.4)) pmh.push(`${r.pick(C.PROCEDURES)} ${r.int(1985, 2023)}`);
  const meds = Array.from({ length: r.int(0, 5) }, () => f.medLine());
    const allergies = r.chance(0.65)
    ? [r.pick(['NKDA', 'No known drug allergies', 'Nil known', 'None recorded', 'No known allergies', 'Nil'])]
    : r.sample(C.ALLERGENS, r.int(1, 2)).map((x) => `${x} (${r.pick(C.REACTIONS)})`);
  const age = ageOn(f.patient.dateOfBirth, f.date);
  const social =
    age < 16
            ? [
          f.fill(
            `{Subj} ${age < 5 ? r.pick(['attends daycare', 'attends kohanga reo', 'is at home with whanau']) : r.pick(['attends the local school', 'is in year {n} at school', 'attends kura kaupapa'])}` +
              ` and lives with ${r.pick(['both parents', 'mum', 'dad', 'grandparents', 'whanau'])}.`,
          ),
          r.pick(['Smoke-free home.', 'Household smokers outside only.', 'Immunisations up to date.']),
        ]
      : [
          f.fill(`{Subj} is a {occupation} and {household}.`),
          f.fill(r.pick(['Non-smoker.', 'Ex-smoker, quit {n} years ago.', 'Smokes {n} cigarettes a day.', 'Vapes daily.', 'Smokes {n} roll-your-owns a day.'])),
          f.fill(r.pick(['Alcohol {n} standard drinks a week.', 'No alcohol.', 'Drinks socially at weekends.', 'Alcohol {n} drinks most nights.'])),
        ];
    if (r.chance(0.5)) social.push(f.fill('Enjoys {hobby} and {hobby}.'));
  r.shuffle(social);
  const out: TextSection[] = [
    { heading: 'Past medical history', paragraphs: [pmh.length ? cap(pmh.join('; ')) + '.' : 'Nil significant.'] },
    { heading: 'Medications', paragraphs: meds.length ? meds.map((m) => cap(m) + '.') : ['Nil regular.'] },
    { heading: 'Allergies', paragraphs: [cap(allergies.join('; ')) + '.'] },
    { heading: 'Social history', paragraphs: [social.join(' ')] },
  ];
    if (r.chance(0.5)) out.push({ heading: 'Family history', paragraphs: [f.fill('{Poss} {relative} had {famcond} and {poss} {relative} {famcond}.')] });
  // Record systems order these blocks differently; varying it also breaks up runs of headings.
  return r.shuffle(out);
}

/**
 * The body of a clinical note: SOAP-style sections, then dated follow-up entries until the
 * drawn length is reached. `targetWords` overrides the drawn length.
 */
export function generateNoteSections(rng: Rng, patient: Patient, date: string, targetWords?: number): TextSection[] {
  const theme = pickTheme(rng, patient, date);
  const f = new NoteFiller(rng, patient, theme, date);
  const target = targetWords ?? drawNoteLength(rng);
  const scale = Math.max(1, target / 300);
  const sections: TextSection[] = [
    { heading: 'Reason for visit', paragraphs: [cap(f.slot('complaint')) + (rng.chance(0.5) ? f.fill(', {duration}.') : '.')] },
    { heading: 'History', paragraphs: [f.sentences(HISTORY, Math.round(rng.int(3, 6) * Math.min(scale, 2))).join(' ')] },
  ];
  if (target > 220) sections.push(...background(f));
  sections.push(
    { heading: 'Examination', paragraphs: [f.sentences(EXAMINATION, rng.int(2, 4)).join(' ')] },
  );
  if (rng.chance(0.6)) sections.push({ heading: 'Investigations', paragraphs: [f.fill('{test} on {pastdate} showed {result}; {result}.')] });
  sections.push(
    { heading: 'Assessment', paragraphs: [f.sentences(ASSESSMENT, rng.int(1, 2)).join(' ')] },
    { heading: 'Plan', paragraphs: f.sentences(PLAN, rng.int(3, 6)).map((s, i) => `${i + 1}. ${s}`) },
  );
  let words = sectionsWordCount(sections);
  let visit = date;
    while (words < target - 15) {
    // Long records accumulate follow-up entries, sometimes about a new problem.
    visit = addDays(visit, rng.int(3, 60));
    const g = rng.chance(0.35) ? new NoteFiller(rng, patient, pickTheme(rng, patient, visit), visit) : new NoteFiller(rng, patient, theme, visit);
    const entry = [
      ...g.sentences(HISTORY, rng.int(2, 5)),
      ...g.sentences(EXAMINATION, rng.int(1, 2)),
      g.sentence(ASSESSMENT),
      ...g.sentences(PLAN, rng.int(1, 3)),
    ];
    const section = { heading: `Follow-up ${formatDateNz(visit)}`, paragraphs: [entry.join(' ')] };
    sections.push(section);
    words += sectionsWordCount([section]);
  }
  return sections;
}

/** A theme that fits the patient: no gynaecology for men or young children. */
export function pickTheme(rng: Rng, patient: Patient, date: string): Theme {
  const age = ageOn(patient.dateOfBirth, date);
  const fits = THEMES.filter((t) => t.name !== 'womens-health' || (patient.sex !== 'M' && age >= 14));
  return rng.pick(fits);
}

/** A few sentences of patient-specific prose (lab comments, letter bodies). */
export function generateProse(rng: Rng, patient: Patient, date: string, sentences: number, theme?: Theme): string {
  const f = new NoteFiller(rng, patient, theme ?? pickTheme(rng, patient, date), date);
  const pool = [...HISTORY, ...EXAMINATION.slice(2), ...ASSESSMENT];
  return f.sentences(pool, sentences).join(' ');
}

/** A filler for callers (documents.ts) that need single slots or custom templates. */
export function makeFiller(rng: Rng, patient: Patient, date: string, theme?: Theme): Filler {
  return new NoteFiller(rng, patient, theme ?? pickTheme(rng, patient, date), date);
}
