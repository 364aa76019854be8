import type { TraceEvent, TraceEventOf } from '../../sim/trace.js';
import type { InvariantOptions, InvariantViolation } from './invariant-types.js';
import type { SagaItem } from '../sagas/saga-trace-events.js';
import '../sagas/saga-trace-events.js';
import { memoByTrace } from './trace-memo.js';

type Effect = TraceEventOf<'saga.effect'>;
type StateEvent = TraceEventOf<'state'>;

/** What the trace says about one order. */
export interface OrderFacts {
  orderId: string;
  /** The `place` effect (absent when effects name an order that was never placed). */
  placed?: Effect;
  amount?: number;
  items?: SagaItem[];
  /** The last status (`none` when never set), normalised: `canceled` reads `cancelled`. */
  status: string;
  /** The `state` event that set the last status. */
  statusEvent?: StateEvent;
  charges: Effect[];
  refunds: Effect[];
  reserves: Effect[];
  releases: Effect[];
}

/** The orders, stock movements and effects of a run, read from its trace. */
export interface OrderSagaFacts {
  /** Orders by id, in the order first seen. */
  orders: Map<string, OrderFacts>;
  /** Every effect, in trace order. */
  effects: Effect[];
}

const ORDER_PREFIX = 'order:';

/** `canceled`, `CANCELLED`, `Completed` … → `cancelled`, `completed`; anything else as is. */
export function normaliseOrderStatus(status: string): string {
  const s = status.toLowerCase();
  if (s === 'canceled' || s === 'cancelled') return 'cancelled';
  if (s === 'completed' || s === 'complete') return 'completed';
  return status;
}

/**
 * Reads the order saga's facts from a trace: `saga.effect` events and the
 * `state` events of components `order:<id>`. A trace is read once; later
 * calls with the same (unchanged) events return the same facts, which are
 * therefore read-only.
 *
 * @example
 * const { orders } = orderSagaFacts(world.events);
 * orders.get('o-1')?.status; // 'completed'
 */
export function orderSagaFacts(events: readonly TraceEvent[]): OrderSagaFacts {
  return factsOf(events);
}

const factsOf = memoByTrace(readOrderSagaFacts);

function readOrderSagaFacts(events: readonly TraceEvent[]): OrderSagaFacts {
  const orders = new Map<string, OrderFacts>();
  const effects: Effect[] = [];
  const get = (orderId: string): OrderFacts => {
    let o = orders.get(orderId);
    if (!o) orders.set(orderId, (o = { orderId, status: 'none', charges: [], refunds: [], reserves: [], releases: [] }));
    return o;
  };
  for (const e of events) {
    if (e.kind === 'saga.effect') {
      effects.push(e);
      switch (e.effect) {
        case 'place': {
          const o = get(e.orderId);
          if (!o.placed) {
            o.placed = e;
            if (e.amount !== undefined) o.amount = e.amount;
            if (e.items !== undefined) o.items = e.items;
          }
          break;
        }
        case 'charge':
          get(e.orderId).charges.push(e);
          break;
        case 'refund':
          get(e.orderId).refunds.push(e);
          break;
        case 'reserve':
          get(e.orderId).reserves.push(e);
          break;
        case 'release':
          get(e.orderId).releases.push(e);
          break;
        case 'restock':
          break;
      }
    } else if (e.kind === 'state' && e.component.startsWith(ORDER_PREFIX)) {
      const o = get(e.component.slice(ORDER_PREFIX.length));
      o.status = normaliseOrderStatus(String(e.to));
      o.statusEvent = e;
    }
  }
  return { orders, effects };
}

const sum = (list: readonly Effect[]) => list.reduce((s, e) => s + (e.amount ?? 0), 0);
const seqs = (...lists: ReadonlyArray<readonly ({ seq: number } | undefined)[]>): number[] =>
  lists
    .flat()
    .filter((e): e is { seq: number } => e !== undefined)
    .map((e) => e.seq)
    .sort((a, b) => a - b);
const money = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
/** How a message names an order: `order o-1`, but `order-1` as it is (not "order order-1"). */
const orderName = (id: string) => (/^order[-_ ]/i.test(id) ? id : `order ${id}`);

/** Quantity by sku held for an order: reserved minus released. */
function held(o: OrderFacts): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of o.reserves) for (const i of e.items ?? []) m.set(i.sku, (m.get(i.sku) ?? 0) + i.qty);
  for (const e of o.releases) for (const i of e.items ?? []) m.set(i.sku, (m.get(i.sku) ?? 0) - i.qty);
  return m;
}

function wanted(items: readonly SagaItem[] | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items ?? []) m.set(i.sku, (m.get(i.sku) ?? 0) + i.qty);
  return m;
}

const describeItems = (m: Map<string, number>) =>
  [...m]
    .filter(([, q]) => q !== 0)
    .map(([sku, q]) => `${q} ${sku}`)
    .join(', ') || 'nothing';

/** Money within a cent is the same money. */
const same = (a: number, b: number) => Math.abs(a - b) < 0.005;

/** `completed-order-paid-and-reserved`. */
export function checkCompletedOrders(facts: OrderSagaFacts): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  for (const o of facts.orders.values()) {
    if (o.status !== 'completed') continue;
    const net = sum(o.charges) - sum(o.refunds);
    if (o.amount !== undefined && !same(net, o.amount))
      out.push({
        invariant: 'completed-order-paid-and-reserved',
        orderId: o.orderId,
        message: `${orderName(o.orderId)} is completed but was paid ${money(net)} (charged ${money(sum(o.charges))}${o.refunds.length ? `, refunded ${money(sum(o.refunds))}` : ''}) for an amount of ${money(o.amount)}`,
        eventSeqs: seqs([o.placed, o.statusEvent], o.charges, o.refunds),
      });
    if (o.items === undefined) continue;
    const h = held(o);
    const w = wanted(o.items);
    let wrong = false;
    for (const [sku, q] of w) if ((h.get(sku) ?? 0) !== q) wrong = true;
    for (const [sku, q] of h) if ((w.get(sku) ?? 0) !== q) wrong = true;
    if (wrong)
      out.push({
        invariant: 'completed-order-paid-and-reserved',
        orderId: o.orderId,
        message: `${orderName(o.orderId)} is completed but holds ${describeItems(h)} instead of ${describeItems(w)}`,
        eventSeqs: seqs([o.placed, o.statusEvent], o.reserves, o.releases),
      });
  }
  return out;
}

/** `cancelled-order-refunded-and-released` (judged at quiescence). */
export function checkCancelledOrders(facts: OrderSagaFacts): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  for (const o of facts.orders.values()) {
    const charged = sum(o.charges);
    const refunded = sum(o.refunds);
    if (refunded > charged + 0.005)
      out.push({
        invariant: 'cancelled-order-refunded-and-released',
        orderId: o.orderId,
        message: `${orderName(o.orderId)} was refunded ${money(refunded)} but only charged ${money(charged)}: money paid out that was never taken`,
        eventSeqs: seqs([o.placed, o.statusEvent], o.charges, o.refunds),
      });
    if (o.status !== 'cancelled') continue;
    if (charged > refunded + 0.005)
      out.push({
        invariant: 'cancelled-order-refunded-and-released',
        orderId: o.orderId,
        message: `${orderName(o.orderId)} is cancelled but keeps ${money(charged - refunded)} of the customer's money (charged ${money(charged)}, refunded ${money(refunded)})`,
        eventSeqs: seqs([o.placed, o.statusEvent], o.charges, o.refunds),
      });
    if (o.reserves.length === 0 && o.releases.length === 0) continue;
    const h = held(o);
    const still = [...h].filter(([, q]) => q !== 0);
    if (still.length > 0)
      out.push({
        invariant: 'cancelled-order-refunded-and-released',
        orderId: o.orderId,
        message: `${orderName(o.orderId)} is cancelled but ${still.some(([, q]) => q < 0) ? 'released more than it reserved' : 'still holds stock'}: ${still.map(([s, q]) => `${q} ${s}`).join(', ')}`,
        eventSeqs: seqs([o.placed, o.statusEvent], o.reserves, o.releases),
      });
  }
  return out;
}

/** `order-finished` (judged at quiescence). */
export function checkOrdersFinished(facts: OrderSagaFacts): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  for (const o of facts.orders.values()) {
    if (!o.placed || o.status === 'completed' || o.status === 'cancelled') continue;
    out.push({
      invariant: 'order-finished',
      orderId: o.orderId,
      message: `${orderName(o.orderId)} is still ${o.status === 'none' ? 'without a status' : `"${o.status}"`} when nothing more happens: it is neither completed nor cancelled`,
      eventSeqs: seqs([o.placed, o.statusEvent], o.charges, o.refunds, o.reserves, o.releases),
    });
  }
  return out;
}

/** `charged-once`. */
export function checkChargedOnce(facts: OrderSagaFacts): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  for (const o of facts.orders.values())
    if (o.charges.length > 1)
      out.push({
        invariant: 'charged-once',
        orderId: o.orderId,
        message: `${orderName(o.orderId)} was charged ${o.charges.length} times (${o.charges.map((c) => money(c.amount ?? 0)).join(' + ')})`,
        eventSeqs: seqs([o.placed], o.charges),
      });
  return out;
}

/** `stock-conserved`: replays restock, reserve and release in trace order. */
export function checkStock(facts: OrderSagaFacts, options: Pick<InvariantOptions, 'finalStock' | 'quiescent'> = {}): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  const level = new Map<string, number>();
  const heldBy = new Map<string, number>(); // `${order}\u0000${sku}` → qty
  const negative = new Set<string>();
  const lastMove = new Map<string, number>();
  for (const e of facts.effects) {
    const sign = e.effect === 'restock' || e.effect === 'release' ? 1 : e.effect === 'reserve' ? -1 : 0;
    if (sign === 0) continue;
    for (const i of e.items ?? []) {
      const l = (level.get(i.sku) ?? 0) + sign * i.qty;
      level.set(i.sku, l);
      lastMove.set(i.sku, e.seq);
      if (l < 0 && !negative.has(i.sku)) {
        negative.add(i.sku);
        out.push({ invariant: 'stock-conserved', sku: i.sku, orderId: e.orderId, message: `stock of ${i.sku} went negative (${l}) when ${e.source ?? 'a service'} reserved it for ${e.orderId}`, eventSeqs: [e.seq] });
      }
      if (e.effect === 'restock') continue;
      const k = `${e.orderId}\u0000${i.sku}`;
      const h = (heldBy.get(k) ?? 0) - sign * i.qty;
      heldBy.set(k, h);
      if (h < 0 && e.effect === 'release') {
        const o = facts.orders.get(e.orderId);
        out.push({
          invariant: 'stock-conserved',
          sku: i.sku,
          orderId: e.orderId,
          message: `${i.qty} ${i.sku} released for ${orderName(e.orderId)}, which held ${h + i.qty}: stock appeared from nowhere`,
          eventSeqs: seqs(o ? o.reserves : [], [e]),
        });
      }
    }
  }
  if (options.finalStock && (options.quiescent ?? true)) {
    const skus = new Set([...level.keys(), ...Object.keys(options.finalStock)]);
    for (const sku of skus) {
      const expected = level.get(sku) ?? 0;
      const actual = options.finalStock[sku] ?? 0;
      if (expected !== actual)
        out.push({
          invariant: 'stock-conserved',
          sku,
          message: `the inventory holds ${actual} ${sku} at the end, but its effects add up to ${expected}`,
          eventSeqs: lastMove.has(sku) ? [lastMove.get(sku)!] : [],
        });
    }
  }
  return out;
}

/** `effect-once-per-message`: the same service applied the same kind of effect twice for one message. */
export function checkEffectOncePerMessage(facts: OrderSagaFacts): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  const seen = new Map<string, Effect[]>();
  for (const e of facts.effects) {
    if (e.messageId === undefined || e.effect === 'restock') continue;
    const k = `${e.source ?? ''}\u0000${e.messageId}\u0000${e.effect}\u0000${e.orderId}`;
    let list = seen.get(k);
    if (!list) seen.set(k, (list = []));
    list.push(e);
  }
  for (const list of seen.values()) {
    if (list.length < 2) continue;
    const e = list[0]!;
    out.push({
      invariant: 'effect-once-per-message',
      orderId: e.orderId,
      messageId: e.messageId!,
      message: `${e.source ?? 'a service'} applied "${e.effect}" for ${orderName(e.orderId)} ${list.length} times for one message (${e.messageId}): a redelivery was processed again`,
      eventSeqs: list.map((x) => x.seq),
    });
  }
  return out;
}
