/** Where a service can be reached, or where a hosted one listens. */
export interface ServiceAddress {
  host: string;
  port: number;
}

/** Options of {@link ServiceDirectory}: read from the environment by the command. */
export interface ServiceDirectoryOptions {
  /** `name=host:port,…` (the `SPP_SERVICES` variable): services of other processes, or fixed ports for ours. */
  services?: string;
  /** Port of a service known by name only (a container's DNS name); `SPP_PORT`, default 8080. */
  port?: string | number;
}

/** Thrown for a malformed `SPP_SERVICES` or `SPP_PORT`. */
export class ServiceDirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceDirectoryError';
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Reads `SPP_SERVICES` (`payment-service=10.0.0.2:8080,order-service=orders:9000`). */
export function parseServiceList(text: string | undefined): Map<string, ServiceAddress> {
  const out = new Map<string, ServiceAddress>();
  for (const raw of (text ?? '').split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const m = /^([^=\s]+)=([^:\s]+):(\d+)$/.exec(item);
    if (!m || !NAME.test(m[1]!)) throw new ServiceDirectoryError(`SPP_SERVICES: "${item}" should be name=host:port, e.g. payment-service=10.0.0.2:8080`);
    out.set(m[1]!, { host: m[2]!, port: checkPort(m[3]!, `SPP_SERVICES: port of ${m[1]!}`) });
  }
  return out;
}

function checkPort(value: string | number, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new ServiceDirectoryError(`${what} must be a port number 1..65535 (got ${JSON.stringify(value)})`);
  return n;
}

/**
 * Finds services by name, so `http://payment-service/payments` works on real
 * HTTP: a service hosted by this process is at 127.0.0.1 on the port it
 * listens on; one listed in `SPP_SERVICES` is where that says; any other name
 * is taken for a host name (a docker-compose service) at `SPP_PORT`.
 *
 * @example
 * const dir = new ServiceDirectory({ services: 'payment-service=10.0.0.2:8080' });
 * await dir.resolve('payment-service'); // { host: '10.0.0.2', port: 8080 }
 * await dir.resolve('stock');           // { host: 'stock', port: 8080 }
 */
export class ServiceDirectory {
  private readonly listed: Map<string, ServiceAddress>;
  readonly defaultPort: number;
  private readonly local = new Map<string, Promise<number>>();

  constructor(options: ServiceDirectoryOptions = {}) {
    this.listed = parseServiceList(options.services);
    this.defaultPort = options.port === undefined || options.port === '' ? 8080 : checkPort(options.port, 'SPP_PORT');
  }

  /**
   * Where a service hosted here listens: its `SPP_SERVICES` port when it has
   * one; `SPP_PORT` on every interface when the program is split over
   * processes (`--only`), so others can reach it; else a free loopback port.
   */
  listenAddress(name: string, split: boolean): ServiceAddress {
    const listed = this.listed.get(name);
    if (listed) return { host: isLoopback(listed.host) ? listed.host : '0.0.0.0', port: listed.port };
    return split ? { host: '0.0.0.0', port: this.defaultPort } : { host: '127.0.0.1', port: 0 };
  }

  /** Records that `name` is hosted here; `port` resolves once it listens. */
  host(name: string, port: Promise<number>): void {
    // A failed listen is reported by whoever started it; callers of resolve() see their own error.
    port.catch(() => undefined);
    this.local.set(name, port);
  }

  /** True when `name` is hosted by this process. */
  hosts(name: string): boolean {
    return this.local.has(name);
  }

  /** Where to send a request for `name` (`port` when the URL gave one). */
  async resolve(name: string, port?: number): Promise<ServiceAddress> {
    if (port !== undefined) return { host: name, port };
    const local = this.local.get(name);
    if (local) return { host: '127.0.0.1', port: await local };
    return this.listed.get(name) ?? { host: name, port: this.defaultPort };
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1';
}
