import { SagaParticipant, type ParticipantEnv } from './choreography.js';
import { EffectRecorder } from './saga-effects.js';
import { inStock, missingItems, moveStock, ORDER_SERVICES, type OrderRequest, type OrderSagaEvent, type OrderServiceNames } from './saga-order-types.js';

/** Options of {@link createOrderChoreography}. */
export interface OrderChoreographyOptions {
  /** Starting stock by sku. */
  stock: Record<string, number>;
  /** Payments above this amount are declined (PaymentFailed); default no limit. */
  creditLimit?: number;
  /** Service names; default `order-service`, `payment-service`, `inventory-service`. */
  services?: Partial<OrderServiceNames>;
  /** The order service reacts to PaymentFailed; default true. False is the syllabus's gap: such orders stay pending. */
  handlePaymentFailed?: boolean;
  /**
   * The payment service skips events it already handled and charges an order
   * at most once; default true. False is the naive consumer: a redelivered
   * OrderCreated charges again.
   */
  idempotentPayment?: boolean;
  /** Unacknowledged events in flight per participant; default 10. */
  prefetch?: number;
}

/** The reference choreography, running. */
export interface OrderChoreography {
  /** Places an order (waits while the order service is down); resolves once OrderCreated is on the bus. */
  placeOrder(order: OrderRequest): Promise<void>;
  /** Status of every placed order. */
  orderStatuses(): Map<string, string>;
  /** Stock now, by sku. */
  stock(): Record<string, number>;
  readonly services: OrderServiceNames;
  readonly participants: { order: SagaParticipant<OrderSagaEvent>; payment: SagaParticipant<OrderSagaEvent>; inventory: SagaParticipant<OrderSagaEvent> };
}

const TERMINAL = new Set(['completed', 'cancelled']);

/**
 * The order saga as a choreography: three services that only react to events.
 *
 * - order: places the order (`pending`, OrderCreated); PaymentCompleted →
 *   `paid`; ItemsReserved → `completed` (OrderCompleted); PaymentFailed or
 *   PaymentRefunded → `cancelled` (OrderCancelled).
 * - payment: OrderCreated → charge (PaymentCompleted) or decline above the
 *   credit limit (PaymentFailed); ItemsUnavailable → refund (PaymentRefunded).
 * - inventory: PaymentCompleted → reserve every item (ItemsReserved) or none
 *   (ItemsUnavailable).
 *
 * Every service records its effects (`saga.effect`) and the order service
 * the order's status (`state`, component `order:<id>`), so the invariant
 * checkers can judge a run from its trace. Each handler is idempotent by
 * event id and by order, and statuses only move forward, so redeliveries,
 * duplicates and reordering do no harm. Two options switch on the
 * syllabus's defects for the tests: `handlePaymentFailed: false` and
 * `idempotentPayment: false`.
 *
 * @example
 * const shop = await createOrderChoreography(sagaEnvOf(world), { stock: { book: 5 }, creditLimit: 500 });
 * await shop.placeOrder({ orderId: 'o-1', amount: 40, items: [{ sku: 'book', qty: 1 }] });
 */
export async function createOrderChoreography(env: ParticipantEnv, options: OrderChoreographyOptions): Promise<OrderChoreography> {
  const names: OrderServiceNames = { ...ORDER_SERVICES, ...options.services };
  const creditLimit = options.creditLimit ?? Infinity;
  const idempotentPayment = options.idempotentPayment ?? true;
  const prefetch = options.prefetch ?? 10;
  const [order, payment, inventory] = await Promise.all([
    SagaParticipant.connect<OrderSagaEvent>(env, names.order, { entity: 'order', prefetch }),
    SagaParticipant.connect<OrderSagaEvent>(env, names.payment, { idempotent: idempotentPayment, prefetch }),
    SagaParticipant.connect<OrderSagaEvent>(env, names.inventory, { prefetch }),
  ]);

  // ── order service ──
  const finish = (orderId: string, to: 'completed' | 'cancelled', reason?: string) => {
    const now = order.stateOf(orderId);
    if (now === undefined || TERMINAL.has(now)) return undefined;
    order.setState(orderId, to, reason === undefined ? undefined : { reason });
    return to === 'completed'
      ? order.publish({ eventType: 'OrderCompleted', data: { orderId } }, orderId)
      : order.publish({ eventType: 'OrderCancelled', data: { orderId, reason: reason ?? 'cancelled' } }, orderId);
  };
  order.on('PaymentCompleted', (_e, ctx) => {
    if (ctx.state === 'pending') ctx.setState('paid');
  });
  order.on('ItemsReserved', (_e, ctx) => finish(ctx.key, 'completed'));
  order.on('PaymentRefunded', (_e, ctx) => finish(ctx.key, 'cancelled', 'items unavailable'));
  if (options.handlePaymentFailed ?? true) order.on('PaymentFailed', (e, ctx) => finish(ctx.key, 'cancelled', `payment failed: ${e.data.reason}`));

  // ── payment service ──
  const payments = new Map<string, { amount: number; refunded: boolean }>();
  let nextPayment = 1;
  payment.on('OrderCreated', (e, ctx) => {
    const { orderId, amount, items } = e.data;
    if (idempotentPayment && payments.has(orderId)) return undefined;
    if (amount > creditLimit) {
      ctx.setState('declined');
      return ctx.publish({ eventType: 'PaymentFailed', data: { orderId, reason: `amount ${amount} is over the credit limit` } });
    }
    payments.set(orderId, { amount, refunded: false });
    ctx.effects.charge(amount);
    ctx.setState('charged');
    return ctx.publish({ eventType: 'PaymentCompleted', data: { orderId, paymentId: `pay-${nextPayment++}`, amount, items } });
  });
  payment.on('ItemsUnavailable', (_e, ctx) => {
    const p = payments.get(ctx.key);
    if (!p || p.refunded) return undefined;
    p.refunded = true;
    ctx.effects.refund(p.amount);
    ctx.setState('refunded');
    return ctx.publish({ eventType: 'PaymentRefunded', data: { orderId: ctx.key, amount: p.amount } });
  });

  // ── inventory service ──
  const stock = new Map<string, number>(Object.entries(options.stock));
  new EffectRecorder(env.trace, names.inventory).restock([...stock].map(([sku, qty]) => ({ sku, qty })));
  const decided = new Set<string>();
  inventory.on('PaymentCompleted', (e, ctx) => {
    if (decided.has(ctx.key)) return undefined;
    decided.add(ctx.key);
    const items = e.data.items;
    if (!inStock(stock, items)) {
      ctx.setState('unavailable');
      return ctx.publish({ eventType: 'ItemsUnavailable', data: { orderId: ctx.key, missing: missingItems(stock, items) } });
    }
    moveStock(stock, items, -1);
    ctx.effects.reserve(items);
    ctx.setState('reserved');
    return ctx.publish({ eventType: 'ItemsReserved', data: { orderId: ctx.key, items } });
  });

  await Promise.all([order.start(), payment.start(), inventory.start()]);

  const orderService = env.service(names.order);
  return {
    services: names,
    participants: { order, payment, inventory },
    async placeOrder(request: OrderRequest): Promise<void> {
      while (!orderService.up) {
        const now = env.clock.now();
        const w = env.faults.services?.[names.order]?.down?.find((x) => now >= x.from && now < x.to);
        if (!w) break;
        await env.clock.sleep(w.to - now);
      }
      const copy: OrderRequest = { orderId: request.orderId, amount: request.amount, items: request.items.map((i) => ({ sku: i.sku, qty: i.qty })) };
      order.effects(copy.orderId).place(copy.amount, copy.items);
      order.setState(copy.orderId, 'pending');
      await order.publish({ eventType: 'OrderCreated', data: copy }, copy.orderId);
    },
    orderStatuses: () => order.allStates(),
    stock: () => Object.fromEntries(stock),
  };
}
