import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packTrace } from '../../../src/runner/worker/packed-trace.js';
import { hashTrace, type TraceEvent } from '../../../src/sim/trace.js';
import { runSource } from '../node-run.js';

describe('packTrace', () => {
  it('gives the JSON and the hash of a real trace, as JSON.stringify and hashTrace do', async () => {
    const code = readFileSync(new URL('../../../examples/choreography-saga/main.ts', import.meta.url), 'utf8');
    const run = await runSource(code, { seed: 'choreo-1', faults: { queues: { 'payment-service.OrderCreated': { duplicateRate: 0.4 } } } });
    expect(run.events.length).toBeGreaterThan(100);
    const packed = packTrace(run.events);
    expect(packed.json).toBe(JSON.stringify(run.events));
    expect(packed.hash).toBe(hashTrace(run.events));
    expect(packed.hash).toBe(run.traceHash);
  });

  it('hashes a trace of several megabytes in chunks as hashTrace does', () => {
    const events = Array.from({ length: 3_000 }, (_, seq) => ({ seq, time: seq, kind: 'log', source: 'x', level: 'info', message: `line ${seq} ${'é→'.repeat(400)}` }) as unknown as TraceEvent);
    expect(JSON.stringify(events).length).toBeGreaterThan(2 * (1 << 20));
    const packed = packTrace(events);
    expect(packed.hash).toBe(hashTrace(events));
    expect(packed.json).toBe(JSON.stringify(events));
  });

  it('packs an empty trace', () => {
    expect(packTrace([])).toEqual({ json: '[]', hash: hashTrace([]) });
  });
});
