/**
 * Sentence templates of the clinical-note sections (history, examination, assessment, plan).
 * Slots in braces are filled by the Filler in clinical-text.ts; the design rule there (no more
 * than about four fixed words in a row) applies to every template here.
 */
export const HISTORY = [
  '{Subj} {verb} a {duration} history of {quality} {complaintBare}.',
  '{Subj} {verb} {complaint} for {duration}, {onset} in onset.',
  '{link} {subj} {verb} {assoc}.',
  '{Poss} {complaintBare} began {trigger} and is {course}.',
  '{Poss} {complaintBare} is worse {worse}, eased {better}.',
  '{Subj} rates {poss} {complaintBare} {pain}/10 {worse}.',
  '{Subj} has tried {tried} and {tried}, with {effect}.',
  '{Subj} tried {tried} {trigger}: {effect}.',
  '{Subj} denies {neg}.',
  'No {neg}.',
  'There has been no {neg} {trigger}.',
  '{Subj} {impact}.',
  '{Poss} main worry is {concern}.',
  '{Subj} is concerned about {concern} because {poss} {relative} had {famcond}.',
  '{Subj} was seen at {place} on {pastdate} and given {anymed}.',
  '{Subj} has had {n} similar episodes since {pastdate}.',
  'Also {verb} {assoc} and {assoc}.',
  '{link} {subj} has noticed {assoc}, worse {worse}.',
  '{Subj} first noticed the {complaintBare} {trigger}.',
  'Pain is {quality} at the {site} and {course}.',
  '{Subj} {verb} a {quality} sensation at the {site} {worse}.',
  '{Subj} has been using {tried} {better}.',
  'Collateral from {poss} {relative}: {assoc}, {course}.',
  '{Subj} stopped {anymed} {trigger}.',
];

export const EXAMINATION = [
  'On examination {subj} {appearance}; {vitals}.',
  'Vitals: {vitals}.',
  'Examination showed {finding}.',
  'There was {finding} and {finding}.',
  'Noted {finding}.',
  '{finding}, otherwise unremarkable.',
  'Examination of the {site} revealed {finding}.',
  'Found {finding}; {vitals}.',
  'Repeat obs {vitals}.',
];

export const APPEARANCE = [
  'looked well', 'appeared uncomfortable', 'was alert and orientated', 'appeared pale and tired', 'was in mild distress',
  'was mobilising slowly', 'was talkative and cheerful', 'appeared flushed', 'was sitting forward in the chair',
  'looked younger than {poss} stated age', 'was accompanied by {poss} {relative}', 'was tearful at times',
];

export const ASSESSMENT = [
  'Impression: {dx}.',
  'Likely {dx}; differentials include {dx} and {dx}.',
  'Most consistent with {dx} given {assoc}.',
  'Working diagnosis {dx}, {course}.',
  'Probable {dx} on a background of {chronic}.',
  'I suspect {dx} rather than {dx}.',
];

export const PLAN = [
  '{planverb} {med}.',
  'Bloods: {tests}.',
  'Request {tests}.',
  'Refer to {referral} {urgency} regarding {dx}.',
  'Review {mode} on {futuredate}.',
  'Follow up on {futuredate} with {reviewer}.',
  '{safetynet} {safety}.',
  'Urgent review if {safety}.',
  'Discussed {topic}; {subj} {agreement}.',
  'Medical certificate until {futuredate}.',
  'Continue {anymed}.',
  'Stop {anymed} given {assoc}.',
  'Written information on {dx} given.',
];
