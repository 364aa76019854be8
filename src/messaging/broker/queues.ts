/**
 * What happens to messages in queues: a copy enters a queue (fault plan,
 * length limits and overflow, per-queue and per-message TTL), is handed to
 * consumers (see `consumer-choice.ts`) within their prefetch, expires at the
 * head, goes back when requeued (counted, and limited, in a quorum queue),
 * and leaves by dead-lettering or as a traced drop.
 */
import { sampleLatency, type QueueFaults } from '../../sim/faults.js';
import type { Rng } from '../../sim/rng.js';
import { DEFAULT_EPOCH } from '../../sim/world.js';
import type { DeadLetterReason, MqDropReason, MqLeaving, MqRequeueReason } from '../trace-events.js';
import type { BrokerChannelState, BrokerWorld, ConsumerState, Delivery, QueueState } from './broker-state.js';
import type { BrokerStats } from './broker-stats.js';
import { chooseConsumer } from './consumer-choice.js';
import { deadLetterOf, isCycle } from './dead-letter.js';
import { overLimit, refusesPublish } from './overflow.js';
import type { DeliverFrame } from './sinks.js';
import { Entry, type StoredMessage } from './stored-message.js';
import type { Topology } from './topology.js';

/** How a message came to a queue. */
export type EnqueueOrigin = 'publish' | 'dead-letter';

const NOTHING: MqLeaving = {};
const REFUSED: MqLeaving = { refused: true };

/** The message flow through every queue of a broker. */
export class Queues {
  private readonly faultRng: Rng;

  constructor(
    private readonly world: BrokerWorld,
    private readonly topology: Topology,
    private readonly stats: BrokerStats,
  ) {
    this.faultRng = world.rng.fork('broker-faults');
  }

  /**
   * Puts a copy of `msg` into `q` (faults, overflow, then delivery if a
   * consumer has room). Returns false when the queue refused or lost it.
   */
  enqueue(q: QueueState, msg: StoredMessage, origin: EnqueueOrigin): boolean {
    const c = q.counters;
    const faults = this.queueFaults(q.name);
    c.published++;
    if (faults?.dropRate && this.faultRng.chance(faults.dropRate)) {
      c.dropped++;
      this.world.trace.record('fault', { source: msg.source, target: q.name, causationId: msg.cause, correlationId: msg.properties.correlationId, queue: q.name, fault: 'drop', detail: `message lost before reaching queue '${q.name}' (dropRate)`, messageId: msg.id });
      this.world.trace.record('mq.drop', { source: msg.source, target: q.name, causationId: msg.cause, correlationId: msg.properties.correlationId, messageId: msg.id, reason: 'fault', queue: q.name });
      this.stats.touched(q.name);
      return false;
    }
    const args = q.args;
    const now = this.world.scheduler.now();
    if (q.limited && refusesPublish(q, msg.content.length)) {
      const e = new Entry(msg, q.nextPos++, now, Infinity);
      if (args.overflow === 'reject-publish-dlx') this.deadLetterOrDrop(q, e, 'maxlen', 'broker', REFUSED);
      else this.dropEntry(q, e, 'maxlen', 'broker', REFUSED);
      this.stats.touched(q.name);
      return false;
    }
    let ttl = args.messageTtl;
    if (msg.ttl !== undefined && (ttl === undefined || msg.ttl < ttl)) ttl = msg.ttl;
    const entry = new Entry(msg, q.nextPos++, now, ttl === undefined ? Infinity : now + ttl);
    q.ready.push(entry);
    this.world.trace.record('mq.enqueue', {
      source: msg.source, target: q.name, causationId: msg.cause, correlationId: msg.properties.correlationId,
      messageId: msg.id,
      queue: q.name,
      ready: q.ready.length,
      deadLettered: origin === 'dead-letter' ? true : undefined, // absent from the JSON otherwise
    });
    if (faults?.duplicateRate && this.faultRng.chance(faults.duplicateRate)) {
      c.published++;
      q.ready.push(Entry.duplicateOf(entry, q.nextPos++));
      this.world.trace.record('fault', { source: msg.source, target: q.name, causationId: msg.cause, correlationId: msg.properties.correlationId, queue: q.name, fault: 'duplicate', detail: `message will be delivered twice from '${q.name}' (duplicateRate)`, messageId: msg.id });
      this.world.trace.record('mq.enqueue', { source: msg.source, target: q.name, causationId: msg.cause, correlationId: msg.properties.correlationId, messageId: msg.id, queue: q.name, ready: q.ready.length, duplicate: true });
    }
    this.dispatch(q, entry);
    if (q.limited && overLimit(q)) {
      while (overLimit(q)) this.deadLetterOrDrop(q, q.ready.shift()!, 'maxlen', 'broker');
      this.scheduleExpiry(q);
    }
    this.stats.touched(q.name);
    return true;
  }

  // ───────────────────────────── delivery ─────────────────────────────

  /**
   * Hands ready messages to consumers with room, round-robin, from the head;
   * expired messages at the head go first. `fresh` (just enqueued) may still
   * be delivered at the instant it expires (a TTL of 0 means "now or never").
   */
  dispatch(q: QueueState, fresh?: Entry): void {
    if (q.dispatching || q.deleted) return;
    q.dispatching = true;
    try {
      const now = this.world.scheduler.now();
      const ready = q.ready;
      for (;;) {
        const e = ready.peek();
        if (e === undefined) break;
        if (e.expiresAt <= now && e !== fresh) {
          ready.shift();
          this.expire(q, e);
          continue;
        }
        const chosen = chooseConsumer(q);
        if (chosen === undefined) break;
        ready.shift();
        this.deliver(q, e, chosen);
      }
    } finally {
      q.dispatching = false;
    }
    this.scheduleExpiry(q);
    this.stats.touched(q.name);
  }

  /** Dispatches the queues that settled deliveries came from (and, under a channel-wide prefetch, every queue the channel consumes). */
  dispatchAfter(ch: BrokerChannelState, ds: readonly Delivery[]): void {
    if (ds.length === 1) {
      const q = ds[0]!.queue;
      this.dispatch(q);
      if (ch.globalPrefetch > 0) this.dispatchChannel(ch);
      return;
    }
    const qs = new Set<QueueState>();
    for (const d of ds) qs.add(d.queue);
    for (const q of qs) this.dispatch(q);
    if (ch.globalPrefetch > 0) this.dispatchChannel(ch);
  }

  /** Dispatches every queue the channel's consumers consume from. */
  dispatchChannel(ch: BrokerChannelState): void {
    const qs = new Set<QueueState>();
    for (const c of ch.consumers.values()) qs.add(c.queue);
    for (const q of qs) this.dispatch(q);
  }

  /** Counts a delivery of `e` (taken off `q`) to a consumer or `get`; true when it is a redelivery. */
  countDelivery(q: QueueState, e: Entry): boolean {
    const redelivered = e.redelivered || e.duplicate;
    e.redelivered = true;
    const c = q.counters;
    c.delivered++;
    if (redelivered) c.redelivered++;
    return redelivered;
  }

  private deliver(q: QueueState, e: Entry, consumer: ConsumerState): void {
    const ch = consumer.channel;
    const tag = ch.nextTag++;
    const redelivered = this.countDelivery(q, e);
    const c = q.counters;
    const msg = e.msg;
    const corr = msg.properties.correlationId;
    // A quorum queue's consumer sees x-delivery-count once the message has come back at least once.
    const deliveryCount = e.deliveryCount > 0 ? e.deliveryCount : undefined;
    this.world.trace.record('mq.deliver', {
      source: ch.service,
      target: q.name,
      causationId: msg.cause,
      correlationId: corr,
      messageId: msg.id,
      queue: q.name,
      deliveryTag: tag,
      redelivered,
      consumerTag: consumer.tag,
      noAck: consumer.noAck ? true : undefined, // absent from the JSON when false
      deliveryCount,
    });
    let crash = false;
    let delay = 0;
    const faults = this.queueFaults(q.name);
    if (consumer.noAck) {
      c.acked++;
      this.world.trace.record('mq.ack', { source: ch.service, target: q.name, causationId: msg.cause, correlationId: corr, messageId: msg.id, queue: q.name, deliveryTag: tag, auto: true });
    } else {
      const d: Delivery = { tag, entry: e, queue: q, consumer };
      ch.unacked.set(tag, d);
      consumer.unacked++;
      ch.consumerUnacked++;
      c.unacked++;
      if (faults?.crashBeforeAckRate && this.faultRng.chance(faults.crashBeforeAckRate)) crash = true;
    }
    if (faults?.delay) {
      delay = sampleLatency(faults.delay, this.faultRng);
      if (delay > 0) this.world.trace.record('fault', { source: ch.service, target: q.name, causationId: msg.cause, correlationId: corr, queue: q.name, fault: 'delay', detail: `delivery from '${q.name}' delayed by ${Math.round(delay)} ms`, messageId: msg.id });
    }
    const frame: DeliverFrame = { consumerTag: consumer.tag, queue: q.name, msg, deliveryTag: tag, redelivered, crash, epoch: ch.epoch, deliveryCount };
    const sink = ch.sink;
    ch.link.toClient(() => sink.deliverToConsumer(frame), delay);
  }

  // ───────────────────────────── expiry ─────────────────────────────

  /** A message's TTL ran out at the head of `q` (already taken off it). */
  expire(q: QueueState, e: Entry): void {
    q.counters.expired++;
    this.world.trace.record('mq.expire', { source: 'broker', target: q.name, causationId: e.msg.cause, correlationId: e.msg.properties.correlationId, messageId: e.msg.id, queue: q.name });
    this.deadLetterOrDrop(q, e, 'expired', 'broker');
  }

  /** Keeps a timer at the expiry time of the head message. */
  scheduleExpiry(q: QueueState): void {
    const head = q.ready.peek();
    const t = head === undefined || q.deleted ? Infinity : head.expiresAt;
    if (t === q.expiryAt) return;
    q.expiryTimer?.cancel();
    q.expiryTimer = undefined;
    q.expiryAt = t;
    if (t === Infinity) return;
    q.expiryTimer = this.world.scheduler.at(
      t,
      () => {
        q.expiryTimer = undefined;
        q.expiryAt = Infinity;
        this.dispatch(q);
      },
      { sync: true },
    );
  }

  // ───────────────────────────── leaving and coming back ─────────────────────────────

  /**
   * Puts an unacknowledged message back at its old place (dropped when its
   * queue is gone). A quorum queue counts each return: past `x-delivery-limit`
   * the message is dead-lettered instead, and without a limit it goes to the
   * back of the queue (as RabbitMQ 3.10 does).
   */
  requeueEntry(q: QueueState, e: Entry, reason: MqRequeueReason, source: string): void {
    if (q.deleted) {
      this.dropEntry(q, e, 'deleted', source);
      return;
    }
    if (q.args.type === 'quorum') {
      e.deliveryCount++;
      const limit = q.args.deliveryLimit;
      if (limit !== undefined && e.deliveryCount > limit) {
        this.deadLetterOrDrop(q, e, 'delivery_limit', source, { returnedBy: reason });
        return;
      }
      if (limit === undefined) {
        e.pos = q.nextPos++;
        q.ready.push(e);
      } else q.ready.insert(e);
    } else q.ready.insert(e);
    q.counters.requeued++;
    this.world.trace.record('mq.requeue', { source: source, target: q.name, causationId: e.msg.cause, correlationId: e.msg.properties.correlationId, messageId: e.msg.id, queue: q.name, reason });
  }

  /** Discards a message of `q`: counted and traced, never silent. */
  dropEntry(q: QueueState, e: Entry, reason: MqDropReason, source: string, leaving: MqLeaving = NOTHING): void {
    q.counters.dropped++;
    this.world.trace.record('mq.drop', { source: source, target: q.name, causationId: e.msg.cause, correlationId: e.msg.properties.correlationId, messageId: e.msg.id, reason, queue: q.name, ...leaving });
    this.stats.touched(q.name);
  }

  /**
   * Sends a message that left `q` (rejected, expired, overflowed) to the
   * queue's dead-letter exchange with `x-death` headers as RabbitMQ 3.10
   * writes them, or drops it (traced) when the queue has none.
   */
  deadLetterOrDrop(q: QueueState, e: Entry, reason: DeadLetterReason, source: string, leaving: MqLeaving = NOTHING): void {
    const dlx = q.args.deadLetterExchange;
    if (dlx === undefined) {
      this.dropEntry(q, e, reason, source, leaving);
      return;
    }
    q.counters.deadLettered++;
    this.stats.touched(q.name);
    const old = e.msg;
    const timeSeconds = Math.floor(((this.world.epoch ?? DEFAULT_EPOCH) + this.world.scheduler.now()) / 1000);
    const letter = deadLetterOf(old, { queue: q.name, routingKey: q.args.deadLetterRoutingKey, reason, timeSeconds });
    const keys = letter.routingKeys;
    const ev = this.world.trace.record('mq.dead-letter', {
      source: source, target: q.name, causationId: old.cause, correlationId: old.properties.correlationId,
      messageId: old.id,
      queue: q.name,
      reason,
      exchange: dlx,
      routingKeys: keys,
      ...leaving,
    });
    const msg: StoredMessage = {
      id: old.id,
      content: old.content,
      properties: letter.properties,
      exchange: dlx,
      routingKey: keys[0]!,
      routingKeys: keys,
      persistent: old.persistent,
      cause: ev.seq,
      ttl: undefined,
      source: 'broker',
    };
    const x = this.topology.exchange(dlx);
    let targets = x ? this.topology.route(x, keys, letter.properties.headers) : [];
    if (reason !== 'rejected' && targets.length > 0) {
      const kept: QueueState[] = [];
      for (const t of targets) {
        if (isCycle(t.name, letter.deaths)) {
          this.world.trace.record('mq.drop', { source: 'broker', target: dlx || t.name, causationId: msg.cause, correlationId: msg.properties.correlationId, messageId: msg.id, reason: 'cycle', exchange: dlx });
        } else kept.push(t);
      }
      if (kept.length === 0) return;
      targets = kept;
    }
    if (targets.length === 0) {
      this.world.trace.record('mq.drop', { source: 'broker', target: dlx || keys[0]!, causationId: msg.cause, correlationId: msg.properties.correlationId, messageId: msg.id, reason: 'dead-letter-unroutable', exchange: dlx });
      return;
    }
    for (const t of targets) this.enqueue(t, msg, 'dead-letter');
  }

  private queueFaults(name: string): QueueFaults | undefined {
    const qs = this.world.faults.queues;
    return qs === undefined ? undefined : qs[name];
  }
}
