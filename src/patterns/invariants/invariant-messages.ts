import type { TraceEvent } from '../../sim/trace.js';
import type { InvariantViolation, QueueFigures } from './invariant-types.js';
import '../../messaging/trace-events.js';
import { memoByTrace } from './trace-memo.js';

/** Drops that happen before a message reaches an exchange (no `mq.route` for it). */
const PUBLISH_DROPS = new Set(['connection-lost', 'channel-closed', 'no-exchange']);

/** A copy of a message in one queue, counted. */
interface Copies {
  queue: string;
  messageId: string;
  /** Routed to the queue (by `mq.route`), not yet seen entering or refused. */
  routed: number;
  ready: number;
  unacked: number;
  /** Nacked or rejected, waiting for the broker's decision (requeue, dead-letter, drop). */
  deciding: number;
  broken?: string;
}

/** `seq` of every `mq.*` event about a message (in one queue, when given): the proof of a violation. */
function messageSeqs(events: readonly TraceEvent[], messageId: string, queue?: string): number[] {
  const out: number[] = [];
  for (const e of events) {
    if (!e.kind.startsWith('mq.') || (e as { messageId?: string }).messageId !== messageId) continue;
    if (queue !== undefined) {
      const q = (e as { queue?: string }).queue;
      const listed = e.kind === 'mq.route' && e.queues.includes(queue);
      if (q !== queue && !listed && e.kind !== 'mq.publish') continue;
    }
    out.push(e.seq);
  }
  return out;
}

/**
 * `no-message-lost`: every published message is acked, dead-lettered,
 * explicitly dropped (an `mq.drop` with its reason) or still queued. Replays
 * the `mq.*` events per queue and message id:
 *
 * - every `mq.publish` is routed (`mq.route`) or dropped on the way;
 * - every copy routed to a queue enters it (`mq.enqueue`) or is refused (`mq.drop`);
 * - every delivery ends in an ack, a nack/reject that the broker turns into
 *   a requeue, a dead-letter or a drop, or a requeue (crash, close);
 * - with the broker's figures (`queues`), the copies the trace leaves in
 *   each queue are the queue's ready and unacked messages, and the queue's
 *   counters add up (published = acked + dead-lettered + dropped + ready + unacked).
 */
export function checkNoMessageLost(events: readonly TraceEvent[], queues?: readonly QueueFigures[]): InvariantViolation[] {
  // Without the broker's figures the verdict depends on the trace alone: read once per trace.
  return queues ? readNoMessageLost(events, queues) : fromTraceAlone(events);
}

const fromTraceAlone = memoByTrace((events) => readNoMessageLost(events, undefined));

function readNoMessageLost(events: readonly TraceEvent[], queues: readonly QueueFigures[] | undefined): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  const published = new Map<string, number>(); // messageId → publishes
  const left = new Map<string, number>(); // messageId → routes + publish drops
  const byQueue = new Map<string, Map<string, Copies>>();
  const copy = (queue: string, messageId: string): Copies => {
    let m = byQueue.get(queue);
    if (!m) byQueue.set(queue, (m = new Map()));
    let c = m.get(messageId);
    if (!c) m.set(messageId, (c = { queue, messageId, routed: 0, ready: 0, unacked: 0, deciding: 0 }));
    return c;
  };
  const breakIt = (c: Copies, why: string) => {
    c.broken ??= why;
  };
  for (const e of events) {
    switch (e.kind) {
      case 'mq.publish':
        published.set(e.messageId, (published.get(e.messageId) ?? 0) + 1);
        break;
      case 'mq.route':
        left.set(e.messageId, (left.get(e.messageId) ?? 0) + 1);
        for (const q of e.queues) copy(q, e.messageId).routed++;
        break;
      case 'mq.enqueue': {
        const c = copy(e.queue, e.messageId);
        if (!e.duplicate && !e.deadLettered && c.routed > 0) c.routed--;
        c.ready++;
        break;
      }
      case 'mq.deliver': {
        const c = copy(e.queue, e.messageId);
        if (c.ready > 0) c.ready--;
        else breakIt(c, `delivered from '${e.queue}' with no copy there`);
        c.unacked++;
        break;
      }
      case 'mq.ack': {
        const c = copy(e.queue, e.messageId);
        if (c.unacked > 0) c.unacked--;
        else breakIt(c, `acked in '${e.queue}' without an outstanding delivery`);
        break;
      }
      case 'mq.nack': {
        const c = copy(e.queue, e.messageId);
        if (c.unacked > 0) c.unacked--;
        else breakIt(c, `nacked in '${e.queue}' without an outstanding delivery`);
        c.deciding++;
        break;
      }
      case 'mq.requeue': {
        const c = copy(e.queue, e.messageId);
        if (c.deciding > 0) c.deciding--;
        else if (c.unacked > 0) c.unacked--;
        else breakIt(c, `requeued to '${e.queue}' without an outstanding delivery`);
        c.ready++;
        break;
      }
      case 'mq.dead-letter':
      case 'mq.drop': {
        if (e.queue === undefined) {
          if (e.kind === 'mq.drop' && PUBLISH_DROPS.has(e.reason)) left.set(e.messageId, (left.get(e.messageId) ?? 0) + 1);
          break;
        }
        const c = copy(e.queue, e.messageId);
        // Refused at the door (a drop fault, a full queue): the copy never entered.
        const refused = e.kind === 'mq.drop' ? e.reason === 'fault' || e.reason === 'maxlen' : e.reason === 'maxlen';
        if (c.deciding > 0) c.deciding--;
        else if (refused && c.routed > 0) c.routed--;
        else if (c.ready > 0) c.ready--;
        else if (c.unacked > 0) c.unacked--;
        else if (!refused) breakIt(c, `left '${e.queue}' (${e.kind === 'mq.drop' ? `dropped: ${e.reason}` : 'dead-lettered'}) with no copy there`);
        break;
      }
    }
  }
  for (const [messageId, n] of published) {
    const reached = left.get(messageId) ?? 0;
    if (reached < n)
      out.push({
        invariant: 'no-message-lost',
        messageId,
        message: `message ${messageId} was published ${n === 1 ? '' : `${n} times `}but ${reached === 0 ? 'never reached an exchange and was not dropped' : `only ${reached} of its publishes reached an exchange or were dropped`}`,
        eventSeqs: messageSeqs(events, messageId),
      });
  }
  const remaining = new Map<string, { ready: number; unacked: number }>();
  for (const [queue, m] of byQueue) {
    const r = { ready: 0, unacked: 0 };
    remaining.set(queue, r);
    for (const c of m.values()) {
      const lost = (message: string) => out.push({ invariant: 'no-message-lost', messageId: c.messageId, queue, message, eventSeqs: messageSeqs(events, c.messageId, queue) });
      if (c.broken) lost(`message ${c.messageId} ${c.broken}`);
      if (c.routed > 0) lost(`message ${c.messageId} was routed to '${queue}' but never entered it and was not dropped`);
      if (c.deciding > 0) lost(`message ${c.messageId} was nacked in '${queue}' and then neither requeued, dead-lettered nor dropped`);
      r.ready += c.ready;
      r.unacked += c.unacked;
    }
  }
  for (const q of queues ?? []) {
    const r = remaining.get(q.name) ?? { ready: 0, unacked: 0 };
    if (r.ready + r.unacked !== q.ready + q.unacked)
      out.push({
        invariant: 'no-message-lost',
        queue: q.name,
        message: `queue '${q.name}' holds ${q.ready} ready and ${q.unacked} unacked messages, but the trace leaves ${r.ready} ready and ${r.unacked} unacked there`,
        eventSeqs: [],
      });
    const total = q.acked + q.deadLettered + q.dropped + q.ready + q.unacked;
    if (total !== q.published)
      out.push({
        invariant: 'no-message-lost',
        queue: q.name,
        message: `queue '${q.name}' took in ${q.published} messages but accounts for ${total} (${q.acked} acked, ${q.deadLettered} dead-lettered, ${q.dropped} dropped, ${q.ready} ready, ${q.unacked} unacked)`,
        eventSeqs: [],
      });
  }
  return out;
}
