import { describe, expect, it } from 'vitest';
import { checkExploreRequest, counterexampleOf, exploreSeeds, faultPlanFor, requestProgram, type ExploreRequest, type RequestRunner } from '../../src/explore/explore-request.js';
import { explore } from '../../src/explore/explore.js';
import { emptyRun } from '../../src/runner/reports.js';
import type { RunRequest } from '../../src/runner/protocol.js';
import { faultSpaceFrom } from '../../src/sim/fault-space.js';

describe('explore request', () => {
  it('seeds: numbers count up from the base, text gets a numbered suffix; all distinct and link-safe', () => {
    expect(exploreSeeds(42, 3)).toEqual([42, 43, 44]);
    expect(exploreSeeds(Number.MAX_SAFE_INTEGER, 2)).toEqual([Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 1]);
    expect(exploreSeeds('choreo-1', 3)).toEqual(['choreo-1-0', 'choreo-1-1', 'choreo-1-2']);
    const long = exploreSeeds('a'.repeat(30) + '-1', 1_000);
    expect(new Set(long).size).toBe(1_000);
    for (const s of long) expect(s).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    expect(exploreSeeds('x', 0)).toEqual([]);
  });

  it("a seed's plan depends only on the space and the seed", () => {
    const space = faultSpaceFrom({ services: { payment: { errorRate: 0.2 } } });
    const plans = exploreSeeds('s', 30).map((seed) => faultPlanFor(space, seed));
    expect(exploreSeeds('s', 30).map((seed) => faultPlanFor(JSON.parse(JSON.stringify(space)), seed))).toEqual(plans);
    expect(new Set(plans.map((p) => JSON.stringify(p))).size).toBeGreaterThan(20);
    expect(faultPlanFor(space, 42)).toEqual(faultPlanFor(space, '42')); // as the kernel: String(seed)
  });

  it('checks a request read from a link, naming each bad field', () => {
    const ok: ExploreRequest = { code: 'export default 1', baseSeed: 'demo', runs: 1_000, space: {}, exampleId: 'retry-backoff' };
    expect(checkExploreRequest(JSON.parse(JSON.stringify(ok)))).toEqual([]);
    expect(checkExploreRequest({ ...ok, baseSeed: 'a b', runs: 0, space: { services: { p: { errorRate: { chance: 1, min: 0, max: 3 } } } }, maxEvents: -1 })).toEqual([
      { path: 'baseSeed', message: 'must be a whole number or 1–32 letters, digits, "_" or "-"' },
      { path: 'runs', message: 'must be a whole number between 1 and 100,000 (got 0)' },
      { path: 'space.services.p.errorRate.max', message: 'must be a number between 0 and 1 (got 3)' },
      { path: 'maxEvents', message: 'must be a positive number (got -1)' },
    ]);
    expect(checkExploreRequest({ ...ok, space: null })).toEqual([{ path: 'space', message: 'must be an object' }]);
    expect(checkExploreRequest('x')).toEqual([{ path: 'request', message: 'must be an object' }]);
  });

  it("runs a request's seeds through a sandbox with its budgets, and stops the sandbox's run on stop", async () => {
    const request: ExploreRequest = { code: 'export default 1', baseSeed: 3, runs: 5, space: faultSpaceFrom({ services: { p: { errorRate: 0.5 } } }), budgetMs: 500, maxEvents: 1_000 };
    const sent: RunRequest[] = [];
    let stops = 0;
    const stop = new AbortController();
    const sandbox: RequestRunner = {
      async run(r) {
        sent.push(r);
        if (sent.length === 3) stop.abort('user'); // the user presses Stop during the third run
        if (stops > 0) return emptyRun('stopped', { kind: 'stopped', message: 'Stopped.' });
        return { status: 'ok', events: [], traceHash: '', eventsRun: 0, virtualTime: 0, droppedLogs: 0 };
      },
      stop: () => void stops++,
    };
    const result = await explore({ run: requestProgram(request, sandbox), seeds: exploreSeeds(request.baseSeed, request.runs), space: request.space, signal: stop.signal });
    expect(sent.map((r) => [r.runId, r.code, r.seed, r.budgetMs, r.maxEvents, r.horizon])).toEqual([
      ['explore-1', 'export default 1', 3, 500, 1_000, undefined],
      ['explore-2', 'export default 1', 4, 500, 1_000, undefined],
      ['explore-3', 'export default 1', 5, 500, 1_000, undefined],
    ]);
    expect(sent.map((r) => r.faults)).toEqual([3, 4, 5].map((seed) => faultPlanFor(request.space, seed)));
    expect(stops).toBe(1);
    expect(result).toMatchObject({ stopped: true, runs: 2 });
    expect(counterexampleOf(request, { seed: 4, faults: sent[1]!.faults! })).toEqual({ code: 'export default 1', seed: 4, faults: sent[1]!.faults });
  });
});
