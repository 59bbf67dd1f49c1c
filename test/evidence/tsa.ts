import { execFileSync, execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A local RFC 3161 TSA for tests: OpenSSL makes a CA and a TSA certificate (extendedKeyUsage
 * critical timeStamping), and a loopback HTTP server answers each posted request with
 * `openssl ts -reply`. Nothing leaves 127.0.0.1.
 */

export interface LocalTsa {
  url: string;
  dir: string;
  caCert: string;
  tsaCert: string;
  /** How the server answers: a fresh reply, or a replay of the first reply it ever made. */
  mode: 'normal' | 'replay';
  requests: number;
  close(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function makeCa(dir: string, name: string): { cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-subj', `/CN=${name} Test Root`, '-days', '3650',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  return { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
}

export async function startLocalTsa(dir: string): Promise<LocalTsa> {
  makeCa(dir, 'ca');
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', '/CN=leakwatch test TSA/O=Test'], dir);
  writeFileSync(join(dir, 'tsa-ext.cnf'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n');
  openssl(['x509', '-req', '-in', 'tsa.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tsa.crt', '-days', '365', '-extfile', 'tsa-ext.cnf'], dir);
  writeFileSync(join(dir, 'tsaserial'), '01\n');
  writeFileSync(
    join(dir, 'tsa.cnf'),
    [
      '[ tsa ]', 'default_tsa = tsa_config1', '[ tsa_config1 ]', `dir = ${dir}`, 'serial = $dir/tsaserial', 'crypto_device = builtin',
      'signer_cert = $dir/tsa.crt', 'certs = $dir/ca.crt', 'signer_key = $dir/tsa.key', 'signer_digest = sha256', 'default_policy = 1.2.3.4.1',
      'digests = sha256, sha384, sha512', 'accuracy = secs:1', 'ordering = yes', 'tsa_name = yes', 'ess_cert_id_chain = no', 'ess_cert_id_alg = sha256', '',
    ].join('\n'),
  );

  let first: Buffer | undefined;
  let n = 0;
  const state = { mode: 'normal' as LocalTsa['mode'], requests: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
        res.writeHead(400).end();
        return;
      }
      const id = ++n;
      const q = join(dir, `q${id}.tsq`);
      const r = join(dir, `r${id}.tsr`);
      writeFileSync(q, Buffer.concat(chunks));
      execFile('openssl', ['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', q, '-out', r], (err) => {
        if (err) {
          res.writeHead(500).end(String(err));
          return;
        }
        const reply = readFileSync(r);
        first ??= reply;
        res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' }).end(state.mode === 'replay' ? first : reply);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/tsa`,
    dir,
    caCert: join(dir, 'ca.crt'),
    tsaCert: join(dir, 'tsa.crt'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
