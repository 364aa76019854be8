import { describe, expect, it } from 'vitest';
import { checkExploreRequest, exploreSeeds, faultPlanFor, type ExploreRequest } from '../../src/explore/explore-request.js';
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
});
