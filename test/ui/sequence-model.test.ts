import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/sim/trace.js';
import { describeEvent } from '../../src/ui/views/describe-event.js';
import { layoutSequence, prepareSequence, visibleRows, type SequenceRow } from '../../src/ui/views/sequence-model.js';
import { brokerTrace, ev, orderWorldTrace, pollingTrace, resetSeq } from './fixtures.js';

const arrows = (rows: SequenceRow[]) => rows.filter((r): r is Extract<SequenceRow, { type: 'arrow' }> => r.type === 'arrow');

describe('sequence diagram layout', () => {
  it('has a lifeline per party, client first, and one arrow per request and response', async () => {
    const events = await orderWorldTrace();
    const layout = layoutSequence(events);
    expect(layout.lifelines.map((l) => l.id)).toEqual(['client', 'orders', 'payment']);
    const xs = layout.lifelines.map((l) => l.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    const requests = events.filter((e) => e.kind === 'http.request').length;
    const responses = events.filter((e) => e.kind === 'http.response').length;
    const drawn = arrows(layout.rows);
    expect(drawn.filter((r) => r.style === 'request')).toHaveLength(requests);
    const first = drawn[0]!;
    expect([first.from, first.to, first.label]).toEqual(['client', 'orders', 'POST /orders']);
    // Every response is an arrow back to its caller (styled response / error / late).
    expect(drawn.filter((r) => ['response', 'error', 'late'].includes(r.style) && events[r.seq]!.kind === 'http.response')).toHaveLength(responses);
  });

  it('styles timeouts, error statuses and late responses distinctly', async () => {
    const events = await orderWorldTrace();
    const rows = arrows(layoutSequence(events).rows);
    const timeout = rows.find((r) => r.style === 'timeout')!;
    expect([timeout.from, timeout.to]).toEqual(['orders', 'payment']);
    expect(timeout.fullLabel).toContain('timeout POST /payments after 50 ms');
    expect(rows.find((r) => r.style === 'late')?.fullLabel).toMatch(/^201 POST \/payments .*late/);
    const errors = rows.filter((r) => r.style === 'error').map((r) => r.fullLabel.split(' ')[0]);
    expect(errors).toEqual(expect.arrayContaining(['402', '502']));
    expect(rows.filter((r) => r.style === 'response').every((r) => Number(r.fullLabel.split(' ')[0]) < 400)).toBe(true);
  });

  it('gives every row its own band so labels cannot overlap', async () => {
    const layout = layoutSequence(await pollingTrace(300), { collapse: false });
    expect(layout.rows.length).toBe(600);
    layout.rows.forEach((r, i) => expect(r.y).toBe(i * layout.rowHeight));
    expect(layout.height).toBe(600 * layout.rowHeight);
    for (const r of arrows(layout.rows)) expect(r.label.length * 6.6).toBeLessThanOrEqual(Math.max(14 * 6.6, Math.abs(r.x2 - r.x1)));
  });

  it('folds a run of identical exchanges into one row and unfolds it on request', async () => {
    const events = await pollingTrace(50);
    const folded = layoutSequence(events);
    expect(folded.rows.map((r) => r.type)).toEqual(['arrow', 'arrow', 'collapsed']);
    const c = folded.rows[2] as Extract<SequenceRow, { type: 'collapsed' }>;
    expect([c.blockSize, c.hiddenRepeats, c.seqs.length]).toEqual([2, 49, 98]);
    expect(folded.rowOfSeq.get(events[99]!.seq)).toBe(2);
    const open = layoutSequence(events, { expanded: new Set([c.group]) });
    expect(open.rows[0]!.type).toBe('expanded');
    expect(open.rows).toHaveLength(101);
  });

  it('keeps anomalies visible inside a repeated pattern', async () => {
    resetSeq();
    const events = [];
    for (let i = 0; i < 10; i++) {
      events.push(ev(i * 10, 'http.request', { source: 'a', target: 'b', method: 'GET', path: '/x', requestId: `r${i}` }));
      events.push(ev(i * 10 + 2, 'http.response', { source: 'b', target: 'a', method: 'GET', path: '/x', requestId: `r${i}`, status: i === 5 ? 500 : 200, durationMs: 2, sentAt: i * 10 + 1 }));
    }
    const rows = layoutSequence(events).rows;
    expect(rows.filter((r) => r.type === 'arrow' && r.style === 'error')).toHaveLength(1);
    expect(rows.filter((r) => r.type === 'collapsed')).toHaveLength(2);
  });

  it('shows only the prefix up to the scrub time, with the same lifelines', async () => {
    const events = await orderWorldTrace();
    const all = layoutSequence(events);
    const early = layoutSequence(events, { until: 5 });
    expect(early.lifelines).toEqual(all.lifelines);
    expect(early.rows.every((r) => r.time <= 5)).toBe(true);
    expect(early.rows.length).toBeLessThan(all.rows.length);
    expect(layoutSequence(events, { until: -1 }).rows).toEqual([]);
  });

  it('draws broker parties as exchange and queue lifelines along the path of a message', () => {
    const layout = layoutSequence(brokerTrace(), { collapse: false });
    expect(layout.lifelines.map((l) => [l.name, l.kind])).toEqual([
      ['orders', 'service'],
      ['shop', 'exchange'],
      ['emails', 'queue'],
      ['mailer', 'service'],
      ['dlx', 'exchange'],
      ['emails.dead', 'queue'],
    ]);
    const styles = arrows(layout.rows).map((r) => `${r.style}:${r.from}>${r.to}`);
    expect(styles).toEqual([
      'message:orders>exchange:shop',
      'message:exchange:shop>queue:emails',
      'message:orders>exchange:shop',
      'message:exchange:shop>queue:emails',
      'deliver:queue:emails>mailer',
      'deliver:queue:emails>mailer',
      'ack:mailer>queue:emails',
      'nack:mailer>queue:emails',
      'dead-letter:queue:emails>exchange:dlx',
    ]);
    // Plain enqueues and topology are bookkeeping: hidden unless asked for.
    const notes = layout.rows.filter((r) => r.type === 'note').map((r) => r.type === 'note' && r.fullLabel);
    expect(notes).toEqual(['dead letter in m-2 (1 ready)']);
    const all = layoutSequence(brokerTrace(), { collapse: false, quiet: true });
    expect(all.rows.length).toBe(brokerTrace().length);
  });

  it('labels what a quorum queue, consumer priorities and refused publishes add to a broker trace', () => {
    resetSeq();
    const label = (e: TraceEvent) => describeEvent(e).label;
    expect(label(ev(0, 'mq.deliver', { source: 'worker', target: 'qq', queue: 'qq', messageId: 'p1', deliveryTag: 3, redelivered: true, deliveryCount: 2 }))).toBe(
      'deliver p1 (redelivered, x-delivery-count 2)',
    );
    expect(label(ev(0, 'mq.dead-letter', { source: 'worker', target: 'qq', queue: 'qq', messageId: 'p1', reason: 'delivery_limit', exchange: '', routingKeys: ['qq.dead'], returnedBy: 'nack' }))).toBe(
      'dead-letter p1 (delivery_limit, on nack)',
    );
    expect(label(ev(0, 'mq.drop', { source: 'broker', target: 'full', queue: 'full', messageId: 'm3', reason: 'maxlen', refused: true }))).toBe('✖ refused m3 (maxlen)');
    expect(label(ev(0, 'mq.consumer', { source: 'worker', target: 'jobs', queue: 'jobs', action: 'consume', consumerTag: 'c', priority: 10 }))).toBe('consume by worker (priority 10)');
  });

  it('draws saga steps from the orchestrator to the participant, leaving out details that only repeat a party', () => {
    resetSeq();
    const saga = { source: 'orchestrator', target: 'payment', saga: 'ship', sagaId: 's-1' };
    const undo = describeEvent(ev(0, 'saga.compensation', { ...saga, step: 'refund', attempt: 2, reason: 'outcome-unknown' }));
    expect(undo).toMatchObject({ shape: 'arrow', from: 'orchestrator', to: 'payment', style: 'compensation', label: '↩ saga.compensation refund outcome-unknown #2' });
    const step = describeEvent(ev(1, 'saga.step', { ...saga, step: 'payment', attempt: 1 }));
    expect(step).toMatchObject({ style: 'saga', label: 'saga.step #1' });
    // Attempts differ, the key does not: repeated attempts fold together.
    expect(describeEvent(ev(2, 'saga.step', { ...saga, step: 'payment', attempt: 2 })).key).toBe(step.key);
  });

  it('draws a kind from a trace of another version by its name: arrow between distinct parties, note otherwise', () => {
    const other = (seq: number, kind: string, parties: { source?: string; target?: string }) => ({ seq, time: 0, kind, ...parties }) as unknown as TraceEvent;
    expect(describeEvent(other(0, 'quux.frob', { source: 'x', target: 'y' }))).toMatchObject({ shape: 'arrow', from: 'x', to: 'y', style: 'generic', label: 'quux.frob' });
    expect(describeEvent(other(1, 'quux.frob', { source: 'x', target: 'x' }))).toMatchObject({ shape: 'note', from: 'x', style: 'generic' });
    expect(describeEvent(other(2, 'weird', {}))).toMatchObject({ shape: 'note', from: '?', label: 'weird' });
  });

  it('lays out the same from a prepared trace at every scrub time', async () => {
    const events = await orderWorldTrace();
    const prepared = prepareSequence(events);
    for (const until of [0, 50, 170, Infinity]) expect(layoutSequence(events, { until, prepared })).toEqual(layoutSequence(events, { until }));
  });

  it('windows the rows for a scrolled viewport', () => {
    const win = visibleRows({ rows: new Array(1000), rowHeight: 24 }, 2400, 480, 5);
    expect(win).toEqual({ start: 95, end: 125 });
  });

  // Its speed is measured by the benchmarks (npm run bench:web), not here.
  it('lays out 10,000 events, one row each unfolded', async () => {
    const events = await pollingTrace(5000);
    const layout = layoutSequence(events, { collapse: false });
    expect(layout.rows).toHaveLength(10000);
    expect(layoutSequence(events).rows.length).toBeLessThan(10000);
  });
});
