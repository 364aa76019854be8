import type { ConsumeMessage, Options } from './amqp-types.js';
import type { BusChannel, BusConfirmChannel, BusConnection, BusEnv } from './bus-env.js';
import { isoTime, timestampOf } from '../sim/iso-time.js';
import { decodeUtf8 } from './bytes.js';
import { topicMatches } from './routing.js';

/** A typed event on the bus. */
export interface BusEvent<T extends string = string, D = unknown> {
  eventType: T;
  eventId: string;
  /** ISO time of publishing (virtual). */
  timestamp: string;
  data: D;
}

/** An event to publish: `eventId` and `timestamp` are filled in when absent. */
export type NewEvent<E extends BusEvent = BusEvent> = E extends BusEvent
  ? Omit<E, 'eventId' | 'timestamp'> & { eventId?: string; timestamp?: string | Date }
  : never;

/** What a subscriber does with an event its handler failed on. */
export type OnHandlerError =
  /** Put it back on the queue (`nack` with requeue): it comes back, possibly forever. */
  | 'requeue'
  /** Move it to the `<queue>.parked` queue (declared when first needed) with the error in its headers, then ack it (the default). */
  | 'park'
  /** `nack` without requeue: dead-lettered if the queue has a dead-letter exchange, otherwise dropped (traced). */
  | 'drop';

/** Options of {@link EventBus.subscribe}. */
export interface SubscribeOptions {
  /**
   * Queue to consume. Default: a queue of this service's own
   * (`<service>.<types>`), so every subscribing service gets every event it
   * subscribed to. Give several services the same queue name (e.g. `events`)
   * and they compete for events instead: each event goes to one of them.
   */
  queue?: string;
  /** Unacknowledged events in flight for this subscriber; default 10. */
  prefetch?: number;
  /** Default `'park'`. */
  onError?: OnHandlerError;
  /** Skip events whose `eventId` this subscription already handled (an idempotent consumer). */
  idempotent?: boolean;
}

/** A running subscription. */
export interface EventSubscription {
  queue: string;
  /** The consumer's tag; `''` when the service runs in another process and nothing is consumed here. */
  consumerTag: string;
  /** Stops consuming. */
  cancel(): Promise<void>;
}

/** Options of {@link EventBus.connect}. */
export interface EventBusOptions {
  /** Topic exchange the bus publishes to; default `events`. */
  exchange?: string;
}

/** A subscription's parked queue, declared on first use. */
interface Parking {
  queue: string;
  declared: Promise<unknown> | undefined;
}

type EventOfType<E extends BusEvent, K> = E extends { eventType: K } ? E : never;

/**
 * An event bus on the broker: events are published to a topic exchange with
 * their `eventType` as routing key; each subscription consumes a queue bound
 * to the types it wants. Publishing waits for the broker's confirm. It uses
 * only amqplib's channel API (see {@link BusEnv}), so it runs on the
 * simulated broker and on a real RabbitMQ alike.
 *
 * @example
 * type OrderCreated = BusEvent<'OrderCreated', { orderId: string; total: number }>;
 * type PaymentDone = BusEvent<'PaymentCompleted', { orderId: string }>;
 * const orders = await EventBus.connect<OrderCreated | PaymentDone>(busEnvOf(world), 'orders');
 * const notify = await EventBus.connect<OrderCreated | PaymentDone>(busEnvOf(world), 'notification');
 * await notify.subscribe('OrderCreated', async (e) => console.log('mail for', e.data.orderId));
 * await orders.publish({ eventType: 'OrderCreated', data: { orderId: 'o-1', total: 30 } });
 */
export class EventBus<E extends BusEvent = BusEvent> {
  private isoAt = NaN;
  private iso = '';

  private constructor(
    private readonly env: BusEnv,
    /** The service publishing and subscribing through this bus. */
    readonly service: string,
    private readonly connection: BusConnection,
    private readonly channel: BusConfirmChannel,
    /** The topic exchange. */
    readonly exchange: string,
  ) {}

  /** Connects `service` to the bus (declares the topic exchange). */
  static async connect<E extends BusEvent = BusEvent>(env: BusEnv, service: string, options: EventBusOptions = {}): Promise<EventBus<E>> {
    const exchange = options.exchange ?? 'events';
    const connection = await env.connect(service);
    const channel = await connection.createConfirmChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    return new EventBus<E>(env, service, connection, channel, exchange);
  }

  /**
   * Publishes an event (filling in `eventId` from the seeded generator and
   * `timestamp` from the virtual clock) and resolves with it once the broker
   * confirmed it; rejects if the broker refused it.
   */
  publish(event: NewEvent<E>, options: { correlationId?: string; headers?: Record<string, unknown>; /** Id for an event that has none (instead of a UUID). */ eventId?: string } = {}): Promise<E> {
    if (!event || typeof event !== 'object' || typeof (event as { eventType?: unknown }).eventType !== 'string')
      return Promise.reject(new TypeError(`publish: an event needs an eventType string, got ${JSON.stringify(event)}`));
    const e = event as NewEvent<E> & { eventType: string; eventId?: string; timestamp?: string | Date };
    const now = this.env.epoch + this.env.clock.now();
    const full = {
      ...e,
      eventId: e.eventId ?? options.eventId ?? this.env.rng.fork('event-bus-ids').uuid(),
      timestamp: timestampOf(e.timestamp, () => this.isoTime(now)),
    } as unknown as E;
    const properties: Options.Publish = { persistent: true, messageId: full.eventId, type: full.eventType, contentType: 'application/json', timestamp: now };
    if (options.correlationId !== undefined) properties.correlationId = options.correlationId;
    if (options.headers) properties.headers = options.headers;
    return new Promise<E>((resolve, reject) => {
      try {
        // A string is encoded once, by the channel.
        this.channel.publish(this.exchange, full.eventType, JSON.stringify(full), properties, (err) =>
          err ? reject(new Error(`event ${full.eventType} ${full.eventId} was not accepted by the broker: ${err.message}`)) : resolve(full),
        );
      } catch (err) {
        reject(err);
      }
    });
  }

  /** ISO text of an epoch time; events published in the same virtual millisecond share it. */
  private isoTime(t: number): string {
    if (t !== this.isoAt) {
      this.isoAt = t;
      this.iso = isoTime(t);
    }
    return this.iso;
  }

  /**
   * Calls `handler` for each event of the given types (`'#'` for all; topic
   * patterns work too), acking after it resolves. See {@link SubscribeOptions}
   * for the queue (own or shared), prefetch, error handling and idempotency.
   */
  async subscribe<K extends E['eventType']>(
    eventTypes: K | readonly K[] | '#',
    handler: (event: EventOfType<E, K>, msg: ConsumeMessage) => unknown,
    options: SubscribeOptions = {},
  ): Promise<EventSubscription> {
    if (typeof handler !== 'function') throw new TypeError('subscribe: the handler must be a function');
    const types: string[] = eventTypes === '#' ? ['#'] : Array.isArray(eventTypes) ? [...(eventTypes as readonly string[])] : [eventTypes as string];
    if (types.length === 0) throw new TypeError('subscribe: name at least one event type (or "#" for all)');
    const queue = options.queue ?? `${this.service}.${types.includes('#') ? 'all' : [...types].sort().join('+')}`;
    const onError = options.onError ?? 'park';
    const ch = await this.connection.createChannel();
    await ch.assertQueue(queue, { durable: true });
    for (const t of types) await ch.bindQueue(queue, this.exchange, t);
    if (this.env.runsHere?.(this.service) === false) {
      // Another process runs this service: the queue is ready for it, and its events wait there.
      await ch.close();
      return { queue, consumerTag: '', cancel: () => Promise.resolve() };
    }
    // The parked queue is declared when the first event is parked, so a subscription that never
    // fails adds no queue to the broker (or to the service map).
    const parked: Parking = { queue: `${queue}.parked`, declared: undefined };
    await ch.prefetch(options.prefetch ?? 10);
    const exact = types.some((t) => t.includes('*') || t.includes('#')) ? undefined : new Set(types);
    const wanted = (type: string) => (exact ? exact.has(type) : types.some((t) => topicMatches(t, type)));
    const handled = new Set<string>();
    const inFlight = new Map<string, Promise<unknown>>();
    const { consumerTag } = await ch.consume(queue, async (msg) => {
      if (!msg) return;
      let event: BusEvent;
      try {
        event = JSON.parse(decodeUtf8(msg.content)) as BusEvent;
        if (!event || typeof event.eventType !== 'string') throw new Error('not an event: no eventType');
      } catch (err) {
        this.log('error', `${this.service} cannot read a message on '${queue}': ${err instanceof Error ? err.message : String(err)}`);
        await this.fail(ch, msg, queue, parked, onError, err);
        return;
      }
      if (!wanted(event.eventType)) {
        this.log('warn', `${this.service} took ${event.eventType} ${event.eventId} from shared queue '${queue}' but does not handle it: acked and ignored (a service that needed it will not get it)`);
        ch.ack(msg);
        return;
      }
      if (options.idempotent) {
        // A copy may arrive while the first is still being handled: wait for its outcome.
        const earlier = inFlight.get(event.eventId);
        if (earlier) await earlier.catch(() => undefined);
        if (handled.has(event.eventId)) {
          this.log('info', `${this.service} skipped duplicate ${event.eventType} ${event.eventId}`);
          ch.ack(msg);
          return;
        }
      }
      const work = Promise.resolve().then(() => handler(event as EventOfType<E, K>, msg));
      if (options.idempotent) inFlight.set(event.eventId, work);
      try {
        await work;
      } catch (err) {
        this.log('error', `${this.service} failed to handle ${event.eventType} ${event.eventId}: ${err instanceof Error ? err.message : String(err)}`);
        await this.fail(ch, msg, queue, parked, onError, err);
        return;
      } finally {
        if (inFlight.get(event.eventId) === work) inFlight.delete(event.eventId);
      }
      if (options.idempotent) handled.add(event.eventId);
      ch.ack(msg);
    });
    return { queue, consumerTag, cancel: () => ch.cancel(consumerTag).then(() => undefined) };
  }

  private async fail(ch: BusChannel, msg: ConsumeMessage, queue: string, parked: Parking, onError: OnHandlerError, err: unknown): Promise<void> {
    if (onError === 'requeue') ch.nack(msg, false, true);
    else if (onError === 'drop') ch.nack(msg, false, false);
    else {
      try {
        await (parked.declared ??= this.declareParked(parked.queue));
      } catch (e) {
        parked.declared = undefined; // the next failure tries again
        const what = `${msg.properties.type ?? 'event'} ${msg.properties.messageId ?? ''}`.trim();
        const why = e instanceof Error ? e.message : String(e);
        try {
          // Rejected without requeue: dead-lettered if the queue has a dead-letter exchange, otherwise dropped (traced).
          ch.nack(msg, false, false);
          this.log('error', `${this.service} could not declare '${parked.queue}' to park ${what} (${why}): the event is rejected instead`);
        } catch {
          this.log('error', `${this.service} could not park ${what}: its channel closed, so the broker requeues it`);
        }
        return;
      }
      ch.sendToQueue(parked.queue, msg.content, {
        ...(msg.properties.messageId !== undefined ? { messageId: msg.properties.messageId } : {}),
        ...(msg.properties.type !== undefined ? { type: msg.properties.type } : {}),
        contentType: 'application/json',
        persistent: true,
        headers: { ...msg.properties.headers, 'x-error': err instanceof Error ? err.message : String(err), 'x-original-queue': queue },
      });
      ch.ack(msg);
    }
  }

  /**
   * Declares a parked queue on a channel of its own, so that a refusal (say, the queue exists with
   * other arguments) closes that channel, not the subscription's.
   */
  private async declareParked(queue: string): Promise<void> {
    const side = await this.connection.createChannel();
    side.on('error', () => undefined); // the refusal is reported by the rejected declare
    try {
      await side.assertQueue(queue, { durable: true });
    } finally {
      await side.close().catch(() => undefined);
    }
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.env.trace.record('log', { source: this.service, level, message });
  }

  /** Closes the bus's connection (and every subscription). */
  async close(): Promise<void> {
    await this.connection.close();
  }
}
