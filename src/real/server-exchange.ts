import type { Request as ExpressRequest, Response as ExpressResponse } from 'express';
import { jsonSafe, type Request, type Response, type TraceInput } from '../sim/index.js';
import { CALLER_HEADERS, type RealNetwork } from './real-network.js';

/** What a service's middleware keep about one request (in `res.locals`). */
export interface ServerExchange {
  /** The request as a playground handler sees it. */
  req: Request;
  /** The response as a playground handler builds it. */
  res: Reply;
  /** The fault plan was applied to this request already (a request may pass several routes). */
  faulted: boolean;
}

const LOCALS_KEY = 'sppExchange';

/** The exchange of an Express request, made by {@link openExchange}. */
export function exchangeOf(xres: ExpressResponse): ServerExchange {
  return xres.locals[LOCALS_KEY] as ServerExchange;
}

function header(xreq: ExpressRequest, name: string): string | undefined {
  const v = xreq.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Query values as the simulation gives them: one string per name (the last one when repeated). */
function flatQuery(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, unknown>)) out[k] = Array.isArray(v) ? String(v[v.length - 1]) : String(v);
  return out;
}

/**
 * The response a playground handler builds (the simulation's `Response`
 * shape) on top of Express's: the first answer is sent as JSON, a second one
 * is ignored with a warning, as in the simulation.
 */
export class Reply implements Response {
  statusCode = 200;
  headersSent = false;
  private readonly extra: Record<string, string> = {};

  constructor(
    private readonly xres: ExpressResponse,
    private readonly onSend: (status: number, body: unknown) => void,
    private readonly onSecondAnswer: () => void,
  ) {}

  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  set(name: string, value: string): this {
    this.extra[name.toLowerCase()] = String(value);
    return this;
  }
  header(name: string, value: string): this {
    return this.set(name, value);
  }
  json(body?: unknown): void {
    this.answer(body);
  }
  send(body?: unknown): void {
    this.answer(body);
  }
  sendStatus(code: number): void {
    this.status(code).answer(undefined);
  }
  end(): void {
    this.answer(undefined);
  }

  private answer(body: unknown): void {
    if (this.headersSent) return this.onSecondAnswer();
    this.headersSent = true;
    const payload = jsonSafe(body);
    this.onSend(this.statusCode, payload);
    const xres = this.xres;
    if (xres.destroyed || xres.writableEnded) return;
    xres.status(this.statusCode).set(this.extra);
    if (payload === undefined) xres.end();
    else xres.json(payload);
  }
}

/**
 * Starts the server side of one request for service `service`: builds the
 * playground's `Request` (caller, request id and correlation id from the
 * caller's headers) and `Response`, and records the exchange in the trace.
 * A request from this same process was recorded by its client already; one
 * from elsewhere (another `spp` process, curl) gets its `http.request` and
 * `http.response` events here.
 */
export function openExchange(service: string, network: RealNetwork, xreq: ExpressRequest, xres: ExpressResponse, warn: (message: string) => void): ServerExchange {
  const { trace, clock } = network.options;
  const from = header(xreq, CALLER_HEADERS.from) ?? 'client';
  const local = header(xreq, CALLER_HEADERS.origin) === network.origin;
  const requestId = header(xreq, CALLER_HEADERS.requestId) ?? trace.nextId('req');
  const correlationId = header(xreq, 'x-correlation-id') ?? requestId;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(xreq.headers)) if (v !== undefined && !k.startsWith('x-spp-')) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const req: Request = {
    method: xreq.method,
    path: xreq.path,
    url: xreq.originalUrl,
    params: {},
    query: flatQuery(xreq.query),
    headers,
    body: xreq.body,
    from,
    requestId,
    correlationId,
  };
  const arrivedAt = clock.now();
  let seq: number | undefined;
  if (!local) {
    const fields: TraceInput<'http.request'> = { source: from, target: service, correlationId, requestId, method: req.method, path: req.path, url: req.url };
    if (req.body !== undefined) fields.body = jsonSafe(req.body);
    seq = trace.record('http.request', fields).seq;
  }
  const onSend = (status: number, body: unknown) => {
    const sentAt = clock.now();
    const mine = local ? network.exchanges.get(requestId) : undefined;
    if (mine) mine.sentAt = sentAt;
    if (local) return;
    const fields: TraceInput<'http.response'> = { source: service, target: from, correlationId, causationId: seq, requestId, method: req.method, path: req.path, status, sentAt, durationMs: sentAt - arrivedAt };
    if (body !== undefined) fields.body = body;
    trace.record('http.response', fields);
  };
  const res = new Reply(xres, onSend, () => warn(`${req.method} ${req.path}: the response was already sent; a second one was ignored`));
  const exchange: ServerExchange = { req, res, faulted: false };
  xres.locals[LOCALS_KEY] = exchange;
  return exchange;
}
