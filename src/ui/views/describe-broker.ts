import type { MqLeaving } from '../../messaging/trace-events.js';
import type { BrokerEvent, StoreEvent } from './event-families.js';
import { KindLabel, unknownKind, type EventPen, type EventStyle, type EventView } from './event-view.js';
import { UNKNOWN_PARTY } from './parties.js';

/** Lifeline id of an exchange; the default exchange is `exchange:`. */
const exchangeParty = (name: string) => `exchange:${name}`;

/**
 * Describes a broker event along the path of its message: publisher →
 * exchange → queue → consumer, acks and nacks back to the queue, dead
 * letters on to their exchange. Topology, consumers, channels and plain
 * enqueues are bookkeeping (`quiet`).
 */
export function describeBrokerEvent(e: BrokerEvent, pen: EventPen): EventView {
  const { source, target } = pen;
  const mk = (shape: 'arrow' | 'note', from: string, to: string, style: EventStyle, label: string, key: string, quiet = false): EventView => ({
    shape,
    from,
    to: shape === 'note' ? from : to,
    style,
    label,
    key: `${e.kind}|${key}`,
    ...(quiet ? { quiet: true } : {}),
  });
  // Consumers record their deliveries, acks and nacks either way round.
  const consumerOf = (q: string) => (source === q ? (target ?? UNKNOWN_PARTY) : source);
  switch (e.kind) {
    case 'mq.publish': {
      const rk = e.routingKey;
      const to = e.exchange === '' ? `queue:${rk}` : exchangeParty(e.exchange);
      return mk('arrow', source, to, 'message', `publish ${rk} ${short(e.messageId)}`.trim(), `${to}|${rk}`);
    }
    case 'mq.route': {
      const { queues, routingKey: rk } = e;
      const from = exchangeParty(e.exchange);
      if (e.exchange === '') return mk('note', `queue:${rk}`, '', 'message', `routed ${short(e.messageId)}`, rk, true);
      if (queues.length === 1) return mk('arrow', from, `queue:${queues[0]}`, 'message', `route ${rk} ${short(e.messageId)}`.trim(), `${rk}|${queues[0]}`);
      if (queues.length === 0) return mk('note', from, '', 'fault', `unroutable ${rk} ${short(e.messageId)}`.trim(), rk);
      return mk('note', from, '', 'message', `route ${rk} → ${queues.join(', ')}`, `${rk}|${queues.join(',')}`);
    }
    case 'mq.enqueue': {
      const dup = e.duplicate === true;
      const dl = e.deadLettered === true;
      const label = `${dup ? 'duplicate copy ' : dl ? 'dead letter in ' : 'enqueued '}${short(e.messageId)} (${e.ready} ready)`;
      return mk('note', `queue:${e.queue}`, '', dup ? 'fault' : dl ? 'dead-letter' : 'message', label, `${dup}|${dl}`, !dup && !dl);
    }
    case 'mq.deliver': {
      const q = `queue:${e.queue}`;
      const again = e.redelivered;
      // A quorum queue's x-delivery-count says how often the message came back before.
      const notes = [...(again ? ['redelivered'] : []), ...(e.deliveryCount !== undefined ? [`x-delivery-count ${e.deliveryCount}`] : [])];
      return mk('arrow', q, consumerOf(q), again ? 'redeliver' : 'deliver', `deliver ${short(e.messageId)}${notes.length ? ` (${notes.join(', ')})` : ''}`, `${again}`);
    }
    case 'mq.ack':
    case 'mq.nack': {
      const q = `queue:${e.queue}`;
      const requeue = e.kind === 'mq.nack' && e.requeue;
      const label =
        e.kind === 'mq.ack' ? `ack ${short(e.messageId)}${e.auto === true ? ' (auto)' : ''}` : `${e.method} ${short(e.messageId)}${requeue ? ' (requeue)' : ' (no requeue)'}`;
      return mk('arrow', consumerOf(q), q, e.kind === 'mq.ack' ? 'ack' : 'nack', label, `${requeue}`);
    }
    case 'mq.requeue':
      return mk('note', `queue:${e.queue}`, '', 'redeliver', `requeued ${short(e.messageId)} (${e.reason})`, e.reason);
    case 'mq.expire':
      return mk('note', `queue:${e.queue}`, '', 'timeout', `expired ${short(e.messageId)}`, '');
    case 'mq.dead-letter': {
      const to = e.exchange === '' ? `queue:${e.routingKeys[0] ?? '?'}` : exchangeParty(e.exchange);
      return mk('arrow', `queue:${e.queue}`, to, 'dead-letter', `dead-letter ${short(e.messageId)} (${leavingWhy(e)})`, `${e.reason}|${to}`);
    }
    case 'mq.drop': {
      const at = e.queue !== undefined ? `queue:${e.queue}` : e.exchange !== undefined ? exchangeParty(e.exchange) : source;
      return mk('note', at, '', 'fault', `✖ ${e.refused ? 'refused' : 'dropped'} ${short(e.messageId)} (${leavingWhy(e)})`, e.reason);
    }
    case 'mq.return':
      return mk('arrow', exchangeParty(e.exchange), source, 'error', `returned ${short(e.messageId)} ${e.replyText}`.trim(), e.replyText);
    case 'mq.confirm':
      return mk('note', source, '', e.ack ? 'ack' : 'error', `${e.ack ? 'confirmed' : 'not confirmed'} ${short(e.messageId)}`, `${e.ack}`, e.ack);
    case 'mq.topology': {
      const { action, name } = e;
      const party = action.startsWith('queue.') ? `queue:${name}` : exchangeParty(name);
      if (action.endsWith('.bind') || action.endsWith('.unbind')) {
        // A binding's detail names the exchange it binds to and the key it binds with.
        const from = exchangeParty(String(e.detail?.['exchange'] ?? ''));
        const key = e.detail?.['routingKey'];
        return mk('arrow', from, party, 'generic', `${action} ${String(key ?? '')}`.trim(), `${action}|${String(key)}`, true);
      }
      return mk('note', party, '', 'generic', action, action, true);
    }
    case 'mq.consumer': {
      const priority = e.priority !== undefined ? ` (priority ${e.priority})` : '';
      return mk('note', `queue:${e.queue}`, '', 'generic', `${e.action} by ${source}${priority}`, `${e.action}|${source}`, true);
    }
    case 'mq.channel': {
      const { action } = e;
      return mk('note', source, '', action === 'error' ? 'error' : 'generic', `channel ${action}${e.error ? `: ${e.error}` : ''}`, action, action !== 'error');
    }
    default: {
      const unhandled: never = e;
      return unknownKind(unhandled, pen);
    }
  }
}

/** Why a message left a queue, for a label: its reason, and for a delivery limit how it came back the last time. */
function leavingWhy(e: { reason: string } & MqLeaving): string {
  return e.returnedBy !== undefined ? `${e.reason}, on ${e.returnedBy}` : e.reason;
}

/** A message id for labels: a UUID is cut to its first block (the event's details keep it whole). */
function short(messageId: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(messageId) ? `${messageId.slice(0, 8)}…` : messageId;
}

/** Describes an event of the event store or the outbox: its kind and, for an append, the event type. */
export function describeStoreEvent(e: StoreEvent, pen: EventPen): EventView {
  const label = new KindLabel(e);
  switch (e.kind) {
    case 'es.append':
      label.name(e.eventType);
      return pen.arrow('message', label.text(), label.key());
    case 'es.conflict':
      return pen.arrow('error', label.text(), label.key());
    case 'es.duplicate':
      return pen.arrow('fault', label.text(), label.key());
    case 'outbox.commit':
    case 'outbox.sent':
      return pen.arrow('generic', label.text(), label.key());
    default: {
      const unhandled: never = e;
      return unknownKind(unhandled, pen);
    }
  }
}
