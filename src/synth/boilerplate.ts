/**
 * Fixed template text: letterheads, disclaimers, closings. This text is IDENTICAL in every
 * document of a template on purpose: real leaks are full of it, and a matcher that counts it
 * as evidence would tie every lab report to every other. Tests use these constants to check
 * that boilerplate alone matches nothing.
 *
 * All organisations are fictional; web and mail addresses use the reserved example.* domains.
 */
import type { Practice } from './patients.js';
import { formatAddress } from './patients.js';

export const LAB_NAME = 'Kowhai Valley Diagnostic Laboratory';

export const LAB_LETTERHEAD: readonly string[] = [
  LAB_NAME,
  'Level 2, 48 Totara Street, Hamilton East, Hamilton 3216',
  'Phone (07) 555 0148 | Results enquiries 0800 555 014 | www.kowhaivalley-labs.example.org',
  'Accredited medical testing laboratory, registration number 0417',
];

export const LAB_TITLE = 'LABORATORY REPORT';

/** The disclaimer block printed under every lab report (about 190 words). */
export const LAB_BOILERPLATE: readonly string[] = [
  'Results relate only to the specimens as received by the laboratory. Reference intervals are derived from healthy ' +
    'adult populations and may not apply to children, pregnant women or patients on certain medicines. Results flagged ' +
    'H or L fall outside the reference interval and should be interpreted in the clinical context.',
  'Specimens collected outside our collection rooms must be labelled with two unique patient identifiers and reach the ' +
    'laboratory within the stability time stated in the specimen guide. Haemolysed, lipaemic or delayed specimens may ' +
    'give falsely altered potassium, phosphate and enzyme results.',
  'This report is confidential and is intended only for the requesting practitioner and the copy recipients named ' +
    'above. If you have received it in error, please telephone the laboratory and destroy all copies. Clinical advice ' +
    'is available from the duty pathologist on request during normal business hours.',
];

export const LAB_SIGNATORIES: readonly string[] = [
  'Dr Helena Marsh, Chemical Pathologist',
  'Dr Tomasi Vaka, Haematologist',
  'Dr Priya Anand, Clinical Microbiologist',
];

export const LAB_END = 'End of report. Tests marked with an asterisk were referred to another accredited laboratory.';

export const HOSPITAL_NAME = 'Te Awa District Hospital';

export const HOSPITAL_LETTERHEAD: readonly string[] = [
  HOSPITAL_NAME,
  'Private Bag 3021, 1 Hospital Road, Riccarton, Christchurch 8011',
  'Switchboard (03) 555 0190 | discharges@teawa-hospital.example.org',
];

export const DISCHARGE_TITLE = 'DISCHARGE SUMMARY';

/** Closing boilerplate of every discharge summary (about 110 words). */
export const DISCHARGE_CLOSING: readonly string[] = [
  'This discharge summary has been sent electronically to the general practitioner named above. A copy has been given ' +
    'to the patient. Please contact the ward via the hospital switchboard if you have questions about this admission ' +
    'or the medicines listed.',
  'Medicines changed during this admission are shown in the list above; please update your practice records. The ' +
    'patient has been advised to return to the emergency department or to call 111 if symptoms worsen before the ' +
    'follow-up appointment.',
  'Confidential: this document contains health information protected under the Health Information Privacy Code.',
];

/** Closing boilerplate of every referral letter (about 90 words). */
export const REFERRAL_CLOSING: readonly string[] = [
  'Please do not hesitate to contact me if you require further information. Relevant results are attached and have ' +
    'also been made available through the shared care record.',
  'This letter contains confidential health information and is intended only for the addressee. If you have received ' +
    'it in error, please notify the sender and delete or destroy all copies. Any unauthorised use, disclosure or ' +
    'copying is prohibited.',
];

export const PRESCRIPTION_TITLE = 'PRESCRIPTION';

export const PRESCRIPTION_FOOTER: readonly string[] = [
  'Subsidised medicines are dispensed for up to three months per dispensing unless stated otherwise. This prescription ' +
    'is valid for six months from the date of issue and is not valid for controlled drugs unless signed by hand.',
];

/** A practice letterhead: shared by every letter and prescription of that practice. */
export function practiceLetterhead(p: Practice): string[] {
  const slug = p.name.toLowerCase().replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '');
  return [p.name, formatAddress(p.address), `Phone ${p.phone} | reception@${slug}.example.org`];
}

/** Every fixed string of every template, for tests of "boilerplate alone matches nothing". */
export function allBoilerplate(): string[] {
  return [
    ...LAB_LETTERHEAD, LAB_TITLE, ...LAB_BOILERPLATE, LAB_END,
    ...HOSPITAL_LETTERHEAD, DISCHARGE_TITLE, ...DISCHARGE_CLOSING,
    ...REFERRAL_CLOSING, PRESCRIPTION_TITLE, ...PRESCRIPTION_FOOTER,
  ];
}
