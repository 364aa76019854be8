import { createServer, type Server } from 'node:http';
import express, { type RequestHandler, type Router } from 'express';
import type { Handler, Logger } from '../sim/index.js';
import { followDownWindows, httpFaults } from './http-faults.js';
import { RealHttpClient, type RealNetwork } from './real-network.js';
import type { ServiceAddress } from './service-directory.js';
import { exchangeOf, openExchange } from './server-exchange.js';
import { traceLogger } from './trace-logger.js';

/** A hosted service could not listen on its port. */
export class PortInUseError extends Error {
  constructor(
    readonly service: string,
    readonly address: ServiceAddress,
  ) {
    super(
      `Port ${address.port} is in use: ${service} cannot listen on ${address.host}:${address.port}. ` +
        `Stop what uses it, or give ${service} another port with SPP_SERVICES=${service}=127.0.0.1:<port> (or SPP_PORT).`,
    );
    this.name = 'PortInUseError';
  }
}

/** Where a service runs: served by this process at an address, or by another process. */
export type Hosting = { kind: 'here'; address: ServiceAddress } | { kind: 'elsewhere' };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * A service of a real run: its routes are served over real HTTP by Express
 * (when this process hosts it), its handlers keep the playground's
 * `(req, res, next)` shape and `Request` fields, and its `http` client calls
 * others by name. The fault plan's down windows stop and start its listener,
 * so callers get a real "connection refused".
 *
 * @example
 * const payment = new RealService('payment-service', network, { kind: 'here', address: { host: '127.0.0.1', port: 0 } });
 * payment.post('/payments', (req) => ({ id: 'pay-1', amount: req.body.amount }));
 * await payment.listening; // the port
 */
export class RealService {
  readonly log: Logger;
  readonly http: RealHttpClient;
  /** The port it listens on, once it does (rejects with {@link PortInUseError}); `undefined` when hosted elsewhere. */
  readonly listening: Promise<number> | undefined;
  private readonly router: Router | undefined;
  private readonly expressApp: express.Express | undefined;
  private server: Server | undefined;
  private userUp = true;
  private faultDown = false;
  private port = 0;
  private changes: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private closed = false;

  constructor(
    readonly name: string,
    private readonly network: RealNetwork,
    private readonly hosting: Hosting,
  ) {
    this.log = traceLogger(network.options.trace, name);
    this.http = new RealHttpClient(network, name);
    if (hosting.kind === 'elsewhere') return;
    this.router = express.Router({ caseSensitive: true, strict: true });
    this.faultDown = followDownWindows(network.options.faults.services?.[name]?.down, network, (down) => {
      this.faultDown = down;
      this.apply();
    });
    this.expressApp = this.app();
    this.listening = this.listen(hosting.address).then(() => this.port);
    // A failed listen is reported by whoever runs the program; callers get "refused".
    this.changes = this.listening.then(() => this.sync(), () => undefined);
  }

  /** True when this process serves the service. */
  get hosted(): boolean {
    return this.hosting.kind === 'here';
  }

  /** Requests its handlers are working on. */
  get busy(): number {
    return this.inFlight;
  }

  get(path: string, ...handlers: Handler[]): this {
    return this.route('get', path, handlers);
  }
  post(path: string, ...handlers: Handler[]): this {
    return this.route('post', path, handlers);
  }
  put(path: string, ...handlers: Handler[]): this {
    return this.route('put', path, handlers);
  }
  patch(path: string, ...handlers: Handler[]): this {
    return this.route('patch', path, handlers);
  }
  delete(path: string, ...handlers: Handler[]): this {
    return this.route('delete', path, handlers);
  }

  /** True unless stopped or inside a down window of the fault plan (always true for a service of another process). */
  get up(): boolean {
    return this.userUp && !this.faultDown;
  }

  /** Stops listening: callers are refused until {@link start}. */
  stop(): void {
    if (!this.userUp) return;
    this.userUp = false;
    this.apply();
  }

  /** Listens again after {@link stop}. */
  start(): void {
    if (this.userUp) return;
    this.userUp = true;
    this.apply();
  }

  /** Stops serving for good (at shutdown): open connections are dropped. */
  async close(): Promise<void> {
    this.closed = true;
    await this.changes;
    const s = this.server;
    this.server = undefined;
    if (s) {
      s.close();
      s.closeAllConnections();
    }
  }

  private route(method: (typeof METHODS)[number], path: string, handlers: Handler[]): this {
    const verb = method.toUpperCase();
    if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError(`${this.name}: route path must start with "/" (got ${JSON.stringify(path)})`);
    if (handlers.length === 0 || handlers.some((h) => typeof h !== 'function')) throw new TypeError(`${this.name}: ${verb} ${path} needs at least one handler function`);
    this.router?.[method](path, httpFaults(this.name, this.network, path), ...handlers.map((h) => this.adapt(h)));
    return this;
  }

  /** The Express application: exchange, body, routes (added later, into the router), 404, errors. */
  private app(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    app.use(express.json({ strict: false, limit: '1mb' }));
    app.use((xreq, xres, next) => {
      this.inFlight++;
      let counted = true;
      const done = () => {
        if (counted) this.inFlight--;
        counted = false;
      };
      xres.on('finish', done).on('close', done);
      openExchange(this.name, this.network, xreq, xres, (message) => this.log.warn(message));
      next();
    });
    app.use(this.router!);
    app.use(httpFaults(this.name, this.network, undefined), (xreq, xres) => {
      exchangeOf(xres).res.status(404).json({ error: `Cannot ${xreq.method} ${xreq.path}` });
    });
    app.use(((err, xreq, xres, _next) => {
      const status = typeof err?.status === 'number' ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      if (status >= 500) this.log.error(`${xreq.method} ${xreq.path} failed: ${message}`);
      const x = exchangeOf(xres);
      if (x && !x.res.headersSent) x.res.status(status).json({ error: message });
      else if (!xres.headersSent) xres.status(status).json({ error: message });
    }) as express.ErrorRequestHandler);
    return app;
  }

  /**
   * A playground handler as Express middleware, with the simulation's rules:
   * a returned (or resolved) value is sent as JSON; a throw or rejection is
   * logged and answered 500; `next('route')` skips to the next route.
   */
  private adapt(handler: Handler): RequestHandler {
    return (xreq, xres, xnext) => {
      const x = exchangeOf(xres);
      const { req, res } = x;
      (req as { params: Record<string, string> }).params = { ...(xreq.params as Record<string, string>) };
      let nextCalled = false;
      const fail = (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        this.log.error(`${req.method} ${req.path} failed: ${message}`);
        if (!res.headersSent) res.status(500).json({ error: message });
      };
      const next = (err?: unknown) => {
        if (nextCalled) return;
        nextCalled = true;
        if (err === 'route') xnext('route');
        else if (err !== undefined && err !== null) fail(err);
        else xnext();
      };
      const after = (value: unknown) => {
        if (!res.headersSent && !nextCalled && value !== undefined) res.json(value);
      };
      let result: unknown;
      try {
        result = handler(req, res, next);
      } catch (e) {
        fail(e);
        return;
      }
      if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') (result as PromiseLike<unknown>).then(after, fail);
      else after(result);
    };
  }

  private listen(address: ServiceAddress): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const server = createServer(this.expressApp);
      server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' || e.code === 'EACCES' ? new PortInUseError(this.name, address) : e));
      server.listen(address.port, address.host, () => {
        this.server = server;
        this.port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  }

  /** Brings the listener in line with {@link up}, one change at a time. */
  private apply(): void {
    if (this.hosting.kind === 'here') this.changes = this.changes.then(() => this.sync());
  }

  private async sync(): Promise<void> {
    // Never listened (its port was taken): nothing to stop or start.
    if (this.closed || this.port === 0 || this.hosting.kind === 'elsewhere') return;
    const want = this.up;
    if (want && !this.server) {
      await this.listen({ host: this.hosting.address.host, port: this.port }).catch((e: unknown) =>
        this.log.error(`${this.name} could not listen again: ${e instanceof Error ? e.message : String(e)}`),
      );
    } else if (!want && this.server) {
      // Requests in progress finish; new connections are refused until it listens again.
      this.server.close();
      this.server = undefined;
    } else return;
    this.network.options.trace.record('service.status', { source: this.name, service: this.name, up: want });
  }
}
