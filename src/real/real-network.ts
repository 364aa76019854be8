import { randomUUID } from 'node:crypto';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  AxiosVerbs,
  HttpCanceledError,
  HttpConnectionError,
  HttpStatusError,
  HttpTimeoutError,
  jsonSafe,
  partitioned,
  sampleLatency,
  statusText,
  type FaultPlan,
  type HttpRequestConfig,
  type HttpResponse,
  type Rng,
  type TimerHandle,
  type TraceInput,
  type TraceRecorder,
} from '../sim/index.js';
import type { HostClock } from '../playground/host.js';
import type { ServiceDirectory } from './service-directory.js';

/** Headers real mode adds to every request, so the server knows who called and which trace entry it answers. */
export const CALLER_HEADERS = { from: 'x-spp-from', requestId: 'x-spp-request-id', origin: 'x-spp-origin' } as const;

/** One request sent by this process, as its client and (when the server is hosted here too) its server see it. */
export interface Exchange {
  requestId: string;
  /** `seq` of its `http.request` event. */
  seq: number;
  /** The client has its outcome (an answer, an error, a timeout or an abort): an answer after that is `late`. */
  settled: boolean;
  /** When a server of this process sent the answer (the run's time). */
  sentAt?: number;
}

/** Options of {@link RealNetwork}. */
export interface RealNetworkOptions {
  clock: HostClock;
  trace: TraceRecorder;
  rng: Rng;
  directory: ServiceDirectory;
  faults: FaultPlan;
}

interface ParsedUrl {
  secure: boolean;
  host: string;
  port: number | undefined;
  path: string;
  query: string | undefined;
}

const URL_PARTS = /^(?:(https?):)?\/\/([^/:?#]+)(?::(\d+))?([^?#]*)(?:\?([^#]*))?/i;

function parseUrl(url: string): ParsedUrl | undefined {
  const m = URL_PARTS.exec(url);
  if (!m) return undefined;
  return { secure: m[1]?.toLowerCase() === 'https', host: m[2]!, port: m[3] === undefined ? undefined : Number(m[3]), path: m[4] || '/', query: m[5] };
}

function lowerCaseKeys(h: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) if (v !== undefined) out[k.toLowerCase()] = String(v);
  return out;
}

function flatHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function bodyOf(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** A request in flight, from the client's side. */
interface Outgoing {
  exchange: Exchange;
  from: string;
  to: string;
  method: string;
  path: string;
  correlationId: string;
  startedAt: number;
  config: HttpRequestConfig;
  timer: TimerHandle | undefined;
  detach: () => void;
  resolve: (r: HttpResponse) => void;
  reject: (e: Error) => void;
}

/**
 * The client side of real HTTP: sends the program's requests to real
 * servers (found by service name through the {@link ServiceDirectory}),
 * applies the fault plan's link latencies and partitions, and records the
 * same `http.*` trace events as the simulated network, with the same error
 * classes for the caller. A client that gives up (timeout, abort) keeps the
 * connection, so the answer that comes later is recorded as `late`, as in
 * the simulation.
 */
export class RealNetwork {
  /** Tells this process's requests from others' at a server. */
  readonly origin = randomUUID();
  readonly exchanges = new Map<string, Exchange>();
  readonly faultRng: Rng;
  readonly latencyRng: Rng;
  private readonly sockets = new Set<ClientRequest>();

  constructor(readonly options: RealNetworkOptions) {
    this.faultRng = options.rng.fork('network-faults');
    this.latencyRng = options.rng.fork('network-latency');
  }

  /** Requests still waiting for an answer (late ones included). */
  get busy(): number {
    return this.sockets.size;
  }

  /** Drops every open request (at shutdown). */
  abortAll(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  private linkLatency(from: string, to: string): number {
    for (const l of this.options.faults.links ?? []) if (l.from === from && l.to === to && l.latency) return sampleLatency(l.latency, this.latencyRng);
    return 0;
  }

  /** Sends one request from service `from`. */
  send(from: string, config: HttpRequestConfig): Promise<HttpResponse> {
    const { trace, clock } = this.options;
    const method = (config.method ?? 'GET').toUpperCase();
    const url = String(config.url ?? '');
    const parsed = parseUrl(url);
    const headers = lowerCaseKeys(config.headers);
    const requestId = trace.nextId('req');
    const to = parsed?.host ?? '';
    const path = parsed?.path ?? url;
    const timeout = config.timeout !== undefined && config.timeout > 0 && Number.isFinite(config.timeout) ? config.timeout : 0;
    const body = jsonSafe(config.data);
    const correlationId = headers['x-correlation-id'] ?? requestId;
    const fields: TraceInput<'http.request'> = { source: from, target: to || '?', correlationId, requestId, method, path, url };
    if (body !== undefined) fields.body = body;
    if (Object.keys(headers).length > 0) fields.headers = headers;
    if (timeout) fields.timeout = timeout;
    const seq = trace.record('http.request', fields).seq;
    const exchange: Exchange = { requestId, seq, settled: false };
    this.exchanges.set(requestId, exchange);
    return new Promise<HttpResponse>((resolve, reject) => {
      const x: Outgoing = { exchange, from, to, method, path, correlationId, startedAt: clock.now(), config, timer: undefined, detach: () => undefined, resolve, reject };
      if (!parsed) {
        this.refuse(x, 'no-route', 'ENOTFOUND', `Invalid URL ${JSON.stringify(url)}: expected http://<service>/<path>`);
        return;
      }
      const signal = config.signal;
      if (signal?.aborted) {
        this.giveUp(x, 'canceled');
        return;
      }
      if (signal) {
        const onAbort = () => this.giveUp(x, 'canceled');
        signal.addEventListener('abort', onAbort, { once: true });
        x.detach = () => signal.removeEventListener('abort', onAbort);
      }
      if (timeout) x.timer = clock.after(timeout, () => this.giveUp(x, 'timeout'));
      if (partitioned(this.options.faults, from, to, clock.now())) {
        trace.record('fault', { source: from, target: to, correlationId, causationId: seq, fault: 'partition', detail: `${from} cannot reach ${to}: request lost`, requestId });
        return; // lost: only a timeout or an abort ends it
      }
      const delay = this.linkLatency(from, to);
      const go = () => void this.transmit(x, parsed, headers, body);
      if (delay > 0) clock.after(delay, go);
      else go();
    });
  }

  private async transmit(x: Outgoing, url: ParsedUrl, headers: Record<string, string>, body: unknown): Promise<void> {
    if (x.exchange.settled) return;
    let address;
    try {
      address = await this.options.directory.resolve(url.host, url.port);
    } catch {
      this.refuse(x, 'down', 'ECONNREFUSED', `connect ECONNREFUSED ${x.to}: it could not start listening`);
      return;
    }
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const out: Record<string, string> = {
      ...headers,
      [CALLER_HEADERS.from]: x.from,
      [CALLER_HEADERS.requestId]: x.exchange.requestId,
      [CALLER_HEADERS.origin]: this.origin,
    };
    if (payload !== undefined) {
      out['content-type'] ??= 'application/json';
      out['content-length'] = String(Buffer.byteLength(payload));
    }
    const send = url.secure ? httpsRequest : httpRequest;
    // No keep-alive: a stopped service refuses the next request at once, and nothing lingers at shutdown.
    const req = send({ host: address.host, port: address.port, method: x.method, path: url.path + (url.query ? `?${url.query}` : ''), headers: out, agent: false });
    this.sockets.add(req);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        this.sockets.delete(req);
        const data = bodyOf(Buffer.concat(chunks).toString('utf8'), res.headers['content-type']);
        this.arrive(x, res.statusCode ?? 0, flatHeaders(res), data);
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      this.sockets.delete(req);
      if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') this.refuse(x, 'unknown-service', 'ENOTFOUND', `getaddrinfo ENOTFOUND ${x.to}`);
      else if (e.code === 'ECONNREFUSED') this.refuse(x, 'down', 'ECONNREFUSED', `connect ECONNREFUSED ${x.to}`);
      else this.refuse(x, 'down', 'ECONNREFUSED', `${x.to} closed the connection before answering (${e.code ?? e.message})`);
    });
    if (payload !== undefined) req.write(payload);
    req.end();
  }

  private arrive(x: Outgoing, status: number, headers: Record<string, string>, data: unknown): void {
    const { trace, clock } = this.options;
    const { exchange } = x;
    if (partitioned(this.options.faults, x.to, x.from, clock.now())) {
      trace.record('fault', { source: x.to, target: x.from, correlationId: x.correlationId, causationId: exchange.seq, fault: 'partition', detail: `${x.to} cannot reach ${x.from}: response lost`, requestId: exchange.requestId });
      return;
    }
    const sentAt = exchange.sentAt ?? clock.now();
    const deliver = () => {
      this.exchanges.delete(exchange.requestId);
      const fields: TraceInput<'http.response'> = {
        source: x.to,
        target: x.from,
        correlationId: x.correlationId,
        causationId: exchange.seq,
        requestId: exchange.requestId,
        method: x.method,
        path: x.path,
        status,
        sentAt,
        durationMs: clock.now() - x.startedAt,
      };
      if (data !== undefined) fields.body = jsonSafe(data);
      if (exchange.settled) fields.late = true;
      trace.record('http.response', fields);
      if (exchange.settled) return;
      this.settle(x);
      const response: HttpResponse = { status, statusText: statusText(status), data, headers, config: x.config, requestId: exchange.requestId };
      let ok: boolean;
      try {
        ok = x.config.validateStatus ? x.config.validateStatus(status) : status >= 200 && status < 300;
      } catch (e) {
        x.reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      if (ok) x.resolve(response);
      else x.reject(new HttpStatusError(x.config, exchange.requestId, response));
    };
    const delay = this.linkLatency(x.to, x.from);
    if (delay > 0) clock.after(delay, deliver);
    else deliver();
  }

  private settle(x: Outgoing): void {
    x.exchange.settled = true;
    x.timer?.cancel();
    x.detach();
  }

  private refuse(x: Outgoing, reason: 'unknown-service' | 'down' | 'no-route', code: 'ENOTFOUND' | 'ECONNREFUSED', message: string): void {
    this.exchanges.delete(x.exchange.requestId);
    if (x.exchange.settled) return;
    this.settle(x);
    const { exchange } = x;
    this.options.trace.record('http.refused', { source: x.from, target: x.to || '?', correlationId: x.correlationId, causationId: exchange.seq, requestId: exchange.requestId, method: x.method, path: x.path, reason, code });
    x.reject(new HttpConnectionError(message, code, x.config, exchange.requestId));
  }

  private giveUp(x: Outgoing, why: 'timeout' | 'canceled'): void {
    if (x.exchange.settled) return;
    this.settle(x);
    const { exchange } = x;
    const base = { source: x.from, target: x.to, correlationId: x.correlationId, causationId: exchange.seq, requestId: exchange.requestId, method: x.method, path: x.path };
    if (why === 'timeout') {
      const ms = x.config.timeout!;
      this.options.trace.record('http.timeout', { ...base, timeoutMs: ms });
      x.reject(new HttpTimeoutError(x.config, exchange.requestId, ms));
    } else {
      this.options.trace.record('http.canceled', base);
      x.reject(new HttpCanceledError(x.config, exchange.requestId));
    }
  }
}

/**
 * An axios-shaped client on real HTTP for one calling service: the caller's
 * name travels in a header, so the server's `req.from` names it.
 *
 * @example
 * const res = await new RealHttpClient(network, 'order-service').post('http://payment-service/payments', { amount: 5 }, { timeout: 2000 });
 */
export class RealHttpClient extends AxiosVerbs {
  constructor(
    private readonly network: RealNetwork,
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
