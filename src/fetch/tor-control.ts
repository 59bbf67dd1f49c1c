import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { AbortError, LeakwatchError } from '../errors.js';
import { ProxyError } from './fetch-errors.js';

/**
 * A small Tor control-port client (control-spec.txt): authentication by cookie file
 * (`CookieAuthentication 1`, the `control_auth_cookie` in Tor's data directory) or password,
 * `GETINFO`, `SIGNAL`, `SETEVENTS` with asynchronous events. Uses:
 *  - a health check: `GETINFO status/bootstrap-phase` says whether Tor can build circuits at
 *    all, which the SOCKS preflight cannot tell (a bootstrapping Tor accepts SOCKS requests
 *    and then holds them);
 *  - `SIGNAL NEWNYM`: new circuits for new streams, and Tor forgets its onion-service client
 *    state — including which HSDirs it already asked for a descriptor, which it otherwise
 *    does not ask again for 15 minutes (a site that was offline stays "offline" that long).
 * Replies are matched to commands in order, as Tor sends them. Every command is bounded.
 * Failures are ProxyError (E_PROXY): Tor's control port is part of "the proxy".
 * The password and cookie never appear in errors.
 */

export interface TorControlEndpoint {
  host: string;
  port: number;
  /** control_auth_cookie (CookieAuthentication 1). */
  cookiePath?: string;
  /** HashedControlPassword's plain text. */
  password?: string;
}

export interface ControlReply {
  code: number;
  /** Reply lines without the status prefix; a data block (`250+`) is one element. */
  lines: string[];
}

export interface BootstrapStatus {
  /** 0–100; 100 = Tor can build circuits. */
  progress: number;
  /** e.g. `done`, `conn`, `loading_descriptors`. */
  tag: string;
  summary: string;
  /** NOTICE, or WARN when Tor reports a bootstrap problem (then `warning` says what). */
  severity: string;
  warning?: string;
}

interface Pending {
  resolve: (r: ControlReply) => void;
  reject: (e: Error) => void;
}

function name(e: TorControlEndpoint): string {
  return `${e.host}:${e.port}`;
}

/** `"..."` with control-spec escaping (backslash and double quote). */
export function quoteControlString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Parses `NOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY="Done"` (status/bootstrap-phase). */
export function parseBootstrapPhase(text: string): BootstrapStatus {
  const severity = /^(\w+)\s+BOOTSTRAP\b/.exec(text)?.[1] ?? 'NOTICE';
  const field = (key: string): string | undefined => {
    const m = new RegExp(`\\b${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|(\\S+))`).exec(text);
    return m ? (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1') : undefined;
  };
  const progress = Number(field('PROGRESS'));
  const warning = field('WARNING');
  return {
    progress: Number.isFinite(progress) ? progress : 0,
    tag: field('TAG') ?? '',
    summary: field('SUMMARY') ?? '',
    severity,
    ...(warning !== undefined ? { warning } : {}),
  };
}

export class TorControl {
  private buffer = '';
  private pending: Pending[] = [];
  private current: string[] = [];
  private data: string[] | undefined;
  private eventLines: string[] | undefined;
  private readonly listeners = new Set<(event: string) => void>();
  private closedError: Error | undefined;

  private constructor(private readonly socket: net.Socket, private readonly where: string) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    const fail = (err: Error): void => {
      this.closedError ??= err;
      for (const p of this.pending.splice(0)) p.reject(this.closedError);
    };
    socket.on('error', (err: NodeJS.ErrnoException) => fail(new ProxyError('E_PROXY', `Tor control port at ${where}: ${err.code ?? err.message}`, { cause: err })));
    socket.on('close', () => fail(new ProxyError('E_PROXY', `Tor control port at ${where} closed the connection`)));
  }

  /** Connects and authenticates (cookie, else password, else none). */
  static async connect(endpoint: TorControlEndpoint, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<TorControl> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const where = name(endpoint);
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: endpoint.host, port: endpoint.port });
      const done = (err?: Error): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (err) {
          s.destroy();
          reject(err);
        } else resolve(s);
      };
      const timer = setTimeout(() => done(new ProxyError('E_PROXY', `Tor control port at ${where} did not answer within ${timeoutMs} ms`)), timeoutMs);
      const onAbort = (): void => done(new AbortError('operation aborted', { cause: options.signal?.reason }));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      s.once('connect', () => done());
      s.once('error', (err: NodeJS.ErrnoException) =>
        done(new ProxyError('E_PROXY', `Tor control port at ${where} is not reachable: ${err.code === 'ECONNREFUSED' ? 'connection refused' : (err.code ?? err.message)} — is ControlPort set in torrc?`, { cause: err })),
      );
    });
    const control = new TorControl(socket, where);
    try {
      let auth = 'AUTHENTICATE';
      if (endpoint.cookiePath) {
        const cookie = await readFile(endpoint.cookiePath).catch((err: unknown) => {
          throw new ProxyError('E_PROXY', `cannot read the Tor control cookie ${endpoint.cookiePath} (tor.controlCookiePath): ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
        });
        auth = `AUTHENTICATE ${cookie.toString('hex')}`;
      } else if (endpoint.password !== undefined) {
        auth = `AUTHENTICATE ${quoteControlString(endpoint.password)}`;
      }
      const r = await control.command(auth, timeoutMs);
      if (r.code !== 250) throw new ProxyError('E_PROXY', `Tor control port at ${where} refused authentication (${r.code}) — check tor.controlCookiePath / tor.controlPassword`);
    } catch (err) {
      control.close();
      throw err;
    }
    return control;
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    for (let i = this.buffer.indexOf('\r\n'); i >= 0; i = this.buffer.indexOf('\r\n')) {
      const line = this.buffer.slice(0, i);
      this.buffer = this.buffer.slice(i + 2);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    if (this.data) {
      if (line === '.') {
        const block = this.data.join('\n');
        this.data = undefined;
        (this.eventLines ?? this.current).push(block);
      } else {
        this.data.push(line.startsWith('..') ? line.slice(1) : line);
      }
      return;
    }
    const m = /^(\d{3})([ +-])(.*)$/.exec(line);
    if (!m) return;
    const code = Number(m[1]);
    const sep = m[2];
    const text = m[3] ?? '';
    // 650 = asynchronous event; its continuation lines also start with 650.
    if (code === 650 || this.eventLines) {
      this.eventLines ??= [];
      this.eventLines.push(text);
      if (sep === '+') this.data = [];
      else if (sep === ' ') {
        const first = this.eventLines[0] ?? '';
        this.eventLines = undefined;
        for (const l of [...this.listeners]) l(first);
      }
      return;
    }
    this.current.push(text);
    if (sep === '+') this.data = [];
    else if (sep === ' ') {
      const lines = this.current;
      this.current = [];
      this.pending.shift()?.resolve({ code, lines });
    }
  }

  /** Sends one command line (no CR/LF inside) and resolves with Tor's reply. */
  command(line: string, timeoutMs = 10_000): Promise<ControlReply> {
    if (this.closedError) return Promise.reject(this.closedError);
    if (/[\r\n]/.test(line)) return Promise.reject(new LeakwatchError('E_USAGE', 'a control command is one line'));
    const verb = line.split(' ')[0] ?? '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // A reply that never comes leaves the stream out of step: this connection is done.
        reject(new ProxyError('E_PROXY', `Tor control port at ${this.where}: no answer to ${verb} within ${timeoutMs} ms`));
        this.close();
      }, timeoutMs);
      this.pending.push({
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.socket.write(`${line}\r\n`);
    });
  }

  /** GETINFO key → its value (a one-line value or a data block). */
  async getInfo(key: string, timeoutMs?: number): Promise<string> {
    const r = await this.command(`GETINFO ${key}`, timeoutMs);
    const first = r.lines[0] ?? '';
    if (r.code !== 250 || !first.startsWith(`${key}=`)) throw new ProxyError('E_PROXY', `Tor control port at ${this.where}: GETINFO ${key} failed (${r.code} ${first})`);
    const inline = first.slice(key.length + 1);
    return inline === '' && r.lines.length > 2 ? (r.lines[1] ?? '') : inline;
  }

  async bootstrapStatus(timeoutMs?: number): Promise<BootstrapStatus> {
    return parseBootstrapPhase(await this.getInfo('status/bootstrap-phase', timeoutMs));
  }

  /**
   * New circuits for new streams, and a fresh onion-service client state (see above). Tor
   * carries out at most one NEWNYM per 10 s; a later one is deferred, not refused.
   */
  async newnym(timeoutMs?: number): Promise<void> {
    await this.signal('NEWNYM', timeoutMs);
  }

  async signal(name: 'NEWNYM' | 'RELOAD' | 'DUMP' | 'DEBUG' | 'HEARTBEAT' | 'ACTIVE' | 'DORMANT', timeoutMs?: number): Promise<void> {
    const r = await this.command(`SIGNAL ${name}`, timeoutMs);
    if (r.code !== 250) throw new ProxyError('E_PROXY', `Tor control port at ${this.where}: SIGNAL ${name} refused (${r.code} ${r.lines.join(' ')})`);
  }

  async setEvents(events: readonly string[], timeoutMs?: number): Promise<void> {
    const r = await this.command(`SETEVENTS ${events.join(' ')}`.trim(), timeoutMs);
    if (r.code !== 250) throw new ProxyError('E_PROXY', `Tor control port at ${this.where}: SETEVENTS refused (${r.code} ${r.lines.join(' ')})`);
  }

  /** Listener for asynchronous events (the first line of each, without "650 "). */
  onEvent(listener: (event: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closedError ??= new ProxyError('E_PROXY', `Tor control connection to ${this.where} closed`);
    this.socket.destroy();
  }
}

/** Connects, reads the bootstrap phase, closes: a health check of the Tor client. */
export async function checkTorBootstrap(endpoint: TorControlEndpoint, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<BootstrapStatus> {
  const control = await TorControl.connect(endpoint, options);
  try {
    return await control.bootstrapStatus(options.timeoutMs);
  } finally {
    control.close();
  }
}
