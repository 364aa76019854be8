import { describe, expect, it } from 'vitest';
import { readReport } from '../../../src/runner/page/report-check.js';

const events = [
  { seq: 0, time: 0, kind: 'log', source: 'orders', level: 'info', message: 'order-1 → paid, 12 €' },
  { seq: 1, time: 5, kind: 'log', source: 'orders', level: 'warn', message: 'done' },
];
const base = { status: 'ok', traceHash: 'h', eventsRun: 2, virtualTime: 5, droppedLogs: 0 };

describe('readReport', () => {
  it('gets the events back from UTF-8 bytes, characters past Latin-1 included', () => {
    const run = readReport({ ...base, eventsUtf8: new TextEncoder().encode(JSON.stringify(events)) });
    expect(run?.events).toEqual(events);
    expect(run).not.toHaveProperty('eventsUtf8');
  });

  it('gets the events back from a JSON string, or as they are', () => {
    expect(readReport({ ...base, eventsJson: JSON.stringify(events) })?.events).toEqual(events);
    expect(readReport({ ...base, events })?.events).toEqual(events);
  });

  it('refuses bytes that are not a trace', () => {
    expect(readReport({ ...base, eventsUtf8: new TextEncoder().encode('[{"seq":') })).toBeUndefined();
    expect(readReport({ ...base, eventsUtf8: new TextEncoder().encode('[{"seq":3,"time":0,"kind":"log"}]') })).toBeUndefined();
  });
});
