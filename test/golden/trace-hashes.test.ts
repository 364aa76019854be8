/**
 * Behaviour lock: every example, every reference solution and every
 * exercise's own starting code, run with the example's own seed and fault
 * plan, gives the trace hash recorded in trace-hashes.json. A refactoring must leave these unchanged; a change that
 * means to alter behaviour updates the file on purpose with
 * `UPDATE_TRACE_HASHES=1 npx vitest run test/golden`, and says why in its commit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAllExamples } from '../../examples/index.js';
import { runSource } from '../runner/node-run.js';

const file = fileURLToPath(new URL('./trace-hashes.json', import.meta.url));
const update = process.env['UPDATE_TRACE_HASHES'] === '1';
const recorded: Record<string, { traceHash: string; events: number; status: string }> = update
  ? {}
  : JSON.parse(readFileSync(file, 'utf8'));
const seen: typeof recorded = {};

const examples = await loadAllExamples();
const programs = examples.flatMap((e) => [
  { name: `${e.id}`, example: e, code: e.code },
  ...e.exercises.map((x) => ({ name: `${e.id}/${x.id}`, example: e, code: x.solution })),
  // An exercise's own starting code, where it has one.
  ...e.exercises.flatMap((x) => (x.starter !== undefined ? [{ name: `${e.id}/${x.id}/starter`, example: e, code: x.starter }] : [])),
]);

describe('trace hashes', () => {
  it.each(programs.map((p) => [p.name, p] as const))('%s gives its recorded trace', async (name, p) => {
    const run = await runSource(p.code, { seed: p.example.seed, ...(p.example.faults ? { faults: p.example.faults } : {}) });
    const got = { traceHash: run.traceHash, events: run.events.length, status: run.status };
    seen[name] = got;
    if (!update) expect(got, `${name} changed behaviour`).toEqual(recorded[name]);
  });

  it('records every program and nothing else', () => {
    if (!update) expect(Object.keys(recorded).sort()).toEqual(programs.map((p) => p.name).sort());
  });

  afterAll(() => {
    if (update) writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(seen).sort(([a], [b]) => a.localeCompare(b))), null, 2) + '\n');
  });
});
