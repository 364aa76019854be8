import type { SimContext } from './context.js';
import { partitioned, sampleLatency, type RouteFaults, type ServiceFaults } from './faults.js';
import { HttpClient, type RequestSender } from './http-client.js';
import { HttpStatusError, statusText, type HttpRequestConfig, type HttpResponse } from './http-errors.js';
import { jsonSafe } from './json-safe.js';
import { PendingRequest, type Refusal } from './pending-request.js';
import { lowerKeys, parseQuery, parseRequestUrl, type ParsedUrl } from './request-parsing.js';
import type { Rng } from './rng.js';
import { Service, type Reply } from './service.js';
import type { TraceInput } from './trace.js';

// The network's parts live in their own files; this module stays the one to import them from.
export { AxiosVerbs, HttpClient, type RequestSender } from './http-client.js';
export { jsonSafe } from './json-safe.js';
export { createLogger, Service, type Handler, type Logger, type Request, type Response } from './service.js';

const NO_ROUTE: Refusal = { reason: 'no-route', code: 'ENOTFOUND' };
const UNKNOWN_SERVICE: Refusal = { reason: 'unknown-service', code: 'ENOTFOUND' };
const DOWN: Refusal = { reason: 'down', code: 'ECONNREFUSED' };

/**
 * The simulated network: routes requests between services with latency,
 * timeouts and the faults of the plan, recording each step in the trace.
 */
export class Network implements RequestSender {
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
      s = new Service(name, this.ctx, new HttpClient(this, name));
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
      parsed = parseRequestUrl(url);
      if (!parsed) return undefined;
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
      const p = new PendingRequest({ trace: ctx.trace, id, seq, from, to: host, method, path, correlationId, startedAt: ctx.scheduler.now(), config, resolve, reject });
      if (!parsed) {
        ctx.scheduler.after(0, () => p.refuse(NO_ROUTE, `Invalid URL ${JSON.stringify(url)}: expected http://<service>/<path>`));
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
        ctx.scheduler.after(0, () => p.refuse(UNKNOWN_SERVICE, `getaddrinfo ENOTFOUND ${host}`));
        return;
      }
      if (ctx.faults.partitions && partitioned(ctx.faults, from, host, ctx.scheduler.now())) {
        ctx.trace.record('fault', { source: from, target: host, correlationId, causationId: seq, fault: 'partition', detail: `${from} cannot reach ${host}: request lost`, requestId: id });
        return; // lost: only a timeout or an abort ends it
      }
      ctx.scheduler.after(this.linkLatency(from, host), () => this.arrive(target, p, headers, body, parsed.query));
    });
  }

  private arrive(service: Service, p: PendingRequest, headers: Record<string, string>, body: unknown, rawQuery: string | undefined): void {
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
      service.handle(found.route, {
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

  private reply(p: PendingRequest, r: { refused: true } | Reply): void {
    const { ctx } = this;
    const sentAt = ctx.scheduler.now();
    if (ctx.faults.partitions && partitioned(ctx.faults, p.to, p.from, sentAt)) {
      ctx.trace.record('fault', { source: p.to, target: p.from, correlationId: p.correlationId, causationId: p.seq, fault: 'partition', detail: `${p.to} cannot reach ${p.from}: response lost`, requestId: p.id });
      return;
    }
    ctx.scheduler.after(this.linkLatency(p.to, p.from), () => {
      if ('refused' in r) {
        p.refuse(DOWN, `connect ECONNREFUSED ${p.to}`);
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
