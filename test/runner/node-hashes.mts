// Prints the trace hashes of the determinism fixtures as Node computes them (JSON on stdout).
// Run by web-test-runner.config.mjs (`node --import tsx test/runner/node-hashes.mts`) so the
// browser test can compare them with the sandbox's.
import { DETERMINISM_FIXTURES } from './fixtures.js';
import { runSource } from './node-run.js';

const out: Record<string, { traceHash: string; status: string; events: number }> = {};
for (const [name, f] of Object.entries(DETERMINISM_FIXTURES)) {
  const run = await runSource(f.code, { seed: f.seed, ...(f.faults ? { faults: f.faults } : {}) });
  out[name] = { traceHash: run.traceHash, status: run.status, events: run.events.length };
}
process.stdout.write(JSON.stringify(out));
