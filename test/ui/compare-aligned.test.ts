import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/sim/trace.js';
import { alignSequences, rowsInView, timeAt } from '../../src/ui/compare/aligned-sequence.js';
import { layoutSequence } from '../../src/ui/views/sequence-model.js';
import { orderWorldTrace } from './fixtures.js';

const log = (seq: number, time: number, source = 'orders'): TraceEvent => ({ seq, time, kind: 'log', source, level: 'info', message: `at ${time} #${seq}` }) as TraceEvent;
const trace = (times: number[]) => times.map((t, i) => log(i, t));
const layout = (events: TraceEvent[]) => layoutSequence(events, { collapse: false });

describe('aligning two sequence diagrams by virtual time', () => {
  it('puts rows of the same virtual time at the same height, leaving gaps on the side with fewer', () => {
    const al = alignSequences(layout(trace([0, 10, 10, 10, 30])), layout(trace([0, 10, 20, 30, 30])));
    const at = (rows: typeof al.a) => rows.map((r) => [r.time, r.y / al.rowHeight]);
    expect(at(al.a)).toEqual([[0, 0], [10, 1], [10, 2], [10, 3], [30, 5]]);
    expect(at(al.b)).toEqual([[0, 0], [10, 1], [20, 4], [30, 5], [30, 6]]);
    expect(al.height).toBe(7 * al.rowHeight);
    expect(al.bands.map((b) => [b.time, b.y / al.rowHeight])).toEqual([[0, 0], [10, 1], [20, 4], [30, 5]]);
  });

  it('keeps every row of both real traces, in order, and never lets a later time sit above an earlier one', async () => {
    const events = await orderWorldTrace();
    const other = events.filter((e) => e.kind !== 'log').map((e, i) => ({ ...e, seq: i, time: e.time * 1.5 }));
    const la = layoutSequence(events);
    const lb = layoutSequence(other);
    const al = alignSequences(la, lb);
    expect(al.a.length).toBe(la.rows.length);
    expect(al.b.length).toBe(lb.rows.length);
    const both = [...al.a, ...al.b].sort((x, y) => x.y - y.y || x.time - y.time);
    for (let i = 1; i < both.length; i++) expect(both[i]!.time).toBeGreaterThanOrEqual(both[i - 1]!.time);
    for (const rows of [al.a, al.b]) for (let i = 1; i < rows.length; i++) expect(rows[i]!.y).toBeGreaterThan(rows[i - 1]!.y);
  });

  it('handles one empty side', () => {
    const al = alignSequences(layout(trace([5, 6])), layout([]));
    expect(al.b).toEqual([]);
    expect(al.a.map((r) => r.y / al.rowHeight)).toEqual([0, 1]);
  });

  it('finds the rows in view and the time at a scroll position', () => {
    const al = alignSequences(layout(trace([0, 10, 10, 10, 30])), layout(trace([0, 10, 20, 30, 30])));
    const h = al.rowHeight;
    expect(rowsInView(al.b, h, 4 * h, 5 * h, 0)).toEqual({ start: 2, end: 3 });
    expect(rowsInView(al.a, h, 4 * h, 5 * h, 0)).toEqual({ start: 4, end: 4 }); // a gap on this side
    expect(timeAt(al, 0)).toBe(0);
    expect(timeAt(al, 2.5 * h)).toBe(10);
    expect(timeAt(al, 4 * h)).toBe(20);
    expect(timeAt(al, 100 * h)).toBe(30);
  });
});
