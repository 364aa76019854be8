/**
 * Queues coming and going: queue.declare (server-named, exclusive,
 * auto-delete, arguments), queue.delete, queue.purge, consumers leaving, the
 * `x-expires` timer of an unused queue, and what deleting a queue takes with
 * it (messages, consumers, bindings).
 */
import { BrokerClose, brokerText, ReplyCode } from '../amqp-errors.js';
import type { Options, Replies } from '../amqp-types.js';
import { checkQueueArguments, checkQueueEquivalent, queueArgumentsOf, queueArgumentWarnings } from './arguments.js';
import { QueueState, type BrokerChannelState, type BrokerWorld, type ConsumerState } from './broker-state.js';
import type { BrokerStats } from './broker-stats.js';
import type { BrokerNames } from './names.js';
import type { Queues } from './queues.js';
import { checkExclusive, type Topology } from './topology.js';

/** Why a queue is deleted. */
export type QueueRemoval = 'deleted' | 'restart';

/** Declares, deletes and purges queues, and removes consumers. */
export class QueueLifecycle {
  constructor(
    private readonly world: BrokerWorld,
    private readonly topology: Topology,
    private readonly queues: Queues,
    private readonly stats: BrokerStats,
    private readonly names: BrokerNames,
  ) {}

  /** queue.declare */
  declare(ch: BrokerChannelState, name: string, options: Options.AssertQueue): Replies.AssertQueue {
    let qname = name ?? '';
    if (typeof qname !== 'string') throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, `PRECONDITION_FAILED - queue name must be a string`, 'QueueDeclare');
    if (qname.startsWith('amq.')) throw new BrokerClose(ReplyCode.ACCESS_REFUSED, brokerText.reservedQueue(qname), 'QueueDeclare');
    if (qname === '') {
      do qname = this.names.queueName();
      while (this.topology.queues.has(qname));
    }
    const raw = queueArgumentsOf(options);
    const durable = options.durable === undefined ? true : !!options.durable;
    const exclusive = !!options.exclusive;
    const autoDelete = !!options.autoDelete;
    const existing = this.topology.queues.get(qname);
    if (existing) {
      if (existing.exclusiveOwner !== (exclusive ? ch.connectionId : undefined)) throw new BrokerClose(ReplyCode.RESOURCE_LOCKED, brokerText.locked(qname), 'QueueDeclare');
      // As in RabbitMQ, a repeated declaration is only compared (its values are those already checked, or inequivalent).
      checkQueueEquivalent(qname, { durable, autoDelete, rawArgs: raw }, existing);
      this.warn(ch, queueArgumentWarnings(qname, raw));
      this.touchUnused(existing);
      return { queue: qname, messageCount: existing.ready.length, consumerCount: existing.consumers.length };
    }
    const args = checkQueueArguments(qname, raw, { durable, exclusive, autoDelete });
    this.warn(ch, queueArgumentWarnings(qname, raw));
    const q = new QueueState(qname, { durable, exclusiveOwner: exclusive ? ch.connectionId : undefined, autoDelete, rawArgs: raw, args }, this.stats.countersFor(qname));
    this.topology.queues.set(qname, q);
    this.world.trace.record('mq.topology', {
      source: ch.service,
      target: qname,
      action: 'queue.declare',
      name: qname,
      detail: { durable, exclusive, autoDelete, ...(Object.keys(raw).length ? { arguments: raw } : {}) },
    });
    this.touchUnused(q);
    this.stats.touched(qname);
    return { queue: qname, messageCount: 0, consumerCount: 0 };
  }

  /** Records what the broker says about arguments that change nothing (a `warn` log). */
  private warn(ch: BrokerChannelState, messages: readonly string[]): void {
    for (const message of messages) this.world.trace.record('log', { source: 'broker', target: ch.service, level: 'warn', message });
  }

  /** queue.declare, passive */
  check(ch: BrokerChannelState, name: string): Replies.AssertQueue {
    const q = this.topology.mustQueue(name, 'QueueDeclare', ch);
    this.touchUnused(q);
    return { queue: q.name, messageCount: q.ready.length, consumerCount: q.consumers.length };
  }

  /** queue.delete */
  delete(ch: BrokerChannelState, name: string, options: Options.DeleteQueue): Replies.DeleteQueue {
    const q = this.topology.queues.get(name);
    if (!q) return { messageCount: 0 };
    checkExclusive(q, ch, 'QueueDelete');
    if (options.ifUnused && q.consumers.length > 0) throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, brokerText.inUse(name), 'QueueDelete');
    if (options.ifEmpty && q.ready.length > 0) throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, brokerText.notEmpty(name), 'QueueDelete');
    const messageCount = q.ready.length;
    this.remove(q, 'deleted', ch.service);
    return { messageCount };
  }

  /** queue.purge */
  purge(ch: BrokerChannelState, name: string): Replies.PurgeQueue {
    const q = this.topology.mustQueue(name, 'QueuePurge', ch);
    const gone = q.ready.drain();
    for (const e of gone) this.queues.dropEntry(q, e, 'purged', ch.service);
    this.world.trace.record('mq.topology', { source: ch.service, target: name, action: 'queue.purge', name, detail: { messageCount: gone.length } });
    this.queues.scheduleExpiry(q);
    this.stats.touched(name);
    return { messageCount: gone.length };
  }

  /** Deletes a queue: its ready messages are dropped (traced), its consumers cancelled, its bindings removed. */
  remove(q: QueueState, reason: QueueRemoval, source: string): void {
    if (q.deleted) return;
    for (const e of q.ready.drain()) this.queues.dropEntry(q, e, reason, source);
    q.deleted = true;
    this.topology.queues.delete(q.name);
    q.expiryTimer?.cancel();
    q.unusedTimer?.cancel();
    for (const c of [...q.consumers]) {
      q.consumers.splice(q.consumers.indexOf(c), 1);
      c.channel.consumers.delete(c.tag);
      this.world.trace.record('mq.consumer', { source: c.channel.service, target: q.name, action: 'cancel', queue: q.name, consumerTag: c.tag });
      const sink = c.channel.sink;
      if (c.channel.open) c.channel.link.toClient(() => sink.consumerCancelled(c.tag));
    }
    for (const b of [...q.bindings]) this.topology.removeBinding(b);
    this.world.trace.record('mq.topology', { source, target: q.name, action: 'queue.delete', name: q.name, ...(reason === 'restart' ? { detail: { reason } } : {}) });
    this.stats.touched(q.name);
  }

  /** A consumer stops (cancelled, or its channel closed); an auto-delete queue left without consumers goes. */
  removeConsumer(c: ConsumerState): void {
    const q = c.queue;
    const i = q.consumers.indexOf(c);
    if (i >= 0) {
      q.consumers.splice(i, 1);
      if (q.rr > i) q.rr--;
      if (q.rr >= q.consumers.length) q.rr = 0;
    }
    c.channel.consumers.delete(c.tag);
    this.world.trace.record('mq.consumer', { source: c.channel.service, target: q.name, action: 'cancel', queue: q.name, consumerTag: c.tag });
    this.stats.touched(q.name);
    if (q.consumers.length === 0 && !q.deleted) {
      if (q.autoDelete && q.hadConsumer) this.remove(q, 'deleted', c.channel.service);
      else this.touchUnused(q);
    }
  }

  /** The queue was used: starts or restarts its `x-expires` timer, which runs while it has no consumers. */
  touchUnused(q: QueueState): void {
    const ms = q.args.expires;
    if (ms === undefined || q.deleted) return;
    q.unusedTimer?.cancel();
    q.unusedTimer = undefined;
    if (q.consumers.length > 0) return;
    q.unusedTimer = this.world.scheduler.after(
      ms,
      () => {
        if (q.consumers.length === 0) this.remove(q, 'deleted', 'broker');
      },
      { sync: true },
    );
  }
}
