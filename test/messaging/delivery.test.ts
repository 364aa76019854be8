import { describe, expect, it } from 'vitest';
import { Buffer, brokerOf, connect, createAmqp, type ConsumeMessage } from '../../src/messaging/index.js';
import { drive, events, world } from './helpers.js';

describe('consumers and acknowledgements', () => {
  it('competing consumers share a queue round-robin', async () => {
    const w = world();
    const got: Record<string, string[]> = { a: [], b: [], c: [] };
    await drive(w, async () => {
      const pub = await (await connect(w, 'orders')).createChannel();
      await pub.assertQueue('work');
      for (const name of ['a', 'b', 'c']) {
        const ch = await (await connect(w, name)).createChannel();
        await ch.consume('work', (m) => {
          if (!m) return;
          got[name]!.push(m.content.toString());
          ch.ack(m);
        });
      }
      for (let i = 1; i <= 7; i++) pub.sendToQueue('work', Buffer.from(String(i)));
    });
    expect(got).toEqual({ a: ['1', '4', '7'], b: ['2', '5'], c: ['3', '6'] });
  });

  it('prefetch bounds unacknowledged deliveries per consumer; 0 means no limit', async () => {
    const w = world();
    const maxOutstanding: Record<string, number> = {};
    await drive(w, async () => {
      const pub = await (await connect(w, 'p')).createChannel();
      await pub.assertQueue('jobs');
      for (let i = 0; i < 20; i++) pub.sendToQueue('jobs', Buffer.from(String(i)));
      for (const [name, prefetch] of [['slow', 2], ['fast', 0]] as const) {
        const ch = await (await connect(w, name)).createChannel();
        await ch.prefetch(prefetch);
        let outstanding = 0;
        maxOutstanding[name] = 0;
        await ch.consume('jobs', async (m) => {
          if (!m) return;
          outstanding++;
          maxOutstanding[name] = Math.max(maxOutstanding[name]!, outstanding);
          await w.sleep(name === 'slow' ? 50 : 1000);
          outstanding--;
          ch.ack(m);
        });
      }
    });
    expect(maxOutstanding['slow']).toBe(2);
    expect(maxOutstanding['fast']).toBeGreaterThan(2);
    expect(brokerOf(w).queueStats('jobs')).toMatchObject({ ready: 0, unacked: 0, acked: 20 });
  });

  it('acking twice closes the channel: PRECONDITION_FAILED - unknown delivery tag', async () => {
    const w = world();
    const errors: string[] = [];
    let closed = false;
    await drive(w, async () => {
      const conn = await connect(w, 'svc');
      const ch = await conn.createChannel();
      ch.on('error', (e: Error & { code?: number }) => errors.push(`${e.code} ${e.message}`));
      ch.on('close', () => (closed = true));
      await ch.assertQueue('q');
      ch.sendToQueue('q', Buffer.from('x'));
      await ch.consume('q', (m) => {
        if (!m) return;
        ch.ack(m);
        ch.ack(m);
      });
    });
    expect(errors).toEqual(['406 Channel closed by server: 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - unknown delivery tag 1"']);
    expect(closed).toBe(true);
    expect(brokerOf(w).queueStats('q')).toMatchObject({ acked: 1, ready: 0, unacked: 0 });
  });

  it('an unknown delivery tag with no error listener takes the connection down and is traced as an error', async () => {
    const w = world();
    await drive(w, async () => {
      const ch = await (await connect(w, 'careless')).createChannel();
      await ch.assertQueue('q');
      ch.sendToQueue('q', Buffer.from('x'));
      await ch.consume('q', (m) => {
        if (m) ch.ack({ ...m, fields: { ...m.fields, deliveryTag: 99 } });
      });
    });
    const err = events(w, 'error');
    expect(err).toHaveLength(1);
    expect(err[0]).toMatchObject({ source: 'careless' });
    expect(err[0]!.message).toContain('unknown delivery tag 99');
    // the message was requeued when the channel closed
    expect(brokerOf(w).queueStats('q')).toMatchObject({ ready: 1, unacked: 0, requeued: 1 });
  });

  it('nack and reject requeue by default; the message keeps its place and comes back redelivered', async () => {
    const w = world();
    const seen: string[] = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertQueue('q');
      for (const s of ['a', 'b', 'c']) ch.sendToQueue('q', Buffer.from(s));
      await ch.prefetch(2);
      let rounds = 0;
      await ch.consume('q', (m) => {
        if (!m) return;
        seen.push(`${m.content.toString()}${m.fields.redelivered ? '*' : ''}`);
        rounds++;
        if (rounds === 1) return; // hold 'a'
        if (rounds === 2) {
          // nack 'b' and everything before it ('a'): both go back in their old order
          ch.nack(m, true);
          return;
        }
        if (rounds === 3) {
          ch.reject(m);
          return;
        }
        ch.ack(m);
      });
    });
    expect(seen).toEqual(['a', 'b', 'a*', 'b*', 'a*', 'c']);
    expect(events(w, 'mq.requeue').map((e) => e.reason)).toEqual(['nack', 'nack', 'reject']);
  });

  it('closing a channel requeues its unacked messages, which then go to another consumer', async () => {
    const w = world();
    const got: string[] = [];
    await drive(w, async () => {
      const pub = await (await connect(w, 'p')).createChannel();
      await pub.assertQueue('q');
      const c1 = await (await connect(w, 'first')).createChannel();
      await c1.consume('q', (m) => m && got.push(`first:${m.content.toString()}`));
      pub.sendToQueue('q', Buffer.from('x'));
      await w.sleep(10);
      const c2 = await (await connect(w, 'second')).createChannel();
      await c2.consume('q', (m) => {
        if (!m) return;
        got.push(`second:${m.content.toString()}:${m.fields.redelivered}`);
        c2.ack(m);
      });
      await c1.close();
    });
    expect(got).toEqual(['first:x', 'second:x:true']);
    expect(events(w, 'mq.requeue')[0]).toMatchObject({ reason: 'channel-closed', source: 'first', target: 'q' });
  });

  it('messages carry amqplib fields and properties; ids come from the publisher or the trace', async () => {
    const w = world();
    const msgs: ConsumeMessage[] = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertQueue('q');
      ch.sendToQueue('q', Buffer.from('{"a":1}'), {
        persistent: true,
        messageId: 'm-1',
        correlationId: 'c-1',
        replyTo: 'replies',
        headers: { h: 1 },
        contentType: 'application/json',
        timestamp: 1700000000,
        type: 'OrderCreated',
      });
      ch.sendToQueue('q', 'plain string content');
      await ch.consume('q', (m) => m && msgs.push(m), { noAck: true, consumerTag: 'my-tag' });
    });
    expect(msgs[0]!.fields).toEqual({ consumerTag: 'my-tag', deliveryTag: 1, redelivered: false, exchange: '', routingKey: 'q' });
    expect(msgs[0]!.properties).toEqual({
      contentType: 'application/json',
      contentEncoding: undefined,
      headers: { h: 1 },
      deliveryMode: 2,
      priority: undefined,
      correlationId: 'c-1',
      replyTo: 'replies',
      expiration: undefined,
      messageId: 'm-1',
      timestamp: 1700000000,
      type: 'OrderCreated',
      userId: undefined,
      appId: undefined,
      clusterId: undefined,
    });
    expect(JSON.parse(msgs[0]!.content.toString())).toEqual({ a: 1 });
    expect(msgs[1]!.content.toString()).toBe('plain string content');
    expect(msgs[1]!.properties.messageId).toBeUndefined();
    const publishes = events(w, 'mq.publish');
    expect(publishes.map((e) => e.messageId)).toEqual(['m-1', 'msg-1']);
    expect(publishes[0]).toMatchObject({ source: 'svc', target: 'q', correlationId: 'c-1', persistent: true, body: '{"a":1}' });
  });

  it('get returns a message or false; cancel stops a consumer', async () => {
    const w = world();
    const got: string[] = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertQueue('q');
      expect(await ch.get('q')).toBe(false);
      ch.sendToQueue('q', Buffer.from('one'));
      ch.sendToQueue('q', Buffer.from('two'));
      const m = await ch.get('q');
      expect(m && m.content.toString()).toBe('one');
      expect(m && m.fields.messageCount).toBe(1);
      if (m) ch.ack(m);
      const { consumerTag } = await ch.consume('q', (x) => x && got.push(x.content.toString()), { noAck: true });
      await ch.cancel(consumerTag);
      ch.sendToQueue('q', Buffer.from('three'));
    });
    expect(got).toEqual(['two']);
    expect(brokerOf(w).queueStats('q')).toMatchObject({ ready: 1, consumers: 0, acked: 2 });
  });

  it('deleting a queue cancels its consumers (callback gets null) and drops its messages, traced', async () => {
    const w = world();
    const got: Array<string | null> = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertQueue('q');
      await ch.prefetch(1);
      await ch.consume('q', (m) => got.push(m ? m.content.toString() : null));
      ch.sendToQueue('q', Buffer.from('a'));
      ch.sendToQueue('q', Buffer.from('b'));
      await w.sleep(5);
      const other = await (await connect(w, 'admin')).createChannel();
      expect(await other.deleteQueue('q')).toEqual({ messageCount: 1 });
    });
    expect(got).toEqual(['a', null]);
    expect(events(w, 'mq.drop').map((e) => [e.reason, e.queue])).toEqual([['deleted', 'q']]);
  });

  it('delivery takes virtual time: one broker latency each way', async () => {
    const w = world({ faults: { broker: { latency: { kind: 'fixed', ms: 10 } } } });
    const times: number[] = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertQueue('q');
      await ch.consume('q', (m) => {
        if (!m) return;
        times.push(w.now());
        ch.ack(m);
      });
      times.push(w.now());
      ch.sendToQueue('q', Buffer.from('x'));
    });
    expect(times[1]! - times[0]!).toBe(20);
    const [pub] = events(w, 'mq.publish');
    const [route] = events(w, 'mq.route');
    const [ack] = events(w, 'mq.ack');
    expect(route!.time - pub!.time).toBe(10);
    expect(ack!.time - pub!.time).toBe(30);
    expect(route!.causationId).toBe(pub!.seq);
    expect(ack!.causationId).toBe(pub!.seq);
  });

  it('bad calls say what was wrong', async () => {
    const w = world();
    const connErrors: string[] = [];
    await drive(w, async () => {
      const conn = await connect(w, 'svc');
      conn.on('error', (e: Error) => connErrors.push(e.message));
      const ch = await conn.createChannel();
      ch.on('error', () => undefined);
      await ch.assertQueue('q');
      expect(() => ch.sendToQueue('q', { orderId: 1 } as never)).toThrow(
        "sendToQueue('q'): content must be bytes (a Buffer or Uint8Array) or a string, but got a plain object. Wrap objects like this: Buffer.from(JSON.stringify(value)).",
      );
      expect(() => ch.publish('x', 'k', 42 as never)).toThrow('got number 42');
      await expect(ch.consume('q', 'not a function' as never)).rejects.toThrow('the second argument must be a function');
      await expect(ch.consume('missing', () => undefined)).rejects.toThrow(
        `Operation failed: BasicConsume; 404 (NOT-FOUND) with message "NOT_FOUND - no queue 'missing' in vhost '/'"`,
      );
      const ch2 = await conn.createChannel();
      ch2.on('error', () => undefined);
      const err = await ch2.assertExchange('x', 'fanoutt').catch((e: unknown) => e);
      expect(String(err)).toContain(`Operation failed: ExchangeDeclare; 503 (COMMAND-INVALID) with message "COMMAND_INVALID - unknown exchange type 'fanoutt'"`);
      await expect(conn.createChannel()).rejects.toThrow('Connection closed');
    });
    expect(connErrors).toEqual([`Connection closed: 503 (COMMAND-INVALID) with message "COMMAND_INVALID - unknown exchange type 'fanoutt'"`]);
  });

  it('publishing to a missing exchange closes the channel asynchronously, as RabbitMQ does', async () => {
    const w = world();
    const errors: string[] = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      ch.on('error', (e: Error) => errors.push(e.message));
      expect(ch.publish('nope', 'k', Buffer.from('x'))).toBe(true);
      await w.sleep(5);
      expect(() => ch.publish('nope', 'k', Buffer.from('x'))).toThrow('Channel closed');
    });
    expect(errors).toEqual([`Channel closed by server: 404 (NOT-FOUND) with message "NOT_FOUND - no exchange 'nope' in vhost '/'"`]);
    expect(events(w, 'mq.drop')[0]).toMatchObject({ reason: 'no-exchange', exchange: 'nope' });
  });

  it('connect accepts an amqp URL whose user is the service', async () => {
    const w = world();
    await expect(connect('amqp://localhost' as never)).rejects.toThrow("connect: the first argument must be the world (or its broker), e.g. connect(world, 'orders')");
    await drive(w, async () => {
      const viaModule = await createAmqp(w, 'shipping').connect('amqp://guest:guest@localhost');
      expect(viaModule.service).toBe('shipping');
      const conn = await connect(w, 'amqp://payments:secret@rabbitmq:5672');
      expect(conn.service).toBe('payments');
      const ch = await conn.createChannel();
      await ch.assertQueue('q');
    });
    expect(events(w, 'mq.topology')[0]).toMatchObject({ source: 'payments' });
  });

  it('a consumer callback that throws closes its channel with 541, as amqplib does; its messages are requeued', async () => {
    const w = world();
    const errors: Array<[number | undefined, string]> = [];
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      ch.on('error', (e: Error & { code?: number }) => errors.push([e.code, e.message]));
      await ch.assertQueue('q');
      await ch.consume('q', () => {
        throw new Error('handler bug');
      });
      ch.sendToQueue('q', Buffer.from('x'));
    });
    expect(errors).toEqual([[541, 'handler bug']]);
    expect(brokerOf(w).queueStats('q')).toMatchObject({ ready: 1, unacked: 0, consumers: 0, requeued: 1 });
  });

  it('an async consumer that rejects is reported as an error in the trace; the message stays unacked', async () => {
    const w = world();
    await drive(w, async () => {
      const ch = await (await connect(w, 'svc')).createChannel();
      await ch.assertQueue('q');
      await ch.consume('q', async () => {
        await w.sleep(1);
        throw new Error('db down');
      });
      ch.sendToQueue('q', Buffer.from('x'));
    });
    expect(events(w, 'error').map((e) => e.message)).toEqual(["consumer of 'q' rejected (unhandled): Error: db down"]);
    expect(brokerOf(w).queueStats('q')).toMatchObject({ unacked: 1 });
  });

  it('consumers of durable queues keep consuming after a broker restart; unacked messages come back redelivered', async () => {
    const w = world({ faults: { broker: { restarts: [50] } } });
    const got: string[] = [];
    await drive(w, async () => {
      const pub = await (await connect(w, 'p')).createChannel();
      await pub.assertQueue('jobs');
      const ch = await (await connect(w, 'worker')).createChannel();
      await ch.consume('jobs', async (m) => {
        if (!m) return;
        got.push(`${m.content.toString()}${m.fields.redelivered ? '*' : ''}@${w.now()}`);
        await w.sleep(100); // still working when the broker restarts
        ch.ack(m);
      });
      pub.sendToQueue('jobs', Buffer.from('a'), { persistent: true });
      await w.sleep(200);
      pub.sendToQueue('jobs', Buffer.from('b'), { persistent: true });
    });
    expect(got.map((g) => g.split('@')[0])).toEqual(['a', 'a*', 'b']);
    expect(events(w, 'fault').map((f) => f.fault)).toEqual(['broker-restart', 'ack-lost']);
    expect(brokerOf(w).queueStats('jobs')).toMatchObject({ acked: 2, ready: 0, unacked: 0 });
  });
});
