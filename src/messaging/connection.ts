import { AmqpError, IllegalOperationError, type BrokerClose } from './amqp-errors.js';
import type { Options } from './amqp-types.js';
import { brokerOf, serviceFromTarget, type Broker, type BrokerWorld } from './broker.js';
import type { ConnectionSink } from './broker-state.js';
import { Channel, ConfirmChannel } from './channel.js';
import { Emitter } from './emitter.js';
import type { Link } from './link.js';

type ConnectionState = 'open' | 'closing' | 'closed';

/**
 * A connection to the world's broker, owned by one service (the source of
 * everything done through it in the trace). Shaped like amqplib's
 * `ChannelModel`: `createChannel`, `createConfirmChannel`, `close`, and the
 * events `'error'` and `'close'`.
 *
 * @example
 * const conn = await connect(world, 'orders');
 * conn.on('error', (err) => console.error('connection error', err.message));
 * const ch = await conn.createChannel();
 */
export class Connection extends Emitter implements ConnectionSink {
  private state: ConnectionState = 'open';
  private readonly channels = new Set<Channel>();

  /** @internal use {@link connect} or `broker.connect(service)` */
  constructor(
    /** @internal */
    readonly broker: Broker,
    /** The service that owns this connection. */
    readonly service: string,
    /** @internal connection number at the broker */
    readonly id: number,
    /** @internal */
    readonly link: Link,
  ) {
    super();
  }

  /** Opens a channel. */
  createChannel(): Promise<Channel> {
    if (this.state !== 'open') return Promise.reject(new IllegalOperationError(this.state === 'closed' ? 'Connection closed' : 'Connection closing'));
    const ch = new Channel(this, this.broker, this.link);
    this.channels.add(ch);
    return ch.open(false);
  }

  /** Opens a channel with publisher confirms. */
  createConfirmChannel(): Promise<ConfirmChannel> {
    if (this.state !== 'open') return Promise.reject(new IllegalOperationError(this.state === 'closed' ? 'Connection closed' : 'Connection closing'));
    const ch = new ConfirmChannel(this, this.broker, this.link);
    this.channels.add(ch);
    return ch.open(true);
  }

  /** Closes the connection and every channel on it; unacknowledged messages are requeued. */
  close(): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new IllegalOperationError(this.state === 'closed' ? 'Connection closed' : 'Connection closing'));
    this.state = 'closing';
    return new Promise<void>((resolve) => {
      this.link.toBroker(() => {
        this.broker.closeConnection(this.id);
        this.link.toClient(() => {
          this.toClosed(undefined);
          resolve();
        });
      });
    });
  }

  /** @internal a channel closed */
  forget(ch: Channel): void {
    this.channels.delete(ch);
  }

  /**
   * @internal a channel error nobody listened to: as with amqplib, it becomes
   * an error of the connection, which drops (and, unheard there too, crashes
   * the owning service: an `error` trace event).
   */
  unhandledChannelError(error: Error): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.link.toBroker(() => this.broker.closeConnection(this.id));
    this.finish(error);
  }

  /** @internal the broker closed the connection */
  closedByBroker(close: BrokerClose): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.finish(new AmqpError(`Connection closed: ${close.describe()}`, close), close);
  }

  private toClosed(error: Error | undefined): void {
    this.state = 'closed';
    this.finish(error);
  }

  private finish(error: Error | undefined, close?: BrokerClose): void {
    for (const ch of [...this.channels]) {
      if (close) ch.closedByConnection(close);
      else ch.toClosed(undefined, true);
    }
    this.channels.clear();
    if (error) {
      if (this.listenerCount('error') > 0) {
        try {
          this.emit('error', error);
        } catch (e) {
          this.crash(e);
        }
      } else this.crash(error);
    }
    this.emitClose(error);
  }

  private emitClose(error: Error | undefined): void {
    try {
      if (error) this.emit('close', error);
      else this.emit('close');
    } catch (e) {
      this.crash(e);
    }
  }

  /** The owning service would die of an unhandled 'error' event: recorded as an `error` trace event. */
  private crash(error: unknown): void {
    this.broker.world.trace.record('error', {
      source: this.service,
      message: `Unhandled 'error' event: ${error instanceof Error ? error.message : String(error)}`,
      ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
    });
  }
}

/** @internal opens a connection after one round trip */
export function openConnection(broker: Broker, service: string): Promise<Connection> {
  let conn: Connection | undefined;
  const sink: ConnectionSink = { closedByBroker: (close) => conn?.closedByBroker(close) };
  const { id, link } = broker.openConnection(service, sink);
  conn = new Connection(broker, service, id, link);
  const c = conn;
  return new Promise<Connection>((resolve) => {
    link.toBroker(() => link.toClient(() => resolve(c)));
  });
}

/**
 * Connects `service` to the world's broker (amqplib's `connect`, with the
 * world made explicit). The second argument is a service name, or an amqp URL
 * whose user is the service (`amqp://orders:secret@rabbitmq`); without it the
 * connection belongs to `client`.
 *
 * @example
 * const conn = await connect(world, 'orders');
 * const same = await connect(world, 'amqp://orders@localhost:5672');
 */
export function connect(world: BrokerWorld | Broker, serviceOrUrl?: string, _socketOptions?: unknown): Promise<Connection> {
  if (typeof world !== 'object' || world === null || !('scheduler' in world || isBroker(world)))
    return Promise.reject(
      new TypeError(
        `connect: the first argument must be the world (or its broker), e.g. connect(world, 'orders'); got ${typeof world === 'string' ? JSON.stringify(world) : String(world)}. ` +
          `For amqplib's connect(url), use createAmqp(world, 'service').connect(url).`,
      ),
    );
  const broker = isBroker(world) ? world : brokerOf(world);
  return openConnection(broker, serviceFromTarget(serviceOrUrl ?? 'client'));
}

function isBroker(x: unknown): x is Broker {
  return typeof x === 'object' && x !== null && typeof (x as Broker).snapshot === 'function' && typeof (x as Broker).restart === 'function';
}

/** A module-shaped object with amqplib's `connect(url)`, bound to one world. */
export interface AmqpModule {
  /** Connects; the service is the URL's user, or the default service given to {@link createAmqp}. */
  connect(url?: string | Options.Connect, socketOptions?: unknown): Promise<Connection>;
}

/**
 * An `amqplib`-shaped module bound to a world, so code written as
 * `amqp.connect(process.env.RABBITMQ_URL)` runs unchanged. The connection
 * belongs to the service named as the URL's user, else to `defaultService`.
 *
 * @example
 * const amqp = createAmqp(world, 'orders');
 * const conn = await amqp.connect('amqp://localhost'); // owned by 'orders'
 */
export function createAmqp(world: BrokerWorld | Broker, defaultService = 'client'): AmqpModule {
  return {
    connect(url?: string | Options.Connect) {
      let user: string | undefined;
      if (typeof url === 'string') {
        const m = /^amqps?:\/\/([^:@/]+)(?::[^@/]*)?@/i.exec(url);
        user = m ? decodeURIComponent(m[1]!) : /^amqps?:/i.test(url) || url === '' ? undefined : url;
      } else if (url && typeof url === 'object' && typeof url.username === 'string') user = url.username;
      return connect(world, user === undefined || user === '' || user === 'guest' ? defaultService : user);
    },
  };
}
