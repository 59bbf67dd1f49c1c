import { run } from './run.js';

// The process entry: wires the CLI to the real terminal and turns signals into an abort.
const controller = new AbortController();
let signals = 0;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    signals += 1;
    if (signals > 1) process.exit(130);
    process.stderr.write(`\nleakwatch: ${sig} received, stopping (work done so far is kept)\n`);
    controller.abort(new Error(sig));
  });
}

const result = await run(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stderr.isTTY),
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = result.exitCode;
