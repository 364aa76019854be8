import { describe, expect, it } from 'vitest';
import { Buffer, brokerOf, connect, topicMatches, headersMatch, type Channel, type ConsumeMessage } from '../../src/messaging/index.js';
import { drive, events, world } from './helpers.js';

/** Consumes `queue` with auto-ack and collects contents as strings. */
async function collect(ch: Channel, queue: string, into: string[]): Promise<void> {
  await ch.consume(queue, (m) => m && into.push(m.content.toString()), { noAck: true });
}

describe('exchanges route as RabbitMQ does', () => {
  it('the default exchange routes by queue name; nothing else is bound to it', async () => {
    const w = world();
    const got: string[] = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'orders')).createChannel();
      await ch.assertQueue('a');
      await ch.assertQueue('b');
      await collect(ch, 'a', got);
      ch.sendToQueue('a', Buffer.from('to a'));
      ch.publish('', 'b', Buffer.from('to b'));
      ch.sendToQueue('nowhere', Buffer.from('lost'));
    });
    expect(got).toEqual(['to a']);
    expect(brokerOf(w).queueStats('b').ready).toBe(1);
    const drop = events(w, 'mq.drop');
    expect(drop).toHaveLength(1);
    expect(drop[0]).toMatchObject({ reason: 'unroutable', source: 'orders', target: 'nowhere' });
    expect(brokerOf(w).snapshot().unroutable).toBe(1);
  });

  it('direct, fanout, topic and headers exchanges; one copy per matching queue', async () => {
    const w = world();
    const got: Record<string, string[]> = { d1: [], d2: [], f1: [], f2: [], t1: [], t2: [], t3: [], h1: [], h2: [] };
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertExchange('dx', 'direct');
      await ch.assertExchange('fx', 'fanout');
      await ch.assertExchange('tx', 'topic');
      await ch.assertExchange('hx', 'headers');
      for (const q of Object.keys(got)) {
        await ch.assertQueue(q);
        await collect(ch, q, got[q]!);
      }
      await ch.bindQueue('d1', 'dx', 'red');
      await ch.bindQueue('d2', 'dx', 'blue');
      await ch.bindQueue('f1', 'fx', 'ignored');
      await ch.bindQueue('f2', 'fx', '');
      await ch.bindQueue('t1', 'tx', 'order.*');
      await ch.bindQueue('t2', 'tx', 'order.#');
      await ch.bindQueue('t2', 'tx', '#.created'); // two bindings match: still one copy
      await ch.bindQueue('t3', 'tx', '*.eu.*');
      await ch.bindQueue('h1', 'hx', '', { 'x-match': 'all', region: 'eu', vip: true });
      await ch.bindQueue('h2', 'hx', '', { 'x-match': 'any', region: 'us', vip: true });
      ch.publish('dx', 'red', Buffer.from('red'));
      ch.publish('dx', 'green', Buffer.from('green'));
      ch.publish('fx', 'whatever', Buffer.from('fan'));
      ch.publish('tx', 'order.created', Buffer.from('oc'));
      ch.publish('tx', 'order', Buffer.from('o'));
      ch.publish('tx', 'order.eu.created', Buffer.from('oec'));
      ch.publish('hx', '', Buffer.from('eu-vip'), { headers: { region: 'eu', vip: true } });
      ch.publish('hx', '', Buffer.from('eu'), { headers: { region: 'eu' } });
    });
    expect(got).toEqual({
      d1: ['red'],
      d2: [],
      f1: ['fan'],
      f2: ['fan'],
      t1: ['oc'],
      t2: ['oc', 'o', 'oec'],
      t3: ['oec'],
      h1: ['eu-vip'],
      h2: ['eu-vip'],
    });
    expect(events(w, 'mq.route').find((e) => e.routingKey === 'order.created')!.queues).toEqual(['t1', 't2']);
  });

  it('topic patterns: * is one word, # is zero or more', () => {
    expect(topicMatches('a.*', 'a.b')).toBe(true);
    expect(topicMatches('a.*', 'a')).toBe(false);
    expect(topicMatches('a.*', 'a.b.c')).toBe(false);
    expect(topicMatches('a.#', 'a')).toBe(true);
    expect(topicMatches('a.#', 'a.b.c')).toBe(true);
    expect(topicMatches('#.c', 'c')).toBe(true);
    expect(topicMatches('a.#.c', 'a.c')).toBe(true);
    expect(topicMatches('a.#.c', 'a.x.y.c')).toBe(true);
    expect(topicMatches('a.#.c', 'a.x.y.d')).toBe(false);
    expect(topicMatches('#', '')).toBe(true);
    expect(headersMatch({ 'x-match': 'any' }, { a: 1 })).toBe(false);
    expect(headersMatch({}, { a: 1 })).toBe(true);
  });

  it('CC adds routing keys (delivered), BCC too (not delivered); alternate exchanges take the unroutable', async () => {
    const w = world();
    const seen: ConsumeMessage[] = [];
    const lost: string[] = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertExchange('dx', 'direct', { alternateExchange: 'ae' });
      await ch.assertExchange('ae', 'fanout');
      await ch.assertQueue('x');
      await ch.assertQueue('y');
      await ch.assertQueue('z');
      await ch.assertQueue('unrouted');
      await ch.bindQueue('x', 'dx', 'x');
      await ch.bindQueue('y', 'dx', 'y');
      await ch.bindQueue('z', 'dx', 'z');
      await ch.bindQueue('unrouted', 'ae', '');
      for (const q of ['x', 'y', 'z']) await ch.consume(q, (m) => m && seen.push(m), { noAck: true });
      await ch.consume('unrouted', (m) => m && lost.push(m.fields.routingKey), { noAck: true });
      ch.publish('dx', 'x', Buffer.from('hi'), { CC: 'y', BCC: ['z'] });
      ch.publish('dx', 'nobody', Buffer.from('?'));
    });
    expect(seen).toHaveLength(3);
    for (const m of seen) {
      expect(m.properties.headers).toEqual({ CC: ['y'] });
      expect(m.fields.routingKey).toBe('x');
    }
    expect(lost).toEqual(['nobody']);
  });
});

describe('declarations', () => {
  it('declaring again with the same properties is a no-op; with different ones it fails with 406 and closes the channel', async () => {
    const w = world();
    const log: string[] = [];
    await drive(w, async () => {
      const conn = await connect(w, 'svc');
      const ch = await conn.createChannel();
      ch.on('error', (e: Error) => log.push(`error: ${e.message}`));
      ch.on('close', () => log.push('close'));
      const first = await ch.assertQueue('jobs', { durable: true, messageTtl: 1000 });
      ch.sendToQueue('jobs', Buffer.from('1'));
      const again = await ch.assertQueue('jobs', { durable: true, arguments: { 'x-message-ttl': 1000 } });
      expect(first).toEqual({ queue: 'jobs', messageCount: 0, consumerCount: 0 });
      expect(again).toEqual({ queue: 'jobs', messageCount: 1, consumerCount: 0 });
      await expect(ch.assertQueue('jobs', { durable: false })).rejects.toThrow(
        `Operation failed: QueueDeclare; 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'jobs' in vhost '/': received 'false' but current is 'true'"`,
      );
      expect(() => ch.sendToQueue('jobs', Buffer.from('x'))).toThrow('Channel closed');
      await expect(ch.assertQueue('jobs')).rejects.toThrow('Channel closed');
      const ch2 = await conn.createChannel();
      ch2.on('error', (e: Error) => log.push(`error2: ${e.message}`));
      await expect(ch2.assertQueue('jobs', { messageTtl: 5000 })).rejects.toThrow(
        "inequivalent arg 'x-message-ttl' for queue 'jobs' in vhost '/': received '5000' but current is '1000'",
      );
      const ch3 = await conn.createChannel();
      ch3.on('error', () => undefined);
      await ch3.assertExchange('ev', 'topic');
      await expect(ch3.assertExchange('ev', 'fanout')).rejects.toThrow("inequivalent arg 'type' for exchange 'ev' in vhost '/': received 'fanout' but current is 'topic'");
    });
    expect(log[0]).toContain('Channel closed by server: 406 (PRECONDITION-FAILED)');
    expect(log).toContain('close');
    expect(log.some((l) => l.startsWith('error2:'))).toBe(true);
  });

  it('an empty queue name gets a generated amq.gen- name from the seed', async () => {
    const names = async (seed: number) => {
      const w = world({ seed });
      return drive(w, async () => {
        const ch = await (await connect(w, 'svc')).createChannel();
        const a = await ch.assertQueue('', { exclusive: true });
        const b = await ch.assertQueue();
        return [a.queue, b.queue];
      });
    };
    const one = await names(1);
    expect(one[0]).toMatch(/^amq\.gen-[A-Za-z0-9_-]{22}$/);
    expect(one[0]).not.toBe(one[1]);
    expect(await names(1)).toEqual(one);
    expect(await names(2)).not.toEqual(one);
  });

  it('names starting with amq. are reserved; the default exchange cannot be declared or bound', async () => {
    const w = world();
    await drive(w, async () => {
      const conn = await connect(w, 'svc');
      const quiet = async () => {
        const ch = await conn.createChannel();
        ch.on('error', () => undefined);
        return ch;
      };
      await expect((await quiet()).assertQueue('amq.mine')).rejects.toThrow("ACCESS_REFUSED - queue name 'amq.mine' contains reserved prefix 'amq.*'");
      await expect((await quiet()).assertExchange('amq.mine', 'direct')).rejects.toThrow('403 (ACCESS-REFUSED)');
      await expect((await quiet()).bindQueue('q', '', 'q')).rejects.toThrow('operation not permitted on the default exchange');
      const ok = await quiet();
      await ok.assertExchange('audit', 'fanout');
      // As RabbitMQ: either end of any binding, unbinding included (not a 404 for a missing exchange '').
      for (const refused of [
        (ch: Channel) => ch.bindExchange('audit', '', '#'),
        (ch: Channel) => ch.bindExchange('', 'audit', '#'),
        (ch: Channel) => ch.unbindExchange('audit', '', '#'),
        (ch: Channel) => ch.unbindExchange('', 'audit', '#'),
        (ch: Channel) => ch.unbindQueue('q', '', 'q'),
      ])
        await expect(refused(await quiet())).rejects.toThrow('403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - operation not permitted on the default exchange"');
      await expect(ok.assertExchange('amq.topic', 'topic')).resolves.toEqual({ exchange: 'amq.topic' });
    });
  });

  it('exclusive queues belong to their connection and vanish with it', async () => {
    const w = world();
    await drive(w, async () => {
      const a = await connect(w, 'a');
      const b = await connect(w, 'b');
      const cha = await a.createChannel();
      const chb = await b.createChannel();
      chb.on('error', () => undefined);
      await cha.assertQueue('mine', { exclusive: true });
      cha.sendToQueue('mine', Buffer.from('x'));
      await expect(chb.checkQueue('mine')).rejects.toThrow('405 (RESOURCE-LOCKED)');
      await a.close();
      const chb2 = await b.createChannel();
      chb2.on('error', () => undefined);
      await expect(chb2.checkQueue('mine')).rejects.toThrow("NOT_FOUND - no queue 'mine' in vhost '/'");
    });
    expect(events(w, 'mq.drop').map((e) => e.reason)).toEqual(['deleted']);
  });

  it('exchange-to-exchange bindings route onwards; x-expires deletes a queue left unused', async () => {
    const w = world();
    const got: string[] = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertExchange('front', 'topic');
      await ch.assertExchange('audit', 'fanout');
      await ch.bindExchange('audit', 'front', 'order.#');
      await ch.assertQueue('audit-log');
      await ch.bindQueue('audit-log', 'audit', '');
      await ch.consume('audit-log', (m) => m && got.push(m.fields.routingKey), { noAck: true });
      ch.publish('front', 'order.created', Buffer.from('x'));
      ch.publish('front', 'user.created', Buffer.from('y'));
      await ch.assertQueue('scratch', { expires: 1000 });
      await w.sleep(990);
      await ch.checkQueue('scratch'); // use restarts the clock
      await w.sleep(990);
      expect(brokerOf(w).queueStats('scratch').exists).toBe(true);
      await w.sleep(20);
      expect(brokerOf(w).queueStats('scratch').exists).toBe(false);
    });
    expect(got).toEqual(['order.created']);
  });

  it('the trace shows the arguments of every binding made with arguments', async () => {
    const w = world();
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertExchange('in', 'headers');
      await ch.assertExchange('eu', 'fanout');
      await ch.assertQueue('eu-orders');
      await ch.bindExchange('eu', 'in', '', { 'x-match': 'all', region: 'eu' });
      await ch.bindQueue('eu-orders', 'in', '', { 'x-match': 'any', region: 'eu' });
      await ch.unbindExchange('eu', 'in', '', { 'x-match': 'all', region: 'eu' });
    });
    const detail = (action: string) => events(w, 'mq.topology').find((e) => e.action === action)?.detail;
    expect(detail('exchange.bind')).toEqual({ exchange: 'in', routingKey: '', arguments: { 'x-match': 'all', region: 'eu' } });
    expect(detail('queue.bind')).toEqual({ exchange: 'in', routingKey: '', arguments: { 'x-match': 'any', region: 'eu' } });
    expect(detail('exchange.unbind')).toEqual({ exchange: 'in', routingKey: '' });
    expect(brokerOf(w).snapshot().bindings).toEqual([
      { source: 'in', destination: 'eu-orders', destinationType: 'queue', routingKey: '', args: { 'x-match': 'any', region: 'eu' } },
    ]);
  });
});
