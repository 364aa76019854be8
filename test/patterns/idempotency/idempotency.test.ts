import { describe, expect, it } from 'vitest';
import { deduplicate, MemoryProcessedStore, type ProcessedStore } from '../../../src/patterns/idempotency/deduplicate.js';
import { idempotencyKeys, REPLAYED_HEADER, type IdempotencyOptions } from '../../../src/patterns/idempotency/idempotency-middleware.js';
import { MemoryIdempotencyStore } from '../../../src/patterns/idempotency/idempotency-store.js';
import type { HttpResponse } from '../../../src/sim/http-errors.js';
import { createWorld, type World } from '../../../src/sim/world.js';
import { runIn } from '../helpers.js';

/** A payment service whose POST /payments takes `ms` and counts its charges. */
function payments(world: World, options: Partial<IdempotencyOptions> = {}, ms = 0, fail = () => false) {
  const charges: unknown[] = [];
  world.service('payment').post('/payments', idempotencyKeys({ clock: world.scheduler, trace: world.trace, ...options }), async (req, res) => {
    if (ms) await world.sleep(ms);
    if (fail()) throw new Error('card processor down');
    charges.push(req.body);
    res.status(201).set('x-charge-id', `ch-${charges.length}`).json({ charged: req.body.amount, n: charges.length });
  });
  return charges;
}

const send = (world: World, key: string | undefined, body: unknown = { amount: 5 }, from = world.http): Promise<HttpResponse> =>
  from.post('http://payment/payments', body, { headers: key === undefined ? {} : { 'Idempotency-Key': key }, validateStatus: () => true });

describe('idempotency keys (HTTP middleware)', () => {
  it('a repeated key replays the first response without charging again', async () => {
    const world = createWorld();
    const charges = payments(world);
    const out = await runIn(world, async () => [await send(world, 'order-1'), await send(world, 'order-1')]);
    const [first, second] = (out as { value: HttpResponse[] }).value;
    expect(charges).toHaveLength(1);
    expect(first!.status).toBe(201);
    expect(second!.status).toBe(201);
    expect(second!.data).toEqual(first!.data);
    expect(second!.headers['x-charge-id']).toBe('ch-1');
    expect(second!.headers[REPLAYED_HEADER]).toBe('true');
    expect(first!.headers[REPLAYED_HEADER]).toBeUndefined();
    expect(world.events.filter((e) => e.kind === 'idempotency.replay')).toMatchObject([{ key: 'order-1', status: 201, method: 'POST', path: '/payments' }]);
  });

  it('a handler that returns its value (no res.json) is replayed too', async () => {
    const world = createWorld();
    let runs = 0;
    world.service('api').put('/items/:id', idempotencyKeys({ clock: world.scheduler }), (req) => ({ id: req.params['id'], run: ++runs }));
    const put = () => world.http.put('http://api/items/7', { x: 1 }, { headers: { 'idempotency-key': 'k' } });
    const out = await runIn(world, async () => [(await put()).data, (await put()).data]);
    expect(out).toEqual({ ok: true, value: [{ id: '7', run: 1 }, { id: '7', run: 1 }] });
  });

  it('a concurrent duplicate waits for the first response', async () => {
    const world = createWorld();
    const charges = payments(world, {}, 500);
    const out = await runIn(world, () => Promise.all([send(world, 'k'), send(world, 'k')]));
    const [a, b] = (out as { value: HttpResponse[] }).value;
    expect(charges).toHaveLength(1);
    expect([a!.status, b!.status]).toEqual([201, 201]);
    expect(b!.data).toEqual(a!.data);
  });

  it('or gets 409 when told not to wait', async () => {
    const world = createWorld();
    const charges = payments(world, { concurrent: 'reject' }, 500);
    const out = await runIn(world, () => Promise.all([send(world, 'k'), send(world, 'k')]));
    const [a, b] = (out as { value: HttpResponse[] }).value;
    expect(charges).toHaveLength(1);
    expect(a!.status).toBe(201);
    expect(b!.status).toBe(409);
    expect(b!.data).toMatchObject({ error: 'idempotency_key_in_use' });
    expect(world.events.find((e) => e.kind === 'idempotency.conflict')).toMatchObject({ status: 409, reason: 'in-progress' });
  });

  it('a waiting duplicate gives up with 409 after maxWaitMs', async () => {
    const world = createWorld();
    payments(world, { maxWaitMs: 100 }, 500);
    const out = await runIn(world, () => Promise.all([send(world, 'k'), send(world, 'k')]));
    const [a, b] = (out as { value: HttpResponse[] }).value;
    expect([a!.status, b!.status]).toEqual([201, 409]);
  });

  it('the same key with another body is refused with 422', async () => {
    const world = createWorld();
    const charges = payments(world);
    const out = await runIn(world, async () => [await send(world, 'k', { amount: 5 }), await send(world, 'k', { amount: 500 })]);
    const [, b] = (out as { value: HttpResponse[] }).value;
    expect(b!.status).toBe(422);
    expect(b!.data).toMatchObject({ error: 'idempotency_key_reused' });
    expect(charges).toHaveLength(1);
  });

  it('the body fingerprint ignores key order', async () => {
    const world = createWorld();
    const charges = payments(world);
    await runIn(world, async () => [await send(world, 'k', { amount: 5, currency: 'EUR' }), await send(world, 'k', { currency: 'EUR', amount: 5 })]);
    expect(charges).toHaveLength(1);
  });

  it('a 5xx is not kept: the retry runs the handler again', async () => {
    const world = createWorld();
    let n = 0;
    const charges = payments(world, {}, 0, () => ++n === 1);
    const out = await runIn(world, async () => [await send(world, 'k'), await send(world, 'k'), await send(world, 'k')]);
    expect((out as { value: HttpResponse[] }).value.map((r) => r.status)).toEqual([500, 201, 201]);
    expect(charges).toHaveLength(1);
  });

  it('keys are per caller; requests without a key pass through unless required', async () => {
    const world = createWorld();
    const charges = payments(world);
    world.service('orders');
    await runIn(world, async () => {
      await send(world, 'same');
      await send(world, 'same', { amount: 5 }, world.service('orders').http);
      await send(world, undefined);
      await send(world, undefined);
    });
    expect(charges).toHaveLength(4);
    const strict = createWorld();
    payments(strict, { required: true });
    const out = await runIn(strict, () => send(strict, undefined));
    expect((out as { value: HttpResponse }).value.status).toBe(400);
  });

  it('keys expire after the store ttl (virtual time)', async () => {
    const world = createWorld();
    const charges = payments(world, { store: new MemoryIdempotencyStore({ clock: world.scheduler, ttlMs: 60_000 }) });
    await runIn(world, async () => {
      await send(world, 'k');
      await world.sleep(59_000);
      await send(world, 'k');
      await world.sleep(2_000);
      await send(world, 'k');
    });
    expect(charges).toHaveLength(2);
  });
});

describe('deduplicating message consumer', () => {
  type Msg = { id: string; body: string };
  it('processes a message once and hands duplicates to onDuplicate', async () => {
    const world = createWorld();
    const done: string[] = [];
    const acked: string[] = [];
    const onMessage = deduplicate((m: Msg) => (done.push(m.body), m.body.length), { name: 'shipping', key: (m) => m.id, onDuplicate: (m) => void acked.push(m.id), trace: world.trace });
    expect(await onMessage({ id: 'm1', body: 'ship' })).toEqual({ kind: 'processed', value: 4 });
    expect(await onMessage({ id: 'm1', body: 'ship' })).toEqual({ kind: 'duplicate', id: 'm1' });
    expect(await onMessage({ id: 'm2', body: 'ship2' })).toMatchObject({ kind: 'processed' });
    expect(done).toEqual(['ship', 'ship2']);
    expect(acked).toEqual(['m1']);
    expect(world.events.filter((e) => e.kind === 'dedupe.duplicate')).toMatchObject([{ consumer: 'shipping', messageId: 'm1' }]);
  });

  it('a failed handling is not recorded: the redelivery is processed', async () => {
    let n = 0;
    const onMessage = deduplicate(
      () => {
        if (++n === 1) throw new Error('db down');
        return 'ok';
      },
      { key: (m: Msg) => m.id },
    );
    await expect(onMessage({ id: 'm1', body: '' })).rejects.toThrow('db down');
    await expect(onMessage({ id: 'm1', body: '' })).resolves.toEqual({ kind: 'processed', value: 'ok' });
    await expect(onMessage({ id: 'm1', body: '' })).resolves.toMatchObject({ kind: 'duplicate' });
  });

  it('a concurrent duplicate waits: skipped when the first succeeds, processed when it fails', async () => {
    const world = createWorld();
    let runs = 0;
    let failFirst = true;
    const onMessage = deduplicate(
      async (m: Msg) => {
        runs++;
        await world.sleep(100);
        if (failFirst) {
          failFirst = false;
          throw new Error('crash');
        }
        return m.body;
      },
      { key: (m) => m.id },
    );
    const out = await runIn(world, () => Promise.allSettled([onMessage({ id: 'x', body: 'a' }), onMessage({ id: 'x', body: 'a' }), onMessage({ id: 'x', body: 'a' })]));
    const results = (out as { value: PromiseSettledResult<unknown>[] }).value;
    expect(results.map((r) => (r.status === 'fulfilled' ? (r.value as { kind: string }).kind : 'rejected'))).toEqual(['rejected', 'processed', 'duplicate']);
    expect(runs).toBe(2);
  });

  it('works with a pluggable asynchronous store', async () => {
    const world = createWorld();
    const table = new Set<string>();
    const store: ProcessedStore = {
      has: (id) => world.sleep(5).then(() => table.has(id)),
      add: (id) => world.sleep(5).then(() => void table.add(id)),
    };
    let runs = 0;
    const onMessage = deduplicate(() => ++runs, { key: (m: Msg) => m.id, store });
    await runIn(world, async () => {
      await onMessage({ id: 'a', body: '' });
      await onMessage({ id: 'a', body: '' });
    });
    expect(runs).toBe(1);
    expect([...table]).toEqual(['a']);
  });

  it('the memory store forgets by age and by count', async () => {
    const world = createWorld();
    const store = new MemoryProcessedStore({ clock: world.scheduler, ttlMs: 1000, maxEntries: 2 });
    store.add('a');
    store.add('b');
    store.add('c');
    expect([store.has('a'), store.has('b'), store.has('c')]).toEqual([false, true, true]);
    await runIn(world, () => world.sleep(1000));
    expect(store.has('c')).toBe(false);
    expect(() => new MemoryProcessedStore({ ttlMs: 5 })).toThrow(/processedStore: "clock"/);
  });
});
