/**
 * Messages as user code sees them: the properties amqplib builds from publish
 * options, and the message objects a consumer, `get` or a `'return'` listener
 * is handed (each with its own copy of the content and headers).
 */
import type { ConsumeMessage, GetMessage, MessageProperties, Options } from './amqp-types.js';
import type { GetResult } from './broker/endpoint.js';
import type { DeliverFrame } from './broker/sinks.js';
import type { StoredMessage } from './broker/stored-message.js';
import { Bytes, describeValue } from './bytes.js';

/** A message the broker returned because no queue took it (`mandatory`). */
export interface ReturnedMessage {
  content: Bytes;
  fields: { replyCode: number; replyText: string; exchange: string; routingKey: string };
  properties: MessageProperties;
}

function cloneValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(cloneValue);
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = cloneValue((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/**
 * A copy of message properties for one delivery (headers deep-copied, so a
 * consumer cannot change the broker's copy), with a quorum queue's
 * `x-delivery-count` when there is one.
 */
function deliveredProperties(p: MessageProperties, deliveryCount?: number): MessageProperties {
  const h = p.headers;
  let headers: Record<string, unknown> = {};
  for (const _ in h) {
    headers = cloneValue(h) as Record<string, unknown>;
    break;
  }
  if (deliveryCount !== undefined) headers['x-delivery-count'] = deliveryCount;
  return {
    contentType: p.contentType,
    contentEncoding: p.contentEncoding,
    headers,
    deliveryMode: p.deliveryMode,
    priority: p.priority,
    correlationId: p.correlationId,
    replyTo: p.replyTo,
    expiration: p.expiration,
    messageId: p.messageId,
    timestamp: p.timestamp,
    type: p.type,
    userId: p.userId,
    appId: p.appId,
    clusterId: undefined,
  };
}

function toCc(v: string | string[] | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

/** Message properties from publish options, exactly as amqplib builds them. */
export function publishProperties(options: Options.Publish | undefined): MessageProperties {
  const o = options ?? {};
  if (typeof o !== 'object') throw new TypeError(`publish: options must be an object (got ${describeValue(o)})`);
  const headers: Record<string, unknown> = o.headers ? { ...o.headers } : {};
  const cc = toCc(o.CC);
  const bcc = toCc(o.BCC);
  if (cc) headers['CC'] = cc;
  if (bcc) headers['BCC'] = bcc;
  let deliveryMode: number | undefined;
  if (o.persistent !== undefined) deliveryMode = o.persistent ? 2 : 1;
  else if (typeof o.deliveryMode === 'number') deliveryMode = o.deliveryMode;
  else if (o.deliveryMode) deliveryMode = 2;
  return {
    contentType: o.contentType,
    contentEncoding: o.contentEncoding,
    headers,
    deliveryMode,
    priority: o.priority,
    correlationId: o.correlationId,
    replyTo: o.replyTo,
    expiration: o.expiration === undefined ? undefined : String(o.expiration),
    messageId: o.messageId,
    timestamp: o.timestamp,
    type: o.type,
    userId: o.userId,
    appId: o.appId,
    clusterId: undefined,
  };
}

/** What a consumer is handed for a delivery. */
export function consumeMessage(f: DeliverFrame): ConsumeMessage {
  const msg = f.msg;
  return {
    content: Bytes.copyOf(msg.content),
    fields: { consumerTag: f.consumerTag, deliveryTag: f.deliveryTag, redelivered: f.redelivered, exchange: msg.exchange, routingKey: msg.routingKey },
    properties: deliveredProperties(msg.properties, f.deliveryCount),
  };
}

/** What `get` resolves with. */
export function getMessage(g: GetResult): GetMessage {
  return {
    content: Bytes.copyOf(g.msg.content),
    fields: { deliveryTag: g.deliveryTag, redelivered: g.redelivered, exchange: g.msg.exchange, routingKey: g.msg.routingKey, messageCount: g.messageCount },
    properties: deliveredProperties(g.msg.properties, g.deliveryCount),
  };
}

/** What a `'return'` listener is handed. */
export function returnedMessage(msg: StoredMessage, replyCode: number, replyText: string): ReturnedMessage {
  return {
    content: Bytes.copyOf(msg.content),
    fields: { replyCode, replyText, exchange: msg.exchange, routingKey: msg.routingKey },
    properties: deliveredProperties(msg.properties),
  };
}
