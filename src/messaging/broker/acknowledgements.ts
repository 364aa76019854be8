/**
 * basic.ack, basic.nack, basic.reject and basic.recover, and requeueing a
 * channel's outstanding deliveries when it closes or its process crashes.
 */
import { BrokerClose, brokerText, ReplyCode } from '../amqp-errors.js';
import type { Replies } from '../amqp-types.js';
import type { MqRequeueReason } from '../trace-events.js';
import type { BrokerChannelState, BrokerWorld, Delivery } from './broker-state.js';
import type { BrokerStats } from './broker-stats.js';
import type { AckFrame, NackFrame } from './endpoint.js';
import type { AfterReply, FailChannel } from './hooks.js';
import type { Queues } from './queues.js';

const NONE: readonly Delivery[] = [];

/** Settles deliveries: acknowledged, rejected, or back to their queues. */
export class Acknowledgements {
  constructor(
    private readonly world: BrokerWorld,
    private readonly queues: Queues,
    private readonly stats: BrokerStats,
    private readonly fail: FailChannel,
    private readonly afterReply: AfterReply,
  ) {}

  /** basic.ack arrives */
  ack(ch: BrokerChannelState, f: AckFrame): void {
    if (!ch.open) return;
    if (f.epoch !== ch.epoch) return this.lostAck(ch, f.deliveryTag, 'ack');
    const ds = this.collect(ch, f, 'BasicAck');
    if (ds === undefined) return;
    for (const d of ds) {
      this.settle(ch, d);
      d.queue.counters.acked++;
      this.world.trace.record('mq.ack', { source: ch.service, target: d.queue.name, causationId: d.entry.msg.cause, correlationId: d.entry.msg.properties.correlationId, messageId: d.entry.msg.id, queue: d.queue.name, deliveryTag: d.tag });
      this.stats.touched(d.queue.name);
    }
    this.queues.dispatchAfter(ch, ds);
  }

  /** basic.nack / basic.reject arrives */
  nack(ch: BrokerChannelState, f: NackFrame): void {
    if (!ch.open) return;
    const { requeue, method } = f;
    if (f.epoch !== ch.epoch) return this.lostAck(ch, f.deliveryTag, method);
    const ds = this.collect(ch, f, method === 'nack' ? 'BasicNack' : 'BasicReject');
    if (ds === undefined) return;
    for (const d of ds) {
      this.settle(ch, d);
      const q = d.queue;
      this.world.trace.record('mq.nack', { source: ch.service, target: q.name, causationId: d.entry.msg.cause, correlationId: d.entry.msg.properties.correlationId, messageId: d.entry.msg.id, queue: q.name, deliveryTag: d.tag, requeue, method });
      if (requeue) this.queues.requeueEntry(q, d.entry, method, ch.service);
      else this.queues.deadLetterOrDrop(q, d.entry, 'rejected', ch.service);
      this.stats.touched(q.name);
    }
    this.queues.dispatchAfter(ch, ds);
  }

  /** basic.recover: every unacknowledged delivery of the channel goes back and out again (after recover-ok). */
  recover(ch: BrokerChannelState): Replies.Empty {
    this.afterReply(() => this.requeueAll(ch, 'recover'));
    return {};
  }

  /** Requeues every outstanding delivery of a channel (close, crash, recover) and hands them out again. */
  requeueAll(ch: BrokerChannelState, reason: MqRequeueReason): void {
    const ds = this.putBackAll(ch, reason);
    if (ds.length > 0) this.queues.dispatchAfter(ch, ds);
  }

  /** Puts every outstanding delivery of a channel back in its queue without dispatching (a restart dispatches once it is done). */
  putBackAll(ch: BrokerChannelState, reason: MqRequeueReason): readonly Delivery[] {
    if (ch.unacked.size === 0) return NONE;
    const ds = [...ch.unacked.values()];
    ch.unacked.clear();
    for (const d of ds) {
      this.settle(ch, d);
      this.queues.requeueEntry(d.queue, d.entry, reason, ch.service);
      this.stats.touched(d.queue.name);
    }
    return ds;
  }

  private lostAck(ch: BrokerChannelState, tag: number, what: string): void {
    this.world.trace.record('fault', {
      source: ch.service,
      target: 'broker',
      fault: 'ack-lost',
      detail: `${what} of delivery ${tag} was sent before ${ch.service}'s connection dropped: the broker never got it`,
    });
  }

  /** The deliveries an ack/nack covers, or undefined after closing the channel for an unknown tag. */
  private collect(ch: BrokerChannelState, f: AckFrame, method: 'BasicAck' | 'BasicNack' | 'BasicReject'): Delivery[] | undefined {
    const unacked = ch.unacked;
    const tag = f.deliveryTag;
    if (tag === 0 && f.multiple) {
      const all = [...unacked.values()];
      unacked.clear();
      return all;
    }
    const one = unacked.get(tag);
    if (one === undefined) {
      this.fail(ch, new BrokerClose(ReplyCode.PRECONDITION_FAILED, brokerText.unknownTag(tag), method));
      return undefined;
    }
    if (!f.multiple) {
      unacked.delete(tag);
      return [one];
    }
    const out: Delivery[] = [];
    for (const [t, d] of unacked) {
      if (t > tag) break;
      out.push(d);
    }
    for (const d of out) unacked.delete(d.tag);
    return out;
  }

  /** Bookkeeping when a delivery stops being outstanding (already removed from `ch.unacked`). */
  private settle(ch: BrokerChannelState, d: Delivery): void {
    d.queue.counters.unacked--;
    if (d.consumer) {
      d.consumer.unacked--;
      ch.consumerUnacked--;
    }
  }
}
