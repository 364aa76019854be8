import { describe, expect, it } from 'vitest';
import type { Example } from '../../../examples/types.js';
import type { PoolRequest, RunReport, SeedRun } from '../../../src/runner/protocol.js';
import type { AppRunner } from '../../../src/ui/app-deps.js';
import { ScheduleChecks } from '../../../src/ui/app/schedule-checks.js';
import type { ExploringExercise, ScheduleVerdict } from '../../../src/ui/exercise-explore.js';
import { FakeRunner, fakeExamples } from '../fake-app-deps.js';
import { FakeHost } from './fake-host.js';

const base = fakeExamples()[0]!;
/** Fails the runs whose seed ends in 3 or 7 (the fake runner echoes the seed as the result). */
const exercise: ExploringExercise = {
  id: 'schedules',
  title: 'Over schedules',
  task: '',
  hint: '',
  solution: '',
  explore: { runs: 30, space: {} },
  checks: [{ id: 'lucky', title: 'no unlucky seed', check: (r) => ({ passed: !/[37]$/.test(String(r.result)), message: `seed ${String(r.result)} is unlucky` }) }],
};
const example: Example = { ...base, exercises: [...base.exercises, exercise] };
/** Gives the fake runner a pool (the sandbox's pool of Workers). */
const withPool = (runner: FakeRunner, openPool: NonNullable<AppRunner['openPool']>) => Object.assign(runner, { openPool });
const echoSeed = (runner: FakeRunner) => (runner.answer = (r) => ({ result: r.seed }));

function setup(runner = new FakeRunner()) {
  const host = new FakeHost();
  const verdicts: ScheduleVerdict[] = [];
  const checks = new ScheduleChecks(host, { runner: () => runner, onVerdict: (_e, _x, v) => void verdicts.push(v) });
  echoSeed(runner);
  return { host, runner, checks, verdicts };
}

describe('ScheduleChecks', () => {
  it('without a pool, runs the code seed after seed through the sandbox, judges it and hands on the verdict', async () => {
    const { runner, checks, verdicts, host } = setup();
    const done = checks.check(example, exercise, 'the code');
    expect(checks.running).toBe(true);
    expect(checks.state('schedules')).toMatchObject({ kind: 'running', done: 0, total: 30 });
    await done;
    expect(runner.requests).toHaveLength(30);
    expect(runner.requests.every((r) => r.code === 'the code')).toBe(true);
    expect(runner.requests.map((r) => r.seed)).toEqual(Array.from({ length: 30 }, (_, i) => 7 + i)); // from the example's seed
    const state = checks.state('schedules');
    expect(state?.kind).toBe('done');
    const verdict = (state as { verdict: ScheduleVerdict }).verdict;
    expect(verdict.checks[0]).toMatchObject({ key: 'schedules:lucky', passed: false, failedRuns: 6, runs: 30 });
    expect(verdict.checks[0]!.message).toMatch(/^Failed in 6 of 30 schedules: seed 7 is unlucky\. Simplest case found: seed 7 \(no faults\)\.$/);
    expect(verdicts).toEqual([verdict]);
    expect(checks.running).toBe(false);
    expect(host.updates).toBeGreaterThan(1);
  });

  it('uses the pool when the runner has one, and closes it', async () => {
    const runner = new FakeRunner();
    let closed = 0;
    const pooled: PoolRequest[] = [];
    withPool(runner, async (request) => {
      pooled.push(request);
      const one: SeedRun = (seed) => Promise.resolve({ status: 'ok', events: [], traceHash: '', eventsRun: 0, virtualTime: 0, droppedLogs: 0, result: seed });
      return { ok: true, runners: [one, one], close: () => void closed++ };
    });
    const { checks, verdicts } = setup(runner);
    await checks.check(example, exercise, 'pooled code');
    expect(pooled).toEqual([{ code: 'pooled code' }]);
    expect(runner.requests).toEqual([]);
    expect(closed).toBe(1);
    expect(verdicts[0]!.runs).toBe(30);
  });

  it('a Stop keeps what was found, unsaved; code that cannot run says why', async () => {
    const { runner, checks, verdicts } = setup();
    runner.hold = true;
    const done = checks.check(example, exercise, 'code');
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 0));
      runner.release();
    }
    checks.stop();
    runner.answer = (r) => ({ result: r.seed, status: 'stopped' });
    runner.release();
    await done;
    expect(runner.stops).toBe(1);
    const state = checks.state('schedules') as { kind: 'done'; verdict: ScheduleVerdict };
    expect(state.verdict.stopped).toBe(true);
    expect(state.verdict.runs).toBeGreaterThan(0);
    expect(state.verdict.runs).toBeLessThan(30);
    expect(verdicts).toEqual([]);

    withPool(runner, async () => ({ ok: false, report: { status: 'error', error: { kind: 'transpile', message: 'Unexpected token (3:4)' } } as unknown as RunReport }));
    await checks.check(example, exercise, 'bad code');
    expect(checks.state('schedules')).toEqual({ kind: 'error', message: 'Unexpected token (3:4)' });
  });

  it('gives the sandbox up to a single run when it shares it, and forgets everything for another example', async () => {
    const { runner, checks } = setup();
    runner.hold = true;
    const done = checks.check(example, exercise, 'code');
    await new Promise((r) => setTimeout(r, 0));
    checks.yieldRunner();
    runner.answer = (r) => ({ result: r.seed, status: 'stopped' });
    runner.release();
    await done;
    expect((checks.state('schedules') as { verdict: ScheduleVerdict }).verdict.stopped).toBe(true);
    checks.reset();
    expect(checks.state('schedules')).toBeUndefined();
  });
});
