/**
 * Model-based test: random sequences of declare / publish / consume / cancel /
 * get / ack / nack / reject / bad ack / close / crash against a small reference
 * model. After every command the world runs until quiet, then the model
 * replays the broker's trace of that step, checking each transition against
 * its own rules (a delivery takes the head of its queue and respects prefetch,
 * `redelivered` is right, exactly the expected acks, requeues, dead-letters and
 * drops happen), and finally checks, for every queue:
 *   published = acked + dead-lettered + dropped + ready + unacked
 * with every drop traced, and that the broker's figures equal the model's.
 * q2 is a quorum queue with a delivery limit: every return counts, shows as
 * `x-delivery-count`, and the return past the limit drops the message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Buffer, brokerOf, connect, type Broker, type Channel, type Connection, type Message } from '../../src/messaging/index.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { createWorld, type World } from '../../src/sim/world.js';

type QName = 'q1' | 'q2' | 'dlq';
const QUEUES: QName[] = ['q1', 'q2', 'dlq'];
const MAX_LENGTH: Partial<Record<QName, number>> = { q2: 4, dlq: 3 };
/** q2 is a quorum queue: a message may come back to it this many times, the next return drops it. */
const DELIVERY_LIMIT = 1;
const Q2_ARGS = { maxLength: MAX_LENGTH.q2!, arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': DELIVERY_LIMIT } };

type Cmd =
  | { kind: 'publish'; target: 'q1' | 'q2' | 'fx' }
  | { kind: 'declare'; queue: 'q1' | 'q2'; conflicting: boolean }
  | { kind: 'consume'; slot: number; queue: QName; prefetch: number }
  | { kind: 'cancel'; slot: number }
  | { kind: 'get'; slot: number; queue: QName }
  | { kind: 'ack'; slot: number; pick: number; multiple: boolean }
  | { kind: 'nack'; slot: number; pick: number; multiple: boolean; requeue: boolean }
  | { kind: 'reject'; slot: number; pick: number; requeue: boolean }
  | { kind: 'badAck'; slot: number }
  | { kind: 'close'; slot: number }
  | { kind: 'crash'; slot: number };

const slotArb = fc.integer({ min: 0, max: 2 });
const queueArb = fc.constantFrom<QName>('q1', 'q2', 'dlq');
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('publish' as const), target: fc.constantFrom('q1' as const, 'q2' as const, 'fx' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('declare' as const), queue: fc.constantFrom('q1' as const, 'q2' as const), conflicting: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('consume' as const), slot: slotArb, queue: queueArb, prefetch: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), slot: slotArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('get' as const), slot: slotArb, queue: queueArb }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('ack' as const), slot: slotArb, pick: fc.nat(), multiple: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('nack' as const), slot: slotArb, pick: fc.nat(), multiple: fc.boolean(), requeue: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reject' as const), slot: slotArb, pick: fc.nat(), requeue: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('badAck' as const), slot: slotArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const), slot: slotArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const), slot: slotArb }) },
);

// ───────────────────────────── the reference model ─────────────────────────────

interface MEntry {
  id: string;
  pos: number;
  delivered: boolean;
  /** Times it came back to its queue (q2 counts them: x-delivery-count). */
  returns: number;
}
interface MDelivery {
  tag: number;
  entry: MEntry;
  queue: QName;
  slot: number;
  consumerTag: string | undefined;
}
interface MConsumer {
  tag: string;
  slot: number;
  queue: QName;
  prefetch: number;
  unacked: number;
}
interface MQueue {
  ready: MEntry[];
  nextPos: number;
  published: number;
  acked: number;
  deadLettered: number;
  dropped: number;
}

class Model {
  readonly queues: Record<QName, MQueue> = {
    q1: { ready: [], nextPos: 0, published: 0, acked: 0, deadLettered: 0, dropped: 0 },
    q2: { ready: [], nextPos: 0, published: 0, acked: 0, deadLettered: 0, dropped: 0 },
    dlq: { ready: [], nextPos: 0, published: 0, acked: 0, deadLettered: 0, dropped: 0 },
  };
  /** Outstanding deliveries per slot, by tag. */
  readonly unacked: Array<Map<number, MDelivery>> = [new Map(), new Map(), new Map()];
  readonly consumers = new Map<string, MConsumer>();
  // expectations of the current step
  arrivals: string[] = [];
  acks = new Set<string>();
  nacks = new Map<string, boolean>();
  requeues = new Set<string>();
  rejectedOut = new Set<string>();
  /** Returns to q2 past its delivery limit: dropped instead of requeued. */
  limitDrops = new Set<string>();
  deadLetterArrivals: string[] = [];

  unackedCount(q: QName): number {
    let n = 0;
    for (const m of this.unacked) for (const d of m.values()) if (d.queue === q) n++;
    return n;
  }

  private key(slot: number, tag: number): string {
    return `${slot}/${tag}`;
  }

  private find(tag: number, slot: number): MDelivery {
    const d = this.unacked[slot]!.get(tag);
    if (!d) throw new Error(`model: no outstanding delivery ${tag} on slot ${slot}`);
    return d;
  }

  /** Expectations for an ack/nack of `tag` (and earlier ones with `multiple`) on a slot. */
  expectSettle(slot: number, tag: number, multiple: boolean, how: 'ack' | { requeue: boolean }): void {
    for (const d of this.unacked[slot]!.values()) {
      if (d.tag === tag || (multiple && d.tag <= tag)) {
        if (how === 'ack') this.acks.add(this.key(slot, d.tag));
        else {
          this.nacks.set(this.key(slot, d.tag), how.requeue);
          if (how.requeue) this.expectReturn(d);
          else if (d.queue === 'q1') this.deadLetterArrivals.push(`dlq:${d.entry.id}`);
          else this.rejectedOut.add(`${d.queue}:${d.entry.id}`);
        }
      }
    }
  }

  /** Every outstanding delivery of the slot is expected back in its queue. */
  expectRequeueAll(slot: number): void {
    for (const d of this.unacked[slot]!.values()) this.expectReturn(d);
  }

  /** A delivery comes back: requeued, or (q2) dropped once past the delivery limit. */
  private expectReturn(d: MDelivery): void {
    const key = `${d.queue}:${d.entry.id}`;
    if (d.queue !== 'q2') return void this.requeues.add(key);
    d.entry.returns++;
    if (d.entry.returns > DELIVERY_LIMIT) this.limitDrops.add(key);
    else this.requeues.add(key);
  }

  /** The outstanding or just-nacked delivery of `key` leaves the channel's books. */
  private takeBack(key: string, what: string): MDelivery {
    let d = this.nackedOut.get(key);
    if (d) this.nackedOut.delete(key);
    else {
      for (const m of this.unacked) for (const x of m.values()) if (`${x.queue}:${x.entry.id}` === key) d = x;
      if (!d) throw new Error(`model: ${what} of ${key}, which is not outstanding`);
      this.settle(d);
    }
    return d;
  }

  private slotOfTag(consumerTag: string | undefined, getSlot: number | undefined): number {
    if (consumerTag !== undefined) {
      const c = this.consumers.get(consumerTag);
      if (!c) throw new Error(`model: delivery to unknown consumer ${consumerTag}`);
      return c.slot;
    }
    if (getSlot === undefined) throw new Error('model: a get delivery outside a get command');
    return getSlot;
  }

  /** Replays one broker trace event, checking it is allowed. */
  apply(e: TraceEvent, slotOf: (service: string) => number, getSlot: number | undefined): void {
    switch (e.kind) {
      case 'mq.enqueue': {
        const q = e.queue as QName;
        const key = `${q}:${e.messageId}`;
        const i = this.arrivals.indexOf(key);
        const j = this.deadLetterArrivals.indexOf(key);
        if (i >= 0) this.arrivals.splice(i, 1);
        else if (j >= 0) this.deadLetterArrivals.splice(j, 1);
        else throw new Error(`model: unexpected arrival ${key}`);
        const mq = this.queues[q];
        mq.published++;
        mq.ready.push({ id: e.messageId, pos: mq.nextPos++, delivered: false, returns: 0 });
        return;
      }
      case 'mq.deliver': {
        const q = e.queue as QName;
        const mq = this.queues[q];
        const head = mq.ready[0];
        if (!head || head.id !== e.messageId) throw new Error(`model: ${q} delivered ${e.messageId} but its head is ${head?.id ?? 'nothing'}`);
        if (e.redelivered !== head.delivered) throw new Error(`model: ${e.messageId} redelivered=${e.redelivered}, expected ${head.delivered}`);
        // x-delivery-count: a quorum queue's get always shows it, a consumer sees it from the first return on
        const count = q !== 'q2' ? undefined : e.get || head.returns > 0 ? head.returns : undefined;
        if (e.deliveryCount !== count) throw new Error(`model: ${e.messageId} x-delivery-count ${e.deliveryCount}, expected ${count}`);
        mq.ready.shift();
        head.delivered = true;
        const slot = this.slotOfTag(e.consumerTag, e.get ? getSlot : undefined);
        if (slot !== slotOf(e.source!)) throw new Error('model: delivery to the wrong service');
        if (e.consumerTag !== undefined) {
          const c = this.consumers.get(e.consumerTag)!;
          if (c.queue !== q) throw new Error(`model: consumer of ${c.queue} got a message from ${q}`);
          if (c.prefetch > 0 && c.unacked >= c.prefetch) throw new Error(`model: consumer ${c.tag} over its prefetch ${c.prefetch}`);
          c.unacked++;
        }
        this.unacked[slot]!.set(e.deliveryTag, { tag: e.deliveryTag, entry: head, queue: q, slot, consumerTag: e.consumerTag });
        return;
      }
      case 'mq.ack': {
        const slot = slotOf(e.source!);
        const k = this.key(slot, e.deliveryTag);
        if (!this.acks.delete(k)) throw new Error(`model: unexpected ack ${k}`);
        const d = this.find(e.deliveryTag, slot);
        this.settle(d);
        this.queues[d.queue].acked++;
        return;
      }
      case 'mq.nack': {
        const slot = slotOf(e.source!);
        const k = this.key(slot, e.deliveryTag);
        const requeue = this.nacks.get(k);
        if (requeue === undefined || requeue !== e.requeue) throw new Error(`model: unexpected nack ${k} requeue=${e.requeue}`);
        this.nacks.delete(k);
        const d = this.find(e.deliveryTag, slot);
        this.settle(d);
        if (!requeue) {
          // q1 dead-letters (into dlq); the others drop: both follow as their own events
          if (d.queue === 'q1') this.pendingDeadLetter.set(`q1:${d.entry.id}`, d.entry);
        }
        this.nackedOut.set(`${d.queue}:${d.entry.id}`, d);
        return;
      }
      case 'mq.requeue': {
        const key = `${e.queue}:${e.messageId}`;
        if (!this.requeues.delete(key)) throw new Error(`model: unexpected requeue ${key}`);
        const d = this.takeBack(key, 'requeue');
        const mq = this.queues[d.queue];
        mq.ready.push(d.entry);
        mq.ready.sort((a, b) => a.pos - b.pos);
        return;
      }
      case 'mq.dead-letter': {
        const key = `${e.queue}:${e.messageId}`;
        if (e.reason !== 'rejected' || !this.pendingDeadLetter.delete(key)) throw new Error(`model: unexpected dead-letter ${key} (${e.reason})`);
        this.nackedOut.delete(key);
        this.queues[e.queue as QName].deadLettered++;
        return;
      }
      case 'mq.drop': {
        const q = e.queue as QName | undefined;
        if (q === undefined) throw new Error(`model: unexpected drop without a queue (${e.reason})`);
        const key = `${q}:${e.messageId}`;
        const mq = this.queues[q];
        if (e.reason === 'maxlen') {
          const max = MAX_LENGTH[q];
          if (max === undefined || mq.ready.length <= max || mq.ready[0]!.id !== e.messageId) throw new Error(`model: unexpected maxlen drop ${key}`);
          mq.ready.shift();
        } else if (e.reason === 'delivery_limit') {
          if (!this.limitDrops.delete(key)) throw new Error(`model: unexpected delivery-limit drop ${key}`);
          this.takeBack(key, 'delivery-limit drop');
        } else if (e.reason === 'rejected') {
          if (!this.rejectedOut.delete(key)) throw new Error(`model: unexpected rejected drop ${key}`);
          this.nackedOut.delete(key);
        } else throw new Error(`model: unexpected drop ${key} (${e.reason})`);
        mq.dropped++;
        return;
      }
      default:
        return;
    }
  }

  private readonly pendingDeadLetter = new Map<string, MEntry>();
  private readonly nackedOut = new Map<string, MDelivery>();

  private settle(d: MDelivery): void {
    this.unacked[d.slot]!.delete(d.tag);
    if (d.consumerTag !== undefined) {
      const c = this.consumers.get(d.consumerTag) ?? this.gone.get(d.consumerTag);
      if (c) c.unacked--;
    }
  }

  readonly gone = new Map<string, MConsumer>();

  removeConsumer(tag: string): void {
    const c = this.consumers.get(tag);
    if (!c) return;
    this.consumers.delete(tag);
    this.gone.set(tag, c);
  }

  /** Everything expected for the step happened. */
  checkDone(): void {
    const left = [...this.arrivals, ...this.acks, ...this.nacks.keys(), ...this.requeues, ...this.limitDrops, ...this.rejectedOut, ...this.deadLetterArrivals, ...this.pendingDeadLetter.keys()];
    if (left.length) throw new Error(`model: expected but did not happen: ${left.join(', ')}`);
    this.nackedOut.clear();
  }
}

// ───────────────────────────── driving the real broker ─────────────────────────────

interface Slot {
  service: string;
  conn: Connection;
  ch: Channel;
  consumer: { tag: string; queue: QName } | undefined;
  msgs: Map<number, Message>;
}

async function step(w: World, fn: () => Promise<void>): Promise<void> {
  let failure: unknown;
  const p = fn().catch((e: unknown) => (failure = e));
  await w.scheduler.run();
  await p;
  if (failure) throw failure;
}

async function openSlotChannel(slot: Slot): Promise<void> {
  slot.ch = await slot.conn.createChannel();
  slot.ch.on('error', () => undefined);
  slot.consumer = undefined;
  slot.msgs = new Map();
}

function checkInvariants(broker: Broker, model: Model, w: World, slots: Slot[]): void {
  const drops = new Map<string, number>();
  for (const e of w.events) if (e.kind === 'mq.drop' && e.queue) drops.set(e.queue, (drops.get(e.queue) ?? 0) + 1);
  for (const q of QUEUES) {
    const s = broker.queueStats(q);
    const m = model.queues[q];
    expect(s.published, `${q}: published = acked + dead-lettered + dropped + ready + unacked`).toBe(s.acked + s.deadLettered + s.dropped + s.ready + s.unacked);
    expect(s.dropped, `${q}: every drop is traced`).toBe(drops.get(q) ?? 0);
    expect({ ready: s.ready, unacked: s.unacked, published: s.published, acked: s.acked, deadLettered: s.deadLettered, dropped: s.dropped }, `${q}: broker = model`).toEqual({
      ready: m.ready.length,
      unacked: model.unackedCount(q),
      published: m.published,
      acked: m.acked,
      deadLettered: m.deadLettered,
      dropped: m.dropped,
    });
    // nothing waits while a consumer of the queue has room
    if (m.ready.length > 0)
      for (const c of model.consumers.values()) if (c.queue === q) expect(c.prefetch > 0 && c.unacked >= c.prefetch, `${q}: ready messages while ${c.tag} has room`).toBe(true);
  }
  // every outstanding delivery reached its client
  slots.forEach((slot, i) => {
    for (const tag of model.unacked[i]!.keys()) expect(slot.msgs.has(tag), `slot ${i} holds delivery ${tag}`).toBe(true);
  });
}

async function runScenario(cmds: Cmd[]): Promise<void> {
  const w = createWorld({ seed: 9 });
  const broker = brokerOf(w);
  const model = new Model();
  const slots: Slot[] = [];
  let pub!: Channel;
  let n = 0;
  await step(w, async () => {
    const pc = await connect(w, 'publisher');
    pub = await pc.createChannel();
    await pub.assertExchange('fx', 'fanout');
    await pub.assertQueue('q1', { deadLetterExchange: '', deadLetterRoutingKey: 'dlq' });
    await pub.assertQueue('q2', Q2_ARGS);
    await pub.assertQueue('dlq', { maxLength: MAX_LENGTH.dlq! });
    await pub.bindQueue('q1', 'fx', '');
    await pub.bindQueue('q2', 'fx', '');
    for (let i = 0; i < 3; i++) {
      const conn = await connect(w, `s${i}`);
      const slot = { service: `s${i}`, conn, consumer: undefined, msgs: new Map() } as unknown as Slot;
      await openSlotChannel(slot);
      slots.push(slot);
    }
  });
  const slotOf = (service: string) => (service === 'publisher' ? -1 : Number(service.slice(1)));
  const pickTag = (slot: number, pick: number): number | undefined => {
    const tags = [...model.unacked[slot]!.keys()];
    return tags.length ? tags[pick % tags.length] : undefined;
  };

  for (const cmd of cmds) {
    const before = w.events.length;
    let getSlot: number | undefined;
    const slot = 'slot' in cmd ? slots[cmd.slot]! : undefined;
    switch (cmd.kind) {
      case 'publish': {
        const id = `m${++n}`;
        model.arrivals.push(...(cmd.target === 'fx' ? ['q1', 'q2'] : [cmd.target]).map((q) => `${q}:${id}`));
        await step(w, async () => {
          if (cmd.target === 'fx') pub.publish('fx', '', Buffer.from(id), { messageId: id });
          else pub.sendToQueue(cmd.target, Buffer.from(id), { messageId: id });
        });
        break;
      }
      case 'declare':
        await step(w, async () => {
          const ch = await pub.connection.createChannel();
          ch.on('error', () => undefined);
          const args = cmd.queue === 'q1' ? { deadLetterExchange: '', deadLetterRoutingKey: 'dlq' } : Q2_ARGS;
          if (cmd.conflicting) await expect(ch.assertQueue(cmd.queue, { ...args, messageTtl: 5 })).rejects.toThrow('PRECONDITION_FAILED');
          else {
            const ok = await ch.assertQueue(cmd.queue, args);
            expect(ok.messageCount).toBe(model.queues[cmd.queue].ready.length);
            expect(ok.consumerCount).toBe([...model.consumers.values()].filter((c) => c.queue === cmd.queue).length);
            await ch.close();
          }
        });
        break;
      case 'consume':
        if (slot!.consumer) continue;
        await step(w, async () => {
          const s = slot!;
          await s.ch.prefetch(cmd.prefetch);
          const ch = s.ch;
          const { consumerTag } = await ch.consume(cmd.queue, (m) => {
            if (m && ch === s.ch) s.msgs.set(m.fields.deliveryTag, m);
          });
          s.consumer = { tag: consumerTag, queue: cmd.queue };
          model.consumers.set(consumerTag, { tag: consumerTag, slot: cmd.slot, queue: cmd.queue, prefetch: cmd.prefetch, unacked: 0 });
        });
        break;
      case 'cancel':
        if (!slot!.consumer) continue;
        await step(w, async () => {
          await slot!.ch.cancel(slot!.consumer!.tag);
          model.removeConsumer(slot!.consumer!.tag);
          slot!.consumer = undefined;
        });
        break;
      case 'get':
        getSlot = cmd.slot;
        await step(w, async () => {
          const m = await slot!.ch.get(cmd.queue);
          if (m) slot!.msgs.set(m.fields.deliveryTag, m);
        });
        break;
      case 'ack':
      case 'nack':
      case 'reject': {
        const tag = pickTag(cmd.slot, cmd.pick);
        if (tag === undefined) continue;
        const multiple = cmd.kind !== 'reject' && cmd.multiple;
        model.expectSettle(cmd.slot, tag, multiple, cmd.kind === 'ack' ? 'ack' : { requeue: cmd.requeue });
        const msg = slot!.msgs.get(tag)!;
        await step(w, async () => {
          if (cmd.kind === 'ack') slot!.ch.ack(msg, multiple);
          else if (cmd.kind === 'nack') slot!.ch.nack(msg, multiple, cmd.requeue);
          else slot!.ch.reject(msg, cmd.requeue);
        });
        break;
      }
      case 'badAck':
      case 'close':
      case 'crash':
        model.expectRequeueAll(cmd.slot);
        if (cmd.kind !== 'crash' && slot!.consumer) model.removeConsumer(slot!.consumer.tag);
        await step(w, async () => {
          const s = slot!;
          if (cmd.kind === 'crash') {
            broker.crashService(s.service);
            return;
          }
          if (cmd.kind === 'close') await s.ch.close();
          else {
            const closed = new Promise((r) => s.ch.once('close', r));
            s.ch.ack({ fields: { deliveryTag: 10_000 } } as Message);
            await closed;
          }
          await openSlotChannel(s);
        });
        break;
    }
    for (const e of w.events.slice(before)) model.apply(e, slotOf, getSlot);
    model.checkDone();
    checkInvariants(broker, model, w, slots);
  }
}

describe('broker against a reference model', () => {
  it('keeps per-queue order and conserves every message, at every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmdArb, { minLength: 20, maxLength: 60, size: 'max' }), async (cmds) => {
        await runScenario(cmds);
      }),
      { numRuns: 60, seed: 20240101 },
    );
  });

  it('a fixed mixed scenario passes (guards the harness itself)', async () => {
    await runScenario([
      { kind: 'publish', target: 'fx' },
      { kind: 'publish', target: 'q1' },
      { kind: 'consume', slot: 0, queue: 'q1', prefetch: 1 },
      { kind: 'consume', slot: 1, queue: 'q1', prefetch: 0 },
      { kind: 'nack', slot: 0, pick: 0, multiple: false, requeue: true },
      { kind: 'reject', slot: 1, pick: 0, requeue: false },
      { kind: 'crash', slot: 1 },
      { kind: 'get', slot: 2, queue: 'q2' },
      { kind: 'ack', slot: 2, pick: 0, multiple: true },
      { kind: 'publish', target: 'q2' },
      { kind: 'publish', target: 'q2' },
      { kind: 'publish', target: 'q2' },
      { kind: 'publish', target: 'q2' },
      { kind: 'publish', target: 'q2' },
      { kind: 'badAck', slot: 0 },
      { kind: 'close', slot: 1 },
      { kind: 'declare', queue: 'q2', conflicting: false },
    ]);
  });

  it('the harness notices a broker that breaks the rules', async () => {
    const model = new Model();
    model.arrivals.push('q1:a', 'q1:b');
    model.apply({ seq: 0, time: 0, kind: 'mq.enqueue', messageId: 'a', queue: 'q1', ready: 1 }, () => 0, undefined);
    model.apply({ seq: 1, time: 0, kind: 'mq.enqueue', messageId: 'b', queue: 'q1', ready: 2 }, () => 0, undefined);
    model.consumers.set('c', { tag: 'c', slot: 0, queue: 'q1', prefetch: 1, unacked: 0 });
    // delivering out of order is caught
    expect(() =>
      model.apply({ seq: 2, time: 0, kind: 'mq.deliver', messageId: 'b', queue: 'q1', deliveryTag: 1, redelivered: false, consumerTag: 'c', source: 's0' }, () => 0, undefined),
    ).toThrow('its head is a');
    model.apply({ seq: 3, time: 0, kind: 'mq.deliver', messageId: 'a', queue: 'q1', deliveryTag: 1, redelivered: false, consumerTag: 'c', source: 's0' }, () => 0, undefined);
    // going over the prefetch is caught
    expect(() =>
      model.apply({ seq: 4, time: 0, kind: 'mq.deliver', messageId: 'b', queue: 'q1', deliveryTag: 2, redelivered: false, consumerTag: 'c', source: 's0' }, () => 0, undefined),
    ).toThrow('over its prefetch');
    // an ack nobody sent is caught
    expect(() => model.apply({ seq: 5, time: 0, kind: 'mq.ack', messageId: 'a', queue: 'q1', deliveryTag: 1, source: 's0' }, () => 0, undefined)).toThrow('unexpected ack');
  });
});
