import type { SimContext } from './context.js';
import { inWindows, partitioned, sampleLatency, type RouteFaults, type ServiceFaults } from './faults.js';
import {
  HttpCanceledError,
  HttpConnectionError,
  HttpStatusError,
  HttpTimeoutError,
  statusText,
  type HttpRequestConfig,
  type HttpResponse,
} from './http-errors.js';
import type { Rng } from './rng.js';
import type { TimerHandle } from './scheduler.js';
import type { LogLevel, TraceInput } from './trace.js';

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

interface Route {
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

/** A deep copy through JSON, as a real network would give; `undefined` stays `undefined`. */
export function jsonSafe(value: unknown): unknown {
  if (value === undefined || value === null) return value;
  const t = typeof value;
  if (t === 'string' || t === 'boolean') return value;
  if (t === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Error) return { name: value.name, message: value.message };
  // Small plain objects of primitives (most bodies) are copied directly: the same result as a
  // JSON round trip, without building and parsing a string on every request.
  const flat = flatPlainCopy(value);
  if (flat !== undefined) return flat;
  try {
    const s = JSON.stringify(value);
    return s === undefined ? undefined : JSON.parse(s);
  } catch {
    return String(value);
  }
}

/** Copies a plain object whose values are all strings, booleans, finite numbers or null; else undefined. */
function flatPlainCopy(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (key === 'toJSON') return undefined;
    const v = (value as Record<string, unknown>)[key];
    const t = typeof v;
    if (t === 'string' || t === 'boolean' || v === null) out[key] = v;
    else if (t === 'number') out[key] = Number.isFinite(v) ? (v === 0 ? 0 : v) : null;
    else if (t === 'undefined' || t === 'function' || t === 'symbol') continue;
    else return undefined;
  }
  return out;
}

const URL_RE = /^(?:https?:)?\/\/([^/:?#]+)(?::\d+)?([^?#]*)(?:\?([^#]*))?/i;

/** Percent-decoding that keeps a malformed escape (`100%`) as written, as Express's query parser does. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parseQuery(q: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!q) return out;
  for (const part of q.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    const k = safeDecode(i < 0 ? part : part.slice(0, i));
    out[k] = i < 0 ? '' : safeDecode(part.slice(i + 1).replace(/\+/g, ' '));
  }
  return out;
}

function lowerKeys(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (h) for (const k of Object.keys(h)) out[k.toLowerCase()] = String(h[k]);
  return out;
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
    private readonly network: Network,
  ) {
    this.log = createLogger(network.ctx, name);
    this.http = new HttpClient(network, name);
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

  /** True unless stopped or inside a down window of the fault plan. */
  get up(): boolean {
    return this.isUp && !inWindows(this.network.ctx.scheduler.now(), this.network.ctx.faults.services?.[this.name]?.down);
  }

  /** Stops the service: it refuses connections until {@link start}. */
  stop(): void {
    if (!this.isUp) return;
    this.isUp = false;
    this.network.ctx.trace.record('service.status', { source: this.name, service: this.name, up: false });
  }

  /** Starts a stopped service again. */
  start(): void {
    if (this.isUp) return;
    this.isUp = true;
    this.network.ctx.trace.record('service.status', { source: this.name, service: this.name, up: true });
  }
}

/** `next` for a handler that declared none. */
const NO_NEXT = (): void => undefined;

interface Reply {
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

/** One request in flight, from the client's side. */
class Pending {
  settled = false;
  timer: TimerHandle | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  constructor(
    readonly network: Network,
    readonly id: string,
    readonly seq: number,
    readonly from: string,
    readonly to: string,
    readonly method: string,
    readonly path: string,
    readonly correlationId: string,
    readonly startedAt: number,
    readonly config: HttpRequestConfig,
    readonly resolve: (r: HttpResponse) => void,
    readonly reject: (e: Error) => void,
  ) {}
  /** Settles the request once; later outcomes are ignored. */
  fail(error: Error): void {
    if (this.settled) return;
    this.settle();
    this.reject(error);
  }
  settle(): void {
    this.settled = true;
    this.timer?.cancel();
    if (this.onAbort) this.signal!.removeEventListener('abort', this.onAbort);
  }
  refuse(reason: 'unknown-service' | 'down' | 'no-route', code: 'ENOTFOUND' | 'ECONNREFUSED', message: string): void {
    if (this.settled) return;
    this.network.ctx.trace.record('http.refused', { source: this.from, target: this.to || '?', correlationId: this.correlationId, causationId: this.seq, requestId: this.id, method: this.method, path: this.path, reason, code });
    this.fail(new HttpConnectionError(message, code, this.config, this.id));
  }
  timeout(): void {
    if (this.settled) return;
    const ms = this.config.timeout!;
    this.network.ctx.trace.record('http.timeout', { source: this.from, target: this.to, correlationId: this.correlationId, causationId: this.seq, requestId: this.id, method: this.method, path: this.path, timeoutMs: ms });
    this.fail(new HttpTimeoutError(this.config, this.id, ms));
  }
  cancel(): void {
    if (this.settled) return;
    this.network.ctx.trace.record('http.canceled', { source: this.from, target: this.to, correlationId: this.correlationId, causationId: this.seq, requestId: this.id, method: this.method, path: this.path });
    this.fail(new HttpCanceledError(this.config, this.id));
  }
}

interface ParsedUrl {
  host: string;
  path: string;
  query: string | undefined;
}

/**
 * The simulated network: routes requests between services with latency,
 * timeouts and the faults of the plan, recording each step in the trace.
 */
export class Network {
  private readonly services = new Map<string, Service>();
  private readonly faultRng: Rng;
  private readonly latencyRng: Rng;
  private readonly urls = new Map<string, ParsedUrl>();

  constructor(readonly ctx: SimContext) {
    this.faultRng = ctx.rng.fork('network-faults');
    this.latencyRng = ctx.rng.fork('network-latency');
  }

  /** The service called `name`, created on first use. */
  service(name: string): Service {
    if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
      throw new TypeError(`service name must be letters, digits, ".", "_" or "-" (got ${JSON.stringify(name)})`);
    let s = this.services.get(name);
    if (!s) {
      s = new Service(name, this);
      this.services.set(name, s);
    }
    return s;
  }

  /** Names of all registered services, in registration order. */
  serviceNames(): string[] {
    return [...this.services.keys()];
  }

  /** True when a service of that name exists. */
  has(name: string): boolean {
    return this.services.has(name);
  }

  private linkLatency(from: string, to: string): number {
    const links = this.ctx.faults.links;
    if (links) for (const l of links) if (l.from === from && l.to === to && l.latency) return sampleLatency(l.latency, this.latencyRng);
    return sampleLatency(this.ctx.networkLatency, this.latencyRng);
  }

  private parseUrl(url: string): ParsedUrl | undefined {
    let parsed = this.urls.get(url);
    if (parsed === undefined) {
      const m = URL_RE.exec(url);
      if (!m) return undefined;
      parsed = { host: m[1]!, path: m[2] || '/', query: m[3] };
      if (this.urls.size > 2000) this.urls.clear();
      this.urls.set(url, parsed);
    }
    return parsed;
  }

  /** @internal sends one request; used by {@link HttpClient}. */
  send(from: string, config: HttpRequestConfig): Promise<HttpResponse> {
    const { ctx } = this;
    const method = (config.method ?? 'GET').toUpperCase();
    const url = String(config.url ?? '');
    const parsed = this.parseUrl(url);
    const headers = lowerKeys(config.headers);
    const id = ctx.trace.nextId('req');
    const host = parsed?.host ?? '';
    const path = parsed?.path ?? url;
    const timeout = config.timeout !== undefined && config.timeout > 0 && Number.isFinite(config.timeout) ? config.timeout : 0;
    const body = jsonSafe(config.data);
    const correlationId = headers['x-correlation-id'] ?? id;
    const fields: TraceInput<'http.request'> = { source: from, target: host || '?', correlationId, requestId: id, method, path, url };
    if (body !== undefined) fields.body = body;
    for (const _ in headers) {
      fields.headers = headers;
      break;
    }
    if (timeout) fields.timeout = timeout;
    const seq = ctx.trace.record('http.request', fields).seq;
    return new Promise<HttpResponse>((resolve, reject) => {
      const p = new Pending(this, id, seq, from, host, method, path, correlationId, ctx.scheduler.now(), config, resolve, reject);
      if (!parsed) {
        ctx.scheduler.after(0, () => p.refuse('no-route', 'ENOTFOUND', `Invalid URL ${JSON.stringify(url)}: expected http://<service>/<path>`));
        return;
      }
      const signal = config.signal;
      if (signal) {
        if (signal.aborted) {
          ctx.scheduler.after(0, () => p.cancel());
          return;
        }
        p.signal = signal;
        p.onAbort = () => p.cancel();
        signal.addEventListener('abort', p.onAbort, { once: true });
      }
      if (timeout) p.timer = ctx.scheduler.after(timeout, () => p.timeout());
      const target = this.services.get(host);
      if (!target) {
        ctx.scheduler.after(0, () => p.refuse('unknown-service', 'ENOTFOUND', `getaddrinfo ENOTFOUND ${host}`));
        return;
      }
      if (ctx.faults.partitions && partitioned(ctx.faults, from, host, ctx.scheduler.now())) {
        ctx.trace.record('fault', { source: from, target: host, correlationId, causationId: seq, fault: 'partition', detail: `${from} cannot reach ${host}: request lost`, requestId: id });
        return; // lost: only a timeout or an abort ends it
      }
      ctx.scheduler.after(this.linkLatency(from, host), () => this.arrive(target, p, headers, body, parsed.query));
    });
  }

  private arrive(service: Service, p: Pending, headers: Record<string, string>, body: unknown, rawQuery: string | undefined): void {
    const { ctx } = this;
    const { correlationId } = p;
    if (!service.up) {
      this.reply(p, { refused: true });
      return;
    }
    const svcFaults: ServiceFaults | undefined = ctx.faults.services?.[service.name];
    const found = service.findRoute(p.method, p.path);
    const routeFaults: RouteFaults | undefined = ctx.faults.routes?.find(
      (r) => r.service === service.name && (r.method === undefined || r.method.toUpperCase() === p.method) && (r.path === p.path || r.path === found?.route.pattern),
    );
    const errorRate = routeFaults?.errorRate ?? svcFaults?.errorRate ?? 0;
    const latencySpec = routeFaults?.latency ?? svcFaults?.latency;
    const extra = latencySpec ? sampleLatency(latencySpec, this.latencyRng) : 0;
    const handle = () => {
      if (errorRate > 0 && this.faultRng.chance(errorRate)) {
        const status = routeFaults?.errorStatus ?? svcFaults?.errorStatus ?? 500;
        ctx.trace.record('fault', { source: service.name, target: p.from, correlationId, causationId: p.seq, fault: 'error', detail: `${service.name} answers ${status} (injected)`, requestId: p.id });
        this.reply(p, { status, headers: {}, body: { error: `${statusText(status) || 'Error'} (injected fault)` } });
        return;
      }
      if (!found) {
        this.reply(p, { status: 404, headers: {}, body: { error: `Cannot ${p.method} ${p.path}` } });
        return;
      }
      this.runHandlers(service, found.route, {
        method: p.method,
        path: p.path,
        url: p.path + (rawQuery ? `?${rawQuery}` : ''),
        params: found.params,
        query: parseQuery(rawQuery),
        headers: { ...headers },
        body: jsonSafe(body),
        from: p.from,
        requestId: p.id,
        correlationId,
      }, (r) => this.reply(p, r));
    };
    if (extra > 0) {
      ctx.trace.record('fault', { source: service.name, correlationId, causationId: p.seq, fault: 'latency', detail: `${service.name} slowed by ${Math.round(extra)} ms`, requestId: p.id });
      ctx.scheduler.after(extra, handle);
    } else handle();
  }

  private runHandlers(service: Service, first: Route, req: Request, done: (r: Reply) => void): void {
    let route = first;
    const res = new ServerResponse(done, () => service.log.warn(`${req.method} ${req.path}: the response was already sent; a second one was ignored`));
    const fail = (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      service.log.error(`${req.method} ${req.path} failed: ${message}`);
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
        const more = service.findRoute(req.method, req.path, route.index);
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

  private reply(p: Pending, r: { refused: true } | Reply): void {
    const { ctx } = this;
    const sentAt = ctx.scheduler.now();
    if (ctx.faults.partitions && partitioned(ctx.faults, p.to, p.from, sentAt)) {
      ctx.trace.record('fault', { source: p.to, target: p.from, correlationId: p.correlationId, causationId: p.seq, fault: 'partition', detail: `${p.to} cannot reach ${p.from}: response lost`, requestId: p.id });
      return;
    }
    ctx.scheduler.after(this.linkLatency(p.to, p.from), () => {
      if ('refused' in r) {
        p.refuse('down', 'ECONNREFUSED', `connect ECONNREFUSED ${p.to}`);
        return;
      }
      const fields: TraceInput<'http.response'> = {
        source: p.to,
        target: p.from,
        correlationId: p.correlationId,
        causationId: p.seq,
        requestId: p.id,
        method: p.method,
        path: p.path,
        status: r.status,
        sentAt,
        durationMs: ctx.scheduler.now() - p.startedAt,
      };
      if (r.body !== undefined) fields.body = r.body;
      if (p.settled) fields.late = true;
      ctx.trace.record('http.response', fields);
      if (p.settled) return;
      p.settle();
      // The caller gets its own copy: changing it must not change the recorded trace.
      const response: HttpResponse = { status: r.status, statusText: statusText(r.status), data: jsonSafe(r.body), headers: r.headers, config: p.config, requestId: p.id };
      let ok: boolean;
      try {
        ok = p.config.validateStatus ? p.config.validateStatus(r.status) : r.status >= 200 && r.status < 300;
      } catch (e) {
        p.reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      if (ok) p.resolve(response);
      else p.reject(new HttpStatusError(p.config, p.id, response));
    });
  }
}

/**
 * The axios verbs (`get`, `post`, …) over one `request` method. Every
 * axios-shaped client here extends it and only says how a request is sent.
 */
export abstract class AxiosVerbs {
  /** Sends a request described by `config`. */
  abstract request<T = any>(config: HttpRequestConfig): Promise<HttpResponse<T>>;
  get<T = any>(url: string, config: HttpRequestConfig = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...config, method: 'GET', url });
  }
  delete<T = any>(url: string, config: HttpRequestConfig = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...config, method: 'DELETE', url });
  }
  post<T = any>(url: string, data?: unknown, config: HttpRequestConfig = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...config, method: 'POST', url, data });
  }
  put<T = any>(url: string, data?: unknown, config: HttpRequestConfig = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...config, method: 'PUT', url, data });
  }
  patch<T = any>(url: string, data?: unknown, config: HttpRequestConfig = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...config, method: 'PATCH', url, data });
  }
}

/**
 * An axios-shaped HTTP client bound to a calling service.
 *
 * @example
 * const res = await http.post('http://payment/payments', { amount: 5 }, { timeout: 5000 });
 * res.status; // 201
 */
export class HttpClient extends AxiosVerbs {
  constructor(
    private readonly network: Network,
    /** Name of the calling service. */
    readonly from: string,
  ) {
    super();
  }

  /** Sends a request described by `config`. */
  request<T = any>(config: HttpRequestConfig): Promise<HttpResponse<T>> {
    return this.network.send(this.from, config) as Promise<HttpResponse<T>>;
  }
}
