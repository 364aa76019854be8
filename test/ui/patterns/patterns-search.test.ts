import { describe, expect, it } from 'vitest';
import { PATTERN_ENTRIES } from '../../../src/ui/patterns/content/index.js';
import { indexPatterns } from '../../../src/ui/patterns/pattern-search.js';

const search = indexPatterns(PATTERN_ENTRIES);
const ids = (q: string) => search.find(q).map((e) => e.id);

describe('pattern search', () => {
  it('shows every pattern for an empty query', () => {
    expect(ids('')).toHaveLength(16);
    expect(ids('   ')).toEqual(PATTERN_ENTRIES.map((e) => e.id));
  });

  it('narrows to entries that contain every word, names first', () => {
    expect(ids('jitter')[0]).toBe('retry-backoff-jitter');
    expect(ids('jitter').length).toBeLessThan(16);
    expect(ids('Circuit Breaker')[0]).toBe('circuit-breaker');
    expect(ids('dead letter')).toContain('work-queue');
    expect(ids('202')).toContain('async-request-reply');
    expect(ids('outbox relay')[0]).toBe('outbox');
  });

  it('finds library spellings and other names', () => {
    expect(ids('waitDurationInOpenState')).toEqual(['circuit-breaker']);
    expect(ids('thundering herd')).toContain('retry-backoff-jitter');
    expect(ids('idempotent consumer')[0]).toBe('deduplication');
  });

  it('finds nothing for words no entry has', () => {
    expect(ids('zebra quantum')).toEqual([]);
  });
});
