import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature, type VerifyResult } from '../../../src/alert/channels/signature.js';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  verified: VerifyResult | undefined;
}

/**
 * A loopback HTTP receiver on port 0. With a secret it verifies X-Leakwatch-Signature like a
 * real receiver would, and it deduplicates on the notification id (at-least-once delivery).
 * `stop()` takes it down; `start()` brings it back on the same port.
 */
export class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  /** Accepted notifications by id: what a deduplicating receiver keeps. */
  readonly accepted = new Map<string, string>();
  status = 200;
  /** Reply body; a function sees the request (tests echo URLs and headers back, as careless servers do). */
  reply: string | ((path: string, headers: IncomingHttpHeaders) => string) = 'ok';
  /** Never answer (to exercise timeouts). */
  hang = false;
  private server: Server | undefined;
  port = 0;

  constructor(private readonly options: { secret?: string; nowSeconds?: () => number } = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.hang) return;
        const body = Buffer.concat(chunks).toString('utf8');
        const sig = req.headers['x-leakwatch-signature'];
        const verified = this.options.secret
          ? verifySignature(this.options.secret, body, Array.isArray(sig) ? sig[0] : sig, this.options.nowSeconds ? { nowSeconds: this.options.nowSeconds() } : {})
          : undefined;
        this.requests.push({ path: req.url ?? '', headers: req.headers, body, verified });
        if (verified && !verified.ok) {
          res.writeHead(401).end('bad signature');
          return;
        }
        if (this.status >= 200 && this.status < 300) {
          const id = (JSON.parse(body) as { id?: string }).id ?? String(req.headers['x-leakwatch-id']);
          if (!this.accepted.has(id)) this.accepted.set(id, body);
        }
        res.writeHead(this.status, { 'content-type': 'text/plain' }).end(typeof this.reply === 'function' ? this.reply(req.url ?? '', req.headers) : this.reply);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
