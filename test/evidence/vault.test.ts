import { createHash, randomBytes } from 'node:crypto';
import { existsSync, openSync, readdirSync, readFileSync, readSync, closeSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { CustodyLog, initKeys, loadCustodyKey, loadVaultKey, SampleVault, verifyCustodyLog, type KeyPair, type VaultKey } from '../../src/evidence/index.js';
import type { CustodyEntry } from '../../src/evidence/custody-entry.js';
import { useTempDir } from '../helpers/tmp.js';
import { fixedClock, useSuiteDir } from './helpers.js';

const tmp = useTempDir('leakwatch-vault-');
const suite = useSuiteDir();
let keyDir: string;
let custodyKey: KeyPair;
let vaultKey: VaultKey;
beforeAll(() => {
  keyDir = join(suite(), 'keys');
  initKeys(keyDir);
  custodyKey = loadCustodyKey(keyDir);
  vaultKey = loadVaultKey(keyDir, {});
});

const PATIENT = Buffer.from('PATIENT: Aroha Citizen, NHI ZZZ0016, diagnosis: …\n'.repeat(200));

function setup(mode: 'encrypted' | 'hashes-only' = 'encrypted', key = vaultKey): { vault: SampleVault; logPath: string; dir: string } {
  const dir = tmp();
  const logPath = join(dir, 'custody.jsonl');
  const log = CustodyLog.open(logPath, { key: custodyKey, clock: fixedClock(), checkpointEvery: 0 });
  return { vault: SampleVault.open({ dir: join(dir, 'samples'), mode, key, custodyLog: log }), logPath, dir };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function sampleFile(dir: string, id: string): string {
  return join(dir, 'samples', id.slice(0, 2), `${id}.sample`);
}

const logEntries = (path: string): CustodyEntry[] => (existsSync(path) ? readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as CustodyEntry) : []);

describe('sample vault', () => {
  it('encrypts at rest (AES-256-GCM, fresh nonce per file) and gives the sample back, logging the access', async () => {
    const { vault, logPath, dir } = setup();
    const put = await vault.put(Readable.from([PATIENT.subarray(0, 1000), PATIENT.subarray(1000)]), { fileName: 'Aroha Citizen MRI.pdf', sourceUrl: 'http://x.onion/f' });
    const sha = createHash('sha256').update(PATIENT).digest('hex');
    expect(put).toEqual({ id: sha, sha256: sha, bytes: PATIENT.length, encrypted: true });
    const onDisk = readFileSync(sampleFile(dir, put.id));
    expect(onDisk.length).toBe(PATIENT.length + 8 + 8 + 12 + 16);
    expect(onDisk.includes(Buffer.from('PATIENT'))).toBe(false);
    // Metadata (a file name can be a patient's name) is encrypted too.
    expect(readFileSync(sampleFile(dir, put.id).replace('.sample', '.meta')).includes(Buffer.from('Aroha'))).toBe(false);
    expect(statSync(sampleFile(dir, put.id)).mode & 0o777).toBe(0o600);
    expect(logEntries(logPath)).toEqual([]);

    const got = await vault.get(put.id, { actor: 'analyst@example.org', purpose: 'confirm match for case-7' });
    expect(await readAll(got.stream)).toEqual(PATIENT);
    expect(got.meta).toMatchObject({ fileName: 'Aroha Citizen MRI.pdf', bytes: PATIENT.length });
    expect(logEntries(logPath)).toMatchObject([{ type: 'access', subject: put.id, actor: 'analyst@example.org', details: { purpose: 'confirm match for case-7' } }]);

    const dest = join(dir, 'out.bin');
    const exp = await vault.export(put.id, dest, { actor: 'counsel@example.org', purpose: 'court bundle' });
    expect(exp).toEqual({ path: dest, sha256: sha, bytes: PATIENT.length });
    expect(readFileSync(dest)).toEqual(PATIENT);
    expect(logEntries(logPath).map((e) => [e.type, e.actor])).toEqual([['access', 'analyst@example.org'], ['export', 'counsel@example.org']]);
    expect(logEntries(logPath)[1]?.details).toMatchObject({ purpose: 'court bundle', destination: dest });
    expect(verifyCustodyLog({ text: readFileSync(logPath, 'utf8'), publicKey: custodyKey.publicKey, head: readFileSync(`${logPath}.head`, 'utf8') }).ok).toBe(true);
    await expect(vault.export(put.id, dest, { actor: 'x', purpose: 'y' })).rejects.toMatchObject({ code: 'E_EVIDENCE_EXISTS' });
  });

  it('streams: a large sample goes through in chunks and two copies of the same bytes use different nonces', async () => {
    const { vault, dir } = setup();
    const chunk = randomBytes(1024 * 1024);
    const chunks = 24;
    const hash = createHash('sha256');
    for (let i = 0; i < chunks; i++) hash.update(chunk);
    async function* gen(): AsyncGenerator<Buffer> {
      for (let i = 0; i < chunks; i++) yield chunk;
    }
    const put = await vault.put(Readable.from(gen()), {});
    expect(put.bytes).toBe(chunks * chunk.length);
    expect(put.id).toBe(hash.digest('hex'));
    const got = await vault.get(put.id, { actor: 'a', purpose: 'p' });
    const check = createHash('sha256');
    let n = 0;
    for await (const c of got.stream) {
      check.update(c as Buffer);
      n++;
    }
    expect(check.digest('hex')).toBe(put.id);
    expect(n).toBeGreaterThan(1);
    // From a path too; same content is stored once.
    const src = join(dir, 'file.bin');
    writeFileSync(src, PATIENT);
    const a = await vault.put(src, {});
    const other = setup();
    const b = await other.vault.put(src, {});
    expect(a.id).toBe(b.id);
    const nonceOf = (d: string, id: string): string => readFileSync(sampleFile(d, id)).subarray(16, 28).toString('hex');
    expect(nonceOf(dir, a.id)).not.toBe(nonceOf(other.dir, b.id));
  });

  it('detects tampering (GCM tag) anywhere in the file', async () => {
    const { vault, dir } = setup();
    const put = await vault.put(Readable.from([PATIENT]), {});
    const file = sampleFile(dir, put.id);
    for (const offset of [40, 5000, statSync(file).size - 3]) {
      const fd = openSync(file, 'r+');
      const b = Buffer.alloc(1);
      readSync(fd, b, 0, 1, offset);
      writeSync(fd, Buffer.from([(b[0] as number) ^ 0x01]), 0, 1, offset);
      await expect(readAll((await vault.get(put.id, { actor: 'a', purpose: 'p' })).stream)).rejects.toMatchObject({ code: 'E_VAULT_TAMPERED' });
      // An export never leaves an unverified file behind.
      const dest = join(dir, `out-${offset}.bin`);
      await expect(vault.export(put.id, dest, { actor: 'a', purpose: 'p' })).rejects.toMatchObject({ code: 'E_VAULT_TAMPERED' });
      expect(existsSync(dest)).toBe(false);
      writeSync(fd, b, 0, 1, offset);
      closeSync(fd);
    }
    expect(await readAll((await vault.get(put.id, { actor: 'a', purpose: 'p' })).stream)).toEqual(PATIENT);
    expect(readdirSync(dir).filter((n) => n.startsWith('.export'))).toEqual([]);
  });

  it('refuses the wrong key, naming both key ids', async () => {
    const { vault, dir, logPath } = setup();
    const put = await vault.put(Readable.from([PATIENT]), {});
    const wrong: VaultKey = { key: randomBytes(32), source: 'test', keyId: '' };
    wrong.keyId = createHash('sha256').update('leakwatch vault key\n').update(wrong.key).digest('hex').slice(0, 16);
    const log = CustodyLog.open(logPath, { key: custodyKey });
    const other = SampleVault.open({ dir: join(dir, 'samples'), key: wrong, custodyLog: log });
    await expect(other.get(put.id, { actor: 'a', purpose: 'p' })).rejects.toMatchObject({ code: 'E_VAULT_KEY' });
    // Same key id forged into the header: the GCM tag still fails (the header is authenticated).
    const forged: VaultKey = { ...wrong, keyId: vaultKey.keyId };
    const third = SampleVault.open({ dir: join(dir, 'samples'), key: forged, custodyLog: log });
    await expect(third.get(put.id, { actor: 'a', purpose: 'p' }).then((g) => readAll(g.stream))).rejects.toMatchObject({ code: 'E_VAULT_TAMPERED' });
  });

  it('takes the key from $LEAKWATCH_VAULT_KEY, and refuses to run without one', () => {
    const hex = randomBytes(32).toString('hex');
    expect(loadVaultKey(join(tmp(), 'none'), { LEAKWATCH_VAULT_KEY: hex }).source).toBe('LEAKWATCH_VAULT_KEY');
    expect(() => loadVaultKey(join(tmp(), 'none'), {})).toThrow(expect.objectContaining({ code: 'E_VAULT_KEY' }));
    expect(() => SampleVault.open({ dir: tmp() })).toThrow(expect.objectContaining({ code: 'E_VAULT_KEY' }));
  });

  it('needs an actor, a purpose and a custody log to read anything', async () => {
    const { vault } = setup();
    const put = await vault.put(Readable.from([PATIENT]), {});
    await expect(vault.get(put.id, { actor: '', purpose: 'p' })).rejects.toMatchObject({ code: 'E_USAGE' });
    const noLog = SampleVault.open({ dir: join(tmp(), 's'), key: vaultKey });
    const p2 = await noLog.put(Readable.from([PATIENT]), {});
    await expect(noLog.get(p2.id, { actor: 'a', purpose: 'p' })).rejects.toMatchObject({ code: 'E_USAGE' });
  });

  it('in hashes-only mode keeps no content at all', async () => {
    const { vault, dir } = setup('hashes-only');
    const put = await vault.put(Readable.from([PATIENT]), { fileName: 'Aroha Citizen MRI.pdf' });
    expect(put).toMatchObject({ bytes: PATIENT.length, encrypted: false });
    const files = readdirSync(join(dir, 'samples', put.id.slice(0, 2)));
    expect(files).toEqual([`${put.id}.json`]);
    const record = readFileSync(join(dir, 'samples', put.id.slice(0, 2), files[0] as string), 'utf8');
    expect(record).not.toContain('PATIENT');
    expect(record).not.toContain('Aroha');
    expect(vault.has(put.id)).toBe(true);
    await expect(vault.get(put.id, { actor: 'a', purpose: 'p' })).rejects.toMatchObject({ code: 'E_VAULT_NOT_FOUND' });
  });
});
