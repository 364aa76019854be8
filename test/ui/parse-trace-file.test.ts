import { describe, expect, it } from 'vitest';
import { parseTraceFile, traceToJSON, type TraceEvent } from '../../src/sim/trace.js';

// Reading a trace file picked or dropped on the page: a good one gives its
// events; each kind of bad one gives a sentence saying what is wrong.
const events = [
  { seq: 0, time: 0, kind: 'http.request', source: 'client', target: 'orders', requestId: 'req-1', method: 'GET', path: '/', url: 'http://orders/' },
  { seq: 1, time: 12.5, kind: 'mq.publish', source: 'orders', messageId: 'm-1' },
  { seq: 2, time: 20, kind: 'log', level: 'info', message: 'no source here' },
] as unknown as TraceEvent[];
const file = (value: unknown) => JSON.stringify(value);
const withEvents = (list: unknown[]) => file({ format: 'spp-trace', version: 1, events: list });
const problem = (text: string, limits?: { maxBytes: number; maxEvents: number }) => {
  const r = parseTraceFile(text, limits);
  if (r.ok) throw new Error('expected a problem');
  return r.problem;
};

describe('parseTraceFile', () => {
  it('reads what traceToJSON writes, unknown kinds included', () => {
    const r = parseTraceFile(JSON.stringify(traceToJSON(events), null, 1));
    expect(r).toEqual({ ok: true, events });
  });

  it('reads an empty trace', () => {
    expect(parseTraceFile(withEvents([]))).toEqual({ ok: true, events: [] });
  });

  it('says a file that is not JSON is not a trace', () => {
    expect(problem('{"format": "spp-trace", ')).toMatch(/^This file is not valid JSON \(.+\), so it is not a trace\./);
  });

  it('says JSON of another kind is not a trace', () => {
    for (const text of [file({ v: 1, progress: {} }), file([1, 2]), file('spp-trace'), 'null']) {
      expect(problem(text), text).toMatch(/^This JSON file is not a trace: it lacks "format": "spp-trace"/);
    }
  });

  it('names the version of a trace from another format version', () => {
    expect(problem(file({ format: 'spp-trace', version: 2, events: [] }))).toMatch(/format version 2, and this page reads only version 1/);
    expect(problem(file({ format: 'spp-trace', events: [] }))).toMatch(/format version none/);
  });

  it('wants a list of events', () => {
    expect(problem(file({ format: 'spp-trace', version: 1, events: {} }))).toMatch(/no list of events/);
  });

  it('names the first event that is malformed, and why', () => {
    const good = { seq: 0, time: 0, kind: 'log', source: 'a' };
    const cases: Array<[unknown, RegExp]> = [
      ['text', /event 0 is not an object/],
      [{ ...good, seq: '0' }, /event 0 has "seq" "0", where 0 was expected/],
      [{ ...good, seq: 3 }, /event 0 has "seq" 3, where 0 was expected/],
      [{ ...good, seq: undefined }, /event 0 has "seq" missing/],
      [{ ...good, time: '5' }, /event 0 has no valid "time"/],
      [{ ...good, time: -1 }, /event 0 has no valid "time"/],
      [{ ...good, kind: 7 }, /event 0 has no "kind"/],
      [{ ...good, kind: '' }, /event 0 has no "kind"/],
      [{ ...good, source: 42 }, /event 0 has a "source" that is not a text/],
      [{ ...good, target: null }, /event 0 has a "target" that is not a text/],
    ];
    for (const [bad, message] of cases) expect(problem(withEvents([bad])), JSON.stringify(bad)).toMatch(message);
    expect(problem(withEvents([good, { ...good, seq: 2 }]))).toMatch(/^This trace is damaged: event 1 has "seq" 2, where 1 was expected/);
  });

  it('refuses a file past the size or event cap, saying the limit', () => {
    const text = withEvents([{ seq: 0, time: 0, kind: 'log' }, { seq: 1, time: 0, kind: 'log' }]);
    expect(problem(text, { maxBytes: 1e6, maxEvents: 1 })).toMatch(/too many events \(2\); the page opens traces of up to 1 events/);
    expect(problem(text, { maxBytes: 10, maxEvents: 10 })).toMatch(/^This trace file is too large/);
    expect(parseTraceFile(text, { maxBytes: text.length, maxEvents: 2 }).ok).toBe(true);
  });
});
