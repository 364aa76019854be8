/**
 * The course's examples run unchanged in real mode: their services on real
 * HTTP, the message-queue example on the suite's RabbitMQ, each with its own
 * seed and fault plan, and each well within a minute of wall-clock time.
 * Waits of seconds to an hour are played faster with `--time-scale`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { traceFromJSON, type TraceEvent, type TraceEventOf, type TraceKind } from '../../src/sim/index.js';
import type { Example } from '../../examples/types.js';
import { mainResult, runSpp, scratch } from './spp.js';

/**
 * Speed-up per example: their waits total 10–30 s of the program's time (an hour for the tokens).
 * Real network time is not scaled, so each factor leaves the client timeouts (2 s, or the tokens'
 * hour) several hundred real milliseconds, even on a busy machine.
 */
const TIME_SCALE: Record<string, number> = {
  'sync-rest-timeout': 10,
  'circuit-breaker': 10,
  'retry-backoff': 5,
  timeouts: 10,
  'graceful-failure': 10,
  'service-tokens': 500,
  'message-queue': 1,
};

interface RealRun {
  result: any;
  events: TraceEvent[];
  stdout: string;
}

async function runExample(id: string): Promise<RealRun> {
  const example = ((await import(`../../examples/${id}/index.ts`)) as { default: Example }).default;
  const dir = scratch({ 'faults.json': JSON.stringify(example.faults ?? {}) });
  const trace = join(dir, 'trace.json');
  const args = ['run', `examples/${id}/main.ts`, '--seed', String(example.seed), '--faults', join(dir, 'faults.json'), '--time-scale', String(TIME_SCALE[id]), '--trace', trace];
  const run = await runSpp([...args, '--amqp', inject('amqpUrl')]);
  expect(run.stderr + run.stdout, 'exit code').toContain('main() returned');
  expect(run.code, run.stderr).toBe(0);
  expect(run.ms, 'wall-clock time').toBeLessThan(60_000);
  const events = traceFromJSON(readFileSync(trace, 'utf8'));
  expect(events.filter((e) => e.kind === 'error')).toEqual([]);
  return { result: mainResult(run.stdout), events, stdout: run.stdout };
}

const ofKind = <K extends TraceKind>(events: TraceEvent[], kind: K) => events.filter((e) => e.kind === kind) as unknown as TraceEventOf<K>[];

describe('the examples in real mode', () => {
  it('sync-rest-timeout: every order is paid through the slowed payment service', async () => {
    const { result, events } = await runExample('sync-rest-timeout');
    expect(result.map((o: { status: string }) => o.status)).toEqual(['paid', 'paid', 'paid']);
    expect(ofKind(events, 'http.request').filter((e) => e.target === 'payment-service' && e.timeout === 30_000)).toHaveLength(3);
    expect(ofKind(events, 'fault').filter((e) => e.fault === 'latency')).toHaveLength(3);
  });

  it('circuit-breaker: the hand-written breaker opens, and payment-service goes down and comes back on time', async () => {
    const { result, events } = await runExample('circuit-breaker');
    expect(result.paid + result.pending).toBe(200);
    expect(ofKind(events, 'state').some((e) => e.component === 'payment-breaker' && e.to === 'OPEN')).toBe(true);
    const status = ofKind(events, 'service.status').filter((e) => e.service === 'payment-service');
    expect(status.map((e) => e.up)).toEqual([false, true]);
    expect(status[0]!.time).toBeGreaterThanOrEqual(6_000);
    expect(status[1]!.time).toBeGreaterThanOrEqual(14_000);
  });

  it('retry-backoff: retries get past the restarting inventory service', async () => {
    const { result, events } = await runExample('retry-backoff');
    expect(result.reserved + result.failed).toBe(50);
    expect(result.reserved).toBeGreaterThan(0);
    expect(result.badOrders).toEqual([503, 503]);
    const status = ofKind(events, 'service.status').filter((e) => e.service === 'inventory-service');
    expect(status.map((e) => e.up)).toEqual([false, true]);
    expect(status[1]!.time).toBeGreaterThanOrEqual(2_500);
  });

  it('timeouts: stock checks pile up while the stock table is locked', async () => {
    const { result } = await runExample('timeouts');
    expect(result.orders).toBe(80);
    expect(result.peakInFlight).toBeGreaterThan(10);
  });

  it('graceful-failure: every page answers while the recommender is down', async () => {
    const { result, events } = await runExample('graceful-failure');
    expect(result).toEqual({ pages: 48, ok: 48 });
    expect(ofKind(events, 'http.refused').filter((e) => e.target === 'recommendation-service').length).toBeGreaterThan(0);
  });

  it('service-tokens: outsiders are refused, and an hour later the tokens have expired', async () => {
    const { result } = await runExample('service-tokens');
    expect(result).toEqual({
      'order-service pays order-1': 201,
      'analytics-service reads pay-1': 200,
      'analytics-service creates a payment': 201,
      'no token': 401,
      'forged token': 401,
      'order-service pays order-2, an hour later': 401,
      'leaked token, an hour later': 401,
    });
  });

  it('message-queue: orders go through RabbitMQ; the poison message is nacked and dropped', async () => {
    const { result, events } = await runExample('message-queue');
    expect(result.missing).toContain('order-4');
    expect(result.queue.published).toBe(6);
    expect(result.queue.acked + result.queue.dropped).toBe(6);
    expect(ofKind(events, 'mq.publish')).toHaveLength(6);
    const delivered = ofKind(events, 'mq.deliver');
    expect(delivered.length).toBeGreaterThanOrEqual(6);
    // Each delivery points at its publish: the sequence diagram draws the arrow between them.
    const publishSeqs = new Set(ofKind(events, 'mq.publish').map((e) => e.seq));
    expect(delivered.every((e) => e.causationId !== undefined && publishSeqs.has(e.causationId))).toBe(true);
    expect(ofKind(events, 'mq.drop').some((e) => e.reason === 'rejected')).toBe(true);
  });
});
