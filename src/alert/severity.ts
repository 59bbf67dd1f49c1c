import { ALERT_SEVERITY_DEFAULTS } from '../config/schema.js';
import type { MatchMethod } from '../match/types.js';
import type { Severity, SeverityRule } from './types.js';

/**
 * The severity rule. Counted over the alert's distinct documents (set + path), each with its
 * best match across the sample's members:
 *
 *   strong match  = exact, text or near; or partial/image with score ≥ strongScore (0.8)
 *   critical      = ≥ criticalDocuments (10) documents matched exact/text/near,
 *                   or any identity document (passport, ID card, …) matched strongly
 *   high          = any strong match
 *   medium        = any other partial match, or an identity document matched by a weak image
 *   low           = everything else: only weak image similarity (score < strongScore)
 *
 * Why these lines: exact/text/near prove the document's content is out; ten or more of them is
 * a bulk dump rather than a "proof" teaser. An identity document is the worst single exposure
 * (fraud), so one strong hit is critical. A weak perceptual image hit is the only thing that
 * can be a look-alike (two photos of similar scenes), so alone it is low.
 */

export const DEFAULT_SEVERITY_RULE: SeverityRule = ALERT_SEVERITY_DEFAULTS;

export interface SeverityInput {
  document: string;
  method: MatchMethod;
  score: number;
}

const CONTENT_METHODS: ReadonlySet<MatchMethod> = new Set(['exact', 'text', 'near']);

export function isStrong(m: SeverityInput, rule: SeverityRule): boolean {
  return CONTENT_METHODS.has(m.method) || m.score >= rule.strongScore;
}

/** Compiled once per rule: the patterns come from config and were validated there. */
export function identityMatcher(rule: SeverityRule): (document: string) => boolean {
  const res = rule.identityDocuments.map((p) => new RegExp(p, 'i'));
  return (document) => res.some((re) => re.test(document));
}

/** `docs` must hold one entry per distinct document (its best match). */
export function severityOf(docs: readonly SeverityInput[], rule: SeverityRule = DEFAULT_SEVERITY_RULE): Severity {
  const isIdentity = identityMatcher(rule);
  let content = 0;
  let strong = false;
  let partial = false;
  let weakIdentity = false;
  for (const d of docs) {
    if (CONTENT_METHODS.has(d.method)) content++;
    const s = isStrong(d, rule);
    if (s && isIdentity(d.document)) return 'critical';
    if (s) strong = true;
    else if (d.method === 'partial') partial = true;
    else if (isIdentity(d.document)) weakIdentity = true;
  }
  if (content >= rule.criticalDocuments) return 'critical';
  if (strong) return 'high';
  if (partial || weakIdentity) return 'medium';
  return 'low';
}
