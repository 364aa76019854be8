/**
 * The shapes of amqplib's API (the names of `@types/amqplib`), so that code
 * typed against amqplib type-checks here and the other way round.
 */
import type { Bytes } from './bytes.js';

/* eslint-disable @typescript-eslint/no-namespace */

/** Options of the channel methods, as amqplib takes them. */
export namespace Options {
  /** `assertQueue` options. `durable` defaults to true, the others to false. */
  export interface AssertQueue {
    exclusive?: boolean;
    durable?: boolean;
    autoDelete?: boolean;
    /** Extra arguments, e.g. `{ 'x-message-ttl': 5000 }`; the named options below override them. */
    arguments?: Record<string, unknown>;
    /** `x-message-ttl`: ms a message may wait in the queue. */
    messageTtl?: number;
    /** `x-expires`: ms of disuse after which the queue is deleted. */
    expires?: number;
    /** `x-dead-letter-exchange`: where rejected, expired and overflowing messages go. */
    deadLetterExchange?: string;
    /** `x-dead-letter-routing-key`: routing key of dead-lettered messages (default: their own). */
    deadLetterRoutingKey?: string;
    /** `x-max-length`: most ready messages the queue holds. */
    maxLength?: number;
    /** `x-max-priority`: a priority queue; messages with a higher `priority` (up to this) go first. */
    maxPriority?: number;
    /** `x-overflow`: what a full queue (`maxLength`, `x-max-length-bytes`) does: drop the oldest (default) or refuse the publish (nacked on a confirm channel), `-dlx` also dead-lettering it. */
    overflow?: 'drop-head' | 'reject-publish' | 'reject-publish-dlx' | (string & {});
    /** `x-queue-mode`: `'lazy'` keeps messages on disk in RabbitMQ; nothing a program can see changes. */
    queueMode?: 'default' | 'lazy' | (string & {});
  }
  /** `deleteQueue` options. */
  export interface DeleteQueue {
    ifUnused?: boolean;
    ifEmpty?: boolean;
  }
  /** `assertExchange` options. `durable` defaults to true. */
  export interface AssertExchange {
    durable?: boolean;
    internal?: boolean;
    autoDelete?: boolean;
    alternateExchange?: string;
    arguments?: Record<string, unknown>;
  }
  /** `deleteExchange` options. */
  export interface DeleteExchange {
    ifUnused?: boolean;
  }
  /** `publish` / `sendToQueue` options (message properties and flags). */
  export interface Publish {
    /** Per-message TTL in ms (amqplib turns a number into a string). */
    expiration?: string | number;
    userId?: string;
    /** Extra routing keys; delivered in the `CC` header. */
    CC?: string | string[];
    /** Return the message (`'return'` event) when no queue takes it. */
    mandatory?: boolean;
    /** Survive a broker restart (in a durable queue): delivery mode 2. */
    persistent?: boolean;
    deliveryMode?: boolean | number;
    /** Extra routing keys that are not delivered. */
    BCC?: string | string[];
    contentType?: string;
    contentEncoding?: string;
    headers?: Record<string, unknown>;
    priority?: number;
    correlationId?: string;
    replyTo?: string;
    messageId?: string;
    timestamp?: number;
    type?: string;
    appId?: string;
  }
  /** `consume` options. Acknowledgements are manual unless `noAck` is set. */
  export interface Consume {
    consumerTag?: string;
    /** Accepted, but RabbitMQ does not implement it: messages published on the same connection are still delivered (a warning says so). */
    noLocal?: boolean;
    noAck?: boolean;
    exclusive?: boolean;
    /** `x-priority`: consumers of a higher priority get messages first while they have room (default 0). */
    priority?: number;
    arguments?: Record<string, unknown>;
  }
  /** `get` options. */
  export interface Get {
    noAck?: boolean;
  }
  /** `connect` options (accepted for compatibility, mostly ignored). */
  export interface Connect {
    protocol?: string;
    hostname?: string;
    port?: number;
    username?: string;
    password?: string;
    locale?: string;
    frameMax?: number;
    heartbeat?: number;
    vhost?: string;
  }
}

/** Replies of the channel methods, as amqplib resolves them. */
export namespace Replies {
  /** A reply without fields (`bindQueue`, `prefetch`, …). */
  export type Empty = Record<string, never>;
  /** `assertQueue` / `checkQueue`. */
  export interface AssertQueue {
    queue: string;
    /** Ready messages. */
    messageCount: number;
    consumerCount: number;
  }
  /** `purgeQueue`: ready messages removed. */
  export interface PurgeQueue {
    messageCount: number;
  }
  /** `deleteQueue`: ready messages the queue held. */
  export interface DeleteQueue {
    messageCount: number;
  }
  /** `assertExchange`. */
  export interface AssertExchange {
    exchange: string;
  }
  /** `consume` / `cancel`. */
  export interface Consume {
    consumerTag: string;
  }
}

/** One `x-death` entry, as RabbitMQ 3.10 writes it. */
export interface XDeath {
  count: number;
  reason: 'rejected' | 'expired' | 'maxlen' | 'delivery_limit';
  queue: string;
  time: { '!': 'timestamp'; value: number };
  exchange: string;
  'routing-keys': string[];
  'original-expiration'?: string;
}

/** Headers of a message, with the dead-lettering ones spelled out. */
export interface MessagePropertyHeaders {
  'x-death'?: XDeath[];
  'x-first-death-exchange'?: string;
  'x-first-death-queue'?: string;
  'x-first-death-reason'?: 'rejected' | 'expired' | 'maxlen' | 'delivery_limit';
  /** Quorum queues: how many times the message came back to the queue before this delivery. */
  'x-delivery-count'?: number;
  [key: string]: any;
}

/** Properties of a delivered message; absent ones are `undefined`, as in amqplib. */
export interface MessageProperties {
  contentType: string | undefined;
  contentEncoding: string | undefined;
  headers: MessagePropertyHeaders;
  /** 2 = persistent, 1 or undefined = transient. */
  deliveryMode: number | undefined;
  priority: number | undefined;
  correlationId: string | undefined;
  replyTo: string | undefined;
  expiration: string | undefined;
  messageId: string | undefined;
  timestamp: number | undefined;
  type: string | undefined;
  userId: string | undefined;
  appId: string | undefined;
  clusterId: string | undefined;
}

/** Fields every delivered message has. */
export interface CommonMessageFields {
  deliveryTag: number;
  redelivered: boolean;
  exchange: string;
  routingKey: string;
}

/** Fields of a message from `consume` or `get`. */
export interface MessageFields extends CommonMessageFields {
  messageCount?: number;
  consumerTag?: string;
}

/** Fields of a message from `consume`. */
export interface ConsumeMessageFields extends CommonMessageFields {
  consumerTag: string;
}

/** Fields of a message from `get`: how many ready messages are left. */
export interface GetMessageFields extends CommonMessageFields {
  messageCount: number;
}

/** A delivered message: bytes, fields and properties. */
export interface Message {
  content: Bytes;
  fields: MessageFields;
  properties: MessageProperties;
}

/** A message handed to a `consume` callback. */
export interface ConsumeMessage extends Message {
  fields: ConsumeMessageFields;
}

/** A message returned by `get`. */
export interface GetMessage extends Message {
  fields: GetMessageFields;
}

/** The four exchange types RabbitMQ has built in. */
export type ExchangeType = 'direct' | 'fanout' | 'topic' | 'headers';
