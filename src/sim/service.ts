import type { SimContext } from './context.js';
import { inWindows } from './faults.js';
import type { HttpClient } from './http-client.js';
import { jsonSafe } from './json-safe.js';
import { safeDecode } from './request-parsing.js';
import type { LogLevel } from './trace.js';

/** An incoming request, as a handler sees it (Express-shaped). */
export interface Request<B = any> {
  readonly method: string;
  /** Path without the query string, e.g. `/orders/42`. */
  readonly path: string;
  readonly url: string;
  /** Route parameters, e.g. `{ id: '42' }` for `/orders/:id`. */
  readonly params: Record<string, string>;
  readonly query: Record<string, string>;
  /** Header names are lower case. */
  readonly headers: Record<string, string>;
  body: B;
  /** Name of the calling service (`client` for calls from outside any service). */
  readonly from: string;
  /** Id of this request in the trace. */
  readonly requestId: string;
  /** Correlation id: the `x-correlation-id` header, or the request id. */
  readonly correlationId: string;
}

/** The response under construction (Express-shaped). */
export interface Response {
  /** Sets the status; chainable. */
  status(code: number): Response;
  /** Sends a JSON body. */
  json(body?: unknown): void;
  /** Sends a body. */
  send(body?: unknown): void;
  /** Sends an empty body with this status. */
  sendStatus(code: number): void;
  /** Ends the response without a body. */
  end(): void;
  /** Sets a response header; chainable. */
  set(name: string, value: string): Response;
  /** Same as {@link set}. */
  header(name: string, value: string): Response;
  readonly statusCode: number;
  /** True once the response was sent. */
  readonly headersSent: boolean;
}

/** Route handler or middleware. Returning a value (without using `res`) sends it as a 200 JSON body. */
export type Handler = (req: Request, res: Response, next: (err?: unknown) => void) => unknown;

/** @internal A registered route of a {@link Service}. */
export interface Route {
  method: string;
  pattern: string;
  segments: string[] | undefined;
  handlers: Handler[];
  /** Position among the service's routes (registration order). */
  index: number;
}

/** A logger that writes `log` events into the trace. */
export interface Logger {
  debug(message: string, data?: unknown): void;
  info(message: string, data?: unknown): void;
  warn(message: string, data?: unknown): void;
  error(message: string, data?: unknown): void;
}

/** Creates a logger whose lines are trace events from `source`. */
export function createLogger(ctx: SimContext, source: string): Logger {
  const write = (level: LogLevel) => (message: string, data?: unknown) => {
    ctx.trace.record('log', data === undefined ? { source, level, message: String(message) } : { source, level, message: String(message), data: jsonSafe(data) });
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function matchRoute(route: Route, path: string): Record<string, string> | undefined {
  if (route.segments === undefined) return route.pattern === path ? {} : undefined;
  const parts = path.split('/');
  if (parts.length !== route.segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const seg = route.segments[i]!;
    if (seg.startsWith(':')) params[seg.slice(1)] = safeDecode(parts[i]!);
    else if (seg !== parts[i]) return undefined;
  }
  return params;
}

/**
 * A service in the simulated network: it registers routes like an Express app
 * and calls other services through its axios-shaped {@link http} client.
 *
 * @example
 * const payment = world.service('payment');
 * payment.post('/payments', async (req, res) => {
 *   res.status(201).json({ id: 'pay-1', amount: req.body.amount });
 * });
 * const { data } = await world.service('orders').http.post('http://payment/payments', { amount: 10 });
 */
export class Service {
  private readonly routes: Route[] = [];
  private readonly exact = new Map<string, Route>();
  private hasParamRoutes = false;
  private isUp = true;
  /** Lines written here appear in the trace and the log console. */
  readonly log: Logger;
  /** The client this service calls others with. */
  readonly http: HttpClient;

  constructor(
    readonly name: string,
    private readonly ctx: SimContext,
    /** The client this service calls others with (made by the network). */
    http: HttpClient,
  ) {
    this.log = createLogger(ctx, name);
    this.http = http;
  }

  /** Registers handlers for GET `path`. */
  get(path: string, ...handlers: Handler[]): this {
    return this.route('GET', path, handlers);
  }
  /** Registers handlers for POST `path`. */
  post(path: string, ...handlers: Handler[]): this {
    return this.route('POST', path, handlers);
  }
  /** Registers handlers for PUT `path`. */
  put(path: string, ...handlers: Handler[]): this {
    return this.route('PUT', path, handlers);
  }
  /** Registers handlers for PATCH `path`. */
  patch(path: string, ...handlers: Handler[]): this {
    return this.route('PATCH', path, handlers);
  }
  /** Registers handlers for DELETE `path`. */
  delete(path: string, ...handlers: Handler[]): this {
    return this.route('DELETE', path, handlers);
  }

  private route(method: string, path: string, handlers: Handler[]): this {
    if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError(`${this.name}: route path must start with "/" (got ${JSON.stringify(path)})`);
    if (handlers.length === 0 || handlers.some((h) => typeof h !== 'function'))
      throw new TypeError(`${this.name}: ${method} ${path} needs at least one handler function`);
    const segments = path.includes(':') ? path.split('/') : undefined;
    if (segments) this.hasParamRoutes = true;
    const route: Route = { method, pattern: path, segments, handlers, index: this.routes.length };
    this.routes.push(route);
    if (!segments && !this.exact.has(`${method} ${path}`)) this.exact.set(`${method} ${path}`, route);
    return this;
  }

  /** @internal finds the route for a request: the first match, or the first after route `after` (a `next()` past its last handler) */
  findRoute(method: string, path: string, after = -1): { route: Route; params: Record<string, string> } | undefined {
    // Routes match in the order they were registered, as in Express; the map of plain paths is a
    // shortcut only while no route with parameters could come first.
    const exact = this.hasParamRoutes || after >= 0 ? undefined : this.exact.get(`${method} ${path}`);
    if (exact) return { route: exact, params: {} };
    for (let i = after + 1; i < this.routes.length; i++) {
      const route = this.routes[i]!;
      if (route.method !== method) continue;
      const params = matchRoute(route, path);
      if (params) return { route, params };
    }
    return undefined;
  }

  /**
   * @internal Runs the handler chain of `first` (and of the routes a `next()`
   * falls through to) for `req`; `done` gets the response once it is sent.
   */
  handle(first: Route, req: Request, done: (r: Reply) => void): void {
    let route = first;
    const res = new ServerResponse(done, () => this.log.warn(`${req.method} ${req.path}: the response was already sent; a second one was ignored`));
    const fail = (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`${req.method} ${req.path} failed: ${message}`);
      if (!res.headersSent) res.status(500).json({ error: message });
    };
    // Fast path: one handler that takes no `next` (the common case) needs no chain.
    const only = first.handlers.length === 1 ? first.handlers[0]! : undefined;
    if (only && only.length < 3) {
      let result: unknown;
      try {
        result = only(req, res, NO_NEXT);
      } catch (e) {
        fail(e);
        return;
      }
      // A returned (or resolved) value is sent as JSON; returning nothing leaves the response to
      // the handler, as in Express (it may answer later, from a callback).
      const after = (value: unknown) => {
        if (!res.headersSent && value !== undefined) res.json(value);
      };
      if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') (result as PromiseLike<unknown>).then(after, fail);
      else after(result);
      return;
    }
    const step = (i: number): void => {
      if (res.headersSent) return;
      const h = route.handlers[i];
      if (!h) {
        // Past the route's last handler: on to the next route that matches, as in Express; 404 when none is left.
        const more = this.findRoute(req.method, req.path, route.index);
        if (!more) {
          res.status(404).json({ error: `Cannot ${req.method} ${req.path}` });
          return;
        }
        route = more.route;
        (req as { params: Record<string, string> }).params = more.params;
        step(0);
        return;
      }
      let nextCalled = false;
      const next = (err?: unknown) => {
        if (nextCalled) return;
        nextCalled = true;
        // next('route') skips the rest of this route's handlers, as in Express.
        if (err === 'route') step(route.handlers.length);
        else if (err !== undefined && err !== null) fail(err);
        else step(i + 1);
      };
      let result: unknown;
      try {
        result = h(req, res, next);
      } catch (e) {
        fail(e);
        return;
      }
      const after = (value: unknown) => {
        if (!res.headersSent && !nextCalled && value !== undefined) res.json(value);
      };
      if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') (result as PromiseLike<unknown>).then(after, fail);
      else after(result);
    };
    step(0);
  }

  /** True unless stopped or inside a down window of the fault plan. */
  get up(): boolean {
    return this.isUp && !inWindows(this.ctx.scheduler.now(), this.ctx.faults.services?.[this.name]?.down);
  }

  /** Stops the service: it refuses connections until {@link start}. */
  stop(): void {
    if (!this.isUp) return;
    this.isUp = false;
    this.ctx.trace.record('service.status', { source: this.name, service: this.name, up: false });
  }

  /** Starts a stopped service again. */
  start(): void {
    if (this.isUp) return;
    this.isUp = true;
    this.ctx.trace.record('service.status', { source: this.name, service: this.name, up: true });
  }
}

/** `next` for a handler that declared none. */
const NO_NEXT = (): void => undefined;

/** @internal A response as the service sends it back over the network. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The server side of a response; methods live on the prototype (one object per request). */
class ServerResponse implements Response {
  statusCode = 200;
  headersSent = false;
  private readonly headers: Record<string, string> = {};
  constructor(
    private readonly done: (r: Reply) => void,
    private readonly onLate: () => void,
  ) {}
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  json(body?: unknown): void {
    this.finish(body);
  }
  send(body?: unknown): void {
    this.finish(body);
  }
  sendStatus(code: number): void {
    this.statusCode = code;
    this.finish(undefined);
  }
  end(): void {
    this.finish(undefined);
  }
  set(name: string, value: string): this {
    this.headers[name.toLowerCase()] = String(value);
    return this;
  }
  header(name: string, value: string): this {
    return this.set(name, value);
  }
  private finish(body: unknown): void {
    if (this.headersSent) {
      this.onLate();
      return;
    }
    this.headersSent = true;
    this.done({ status: this.statusCode, headers: this.headers, body: jsonSafe(body) });
  }
}
