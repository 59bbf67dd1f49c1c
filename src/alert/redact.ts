import { redactUrl } from '../errors.js';

export type Redactor = (text: string) => string;

export const REDACTED = '[redacted]';

/** Secrets shorter than this are not searched for: replacing "ab" everywhere would garble text. */
const MIN_SECRET_CHARS = 4;

/**
 * Every form in which a secret could leak into an error message or a server's reply: as
 * written, URL-encoded, and base64 (SMTP AUTH and HTTP Basic carry credentials that way).
 */
function variants(secret: string): string[] {
  const b64 = Buffer.from(secret).toString('base64');
  const out = [secret, encodeURIComponent(secret), b64, b64.replace(/=+$/, ''), Buffer.from(secret).toString('base64url')];
  return out.filter((v) => v.length >= MIN_SECRET_CHARS);
}

/**
 * A function that removes the given secrets (and credentials in URLs) from text. Applied to
 * every error text before it reaches the attempts table, the outbox or a log line — the
 * secret values are the only thing it needs to know, so it cannot miss a code path.
 */
export function createRedactor(secrets: Iterable<string | undefined>): Redactor {
  const all = new Set<string>();
  for (const s of secrets) if (s && s.length >= MIN_SECRET_CHARS) for (const v of variants(s)) all.add(v);
  // Longest first, so a secret that contains another is replaced whole.
  const list = [...all].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = redactUrl(text);
    for (const s of list) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  };
}

/** Parts of a URL that carry credentials: userinfo, the query string, and for token-in-path
 * services (Slack-style hooks) the path. `wholeUrlSecret` treats the full URL as secret. */
export function urlSecrets(url: string, wholeUrlSecret: boolean): string[] {
  const out: string[] = [];
  try {
    const u = new URL(url);
    if (u.username) out.push(decodeURIComponent(u.username));
    if (u.password) out.push(decodeURIComponent(u.password));
    if (u.search.length > 1) out.push(u.search.slice(1));
    for (const [, v] of u.searchParams) out.push(v);
    if (wholeUrlSecret) {
      out.push(url, u.href, `${u.pathname}${u.search}`);
      for (const seg of u.pathname.split('/')) if (seg.length >= 8) out.push(seg);
    }
  } catch {
    out.push(url);
  }
  return out;
}
