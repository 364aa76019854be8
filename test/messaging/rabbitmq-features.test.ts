/**
 * RabbitMQ features beyond plain queues, as a real RabbitMQ 3.10.8 showed them
 * (quorum queues and poison messages, priority queues, consumer priorities,
 * single active consumer, alternate exchanges, exchange-to-exchange bindings,
 * headers exchanges, basic.recover, x-max-length-bytes). What was run and what
 * the in-memory broker decides for each is in src/messaging/SEMANTICS.md.
 */
import { describe, expect, it } from 'vitest';
import { Buffer, connect, type ConsumeMessage, type GetMessage } from '../../src/messaging/index.js';
import { declareFailed, drain, open, openConfirm, outcome, taken, type Outcome, type QueueOptions } from './amqp-oracle.js';
import { drive, world } from './helpers.js';

const QUORUM = { 'x-queue-type': 'quorum' } as const;

describe('quorum queues', () => {
  it('declaration rules: durable, not exclusive, not auto-delete; no x-max-priority or x-queue-mode; x-delivery-limit only on quorum queues', async () => {
    const w = world();
    await drive(w, async () => {
      const tries: [string, QueueOptions, string][] = [
        ['nd', { durable: false, arguments: QUORUM }, "invalid property 'non-durable' for queue 'nd' in vhost '/'"],
        ['ex', { exclusive: true, arguments: QUORUM }, "invalid property 'exclusive-owner' for queue 'ex' in vhost '/'"],
        ['ad', { autoDelete: true, arguments: QUORUM }, "invalid property 'auto-delete' for queue 'ad' in vhost '/'"],
        ['mp', { maxPriority: 5, arguments: QUORUM }, "invalid arg 'x-max-priority' for queue 'mp' in vhost '/' of queue type rabbit_quorum_queue"],
        ['lz', { queueMode: 'lazy', arguments: QUORUM }, "invalid arg 'x-queue-mode' for queue 'lz' in vhost '/' of queue type rabbit_quorum_queue"],
        ['bt', { arguments: { 'x-queue-type': 'bogus' } }, `invalid arg 'x-queue-type' for queue 'bt' in vhost '/': "unsupported queue type 'bogus'"`],
        ['cdl', { durable: false, arguments: { 'x-delivery-limit': 1 } }, "invalid arg 'x-delivery-limit' for queue 'cdl' in vhost '/' of queue type rabbit_classic_queue"],
      ];
      for (const [q, options, text] of tries) expect(await outcome((await open(w)).ch.assertQueue(q, options))).toEqual(declareFailed(text));
      const { ch } = await open(w);
      const accepted: [string, QueueOptions][] = [
        ['qq', { deadLetterExchange: '', deadLetterRoutingKey: 'dead', arguments: { ...QUORUM, 'x-delivery-limit': 2 } }],
        ['ttl', { messageTtl: 1000, expires: 60000, arguments: QUORUM }],
        ['sac', { arguments: { ...QUORUM, 'x-single-active-consumer': true } }],
        ['rp', { maxLength: 1, overflow: 'reject-publish', arguments: QUORUM }],
        ['classic', { arguments: { 'x-queue-type': 'classic' } }],
      ];
      for (const [q, options] of accepted) expect(await ch.assertQueue(q, options)).toEqual({ queue: q, messageCount: 0, consumerCount: 0 });
      expect(await outcome((await open(w)).ch.assertQueue('qq', { deadLetterExchange: '', deadLetterRoutingKey: 'dead', arguments: { 'x-delivery-limit': 2 } }))).toEqual(
        declareFailed("inequivalent arg 'x-queue-type' for queue 'qq' in vhost '/': received none but current is the value 'quorum' of type 'longstr'"),
      );
      expect(await outcome((await open(w)).ch.assertQueue('qq', { deadLetterExchange: '', deadLetterRoutingKey: 'dead', arguments: { ...QUORUM, 'x-delivery-limit': 3 } }))).toEqual(
        declareFailed("inequivalent arg 'x-delivery-limit' for queue 'qq' in vhost '/': received '3' but current is '2'"),
      );
    });
  });

  it('what the simulation refuses: stream queues, reject-publish-dlx on a quorum queue (RabbitMQ 3.10 would quietly act as drop-head), a delivery limit that is not a number', async () => {
    const w = world();
    await drive(w, async () => {
      const stream = await outcome((await open(w)).ch.assertQueue('s', { arguments: { 'x-queue-type': 'stream' } }));
      expect(stream).toMatchObject({ code: 406 });
      expect(stream !== 'ok' && stream.message).toContain("invalid arg 'x-queue-type' for queue 's'");
      expect(stream !== 'ok' && stream.message).toContain('stream');
      const dlx = await outcome((await open(w)).ch.assertQueue('q', { maxLength: 2, overflow: 'reject-publish-dlx', arguments: QUORUM } as QueueOptions));
      expect(dlx).toMatchObject({ code: 406 });
      expect(dlx !== 'ok' && dlx.message).toContain("invalid arg 'x-overflow' for queue 'q'");
      expect(dlx !== 'ok' && dlx.message).toContain('reject-publish-dlx');
      // RabbitMQ 3.10 accepts a string here and then has no limit; the simulation says so instead
      expect(await outcome((await open(w)).ch.assertQueue('dls', { arguments: { ...QUORUM, 'x-delivery-limit': 'x' } }))).toEqual(
        declareFailed(`invalid arg 'x-delivery-limit' for queue 'dls' in vhost '/': "expected integer, got longstr"`),
      );
    });
  });

  it('poison messages: x-delivery-limit 2 gives three deliveries (x-delivery-count absent, 1, 2), then dead-letters with reason delivery_limit; the message keeps its place meanwhile', async () => {
    const w = world();
    const seen: [string, boolean, Record<string, unknown>][] = [];
    let dead: GetMessage | undefined;
    await drive(w, async () => {
      const { ch } = await open(w);
      await ch.assertQueue('dead', { durable: false });
      await ch.assertQueue('qq', { deadLetterExchange: '', deadLetterRoutingKey: 'dead', arguments: { ...QUORUM, 'x-delivery-limit': 2 } });
      ch.sendToQueue('qq', Buffer.from('poison'), { messageId: 'p1', headers: { a: 1 } });
      ch.sendToQueue('qq', Buffer.from('ok'), { messageId: 'k1' });
      const c = await (await connect(w, 'worker')).createChannel();
      await c.prefetch(1);
      await c.consume('qq', (m) => {
        if (!m) return;
        seen.push([m.content.toString(), m.fields.redelivered, m.properties.headers]);
        // a bound, so that a broker without a delivery limit cannot loop forever
        if (m.content.toString() === 'poison' && seen.length < 6) c.nack(m, false, true);
        else c.ack(m);
      });
      await w.sleep(100);
      dead = taken(await ch.get('dead', { noAck: true }));
      expect(await ch.checkQueue('qq')).toEqual({ queue: 'qq', messageCount: 0, consumerCount: 1 });
    });
    expect(seen).toEqual([
      ['poison', false, { a: 1 }],
      ['poison', true, { a: 1, 'x-delivery-count': 1 }],
      ['poison', true, { a: 1, 'x-delivery-count': 2 }],
      ['ok', false, {}],
    ]);
    const d = dead!;
    expect(d.content.toString()).toBe('poison');
    expect(d.properties.messageId).toBe('p1');
    expect(d.properties.headers).toEqual({
      a: 1,
      'x-death': [{ count: 1, reason: 'delivery_limit', queue: 'qq', time: expect.anything(), exchange: '', 'routing-keys': ['qq'] }],
      'x-first-death-exchange': '',
      'x-first-death-queue': 'qq',
      'x-first-death-reason': 'delivery_limit',
    });
  });

  it('without x-delivery-limit a requeued message goes to the back and x-delivery-count still counts; basic.get shows x-delivery-count 0 on a first delivery', async () => {
    const w = world();
    const seen: [string, unknown][] = [];
    await drive(w, async () => {
      const { ch } = await open(w);
      await ch.assertQueue('qa', { arguments: QUORUM });
      for (const s of ['a', 'b', 'c']) ch.sendToQueue('qa', Buffer.from(s));
      const c = await (await connect(w, 'worker')).createChannel();
      await c.prefetch(1);
      let nacks = 0;
      await c.consume('qa', (m) => {
        if (!m) return;
        seen.push([`${m.content.toString()}${m.fields.redelivered ? '*' : ''}`, m.properties.headers['x-delivery-count']]);
        if (m.content.toString() === 'a' && nacks++ < 2) c.nack(m, false, true);
        else c.ack(m);
      });
      await w.sleep(100);

      await ch.assertQueue('qg', { arguments: QUORUM });
      for (const s of ['a', 'b', 'c']) ch.sendToQueue('qg', Buffer.from(s));
      const first = await ch.get('qg');
      expect(first && first.properties.headers).toEqual({ 'x-delivery-count': 0 });
      ch.nack(taken(first), false, true);
      const order: [string, unknown][] = [];
      for (let m = await ch.get('qg', { noAck: true }); m; m = await ch.get('qg', { noAck: true })) order.push([m.content.toString(), m.properties.headers['x-delivery-count']]);
      expect(order).toEqual([
        ['b', 0],
        ['c', 0],
        ['a', 1],
      ]);
    });
    expect(seen).toEqual([
      ['a', undefined],
      ['b', undefined],
      ['c', undefined],
      ['a*', 1],
      ['a*', 2],
    ]);
  });

  it('with a delivery limit and no dead-letter exchange the message is dropped; a channel closing with the message unacked counts as a delivery', async () => {
    const w = world();
    const got: unknown[] = [];
    await drive(w, async () => {
      const conn = await connect(w, 'svc');
      const ch = await conn.createChannel();
      await ch.assertQueue('q4', { arguments: { ...QUORUM, 'x-delivery-limit': 1 } });
      ch.sendToQueue('q4', Buffer.from('w'));
      for (let i = 0; i < 3; i++) {
        const c = await conn.createChannel();
        const m = await c.get('q4');
        got.push(m && [m.fields.redelivered, m.properties.headers]);
        await c.close();
      }
      expect(await ch.checkQueue('q4')).toEqual({ queue: 'q4', messageCount: 0, consumerCount: 0 });
    });
    expect(got).toEqual([[false, { 'x-delivery-count': 0 }], [true, { 'x-delivery-count': 1 }], false]);
  });

  it('max-length on a quorum queue: drop-head dead-letters the oldest; reject-publish lets the queue go one over the limit, then nacks', async () => {
    const w = world();
    const confirms: string[] = [];
    await drive(w, async () => {
      const { ch } = await openConfirm(w);
      await ch.assertQueue('dead', { durable: false });
      await ch.assertQueue('dh', { maxLength: 2, overflow: 'drop-head', deadLetterExchange: '', deadLetterRoutingKey: 'dead', arguments: QUORUM } as QueueOptions);
      for (const s of ['m1', 'm2', 'm3']) ch.sendToQueue('dh', Buffer.from(s));
      await ch.waitForConfirms();
      expect(await drain(ch, 'dh')).toEqual(['m2', 'm3']);
      const dead = await ch.get('dead', { noAck: true });
      expect(dead && [dead.content.toString(), dead.properties.headers['x-first-death-reason']]).toEqual(['m1', 'maxlen']);
      await ch.assertQueue('rp', { maxLength: 2, overflow: 'reject-publish', arguments: QUORUM } as QueueOptions);
      for (const s of ['m1', 'm2', 'm3', 'm4', 'm5']) {
        ch.sendToQueue('rp', Buffer.from(s), {}, (err) => confirms.push(`${s}:${err ? 'nack' : 'ack'}`));
        await ch.waitForConfirms().catch(() => undefined);
      }
      expect(await drain(ch, 'rp')).toEqual(['m1', 'm2', 'm3']);
    });
    expect(confirms).toEqual(['m1:ack', 'm2:ack', 'm3:ack', 'm4:nack', 'm5:nack']);
  });
});

describe('priority queues', () => {
  it('higher priority first, FIFO within a priority; above x-max-priority counts as the maximum; no priority counts as 0; the property is delivered unchanged', async () => {
    const w = world();
    let got: [string, number | undefined][] = [];
    await drive(w, async () => {
      const { ch } = await open(w);
      await ch.assertQueue('prio', { durable: false, maxPriority: 5 });
      const pubs: [string, number | undefined][] = [['none', undefined], ['p1', 1], ['p5', 5], ['p9', 9], ['p3', 3], ['p0', 0], ['none2', undefined], ['p5b', 5]];
      for (const [c, p] of pubs) ch.sendToQueue('prio', Buffer.from(c), p === undefined ? {} : { priority: p });
      got = [];
      for (let m = await ch.get('prio', { noAck: true }); m; m = await ch.get('prio', { noAck: true })) got.push([m.content.toString(), m.properties.priority]);
    });
    expect(got).toEqual([
      ['p5', 5],
      ['p9', 9],
      ['p5b', 5],
      ['p3', 3],
      ['p1', 1],
      ['none', undefined],
      ['p0', 0],
      ['none2', undefined],
    ]);
  });

  it('a requeued message returns to its place; a busy consumer gets the highest priority waiting next; without x-max-priority the property does not reorder', async () => {
    const w = world();
    const seen: string[] = [];
    await drive(w, async () => {
      const { ch } = await open(w);
      await ch.assertQueue('prio', { durable: false, maxPriority: 5 });
      for (const [c, p] of [['a', 2], ['b', 2], ['c', 1]] as const) ch.sendToQueue('prio', Buffer.from(c), { priority: p });
      const a = await ch.get('prio');
      ch.nack(taken(a), false, true);
      const order: string[] = [];
      for (let m = await ch.get('prio', { noAck: true }); m; m = await ch.get('prio', { noAck: true })) order.push(`${m.content.toString()}${m.fields.redelivered ? '*' : ''}`);
      expect(order).toEqual(['a*', 'b', 'c']);

      const c = await (await connect(w, 'worker')).createChannel();
      await c.prefetch(1);
      let first = true;
      await c.consume('prio', async (m) => {
        if (!m) return;
        seen.push(m.content.toString());
        if (first) {
          first = false;
          await w.sleep(200);
        }
        c.ack(m);
      });
      ch.sendToQueue('prio', Buffer.from('low-first'), { priority: 0 });
      await w.sleep(50);
      for (const [s, p] of [['l1', 1], ['h4', 4], ['l2', 1], ['h5', 5]] as const) ch.sendToQueue('prio', Buffer.from(s), { priority: p });
      await w.sleep(500);

      await ch.assertQueue('plain', { durable: false });
      ch.sendToQueue('plain', Buffer.from('x'), { priority: 1 });
      ch.sendToQueue('plain', Buffer.from('y'), { priority: 9 });
      expect(await drain(ch, 'plain')).toEqual(['x', 'y']);
    });
    expect(seen).toEqual(['low-first', 'h5', 'h4', 'l1', 'l2']);
  });

  it('x-max-priority must be an integer from 0 to 255 and must match on redeclare', async () => {
    const w = world();
    await drive(w, async () => {
      const { ch } = await open(w);
      await ch.assertQueue('prio', { durable: false, maxPriority: 5 });
      expect(await ch.assertQueue('p0', { durable: false, maxPriority: 0 })).toEqual({ queue: 'p0', messageCount: 0, consumerCount: 0 });
      expect(await ch.assertQueue('p255', { durable: false, maxPriority: 255 })).toEqual({ queue: 'p255', messageCount: 0, consumerCount: 0 });
      const tries: [string, QueueOptions, string][] = [
        ['b256', { maxPriority: 256 }, "invalid arg 'x-max-priority' for queue 'b256' in vhost '/': {max_value_exceeded,256}"],
        ['bneg', { maxPriority: -1 }, "invalid arg 'x-max-priority' for queue 'bneg' in vhost '/': {value_negative,-1}"],
        ['bstr', { arguments: { 'x-max-priority': '5' } }, `invalid arg 'x-max-priority' for queue 'bstr' in vhost '/': "expected integer, got longstr"`],
        ['prio', { maxPriority: 4 }, "inequivalent arg 'x-max-priority' for queue 'prio' in vhost '/': received '4' but current is '5'"],
        ['prio', {}, "inequivalent arg 'x-max-priority' for queue 'prio' in vhost '/': received none but current is the value '5' of type 'byte'"],
      ];
      for (const [q, options, text] of tries) expect(await outcome((await open(w)).ch.assertQueue(q, { durable: false, ...options }))).toEqual(declareFailed(text));
    });
  });
});

describe('consumers', () => {
  it('consumer priority: the highest-priority consumer with room gets the message, lower ones only when it is full; equal priorities share round-robin; noAck consumers are never full', async () => {
    const w = world();
    const seen: string[] = [];
    const seenNoAck: string[] = [];
    let badPriority: Outcome = 'ok';
    await drive(w, async () => {
      const conn = await connect(w, 'svc');
      const ch = await conn.createChannel();
      await ch.assertQueue('cp', { durable: false });
      const lo = await conn.createChannel();
      const hi = await conn.createChannel();
      const mid = await conn.createChannel();
      await lo.prefetch(2);
      await hi.prefetch(2);
      await mid.prefetch(1);
      const hiHeld: ConsumeMessage[] = [];
      await lo.consume('cp', (m) => m && seen.push(`lo:${m.content.toString()}`), { priority: 1 });
      await hi.consume(
        'cp',
        (m) => {
          if (!m) return;
          seen.push(`hi:${m.content.toString()}`);
          hiHeld.push(m);
        },
        { priority: 10 },
      );
      await mid.consume('cp', (m) => m && seen.push(`mid:${m.content.toString()}`), { arguments: { 'x-priority': 5 } });
      for (let i = 1; i <= 8; i++) ch.sendToQueue('cp', Buffer.from(`m${i}`));
      await w.sleep(20);
      for (const m of hiHeld.splice(0)) hi.ack(m);
      await w.sleep(20);

      await ch.assertQueue('cp2', { durable: false });
      const n = await conn.createChannel();
      await n.consume('cp2', (m) => m && seenNoAck.push(`neg:${m.content.toString()}`), { noAck: true, priority: -5 });
      await n.consume('cp2', (m) => m && seenNoAck.push(`zero:${m.content.toString()}`), { noAck: true });
      await n.consume('cp2', (m) => m && seenNoAck.push(`zero2:${m.content.toString()}`), { noAck: true, priority: 0 });
      for (let i = 1; i <= 4; i++) ch.sendToQueue('cp2', Buffer.from(`m${i}`));
      await w.sleep(20);

      badPriority = await outcome((await open(w)).ch.consume('cp2', () => undefined, { arguments: { 'x-priority': 'high' } }));
    });
    expect(seen).toEqual(['hi:m1', 'hi:m2', 'mid:m3', 'lo:m4', 'lo:m5', 'hi:m6', 'hi:m7']);
    expect(seenNoAck).toEqual(['zero:m1', 'zero2:m2', 'zero:m3', 'zero2:m4']);
    expect(badPriority).toEqual({
      code: 406,
      message: `Operation failed: BasicConsume; 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - invalid arg 'x-priority' for queue 'cp2' in vhost '/': "expected integer, got longstr""`,
    });
  });

  it('single active consumer: one consumer gets everything, the next takes over when it leaves (its unacked messages come back redelivered); both are counted', async () => {
    const w = world();
    const seen: string[] = [];
    const seen1: string[] = [];
    await drive(w, async () => {
      const conn = await connect(w, 'svc');
      const ch = await conn.createChannel();
      await ch.assertQueue('sac', { durable: false, arguments: { 'x-single-active-consumer': true } });
      const a = await conn.createChannel();
      const b = await conn.createChannel();
      await a.consume('sac', (m) => m && (seen.push(`A:${m.content.toString()}`), a.ack(m)), { consumerTag: 'A' });
      await b.consume('sac', (m) => m && (seen.push(`B:${m.content.toString()}`), b.ack(m)), { consumerTag: 'B' });
      expect(await ch.checkQueue('sac')).toEqual({ queue: 'sac', messageCount: 0, consumerCount: 2 });
      for (const i of [1, 2, 3]) ch.sendToQueue('sac', Buffer.from(`m${i}`));
      await w.sleep(20);
      await a.cancel('A');
      for (const i of [4, 5]) ch.sendToQueue('sac', Buffer.from(`m${i}`));
      await w.sleep(20);

      await ch.assertQueue('sac2', { durable: false, arguments: { 'x-single-active-consumer': true } });
      const s = await conn.createChannel();
      const t = await conn.createChannel();
      await s.prefetch(1);
      await s.consume('sac2', (m) => m && seen1.push(`S:${m.content.toString()}`), { consumerTag: 'S' });
      await t.consume('sac2', (m) => m && (seen1.push(`T:${m.content.toString()}${m.fields.redelivered ? '*' : ''}`), t.ack(m)), { consumerTag: 'T' });
      for (const i of [1, 2, 3]) ch.sendToQueue('sac2', Buffer.from(`m${i}`));
      await w.sleep(20);
      expect(seen1).toEqual(['S:m1']);
      expect(await ch.checkQueue('sac2')).toEqual({ queue: 'sac2', messageCount: 2, consumerCount: 2 });
      await s.close();
      await w.sleep(20);

      expect(await outcome((await open(w)).ch.consume('sac2', () => undefined, { exclusive: true }))).toEqual({
        code: 403,
        message: `Operation failed: BasicConsume; 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - queue 'sac2' in vhost '/' in exclusive use"`,
      });
      expect(await outcome((await open(w)).ch.assertQueue('bad', { durable: false, arguments: { 'x-single-active-consumer': 'true' } }))).toEqual(
        declareFailed("invalid arg 'x-single-active-consumer' for queue 'bad' in vhost '/': {unacceptable_type,longstr}"),
      );
      expect(await outcome((await open(w)).ch.assertQueue('sac', { durable: false, arguments: { 'x-single-active-consumer': false } }))).toEqual(
        declareFailed("inequivalent arg 'x-single-active-consumer' for queue 'sac' in vhost '/': received 'false' but current is 'true'"),
      );
    });
    expect(seen).toEqual(['A:m1', 'A:m2', 'A:m3', 'B:m4', 'B:m5']);
    expect(seen1).toEqual(['S:m1', 'T:m1*', 'T:m2', 'T:m3']);
  });

  it('recover() requeues the channel’s unacknowledged messages: they come back redelivered with new delivery tags, and the old tags are unknown', async () => {
    const w = world();
    const seen: [string, boolean, number][] = [];
    await drive(w, async () => {
      const conn = await connect(w, 'svc');
      const ch = await conn.createChannel();
      await ch.assertQueue('rec', { durable: false });
      const r = await conn.createChannel();
      await r.consume('rec', (m) => m && seen.push([m.content.toString(), m.fields.redelivered, m.fields.deliveryTag]));
      for (const s of ['a', 'b']) ch.sendToQueue('rec', Buffer.from(s));
      await w.sleep(20);
      expect(await r.recover()).toEqual({});
      await w.sleep(20);

      await ch.assertQueue('rec2', { durable: false });
      ch.sendToQueue('rec2', Buffer.from('x'));
      const { ch: r2, errors } = await open(w);
      const g = await r2.get('rec2');
      expect(g && g.fields).toMatchObject({ deliveryTag: 1, redelivered: false });
      await r2.recover();
      const g2 = await r2.get('rec2');
      expect(g2 && g2.fields).toMatchObject({ deliveryTag: 2, redelivered: true });
      r2.ack(taken(g));
      await w.sleep(20);
      expect(errors).toEqual(['Channel closed by server: 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - unknown delivery tag 1"']);
    });
    expect(seen).toEqual([
      ['a', false, 1],
      ['b', false, 2],
      ['a', true, 3],
      ['b', true, 4],
    ]);
  });
});

describe('exchanges', () => {
  it('alternate exchange: takes what the main exchange cannot route (keeping exchange and routing key), so nothing is returned; a missing or dead-end AE means a return', async () => {
    const w = world();
    const returns: string[] = [];
    let viaAe: [string, string, string][] = [];
    await drive(w, async () => {
      const { ch } = await openConfirm(w);
      ch.on('return', (r: { fields: { replyCode: number; exchange: string; routingKey: string }; content: { toString(): string } }) =>
        returns.push(`${r.fields.replyCode} ${r.fields.exchange} ${r.fields.routingKey} ${r.content.toString()}`),
      );
      await ch.assertExchange('ae', 'fanout', { durable: false });
      await ch.assertExchange('main', 'direct', { durable: false, alternateExchange: 'ae' });
      await ch.assertExchange('main2', 'direct', { durable: false, alternateExchange: 'missing-ae' });
      await ch.assertExchange('ae3', 'direct', { durable: false });
      await ch.assertExchange('main3', 'direct', { durable: false, alternateExchange: 'ae3' });
      await ch.assertExchange('main4', 'topic', { durable: false, arguments: { 'alternate-exchange': 'ae' } });
      await ch.assertQueue('unrouted', { durable: false });
      await ch.assertQueue('routed', { durable: false });
      await ch.bindQueue('unrouted', 'ae', '');
      await ch.bindQueue('routed', 'main', 'known');
      ch.publish('main', 'known', Buffer.from('k'), { mandatory: true });
      ch.publish('main', 'unknown', Buffer.from('u'), { mandatory: true });
      ch.publish('main2', 'x', Buffer.from('lost'), { mandatory: true });
      ch.publish('main3', 'x', Buffer.from('nowhere'), { mandatory: true });
      ch.publish('main4', 'zz', Buffer.from('via arguments'));
      await ch.waitForConfirms();
      expect(await drain(ch, 'routed')).toEqual(['k']);
      viaAe = [];
      for (let m = await ch.get('unrouted', { noAck: true }); m; m = await ch.get('unrouted', { noAck: true })) viaAe.push([m.content.toString(), m.fields.exchange, m.fields.routingKey]);
    });
    expect(viaAe).toEqual([
      ['u', 'main', 'unknown'],
      ['via arguments', 'main4', 'zz'],
    ]);
    expect(returns).toEqual(['312 main2 x lost', '312 main3 x nowhere']);
  });

  it('exchange-to-exchange bindings: routing continues with the original key, a queue reached twice gets one copy, cycles end, unbind stops the flow', async () => {
    const w = world();
    const returns: string[] = [];
    await drive(w, async () => {
      const { ch } = await openConfirm(w);
      ch.on('return', (r: { fields: { exchange: string; routingKey: string } }) => returns.push(`${r.fields.exchange} ${r.fields.routingKey}`));
      const read = async (q: string) => {
        const out: [string, string, string][] = [];
        for (let m = await ch.get(q, { noAck: true }); m; m = await ch.get(q, { noAck: true })) out.push([m.content.toString(), m.fields.exchange, m.fields.routingKey]);
        return out;
      };
      await ch.assertExchange('src', 'topic', { durable: false });
      await ch.assertExchange('dst', 'direct', { durable: false });
      await ch.assertExchange('fan', 'fanout', { durable: false });
      await ch.assertQueue('qa', { durable: false });
      await ch.assertQueue('qb', { durable: false });
      await ch.bindExchange('dst', 'src', 'order.*');
      await ch.bindExchange('fan', 'src', '#');
      await ch.bindQueue('qa', 'dst', 'order.created');
      await ch.bindQueue('qa', 'fan', '');
      await ch.bindQueue('qb', 'src', 'order.#');
      ch.publish('src', 'order.created', Buffer.from('oc'));
      ch.publish('src', 'order.paid', Buffer.from('op'));
      ch.publish('src', 'user.x', Buffer.from('ux'));
      await ch.waitForConfirms();
      expect(await read('qa')).toEqual([
        ['oc', 'src', 'order.created'],
        ['op', 'src', 'order.paid'],
        ['ux', 'src', 'user.x'],
      ]);
      expect(await read('qb')).toEqual([
        ['oc', 'src', 'order.created'],
        ['op', 'src', 'order.paid'],
      ]);
      await ch.unbindExchange('fan', 'src', '#');
      ch.publish('src', 'order.created', Buffer.from('oc2'));
      ch.publish('src', 'user.y', Buffer.from('uy'));
      await ch.waitForConfirms();
      expect(await read('qa')).toEqual([['oc2', 'src', 'order.created']]);

      await ch.assertExchange('cyca', 'fanout', { durable: false });
      await ch.assertExchange('cycb', 'fanout', { durable: false });
      await ch.bindExchange('cycb', 'cyca', '');
      await ch.bindExchange('cyca', 'cycb', '');
      await ch.assertQueue('cycq', { durable: false });
      await ch.bindQueue('cycq', 'cycb', '');
      ch.publish('cyca', 'k', Buffer.from('cyc'));
      await ch.waitForConfirms();
      expect(await read('cycq')).toEqual([['cyc', 'cyca', 'k']]);

      await ch.assertExchange('lone', 'fanout', { durable: false });
      await ch.bindExchange('lone', 'src', 'lonely');
      ch.publish('src', 'lonely', Buffer.from('l'), { mandatory: true });
      await ch.waitForConfirms();

      // unbinding what does not exist is fine, even when the exchange or queue is missing
      expect(await ch.unbindExchange('no-such-exchange', 'src', '')).toEqual({});
      expect(await ch.unbindExchange('dst', 'no-such-exchange', '')).toEqual({});
      expect(await ch.unbindQueue('no-such-queue', 'src', '')).toEqual({});
      expect(await ch.unbindQueue('qa', 'no-such-exchange', '')).toEqual({});
      const noExchange = (method: string) => ({ code: 404, message: `Operation failed: ${method}; 404 (NOT-FOUND) with message "NOT_FOUND - no exchange 'nope' in vhost '/'"` });
      expect(await outcome((await open(w)).ch.bindExchange('dst', 'nope', ''))).toEqual(noExchange('ExchangeBind'));
      expect(await outcome((await open(w)).ch.bindExchange('nope', 'src', ''))).toEqual(noExchange('ExchangeBind'));
      expect(await outcome((await open(w)).ch.bindExchange('dst', '', 'x'))).toEqual({
        code: 403,
        message: 'Operation failed: ExchangeBind; 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - operation not permitted on the default exchange"',
      });
    });
    expect(returns).toEqual(['src lonely']);
  });

  it('headers exchange: x-match all (the default) or any; x- arguments are left out of the match unless all-with-x / any-with-x; values match by type', async () => {
    const w = world();
    const got: Record<string, string[]> = {};
    const binds: Record<string, Record<string, unknown>> = {
      all: { 'x-match': 'all', a: 1, b: 'two' },
      any: { 'x-match': 'any', a: 1, b: 'two' },
      dflt: { a: 1, b: 'two' },
      xhdr: { 'x-match': 'all', 'x-tenant': 'acme' },
      xonly: { 'x-match': 'any', 'x-tenant': 'acme' },
      allwithx: { 'x-match': 'all-with-x', 'x-tenant': 'acme', a: 1 },
      anywithx: { 'x-match': 'any-with-x', 'x-tenant': 'acme' },
      empty: {},
      emptyany: { 'x-match': 'any' },
      typed: { 'x-match': 'all', n: 1 },
      presence: { 'x-match': 'all', flag: true },
    };
    const msgs: Record<string, Record<string, unknown>> = {
      both: { a: 1, b: 'two' },
      onlyA: { a: 1 },
      bothExtra: { a: 1, b: 'two', c: 3 },
      wrongB: { a: 1, b: 'three' },
      tenant: { 'x-tenant': 'acme' },
      tenantA: { 'x-tenant': 'acme', a: 1 },
      none: {},
      nstring: { n: '1' },
      nnumber: { n: 1 },
      flagFalse: { flag: false },
      flagTrue: { flag: true },
    };
    let badMatch: Outcome = 'ok';
    await drive(w, async () => {
      const { ch } = await openConfirm(w);
      await ch.assertExchange('hx', 'headers', { durable: false });
      for (const [q, args] of Object.entries(binds)) {
        await ch.assertQueue(q, { durable: false });
        await ch.bindQueue(q, 'hx', 'ignored-key', args);
      }
      for (const [c, h] of Object.entries(msgs)) ch.publish('hx', 'whatever', Buffer.from(c), { headers: h });
      await ch.waitForConfirms();
      for (const q of Object.keys(binds)) got[q] = await drain(ch, q);
      const { ch: bad } = await open(w);
      await bad.assertQueue('bx', { durable: false });
      badMatch = await outcome(bad.bindQueue('bx', 'hx', '', { 'x-match': 'some' }));
    });
    const everything = Object.keys(msgs);
    expect(got).toEqual({
      all: ['both', 'bothExtra'],
      any: ['both', 'onlyA', 'bothExtra', 'wrongB', 'tenantA'],
      dflt: ['both', 'bothExtra'],
      xhdr: everything,
      xonly: [],
      allwithx: ['tenantA'],
      anywithx: ['tenant', 'tenantA'],
      empty: everything,
      emptyany: [],
      typed: ['nnumber'],
      presence: ['flagTrue'],
    });
    expect(badMatch).toEqual({
      code: 406,
      message: `Operation failed: QueueBind; 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - Invalid x-match field value <<"some">>; expected all, any, all-with-x, or any-with-x"`,
    });
  });
});

describe('x-max-length-bytes', () => {
  it('limits the total body size of ready messages: drop-head drops from the head (even everything, for a body larger than the limit); reject-publish nacks', async () => {
    const w = world();
    const confirms: string[] = [];
    await drive(w, async () => {
      const { ch } = await openConfirm(w);
      await ch.assertQueue('dh', { durable: false, arguments: { 'x-max-length-bytes': 10 } });
      await ch.assertQueue('rp', { durable: false, overflow: 'reject-publish', arguments: { 'x-max-length-bytes': 10 } } as QueueOptions);
      await ch.assertQueue('both', { durable: false, maxLength: 3, arguments: { 'x-max-length-bytes': 5 } });
      for (const s of ['aaaa', 'bbbb', 'cc', 'd', 'eeeeeeeeeee']) {
        ch.sendToQueue('dh', Buffer.from(s));
        ch.sendToQueue('rp', Buffer.from(s), {}, (err) => confirms.push(`${s}:${err ? 'nack' : 'ack'}`));
      }
      for (const s of ['a', 'b', 'c', 'd', 'eeee']) ch.sendToQueue('both', Buffer.from(s));
      await ch.waitForConfirms().catch(() => undefined);
      expect(await drain(ch, 'dh')).toEqual([]);
      expect(await drain(ch, 'rp')).toEqual(['aaaa', 'bbbb', 'cc']);
      expect(await drain(ch, 'both')).toEqual(['d', 'eeee']);
    });
    expect(confirms).toEqual(['aaaa:ack', 'bbbb:ack', 'cc:ack', 'd:nack', 'eeeeeeeeeee:nack']);
  });
});
