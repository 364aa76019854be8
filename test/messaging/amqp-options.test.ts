/**
 * Every amqplib option of assertQueue, assertExchange, publish/sendToQueue,
 * consume, bindQueue/bindExchange, get, prefetch and recover, as a real
 * RabbitMQ 3.10.8 (driven by amqplib 2.3.1) treats it. Each expectation here
 * was observed on a real node; src/messaging/SEMANTICS.md says what was run and
 * what the in-memory broker decides for each option (honour, or refuse with an
 * error that names it: never ignore it silently).
 */
import { describe, expect, it } from 'vitest';
import { Buffer, brokerOf, type Channel, type ConsumeMessage, type Options } from '../../src/messaging/index.js';
import type { World } from '../../src/sim/index.js';
import { closedByServer, declareFailed, drain, failed, open, openConfirm, outcome, sendAll, taken, type QueueOptions } from './amqp-oracle.js';
import { drive, events, world } from './helpers.js';

/** Does `queue` exist? (asked on a throwaway connection, as a second client would) */
async function exists(w: World, queue: string): Promise<boolean> {
  const { conn, ch } = await open(w, 'probe');
  const r = await outcome(ch.checkQueue(queue));
  if (r === 'ok') await conn.close();
  return r === 'ok';
}

const LOCKED = (q: string) =>
  `RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '${q}' in vhost '/'. It could be originally declared on another connection or the exclusive property value does not match that of the original declaration.`;

describe('assertQueue options', () => {
  it('exclusive: only the declaring connection may declare, consume, check, get or delete the queue (405); anyone may publish; it goes with its connection', async () => {
    const w = world();
    await drive(w, async () => {
      const owner = await open(w, 'owner');
      await owner.ch.assertQueue('mine', { exclusive: true, durable: false });
      expect(await outcome((await open(w, 'b')).ch.assertQueue('mine', { exclusive: true, durable: false }))).toEqual(failed('QueueDeclare', 405, LOCKED('mine')));
      expect(await outcome((await open(w, 'b')).ch.consume('mine', () => undefined))).toEqual(failed('BasicConsume', 405, LOCKED('mine')));
      expect(await outcome((await open(w, 'b')).ch.checkQueue('mine'))).toEqual(failed('QueueDeclare', 405, LOCKED('mine')));
      expect(await outcome((await open(w, 'b')).ch.get('mine'))).toEqual(failed('BasicGet', 405, LOCKED('mine')));
      expect(await outcome((await open(w, 'b')).ch.deleteQueue('mine'))).toEqual(failed('QueueDelete', 405, LOCKED('mine')));
      const publisher = await open(w, 'b');
      publisher.ch.sendToQueue('mine', Buffer.from('from another connection'));
      await w.sleep(10);
      expect(publisher.errors).toEqual([]);
      expect((await owner.ch.checkQueue('mine')).messageCount).toBe(1);
      // on the owner's own connection, another channel must also say exclusive
      const sibling = await owner.conn.createChannel();
      sibling.on('error', () => undefined);
      expect(await outcome(sibling.assertQueue('mine', { durable: false }))).toEqual(failed('QueueDeclare', 405, LOCKED('mine')));
      const sibling2 = await owner.conn.createChannel();
      expect(await sibling2.assertQueue('mine', { exclusive: true, durable: false })).toEqual({ queue: 'mine', messageCount: 1, consumerCount: 0 });
      await owner.conn.close();
      expect(await exists(w, 'mine')).toBe(false);
    });
  });

  it('durable (and persistent messages): a restart keeps durable queues, exchanges, bindings and persistent messages; transient ones are gone', async () => {
    const w = world();
    await drive(w, async () => {
      const { ch } = await openConfirm(w);
      await ch.assertExchange('rx-durable', 'fanout');
      await ch.assertExchange('rx-transient', 'fanout', { durable: false });
      await ch.assertQueue('rq-durable');
      await ch.assertQueue('rq-transient', { durable: false });
      await ch.bindQueue('rq-durable', 'rx-durable', '');
      ch.sendToQueue('rq-durable', Buffer.from('persistent'), { persistent: true });
      ch.sendToQueue('rq-durable', Buffer.from('transient'));
      ch.sendToQueue('rq-durable', Buffer.from('deliveryMode 2'), { deliveryMode: 2 });
      await ch.waitForConfirms();
      brokerOf(w).restart();
      await w.sleep(50);
      const after = await openConfirm(w);
      const kept: [string, boolean][] = [];
      for (let m = await after.ch.get('rq-durable', { noAck: true }); m; m = await after.ch.get('rq-durable', { noAck: true })) kept.push([m.content.toString(), m.fields.redelivered]);
      expect(kept).toEqual([
        ['persistent', false],
        ['deliveryMode 2', false],
      ]);
      expect(await outcome(after.ch.checkExchange('rx-durable'))).toBe('ok');
      after.ch.publish('rx-durable', '', Buffer.from('via the kept binding'));
      await after.ch.waitForConfirms();
      expect((await after.ch.checkQueue('rq-durable')).messageCount).toBe(1);
      expect(await exists(w, 'rq-transient')).toBe(false);
      const probe = await open(w, 'probe');
      expect(await outcome(probe.ch.checkExchange('rx-transient'))).toEqual(failed('ExchangeDeclare', 404, "NOT_FOUND - no exchange 'rx-transient' in vhost '/'"));
    });
  });

  it('autoDelete: the queue goes when its last consumer goes (cancel or channel close), never before it had one', async () => {
    const w = world();
    await drive(w, async () => {
      const { conn, ch } = await open(w);
      await ch.assertQueue('ad', { autoDelete: true, durable: false });
      await w.sleep(200);
      expect(await exists(w, 'ad')).toBe(true);
      const c = await conn.createChannel();
      const t1 = await c.consume('ad', () => undefined);
      const t2 = await c.consume('ad', () => undefined);
      await c.cancel(t1.consumerTag);
      expect(await ch.checkQueue('ad')).toEqual({ queue: 'ad', messageCount: 0, consumerCount: 1 });
      await c.cancel(t2.consumerTag);
      await w.sleep(5);
      expect(await exists(w, 'ad')).toBe(false);

      await ch.assertQueue('ad2', { autoDelete: true, durable: false });
      const c2 = await conn.createChannel();
      await c2.consume('ad2', () => undefined);
      await c2.close();
      await w.sleep(5);
      expect(await exists(w, 'ad2')).toBe(false);
    });
  });

  it('arguments: an argument RabbitMQ does not know is kept and not compared on redeclare, and the broker says it has no effect', async () => {
    const w = world();
    await drive(w, async () => {
      const { ch, errors } = await open(w);
      await ch.assertQueue('tt', { durable: false, messageTtl: 1000, arguments: { 'x-foo': 'bar' } });
      expect(await ch.assertQueue('tt', { durable: false, messageTtl: 1000, arguments: { 'x-foo': 'baz' } })).toEqual({ queue: 'tt', messageCount: 0, consumerCount: 0 });
      expect(errors).toEqual([]);
    });
    const warnings = events(w, 'log').filter((e) => e.level === 'warn' && e.message.includes("'x-foo'"));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
  });

  it('messageTtl: a message held unacknowledged past its TTL expires when it is requeued; the waiting one expires at the head; the smaller of queue TTL and expiration wins', async () => {
    const w = world();
    const seen: string[] = [];
    let dead: [string, string | undefined][] = [];
    await drive(w, async () => {
      const { conn, ch } = await open(w);
      await ch.assertQueue('ttl-dead', { durable: false });
      await ch.assertQueue('ttl', { durable: false, messageTtl: 200, deadLetterExchange: '', deadLetterRoutingKey: 'ttl-dead' });
      const c = await conn.createChannel();
      await c.prefetch(1);
      let held: ConsumeMessage | undefined;
      await c.consume('ttl', (m) => {
        if (!m) return;
        seen.push(m.content.toString());
        held = m;
      });
      ch.sendToQueue('ttl', Buffer.from('a'));
      ch.sendToQueue('ttl', Buffer.from('b'));
      await w.sleep(400);
      c.nack(held!, false, true);
      await w.sleep(50);
      dead = [];
      for (let m = await ch.get('ttl-dead', { noAck: true }); m; m = await ch.get('ttl-dead', { noAck: true }))
        dead.push([m.content.toString(), m.properties.headers['x-death']?.[0]?.reason]);

      await ch.assertQueue('ttlmin', { durable: false, messageTtl: 1000 });
      ch.sendToQueue('ttlmin', Buffer.from('short'), { expiration: 100 });
      ch.sendToQueue('ttlmin', Buffer.from('long'), { expiration: 5000 });
      await w.sleep(300);
      expect((await ch.checkQueue('ttlmin')).messageCount).toBe(1);
      await w.sleep(900);
      expect((await ch.checkQueue('ttlmin')).messageCount).toBe(0);
    });
    expect(seen).toEqual(['a']);
    expect(dead).toEqual([
      ['b', 'expired'],
      ['a', 'expired'],
    ]);
  });

  it('expires: consumers, get, checkQueue and redeclaring keep a queue alive; messages and publishing do not; an expired queue does not dead-letter its messages', async () => {
    const w = world();
    await drive(w, async () => {
      const { conn, ch } = await open(w);
      for (const q of ['exp1', 'exp2', 'exp3', 'exp4', 'exp5']) await ch.assertQueue(q, { durable: false, expires: 400 });
      await ch.assertQueue('exp-dead', { durable: false });
      await ch.assertQueue('exp6', { durable: false, expires: 400, deadLetterExchange: '', deadLetterRoutingKey: 'exp-dead' });
      ch.sendToQueue('exp1', Buffer.from('a message does not count as use'));
      ch.sendToQueue('exp6', Buffer.from('left behind'));
      const c = await conn.createChannel();
      await c.consume('exp3', () => undefined, { noAck: true });
      for (let i = 0; i < 4; i++) {
        await w.sleep(150);
        await ch.get('exp2');
        await ch.assertQueue('exp4', { durable: false, expires: 400 });
        await ch.checkQueue('exp5');
      }
      expect([await exists(w, 'exp1'), await exists(w, 'exp2'), await exists(w, 'exp3'), await exists(w, 'exp4'), await exists(w, 'exp5'), await exists(w, 'exp6')]).toEqual([
        false,
        true,
        true,
        true,
        true,
        false,
      ]);
      expect((await ch.checkQueue('exp-dead')).messageCount).toBe(0);
      await c.close();
      await w.sleep(600);
      expect(await exists(w, 'exp3')).toBe(false);

      await ch.assertQueue('exp7', { durable: false, expires: 300 });
      for (let i = 0; i < 4; i++) {
        await w.sleep(100);
        ch.sendToQueue('exp7', Buffer.from('publishing is not use'));
      }
      expect(await exists(w, 'exp7')).toBe(false);
    });
  });

  it('deadLetterExchange and deadLetterRoutingKey: the new key replaces the old, the CC header is removed and CC keys are listed in routing-keys; a missing DLX drops quietly', async () => {
    const w = world();
    await drive(w, async () => {
      const { ch, errors } = await open(w);
      await ch.assertExchange('dlxx', 'direct', { durable: false });
      await ch.assertQueue('dlq', { durable: false });
      await ch.bindQueue('dlq', 'dlxx', 'dead');
      await ch.assertQueue('src', { durable: false, deadLetterExchange: 'dlxx', deadLetterRoutingKey: 'dead' });
      ch.sendToQueue('src', Buffer.from('r'), { CC: 'something', BCC: 'other' });
      const g = await ch.get('src');
      ch.reject(taken(g), false);
      await w.sleep(10);
      const d = await ch.get('dlq', { noAck: true });
      expect(d && d.fields).toMatchObject({ exchange: 'dlxx', routingKey: 'dead' });
      const h = d ? d.properties.headers : {};
      expect(Object.keys(h).sort()).toEqual(['x-death', 'x-first-death-exchange', 'x-first-death-queue', 'x-first-death-reason']);
      expect(h['x-death']).toMatchObject([{ count: 1, reason: 'rejected', queue: 'src', exchange: '', 'routing-keys': ['src', 'something'] }]);

      // without a dead-letter routing key the CC header stays
      await ch.assertExchange('fan-dlx', 'fanout', { durable: false });
      await ch.assertQueue('fan-dead', { durable: false });
      await ch.bindQueue('fan-dead', 'fan-dlx', '');
      await ch.assertQueue('src2', { durable: false, deadLetterExchange: 'fan-dlx' });
      ch.sendToQueue('src2', Buffer.from('y'), { CC: 'cck' });
      ch.reject(taken(await ch.get('src2')), false);
      await w.sleep(10);
      const d2 = await ch.get('fan-dead', { noAck: true });
      expect(d2 && d2.fields).toMatchObject({ exchange: 'fan-dlx', routingKey: 'src2' });
      expect(d2 && d2.properties.headers['CC']).toEqual(['cck']);
      expect(d2 && d2.properties.headers['x-death']?.[0]?.['routing-keys']).toEqual(['src2', 'cck']);

      await ch.assertQueue('src3', { durable: false, deadLetterExchange: 'no-such-exchange' });
      ch.sendToQueue('src3', Buffer.from('z'));
      ch.reject(taken(await ch.get('src3')), false);
      await w.sleep(10);
      expect((await ch.checkQueue('src3')).messageCount).toBe(0);
      expect(errors).toEqual([]);

      const other = await open(w);
      expect(await outcome(other.ch.assertQueue('dlrk-only', { durable: false, deadLetterRoutingKey: 'x' }))).toEqual(
        declareFailed("invalid arg 'x-dead-letter-routing-key' for queue 'dlrk-only' in vhost '/': routing_key_but_no_dlx_defined"),
      );
    });
  });

  it('maxLength (overflow drop-head by default): the oldest ready message is dead-lettered as maxlen; every publish is confirmed; unacknowledged messages do not count', async () => {
    const w = world();
    const confirms: string[] = [];
    await drive(w, async () => {
      const { conn, ch } = await openConfirm(w);
      await ch.assertQueue('dead', { durable: false });
      await ch.assertQueue('q', { durable: false, maxLength: 2, deadLetterExchange: '', deadLetterRoutingKey: 'dead' });
      sendAll(ch, 'q', ['m1', 'm2', 'm3'], confirms);
      await ch.waitForConfirms();
      expect(await drain(ch, 'q')).toEqual(['m2', 'm3']);
      const dead = await ch.get('dead', { noAck: true });
      expect(dead && dead.content.toString()).toBe('m1');
      expect(dead && dead.properties.headers['x-first-death-reason']).toBe('maxlen');

      const c = await conn.createChannel();
      await c.prefetch(1);
      sendAll(ch, 'q', ['a', 'b'], confirms);
      await ch.waitForConfirms();
      await c.consume('q', () => undefined); // takes 'a' and never acks it
      await w.sleep(10);
      sendAll(ch, 'q', ['c'], confirms);
      await ch.waitForConfirms();
      expect(await ch.checkQueue('q')).toEqual({ queue: 'q', messageCount: 2, consumerCount: 1 });
    });
    expect(confirms).toEqual(['m1:ack', 'm2:ack', 'm3:ack', 'a:ack', 'b:ack', 'c:ack']);
  });

  it("overflow 'reject-publish': the publish that would exceed the limit is nacked and waitForConfirms rejects; the queue keeps 1 and 2; nothing is dead-lettered", async () => {
    const w = world();
    const confirms: string[] = [];
    await drive(w, async () => {
      const { conn, ch } = await openConfirm(w);
      await ch.assertQueue('dead', { durable: false });
      await ch.assertQueue('q', { durable: false, maxLength: 2, overflow: 'reject-publish', deadLetterExchange: '', deadLetterRoutingKey: 'dead' } as QueueOptions);
      sendAll(ch, 'q', ['m1', 'm2', 'm3'], confirms);
      await expect(ch.waitForConfirms()).rejects.toThrow('message nacked');
      expect(await drain(ch, 'q')).toEqual(['m1', 'm2']);
      expect(await drain(ch, 'dead')).toEqual([]);
      // without confirms the refused message is simply not there
      const plain = await conn.createChannel();
      for (const s of ['m4', 'm5', 'm6']) plain.sendToQueue('q', Buffer.from(s));
      await w.sleep(10);
      expect(await drain(ch, 'q')).toEqual(['m4', 'm5']);
      // the limit counts ready messages only
      const c = await conn.createChannel();
      await c.prefetch(1);
      sendAll(ch, 'q', ['a', 'b'], confirms);
      await ch.waitForConfirms();
      await c.consume('q', () => undefined);
      await w.sleep(10);
      sendAll(ch, 'q', ['c', 'd'], confirms);
      await expect(ch.waitForConfirms()).rejects.toThrow('message nacked');
      expect(await ch.checkQueue('q')).toEqual({ queue: 'q', messageCount: 2, consumerCount: 1 });
    });
    expect(confirms).toEqual(['m1:ack', 'm2:ack', 'm3:nack', 'a:ack', 'b:ack', 'c:ack', 'd:nack']);
    expect(events(w, 'mq.dead-letter')).toEqual([]);
  });

  it("overflow 'reject-publish-dlx': the refused publish is nacked and dead-lettered with reason maxlen", async () => {
    const w = world();
    const confirms: string[] = [];
    await drive(w, async () => {
      const { ch } = await openConfirm(w);
      await ch.assertQueue('dead', { durable: false });
      await ch.assertQueue('q', { durable: false, maxLength: 2, overflow: 'reject-publish-dlx', deadLetterExchange: '', deadLetterRoutingKey: 'dead' } as QueueOptions);
      sendAll(ch, 'q', ['m1', 'm2', 'm3'], confirms);
      await expect(ch.waitForConfirms()).rejects.toThrow('message nacked');
      expect(await drain(ch, 'q')).toEqual(['m1', 'm2']);
      const dead = await ch.get('dead', { noAck: true });
      expect(dead && dead.content.toString()).toBe('m3');
      expect(dead && dead.properties.headers).toMatchObject({
        'x-death': [{ count: 1, reason: 'maxlen', queue: 'q', exchange: '', 'routing-keys': ['q'] }],
        'x-first-death-reason': 'maxlen',
        'x-first-death-queue': 'q',
      });
    });
    expect(confirms).toEqual(['m1:ack', 'm2:ack', 'm3:nack']);
  });

  it("overflow 'drop-head' given explicitly is an argument of its own (406 against a queue declared without it); an unknown value is refused", async () => {
    const w = world();
    const confirms: string[] = [];
    await drive(w, async () => {
      const { ch } = await openConfirm(w);
      await ch.assertQueue('dh', { durable: false, maxLength: 1, overflow: 'drop-head' } as QueueOptions);
      sendAll(ch, 'dh', ['m1', 'm2'], confirms);
      await ch.waitForConfirms();
      expect(await drain(ch, 'dh')).toEqual(['m2']);
      await ch.assertQueue('plain', { durable: false, maxLength: 1 });
      expect(await outcome((await open(w)).ch.assertQueue('plain', { durable: false, maxLength: 1, overflow: 'drop-head' } as QueueOptions))).toEqual(
        declareFailed("inequivalent arg 'x-overflow' for queue 'plain' in vhost '/': received the value 'drop-head' of type 'longstr' but current is none"),
      );
      expect(await outcome((await open(w)).ch.assertQueue('bogus', { durable: false, overflow: 'drop-tail' } as QueueOptions))).toEqual(
        declareFailed("invalid arg 'x-overflow' for queue 'bogus' in vhost '/': invalid_overflow"),
      );
    });
    expect(confirms).toEqual(['m1:ack', 'm2:ack']);
  });

  it("maxLength 0: with drop-head a waiting consumer still gets the message; with reject-publish it is nacked even though a consumer waits", async () => {
    const w = world();
    const got: string[] = [];
    const confirms: string[] = [];
    await drive(w, async () => {
      const { conn, ch } = await openConfirm(w);
      await ch.assertQueue('zero', { durable: false, maxLength: 0 });
      await ch.assertQueue('zero-rp', { durable: false, maxLength: 0, overflow: 'reject-publish' } as QueueOptions);
      const c = await conn.createChannel();
      await c.consume('zero', (m) => m && got.push(m.content.toString()), { noAck: true });
      await c.consume('zero-rp', (m) => m && got.push(m.content.toString()), { noAck: true });
      sendAll(ch, 'zero', ['to drop-head'], confirms);
      sendAll(ch, 'zero-rp', ['to reject-publish'], confirms);
      await expect(ch.waitForConfirms()).rejects.toThrow('message nacked');
      await w.sleep(10);
    });
    expect(got).toEqual(['to drop-head']);
    expect(confirms).toEqual(['to drop-head:ack', 'to reject-publish:nack']);
  });

  it("queueMode: 'lazy' and 'default' are accepted and change nothing observable; other values are refused; the mode must match on redeclare", async () => {
    const w = world();
    await drive(w, async () => {
      const { ch, errors } = await open(w);
      await ch.assertQueue('lazy', { durable: false, queueMode: 'lazy' } as QueueOptions);
      await ch.assertQueue('default', { durable: false, queueMode: 'default' } as QueueOptions);
      ch.sendToQueue('lazy', Buffer.from('1'));
      ch.sendToQueue('lazy', Buffer.from('2'));
      expect(await drain(ch, 'lazy')).toEqual(['1', '2']);
      expect(errors).toEqual([]);
      expect(await outcome((await open(w)).ch.assertQueue('eager', { durable: false, queueMode: 'eager' } as QueueOptions))).toEqual(
        declareFailed(`invalid arg 'x-queue-mode' for queue 'eager' in vhost '/': "unsupported queue mode 'eager'"`),
      );
      expect(await outcome((await open(w)).ch.assertQueue('lazy', { durable: false }))).toEqual(
        declareFailed("inequivalent arg 'x-queue-mode' for queue 'lazy' in vhost '/': received none but current is the value 'lazy' of type 'longstr'"),
      );
      expect(await outcome((await open(w)).ch.assertQueue('lazy', { durable: false, queueMode: 'default' } as QueueOptions))).toEqual(
        declareFailed("inequivalent arg 'x-queue-mode' for queue 'lazy' in vhost '/': received 'default' but current is 'lazy'"),
      );
    });
  });

  it('redeclaring with different properties or arguments: 406 worded as RabbitMQ words it, with amqplib’s wire types (byte, short, signedint, long, double, bool)', async () => {
    const w = world();
    await drive(w, async () => {
      const { ch } = await open(w);
      await ch.assertQueue('mm', { durable: false, autoDelete: true });
      await ch.assertQueue('tt', { durable: false, messageTtl: 1000 });
      const tries: [string, QueueOptions, string][] = [
        ['mm', { durable: true, autoDelete: true }, "inequivalent arg 'durable' for queue 'mm' in vhost '/': received 'true' but current is 'false'"],
        ['mm', { durable: false, autoDelete: false }, "inequivalent arg 'auto_delete' for queue 'mm' in vhost '/': received 'false' but current is 'true'"],
        ['mm', { durable: false, autoDelete: true, messageTtl: 1000 }, "inequivalent arg 'x-message-ttl' for queue 'mm' in vhost '/': received the value '1000' of type 'short' but current is none"],
        ['mm', { durable: false, autoDelete: true, messageTtl: 5 }, "inequivalent arg 'x-message-ttl' for queue 'mm' in vhost '/': received the value '5' of type 'byte' but current is none"],
        ['mm', { durable: false, autoDelete: true, messageTtl: 100000 }, "inequivalent arg 'x-message-ttl' for queue 'mm' in vhost '/': received the value '100000' of type 'signedint' but current is none"],
        ['mm', { durable: false, autoDelete: true, messageTtl: 5000000000 }, "inequivalent arg 'x-message-ttl' for queue 'mm' in vhost '/': received the value '5000000000' of type 'long' but current is none"],
        ['mm', { durable: false, autoDelete: true, maxLength: 1.5 }, "inequivalent arg 'x-max-length' for queue 'mm' in vhost '/': received the value '1.5' of type 'double' but current is none"],
        ['mm', { durable: false, autoDelete: true, arguments: { 'x-single-active-consumer': true } }, "inequivalent arg 'x-single-active-consumer' for queue 'mm' in vhost '/': received the value 'true' of type 'bool' but current is none"],
        ['tt', { durable: false, messageTtl: 2000 }, "inequivalent arg 'x-message-ttl' for queue 'tt' in vhost '/': received '2000' but current is '1000'"],
        ['tt', { durable: false }, "inequivalent arg 'x-message-ttl' for queue 'tt' in vhost '/': received none but current is the value '1000' of type 'short'"],
        ['tt', { durable: false, arguments: { 'x-message-ttl': '1000' } }, "inequivalent arg 'x-message-ttl' for queue 'tt' in vhost '/': received '1000' but current is '1000'"],
      ];
      for (const [q, options, text] of tries) expect(await outcome((await open(w)).ch.assertQueue(q, options))).toEqual(declareFailed(text));
    });
  });

  it('invalid argument values are refused with RabbitMQ’s reasons', async () => {
    const w = world();
    await drive(w, async () => {
      const tries: [string, QueueOptions, string][] = [
        ['ttneg', { messageTtl: -1 }, "invalid arg 'x-message-ttl' for queue 'ttneg' in vhost '/': {value_negative,-1}"],
        ['ttfl', { messageTtl: 1.5 }, `invalid arg 'x-message-ttl' for queue 'ttfl' in vhost '/': "expected integer, got double"`],
        ['exp0', { expires: 0 }, "invalid arg 'x-expires' for queue 'exp0' in vhost '/': {value_zero,0}"],
        ['mlneg', { maxLength: -1 }, "invalid arg 'x-max-length' for queue 'mlneg' in vhost '/': {value_negative,-1}"],
        ['expstr', { arguments: { 'x-expires': '1000' } }, `invalid arg 'x-expires' for queue 'expstr' in vhost '/': "expected integer, got longstr"`],
        ['mlstr', { arguments: { 'x-max-length': 'x' } }, `invalid arg 'x-max-length' for queue 'mlstr' in vhost '/': "expected integer, got longstr"`],
        ['mlbfl', { arguments: { 'x-max-length-bytes': 1.5 } }, `invalid arg 'x-max-length-bytes' for queue 'mlbfl' in vhost '/': "expected integer, got double"`],
      ];
      for (const [q, options, text] of tries)
        expect(await outcome((await open(w)).ch.assertQueue(q, { durable: false, ...options }))).toEqual(declareFailed(text));
    });
  });
});

describe('assertExchange options', () => {
  it('internal: publishing to it closes the channel (403); exchanges bound to it still feed it', async () => {
    const w = world();
    let got: [string, string, string][] = [];
    await drive(w, async () => {
      const { ch } = await open(w);
      await ch.assertExchange('internal', 'fanout', { durable: false, internal: true });
      await ch.assertQueue('qi', { durable: false });
      await ch.bindQueue('qi', 'internal', '');
      const pub = await open(w, 'pub');
      pub.ch.publish('internal', '', Buffer.from('direct to internal'));
      await w.sleep(10);
      expect(pub.errors).toEqual([closedByServer(403, "ACCESS_REFUSED - cannot publish to internal exchange 'internal' in vhost '/'")]);
      await ch.assertExchange('front', 'fanout', { durable: false });
      await ch.bindExchange('internal', 'front', '');
      ch.publish('front', '', Buffer.from('via front'));
      got = [];
      for (let m = await ch.get('qi', { noAck: true }); m; m = await ch.get('qi', { noAck: true })) got.push([m.content.toString(), m.fields.exchange, m.fields.routingKey]);
      expect(await outcome((await open(w)).ch.assertExchange('internal', 'fanout', { durable: false }))).toEqual(
        failed('ExchangeDeclare', 406, "PRECONDITION_FAILED - inequivalent arg 'internal' for exchange 'internal' in vhost '/': received 'false' but current is 'true'"),
      );
    });
    expect(got).toEqual([['via front', 'front', '']]);
  });

  it('autoDelete: an exchange goes when its last binding as a source goes (unbind, queue deleted, unbindExchange), not while it never had one', async () => {
    const w = world();
    await drive(w, async () => {
      const { ch } = await open(w);
      const exchangeExists = async (x: string) => (await outcome((await open(w, 'probe')).ch.checkExchange(x))) === 'ok';
      await ch.assertExchange('adx', 'fanout', { durable: false, autoDelete: true });
      await w.sleep(100);
      expect(await exchangeExists('adx')).toBe(true);
      await ch.assertQueue('adq', { durable: false });
      await ch.bindQueue('adq', 'adx', '');
      await ch.unbindQueue('adq', 'adx', '');
      expect(await exchangeExists('adx')).toBe(false);

      await ch.assertExchange('adx2', 'fanout', { durable: false, autoDelete: true });
      await ch.assertQueue('adq2', { durable: false });
      await ch.bindQueue('adq2', 'adx2', '');
      await ch.deleteQueue('adq2');
      expect(await exchangeExists('adx2')).toBe(false);

      await ch.assertExchange('adx3', 'fanout', { durable: false, autoDelete: true });
      await ch.assertExchange('dst3', 'fanout', { durable: false });
      await ch.bindExchange('dst3', 'adx3', '');
      await ch.unbindExchange('dst3', 'adx3', '');
      expect(await exchangeExists('adx3')).toBe(false);
      expect(await exchangeExists('dst3')).toBe(true);
    });
  });

  it('redeclaring an exchange differently: 406 for type, durable, auto_delete, alternate-exchange; unknown arguments are not compared', async () => {
    const w = world();
    await drive(w, async () => {
      const { ch } = await open(w);
      await ch.assertExchange('ae', 'fanout', { durable: false });
      await ch.assertExchange('main', 'direct', { durable: false, alternateExchange: 'ae' });
      const tries: [string, Options.AssertExchange, string][] = [
        ['direct', { durable: true, alternateExchange: 'ae' }, "inequivalent arg 'durable' for exchange 'main' in vhost '/': received 'true' but current is 'false'"],
        ['fanout', { durable: false, alternateExchange: 'ae' }, "inequivalent arg 'type' for exchange 'main' in vhost '/': received 'fanout' but current is 'direct'"],
        ['direct', { durable: false, autoDelete: true, alternateExchange: 'ae' }, "inequivalent arg 'auto_delete' for exchange 'main' in vhost '/': received 'true' but current is 'false'"],
        ['direct', { durable: false }, "inequivalent arg 'alternate-exchange' for exchange 'main' in vhost '/': received none but current is the value 'ae' of type 'longstr'"],
      ];
      for (const [type, options, text] of tries) expect(await outcome((await open(w)).ch.assertExchange('main', type, options))).toEqual(failed('ExchangeDeclare', 406, `PRECONDITION_FAILED - ${text}`));
      expect(await (await open(w)).ch.assertExchange('main', 'direct', { durable: false, alternateExchange: 'ae', arguments: { 'x-foo': 1 } })).toEqual({ exchange: 'main' });
    });
    const warnings = events(w, 'log').filter((e) => e.level === 'warn' && e.message.includes("'x-foo'"));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
  });
});

describe('publish options', () => {
  it('expiration: 0 means now or never; a number becomes a string property; invalid values close the channel (406) and fail the confirm', async () => {
    const w = world();
    const got: [string, string | undefined][] = [];
    const confirms: string[] = [];
    await drive(w, async () => {
      const { conn, ch } = await openConfirm(w);
      await ch.assertQueue('exp', { durable: false });
      ch.sendToQueue('exp', Buffer.from('e0'), { expiration: 0 });
      ch.sendToQueue('exp', Buffer.from('e100'), { expiration: '100' });
      ch.sendToQueue('exp', Buffer.from('enone'));
      await ch.waitForConfirms();
      await w.sleep(300);
      expect(await drain(ch, 'exp')).toEqual(['enone']);
      await ch.assertQueue('exp2', { durable: false });
      const c = await conn.createChannel();
      await c.consume('exp2', (m) => m && got.push([m.content.toString(), m.properties.expiration]), { noAck: true });
      ch.sendToQueue('exp2', Buffer.from('e0 with a consumer'), { expiration: 0 });
      await ch.waitForConfirms();
      await w.sleep(10);
      const bad: [string | number, string][] = [
        ['abc', "invalid expiration 'abc': no_integer"],
        [-1, "invalid expiration '-1': {value_negative,-1}"],
        ['-5', "invalid expiration '-5': {value_negative,-5}"],
        [1.5, `invalid expiration '1.5': {leftover_string,".5"}`],
        ['', "invalid expiration '': no_integer"],
      ];
      for (const [expiration, text] of bad) {
        const p = await openConfirm(w);
        p.ch.sendToQueue('exp', Buffer.from('bad'), { expiration }, (err) => confirms.push(`${String(expiration)}:${err ? 'failed' : 'ack'}`));
        await w.sleep(10);
        expect(p.errors).toEqual([closedByServer(406, `PRECONDITION_FAILED - ${text}`)]);
      }
      expect((await ch.checkQueue('exp')).messageCount).toBe(0);
    });
    expect(got).toEqual([['e0 with a consumer', '0']]);
    expect(confirms).toEqual(['abc:failed', '-1:failed', '-5:failed', '1.5:failed', ':failed']);
  });

  it('expiration: a message that expires into a dead-letter exchange loses its expiration property and carries original-expiration', async () => {
    const w = world();
    await drive(w, async () => {
      const { ch } = await open(w);
      await ch.assertQueue('expdead', { durable: false });
      await ch.assertQueue('exp3', { durable: false, deadLetterExchange: '', deadLetterRoutingKey: 'expdead' });
      ch.sendToQueue('exp3', Buffer.from('dies'), { expiration: 50 });
      await w.sleep(300);
      const d = await ch.get('expdead', { noAck: true });
      expect(d && d.properties.expiration).toBeUndefined();
      expect(d && d.properties.headers['x-death']).toMatchObject([{ count: 1, reason: 'expired', queue: 'exp3', exchange: '', 'routing-keys': ['exp3'], 'original-expiration': '50' }]);
    });
  });

  it('userId must be the user the connection authenticated as (the service); otherwise 406 closes the channel', async () => {
    const w = world();
    let delivered: string | undefined;
    await drive(w, async () => {
      const { ch } = await open(w, 'orders');
      await ch.assertQueue('q', { durable: false });
      ch.sendToQueue('q', Buffer.from('u'), { userId: 'orders' });
      const m = await ch.get('q', { noAck: true });
      delivered = m ? m.properties.userId : undefined;
      for (const userId of ['billing', '']) {
        const other = await open(w, 'orders');
        other.ch.sendToQueue('q', Buffer.from('u'), { userId });
        await w.sleep(10);
        expect(other.errors).toEqual([closedByServer(406, `PRECONDITION_FAILED - user_id property set to '${userId}' but authenticated user was 'orders'`)]);
      }
      expect((await ch.checkQueue('q')).messageCount).toBe(0);
    });
    expect(delivered).toBe('orders');
  });

  it('CC and BCC add routing keys: one copy per queue, each keeps the original routing key; CC is delivered as a header, BCC never is', async () => {
    const w = world();
    const got: Record<string, [string, string, unknown][]> = {};
    await drive(w, async () => {
      const { ch } = await openConfirm(w);
      await ch.assertExchange('ccx', 'direct', { durable: false });
      for (const k of ['main', 'cc1', 'cc2', 'bcc1']) {
        await ch.assertQueue(k, { durable: false });
        await ch.bindQueue(k, 'ccx', k);
      }
      ch.publish('ccx', 'main', Buffer.from('ccmsg'), { CC: ['cc1', 'cc2'], BCC: 'bcc1' });
      ch.publish('ccx', 'nomatch', Buffer.from('cc-only'), { CC: 'cc1' });
      ch.publish('ccx', 'main', Buffer.from('cc-dup'), { CC: 'main' });
      ch.publish('ccx', 'main', Buffer.from('hdr-cc'), { headers: { CC: ['cc2'] } });
      await ch.waitForConfirms();
      for (const k of ['main', 'cc1', 'cc2', 'bcc1']) {
        got[k] = [];
        for (let m = await ch.get(k, { noAck: true }); m; m = await ch.get(k, { noAck: true })) got[k]!.push([m.content.toString(), m.fields.routingKey, m.properties.headers]);
      }
      await ch.assertQueue('d1', { durable: false });
      await ch.assertQueue('d2', { durable: false });
      ch.sendToQueue('d1', Buffer.from('to d1, cc d2'), { CC: 'd2' });
      await ch.waitForConfirms();
      const d2 = await ch.get('d2', { noAck: true });
      expect(d2 && [d2.content.toString(), d2.fields.exchange, d2.fields.routingKey]).toEqual(['to d1, cc d2', '', 'd1']);
    });
    expect(got).toEqual({
      main: [
        ['ccmsg', 'main', { CC: ['cc1', 'cc2'] }],
        ['cc-dup', 'main', { CC: ['main'] }],
        ['hdr-cc', 'main', { CC: ['cc2'] }],
      ],
      cc1: [
        ['ccmsg', 'main', { CC: ['cc1', 'cc2'] }],
        ['cc-only', 'nomatch', { CC: ['cc1'] }],
      ],
      cc2: [
        ['ccmsg', 'main', { CC: ['cc1', 'cc2'] }],
        ['hdr-cc', 'main', { CC: ['cc2'] }],
      ],
      bcc1: [['ccmsg', 'main', { CC: ['cc1', 'cc2'] }]],
    });
  });

  it('persistent and deliveryMode set the delivery mode as amqplib does (true → 2, false → 1, a number as given)', async () => {
    const w = world();
    const modes: [string, number | undefined][] = [];
    await drive(w, async () => {
      const { ch } = await open(w);
      await ch.assertQueue('q', { durable: false });
      const sends: [string, Options.Publish][] = [
        ['persistent', { persistent: true }],
        ['persistent false', { persistent: false }],
        ['bare', {}],
        ['deliveryMode 1', { deliveryMode: 1 }],
        ['deliveryMode true', { deliveryMode: true }],
      ];
      for (const [c, o] of sends) ch.sendToQueue('q', Buffer.from(c), o);
      for (let m = await ch.get('q', { noAck: true }); m; m = await ch.get('q', { noAck: true })) modes.push([m.content.toString(), m.properties.deliveryMode]);
    });
    expect(modes).toEqual([
      ['persistent', 2],
      ['persistent false', 1],
      ['bare', undefined],
      ['deliveryMode 1', 1],
      ['deliveryMode true', 2],
    ]);
  });

  it('mandatory: an unroutable message comes back (312 NO_ROUTE) before its confirm; without mandatory it is only confirmed', async () => {
    const w = world();
    const order: string[] = [];
    await drive(w, async () => {
      const { ch } = await openConfirm(w);
      await ch.assertExchange('x', 'direct', { durable: false });
      ch.on('return', (r: { fields: { replyCode: number; replyText: string; exchange: string; routingKey: string }; content: { toString(): string } }) =>
        order.push(`return ${r.fields.replyCode} ${r.fields.replyText} ${r.fields.exchange} ${r.fields.routingKey} ${r.content.toString()}`),
      );
      ch.publish('x', 'nowhere', Buffer.from('ret'), { mandatory: true }, (err) => order.push(`confirm ${err ? 'nack' : 'ack'}`));
      ch.publish('x', 'nowhere', Buffer.from('noret'), {}, (err) => order.push(`confirm non-mandatory ${err ? 'nack' : 'ack'}`));
      await ch.waitForConfirms();
    });
    expect(order).toEqual(['return 312 NO_ROUTE x nowhere ret', 'confirm ack', 'confirm non-mandatory ack']);
  });

  it('headers and the other properties arrive exactly as published (nested tables, arrays, booleans)', async () => {
    const w = world();
    let props: unknown;
    await drive(w, async () => {
      const { ch } = await open(w, 'guest');
      await ch.assertQueue('props', { durable: false });
      ch.sendToQueue('props', Buffer.from('all'), {
        expiration: 60000,
        userId: 'guest',
        CC: 'cc-key',
        BCC: ['bcc-key'],
        persistent: true,
        mandatory: true,
        headers: { h: 'v', n: 1, nested: { a: [1, 'x'] }, b: true },
        correlationId: 'corr',
        replyTo: 'rq',
        messageId: 'mid',
        timestamp: 1700000000,
        type: 't',
        appId: 'app',
        contentType: 'application/json',
        contentEncoding: 'gzip',
        priority: 3,
      });
      const m = await ch.get('props', { noAck: true });
      props = m && m.properties;
    });
    expect(props).toEqual({
      contentType: 'application/json',
      contentEncoding: 'gzip',
      headers: { CC: ['cc-key'], h: 'v', n: 1, nested: { a: [1, 'x'] }, b: true },
      deliveryMode: 2,
      priority: 3,
      correlationId: 'corr',
      replyTo: 'rq',
      expiration: '60000',
      messageId: 'mid',
      timestamp: 1700000000,
      type: 't',
      userId: 'guest',
      appId: 'app',
      clusterId: undefined,
    });
  });
});

describe('consume options', () => {
  it('consumerTag: used as given; reusing it on the same channel closes the connection (530); another channel may use it; generated tags are amq.ctag-…', async () => {
    const w = world();
    const connErrors: string[] = [];
    await drive(w, async () => {
      const { conn, ch } = await open(w);
      conn.on('error', (e: Error) => connErrors.push(e.message));
      await ch.assertQueue('q', { durable: false });
      expect(await ch.consume('q', () => undefined, { consumerTag: 'dup' })).toEqual({ consumerTag: 'dup' });
      expect(await outcome(ch.consume('q', () => undefined, { consumerTag: 'dup' }))).not.toBe('ok');
      const other = await open(w);
      expect(await other.ch.consume('q', () => undefined, { consumerTag: 'dup' })).toEqual({ consumerTag: 'dup' });
      expect((await other.ch.consume('q', () => undefined)).consumerTag).toMatch(/^amq\.ctag-[A-Za-z0-9_-]{22}$/);
    });
    expect(connErrors).toEqual([`Connection closed: 530 (NOT-ALLOWED) with message "NOT_ALLOWED - attempt to reuse consumer tag 'dup'"`]);
  });

  it('noAck: deliveries are settled when sent, so closing the channel requeues nothing (a get with noAck likewise)', async () => {
    const w = world();
    await drive(w, async () => {
      const { conn, ch } = await open(w);
      await ch.assertQueue('q', { durable: false });
      for (const s of ['1', '2', '3']) ch.sendToQueue('q', Buffer.from(s));
      const c = await conn.createChannel();
      const got = await c.get('q', { noAck: true });
      expect(got && got.fields).toEqual({ deliveryTag: 1, redelivered: false, exchange: '', routingKey: 'q', messageCount: 2 });
      const held = await c.get('q');
      expect(held && held.fields.messageCount).toBe(1);
      await c.consume('q', () => undefined, { noAck: true });
      await w.sleep(10);
      await c.close();
      await w.sleep(10);
      expect(await drain(ch, 'q')).toEqual(['2']);
    });
  });

  it('noLocal: RabbitMQ does not implement it, so messages published on the same connection are still delivered; the broker says so', async () => {
    const w = world();
    const seen: string[] = [];
    await drive(w, async () => {
      const { conn, ch } = await open(w);
      await ch.assertQueue('q', { durable: false });
      const c = await conn.createChannel();
      await c.consume('q', (m) => m && seen.push(m.content.toString()), { noAck: true, noLocal: true });
      ch.sendToQueue('q', Buffer.from('same connection'));
      c.sendToQueue('q', Buffer.from('same channel'));
      (await open(w, 'other')).ch.sendToQueue('q', Buffer.from('other connection'));
      await w.sleep(10);
    });
    expect(seen).toEqual(['same connection', 'same channel', 'other connection']);
    expect(events(w, 'log').filter((e) => e.level === 'warn' && e.message.includes('noLocal')).length).toBeGreaterThanOrEqual(1);
  });

  it('exclusive: no second consumer while an exclusive one is there, and no exclusive one while another is there (403); get still works', async () => {
    const w = world();
    await drive(w, async () => {
      const { ch } = await open(w);
      await ch.assertQueue('excons', { durable: false });
      await ch.assertQueue('excons2', { durable: false });
      await ch.consume('excons', () => undefined, { exclusive: true });
      const inUse = (q: string) => failed('BasicConsume', 403, `ACCESS_REFUSED - queue '${q}' in vhost '/' in exclusive use`);
      expect(await outcome((await open(w)).ch.consume('excons', () => undefined))).toEqual(inUse('excons'));
      const b = await open(w);
      await b.ch.consume('excons2', () => undefined);
      expect(await outcome(b.ch.consume('excons2', () => undefined, { exclusive: true }))).toEqual(inUse('excons2'));
      expect(await (await open(w)).ch.get('excons')).toBe(false);
    });
  });
});

describe('binding arguments, delete options, prefetch', () => {
  it('deleteQueue ifEmpty / ifUnused and deleteExchange ifUnused refuse with 406; deleting what does not exist is fine', async () => {
    const w = world();
    await drive(w, async () => {
      const { conn, ch } = await open(w);
      await ch.assertQueue('full', { durable: false });
      ch.sendToQueue('full', Buffer.from('x'));
      await ch.assertQueue('used', { durable: false });
      await (await conn.createChannel()).consume('used', () => undefined);
      await ch.assertExchange('bx', 'fanout', { durable: false });
      await ch.bindQueue('full', 'bx', '');
      expect(await outcome((await open(w)).ch.deleteQueue('full', { ifEmpty: true }))).toEqual(failed('QueueDelete', 406, "PRECONDITION_FAILED - queue 'full' in vhost '/' not empty"));
      expect(await outcome((await open(w)).ch.deleteQueue('used', { ifUnused: true }))).toEqual(failed('QueueDelete', 406, "PRECONDITION_FAILED - queue 'used' in vhost '/' in use"));
      expect(await outcome((await open(w)).ch.deleteExchange('bx', { ifUnused: true }))).toEqual(failed('ExchangeDelete', 406, "PRECONDITION_FAILED - exchange 'bx' in vhost '/' in use"));
      expect(await ch.deleteQueue('nope')).toEqual({ messageCount: 0 });
      expect(await ch.deleteExchange('nope')).toEqual({});
      expect(await ch.deleteQueue('full')).toEqual({ messageCount: 1 });
    });
  });

  it('bindQueue arguments are part of a binding’s identity: two bindings with the same key route one copy; each must be unbound with its own arguments', async () => {
    const w = world();
    await drive(w, async () => {
      const { ch } = await openConfirm(w);
      await ch.assertExchange('dx', 'direct', { durable: false });
      await ch.assertQueue('dq', { durable: false });
      await ch.bindQueue('dq', 'dx', 'k');
      await ch.bindQueue('dq', 'dx', 'k', { v: 1 });
      ch.publish('dx', 'k', Buffer.from('one'));
      await ch.waitForConfirms();
      expect(await drain(ch, 'dq')).toEqual(['one']);
      await ch.unbindQueue('dq', 'dx', 'k');
      ch.publish('dx', 'k', Buffer.from('two'));
      await ch.waitForConfirms();
      expect(await drain(ch, 'dq')).toEqual(['two']);
      await ch.unbindQueue('dq', 'dx', 'k', { v: 1 });
      ch.publish('dx', 'k', Buffer.from('three'));
      await ch.waitForConfirms();
      expect(await drain(ch, 'dq')).toEqual([]);
      expect(await ch.unbindQueue('dq', 'dx', 'never bound')).toEqual({});
    });
  });

  it('prefetch(n, true) is one limit shared by the channel’s consumers, existing ones included', async () => {
    const w = world();
    const seen: string[] = [];
    const seenLate: string[] = [];
    await drive(w, async () => {
      const { conn, ch } = await open(w);
      await ch.assertQueue('g', { durable: false });
      const g = await conn.createChannel();
      await g.prefetch(3, true);
      await g.consume('g', (m) => m && seen.push(`A:${m.content.toString()}`), { consumerTag: 'A' });
      await g.consume('g', (m) => m && seen.push(`B:${m.content.toString()}`), { consumerTag: 'B' });
      for (let i = 1; i <= 6; i++) ch.sendToQueue('g', Buffer.from(`m${i}`));
      await w.sleep(10);
      await ch.assertQueue('late', { durable: false });
      const l = await conn.createChannel();
      await l.consume('late', (m) => m && seenLate.push(`A:${m.content.toString()}`), { consumerTag: 'A' });
      await l.consume('late', (m) => m && seenLate.push(`B:${m.content.toString()}`), { consumerTag: 'B' });
      await l.prefetch(2, true);
      for (let i = 1; i <= 5; i++) ch.sendToQueue('late', Buffer.from(`m${i}`));
      await w.sleep(10);
    });
    expect(seen).toEqual(['A:m1', 'B:m2', 'A:m3']);
    expect(seenLate).toEqual(['A:m1', 'B:m2']);
  });

  it('a per-consumer prefetch(n) after prefetch(m, true) removes the channel-wide limit; the other order keeps both; it binds only consumers started afterwards', async () => {
    const w = world();
    const runs: Record<string, string[]> = {};
    await drive(w, async () => {
      const { conn, ch } = await openConfirm(w);
      const setups: [string, (c: Channel) => Promise<unknown>][] = [
        ['global 3 then per-consumer 1', async (c) => (await c.prefetch(3, true), c.prefetch(1))],
        ['per-consumer 1 then global 3', async (c) => (await c.prefetch(1), c.prefetch(3, true))],
        ['global 2 then per-consumer 5', async (c) => (await c.prefetch(2, true), c.prefetch(5))],
      ];
      for (const [label, setup] of setups) {
        const q = label.replace(/\W+/g, '-');
        await ch.assertQueue(q, { durable: false });
        for (let i = 1; i <= 8; i++) ch.sendToQueue(q, Buffer.from(`m${i}`));
        await ch.waitForConfirms();
        const c = await conn.createChannel();
        await setup(c);
        const seen: string[] = [];
        for (const t of ['A', 'B', 'C', 'D']) await c.consume(q, (m) => m && seen.push(`${t}:${m.content.toString()}`), { consumerTag: t });
        await w.sleep(10);
        runs[label] = seen;
      }
      await ch.assertQueue('after', { durable: false });
      const c = await conn.createChannel();
      const seen: string[] = [];
      await c.consume('after', (m) => m && seen.push(m.content.toString()));
      await c.prefetch(1);
      for (let i = 1; i <= 3; i++) ch.sendToQueue('after', Buffer.from(`m${i}`));
      await w.sleep(10);
      runs['prefetch(1) after consume'] = seen;
    });
    expect(runs).toEqual({
      'global 3 then per-consumer 1': ['A:m1', 'B:m2', 'C:m3', 'D:m4'],
      'per-consumer 1 then global 3': ['A:m1', 'B:m2', 'C:m3'],
      'global 2 then per-consumer 5': ['A:m1', 'A:m2', 'A:m3', 'A:m4', 'A:m5', 'B:m6', 'B:m7', 'B:m8'],
      'prefetch(1) after consume': ['m1', 'm2', 'm3'],
    });
  });
});
