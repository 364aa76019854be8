import type { TraceEvent } from '../../sim/trace.js';
import { loose, num, prefixLength, str, type LooseEvent } from './trace-access.js';

/** What a broker event does to a queue. */
export type QueueOp = 'enqueue' | 'deliver' | 'ack' | 'nack' | 'requeue' | 'expire' | 'dead-letter' | 'drop' | 'other';

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

/** The broker's own kinds (src/messaging/trace-events.ts). */
const BROKER_OPS: Record<string, QueueOp> = {
  'mq.enqueue': 'enqueue',
  'mq.deliver': 'deliver',
  'mq.ack': 'ack',
  'mq.nack': 'nack',
  'mq.requeue': 'requeue',
  'mq.expire': 'expire',
  'mq.dead-letter': 'dead-letter',
  'mq.drop': 'drop',
  'mq.publish': 'other',
  'mq.route': 'other',
  'mq.return': 'other',
  'mq.confirm': 'other',
  'mq.topology': 'other',
  'mq.consumer': 'other',
  'mq.channel': 'other',
};

/** Drop reasons that take a message out of the ready list (the others follow a nack or expiry, or precede the enqueue). */
const DROPS_FROM_READY = new Set(['maxlen', 'purged', 'deleted', 'restart']);

/**
 * Classifies a broker event (`mq.*`) by what it does to its queue: the
 * broker's kinds (`mq.enqueue`, `mq.deliver`, `mq.ack`, `mq.nack`,
 * `mq.requeue`, `mq.expire`, `mq.dead-letter`, `mq.drop`) and, for other
 * spellings, the verb in the kind.
 */
export function queueOp(e: LooseEvent): QueueOp {
  if (!e.kind.startsWith('mq.')) return 'other';
  const known = BROKER_OPS[e.kind];
  if (known) return known;
  const verb = e.kind.slice(3).toLowerCase();
  if (/dead/.test(verb)) return 'dead-letter';
  if (/nack|reject/.test(verb)) return 'nack';
  if (/requeue/.test(verb)) return 'requeue';
  if (/^ack/.test(verb)) return 'ack';
  if (/deliver|consume/.test(verb)) return 'deliver';
  if (/expire/.test(verb)) return 'expire';
  if (/drop|lost|purge/.test(verb)) return 'drop';
  if (/enqueue/.test(verb)) return 'enqueue';
  return 'other';
}

/**
 * Per-queue message counts and depth at `until`, in one pass over the
 * `mq.*` events. `ready` follows the broker's own figure on every enqueue.
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
    const e = loose(events[i]!);
    if (!e.kind.startsWith('mq.')) continue;
    const name = str(e, 'queue');
    if (name === undefined) {
      if (e.kind === 'mq.topology' && str(e, 'action') === 'queue.declare') of(str(e, 'name') ?? '?');
      continue;
    }
    const q = of(name);
    switch (queueOp(e)) {
      case 'enqueue':
        q.enqueued++;
        q.ready = num(e, 'ready') ?? q.ready + 1;
        break;
      case 'deliver':
        q.delivered++;
        if (e['redelivered'] === true) q.redelivered++;
        q.ready = down(q.ready);
        q.unacked++;
        break;
      case 'ack':
        q.acked++;
        q.unacked = down(q.unacked);
        break;
      case 'nack':
        q.nacked++;
        q.unacked = down(q.unacked);
        break;
      case 'requeue': {
        q.requeued++;
        q.ready++;
        const reason = str(e, 'reason');
        if (reason !== 'nack' && reason !== 'reject') q.unacked = down(q.unacked);
        break;
      }
      case 'expire':
        q.expired++;
        q.ready = down(q.ready);
        break;
      case 'dead-letter':
        q.deadLettered++;
        if (str(e, 'reason') === 'maxlen') q.ready = down(q.ready);
        break;
      case 'drop':
        q.dropped++;
        if (DROPS_FROM_READY.has(str(e, 'reason') ?? '')) q.ready = down(q.ready);
        break;
      case 'other':
        break;
    }
  }
  return [...queues.values()].map((q) => ({ ...q, depth: q.ready }));
}
