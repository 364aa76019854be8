import { AmqpError, IllegalOperationError, type BrokerClose } from './amqp-errors.js';
import type { BrokerEndpoint } from './broker/endpoint.js';
import type { ConnectionSink } from './broker/sinks.js';
import { Channel, ConfirmChannel, type ChannelConnection } from './channel.js';
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
export class Connection extends Emitter implements ConnectionSink, ChannelConnection {
  private state: ConnectionState = 'open';
  private readonly channels = new Set<Channel>();

  /** @internal use {@link connect} or `broker.connect(service)` */
  constructor(
    /** @internal */
    readonly broker: BrokerEndpoint,
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
    return ch.open();
  }

  /** Opens a channel with publisher confirms. */
  createConfirmChannel(): Promise<ConfirmChannel> {
    if (this.state !== 'open') return Promise.reject(new IllegalOperationError(this.state === 'closed' ? 'Connection closed' : 'Connection closing'));
    const ch = new ConfirmChannel(this, this.broker, this.link);
    this.channels.add(ch);
    return ch.open();
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
      else ch.toClosed(undefined, 'connection');
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
export function openConnection(broker: BrokerEndpoint, service: string): Promise<Connection> {
  let conn: Connection | undefined;
  const sink: ConnectionSink = { closedByBroker: (close) => conn?.closedByBroker(close) };
  const { id, link } = broker.openConnection(service, sink);
  conn = new Connection(broker, service, id, link);
  const c = conn;
  return new Promise<Connection>((resolve) => {
    link.toBroker(() => link.toClient(() => resolve(c)));
  });
}
