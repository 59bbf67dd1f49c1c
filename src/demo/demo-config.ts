import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The demo's leakwatch.yaml: the loopback proxy, the simulator's site definitions, a log alert channel. */
export function requireConfigFile(dir: string, o: { socksPort: number; sitesDir: string; sites: string[] }): string {
  const file = join(dir, 'leakwatch.yaml');
  writeFileSync(
    file,
    [
      '# Written by `leakwatch demo`. The SOCKS proxy is the demo\'s loopback stand-in for Tor.',
      `tor: { socksHost: 127.0.0.1, socksPort: ${o.socksPort} }`,
      'dataDir: data',
      'fingerprintsDir: fingerprints',
      `sitesDir: ${JSON.stringify(o.sitesDir)}`,
      'limits: { connectTimeoutMs: 5000, pageTimeoutMs: 20000, idleTimeoutMs: 5000, retries: 1, perHostDelayMs: 0 }',
      'alerts:',
      '  channels:',
      '    - { name: log, type: log }',
    ].join('\n') + '\n',
  );
  return file;
}
