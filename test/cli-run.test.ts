import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/index.js';

describe('run(argv)', () => {
  it('prints help and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Usage: leakwatch');
  });

  it('prints the version from package.json', async () => {
    const r = await run(['--version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('rejects an unknown option with exit code 2 and says why', async () => {
    const r = await run(['--no-such-option']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--no-such-option'/);
  });
});
