// Runs one program in a fresh Node process, as the page's sandbox would, and prints
// { status, traceHash, error, events } as JSON. Input on stdin: { code, seed, faults? }.
// A process of its own keeps the run's virtual timers away from anything else
// the caller has going (a browser connection, a test runner).
import { readFileSync } from 'node:fs';
import { runSource } from './node-run.js';

const input = JSON.parse(readFileSync(0, 'utf8')) as { code: string; seed: string | number; faults?: Record<string, unknown> };
const run = await runSource(input.code, { seed: input.seed, ...(input.faults ? { faults: input.faults } : {}) });
process.stdout.write(JSON.stringify({ status: run.status, traceHash: run.traceHash, error: run.error, events: run.events.length }));
