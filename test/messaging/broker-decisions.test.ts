/**
 * What the in-memory broker does where SEMANTICS.md decides by reasoning or by
 * RabbitMQ's documentation rather than by an observed run: refusals that name
 * what is not simulated, warnings for arguments that change nothing on one
 * node, quorum queues keeping every message over a restart, and the trace
 * fields that tell why a message left a queue.
 */
import { describe, expect, it } from 'vitest';
import { Buffer, brokerOf, connect } from '../../src/messaging/index.js';
import { declareFailed, failed, open, openConfirm, outcome, taken, type QueueOptions } from './amqp-oracle.js';
import { drive, events, world } from './helpers.js';

const QUORUM = { 'x-queue-type': 'quorum' } as const;

describe('refused, with a reason', () => {
  it('quorum queues: at-least-once dead-lettering, arguments of classic queues, a channel-wide prefetch', async () => {
    const w = world();
    await drive(w, async () => {
      const tries: [string, QueueOptions, string][] = [
        ['alo', { arguments: { ...QUORUM, 'x-dead-letter-strategy': 'at-least-once' } }, "invalid arg 'x-dead-letter-strategy' for queue 'alo' in vhost '/': 'at-least-once' is not simulated; leave it out for at-most-once"],
        ['loc', { arguments: { ...QUORUM, 'x-queue-master-locator': 'min-masters' } }, "invalid arg 'x-queue-master-locator' for queue 'loc' in vhost '/' of queue type rabbit_quorum_queue"],
        ['cls', { durable: false, arguments: { 'x-dead-letter-strategy': 'at-most-once' } }, "invalid arg 'x-dead-letter-strategy' for queue 'cls' in vhost '/' of queue type rabbit_classic_queue"],
        ['neg', { durable: false, expires: -1 }, "invalid arg 'x-expires' for queue 'neg' in vhost '/': {value_negative,-1}"],
      ];
      for (const [q, options, text] of tries) expect(await outcome((await open(w)).ch.assertQueue(q, options))).toEqual(declareFailed(text));
      const { ch } = await open(w);
      expect(await ch.assertQueue('amo', { arguments: { ...QUORUM, 'x-dead-letter-strategy': 'at-most-once' } })).toEqual({ queue: 'amo', messageCount: 0, consumerCount: 0 });
      const g = await open(w);
      await g.ch.prefetch(10, true);
      expect(await outcome(g.ch.consume('amo', () => undefined))).toEqual(failed('BasicConsume', 406, "PRECONDITION_FAILED - queue 'amo' in vhost '/' does not support global qos"));
    });
  });

  it('a headers binding whose x-match is not a string', async () => {
    const w = world();
    await drive(w, async () => {
      const { ch } = await open(w);
      await ch.assertExchange('hx', 'headers', { durable: false });
      await ch.assertQueue('q', { durable: false });
      expect(await outcome(ch.bindQueue('q', 'hx', '', { 'x-match': 1 }))).toEqual(
        failed('QueueBind', 406, 'PRECONDITION_FAILED - Invalid x-match field type byte (value 1); expected longstr'),
      );
    });
  });

  it('an expiration too large for RabbitMQ', async () => {
    const w = world();
    await drive(w, async () => {
      const { ch, errors } = await open(w);
      ch.sendToQueue('anywhere', Buffer.from('x'), { expiration: 4294967296 });
      await w.sleep(10);
      expect(errors).toEqual(['Channel closed by server: 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - invalid expiration \'4294967296\': {value_too_large,4294967296}"']);
    });
  });
});

describe('no effect on one node, said out loud', () => {
  it('cluster placement arguments and consume arguments RabbitMQ does not know are accepted with a warning', async () => {
    const w = world();
    await drive(w, async () => {
      const { ch, errors } = await open(w);
      await ch.assertQueue('qq', { arguments: { ...QUORUM, 'x-queue-leader-locator': 'balanced', 'x-quorum-initial-group-size': 3 } });
      await ch.consume('qq', () => undefined, { arguments: { 'x-stream-offset': 'first', 'x-cancel-on-ha-failover': true } });
      expect(errors).toEqual([]);
    });
    const warnings = events(w, 'log')
      .filter((e) => e.level === 'warn')
      .map((e) => e.message);
    expect(warnings).toEqual([
      "queue 'qq': argument 'x-queue-leader-locator' places the queue in a cluster; with one node it has no effect",
      "queue 'qq': argument 'x-quorum-initial-group-size' sizes the queue’s cluster group; with one node it has no effect",
      "consume('qq'): argument 'x-stream-offset' is not one RabbitMQ 3.10 knows; it has no effect",
      "consume('qq'): argument 'x-cancel-on-ha-failover' is about mirrored queues in a cluster; with one node it has no effect",
    ]);
  });
});

describe('quorum queues over a restart', () => {
  it('keep every message, transient ones included (a classic queue keeps only persistent ones)', async () => {
    const w = world();
    await drive(w, async () => {
      const { ch } = await openConfirm(w);
      await ch.assertQueue('qq', { arguments: QUORUM });
      await ch.assertQueue('classic');
      for (const q of ['qq', 'classic']) {
        ch.sendToQueue(q, Buffer.from('transient'));
        ch.sendToQueue(q, Buffer.from('persistent'), { persistent: true });
      }
      await ch.waitForConfirms();
      brokerOf(w).restart();
      await w.sleep(20);
      const after = await open(w);
      expect((await after.ch.checkQueue('qq')).messageCount).toBe(2);
      expect((await after.ch.checkQueue('classic')).messageCount).toBe(1);
    });
  });
});

describe('the trace says why a message left', () => {
  it('refused at the door (reject-publish) or dead-lettered past the delivery limit, and how it came back; deliveries carry x-delivery-count', async () => {
    const w = world();
    await drive(w, async () => {
      const { ch } = await openConfirm(w);
      await ch.assertQueue('full', { durable: false, maxLength: 1, overflow: 'reject-publish' });
      ch.sendToQueue('full', Buffer.from('kept'), { messageId: 'kept' });
      ch.sendToQueue('full', Buffer.from('refused'), { messageId: 'refused' });
      await ch.waitForConfirms().catch(() => undefined);
      await ch.assertQueue('qq', { arguments: { ...QUORUM, 'x-delivery-limit': 0 } });
      ch.sendToQueue('qq', Buffer.from('poison'), { messageId: 'poison' });
      await ch.waitForConfirms();
      const c = await (await connect(w, 'worker')).createChannel();
      taken(await c.get('qq'));
      await c.close();
    });
    expect(events(w, 'mq.drop').map((e) => [e.messageId, e.reason, e.refused, e.returnedBy])).toEqual([
      ['refused', 'maxlen', true, undefined],
      ['poison', 'delivery_limit', undefined, 'channel-closed'],
    ]);
    expect(events(w, 'mq.deliver').map((e) => [e.messageId, e.deliveryCount])).toEqual([['poison', 0]]);
    expect(events(w, 'mq.requeue')).toEqual([]);
  });
});
