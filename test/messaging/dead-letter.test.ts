import { describe, expect, it } from 'vitest';
import { Buffer, brokerOf, connect, type ConsumeMessage, type GetMessage } from '../../src/messaging/index.js';
import { drive, events, world } from './helpers.js';

const EPOCH_SECONDS = Date.UTC(2024, 0, 1) / 1000;

describe('dead-lettering', () => {
  it('a message rejected without requeue goes to the dead-letter exchange with RabbitMQ 3.10 headers', async () => {
    const w = world();
    const dead: ConsumeMessage[] = [];
    let rejectedAt = 0;
    await drive(w, async () => {
      const ch = await (await connect(w, 'worker')).createChannel();
      await ch.assertExchange('dlx', 'fanout');
      await ch.assertQueue('dead');
      await ch.bindQueue('dead', 'dlx', '');
      await ch.assertQueue('work', { deadLetterExchange: 'dlx' });
      await w.sleep(2500);
      ch.sendToQueue('work', Buffer.from('poison'), { messageId: 'p-1', headers: { tenant: 't1' } });
      await ch.consume('work', (m) => {
        if (!m) return;
        rejectedAt = w.now();
        ch.nack(m, false, false);
      });
      await ch.consume('dead', (m) => m && dead.push(m), { noAck: true });
    });
    expect(dead).toHaveLength(1);
    const h = dead[0]!.properties.headers;
    expect(h).toEqual({
      tenant: 't1',
      'x-death': [
        {
          count: 1,
          exchange: '',
          queue: 'work',
          reason: 'rejected',
          'routing-keys': ['work'],
          time: { '!': 'timestamp', value: Math.floor(EPOCH_SECONDS + (rejectedAt + 1) / 1000) },
        },
      ],
      'x-first-death-exchange': '',
      'x-first-death-queue': 'work',
      'x-first-death-reason': 'rejected',
    });
    expect(dead[0]!.fields).toMatchObject({ exchange: 'dlx', routingKey: 'work' });
    expect(dead[0]!.properties.messageId).toBe('p-1');
    expect(brokerOf(w).queueStats('work')).toMatchObject({ published: 1, deadLettered: 1, dropped: 0, ready: 0, unacked: 0 });
    const dl = events(w, 'mq.dead-letter');
    expect(dl[0]).toMatchObject({ messageId: 'p-1', queue: 'work', reason: 'rejected', exchange: 'dlx', routingKeys: ['work'], source: 'worker' });
    const enq = events(w, 'mq.enqueue').filter((e) => e.queue === 'dead');
    expect(enq[0]).toMatchObject({ deadLettered: true, causationId: dl[0]!.seq });
  });

  it('x-death counts per queue and reason, newest entry first (a retry loop through a TTL queue)', async () => {
    const w = world();
    let final: ConsumeMessage | undefined;
    const deliveries: number[] = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'worker')).createChannel();
      await ch.assertQueue('work', { deadLetterExchange: '', deadLetterRoutingKey: 'retry' });
      await ch.assertQueue('retry', { messageTtl: 100, deadLetterExchange: '', deadLetterRoutingKey: 'work' });
      await ch.consume('work', (m) => {
        if (!m) return;
        deliveries.push(w.now());
        const rejected = (m.properties.headers['x-death'] ?? []).find((d) => d.queue === 'work' && d.reason === 'rejected');
        if ((rejected?.count ?? 0) < 3) ch.reject(m, false);
        else {
          final = m;
          ch.ack(m);
        }
      });
      ch.sendToQueue('work', Buffer.from('flaky'));
    });
    expect(deliveries).toHaveLength(4);
    // each retry waits the 100 ms TTL
    expect(deliveries[1]! - deliveries[0]!).toBeGreaterThanOrEqual(100);
    const deaths = final!.properties.headers['x-death']!;
    expect(deaths.map((d) => [d.queue, d.reason, d.count])).toEqual([
      ['retry', 'expired', 3],
      ['work', 'rejected', 3],
    ]);
    expect(deaths[1]!['routing-keys']).toEqual(['work']);
    expect(deaths[0]!['routing-keys']).toEqual(['retry']);
    expect(final!.properties.headers['x-first-death-queue']).toBe('work');
    expect(final!.properties.headers['x-first-death-reason']).toBe('rejected');
  });

  it('without a dead-letter exchange a rejected message is dropped: traced and counted, never silent', async () => {
    const w = world();
    await drive(w, async () => {
      const ch = await (await connect(w, 'notification')).createChannel();
      await ch.assertQueue('order-created', { durable: true });
      ch.sendToQueue('order-created', Buffer.from('{}'), { persistent: true });
      await ch.consume('order-created', (m) => m && ch.nack(m, false, false));
    });
    const drops = events(w, 'mq.drop');
    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatchObject({ reason: 'rejected', queue: 'order-created', source: 'notification', target: 'order-created' });
    expect(brokerOf(w).queueStats('order-created')).toMatchObject({ published: 1, dropped: 1, acked: 0, ready: 0, unacked: 0 });
  });

  it('dead-lettering loops made only of expiries are cut, as RabbitMQ does', async () => {
    const w = world();
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertQueue('loop', { messageTtl: 10, deadLetterExchange: '' });
      ch.sendToQueue('loop', Buffer.from('x'));
    });
    expect(events(w, 'mq.drop').map((e) => e.reason)).toEqual(['cycle']);
    expect(brokerOf(w).queueStats('loop')).toMatchObject({ published: 1, deadLettered: 1, ready: 0 });
  });
});

describe('TTL', () => {
  it('queue TTL: waiting messages expire on time and are dead-lettered with reason expired', async () => {
    const w = world();
    const dead: Array<[number, string]> = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertQueue('parked');
      await ch.assertQueue('q', { messageTtl: 1000, deadLetterExchange: '', deadLetterRoutingKey: 'parked' });
      ch.sendToQueue('q', Buffer.from('a'));
      await w.sleep(300);
      ch.sendToQueue('q', Buffer.from('b'));
      await ch.consume('parked', (m) => m && dead.push([w.now(), m.content.toString()]), { noAck: true });
    });
    const exp = events(w, 'mq.expire');
    expect(exp.map((e) => e.time - exp[0]!.time)).toEqual([0, 300]);
    expect(dead.map((d) => d[1])).toEqual(['a', 'b']);
    expect(events(w, 'mq.dead-letter').map((e) => e.reason)).toEqual(['expired', 'expired']);
  });

  it('per-message expiration only takes effect at the head of the queue', async () => {
    const w = world();
    let firstGetAt = 0;
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertQueue('q');
      ch.sendToQueue('q', Buffer.from('no ttl'));
      ch.sendToQueue('q', Buffer.from('ttl 10'), { expiration: 10 });
      await w.sleep(500);
      firstGetAt = w.now();
      const m = (await ch.get('q')) as GetMessage;
      expect(m.content.toString()).toBe('no ttl');
      expect(await ch.get('q')).toBe(false);
    });
    const exp = events(w, 'mq.expire');
    expect(exp).toHaveLength(1);
    // it expired when it reached the head (as the first get took the message before it), not 10 ms after publishing
    expect(exp[0]!.time).toBe(firstGetAt + 1);
    expect(events(w, 'mq.drop')[0]).toMatchObject({ reason: 'expired', queue: 'q' });
  });

  it('a TTL of 0 delivers to a consumer that can take it now, and expires otherwise', async () => {
    const w = world();
    const got: string[] = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertQueue('q', { messageTtl: 0 });
      ch.sendToQueue('q', Buffer.from('nobody there'));
      await w.sleep(10);
      await ch.consume('q', (m) => m && got.push(m.content.toString()), { noAck: true });
      ch.sendToQueue('q', Buffer.from('taken'));
    });
    expect(got).toEqual(['taken']);
    expect(events(w, 'mq.expire')).toHaveLength(1);
  });
});

describe('max-length', () => {
  it('overflow drops from the head: dead-lettered with reason maxlen when there is a DLX, dropped otherwise', async () => {
    const w = world();
    const parked: string[] = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertQueue('parked');
      await ch.assertQueue('bounded', { maxLength: 2, deadLetterExchange: '', deadLetterRoutingKey: 'parked' });
      await ch.assertQueue('plain', { arguments: { 'x-max-length': 1 } });
      for (const s of ['1', '2', '3', '4']) {
        ch.sendToQueue('bounded', Buffer.from(s));
        ch.sendToQueue('plain', Buffer.from(s));
      }
      await w.sleep(5);
      await ch.consume('parked', (m) => m && parked.push(m.content.toString()), { noAck: true });
      const kept: string[] = [];
      for (let m = await ch.get('bounded', { noAck: true }); m; m = await ch.get('bounded', { noAck: true })) kept.push(m.content.toString());
      expect(kept).toEqual(['3', '4']);
    });
    expect(parked).toEqual(['1', '2']);
    expect(events(w, 'mq.dead-letter').every((e) => e.reason === 'maxlen')).toBe(true);
    expect(brokerOf(w).queueStats('plain')).toMatchObject({ published: 4, dropped: 3, ready: 1 });
    expect(events(w, 'mq.drop').filter((e) => e.queue === 'plain').map((e) => e.reason)).toEqual(['maxlen', 'maxlen', 'maxlen']);
  });
});
