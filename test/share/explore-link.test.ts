import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeExploreLink, encodeExploreLink, MAX_LINK_EXPLORE_RUNS, type ExploreLinkState } from '../../src/share/explore-link.js';
import { decodeShareLink, isExploreLink } from '../../src/share/index.js';

const BASE = 'https://example.org/play/';
const SPACE = { queues: { 'payment-service.OrderCreated': { duplicateRate: { chance: 0.5, min: 0, max: 0.8 } } } };
const STATE: ExploreLinkState = { exampleId: 'choreography-saga', baseSeed: 1, runs: 1000, space: SPACE, code: "log.info('mine');\n" };

function encoded(state: ExploreLinkState = STATE): string {
  const r = encodeExploreLink(state, BASE);
  if (!r.ok) throw new Error(r.message);
  return r.url;
}

function decodeError(url: string) {
  const r = decodeExploreLink(url, { isKnownExample: (id) => id === 'choreography-saga' });
  if (r.kind !== 'error') throw new Error(`expected an error, got ${r.kind}`);
  return r.error;
}

describe('explore links', () => {
  it('round-trips everything an explore needs, with or without code', () => {
    const url = encoded();
    expect(url.startsWith(`${BASE}#xv=1&ex=choreography-saga&seed=1&runs=1000&space=`)).toBe(true);
    expect(decodeExploreLink(url)).toEqual({ kind: 'ok', link: STATE });
    const { code: _, ...withoutCode } = STATE;
    const plain = encoded({ ...withoutCode, baseSeed: 'choreo-1', runs: 7 });
    expect(plain).not.toContain('&code=');
    expect(decodeExploreLink(plain)).toEqual({ kind: 'ok', link: { ...withoutCode, baseSeed: 'choreo-1', runs: 7 } });
  });

  it('round-trips any seed, run count, space and code', () => {
    const seed = fc.oneof(fc.integer({ min: -1e9, max: 1e9 }), fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/));
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: MAX_LINK_EXPLORE_RUNS }), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })), fc.option(fc.string({ maxLength: 300 }), { nil: undefined }), (baseSeed, runs, space, code) => {
        const state: ExploreLinkState = { exampleId: 'x', baseSeed, runs, space, ...(code === undefined ? {} : { code }) };
        const r = decodeExploreLink(encoded(state));
        expect(r.kind).toBe('ok');
        if (r.kind === 'ok') expect(JSON.stringify(r.link)).toBe(JSON.stringify(JSON.parse(JSON.stringify(state))));
      }),
      { numRuns: 150 },
    );
  });

  it('tells explore links from run links, and leaves run links to their own decoder', () => {
    expect(isExploreLink(encoded())).toBe(true);
    expect(isExploreLink(`${BASE}#v=1&ex=retry&seed=7&sum=a91435c46d1526ee`)).toBe(false);
    expect(isExploreLink(BASE)).toBe(false);
    expect(decodeExploreLink(`${BASE}#v=1&ex=retry&seed=7&sum=a91435c46d1526ee`)).toEqual({ kind: 'none' });
    expect(decodeExploreLink(BASE)).toEqual({ kind: 'none' });
    // A run-link decoder does not mistake an explore link for a run.
    expect(decodeShareLink(encoded()).ok).toBe(false);
  });

  it('refuses what cannot travel, with a sentence', () => {
    const bad = (patch: Partial<ExploreLinkState>) => {
      const r = encodeExploreLink({ ...STATE, ...patch } as ExploreLinkState, BASE);
      return r.ok ? 'made a link' : r.message;
    };
    expect(bad({ runs: 0 })).toMatch(/number of runs must be a whole number from 1 to 100,000/);
    expect(bad({ runs: 1.5 })).toMatch(/number of runs/);
    expect(bad({ baseSeed: 'a b' })).toMatch(/first seed/);
    expect(bad({ exampleId: '../x' })).toMatch(/not a valid example id/);
    expect(bad({ space: [] as unknown as Record<string, unknown> })).toMatch(/not a plain JSON object/);
  });

  it('reports a cut-off link and names its example when that part is intact', () => {
    const url = encoded();
    for (const cut of [url.length - 1, url.indexOf('&sum=') + 3, url.indexOf('&space=') + 10]) {
      const e = decodeError(url.slice(0, cut));
      expect(e.kind).toBe('truncated');
      expect(e.message).toMatch(/cut off/);
      expect(e.exampleId).toBe('choreography-saga');
    }
  });

  it('reports a damaged link as corrupt, and loads nothing of it', () => {
    const url = encoded();
    const at = url.indexOf('&code=') + 8;
    const flipped = url.slice(0, at) + (url[at] === 'A' ? 'B' : 'A') + url.slice(at + 1);
    const e = decodeError(flipped);
    expect(['corrupt', 'malformed']).toContain(e.kind);
    expect(e.message).not.toContain('mine');
    const runs = decodeError(url.replace('runs=1000', 'runs=1001'));
    expect(runs.kind).toBe('corrupt');
    expect(runs.message).toMatch(/does not match its checksum/);
  });

  it('explains malformed fields, unknown versions and unknown examples', () => {
    const url = encoded();
    expect(decodeError(url.replace('runs=1000', 'runs=0')).message).toMatch(/number of runs must be a whole number/);
    expect(decodeError(url.replace('runs=1000', 'runs=lots')).kind).toBe('malformed');
    expect(decodeError(url.replace('seed=1', 'seed=a%20b')).message).toMatch(/first seed/);
    expect(decodeError(url.replace('&runs=', '&extra=1&runs=')).message).toMatch(/unknown field "extra"/);
    expect(decodeError(url.replace('xv=1', 'xv=2')).kind).toBe('unknown-version');
    const other = decodeError(encoded({ ...STATE, exampleId: 'gone' }));
    expect(other.kind).toBe('unknown-example');
    expect(other.message).toMatch(/"gone"/);
    expect(decodeError(`${BASE}#xv=1`).kind).toBe('truncated');
  });
});
