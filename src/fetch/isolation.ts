import { createHmac, randomBytes } from 'node:crypto';
import type { SocksAuth } from './socks5-client.js';

/**
 * Per-site SOCKS credentials. Tor's IsolateSOCKSAuth (on by default) never lets two different
 * username/password pairs share a circuit, so one pair per site id = one circuit family per
 * site: a leak site cannot correlate our visits to other sites by circuit.
 * The password is an HMAC of a per-process secret, so another program using the same Tor
 * with a guessable username can never land on our circuits, and `rotate()` gives a site a
 * fresh circuit (a per-site NEWNYM) without touching the others.
 * Credentials are never logged: callers only ever see them through `credentials()`.
 */
export class CircuitIsolation {
  private readonly secret: Buffer;
  private readonly generation = new Map<string, number>();

  constructor(secret: Uint8Array = randomBytes(32)) {
    this.secret = Buffer.from(secret);
  }

  credentials(siteId: string): SocksAuth {
    const gen = this.generation.get(siteId) ?? 0;
    const password = createHmac('sha256', this.secret).update(`${siteId}\0${gen}`).digest('base64url');
    // Username carries the site id only for operators reading Tor's debug log; it is not secret.
    return { username: `leakwatch-${siteId}`.slice(0, 255), password };
  }

  /** New credentials for one site: Tor will build new circuits for its next streams. */
  rotate(siteId: string): void {
    this.generation.set(siteId, (this.generation.get(siteId) ?? 0) + 1);
  }
}
