/**
 * amqplib on the suite's RabbitMQ through real mode: the channel is the real
 * one, and what the program does with it is recorded as the simulated
 * broker's `mq.*` events, with queue figures for `broker().queueStats`.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { ConsumeMessage } from 'amqplib';
import { TraceRecorder, type TraceEvent } from '../../src/sim/index.js';
import { QueueLedger } from '../../src/real/queue-ledger.js';
import { RealAmqp, serviceOfAmqpUrl } from '../../src/real/real-amqp.js';

let amqp: RealAmqp | undefined;
afterEach(() => amqp?.closeAll());

function tracedAmqp() {
  let t = 0;
  const trace = new TraceRecorder(() => t++);
  const ledger = new QueueLedger();
  amqp = new RealAmqp({ brokerUrl: inject('amqpUrl'), trace, ledger });
  return { amqp, trace, ledger };
}

/** Resolves with the first `n` deliveries `take` sees. */
function collect(n: number): { take: (m: ConsumeMessage | null) => void; all: Promise<ConsumeMessage[]> } {
  const got: ConsumeMessage[] = [];
  let done: (m: ConsumeMessage[]) => void = () => undefined;
  const all = new Promise<ConsumeMessage[]>((resolve) => (done = resolve));
  return {
    take: (m) => {
      if (m) got.push(m);
      if (got.length === n) done(got);
    },
    all,
  };
}

const summary = (events: readonly TraceEvent[]) =>
  events
    .filter((e) => e.kind.startsWith('mq.') && e.kind !== 'mq.topology' && e.kind !== 'mq.channel' && e.kind !== 'mq.consumer')
    .map((e) => `${e.kind} ${'messageId' in e ? e.messageId : ''} ${e.source}`);

describe('real amqp', () => {
  it('takes the service from the URL user part, as the simulation does', () => {
    expect(serviceOfAmqpUrl('amqp://order-service@rabbitmq')).toBe('order-service');
    expect(serviceOfAmqpUrl('amqp://rabbitmq')).toBe('client');
    expect(serviceOfAmqpUrl('amqp://guest:guest@127.0.0.1:5672')).toBe('client');
    expect(serviceOfAmqpUrl(undefined)).toBe('client');
  });

  it('records publish, deliver, requeue and ack, and counts them per queue', async () => {
    const { amqp, trace, ledger } = tracedAmqp();
    const producer = await (await amqp.connect('amqp://orders@rabbitmq')).createChannel();
    const consumerConn = await amqp.connect('amqp://billing@rabbitmq');
    const consumer = await consumerConn.createChannel();
    const queue = `spp-test-${Date.now()}`;
    await consumer.assertQueue(queue, { durable: false, autoDelete: true });
    let first = true;
    const seen = collect(2);
    await consumer.consume(queue, (m) => {
      if (!m) return;
      seen.take(m);
      if (first) {
        first = false;
        consumer.nack(m, false, true);
      } else consumer.ack(m);
    });
    producer.sendToQueue(queue, Buffer.from('{"n":1}'), { correlationId: 'order-1' });
    const [once, again] = await seen.all;
    expect(again!.fields.redelivered).toBe(true);
    expect(once!.content.toString()).toBe('{"n":1}');
    expect(summary(trace.events)).toEqual([
      'mq.publish msg-1 orders',
      'mq.enqueue msg-1 broker',
      'mq.deliver msg-1 billing',
      'mq.nack msg-1 billing',
      'mq.requeue msg-1 broker',
      'mq.deliver msg-1 billing',
      'mq.ack msg-1 billing',
    ]);
    const publish = trace.events.find((e) => e.kind === 'mq.publish')!;
    expect(publish).toMatchObject({ target: queue, channel: 'orders#1/1', correlationId: 'order-1', body: '{"n":1}' });
    expect(trace.events.filter((e) => e.kind === 'mq.deliver').every((e) => e.causationId === publish.seq)).toBe(true);
    expect(ledger.stats(queue)).toMatchObject({ published: 1, delivered: 2, redelivered: 1, requeued: 1, acked: 1, ready: 0, unacked: 0, consumers: 1 });
  });

  it('records where a rejected message goes: dead-lettered when its queue has a dead-letter exchange, else dropped', async () => {
    const { amqp, trace, ledger } = tracedAmqp();
    const ch = await (await amqp.connect('amqp://worker@rabbitmq')).createChannel();
    const stamp = Date.now();
    const plain = `spp-plain-${stamp}`;
    const guarded = `spp-guarded-${stamp}`;
    await ch.assertQueue(plain, { durable: false, autoDelete: true });
    await ch.assertQueue(guarded, { durable: false, autoDelete: true, deadLetterExchange: '', deadLetterRoutingKey: `${guarded}.dead` });
    await ch.assertQueue(`${guarded}.dead`, { durable: false, autoDelete: true });
    const seen = collect(2);
    const reject = (m: ConsumeMessage | null) => {
      if (!m) return;
      ch.reject(m, false);
      seen.take(m);
    };
    await ch.consume(plain, reject);
    await ch.consume(guarded, reject);
    ch.sendToQueue(plain, Buffer.from('a'));
    ch.sendToQueue(guarded, Buffer.from('b'));
    await seen.all;
    const dead = await new Promise<ConsumeMessage>((resolve) => void ch.consume(`${guarded}.dead`, (m) => m && resolve(m), { noAck: true }));
    expect(dead.content.toString()).toBe('b');
    expect(trace.events.find((e) => e.kind === 'mq.drop')).toMatchObject({ queue: plain, reason: 'rejected' });
    expect(trace.events.find((e) => e.kind === 'mq.dead-letter')).toMatchObject({ queue: guarded, reason: 'rejected', exchange: '', routingKeys: [`${guarded}.dead`] });
    expect(ledger.stats(plain)).toMatchObject({ dropped: 1, deadLettered: 0 });
    expect(ledger.stats(guarded)).toMatchObject({ dropped: 0, deadLettered: 1 });
  });

  it('records the channel closing, and counts its unsettled deliveries as requeued', async () => {
    const { amqp, trace, ledger } = tracedAmqp();
    const conn = await amqp.connect('amqp://worker@rabbitmq');
    const ch = await conn.createChannel();
    const queue = `spp-close-${Date.now()}`;
    await ch.assertQueue(queue, { durable: false });
    const seen = collect(1);
    await ch.consume(queue, seen.take);
    ch.sendToQueue(queue, Buffer.from('x'));
    await seen.all;
    expect(ledger.stats(queue).unacked).toBe(1);
    await ch.close();
    expect(ledger.stats(queue)).toMatchObject({ unacked: 0, requeued: 1, ready: 1 });
    expect(trace.events.filter((e) => e.kind === 'mq.channel').map((e) => (e.kind === 'mq.channel' ? e.action : ''))).toEqual(['open', 'close']);
    const cleanup = await conn.createChannel();
    await cleanup.deleteQueue(queue);
  });
});
