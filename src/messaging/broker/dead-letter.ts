/**
 * Dead-lettering as RabbitMQ 3.10 writes it: the copy of a message that left
 * a queue (rejected, expired, pushed out by max-length) and goes to the
 * queue's dead-letter exchange, with its `x-death` history, and the rule that
 * cuts dead-letter loops. Pure functions; the queue sends the copy on.
 */
import type { MessageProperties, XDeath } from '../amqp-types.js';
import type { DeadLetterReason } from '../trace-events.js';
import type { StoredMessage } from './stored-message.js';

/** What a dead-lettered copy carries. */
export interface DeadLetter {
  /** The message's properties with `x-death` and `x-first-death-*` headers, without `expiration`. */
  properties: MessageProperties;
  /** The queue's dead-letter routing key, else the message's own routing keys. */
  routingKeys: string[];
  /** The new `x-death` list, newest first. */
  deaths: XDeath[];
}

/** Where a message is dead-lettered from. */
export interface DeadLetterSource {
  queue: string;
  /** The queue's `x-dead-letter-routing-key`, if any. */
  routingKey: string | undefined;
  reason: DeadLetterReason;
  /** Now, in seconds since 1970 (the `time` of a new `x-death` entry). */
  timeSeconds: number;
}

/**
 * The copy of `old` that dead-lettering sends on: an `x-death` entry per
 * queue and reason (fields in RabbitMQ's alphabetical order), counted up and
 * moved to the front when it happens again, and `x-first-death-*` set once.
 */
export function deadLetterOf(old: StoredMessage, from: DeadLetterSource): DeadLetter {
  const props = old.properties;
  const { queue, reason } = from;
  const headers: Record<string, unknown> = { ...props.headers };
  const deaths: XDeath[] = Array.isArray(headers['x-death']) ? (headers['x-death'] as XDeath[]).map((d) => ({ ...d })) : [];
  const i = deaths.findIndex((d) => d.queue === queue && d.reason === reason);
  if (i >= 0) {
    const [d] = deaths.splice(i, 1);
    deaths.unshift({ ...d!, count: d!.count + 1 });
  } else {
    const entry: XDeath = {
      count: 1,
      exchange: old.exchange,
      ...(props.expiration !== undefined ? { 'original-expiration': props.expiration } : {}),
      queue,
      reason,
      'routing-keys': [...old.routingKeys],
      time: { '!': 'timestamp', value: from.timeSeconds },
    };
    deaths.unshift(entry);
  }
  headers['x-death'] = deaths;
  if (headers['x-first-death-reason'] === undefined) {
    headers['x-first-death-exchange'] = old.exchange;
    headers['x-first-death-queue'] = queue;
    headers['x-first-death-reason'] = reason;
  }
  const dlrk = from.routingKey;
  const routingKeys = dlrk !== undefined ? [dlrk] : [...old.routingKeys];
  if (dlrk !== undefined) {
    delete headers['CC'];
    delete headers['BCC'];
  }
  return { properties: { ...props, headers, expiration: undefined }, routingKeys, deaths };
}

/** RabbitMQ's rule: a dead-letter cycle is dropped unless a rejection happened along it. */
export function isCycle(queue: string, deaths: readonly XDeath[]): boolean {
  const i = deaths.findIndex((d) => d.queue === queue);
  if (i < 0) return false;
  for (let j = 0; j <= i; j++) if (deaths[j]!.reason === 'rejected') return false;
  return true;
}
