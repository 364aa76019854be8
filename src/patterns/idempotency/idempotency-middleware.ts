import { jsonSafe, type Handler, type Request, type Response } from '../../sim/network.js';
import type { TraceRecorder } from '../../sim/trace.js';
import { MemoryIdempotencyStore, type IdempotencyStore, type StoredResponse } from './idempotency-store.js';
import { InvalidOptionError, oneOf, positiveOrInfinite } from '../options.js';
import type { Clock } from '../resilience/policy.js';

/** Options of {@link idempotencyKeys}. */
export interface IdempotencyOptions {
  /** The world's scheduler (for the wait limit and the default store). */
  clock: Clock;
  /** Where keys and responses are kept; default a {@link MemoryIdempotencyStore} (24 h). */
  store?: IdempotencyStore;
  /** Request header that carries the key; default `idempotency-key`. */
  header?: string;
  /** Refuse requests without a key (400)? Default false: they pass through unprotected. */
  required?: boolean;
  /**
   * A duplicate that arrives while the first request is still being handled:
   * `wait` (default) for the first response and replay it (409 after
   * `maxWaitMs`), or `reject` with 409 Conflict at once.
   */
  concurrent?: 'wait' | 'reject';
  /** Longest wait for a concurrent first request (ms); default 10 000. */
  maxWaitMs?: number;
  /**
   * Keep 5xx responses too? Default false: a 5xx (or a handler that threw)
   * forgets the key, so a retry runs the handler again.
   */
  storeServerErrors?: boolean;
  /** What a key is unique within; default caller + method + path. */
  scope?: (req: Request) => string;
  /** Trace to record `idempotency.replay` and `idempotency.conflict` in. */
  trace?: TraceRecorder;
}

const OWNER = 'idempotencyKeys';

/** Response header set on a replayed response. */
export const REPLAYED_HEADER = 'idempotent-replayed';

/**
 * Express-style middleware that makes a route safe to retry: the first
 * request with a given `Idempotency-Key` runs the handlers and its response
 * is kept; a repeat of the key gets the same response replayed (with
 * header `idempotent-replayed: true`) without running them again. The same
 * key with a different body is refused with 422; a duplicate that arrives
 * while the first is still running waits for it or gets 409.
 *
 * @example
 * const payments = world.service('payment');
 * payments.post('/payments', idempotencyKeys({ clock: world.scheduler }), (req) => charge(req.body));
 * // client: http.post('http://payment/payments', body, { headers: { 'Idempotency-Key': orderId } })
 */
export function idempotencyKeys(options: IdempotencyOptions): Handler {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError(OWNER, 'options', 'an object', options);
  const clock = options.clock;
  if (!clock || typeof clock.after !== 'function') throw new InvalidOptionError(OWNER, 'clock', 'the world scheduler (an object with now() and after())', clock);
  const store = options.store ?? new MemoryIdempotencyStore({ clock });
  const header = (options.header ?? 'idempotency-key').toLowerCase();
  const required = options.required ?? false;
  const concurrent = options.concurrent === undefined ? 'wait' : oneOf(OWNER, 'concurrent', options.concurrent, ['wait', 'reject']);
  const maxWaitMs = options.maxWaitMs === undefined ? 10_000 : positiveOrInfinite(OWNER, 'maxWaitMs', options.maxWaitMs);
  const storeServerErrors = options.storeServerErrors ?? false;
  const scope = options.scope ?? ((req: Request) => `${req.from} ${req.method} ${req.path}`);
  const trace = options.trace;
  /** Requests waiting for the first request with their key to finish. */
  const waiters = new Map<string, Array<() => void>>();

  const wake = (key: string) => {
    const list = waiters.get(key);
    if (!list) return;
    waiters.delete(key);
    for (const w of list) w();
  };
  const waitFor = (key: string): Promise<boolean> =>
    new Promise<boolean>((resolve) => {
      let list = waiters.get(key);
      if (!list) waiters.set(key, (list = []));
      const timer = maxWaitMs === Infinity ? undefined : clock.after(maxWaitMs, () => {
        const i = list!.indexOf(done);
        if (i >= 0) list!.splice(i, 1);
        resolve(false);
      });
      const done = () => {
        timer?.cancel();
        resolve(true);
      };
      list.push(done);
    });

  const conflict = (req: Request, res: Response, key: string, status: 409 | 422, reason: 'in-progress' | 'payload-mismatch') => {
    trace?.record('idempotency.conflict', { target: req.from, correlationId: req.correlationId, key, method: req.method, path: req.path, status, reason });
    res.status(status).json({
      error: reason === 'in-progress' ? 'idempotency_key_in_use' : 'idempotency_key_reused',
      message:
        reason === 'in-progress'
          ? `a request with Idempotency-Key "${key}" is still being processed`
          : `Idempotency-Key "${key}" was already used with a different request body`,
    });
  };

  return async (req, res, next) => {
    const key = req.headers[header];
    if (key === undefined || key === '') {
      if (required) res.status(400).json({ error: 'idempotency_key_missing', message: `this route needs an ${header} header` });
      else next();
      return;
    }
    const id = `${scope(req)} ${key}`;
    const fingerprint = stableStringify(req.body);
    for (;;) {
      const record = store.get(id);
      if (record === undefined) break;
      if (record.fingerprint !== fingerprint) return conflict(req, res, key, 422, 'payload-mismatch');
      if (record.state === 'completed') return replay(req, res, key, record.response);
      if (concurrent === 'reject' || !(await waitFor(id))) return conflict(req, res, key, 409, 'in-progress');
      // The first request finished (or was forgotten): look again.
    }
    store.begin(id, fingerprint);
    onSent(res, (sent) => {
      if (sent.status >= 500 && !storeServerErrors) store.release(id);
      else store.complete(id, sent);
      wake(id);
    });
    next();
  };

  function replay(req: Request, res: Response, key: string, response: StoredResponse): void {
    trace?.record('idempotency.replay', { target: req.from, correlationId: req.correlationId, key, method: req.method, path: req.path, status: response.status });
    for (const name of Object.keys(response.headers)) res.set(name, response.headers[name]!);
    res.set(REPLAYED_HEADER, 'true');
    if (response.body === undefined) res.status(response.status).end();
    else res.status(response.status).json(response.body);
  }
}

/**
 * Calls `listener` once with what a response sent, whichever of its methods
 * sent it (handlers that return a value are sent through `res.json`).
 */
function onSent(res: Response, listener: (sent: StoredResponse) => void): void {
  const headers: Record<string, string> = {};
  let reported = false;
  const report = (body: unknown) => {
    if (reported || res.headersSent) return;
    reported = true;
    listener({ status: res.statusCode, headers: { ...headers }, body: jsonSafe(body) });
  };
  const r = res as unknown as Record<string, (...args: unknown[]) => unknown>;
  const original = { set: r['set']!, json: r['json']!, send: r['send']!, sendStatus: r['sendStatus']!, end: r['end']! };
  r['set'] = function (this: unknown, name: unknown, value: unknown) {
    headers[String(name).toLowerCase()] = String(value);
    return original.set.call(res, name, value);
  };
  r['json'] = (body: unknown) => {
    report(body);
    return original.json.call(res, body);
  };
  r['send'] = (body: unknown) => {
    report(body);
    return original.send.call(res, body);
  };
  r['end'] = () => {
    report(undefined);
    return original.end.call(res);
  };
  r['sendStatus'] = (code: unknown) => {
    res.status(code as number);
    report(undefined);
    return original.sendStatus.call(res, code);
  };
}

/** JSON with object keys sorted, so equal bodies give equal fingerprints. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}
