import type { MessageProperties } from '../amqp-types.js';

/** A message as the broker holds it (shared by its copies in several queues). */
export interface StoredMessage {
  /** Id used in the trace: the publisher's `messageId`, or one assigned at publish. */
  readonly id: string;
  readonly content: Uint8Array;
  readonly properties: MessageProperties;
  readonly exchange: string;
  readonly routingKey: string;
  /** The routing key and the `CC` keys: what `x-death` calls `routing-keys`. */
  readonly routingKeys: string[];
  readonly persistent: boolean;
  /** `seq` of the trace event that made this message (its publish or its dead-lettering). */
  readonly cause: number;
  /** Per-message TTL (the `expiration` property) in ms, when valid. */
  readonly ttl: number | undefined;
  /** Service that published it (`broker` for dead-lettered copies). */
  readonly source: string;
}

/** One copy of a message in one queue. */
export class Entry {
  /** True once delivered (a later delivery is flagged `redelivered`). */
  redelivered = false;
  /** A copy made by a `duplicateRate` fault (see {@link Entry.duplicateOf}): delivered as `redelivered` from the first time. */
  duplicate = false;
  /** Quorum queues: how many times the message came back to the queue (its `x-delivery-count`). */
  deliveryCount = 0;
  constructor(
    readonly msg: StoredMessage,
    /** Place in the queue: requeued messages go back to it (a quorum queue without a delivery limit gives them a new one, at the back). */
    public pos: number,
    readonly enqueuedAt: number,
    /** Virtual time at which it expires (Infinity: never). */
    readonly expiresAt: number,
  ) {}

  /** The second copy a `duplicateRate` fault puts right behind `e`, at place `pos`. */
  static duplicateOf(e: Entry, pos: number): Entry {
    const dup = new Entry(e.msg, pos, e.enqueuedAt, e.expiresAt);
    dup.duplicate = true;
    return dup;
  }
}
