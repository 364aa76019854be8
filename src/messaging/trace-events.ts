/**
 * Trace event kinds of the broker (`mq.*`), the event store (`es.*`) and the
 * outbox (`outbox.*`), added to the kernel's `TraceEventMap` by module
 * augmentation. Every `mq.*` event about a message carries its `messageId`
 * (the publisher's, or one assigned at publish); `source` is the service that
 * owns the channel (or `broker` for the broker's own doing) and `target` the
 * exchange or queue. `causationId` of every event about a message points at
 * its `mq.publish` event (or, for a dead-lettered copy, at its `mq.dead-letter`).
 */

/** Why the broker discarded a message (each discard is traced and counted). */
export type MqDropReason =
  /** Rejected/nacked without requeue and the queue has no dead-letter exchange. */
  | 'rejected'
  /** Its TTL ran out and the queue has no dead-letter exchange. */
  | 'expired'
  /** Pushed out by `x-max-length` / `x-max-length-bytes` (drop-head) or refused by `reject-publish`, with no dead-letter exchange. */
  | 'maxlen'
  /** Came back to a quorum queue more often than its `x-delivery-limit` allows, and the queue has no dead-letter exchange. */
  | 'delivery_limit'
  /** No queue was bound to take it (and it was not `mandatory`). */
  | 'unroutable'
  /** Published to an exchange that does not exist (the channel is closed for it). */
  | 'no-exchange'
  /** Lost by a `dropRate` fault of the queue. */
  | 'fault'
  /** Removed by `purgeQueue`. */
  | 'purged'
  /** Its queue was deleted. */
  | 'deleted'
  /** Lost in a broker restart: transient message or non-durable queue. */
  | 'restart'
  /** Dead-lettering would loop back into a queue without any rejection in between. */
  | 'cycle'
  /** Dead-lettered to an exchange that does not exist, or that routes it nowhere. */
  | 'dead-letter-unroutable'
  /** Published on a connection that was lost before the broker received it. */
  | 'connection-lost'
  /** Published on a channel the broker had already closed (or that it closes because of this publish). */
  | 'channel-closed';

/** Why an unacknowledged message went back to its queue. */
export type MqRequeueReason = 'nack' | 'reject' | 'recover' | 'channel-closed' | 'connection-closed' | 'consumer-crash' | 'broker-restart';

/** Why a message was dead-lettered, as `x-death` says. */
export type DeadLetterReason = 'rejected' | 'expired' | 'maxlen' | 'delivery_limit';

/** Why a message left a queue (or never entered it), on `mq.dead-letter` and `mq.drop` events of a queue. */
export interface MqLeaving {
  /** Refused at the door (`reject-publish`, `reject-publish-dlx`): it never entered the queue. */
  refused?: true;
  /** Reason `delivery_limit`: how the message came back the time it went over the limit. */
  returnedBy?: MqRequeueReason;
}

declare module '../sim/trace.js' {
  interface TraceEventMap {
    /** A client published a message (recorded when `publish` is called). */
    'mq.publish': {
      messageId: string;
      exchange: string;
      routingKey: string;
      /** `service#connection/channel`. */
      channel: string;
      persistent: boolean;
      size: number;
      /** The content decoded as UTF-8, cut to 200 characters. */
      body: string;
      mandatory?: boolean;
    };
    /** The broker received a message and found the queues it goes to. */
    'mq.route': { messageId: string; exchange: string; routingKey: string; queues: string[] };
    /** A copy of a message entered a queue. */
    'mq.enqueue': { messageId: string; queue: string; ready: number; duplicate?: boolean; deadLettered?: boolean };
    /** The broker handed a message to a consumer (or to `get`). */
    'mq.deliver': {
      messageId: string;
      queue: string;
      deliveryTag: number;
      redelivered: boolean;
      consumerTag?: string;
      get?: boolean;
      noAck?: boolean;
      /** Quorum queues: the `x-delivery-count` header sent with it (how many times it came back before). */
      deliveryCount?: number;
    };
    /** The broker received an acknowledgement (or auto-acked a `noAck` delivery). */
    'mq.ack': { messageId: string; queue: string; deliveryTag: number; auto?: boolean };
    /** The broker received a nack or reject. */
    'mq.nack': { messageId: string; queue: string; deliveryTag: number; requeue: boolean; method: 'nack' | 'reject' };
    /** An unacknowledged message went back to its queue. */
    'mq.requeue': { messageId: string; queue: string; reason: MqRequeueReason };
    /** A message left a queue for its dead-letter exchange. */
    'mq.dead-letter': { messageId: string; queue: string; reason: DeadLetterReason; exchange: string; routingKeys: string[] } & MqLeaving;
    /** A message's TTL ran out at the head of its queue. */
    'mq.expire': { messageId: string; queue: string };
    /** The broker discarded a message. Never silent: every discard is one of these. */
    'mq.drop': { messageId: string; reason: MqDropReason; queue?: string; exchange?: string } & MqLeaving;
    /** An unroutable `mandatory` message went back to its publisher. */
    'mq.return': { messageId: string; exchange: string; routingKey: string; replyCode: number; replyText: string };
    /** The broker confirmed (ack) or refused (nack) a message on a confirm channel. */
    'mq.confirm': { messageId: string; ack: boolean; publishTag: number };
    /** Queues, exchanges and bindings were declared, deleted or changed. */
    'mq.topology': {
      action:
        | 'queue.declare'
        | 'queue.delete'
        | 'queue.purge'
        | 'queue.bind'
        | 'queue.unbind'
        | 'exchange.declare'
        | 'exchange.delete'
        | 'exchange.bind'
        | 'exchange.unbind';
      name: string;
      detail?: Record<string, unknown>;
    };
    /** A consumer started or stopped. */
    'mq.consumer': { action: 'consume' | 'cancel'; queue: string; consumerTag: string; prefetch?: number; noAck?: boolean; /** `x-priority`, when not 0. */ priority?: number };
    /** A connection or channel opened, closed or failed. */
    'mq.channel': { action: 'open' | 'close' | 'error'; channel: string; error?: string };
    /** An event was appended to an event store stream. */
    'es.append': { store: string; streamId: string; eventId: string; eventType: string; version: number; position: number };
    /** An append was refused: the stream was not at the expected version. */
    'es.conflict': { store: string; streamId: string; expected: string | number; actual: number };
    /** An append of an already stored event id was skipped. */
    'es.duplicate': { store: string; streamId: string; eventId: string };
    /** A service committed state changes and outgoing events together. */
    'outbox.commit': { outbox: string; eventIds: string[]; writes: number };
    /** The relay marked an outbox event as published. */
    'outbox.sent': { outbox: string; eventId: string; attempts: number };
  }
}

export {};
