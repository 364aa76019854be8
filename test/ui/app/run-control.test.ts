import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunReport } from '../../../src/runner/protocol.js';
import { RunControl } from '../../../src/ui/app/run-control.js';
import { FakeRunner } from '../fake-app-deps.js';
import { FakeHost } from './fake-host.js';

function setup(runner = new FakeRunner()) {
  const host = new FakeHost();
  const reports: RunReport[] = [];
  const errors: string[] = [];
  let code = 'v1';
  const runs = new RunControl(host, {
    runner: () => runner,
    request: () => ({ code, seed: 4 }),
    onReport: (r) => reports.push(r),
    onError: (m) => errors.push(m),
  });
  return { host, runner, runs, reports, errors, setCode: (c: string) => (code = c) };
}

describe('RunControl', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs what is on screen and hands on the report', async () => {
    const { runs, runner, reports } = setup();
    const done = runs.runNow();
    expect(runs.running).toBe(true);
    await done;
    expect(runner.requests).toEqual([{ runId: 'run-1', code: 'v1', seed: 4 }]);
    expect(reports.map((r) => r.traceHash)).toEqual(['hash-1']);
    expect(runs.state).toEqual({ kind: 'idle' });
  });

  it('waits for a pause before a scheduled run, and a later schedule replaces an earlier one', async () => {
    const { runs, runner, setCode } = setup();
    runs.schedule(700);
    await vi.advanceTimersByTimeAsync(500);
    setCode('v2');
    runs.schedule(700);
    await vi.advanceTimersByTimeAsync(600);
    expect(runner.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(runner.requests.map((r) => r.code)).toEqual(['v2']);
  });

  it('reports only the latest run when runs overlap', async () => {
    const { runs, runner, reports } = setup();
    runner.hold = true;
    const first = runs.runNow();
    const second = runs.runNow();
    runner.release();
    await Promise.all([first, second]);
    expect(reports.map((r) => r.runId)).toEqual(['run-2']);
  });

  it('stops and forgets the run of an example the learner left', async () => {
    const { runs, runner, reports } = setup();
    runner.hold = true;
    const run = runs.runNow();
    runs.abandon();
    expect(runner.stops).toBe(1);
    expect(runs.running).toBe(false);
    runner.release();
    await run;
    expect(reports).toEqual([]);
    runs.abandon();
    expect(runner.stops).toBe(1); // nothing under way: nothing to stop
  });

  it('hands on a stopped run, even one that did nothing, so that the last run shown is this one', async () => {
    const { runs, runner, reports } = setup();
    await runs.runNow();
    runner.answer = () => ({ status: 'stopped', events: [], error: { kind: 'stopped', message: 'You stopped the run.' } });
    await runs.runNow();
    expect(reports.map((r) => [r.status, r.events.length])).toEqual([
      ['ok', 1],
      ['stopped', 0],
    ]);
  });

  it('says so when the run cannot start, and is ready to run again', async () => {
    const runner = new FakeRunner();
    runner.run = () => Promise.reject(new Error('sandbox gone'));
    const { runs, errors } = setup(runner);
    await runs.runNow();
    expect(errors).toEqual(['The run could not start (sandbox gone). Try Run again.']);
    expect(runs.running).toBe(false);
  });

  it('drops a scheduled run when the page goes away', async () => {
    const { runs, runner, host } = setup();
    runs.schedule(0);
    host.disconnect();
    await vi.advanceTimersByTimeAsync(10);
    expect(runner.requests).toHaveLength(0);
  });
});
