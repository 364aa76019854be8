import { describe, expect, it } from 'vitest';
import type { ExploreCheck, RunProgram } from '../../src/explore/judge-run.js';
import { shrinkFailure, shrinkFindings } from '../../src/explore/shrink-failure.js';
import type { ExecutedRun } from '../../src/runner/protocol.js';
import { inWindows, type FaultPlan } from '../../src/sim/faults.js';

/** Fails when payment is down at 1250 ms and 1259 ms, and the error rate of orders is at least 10%: nothing else matters. */
const breaksAt = (faults: FaultPlan) => {
  const down = faults.services?.['payment']?.down;
  return inWindows(1250, down) && inWindows(1259, down) && (faults.services?.['orders']?.errorRate ?? 0) >= 0.1;
};
const tries: FaultPlan[] = [];
const program: RunProgram = async (seed, faults) => {
  tries.push(faults);
  const run: ExecutedRun = { status: 'ok', events: [], traceHash: '', eventsRun: 0, virtualTime: 0, droppedLogs: 0, result: { broken: breaksAt(faults), seed } };
  return run;
};
const CHECKS: ExploreCheck[] = [{ id: 'works', title: 'works', check: (run) => ((run.result as { broken: boolean }).broken ? { passed: false, message: 'it broke' } : { passed: true, message: 'fine' }) }];

const FOUND: FaultPlan = {
  services: {
    payment: { errorRate: 0.2, latency: { kind: 'uniform', min: 0, max: 900 }, down: [{ from: 300, to: 700 }, { from: 1200, to: 4800 }] },
    orders: { errorRate: 0.8 },
  },
  queues: { q: { duplicateRate: 0.5, crashBeforeAckRate: 0.1 } },
};

describe('shrinkFailure', () => {
  it('removes the faults that do not matter and makes the others as small as still fails, with the same seed', async () => {
    tries.length = 0;
    const r = await shrinkFailure({ run: program, seed: 3, faults: FOUND, target: 'check:works', checks: CHECKS });
    expect(r.ended).toBe('minimal');
    expect(r.shrunk).toEqual({ services: { payment: { down: [{ from: 1200, to: 1313 }] }, orders: { errorRate: 0.1 } } });
    expect(r.diff).toBe('removed 5 of 7 faults; payment down 1200–4800 ms → 1200–1313 ms; orders errors 80% → 10%');
    expect(r.message).toBe('it broke');
    expect(breaksAt(r.shrunk)).toBe(true);
    expect(r.runs).toBe(tries.length);
    expect(r.runs).toBeLessThan(60);
    expect(r.original).toBe(FOUND);
  });

  it('stops at its run budget with the smallest failing plan found so far', async () => {
    const r = await shrinkFailure({ run: program, seed: 3, faults: FOUND, target: 'check:works', checks: CHECKS, maxRuns: 6 });
    expect(r).toMatchObject({ ended: 'runs', runs: 6 });
    expect(breaksAt(r.shrunk)).toBe(true);
    expect(JSON.stringify(r.shrunk).length).toBeLessThan(JSON.stringify(FOUND).length);
  });

  it('stops at its time budget, and when stopped', async () => {
    let t = 0;
    expect(await shrinkFailure({ run: program, seed: 3, faults: FOUND, target: 'check:works', checks: CHECKS, clock: () => (t += 100), maxMs: 1_000 })).toMatchObject({ ended: 'time' });
    const stop = new AbortController();
    const r = await shrinkFailure({ run: program, seed: 3, faults: FOUND, target: 'check:works', checks: CHECKS, signal: stop.signal, onSmaller: () => stop.abort() });
    expect(r.ended).toBe('stopped');
    expect(breaksAt(r.shrunk)).toBe(true);
  });

  it('says so when the failure does not happen again', async () => {
    const r = await shrinkFailure({ run: program, seed: 3, faults: {}, target: 'check:works', checks: CHECKS });
    expect(r).toMatchObject({ ended: 'not-reproduced', runs: 1, shrunk: {}, diff: 'no change' });
    expect(r.message).toBeUndefined();
  });

  it('shrinks an error group like a check: a program that fails without faults ends with none', async () => {
    const failing: RunProgram = async () => ({ status: 'error', error: { kind: 'runtime', message: 'boom 17' }, events: [], traceHash: '', eventsRun: 0, virtualTime: 0, droppedLogs: 0 });
    const [r] = await shrinkFindings(
      { checks: [], errors: [{ key: 'error:runtime: boom #', kind: 'runtime', message: 'boom 17', count: 3, firstSeed: 1, firstFaults: FOUND }] },
      { run: failing },
    );
    expect(r).toMatchObject({ target: 'error:runtime: boom #', ended: 'minimal', shrunk: {}, diff: 'removed all 7 faults', runs: 2 });
  });
});
