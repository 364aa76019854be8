/**
 * Services and the HTTP client of real mode, in this process on loopback:
 * the playground's request fields, the simulation's error classes, the
 * trace events, and the fault plan applied by the services.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HttpCanceledError, HttpConnectionError, HttpStatusError, HttpTimeoutError, type FaultPlan, type TraceEvent, type TraceKind } from '../../src/sim/index.js';
import { RealHost } from '../../src/real/real-host.js';
import { ServiceDirectory } from '../../src/real/service-directory.js';

let host: RealHost | undefined;

function realHost(options: { faults?: FaultPlan; timeScale?: number } = {}): RealHost {
  host = new RealHost({ amqpUrl: 'amqp://127.0.0.1:1', directory: new ServiceDirectory(), seed: 7, ...options });
  return host;
}

afterEach(async () => {
  await host?.shutdown();
  host = undefined;
});

const kinds = (events: readonly TraceEvent[], ...wanted: TraceKind[]) => events.filter((e) => wanted.includes(e.kind)).map((e) => e.kind);

describe('real services and client', () => {
  it("give handlers the playground's request fields and record request and response", async () => {
    const h = realHost();
    h.service('echo').get('/items/:id', (req) => ({
      from: req.from,
      requestId: req.requestId,
      correlationId: req.correlationId,
      id: req.params['id'],
      query: req.query,
      header: req.headers['x-tenant'],
      path: req.path,
    }));
    h.service('echo').post('/items', (req, res) => res.status(201).json({ got: req.body }));
    const caller = h.service('orders');
    const got = await caller.http.get('http://echo/items/42?colour=red', { headers: { 'X-Tenant': 'acme', 'X-Correlation-Id': 'order-7' } });
    expect(got.status).toBe(200);
    expect(got.data).toEqual({ from: 'orders', requestId: 'req-1', correlationId: 'order-7', id: '42', query: { colour: 'red' }, header: 'acme', path: '/items/42' });
    const posted = await h.http.post('http://echo/items', { n: 1 });
    expect(posted.status).toBe(201);
    expect(posted.data).toEqual({ got: { n: 1 } });
    const [request, response] = h.trace.events.filter((e) => e.kind === 'http.request' || e.kind === 'http.response');
    expect(request).toMatchObject({ kind: 'http.request', source: 'orders', target: 'echo', requestId: 'req-1', correlationId: 'order-7', path: '/items/42' });
    expect(response).toMatchObject({ kind: 'http.response', source: 'echo', target: 'orders', status: 200, causationId: request!.seq });
  });

  it('answer a thrown error with 500 and an unknown route with 404, as HttpStatusError', async () => {
    const h = realHost();
    h.service('shaky').get('/boom', () => {
      throw new Error('disk full');
    });
    const boom = await h.http.get('http://shaky/boom').catch((e: unknown) => e);
    expect(boom).toBeInstanceOf(HttpStatusError);
    expect((boom as HttpStatusError).status).toBe(500);
    expect((boom as HttpStatusError).response.data).toEqual({ error: 'disk full' });
    expect(h.trace.events.some((e) => e.kind === 'log' && e.source === 'shaky' && e.level === 'error' && e.message === 'GET /boom failed: disk full')).toBe(true);
    const missing = await h.http.get('http://shaky/nothing-here').catch((e: unknown) => e);
    expect((missing as HttpStatusError).status).toBe(404);
    expect((missing as HttpStatusError).response.data).toEqual({ error: 'Cannot GET /nothing-here' });
  });

  it('time out with HttpTimeoutError, and record the answer that comes later as late', async () => {
    const h = realHost();
    h.service('slow').get('/report', async () => {
      await h.clock.sleep(300);
      return { done: true };
    });
    const error = await h.http.get('http://slow/report', { timeout: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpTimeoutError);
    expect((error as HttpTimeoutError).timeoutMs).toBe(100);
    await h.clock.sleep(400);
    expect(kinds(h.trace.events, 'http.request', 'http.timeout', 'http.response')).toEqual(['http.request', 'http.timeout', 'http.response']);
    expect(h.trace.events.find((e) => e.kind === 'http.response')).toMatchObject({ late: true, status: 200 });
  });

  it('cancel with HttpCanceledError when the signal aborts', async () => {
    const h = realHost();
    h.service('slow').get('/report', () => h.clock.sleep(300).then(() => ({ done: true })));
    const controller = new AbortController();
    const pending = h.http.get('http://slow/report', { signal: controller.signal }).catch((e: unknown) => e);
    await h.clock.sleep(50);
    controller.abort();
    expect(await pending).toBeInstanceOf(HttpCanceledError);
    expect(kinds(h.trace.events, 'http.canceled')).toEqual(['http.canceled']);
  });

  it('refuse connections to a stopped service with HttpConnectionError, and serve again after start()', async () => {
    const h = realHost();
    const svc = h.service('stock');
    svc.get('/ping', () => ({ pong: true }));
    await h.listening();
    svc.stop();
    await h.clock.sleep(20);
    const refused = await h.http.get('http://stock/ping').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpConnectionError);
    expect((refused as HttpConnectionError).code).toBe('ECONNREFUSED');
    svc.start();
    await h.clock.sleep(20);
    expect((await h.http.get('http://stock/ping')).data).toEqual({ pong: true });
    expect(h.trace.events.filter((e) => e.kind === 'service.status').map((e) => (e.kind === 'service.status' ? e.up : undefined))).toEqual([false, true]);
  });

  it("apply the fault plan's error rate and latency before the handler", async () => {
    const h = realHost({
      faults: { services: { payments: { latency: { kind: 'fixed', ms: 200 } } }, routes: [{ service: 'payments', path: '/charges/:id', method: 'POST', errorRate: 1, errorStatus: 503 }] },
    });
    let handled = 0;
    h.service('payments').post('/charges/:id', () => ({ handled: ++handled }));
    h.service('payments').get('/charges/:id', () => ({ handled: ++handled }));
    const failed = await h.http.post('http://payments/charges/9').catch((e: unknown) => e);
    expect((failed as HttpStatusError).status).toBe(503);
    expect((failed as HttpStatusError).response.data).toEqual({ error: 'Service Unavailable (injected fault)' });
    const ok = await h.http.get('http://payments/charges/9');
    expect(ok.data).toEqual({ handled: 1 });
    const faults = h.trace.events.filter((e) => e.kind === 'fault').map((e) => (e.kind === 'fault' ? e.fault : ''));
    expect(faults).toEqual(['latency', 'error', 'latency']);
    const slowed = h.trace.events.find((e) => e.kind === 'http.response' && e.status === 200);
    expect(slowed?.kind === 'http.response' && slowed.durationMs).toBeGreaterThanOrEqual(200);
  });

  it("refuse connections inside the plan's down windows, on the program's clock", async () => {
    const h = realHost({ faults: { services: { stock: { down: [{ from: 0, to: 2_000 }] } } }, timeScale: 10 });
    h.service('stock').get('/ping', () => ({ pong: true }));
    await h.listening();
    await h.clock.sleep(100);
    const refused = await h.http.get('http://stock/ping').catch((e: unknown) => e);
    expect((refused as HttpConnectionError).code).toBe('ECONNREFUSED');
    await h.clock.sleep(2_500 - h.clock.now());
    expect((await h.http.get('http://stock/ping')).data).toEqual({ pong: true });
  });
});

describe('the real clock', () => {
  it('runs the program time-scale times faster than the wall clock', async () => {
    const h = realHost({ timeScale: 20 });
    const wall = Date.now();
    await h.clock.sleep(2_000);
    const took = Date.now() - wall;
    expect(took).toBeGreaterThanOrEqual(90);
    expect(took).toBeLessThan(1_000);
    expect(h.clock.now()).toBeGreaterThanOrEqual(2_000);
  });
});
