import { describe, expect, it } from 'vitest';
import { Buffer, brokerOf, connect, type QueueStats, type ReturnedMessage } from '../../src/messaging/index.js';
import { drive, events, world } from './helpers.js';

describe('publisher confirms and returns', () => {
  it('confirm channels call back per publish and waitForConfirms waits for all', async () => {
    const w = world();
    const confirms: Array<[number, string | null]> = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'orders')).createConfirmChannel();
      await ch.assertQueue('q');
      await ch.assertQueue('tiny', { maxLength: 0, arguments: { 'x-overflow': 'reject-publish' } });
      ch.sendToQueue('q', Buffer.from('1'), {}, (err) => confirms.push([w.now(), err && err.message]));
      ch.publish('', 'q', Buffer.from('2'), {}, (err) => confirms.push([w.now(), err && err.message]));
      await ch.waitForConfirms();
      expect(confirms.map((c) => c[1])).toEqual([null, null]);
      ch.sendToQueue('tiny', Buffer.from('3'), {}, (err) => confirms.push([w.now(), err && err.message]));
      await expect(ch.waitForConfirms()).rejects.toThrow('message nacked');
    });
    expect(confirms[2]![1]).toBe('message nacked');
    expect(events(w, 'mq.confirm').map((e) => e.ack)).toEqual([true, true, false]);
  });

  it('a mandatory message that no queue takes comes back as a return event', async () => {
    const w = world();
    const returned: ReturnedMessage[] = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'orders')).createChannel();
      ch.on('return', (m: ReturnedMessage) => returned.push(m));
      await ch.assertExchange('ev', 'topic');
      ch.publish('ev', 'order.created', Buffer.from('x'), { mandatory: true, messageId: 'm1' });
      ch.publish('ev', 'order.created', Buffer.from('y')); // not mandatory: dropped, traced
    });
    expect(returned).toHaveLength(1);
    expect(returned[0]!.fields).toEqual({ replyCode: 312, replyText: 'NO_ROUTE', exchange: 'ev', routingKey: 'order.created' });
    expect(returned[0]!.content.toString()).toBe('x');
    expect(events(w, 'mq.return')[0]).toMatchObject({ messageId: 'm1', source: 'orders', target: 'ev' });
    expect(events(w, 'mq.drop').map((e) => e.reason)).toEqual(['unroutable']);
  });
});

describe('broker faults from the fault plan', () => {
  it('duplicateRate: the message is delivered twice (same id, second flagged redelivered)', async () => {
    const w = world({ faults: { queues: { q: { duplicateRate: 1 } } } });
    const got: string[] = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertQueue('q');
      await ch.consume('q', (m) => {
        if (!m) return;
        got.push(`${m.properties.messageId}:${m.fields.redelivered}`);
        ch.ack(m);
      });
      ch.sendToQueue('q', Buffer.from('x'), { messageId: 'once' });
    });
    expect(got).toEqual(['once:false', 'once:true']);
    expect(events(w, 'fault').map((e) => e.fault)).toEqual(['duplicate']);
    expect(brokerOf(w).queueStats('q')).toMatchObject({ published: 2, acked: 2 });
  });

  it('dropRate: the message never reaches the queue; a confirm channel hears a nack', async () => {
    const w = world({ faults: { queues: { q: { dropRate: 1 } } } });
    let result = '';
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createConfirmChannel();
      await ch.assertQueue('q');
      ch.sendToQueue('q', Buffer.from('x'), {}, (err) => (result = err ? err.message : 'ok'));
    });
    expect(result).toBe('message nacked');
    expect(events(w, 'fault')[0]).toMatchObject({ fault: 'drop', messageId: 'msg-1' });
    expect(events(w, 'mq.drop')[0]).toMatchObject({ reason: 'fault', queue: 'q' });
    expect(brokerOf(w).queueStats('q')).toMatchObject({ published: 1, dropped: 1, ready: 0 });
  });

  it('delay: deliveries from the queue arrive later', async () => {
    const w = world({ faults: { queues: { slow: { delay: { kind: 'fixed', ms: 250 } } } } });
    const at: number[] = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertQueue('slow');
      await ch.consume('slow', (m) => m && at.push(w.now()), { noAck: true });
      at.push(w.now());
      ch.sendToQueue('slow', Buffer.from('x'));
    });
    expect(at[1]! - at[0]!).toBe(252);
    expect(events(w, 'fault')[0]).toMatchObject({ fault: 'delay' });
  });

  it('crashBeforeAckRate: the effect happens, the ack is lost, the message comes back redelivered', async () => {
    const w = world({ seed: 3, faults: { queues: { payments: { crashBeforeAckRate: 0.4 } } } });
    const effects: string[] = [];
    const redeliveries: string[] = [];
    await drive(w, async () => {
      const pub = await (await connect(w, 'orders')).createChannel();
      await pub.assertQueue('payments');
      const ch = await (await connect(w, 'payment')).createChannel();
      await ch.prefetch(1);
      // plain amqplib consumer code: do the work, then ack
      await ch.consume('payments', async (msg) => {
        if (!msg) return;
        if (msg.fields.redelivered) redeliveries.push(msg.content.toString());
        await w.sleep(10); // the payment is made
        effects.push(msg.content.toString());
        ch.ack(msg);
      });
      for (let i = 1; i <= 10; i++) pub.sendToQueue('payments', Buffer.from(`order-${i}`), { persistent: true });
    });
    const crashes = events(w, 'fault').filter((e) => e.fault === 'crash-before-ack');
    expect(crashes.length).toBeGreaterThan(0);
    expect(effects.length).toBe(10 + crashes.length); // each crash made one payment twice
    expect(new Set(effects).size).toBe(10);
    expect(redeliveries.length).toBe(crashes.length);
    expect(brokerOf(w).queueStats('payments')).toMatchObject({ published: 10, acked: 10, ready: 0, unacked: 0, requeued: crashes.length });
    expect(events(w, 'mq.requeue').every((e) => e.reason === 'consumer-crash')).toBe(true);
    expect(crashes[0]!.detail).toContain('before its ack reached the broker');
  });

  it('broker restart: transient messages and non-durable queues are lost, durable queues keep persistent messages', async () => {
    const w = world({ faults: { broker: { restarts: [100] } } });
    let after: unknown;
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertQueue('durable-q', { durable: true });
      await ch.assertQueue('temp-q', { durable: false });
      ch.sendToQueue('durable-q', Buffer.from('kept'), { persistent: true });
      ch.sendToQueue('durable-q', Buffer.from('lost'));
      ch.sendToQueue('temp-q', Buffer.from('lost too'), { persistent: true });
      await w.sleep(200);
      const left: string[] = [];
      for (let m = await ch.get('durable-q', { noAck: true }); m; m = await ch.get('durable-q', { noAck: true })) left.push(m.content.toString());
      after = left;
      ch.on('error', () => undefined);
      await expect(ch.checkQueue('temp-q')).rejects.toThrow("no queue 'temp-q'");
    });
    expect(after).toEqual(['kept']);
    expect(events(w, 'mq.drop').map((e) => [e.reason, e.queue])).toEqual([
      ['restart', 'durable-q'],
      ['restart', 'temp-q'],
    ]);
    expect(events(w, 'fault')[0]).toMatchObject({ fault: 'broker-restart', time: 100 });
  });

  it('faults draw from the seeded generator: same seed, same trace', async () => {
    const run = async (seed: number) => {
      const w = world({ seed, faults: { queues: { q: { duplicateRate: 0.3, dropRate: 0.2, delay: { kind: 'uniform', min: 0, max: 50 } } } } });
      await drive(w, async () => {
        const ch = await (await connect(w, 'svc')).createChannel();
        await ch.assertQueue('q');
        await ch.consume('q', (m) => m && ch.ack(m));
        for (let i = 0; i < 30; i++) ch.sendToQueue('q', Buffer.from(String(i)));
      });
      return w.trace.hash();
    };
    expect(await run(5)).toBe(await run(5));
    expect(await run(5)).not.toBe(await run(6));
  });
});

describe('statistics', () => {
  it('per-queue observables and a synchronous snapshot', async () => {
    const w = world();
    const seen: QueueStats[] = [];
    const broker = brokerOf(w);
    const sub = broker.queueStats$('q').subscribe((s) => seen.push(s));
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertQueue('q');
      ch.sendToQueue('q', Buffer.from('a'));
      ch.sendToQueue('q', Buffer.from('b'));
      await w.sleep(5);
      expect(broker.queueStats('q')).toMatchObject({ ready: 2, unacked: 0, consumers: 0, published: 2 });
      await ch.consume('q', (m) => m && ch.ack(m));
    });
    sub.unsubscribe();
    expect(seen[0]).toMatchObject({ name: 'q', exists: false, ready: 0 });
    expect(seen.some((s) => s.ready === 2)).toBe(true);
    expect(seen.some((s) => s.unacked > 0)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ ready: 0, unacked: 0, consumers: 1, published: 2, delivered: 2, acked: 2 });
    const snap = broker.snapshot();
    expect(snap.queues.map((q) => q.name)).toEqual(['q']);
    expect(snap.exchanges.map((x) => x.name)).toContain('amq.topic');
    expect(snap.connections).toEqual([{ id: 1, service: 'svc', channels: 1 }]);
  });
});
