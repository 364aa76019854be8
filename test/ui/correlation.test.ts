import { describe, expect, it } from 'vitest';
import { correlationOf, filterByCorrelation } from '../../src/ui/views/filter-by-correlation.js';
import { filterLogs, logEntries } from '../../src/ui/views/log-model.js';
import { layoutSequence } from '../../src/ui/views/sequence-model.js';
import { correlatedTrace, ev, resetSeq } from './fixtures.js';

describe('correlation ids', () => {
  it('are read from the event, or from the data of a log line', () => {
    resetSeq();
    expect(correlationOf(ev(0, 'http.request', { source: 'client', target: 'orders', correlationId: 'c-1' }))).toBe('c-1');
    expect(correlationOf(ev(0, 'log', { source: 'orders', level: 'info', message: 'paid', data: { correlationId: 'c-2' } }))).toBe('c-2');
    expect(correlationOf(ev(0, 'log', { source: 'orders', level: 'info', message: 'paid', data: { correlationId: 42 } }))).toBe('42');
    expect(correlationOf(ev(0, 'log', { source: 'orders', level: 'info', message: 'paid', data: { other: 'x' } }))).toBeUndefined();
    expect(correlationOf(ev(0, 'log', { source: 'orders', level: 'info', message: 'paid', data: 'c-3' }))).toBeUndefined();
    expect(correlationOf(ev(0, 'service.status', { service: 'orders', up: false }))).toBeUndefined();
  });

  it('filter a trace down to one chain through every service it crossed', async () => {
    const events = await correlatedTrace();
    const chain = filterByCorrelation(events, 'order-1');
    expect(chain.map((e) => `${e.kind} ${e.source}→${e.target ?? ''}`)).toEqual([
      'http.request client→orders',
      'log orders→',
      'http.request orders→payment',
      'http.response payment→orders',
      'http.response orders→client',
    ]);
    expect(filterByCorrelation(events, 'nobody')).toEqual([]);
  });

  it('narrow the sequence diagram to one chain, keeping every lifeline in place', async () => {
    const events = await correlatedTrace();
    const all = layoutSequence(events);
    const only = layoutSequence(events, { correlation: 'order-2' });
    const seqs = only.rows.map((r) => (r.type === 'arrow' || r.type === 'note' ? r.seq : -1));
    expect(seqs).toEqual(filterByCorrelation(events, 'order-2').map((e) => e.seq));
    expect(only.rows.every((r) => (r.type === 'arrow' || r.type === 'note') && r.correlationId === 'order-2')).toBe(true);
    expect(only.eventCount).toBe(5);
    expect(only.lifelines).toEqual(all.lifelines);
    // A log line's row carries the id of its data too.
    const log = all.rows.find((r) => r.type === 'note' && events[r.seq]!.kind === 'log');
    expect(log?.type === 'note' && log.correlationId).toBe('order-1');
  });

  it('show on log lines, and the log filter finds lines by them', () => {
    resetSeq();
    const events = [
      ev(0, 'log', { source: 'orders', level: 'info', message: 'order received', correlationId: 'c-7' }),
      ev(1, 'log', { source: 'orders', level: 'info', message: 'paid', data: { correlationId: 'c-8' } }),
      ev(2, 'log', { source: 'orders', level: 'info', message: 'idle' }),
    ];
    const lines = logEntries(events);
    expect(lines.map((l) => l.correlationId)).toEqual(['c-7', 'c-8', undefined]);
    expect(filterLogs(lines, { text: 'C-7' }).map((l) => l.seq)).toEqual([0]);
  });
});
