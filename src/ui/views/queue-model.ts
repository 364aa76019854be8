import type { MqDropReason, MqLeaving } from '../../messaging/trace-events.js';
import type { TraceEvent } from '../../sim/trace.js';
import { prefixLength } from './trace-access.js';

/** Message counts and depth of one queue (named like the broker's own counters). */
export interface QueueStats {
  queue: string;
  /** Copies that entered the queue (published, routed, dead-lettered in, duplicated by a fault). */
  enqueued: number;
  /** Deliveries to consumers (redeliveries included). */
  delivered: number;
  /** Deliveries flagged as redelivered. */
  redelivered: number;
  acked: number;
  /** Nacks and rejects (requeued or not). */
  nacked: number;
  /** Unacknowledged messages put back (nack with requeue, channel closed, consumer crash…). */
  requeued: number;
  /** Messages that expired at the head of the queue. */
  expired: number;
  /** Messages moved to a dead-letter exchange from this queue. */
  deadLettered: number;
  /** Messages discarded (every `mq.drop` of this queue). */
  dropped: number;
  /** Messages waiting to be delivered. */
  ready: number;
  /** Delivered and not yet acked, nacked or requeued. */
  unacked: number;
  /** Same as `ready`: the depth a queue-depth gauge shows. */
  depth: number;
}

/** Drop reasons that take a message out of the ready list (the others follow a nack or expiry, or precede the enqueue). */
const DROPS_FROM_READY: ReadonlySet<MqDropReason> = new Set<MqDropReason>(['maxlen', 'purged', 'deleted', 'restart']);

/**
 * A message left queue `q` (dead-lettered or dropped): from the ready list,
 * unless it was refused at the door; past a delivery limit, from the unacked
 * ones unless a nack already took it off them.
 */
function leave(q: QueueStats, reason: MqDropReason, e: MqLeaving): void {
  if (e.refused) return;
  if (reason === 'delivery_limit') {
    if (e.returnedBy !== 'nack' && e.returnedBy !== 'reject') q.unacked = Math.max(0, q.unacked - 1);
  } else if (DROPS_FROM_READY.has(reason)) q.ready = Math.max(0, q.ready - 1);
}

/**
 * Per-queue message counts and depth at `until`, in one pass over the
 * broker's events (`mq.*`). `ready` follows the broker's own figure on every
 * enqueue; deliveries, expiries and some drops take one off it.
 *
 * @example
 * queueStats(world.events, 300) // [{ queue: 'orders', enqueued: 4, delivered: 3, acked: 2, ready: 1, unacked: 1, … }]
 */
export function queueStats(events: readonly TraceEvent[], until?: number): QueueStats[] {
  const n = prefixLength(events, until);
  const queues = new Map<string, QueueStats>();
  const of = (name: string) => {
    let q = queues.get(name);
    if (!q) {
      q = { queue: name, enqueued: 0, delivered: 0, redelivered: 0, acked: 0, nacked: 0, requeued: 0, expired: 0, deadLettered: 0, dropped: 0, ready: 0, unacked: 0, depth: 0 };
      queues.set(name, q);
    }
    return q;
  };
  const down = (x: number) => Math.max(0, x - 1);
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    switch (e.kind) {
      case 'mq.topology':
        if (e.action === 'queue.declare') of(e.name);
        break;
      case 'mq.consumer':
        of(e.queue);
        break;
      case 'mq.enqueue': {
        const q = of(e.queue);
        q.enqueued++;
        q.ready = Number.isFinite(e.ready) ? e.ready : q.ready + 1;
        break;
      }
      case 'mq.deliver': {
        const q = of(e.queue);
        q.delivered++;
        if (e.redelivered) q.redelivered++;
        q.ready = down(q.ready);
        q.unacked++;
        break;
      }
      case 'mq.ack': {
        const q = of(e.queue);
        q.acked++;
        q.unacked = down(q.unacked);
        break;
      }
      case 'mq.nack': {
        const q = of(e.queue);
        q.nacked++;
        q.unacked = down(q.unacked);
        break;
      }
      case 'mq.requeue': {
        const q = of(e.queue);
        q.requeued++;
        q.ready++;
        // A nacked message already left the unacked count with its nack.
        if (e.reason !== 'nack' && e.reason !== 'reject') q.unacked = down(q.unacked);
        break;
      }
      case 'mq.expire': {
        const q = of(e.queue);
        q.expired++;
        q.ready = down(q.ready);
        break;
      }
      case 'mq.dead-letter': {
        const q = of(e.queue);
        q.deadLettered++;
        leave(q, e.reason, e);
        break;
      }
      case 'mq.drop': {
        if (e.queue === undefined) break;
        const q = of(e.queue);
        q.dropped++;
        leave(q, e.reason, e);
        break;
      }
    }
  }
  return [...queues.values()].map((q) => ({ ...q, depth: q.ready }));
}
