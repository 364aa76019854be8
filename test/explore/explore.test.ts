import { describe, expect, it } from 'vitest';
import { explore, type ExploreProgress, type ExploreResult } from '../../src/explore/explore.js';
import { groupedMessage } from '../../src/explore/explore-tally.js';
import { exploreSeeds, faultPlanFor } from '../../src/explore/explore-request.js';
import { targetOf, type ExploreCheck, type RunProgram } from '../../src/explore/judge-run.js';
import type { ExecutedRun } from '../../src/runner/protocol.js';
import type { FaultSpace } from '../../src/sim/fault-space.js';
import type { FaultPlan } from '../../src/sim/faults.js';

const SPACE: FaultSpace = {
  services: { payment: { errorRate: { chance: 0.5, min: 0, max: 0.6 } } },
  queues: { 'payment.orders': { duplicateRate: { chance: 0.3, min: 0, max: 0.8 } } },
};
const SEEDS = exploreSeeds(7, 120);

/** A program that does nothing but say which plan it got: checks read `result`. */
const echo =
  (more: (faults: FaultPlan) => Partial<ExecutedRun> = () => ({})): RunProgram =>
  async (seed, faults) => ({ status: 'ok', events: [], traceHash: '', eventsRun: 0, virtualTime: 100, droppedLogs: 0, result: { seed, faults }, ...more(faults) });

const planOf = (run: ExecutedRun) => (run.result as { faults: FaultPlan }).faults;
const CHECKS: ExploreCheck[] = [
  {
    id: 'no-duplicates',
    title: 'no message is delivered twice',
    check: (run) => {
      const rate = planOf(run).queues?.['payment.orders']?.duplicateRate;
      return rate ? { passed: false, message: rate > 0.4 ? 'many duplicates' : 'a few duplicates' } : { passed: true, message: 'none' };
    },
  },
  { id: 'always', title: 'holds', check: () => ({ passed: true, message: 'ok' }) },
];

const withoutTimes = ({ wallMs: _w, runsPerSecond: _r, ...rest }: ExploreResult) => rest;

describe('explore', () => {
  it('counts every check over the seeds, groups their messages and keeps the first failing cases in seed order', async () => {
    const result = await explore({ run: echo(), seeds: SEEDS, space: SPACE, checks: CHECKS, maxFailingCases: 5 });
    const duplicated = SEEDS.map((seed, index) => ({ seed, index, rate: faultPlanFor(SPACE, seed).queues?.['payment.orders']?.duplicateRate })).filter((s) => s.rate);
    expect(duplicated.length).toBeGreaterThan(15);
    expect(result).toMatchObject({ total: 120, runs: 120, stopped: false, failedRuns: duplicated.length, passedRuns: 120 - duplicated.length, errors: [] });
    const [dup, always] = result.checks;
    expect(dup).toMatchObject({ key: 'check:no-duplicates', kind: 'check', title: 'no message is delivered twice', passed: 120 - duplicated.length, failed: duplicated.length, otherMessages: 0 });
    expect(dup!.messages.map((m) => m.message).sort()).toEqual(['a few duplicates', 'many duplicates']);
    expect(dup!.messages.reduce((n, m) => n + m.count, 0)).toBe(duplicated.length);
    expect(dup!.firstFailure).toEqual({ index: duplicated[0]!.index, seed: duplicated[0]!.seed, faults: faultPlanFor(SPACE, duplicated[0]!.seed), failed: ['check:no-duplicates'] });
    expect(always).toMatchObject({ key: 'check:always', passed: 120, failed: 0, messages: [] });
    expect(always!.firstFailure).toBeUndefined();
    // Bounded: the first five failing seeds with their plans, the rest counted.
    expect(result.failures.map((f) => f.seed)).toEqual(duplicated.slice(0, 5).map((d) => d.seed));
    expect(result.omittedFailures).toBe(duplicated.length - 5);
  });

  it('counts the same problem as one message whatever number of other cases a run had ("and N more")', async () => {
    const charged: ExploreCheck = {
      id: 'charged-once',
      title: 'no order is charged twice',
      check: (run) => {
        const others = Math.round((planOf(run).services?.['payment']?.errorRate ?? 0) * 10) % 3;
        return { passed: false, message: `order-1 was charged 2 times${others ? ` (and ${others} more)` : ''}` };
      },
    };
    const result = await explore({ run: echo(), seeds: SEEDS.slice(0, 40), space: SPACE, checks: [charged] });
    expect(result.checks[0]!.messages).toEqual([expect.objectContaining({ message: 'order-1 was charged 2 times', count: 40 })]);
  });

  it('counts the same problem as one message whatever ids each seed drew for its messages', async () => {
    let n = 0;
    const id = () => `${((++n * 2654435761) >>> 0).toString(16).padStart(8, '0')}-5f3a-4abc-9507-${String(n).padStart(12, '0')}`;
    const once: ExploreCheck = {
      id: 'once',
      title: 'each message applied once',
      check: () => ({ passed: false, message: `payment applied "charge" for order-1 2 times for one message (${id()}): a redelivery was processed again` }),
    };
    const result = await explore({ run: echo(), seeds: SEEDS.slice(0, 30), space: SPACE, checks: [once] });
    expect(result.checks[0]!.messages).toEqual([expect.objectContaining({ message: 'payment applied "charge" for order-1 2 times for one message (…): a redelivery was processed again', count: 30 })]);
    expect(groupedMessage('message 9875dc76-5f3a-4abc-9507-18c80a2d4f88 was lost (and 2 more)')).toBe('message … was lost');
    expect(groupedMessage('order-12 was charged 2 times')).toBe('order-12 was charged 2 times');
    // The examples' own checks list the first few violations and count the rest.
    expect(groupedMessage('order-2 is "pending"; order-1 was charged 2 times (25 + 25); and 11 more.')).toBe('order-2 is "pending"; order-1 was charged 2 times (25 + 25).');
  });

  it('counts checks that share an id each on its own (examples repeat ids across exercises)', async () => {
    const twice: ExploreCheck[] = [CHECKS[0]!, { ...CHECKS[1]!, id: 'no-duplicates', title: 'the other one' }];
    const result = await explore({ run: echo(), seeds: SEEDS.slice(0, 10), space: SPACE, checks: twice });
    expect(result.checks.map((c) => [c.key, c.title, c.passed + c.failed])).toEqual([
      ['check:no-duplicates', 'no message is delivered twice', 10],
      ['check:no-duplicates#2', 'the other one', 10],
    ]);
    expect(result.checks[1]!.failed).toBe(0);
    expect(targetOf('check:no-duplicates#2')).toEqual({ kind: 'check', id: 'no-duplicates#2' });
    expect(targetOf('invariant:a: b')).toEqual({ kind: 'invariant', name: 'a: b' });
    expect(targetOf('error:runtime: Error: boom #')).toEqual({ kind: 'error', key: 'runtime: Error: boom #' });
  });

  it('gives the same findings with several runners finishing in any order, and spreads the seeds over them', async () => {
    const single = await explore({ run: echo(), seeds: SEEDS, space: SPACE, checks: CHECKS, maxFailingCases: 5 });
    const used = [0, 0, 0];
    const slow = (i: number): RunProgram => async (seed, faults, signal) => {
      used[i]!++;
      await new Promise((r) => setTimeout(r, (Number(seed) * 7 + i * 3) % 4));
      return echo()(seed, faults, signal);
    };
    const several = await explore({ run: [slow(0), slow(1), slow(2)], seeds: SEEDS, space: SPACE, checks: CHECKS, maxFailingCases: 5 });
    expect(withoutTimes(several)).toEqual(withoutTimes(single));
    for (const n of used) expect(n).toBeGreaterThan(20);
    expect(used.reduce((a, b) => a + b)).toBe(120);
  });

  it('reports progress while it runs and once at the end', async () => {
    let t = 0;
    const seen: number[] = [];
    const result = await explore({
      run: echo(),
      seeds: SEEDS,
      space: SPACE,
      clock: () => (t += 10), // each reading 10 ms later
      progressEveryMs: 200,
      onProgress: (p) => {
        seen.push(p.done);
        expect(p.total).toBe(120);
        expect(p.runsPerSecond).toBeGreaterThan(0);
      },
    });
    expect(seen.at(-1)).toBe(120);
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.length).toBeLessThan(30);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(result.runsPerSecond).toBeGreaterThan(0);
  });

  it('says in each progress what has failed most so far, and ends with the final counts', async () => {
    const seen: ExploreProgress[] = [];
    let t = 0;
    const failing: RunProgram = async (seed, faults) => ({ ...(await echo()(seed, faults)), ...(String(seed).endsWith('7') ? { status: 'error', error: { kind: 'runtime', message: 'boom at 12 ms' } } : {}) });
    const result = await explore({ run: failing, seeds: SEEDS, space: SPACE, checks: CHECKS, clock: () => (t += 10), progressEveryMs: 100, onProgress: (p) => seen.push(p) });
    const early = seen.find((p) => p.failing.length > 0)!;
    expect(early.done).toBeLessThan(60);
    const last = seen.at(-1)!;
    const duplicates = result.checks.find((c) => c.key === 'check:no-duplicates')!;
    const errors = result.errors[0]!;
    expect(last.failing.map((f) => f.failed)).toEqual([duplicates.failed, errors.count].sort((a, b) => b - a));
    expect(last.failing.find((f) => f.key === 'check:no-duplicates')?.title).toBe('no message is delivered twice');
    expect(last.failing.find((f) => f.key.startsWith('error:'))?.title).toBe('boom at 12 ms');
    expect(last.failing.some((f) => f.key === 'check:always')).toBe(false);
    for (const p of seen) expect(p.failing.length).toBeLessThanOrEqual(3);
  });

  it('stop keeps what was found; the run it cut short is not counted', async () => {
    const stop = new AbortController();
    let calls = 0;
    const run: RunProgram = async (seed, faults, signal) => {
      if (++calls === 31) {
        stop.abort('user');
        expect(signal?.aborted).toBe(true);
        return { ...(await echo()(seed, faults)), status: 'stopped', error: { kind: 'stopped', message: 'Stopped.' } };
      }
      return echo()(seed, faults);
    };
    const result = await explore({ run, seeds: SEEDS, space: SPACE, checks: CHECKS, signal: stop.signal });
    expect(calls).toBe(31);
    expect(result).toMatchObject({ stopped: true, runs: 30, total: 120, errors: [] });
    expect(result.checks[0]!.passed + result.checks[0]!.failed).toBe(30);
  });

  it("counts the program's invariants beside the checks, and a runner that fails as an error of the run", async () => {
    const run: RunProgram = async (seed, faults) => {
      if (seed === 9) throw new Error('the sandbox went away');
      return echo((f) => ({ invariants: [{ name: 'no errors injected', ...(f.services ? { passed: false, message: 'errors injected' } : { passed: true }) }] }))(seed, faults);
    };
    const result = await explore({ run, seeds: SEEDS.slice(0, 20), space: SPACE });
    expect(result.checks.map((c) => [c.key, c.kind, c.passed + c.failed])).toEqual([['invariant:no errors injected', 'invariant', 19]]);
    expect(result.errors).toEqual([
      { key: 'error:sandbox: The runner failed: the sandbox went away', kind: 'sandbox', message: 'The runner failed: the sandbox went away', count: 1, firstSeed: 9, firstFaults: faultPlanFor(SPACE, 9) },
    ]);
  });
});
