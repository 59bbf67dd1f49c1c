/**
 * Laboratory analytes grouped into the panels a lab report prints. Values are drawn around
 * the middle of the reference interval with a chance of being flagged high or low, so that
 * result tables differ between patients while test names, units and ranges stay constant
 * (that constant part is exactly what makes lab reports hard for a matcher).
 */
import type { Rng } from './rng.js';

export interface Analyte {
  name: string;
  unit: string;
  low: number;
  high: number;
  decimals: number;
  /** How the reference interval is printed when it is one-sided. */
  printRange?: string;
}

export interface Panel {
  name: string;
  analytes: readonly Analyte[];
}

function a(name: string, unit: string, low: number, high: number, decimals: number, printRange?: string): Analyte {
  return printRange === undefined ? { name, unit, low, high, decimals } : { name, unit, low, high, decimals, printRange };
}

export const PANELS: readonly Panel[] = [
  {
    name: 'Full Blood Count',
    analytes: [
      a('Haemoglobin', 'g/L', 115, 175, 0), a('Haematocrit', 'L/L', 0.36, 0.5, 2), a('Red cell count', 'x10^12/L', 3.8, 5.8, 2),
      a('MCV', 'fL', 80, 99, 0), a('MCH', 'pg', 27, 33, 1), a('Platelets', 'x10^9/L', 150, 400, 0),
      a('White cell count', 'x10^9/L', 4, 11, 1), a('Neutrophils', 'x10^9/L', 1.9, 7.5, 1), a('Lymphocytes', 'x10^9/L', 1, 4, 1),
      a('Monocytes', 'x10^9/L', 0.2, 1, 1), a('Eosinophils', 'x10^9/L', 0, 0.5, 2), a('Basophils', 'x10^9/L', 0, 0.2, 2),
    ],
  },
  {
    name: 'Renal Function and Electrolytes',
    analytes: [
      a('Sodium', 'mmol/L', 135, 145, 0), a('Potassium', 'mmol/L', 3.5, 5.2, 1), a('Chloride', 'mmol/L', 95, 110, 0),
      a('Bicarbonate', 'mmol/L', 22, 32, 0), a('Urea', 'mmol/L', 3.2, 7.7, 1), a('Creatinine', 'umol/L', 45, 110, 0),
      a('eGFR', 'mL/min/1.73m2', 60, 120, 0, '> 60'),
    ],
  },
  {
    name: 'Liver Function Tests',
    analytes: [
      a('Total bilirubin', 'umol/L', 2, 20, 0), a('Alkaline phosphatase', 'U/L', 40, 120, 0), a('GGT', 'U/L', 0, 60, 0),
      a('ALT', 'U/L', 0, 45, 0), a('Total protein', 'g/L', 60, 80, 0), a('Albumin', 'g/L', 35, 50, 0),
    ],
  },
  {
    name: 'Lipid Profile',
    analytes: [
      a('Total cholesterol', 'mmol/L', 3, 5, 1, '< 5.0'), a('Triglycerides', 'mmol/L', 0.5, 1.7, 1, '< 1.7'),
      a('HDL cholesterol', 'mmol/L', 1, 2.2, 2, '> 1.00'), a('LDL cholesterol', 'mmol/L', 1, 3, 1, '< 3.0'),
      a('Cholesterol/HDL ratio', '', 2.5, 4.5, 1, '< 4.5'),
    ],
  },
  { name: 'Glycaemic Control', analytes: [a('HbA1c', 'mmol/mol', 20, 40, 0), a('Fasting glucose', 'mmol/L', 3.5, 5.4, 1)] },
  { name: 'Thyroid Function', analytes: [a('TSH', 'mIU/L', 0.3, 4.5, 2), a('Free T4', 'pmol/L', 10, 22, 0)] },
  {
    name: 'Iron Studies',
    analytes: [
      a('Ferritin', 'ug/L', 20, 300, 0), a('Iron', 'umol/L', 10, 30, 0), a('Transferrin', 'g/L', 2, 3.6, 1),
      a('Transferrin saturation', '%', 15, 45, 0),
    ],
  },
  { name: 'Inflammatory Markers', analytes: [a('CRP', 'mg/L', 0, 5, 0, '< 5'), a('ESR', 'mm/h', 1, 20, 0)] },
  {
    name: 'Vitamins',
    analytes: [a('Vitamin B12', 'pmol/L', 170, 800, 0), a('Serum folate', 'nmol/L', 7, 45, 0, '> 7'), a('25-OH vitamin D', 'nmol/L', 50, 150, 0)],
  },
  { name: 'Urate', analytes: [a('Urate', 'mmol/L', 0.2, 0.42, 2)] },
  { name: 'Prostate Specific Antigen', analytes: [a('PSA', 'ug/L', 0, 4, 2, '< 4.00')] },
  { name: 'Coagulation', analytes: [a('INR', '', 0.8, 1.2, 1), a('APTT', 'seconds', 25, 38, 0)] },
];

export interface LabValue {
  analyte: Analyte;
  value: string;
  /** "H", "L" or "". */
  flag: string;
}

export function formatRange(x: Analyte): string {
  return x.printRange ?? `${x.low.toFixed(x.decimals)} - ${x.high.toFixed(x.decimals)}`;
}

/**
 * A value mostly within range; about one in seven lies outside it, mostly on the high side
 * (as in real requesting, where tests are ordered because something is suspected).
 * One-sided intervals (low bound 0, such as CRP) only go high. Never negative.
 */
export function drawValue(rng: Rng, x: Analyte): LabValue {
  const mid = (x.low + x.high) / 2;
  const half = (x.high - x.low) / 2;
  let v = rng.gaussian(mid, half * 0.45);
  if (rng.chance(0.14)) {
    const excess = Math.abs(rng.gaussian(0, half * 0.5)) + half * 0.05;
    v = x.low > 0 && rng.chance(0.3) ? x.low - excess : x.high + excess;
  }
  v = Math.max(0, v);
  const value = v.toFixed(x.decimals);
  const n = Number(value);
  const flag = n > x.high ? 'H' : n < x.low ? 'L' : '';
  return { analyte: x, value, flag };
}

/** An analyte name as it reads mid-sentence: "ferritin", but "HbA1c" and "TSH" unchanged. */
export function analyteProse(name: string): string {
  return /^[A-Z]{2,}|^[A-Z][a-z]*\d|^eGFR|^HbA1c/.test(name) ? name : name.toLowerCase();
}

/** One analyte's value as prose for clinical notes: "a ferritin of 14 ug/L". */
export function resultPhrase(rng: Rng): string {
  const panel = rng.pick(PANELS);
  const x = rng.pick(panel.analytes);
  const v = drawValue(rng, x);
    const name = analyteProse(x.name);
  return `${/^[aeiouAEIOU]|^[FHLMNRSX][A-Z]|^HbA1c/.test(name) ? 'an' : 'a'} ${name} of ${v.value}${x.unit ? ` ${x.unit}` : ''}`;
}
