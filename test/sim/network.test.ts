import { describe, expect, it } from 'vitest';
import { createWorld } from '../../src/sim/world.js';
import { HttpConnectionError, HttpStatusError, HttpTimeoutError, HttpCanceledError } from '../../src/sim/http-errors.js';
import type { FaultPlan } from '../../src/sim/faults.js';

function paymentWorld(faults?: FaultPlan) {
  const world = createWorld({ seed: 1, ...(faults ? { faults } : {}) });
  world.service('payment').post('/payments', async (req, res) => {
    await world.sleep(100);
    res.status(201).json({ id: `pay-${req.body.orderId}`, amount: req.body.amount });
  });
  return world;
}

/** Runs `fn` inside the world and returns its outcome once the world is quiet. */
async function within<T>(world: ReturnType<typeof createWorld>, fn: () => Promise<T>) {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  fn().then(
    (value) => (outcome = { ok: true, value }),
    (error: unknown) => (outcome = { ok: false, error }),
  );
  await world.run();
  if (!outcome) throw new Error('the call never settled');
  return outcome;
}

describe('simulated HTTP', () => {
  it('answers a POST with status, body and headers, in virtual time, and traces both legs', async () => {
    const world = paymentWorld();
    const out = await within(world, () => world.service('orders').http.post('http://payment/payments', { orderId: 7, amount: 30 }, { headers: { 'X-Correlation-Id': 'order-7' } }));
    expect(out).toMatchObject({ ok: true, value: { status: 201, statusText: 'Created', data: { id: 'pay-7', amount: 30 } } });
    expect(world.now()).toBe(102); // 1 ms there, 100 ms of work, 1 ms back
    const [req, res] = world.events;
    expect(req).toMatchObject({ kind: 'http.request', source: 'orders', target: 'payment', method: 'POST', path: '/payments', correlationId: 'order-7', time: 0 });
    expect(res).toMatchObject({ kind: 'http.response', source: 'payment', target: 'orders', status: 201, sentAt: 101, durationMs: 102, time: 102, causationId: req!.seq });
  });

  it('port numbers, route params, query strings and middleware work like Express', async () => {
    const world = createWorld();
    const auth = (req: { headers: Record<string, string> }, res: { status(c: number): { json(b: unknown): void } }, next: () => void) => {
      if (req.headers['authorization'] !== 'Bearer ok') return res.status(401).json({ error: 'no token' });
      next();
    };
    world.service('orders').get('/orders/:id', auth, (req) => ({ id: req.params['id'], expand: req.query['expand'] }));
    const ok = await within(world, () => world.http.get('http://orders:3000/orders/42?expand=items', { headers: { Authorization: 'Bearer ok' } }));
    expect(ok).toMatchObject({ ok: true, value: { status: 200, data: { id: '42', expand: 'items' } } });
    const denied = await within(world, () => world.http.get('http://orders/orders/42'));
    expect(denied.ok).toBe(false);
    expect((denied as { error: HttpStatusError }).error.response.status).toBe(401);
    const missing = await within(world, () => world.http.post('http://orders/nowhere'));
    expect((missing as { error: HttpStatusError }).error.response).toMatchObject({ status: 404, data: { error: 'Cannot POST /nowhere' } });
  });

  it('next() after a route\'s last handler, or next(\'route\'), goes on to the next matching route, as in Express; 404 when none is left', async () => {
    const world = createWorld();
    const seen: string[] = [];
    const orders = world.service('orders');
    // A route that only looks, then passes the request on.
    orders.get('/orders/:id', (req, _res, next) => {
      seen.push(`audit ${req.params['id']}`);
      next();
    });
    orders.get('/orders/latest', () => ({ which: 'latest' }));
    orders.get('/orders/:orderId', (req) => ({ which: 'by id', id: req.params['orderId'] }));
    orders.get('/reports', (_req, _res, next) => next());
    // next('route') skips the rest of its route.
    orders.get('/orders/:id/items', (_req, _res, next) => next('route'), () => ({ which: 'skipped' }));
    orders.get('/orders/:id/items', (req) => ({ which: 'items', id: req.params['id'] }));
    const latest = await within(world, () => world.http.get('http://orders/orders/latest'));
    expect(latest).toMatchObject({ ok: true, value: { status: 200, data: { which: 'latest' } } });
    const byId = await within(world, () => world.http.get('http://orders/orders/42'));
    expect(byId).toMatchObject({ ok: true, value: { status: 200, data: { which: 'by id', id: '42' } } });
    expect(seen).toEqual(['audit latest', 'audit 42']);
    const items = await within(world, () => world.http.get('http://orders/orders/7/items'));
    expect(items).toMatchObject({ ok: true, value: { data: { which: 'items', id: '7' } } });
    const none = await within(world, () => world.http.get('http://orders/reports'));
    expect((none as { error: HttpStatusError }).error.response).toMatchObject({ status: 404, data: { error: 'Cannot GET /reports' } });
  });

  it('a non-2xx response rejects with an error carrying response.status; a thrown handler error is a 500', async () => {
    const world = createWorld();
    world.service('inventory').post('/reserve', () => {
      throw new Error('database is on fire');
    });
    const out = await within(world, () => world.http.post('http://inventory/reserve', {}));
    expect(out.ok).toBe(false);
    const err = (out as { error: HttpStatusError }).error;
    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err.code).toBe('ERR_BAD_RESPONSE');
    expect(err.response.status).toBe(500);
    expect(err.response.data).toEqual({ error: 'database is on fire' });
    expect(world.events.some((e) => e.kind === 'log' && e.level === 'error' && e.source === 'inventory')).toBe(true);
  });

  it('a timeout rejects with a typed error at exactly the timeout, and the late response is traced', async () => {
    const world = paymentWorld();
    const out = await within(world, () => world.http.post('http://payment/payments', { orderId: 1, amount: 5 }, { timeout: 50 }));
    expect(out.ok).toBe(false);
    const err = (out as { error: HttpTimeoutError }).error;
    expect(err).toBeInstanceOf(HttpTimeoutError);
    expect(err.code).toBe('ECONNABORTED');
    expect(err.message).toBe('timeout of 50ms exceeded');
    const timeout = world.events.find((e) => e.kind === 'http.timeout');
    expect(timeout?.time).toBe(50);
    const late = world.events.find((e) => e.kind === 'http.response');
    expect(late).toMatchObject({ late: true, time: 102 });
  });

  it('an injected error rate answers with the configured status without reaching the handler', async () => {
    const world = paymentWorld({ services: { payment: { errorRate: 1, errorStatus: 503 } } });
    const out = await within(world, () => world.http.post('http://payment/payments', { orderId: 1, amount: 5 }));
    expect((out as { error: HttpStatusError }).error.response.status).toBe(503);
    expect(world.events.filter((e) => e.kind === 'fault').map((e) => (e as { fault: string }).fault)).toEqual(['error']);
    expect(world.now()).toBe(2);
  });

  it('about errorRate of the calls fail', async () => {
    const world = paymentWorld({ services: { payment: { errorRate: 0.25 } } });
    let failed = 0;
    for (let i = 0; i < 400; i++) world.http.post('http://payment/payments', { orderId: i, amount: 1 }).catch(() => failed++);
    await world.run();
    expect(failed).toBeGreaterThan(70);
    expect(failed).toBeLessThan(130);
  });

  it('a down window refuses connections inside [from, to) and serves outside it', async () => {
    const world = paymentWorld({ services: { payment: { down: [{ from: 1000, to: 2000 }] } } });
    const results: Array<[number, string]> = [];
    // Each request is sent 1 ms before t and arrives at t.
    for (const t of [500, 999, 1000, 1500, 1999, 2000]) {
      world.scheduler.at(t - 1, () => {
        world.http.post('http://payment/payments', { orderId: t, amount: 1 }).then(
          () => results.push([t, 'ok']),
          (e: HttpConnectionError) => results.push([t, e.code]),
        );
      });
    }
    await world.run();
    expect(results.sort((a, b) => a[0] - b[0])).toEqual([
      [500, 'ok'],
      [999, 'ok'],
      [1000, 'ECONNREFUSED'],
      [1500, 'ECONNREFUSED'],
      [1999, 'ECONNREFUSED'],
      [2000, 'ok'],
    ]);
    expect(world.events.filter((e) => e.kind === 'http.refused').every((e) => (e as { reason: string }).reason === 'down')).toBe(true);
  });

  it('a partition loses requests: the caller only learns of it by its timeout', async () => {
    const world = paymentWorld({ partitions: [{ a: 'payment', b: 'orders', from: 0, to: 5000 }] });
    const cut = await within(world, () => world.service('orders').http.post('http://payment/payments', { orderId: 1, amount: 1 }, { timeout: 3000 }));
    expect((cut as { error: HttpTimeoutError }).error).toBeInstanceOf(HttpTimeoutError);
    expect(world.now()).toBe(3000);
    expect(world.events.some((e) => e.kind === 'fault' && e.fault === 'partition')).toBe(true);
    // Another caller is not partitioned.
    const other = await within(world, () => world.service('web').http.post('http://payment/payments', { orderId: 2, amount: 1 }));
    expect(other.ok).toBe(true);
  });

  it('an unknown service is a connection error (ENOTFOUND)', async () => {
    const world = createWorld();
    const out = await within(world, () => world.http.get('http://ghost/anything'));
    const err = (out as { error: HttpConnectionError }).error;
    expect(err).toBeInstanceOf(HttpConnectionError);
    expect(err.code).toBe('ENOTFOUND');
    expect(world.events.at(-1)).toMatchObject({ kind: 'http.refused', reason: 'unknown-service' });
  });

  it('an AbortSignal cancels a request in flight', async () => {
    const world = paymentWorld();
    const ctl = new AbortController();
    world.scheduler.at(20, () => ctl.abort());
    const out = await within(world, () => world.http.post('http://payment/payments', { orderId: 1, amount: 1 }, { signal: ctl.signal }));
    expect((out as { error: HttpCanceledError }).error).toBeInstanceOf(HttpCanceledError);
    expect(world.events.find((e) => e.kind === 'http.canceled')?.time).toBe(20);
  });

  it('latency faults per service and per link shape the timing', async () => {
    const world = paymentWorld({
      services: { payment: { latency: { kind: 'fixed', ms: 400 } } },
      links: [{ from: 'orders', to: 'payment', latency: { kind: 'fixed', ms: 25 } }],
    });
    await within(world, () => world.service('orders').http.post('http://payment/payments', { orderId: 1, amount: 1 }));
    // 25 ms there, 400 ms injected, 100 ms of work, 1 ms back (the reverse link has no fault)
    expect(world.now()).toBe(526);
  });

  it('a stopped service refuses until started again', async () => {
    const world = paymentWorld();
    const payment = world.service('payment');
    payment.stop();
    const refused = await within(world, () => world.http.post('http://payment/payments', { orderId: 1, amount: 1 }));
    expect((refused as { error: HttpConnectionError }).error.code).toBe('ECONNREFUSED');
    payment.start();
    const ok = await within(world, () => world.http.post('http://payment/payments', { orderId: 1, amount: 1 }));
    expect(ok.ok).toBe(true);
    expect(world.events.filter((e) => e.kind === 'service.status').map((e) => (e as { up: boolean }).up)).toEqual([false, true]);
  });

  it('bodies cross the network as copies', async () => {
    const world = createWorld();
    const stored: unknown[] = [];
    world.service('store').post('/things', (req) => {
      stored.push(req.body);
      req.body.mutated = true;
      return { saved: true };
    });
    const body = { name: 'x', when: new Date(0) };
    await within(world, () => world.http.post('http://store/things', body));
    expect(body).toEqual({ name: 'x', when: new Date(0) });
    expect(stored[0]).toEqual({ name: 'x', when: '1970-01-01T00:00:00.000Z', mutated: true });
  });
});

describe('bodies cross as JSON would carry them', () => {
  it('copies flat and nested bodies exactly as a JSON round trip does', async () => {
    const { jsonSafe } = await import('../../src/sim/network.js');
    const cases: unknown[] = [
      { a: 1, b: 'x', c: true, d: null, e: undefined, f: () => 1, g: NaN, h: -0, i: Infinity },
      { nested: { when: new Date(0), list: [1, undefined, () => 2] } },
      { toJSON: () => ({ replaced: true }), other: 1 },
      Object.assign(Object.create({ inherited: 1 }), { own: 2 }),
      [1, 'two', { three: 3 }],
    ];
    for (const c of cases) expect(JSON.stringify(jsonSafe(c))).toBe(JSON.stringify(JSON.parse(JSON.stringify(c))));
    const original = { n: 1 };
    expect(jsonSafe(original)).not.toBe(original);
  });
});

describe('Express-like handling', () => {
  it('a handler may answer later from a callback; a second answer is ignored with a warning', async () => {
    const world = createWorld();
    world.service('slow').get('/later', (_req, res) => {
      setTimeoutVirtual(world, 50, () => res.status(201).json({ late: true }));
      setTimeoutVirtual(world, 60, () => res.json({ again: true }));
    });
    const out = await within(world, () => world.http.get('http://slow/later'));
    expect(out).toMatchObject({ ok: true, value: { status: 201, data: { late: true } } });
    expect(world.events.some((e) => e.kind === 'log' && e.level === 'warn' && /already sent/.test(e.message))).toBe(true);
  });

  it('routes match in registration order, and a malformed escape does not break the run', async () => {
    const world = createWorld();
    world.service('s').get('/items/:id', (req) => ({ by: 'param', id: req.params['id'] })).get('/items/new', () => ({ by: 'exact' }));
    const first = await within(world, () => world.http.get('http://s/items/new'));
    expect(first).toMatchObject({ value: { data: { by: 'param', id: 'new' } } });
    const odd = await within(world, () => world.http.get('http://s/items/100%?q=%zz'));
    expect(odd).toMatchObject({ value: { data: { id: '100%' } } });
  });

  it('changing a response or request headers in user code does not change the recorded trace', async () => {
    const world = createWorld();
    world.service('s').post('/x', (req) => {
      req.headers['x-added'] = 'by middleware';
      return { list: [1] };
    });
    const out = await within(world, () => world.http.post('http://s/x', {}, { headers: { a: 'b' } }));
    (out as { value: { data: { list: number[] } } }).value.data.list.push(99);
    const req = world.events.find((e) => e.kind === 'http.request') as { headers?: Record<string, string> };
    const res = world.events.find((e) => e.kind === 'http.response') as { body?: { list: number[] } };
    expect(req.headers).toEqual({ a: 'b' });
    expect(res.body).toEqual({ list: [1] });
  });
});

function setTimeoutVirtual(world: ReturnType<typeof createWorld>, ms: number, fn: () => void) {
  world.scheduler.after(ms, fn);
}
