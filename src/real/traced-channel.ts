import type { Channel, ConfirmChannel, ConsumeMessage, GetMessage, Message, Options, Replies } from 'amqplib';
import type { TraceRecorder } from '../sim/index.js';
import type { QueueLedger } from './queue-ledger.js';

/** Header that carries the trace's message id from publisher to consumer. */
export const MESSAGE_ID_HEADER = 'x-spp-message-id';

/** What every traced channel of one run shares. */
export interface ChannelTracing {
  trace: TraceRecorder;
  ledger: QueueLedger;
  /** `seq` of the `mq.publish` event of each message published by this process. */
  publishSeq: Map<string, number>;
  /** Waits on the broker pass through here (see `RealClock.hold`). */
  hold: <T>(work: Promise<T>) => Promise<T>;
}

/** A delivery this process received and has not settled yet. */
interface Delivery {
  messageId: string;
  queue: string;
  tag: number;
  cause: number | undefined;
  correlationId: string | undefined;
}

/** Node's Buffer for whatever the program passes as content (a string, the playground's Buffer, any Uint8Array). */
function toBuffer(content: unknown): Buffer {
  if (Buffer.isBuffer(content)) return content;
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  if (content instanceof Uint8Array) return Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  throw new TypeError(`publish: content must be a Buffer or a string (got ${content === null ? 'null' : typeof content})`);
}

/**
 * Makes an amqplib channel record what the program does with it as the same
 * `mq.*` trace events as the simulated broker's (publish, deliver, ack,
 * nack, consumer, topology, channel), so the page's views can show a real
 * run. The channel is the real one: its methods are wrapped on the instance
 * and keep their amqplib behaviour. Of what the broker does out of sight,
 * only what is certain is recorded: the enqueue of a message sent through
 * the default exchange to a queue this process declared, and a rejected
 * message's fate (dead-letter or drop) when this process declared its queue
 * and so knows whether it has a dead-letter exchange.
 *
 * @example
 * const ch = traceChannel(await conn.createChannel(), 'order-service', 'order-service#1/1', tracing);
 * ch.sendToQueue('tasks', Buffer.from('hi')); // records mq.publish
 */
export function traceChannel<C extends Channel | ConfirmChannel>(ch: C, service: string, label: string, tracing: ChannelTracing): C {
  const { trace, ledger, publishSeq, hold } = tracing;
  const open = new Map<number, Delivery>();
  const declared = new Set<string>();
  const held = <A extends unknown[], R>(method: (...args: A) => Promise<R>) => (...args: A) => hold(method(...args));
  const original = {
    assertQueue: held(ch.assertQueue.bind(ch)),
    assertExchange: held(ch.assertExchange.bind(ch)),
    bindQueue: held(ch.bindQueue.bind(ch)),
    publish: ch.publish.bind(ch) as (...args: unknown[]) => boolean,
    consume: held(ch.consume.bind(ch)),
    cancel: ch.cancel.bind(ch),
    get: ch.get.bind(ch),
    ack: ch.ack.bind(ch),
    ackAll: ch.ackAll.bind(ch),
    nack: ch.nack.bind(ch),
    nackAll: ch.nackAll.bind(ch),
    reject: ch.reject.bind(ch),
  };
  const consumers = new Map<string, string>();
  let closed = false;

  trace.record('mq.channel', { source: service, target: 'broker', action: 'open', channel: label });
  ch.on('close', () => {
    if (closed) return;
    closed = true;
    // The broker puts back what this channel had not settled.
    for (const d of open.values()) ledger.returned(d.queue, 1);
    open.clear();
    for (const queue of consumers.values()) ledger.consumer(queue, -1);
    consumers.clear();
    trace.record('mq.channel', { source: service, target: 'broker', action: 'close', channel: label });
  });
  ch.on('error', (e: Error) => trace.record('mq.channel', { source: service, target: 'broker', action: 'error', channel: label, error: e.message }));

  const topology = (action: 'queue.declare' | 'exchange.declare' | 'queue.bind', name: string, detail: Record<string, unknown>) =>
    trace.record('mq.topology', { source: service, target: name, action, name, detail });

  /** Records a delivery and remembers it until it is settled. */
  const received = (queue: string, msg: Message, extra: { consumerTag?: string; get?: boolean; noAck: boolean }) => {
    const headers = msg.properties.headers ?? {};
    const messageId = String(headers[MESSAGE_ID_HEADER] ?? msg.properties.messageId ?? trace.nextId('msg'));
    const cause = publishSeq.get(messageId);
    const correlationId = msg.properties.correlationId as string | undefined;
    const tag = msg.fields.deliveryTag;
    trace.record('mq.deliver', {
      source: service,
      target: queue,
      causationId: cause,
      correlationId,
      messageId,
      queue,
      deliveryTag: tag,
      redelivered: msg.fields.redelivered,
      ...(extra.consumerTag !== undefined ? { consumerTag: extra.consumerTag } : {}),
      ...(extra.get ? { get: true } : {}),
      ...(extra.noAck ? { noAck: true } : {}),
    });
    ledger.delivered(queue, msg.fields.redelivered, extra.noAck);
    const d: Delivery = { messageId, queue, tag, cause, correlationId };
    if (extra.noAck) trace.record('mq.ack', { source: service, target: queue, causationId: cause, correlationId, messageId, queue, deliveryTag: tag, auto: true });
    else open.set(tag, d);
  };

  /** The open deliveries a settle covers: one, or all up to it, or all. */
  const covered = (msg: Message | undefined, allUpTo: boolean): Delivery[] => {
    if (msg === undefined) return [...open.values()];
    const tag = msg.fields.deliveryTag;
    if (!allUpTo) return open.has(tag) ? [open.get(tag)!] : [];
    return [...open.values()].filter((d) => d.tag <= tag);
  };

  const settle = (list: Delivery[], how: { kind: 'ack' } | { kind: 'nack'; requeue: boolean; method: 'nack' | 'reject' }) => {
    for (const d of list) {
      open.delete(d.tag);
      const base = { source: service, target: d.queue, causationId: d.cause, correlationId: d.correlationId, messageId: d.messageId, queue: d.queue, deliveryTag: d.tag };
      if (how.kind === 'ack') {
        trace.record('mq.ack', base);
        ledger.acked(d.queue);
        continue;
      }
      trace.record('mq.nack', { ...base, requeue: how.requeue, method: how.method });
      const fromBroker = { source: 'broker', target: d.queue, causationId: d.cause, correlationId: d.correlationId, messageId: d.messageId, queue: d.queue };
      if (how.requeue) {
        ledger.requeued(d.queue);
        trace.record('mq.requeue', { ...fromBroker, reason: how.method });
        continue;
      }
      const fate = ledger.rejected(d.queue);
      if (fate.kind === 'drop') trace.record('mq.drop', { ...fromBroker, reason: 'rejected' });
      else if (fate.kind === 'dead-letter')
        trace.record('mq.dead-letter', { ...fromBroker, reason: 'rejected', exchange: fate.exchange, routingKeys: [fate.routingKey ?? d.queue] });
    }
  };

  Object.assign(ch, {
    prefetch: held(ch.prefetch.bind(ch)),
    async assertQueue(queue?: string, options?: Options.AssertQueue): Promise<Replies.AssertQueue> {
      const reply = await original.assertQueue(queue, options);
      const args = (options?.arguments ?? {}) as Record<string, unknown>;
      const dlx = options?.deadLetterExchange ?? (args['x-dead-letter-exchange'] as string | undefined);
      const dlrk = options?.deadLetterRoutingKey ?? (args['x-dead-letter-routing-key'] as string | undefined);
      const durable = options?.durable !== false;
      ledger.declare(reply.queue, { durable, ...(dlx !== undefined ? { deadLetterExchange: dlx } : {}), ...(dlrk !== undefined ? { deadLetterRoutingKey: dlrk } : {}) });
      if (!declared.has(reply.queue)) {
        declared.add(reply.queue);
        topology('queue.declare', reply.queue, { durable, exclusive: !!options?.exclusive, autoDelete: !!options?.autoDelete, ...(dlx !== undefined ? { arguments: { 'x-dead-letter-exchange': dlx } } : {}) });
      }
      return reply;
    },
    async assertExchange(exchange: string, type: string, options?: Options.AssertExchange): Promise<Replies.AssertExchange> {
      const reply = await original.assertExchange(exchange, type, options);
      topology('exchange.declare', exchange, { type, durable: options?.durable !== false, autoDelete: !!options?.autoDelete, internal: !!options?.internal });
      return reply;
    },
    async bindQueue(queue: string, source: string, pattern: string, args?: unknown): Promise<Replies.Empty> {
      const reply = await original.bindQueue(queue, source, pattern, args);
      topology('queue.bind', queue, { exchange: source, routingKey: pattern });
      return reply;
    },
    publish(exchange: string, routingKey: string, content: unknown, options?: Options.Publish, ...rest: unknown[]): boolean {
      const bytes = toBuffer(content);
      const messageId = options?.messageId ?? trace.nextId('msg');
      const headers = { ...(options?.headers ?? {}), [MESSAGE_ID_HEADER]: messageId };
      const persistent = options?.persistent ?? options?.deliveryMode === 2;
      const ev = trace.record('mq.publish', {
        source: service,
        target: exchange === '' ? routingKey : exchange,
        correlationId: options?.correlationId,
        messageId,
        exchange,
        routingKey,
        channel: label,
        persistent: !!persistent,
        size: bytes.length,
        body: bytes.toString('utf8').slice(0, 200),
        ...(options?.mandatory ? { mandatory: true } : {}),
      });
      publishSeq.set(messageId, ev.seq);
      const sent = original.publish(exchange, routingKey, bytes, { ...options, headers }, ...rest);
      if (exchange === '') {
        ledger.published(routingKey);
        // Through the default exchange to a queue this process declared, the broker's next step is
        // certain: it enqueues the message (the queue views count depth from these).
        if (ledger.isDeclared(routingKey))
          trace.record('mq.enqueue', { source: 'broker', target: routingKey, causationId: ev.seq, correlationId: options?.correlationId, messageId, queue: routingKey, ready: ledger.stats(routingKey).ready });
      }
      return sent;
    },
    sendToQueue(queue: string, content: unknown, options?: Options.Publish, ...rest: unknown[]): boolean {
      return (ch as unknown as { publish: (...a: unknown[]) => boolean }).publish('', queue, content, options, ...rest);
    },
    async consume(queue: string, onMessage: (msg: ConsumeMessage | null) => unknown, options?: Options.Consume): Promise<Replies.Consume> {
      const noAck = !!options?.noAck;
      let tag: string | undefined;
      const reply = await original.consume(
        queue,
        (msg) => {
          if (msg) received(queue, msg, { consumerTag: tag ?? msg.fields.consumerTag, noAck });
          // amqplib ignores what the callback returns; a rejected promise is the program's unhandled rejection, as with amqplib.
          void onMessage(msg);
        },
        options,
      );
      tag = reply.consumerTag;
      consumers.set(tag, queue);
      ledger.consumer(queue, 1);
      trace.record('mq.consumer', { source: service, target: queue, action: 'consume', queue, consumerTag: tag, ...(noAck ? { noAck: true } : {}) });
      return reply;
    },
    async cancel(consumerTag: string): Promise<Replies.Cancel> {
      const reply = await original.cancel(consumerTag);
      const queue = consumers.get(consumerTag);
      if (queue !== undefined) {
        consumers.delete(consumerTag);
        ledger.consumer(queue, -1);
        trace.record('mq.consumer', { source: service, target: queue, action: 'cancel', queue, consumerTag });
      }
      return reply;
    },
    async get(queue: string, options?: Options.Get): Promise<GetMessage | false> {
      const msg = await original.get(queue, options);
      if (msg) received(queue, msg, { get: true, noAck: !!options?.noAck });
      return msg;
    },
    ack(message: Message, allUpTo?: boolean): void {
      original.ack(message, allUpTo);
      settle(covered(message, !!allUpTo), { kind: 'ack' });
    },
    ackAll(): void {
      original.ackAll();
      settle(covered(undefined, true), { kind: 'ack' });
    },
    nack(message: Message, allUpTo?: boolean, requeue?: boolean): void {
      original.nack(message, allUpTo, requeue);
      settle(covered(message, !!allUpTo), { kind: 'nack', requeue: requeue !== false, method: 'nack' });
    },
    nackAll(requeue?: boolean): void {
      original.nackAll(requeue);
      settle(covered(undefined, true), { kind: 'nack', requeue: requeue !== false, method: 'nack' });
    },
    reject(message: Message, requeue?: boolean): void {
      original.reject(message, requeue);
      settle(covered(message, false), { kind: 'nack', requeue: requeue !== false, method: 'reject' });
    },
  });
  return ch;
}
