import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/index.js';

describe('run(argv)', () => {
  it('prints help and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Usage: leakwatch');
  });

  it('rejects an unknown command with exit code 2 and says why', async () => {
    const r = await run(['no-such-command']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown command/);
  });
});
