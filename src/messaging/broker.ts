/**
 * The broker as its users see it: one per world ({@link brokerOf}), with
 * connections, figures, a snapshot for the UI, and restart and crash by hand.
 * Its parts live in `broker/` (see `broker/server.ts` for the map).
 */
import type { Observable } from 'rxjs';
import type { BrokerWorld } from './broker/broker-state.js';
import type { QueueStats } from './broker/broker-stats.js';
import type { ConnectionInfo } from './broker/connections.js';
import { BrokerServer } from './broker/server.js';
import type { BindingInfo, ExchangeInfo } from './broker/topology.js';
import { openConnection, type Connection } from './connection.js';
import { serviceFromTarget } from './service-from-target.js';

export type { BrokerWorld, QueueStats, ExchangeInfo, BindingInfo };

/** Everything the broker holds, at one moment. */
export interface BrokerSnapshot {
  time: number;
  queues: QueueStats[];
  exchanges: ExchangeInfo[];
  bindings: BindingInfo[];
  /** Messages no queue took (not mandatory): each also an `mq.drop` event with reason `unroutable`. */
  unroutable: number;
  connections: ConnectionInfo[];
}

const brokers = new WeakMap<object, Broker>();

/**
 * The world's broker, created on first use: one per world, nothing shared
 * between worlds.
 *
 * @example
 * const broker = brokerOf(world);
 * const conn = await broker.connect('orders');
 */
export function brokerOf(world: BrokerWorld): Broker {
  let b = brokers.get(world);
  if (!b) {
    b = new Broker(world);
    brokers.set(world, b);
  }
  return b;
}

/** Same as {@link brokerOf}: the world's one broker (created on first call). */
export function createBroker(world: BrokerWorld): Broker {
  return brokerOf(world);
}

/**
 * An in-memory broker that behaves as RabbitMQ 3.10 does: exchanges (direct,
 * fanout, topic, headers, and the default exchange), queues with TTL,
 * max-length and dead-lettering, round-robin consumers with prefetch, manual
 * acknowledgements, publisher confirms and mandatory returns. Everything takes
 * virtual time (the broker latency of the fault plan, or the world's network
 * latency) and every step is a trace event.
 *
 * Clients use it through the amqplib-shaped {@link Connection} and
 * {@link Channel} returned by {@link connect}.
 *
 * Simulation choices worth knowing: a crashed consumer process and a broker
 * restart are followed by an automatic reconnect of the same channel objects
 * (as a connection manager would do), so consumers keep consuming; a
 * channel's unacknowledged messages are requeued as RabbitMQ does when a
 * connection drops.
 *
 * @example
 * const broker = brokerOf(world);
 * const conn = await broker.connect('orders');
 * const ch = await conn.createChannel();
 * await ch.assertQueue('order-created');
 * ch.sendToQueue('order-created', Buffer.from('{"orderId":1}'), { persistent: true });
 * broker.snapshot().queues; // [{ name: 'order-created', ready: 1, … }]
 */
export class Broker {
  /** @internal the broker's parts and the methods clients call */
  readonly server: BrokerServer;

  constructor(readonly world: BrokerWorld) {
    this.server = new BrokerServer(world);
  }

  /**
   * Opens a connection for `service` (the owner of everything done through
   * it, for the trace). Also accepts an amqp URL whose user name is the
   * service, e.g. `amqp://orders@localhost`. Resolves after one round trip.
   */
  connect(serviceOrUrl = 'client'): Promise<Connection> {
    return openConnection(this.server, serviceFromTarget(serviceOrUrl));
  }

  /** Figures of one queue (by name), now. */
  queueStats(name: string): QueueStats {
    return this.server.stats.queueStats(name);
  }

  /** Everything the broker holds, now (synchronous). */
  snapshot(): BrokerSnapshot {
    const { topology, stats, connections } = this.server;
    return {
      time: this.world.scheduler.now(),
      queues: stats.allQueueStats(),
      exchanges: topology.exchangeInfos(),
      bindings: topology.bindingInfos(),
      unroutable: stats.unroutable,
      connections: connections.infos(),
    };
  }

  /**
   * Live figures of one queue: the current value at once, then one value
   * whenever they change (at most once per instant of virtual time).
   *
   * @example
   * broker.queueStats$('orders').subscribe((s) => console.log(s.ready, s.unacked));
   */
  queueStats$(name: string): Observable<QueueStats> {
    return this.server.stats.queueStats$(name);
  }

  /** Live figures of every queue, keyed by name (emits whenever any queue changes). */
  stats$(): Observable<Record<string, QueueStats>> {
    return this.server.stats.stats$();
  }

  /**
   * Restarts the broker now: connections drop (unacknowledged messages are
   * requeued, frames in flight are lost) and come back at once; non-durable
   * and exclusive queues, non-durable exchanges and transient messages are
   * gone; durable queues keep their persistent messages. Consumers of
   * surviving queues keep consuming; consumers of lost queues are cancelled.
   */
  restart(why = 'requested'): void {
    this.server.restart(why);
  }

  /**
   * Simulates the process that owns `service`'s connections crashing and
   * reconnecting at once: every unacknowledged delivery on them is requeued
   * and acknowledgements not yet sent are lost. Used by the
   * `crashBeforeAckRate` fault; handy in tests.
   */
  crashService(service: string): void {
    this.server.connections.crashService(service);
  }
}
