import type { Options } from './amqp-types.js';
import { brokerOf, type Broker, type BrokerWorld } from './broker.js';
import { openConnection, type Connection } from './connection.js';
import { serviceFromTarget } from './service-from-target.js';

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
  return openConnection(broker.server, serviceFromTarget(serviceOrUrl ?? 'client'));
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
