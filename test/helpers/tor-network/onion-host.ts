import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connectWhenReady, type TorControl } from './control-client.js';
import type { TorProcess } from './tor-process.js';
import { pollUntil } from './wait.js';

/**
 * The onion-service host: one tor process publishing one v3 onion service per simulated site
 * (several HiddenServiceDir blocks). Its addresses are the `hostname` files tor writes, and
 * readiness is told by the control port's HS_DESC events, which — unlike the info log line
 * "Uploaded hidden service descriptor" — name the service and the HSDir. Before the upload a
 * client's fetch gets 0xF0 and the HSDir it asked is not asked again for a while (15 minutes
 * on the real network, 5 s in a test network), so the harness never probes a service before
 * its descriptor is out.
 */

interface UploadState {
  /** HSDirs an upload was started to and has not finished. */
  inFlight: Set<string>;
  /** HSDirs that accepted the descriptor. */
  uploaded: Set<string>;
  firstUploadedAt: number | undefined;
}

export class OnionHost {
  private control: TorControl | undefined;
  private uploads = new Map<string, UploadState>();
  /** Service name → onion host (`<56 chars>.onion`), known after the first start. */
  readonly hosts: Record<string, string> = {};

  constructor(
    readonly proc: TorProcess,
    private readonly controlPort: number,
    private readonly services: { name: string; dir: string }[],
  ) {}

  get pid(): number | undefined {
    return this.proc.running ? this.proc.pid : undefined;
  }

  /** Starts tor, subscribes to HS_DESC events and reads the services' addresses. */
  async start(timeoutMs: number): Promise<void> {
    this.uploads = new Map();
    this.proc.start();
    // Subscribe first thing: the first upload needs circuits, which take seconds to build.
    this.control = await connectWhenReady(this.controlPort, join(this.proc.dataDir, 'control_auth_cookie'), timeoutMs);
    this.control.onEvent((e) => this.onEvent(e));
    await this.control.setEvents(['HS_DESC']);
    for (const s of this.services) {
      const hostname = await pollUntil(`the onion address of ${s.name}`, timeoutMs, async () => {
        const text = (await readFile(join(s.dir, 'hostname'), 'utf8').catch(() => '')).trim();
        return /^[a-z2-7]{56}\.onion$/.test(text) ? text : undefined;
      }, [this.proc]);
      this.hosts[s.name] = hostname;
    }
  }

  private onEvent(event: string): void {
    const parts = event.split(' ');
    if (parts[0] !== 'HS_DESC') return;
    const [, action, address, , hsdirField] = parts;
    if (!action || !address) return;
    const hsdir = (hsdirField ?? '').split(/[~=]/)[0] ?? '';
    let state = this.uploads.get(address);
    if (!state) {
      state = { inFlight: new Set(), uploaded: new Set(), firstUploadedAt: undefined };
      this.uploads.set(address, state);
    }
    if (action === 'UPLOAD') state.inFlight.add(hsdir);
    else if (action === 'UPLOADED') {
      state.inFlight.delete(hsdir);
      state.uploaded.add(hsdir);
      state.firstUploadedAt ??= performance.now();
    } else if (action === 'FAILED') state.inFlight.delete(hsdir);
  }

  /**
   * Resolves once every service's descriptor reached at least one HSDir and no upload is
   * still in flight (or 5 s passed since the first accepted upload: a slow HSDir must not hold
   * up the suite; the probe that follows has the last word).
   */
  async waitForUploads(timeoutMs: number, hosts: readonly string[] = Object.values(this.hosts)): Promise<void> {
    await pollUntil(`the descriptor uploads of ${hosts.length} onion service(s)`, timeoutMs, () => {
      for (const host of hosts) {
        const st = this.uploads.get(host.replace(/\.onion$/, ''));
        if (!st || st.uploaded.size === 0) return undefined;
        if (st.inFlight.size > 0 && performance.now() - (st.firstUploadedAt ?? 0) < 5000) return undefined;
      }
      return true;
    }, [this.proc], 100);
  }

  /**
   * Publishes one more service with a key the caller made (ADD_ONION; gone when this tor
   * stops), so a test can know an address before it exists. Answers it once uploaded.
   * `keyBlob`: base64 of the 64-byte expanded Ed25519 secret key.
   */
  async addEphemeralService(keyBlob: string, targetPort: number, timeoutMs: number): Promise<string> {
    if (!this.control) throw new Error('the onion host is not running');
    const r = await this.control.command(`ADD_ONION ED25519-V3:${keyBlob} Port=80,127.0.0.1:${targetPort}`);
    const id = r.lines.map((l) => /^ServiceID=([a-z2-7]{56})$/.exec(l)?.[1]).find(Boolean);
    if (r.code !== 250 || !id) throw new Error(`ADD_ONION failed: ${r.code} ${r.lines.join(' ')}`);
    const host = `${id}.onion`;
    await this.waitForUploads(timeoutMs, [host]);
    return host;
  }

  /** HSDirs that hold each service's descriptor (for diagnostics). */
  uploadedTo(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.hosts).map(([name, host]) => [name, this.uploads.get(host.replace(/\.onion$/, ''))?.uploaded.size ?? 0]));
  }

  /** SIGTERM by default; `kill` = SIGKILL, so the service vanishes without closing circuits. */
  async stop(options: { kill?: boolean } = {}): Promise<void> {
    this.control?.close();
    this.control = undefined;
    if (options.kill) await this.proc.kill();
    else await this.proc.stop();
  }
}
