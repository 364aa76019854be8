import { describe, expect, it } from 'vitest';
import { memoByTrace } from '../../../src/patterns/invariants/trace-memo.js';
import { orderSagaFacts } from '../../../src/patterns/invariants/invariant-order-saga.js';
import type { TraceEvent } from '../../../src/sim/trace.js';

const effect = (seq: number, effect: string, orderId: string): TraceEvent =>
  ({ seq, time: seq, kind: 'saga.effect', source: 'shop', effect, orderId, amount: 10 }) as unknown as TraceEvent;

describe('reading a trace once', () => {
  it('reads each trace once while it is unchanged, and again once it has grown', () => {
    let reads = 0;
    const count = memoByTrace((events) => (reads++, events.length));
    const events: TraceEvent[] = [effect(0, 'place', 'o-1')];
    expect([count(events), count(events)]).toEqual([1, 1]);
    expect(reads).toBe(1);
    events.push(effect(1, 'charge', 'o-1'));
    expect(count(events)).toBe(2);
    expect(reads).toBe(2);
    // An equal but distinct trace is a trace of its own.
    expect(count([...events])).toBe(2);
    expect(reads).toBe(3);
  });

  it("gives a live world's growing trace its new facts (the order saga's facts, read mid-run and after)", () => {
    const events: TraceEvent[] = [effect(0, 'place', 'o-1')];
    expect(orderSagaFacts(events).orders.get('o-1')?.charges).toHaveLength(0);
    events.push(effect(1, 'charge', 'o-1'));
    expect(orderSagaFacts(events).orders.get('o-1')?.charges).toHaveLength(1);
    expect(orderSagaFacts(events)).toBe(orderSagaFacts(events));
  });
});
