import { describe, expect, it } from 'vitest';
import { EventStore, PartialDuplicateAppendError, WrongExpectedVersionError, foldEvents, type StoredEvent } from '../../src/messaging/index.js';
import { drive, events, world } from './helpers.js';

describe('event store: concurrency rules', () => {
  it('checks the expected version: no-stream, stream-exists, an exact number, any', async () => {
    const w = world();
    const store = new EventStore(w);
    const r1 = await store.append('order-1', { eventType: 'OrderCreated', data: { total: 30 } }, { expectedVersion: 'no-stream' });
    expect(r1).toMatchObject({ version: 1, position: 1, appended: 1 });
    await expect(store.append('order-1', { eventType: 'OrderCreated', data: {} }, { expectedVersion: 'no-stream' })).rejects.toThrow(
      'Append to stream "order-1" expected no stream (version 0), but the stream is at version 1: another writer got there first.',
    );
    await expect(store.append('order-2', { eventType: 'X', data: {} }, { expectedVersion: 'stream-exists' })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(store.append('order-1', { eventType: 'OrderPaid', data: {} }, { expectedVersion: 0 })).rejects.toMatchObject({ streamId: 'order-1', expected: 0, actual: 1 });
    expect(await store.append('order-1', { eventType: 'OrderPaid', data: {} }, { expectedVersion: 1 })).toMatchObject({ version: 2 });
    expect(await store.append('order-1', [{ eventType: 'A', data: 1 }, { eventType: 'B', data: 2 }], { expectedVersion: 'any' })).toMatchObject({ version: 4, appended: 2 });
    expect(store.streamVersion('order-1')).toBe(4);
    expect(events(w, 'es.conflict')).toHaveLength(3);
  });

  it('of two writers that read the same version, the second must reload and retry', async () => {
    const w = world();
    const store = new EventStore(w);
    await store.append('acct', { eventType: 'Opened', data: { balance: 100 } });
    const seenByA = store.streamVersion('acct');
    const seenByB = store.streamVersion('acct');
    await store.append('acct', { eventType: 'Withdrawn', data: { amount: 80 } }, { expectedVersion: seenByA });
    const err = await store.append('acct', { eventType: 'Withdrawn', data: { amount: 50 } }, { expectedVersion: seenByB }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongExpectedVersionError);
    expect((err as WrongExpectedVersionError).actual).toBe(2);
    // B reloads: the balance is now 20, so it refuses the withdrawal instead of overdrawing
    const balance = await store.project({ initial: 0, apply: (b, e) => (e.eventType === 'Opened' ? (e.data as { balance: number }).balance : b - (e.data as { amount: number }).amount) }, { streamId: 'acct' });
    expect(balance).toBe(20);
  });

  it('appending an eventId the stream already holds is an acknowledged no-op, even with a stale expected version', async () => {
    const w = world();
    const store = new EventStore(w);
    const e = { eventType: 'OrderCreated', eventId: 'evt-1', data: { orderId: 'o-1' } };
    const paid = { eventType: 'OrderPaid', eventId: 'evt-2', data: {} };
    await store.append('order-o-1', [e, paid], { expectedVersion: 'no-stream' });
    // a retry after a lost reply
    expect(await store.append('order-o-1', [e, paid], { expectedVersion: 'no-stream' })).toMatchObject({ version: 2, appended: 0, duplicates: 2 });
    expect(await store.append('order-o-1', paid)).toMatchObject({ version: 2, appended: 0, duplicates: 1 });
    expect(store.size).toBe(2);
    expect(events(w, 'es.duplicate').map((d) => [d.streamId, d.eventId])).toEqual([
      ['order-o-1', 'evt-1'],
      ['order-o-1', 'evt-2'],
      ['order-o-1', 'evt-2'],
    ]);
  });

  it('idempotence is per stream: another stream may hold the same eventId', async () => {
    const w = world();
    const store = new EventStore(w);
    await store.append('order-o-1', { eventType: 'OrderCreated', eventId: 'evt-1', data: { orderId: 'o-1' } });
    // Same id, another stream (e.g. a copy into a per-customer stream): stored, not dropped.
    expect(await store.append('customer-c-1', { eventType: 'OrderCreated', eventId: 'evt-1', data: { orderId: 'o-1' } })).toMatchObject({ version: 1, appended: 1, duplicates: 0 });
    expect((await store.readStream('customer-c-1')).map((e) => e.eventId)).toEqual(['evt-1']);
    expect(store.size).toBe(2);
    expect(events(w, 'es.duplicate')).toEqual([]);
  });

  it('an append that mixes events the stream holds with new ones is refused, and nothing of it is stored', async () => {
    const w = world();
    const store = new EventStore(w);
    const e = { eventType: 'OrderCreated', eventId: 'evt-1', data: { orderId: 'o-1' } };
    await store.append('order-o-1', e, { expectedVersion: 'no-stream' });
    const err = await store.append('order-o-1', [e, { eventType: 'OrderPaid', eventId: 'evt-2', data: {} }], { expectedVersion: 0 }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(PartialDuplicateAppendError);
    // Like EventStoreDB, it is a wrong expected version: the writer's view of the stream is out of date.
    expect(err).toBeInstanceOf(WrongExpectedVersionError);
    expect(err).toMatchObject({ streamId: 'order-o-1', storedIds: ['evt-1'], newEvents: 1, actual: 1 });
    expect((err as Error).message).toMatch(/repeats 1 event\(s\) the stream already holds \(evt-1\) together with 1 new one/);
    expect(store.streamVersion('order-o-1')).toBe(1);
    expect(events(w, 'es.conflict')).toMatchObject([{ streamId: 'order-o-1', actual: 1 }]);
    expect(events(w, 'es.duplicate')).toEqual([]);
  });

  it('an event repeated within one append is stored once and reported', async () => {
    const w = world();
    const store = new EventStore(w);
    const e = { eventType: 'OrderCreated', eventId: 'evt-1', data: { orderId: 'o-1' } };
    expect(await store.append('order-o-1', [e, e])).toMatchObject({ version: 1, appended: 1, duplicates: 1 });
    expect(events(w, 'es.duplicate').map((d) => d.eventId)).toEqual(['evt-1']);
  });

  it('says what is wrong with a bad append', async () => {
    const store = new EventStore(world());
    await expect(store.append('', { eventType: 'X', data: 1 })).rejects.toThrow('streamId must be a non-empty string');
    await expect(store.append('s', { data: 1 } as never)).rejects.toThrow('event 0 needs an eventType string');
    await expect(store.append('s', { eventType: 'X' } as never)).rejects.toThrow('event 0 (X) needs a data field');
    await expect(store.append('s', { eventType: 'X', data: 1 }, { expectedVersion: -1 })).rejects.toThrow('expectedVersion must be');
  });
});

describe('event store: reading and subscribing', () => {
  it('reads a stream and everything, with versions and positions; events are copies', async () => {
    const w = world();
    const store = new EventStore(w);
    await store.append('a', { eventType: 'A1', data: { n: 1 } });
    await store.append('b', { eventType: 'B1', data: { n: 2 } });
    await store.append('a', { eventType: 'A2', data: { n: 3 } });
    const a = await store.readStream('a');
    expect(a.map((e) => [e.eventType, e.version, e.position])).toEqual([
      ['A1', 1, 1],
      ['A2', 2, 3],
    ]);
    expect((await store.readStream('a', { fromVersion: 2 })).map((e) => e.eventType)).toEqual(['A2']);
    expect((await store.readAll({ fromPosition: 2 })).map((e) => e.eventType)).toEqual(['B1', 'A2']);
    expect((await store.readAll({ eventTypes: ['A2', 'B1'] })).map((e) => e.eventType)).toEqual(['B1', 'A2']);
    (a[0]!.data as { n: number }).n = 99;
    expect(((await store.readStream('a'))[0]!.data as { n: number }).n).toBe(1);
    expect(a[0]!.timestamp).toBe('2024-01-01T00:00:00.000Z');
    expect(a[0]!.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('folds a projection', () => {
    const evs = [
      { eventType: 'ItemAdded', data: { qty: 2 } },
      { eventType: 'ItemAdded', data: { qty: 3 } },
      { eventType: 'ItemRemoved', data: { qty: 1 } },
    ] as unknown as StoredEvent[];
    const projection = {
      initial: { items: 0 },
      apply: (s: { items: number }, e: StoredEvent) => {
        s.items += (e.eventType === 'ItemAdded' ? 1 : -1) * (e.data as { qty: number }).qty;
        return s;
      },
    };
    expect(foldEvents(evs, projection)).toEqual({ items: 4 });
    expect(projection.initial).toEqual({ items: 0 }); // the initial state is copied
  });

  it('subscribes from a position: catch-up, then live, one event at a time, in order', async () => {
    const w = world();
    const store = new EventStore(w);
    const seen: string[] = [];
    await drive(w, async () => {
      await store.append('s', [
        { eventType: 'E1', data: null },
        { eventType: 'E2', data: null },
        { eventType: 'E3', data: null },
      ]);
      let busy = false;
      const sub = store.subscribe(
        async (e) => {
          expect(busy).toBe(false);
          busy = true;
          await w.sleep(10);
          seen.push(`${e.eventType}@${e.position}`);
          busy = false;
        },
        { fromPosition: 2 },
      );
      await w.sleep(5);
      await store.append('t', { eventType: 'E4', data: null });
      await w.sleep(100);
      expect(sub.position).toBe(4);
      sub.unsubscribe();
      await store.append('t', { eventType: 'E5', data: null });
      const tail: string[] = [];
      store.subscribe((e) => void tail.push(e.eventType), { fromPosition: 'end', streamId: 't' });
      await store.append('s', { eventType: 'E6', data: null });
      await store.append('t', { eventType: 'E7', data: null });
      await w.sleep(1);
      expect(tail).toEqual(['E7']);
    });
    expect(seen).toEqual(['E2@2', 'E3@3', 'E4@4']);
  });

  it('a subscription whose handler throws stops, and the error is traced', async () => {
    const w = world();
    const store = new EventStore(w, 'orders-store');
    const seen: string[] = [];
    let sub!: ReturnType<EventStore['subscribe']>;
    await drive(w, async () => {
      sub = store.subscribe((e) => {
        if (e.eventType === 'Bad') throw new Error('cannot project');
        seen.push(e.eventType);
      });
      await store.append('s', [
        { eventType: 'Good', data: 1 },
        { eventType: 'Bad', data: 2 },
        { eventType: 'Good', data: 3 },
      ]);
    });
    expect(seen).toEqual(['Good']);
    expect((sub.error as Error).message).toBe('cannot project');
    expect(events(w, 'error')[0]!.message).toContain('its handler threw on Bad #2: cannot project');
  });
});
