import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { Rng, deriveSeed } from '../synth/index.js';
import { nginxError, type SimResponse } from './html.js';
import type { Routed } from './router.js';
import type { DownMode, LatencyRangeMs, RequestRecord } from './types.js';

/**
 * One HTTP server per mirror, on 127.0.0.1 only. It owns what happens on the connection:
 * latency, being down (port closed, or connection reset), the request log, Range requests
 * on sample files, and the faults that break a response half-way.
 */

export interface MirrorHandlers {
  /** What to answer (the router). */
  route(req: IncomingMessage, url: URL, mirror: number): Promise<Routed>;
  /** Appends a record to the simulator's request log. */
  record(r: Omit<RequestRecord, 'seq'>): RequestRecord;
}

export interface MirrorOptions {
  siteId: string;
  index: number;
  onionHost: string;
  seed: number;
  latencyMs: LatencyRangeMs;
  down: DownMode | false;
  requireOnionHost: boolean;
}

/** Bytes of a page sent before a `reset` fault cuts the connection (or a `stall` hangs). */
const BROKEN_PREFIX_BYTES = 100;

export class MirrorServer {
  readonly server: Server;
  port = 0;
  latencyMs: LatencyRangeMs;
  private down: DownMode | false;
  private listening = false;
  private readonly rng: Rng;
  private readonly closing = new AbortController();

  constructor(
    private readonly opts: MirrorOptions,
    private readonly handlers: MirrorHandlers,
  ) {
    this.latencyMs = opts.latencyMs;
    this.down = opts.down;
    // Latency draws depend only on the seed and the request order, not on Math.random.
    this.rng = new Rng(deriveSeed(opts.seed, 'sim-latency', opts.siteId, opts.index));
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 2000;
  }

  /** Binds a port; a mirror that starts `refuse`-down frees it again (connections get refused). */
  async start(): Promise<void> {
    await this.listen();
    if (this.down === 'refuse') await this.unlisten();
  }

  get downMode(): DownMode | false {
    return this.down;
  }

  async setDown(mode: DownMode | false): Promise<void> {
    this.down = mode;
    if (mode === 'refuse') await this.unlisten();
    else await this.listen();
  }

  async close(): Promise<void> {
    this.closing.abort();
    await this.unlisten();
  }

  private listen(): Promise<void> {
    if (this.listening || this.closing.signal.aborted) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      // Port 0 the first time; afterwards the same port, since the proxy's map names it.
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', onError);
        this.port = (this.server.address() as AddressInfo).port;
        this.listening = true;
        resolve();
      });
    });
  }

  private unlisten(): Promise<void> {
    if (!this.listening) return Promise.resolve();
    this.listening = false;
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private drawLatency(): number {
    const [min, max] = this.latencyMs;
    return max > min ? Math.round(this.rng.float(min, max)) : min;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Deterministic responses: no Date header (captures of two runs compare byte for byte).
    res.sendDate = false;
    const record = this.handlers.record({
      siteId: this.opts.siteId, mirror: this.opts.index, method: req.method ?? 'GET', path: req.url ?? '/',
      host: req.headers.host, headers: { ...req.headers }, at: new Date().toISOString(),
    });
    if (this.down === 'reset') {
      record.status = 0;
      req.socket.resetAndDestroy();
      return;
    }
    const delay = this.drawLatency();
    if (delay > 0) {
      try {
        await sleep(delay, undefined, { signal: this.closing.signal });
      } catch {
        req.socket.destroy();
        return;
      }
    }
    res.on('finish', () => { record.status ??= res.statusCode; });
    try {
      const hostname = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
      if (this.opts.requireOnionHost && hostname !== this.opts.onionHost) {
        this.writePage(req, res, nginxError(421), record);
        return;
      }
      const url = new URL(req.url ?? '/', `http://${this.opts.onionHost}`);
      const routed = await this.handlers.route(req, url, this.opts.index);
      if (routed.kind === 'page') {
        if (routed.fault) record.fault = routed.fault;
        this.writePage(req, res, routed.response, record);
      } else if (routed.kind === 'broken') {
        record.fault = routed.fault;
        this.writeBroken(res, routed.response, routed.fault, record);
      } else {
        await this.writeFile(req, res, routed, record);
      }
    } catch (err) {
      record.error = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) this.writePage(req, res, nginxError(500), record);
      else res.destroy();
    }
  }

  private writePage(req: IncomingMessage, res: ServerResponse, page: SimResponse, record: RequestRecord): void {
    const body = Buffer.isBuffer(page.body) ? page.body : Buffer.from(page.body, 'utf8');
    res.writeHead(page.status, { server: 'nginx', 'content-length': body.length, ...page.headers });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    record.bytesSent = body.length;
    res.end(body);
  }

  private writeBroken(res: ServerResponse, page: SimResponse, fault: 'reset' | 'stall', record: RequestRecord): void {
    const body = Buffer.isBuffer(page.body) ? page.body : Buffer.from(page.body, 'utf8');
    // The head promises the whole page; only a prefix ever arrives.
    res.writeHead(page.status, { server: 'nginx', 'content-length': body.length, ...page.headers });
    const prefix = body.subarray(0, Math.min(BROKEN_PREFIX_BYTES, body.length >> 1));
    record.bytesSent = prefix.length;
    res.write(prefix, () => {
      if (fault === 'reset') {
        record.status = 0;
        res.socket?.resetAndDestroy();
      }
    });
  }

  private async writeFile(req: IncomingMessage, res: ServerResponse, routed: Extract<Routed, { kind: 'file' }>, record: RequestRecord): Promise<void> {
    const { file, body } = routed;
    const headers: Record<string, string | number> = { server: 'nginx', 'content-type': file.contentType, 'accept-ranges': 'bytes' };
    if (file.role === 'file') headers['content-disposition'] = `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`;
    const range = parseRange(req.headers.range, body.size);
    if (range === 'invalid') {
      res.writeHead(416, { ...headers, 'content-range': `bytes */${body.size}`, 'content-length': 0 });
      res.end();
      return;
    }
    const [start, end] = range ?? [0, body.size - 1];
    const length = Math.max(0, end - start + 1);
    if (range) headers['content-range'] = `bytes ${start}-${end}/${body.size}`;
    res.writeHead(range ? 206 : 200, { ...headers, 'content-length': length });
    if (req.method === 'HEAD' || length === 0) {
      res.end();
      return;
    }
    if (body.bytes) {
      record.bytesSent = length;
      res.end(body.bytes.subarray(start, end + 1));
      return;
    }
    if (!body.stream) throw new Error(`file ${file.path} has neither bytes nor a stream`);
    const source = body.stream(start, end);
    let sent = 0;
    source.on('data', (c: Buffer) => { sent += c.length; });
    try {
      await pipeline(source, res);
    } catch {
      // The client went away mid-download: nothing to report, the log shows bytesSent.
    } finally {
      record.bytesSent = sent;
    }
  }
}

/** A single `bytes=` range → [start, end]; undefined = whole file; 'invalid' → 416. */
export function parseRange(header: string | undefined, size: number): [number, number] | undefined | 'invalid' {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'invalid';
    return [Math.max(0, size - n), size - 1];
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'invalid';
  return [start, end];
}
