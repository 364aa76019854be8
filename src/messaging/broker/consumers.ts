/**
 * basic.consume, basic.cancel, basic.get and basic.qos: who takes messages
 * from a queue, and how many unacknowledged ones they may hold.
 */
import { BrokerClose, brokerText, ReplyCode } from '../amqp-errors.js';
import type { Options, Replies } from '../amqp-types.js';
import { checkConsumeArguments } from './arguments.js';
import { ConsumerState, type BrokerChannelState, type BrokerWorld } from './broker-state.js';
import { addConsumer } from './consumer-choice.js';
import type { BrokerStats } from './broker-stats.js';
import type { GetResult, PrefetchLimit } from './endpoint.js';
import type { AfterReply } from './hooks.js';
import type { BrokerNames } from './names.js';
import type { QueueLifecycle } from './queue-lifecycle.js';
import type { Queues } from './queues.js';
import type { Topology } from './topology.js';

/** Starts and stops consumers, serves `get`, sets prefetch limits. */
export class Consumers {
  constructor(
    private readonly world: BrokerWorld,
    private readonly topology: Topology,
    private readonly queues: Queues,
    private readonly lifecycle: QueueLifecycle,
    private readonly stats: BrokerStats,
    private readonly names: BrokerNames,
    private readonly afterReply: AfterReply,
  ) {}

  /** basic.consume: deliveries start once consume-ok has gone out, as in RabbitMQ. */
  consume(ch: BrokerChannelState, queue: string, options: Options.Consume): Replies.Consume {
    const q = this.topology.mustQueue(queue, 'BasicConsume', ch);
    const { priority, warnings } = checkConsumeArguments(queue, options);
    if (q.consumers.some((c) => c.exclusive) || (options.exclusive && q.consumers.length > 0))
      throw new BrokerClose(ReplyCode.ACCESS_REFUSED, brokerText.exclusiveConsumer(queue), 'BasicConsume');
    // Not observed; the RabbitMQ documentation says quorum queues refuse a channel-wide prefetch.
    if (q.args.type === 'quorum' && ch.globalPrefetch > 0)
      throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, `PRECONDITION_FAILED - queue '${queue}' in vhost '/' does not support global qos`, 'BasicConsume');
    const tag = options.consumerTag || this.names.consumerTag();
    if (ch.consumers.has(tag)) throw new BrokerClose(ReplyCode.NOT_ALLOWED, brokerText.reuseTag(tag), 'BasicConsume', 'connection');
    for (const message of warnings) this.world.trace.record('log', { source: 'broker', target: ch.service, level: 'warn', message });
    const c = new ConsumerState(tag, q, ch, { noAck: !!options.noAck, prefetch: ch.prefetch, exclusive: !!options.exclusive, priority });
    addConsumer(q, c);
    ch.consumers.set(tag, c);
    q.hadConsumer = true;
    this.lifecycle.touchUnused(q);
    this.world.trace.record('mq.consumer', {
      source: ch.service,
      target: queue,
      action: 'consume',
      queue,
      consumerTag: tag,
      ...(c.prefetch ? { prefetch: c.prefetch } : {}),
      ...(c.noAck ? { noAck: true } : {}),
      ...(c.priority ? { priority: c.priority } : {}),
    });
    this.stats.touched(queue);
    this.afterReply(() => this.queues.dispatch(q));
    return { consumerTag: tag };
  }

  /** basic.cancel (with single active consumer, the next consumer takes over at once). */
  cancel(ch: BrokerChannelState, consumerTag: string): Replies.Consume {
    const c = ch.consumers.get(consumerTag);
    if (c) {
      this.lifecycle.removeConsumer(c);
      const q = c.queue;
      if (q.args.singleActiveConsumer) this.afterReply(() => this.queues.dispatch(q));
    }
    return { consumerTag };
  }

  /**
   * basic.qos: a per-consumer limit applies to consumers started afterwards,
   * and (RabbitMQ 3.10's rule) removes the channel-wide one; a channel-wide
   * limit applies at once.
   */
  prefetch(ch: BrokerChannelState, limit: PrefetchLimit): Replies.Empty {
    if (limit.global) {
      ch.globalPrefetch = limit.count;
      this.afterReply(() => this.queues.dispatchChannel(ch));
      return {};
    }
    ch.prefetch = limit.count;
    if (ch.globalPrefetch > 0) {
      ch.globalPrefetch = 0;
      this.afterReply(() => this.queues.dispatchChannel(ch));
    }
    return {};
  }

  /** basic.get: the head of the queue (expired messages at the head go first), or false when none is ready. */
  get(ch: BrokerChannelState, queue: string, options: { noAck: boolean }): GetResult | false {
    const q = this.topology.mustQueue(queue, 'BasicGet', ch);
    this.lifecycle.touchUnused(q);
    const now = this.world.scheduler.now();
    let e = q.ready.peek();
    while (e !== undefined && e.expiresAt <= now) {
      q.ready.shift();
      this.queues.expire(q, e);
      e = q.ready.peek();
    }
    if (e === undefined) {
      this.queues.scheduleExpiry(q);
      return false;
    }
    q.ready.shift();
    const noAck = options.noAck;
    const tag = ch.nextTag++;
    const redelivered = this.queues.countDelivery(q, e);
    const c = q.counters;
    // basic.get on a quorum queue shows x-delivery-count even on a first delivery (0).
    const deliveryCount = q.args.type === 'quorum' ? e.deliveryCount : undefined;
    this.world.trace.record('mq.deliver', {
      source: ch.service, target: q.name, causationId: e.msg.cause, correlationId: e.msg.properties.correlationId,
      messageId: e.msg.id,
      queue: q.name,
      deliveryTag: tag,
      redelivered,
      get: true,
      ...(noAck ? { noAck: true } : {}),
      ...(deliveryCount !== undefined ? { deliveryCount } : {}),
    });
    if (noAck) {
      c.acked++;
      this.world.trace.record('mq.ack', { source: ch.service, target: q.name, causationId: e.msg.cause, correlationId: e.msg.properties.correlationId, messageId: e.msg.id, queue: q.name, deliveryTag: tag, auto: true });
    } else {
      ch.unacked.set(tag, { tag, entry: e, queue: q, consumer: undefined });
      c.unacked++;
    }
    this.queues.scheduleExpiry(q);
    this.stats.touched(q.name);
    return { msg: e.msg, deliveryTag: tag, redelivered, messageCount: q.ready.length, deliveryCount };
  }
}
