/**
 * Messaging bound to the run's host: an amqplib-shaped `amqp` module, the
 * event bus, an event store and a transactional outbox.
 *
 * @example
 * // Each service connects with its own name as the URL's user:
 * const conn = await amqp.connect('amqp://order-service@rabbitmq');
 * const ch = await conn.createChannel();
 * await ch.assertQueue('order-created', { durable: true });
 * ch.sendToQueue('order-created', Buffer.from(JSON.stringify({ orderId: 'o-1' })), { persistent: true });
 */
import { EventBus, Outbox, type Broker, type BusEvent, type Connection, type EventBusOptions, type EventStore } from '../messaging/index.js';
import { currentHost } from './host.js';

/**
 * The amqplib module of this run. `connect(url)` opens a connection for the
 * service named by the URL's user (`amqp://order-service@rabbitmq`), or for
 * `client` when the URL names none.
 */
export const amqp = {
  connect(url?: string, socketOptions?: unknown): Promise<Connection> {
    return currentHost().amqpConnect(url, socketOptions);
  },
};

/** The run's broker (queue statistics, restarts, snapshots). */
export function broker(): Broker {
  return currentHost().broker();
}

/** Connects `service` to the event bus (a topic exchange `events`). */
export function eventBus<E extends BusEvent = BusEvent>(service: string, options?: EventBusOptions): Promise<EventBus<E>> {
  const host = currentHost();
  host.runsHere(service);
  return EventBus.connect<E>(host, service, options);
}

/** A new event store in this run. */
export function eventStore(name?: string): EventStore {
  return currentHost().eventStore(name);
}

/** A new transactional outbox (a service's database with its outgoing events). */
export function outbox<E extends BusEvent = BusEvent>(service: string): Outbox<E> {
  return new Outbox<E>(currentHost(), service);
}
