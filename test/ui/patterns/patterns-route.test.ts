import { describe, expect, it } from 'vitest';
import { exampleHref, parseRoute, patternHref, routeHash, withoutRoute, type PageRoute } from '../../../src/ui/patterns/page-route.js';

describe('page routes', () => {
  it('reads the reference, its entries and links to examples from the hash', () => {
    expect(parseRoute('https://x.org/p/#/patterns')).toEqual({ kind: 'patterns' });
    expect(parseRoute('#/patterns/')).toEqual({ kind: 'patterns' });
    expect(parseRoute('#/patterns/circuit-breaker')).toEqual({ kind: 'patterns', anchor: 'circuit-breaker' });
    expect(parseRoute('/patterns/outbox')).toEqual({ kind: 'patterns', anchor: 'outbox' });
    expect(parseRoute('#/examples/retry-backoff/jitter')).toEqual({ kind: 'example', exampleId: 'retry-backoff', exerciseId: 'jitter' });
    expect(parseRoute('#/examples/retry-backoff')).toEqual({ kind: 'example', exampleId: 'retry-backoff' });
  });

  it('leaves share links, empty hashes and anything malformed to the playground', () => {
    for (const input of ['https://x.org/p/', 'https://x.org/p/#', '#v=1&ex=retry&seed=7&sum=abc', '#pane-code', '#/patterns/a/b', '#/patterns/<script>', '#/examples/', '#/examples/a/b/c', '#/unknown', '#/patterns/%E0%A4%A']) {
      const route = parseRoute(input);
      expect(route.kind === 'playground' || (route.kind === 'patterns' && route.anchor === undefined), input).toBe(true);
    }
    expect(parseRoute('#v=1&ex=retry')).toEqual({ kind: 'playground' });
  });

  it('writes the hash that reads back as the same route', () => {
    const routes: PageRoute[] = [{ kind: 'playground' }, { kind: 'patterns' }, { kind: 'patterns', anchor: 'bulkhead' }, { kind: 'example', exampleId: 'idempotency', exerciseId: 'deduplicate' }];
    for (const r of routes) expect(parseRoute(routeHash(r))).toEqual(r);
    expect(patternHref()).toBe('#/patterns');
    expect(patternHref('outbox')).toBe('#/patterns/outbox');
    expect(exampleHref('timeouts', 'request-timeout')).toBe('#/examples/timeouts/request-timeout');
  });

  it('hides a route from the share-link reader, and only a route', () => {
    expect(withoutRoute('https://x.org/p/#/patterns/outbox', parseRoute('#/patterns/outbox'))).toBe('https://x.org/p/');
    const link = 'https://x.org/p/#v=1&ex=retry&seed=7&sum=abc';
    expect(withoutRoute(link, parseRoute(link))).toBe(link);
  });
});
