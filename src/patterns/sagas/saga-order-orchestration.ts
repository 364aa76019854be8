import type { HttpRequestConfig } from '../../sim/http-errors.js';
import type { Request, Response } from '../../sim/network.js';
import type { Backoff } from '../resilience/backoff.js';
import { SagaOrchestrator, type SagaResult } from './orchestrator.js';
import type { SagaDefinition, SagaStepContext } from './saga-definition.js';
import type { OrchestratorEnv } from './saga-env.js';
import { EffectRecorder } from './saga-effects.js';
import type { SagaLogStore } from './saga-log.js';
import { inStock, moveStock, ORDER_SERVICES, type OrderRequest, type OrderServiceNames } from './saga-order-types.js';
import type { SagaItem } from './saga-trace-events.js';

/** Options of {@link createOrderOrchestration}. */
export interface OrderOrchestrationOptions {
  /** Starting stock by sku. */
  stock: Record<string, number>;
  /** Payments above this amount are declined (402); default no limit. */
  creditLimit?: number;
  /** Service names; default `order-service`, `payment-service`, `inventory-service`. */
  services?: Partial<OrderServiceNames>;
  /** The orchestrator's service; default `order-orchestrator`. */
  orchestrator?: string;
  /** Per-attempt timeout of every step (ms); default 1,000. */
  stepTimeoutMs?: number;
  /** Attempts of the steps before the pivot; default 3. */
  maxAttempts?: number;
  /** The saga log; default a new durable in-memory log. */
  log?: SagaLogStore;
  /** Waits between retries; the orchestrator's default when absent. */
  backoff?: Backoff;
}

/** The reference orchestration, ready to take orders. */
export interface OrderOrchestration {
  readonly orchestrator: SagaOrchestrator<OrderRequest>;
  readonly services: OrderServiceNames;
  /** Starts the saga of an order (waits while the orchestrator is down) and resolves with its result. */
  placeOrder(order: OrderRequest): Promise<SagaResult>;
  /** Status of every order the order service knows. */
  orderStatuses(): Map<string, string>;
  /** Stock now, by sku. */
  stock(): Record<string, number>;
}

type Tombstoned<T> = T | { status: 'void' };

/**
 * The order saga as an orchestration over HTTP: an orchestrator
 * (`order-orchestrator`) runs the steps
 *
 * 1. `create-order` (order-service, compensation: cancel it),
 * 2. `charge-payment` (payment-service, compensation: refund),
 * 3. `reserve-items` (inventory-service): the pivot, no compensation,
 * 4. `complete-order` (order-service): retried until it succeeds.
 *
 * The participants are what a saga needs from them: every action is
 * idempotent (one effect per order however often it is asked, the
 * idempotency key recorded as the effect's message id), every compensation
 * is idempotent and harmless when the action never took effect, and a
 * compensation that arrives before its action (a slow request that timed
 * out) leaves a tombstone so the late action is refused. Every service
 * records its effects and the order service the order's status, for the
 * invariant checkers.
 *
 * @example
 * const shop = createOrderOrchestration(sagaEnvOf(world), { stock: { book: 2 }, creditLimit: 500 });
 * const result = await shop.placeOrder({ orderId: 'o-1', amount: 40, items: [{ sku: 'book', qty: 1 }] });
 * result.outcome; // 'completed'
 */
export function createOrderOrchestration(env: OrchestratorEnv, options: OrderOrchestrationOptions): OrderOrchestration {
  const names: OrderServiceNames = { ...ORDER_SERVICES, ...options.services };
  const creditLimit = options.creditLimit ?? Infinity;
  const keyOf = (req: Request) => req.headers['idempotency-key'];
  const effect = (req: Request) => {
    const key = keyOf(req);
    return key === undefined ? undefined : { messageId: key };
  };

  // ── order service ──
  const orderFx = new EffectRecorder(env.trace, names.order);
  const orders = new Map<string, Tombstoned<{ status: 'pending' | 'completed' | 'cancelled'; order: OrderRequest }>>();
  const orderSvc = env.service(names.order);
  orderSvc.post('/orders', (req: Request, res: Response) => {
    const body = req.body as OrderRequest;
    const known = orders.get(body.orderId);
    if (known) return void res.status(known.status === 'void' ? 409 : 200).json({ orderId: body.orderId, status: known.status === 'void' ? 'cancelled' : known.status });
    orders.set(body.orderId, { status: 'pending', order: body });
    orderFx.place(body.orderId, body.amount, body.items, effect(req));
    orderFx.status(body.orderId, 'pending');
    res.status(201).json({ orderId: body.orderId, status: 'pending' });
  });
  orderSvc.post('/orders/:id/complete', (req: Request, res: Response) => {
    const id = req.params['id']!;
    const o = orders.get(id);
    if (!o || o.status === 'void' || o.status === 'cancelled') return void res.status(409).json({ error: `order ${id} cannot be completed` });
    o.status = 'completed';
    orderFx.status(id, 'completed');
    res.json({ orderId: id, status: 'completed' });
  });
  orderSvc.post('/orders/:id/cancel', (req: Request, res: Response) => {
    const id = req.params['id']!;
    const o = orders.get(id);
    if (!o) {
      orders.set(id, { status: 'void' });
      return void res.json({ orderId: id, status: 'void' });
    }
    if (o.status === 'completed') return void res.status(409).json({ error: `order ${id} is completed` });
    if (o.status === 'pending') {
      o.status = 'cancelled';
      orderFx.status(id, 'cancelled');
    }
    res.json({ orderId: id, status: 'cancelled' });
  });

  // ── payment service ──
  const payFx = new EffectRecorder(env.trace, names.payment);
  const payments = new Map<string, Tombstoned<{ status: 'charged' | 'refunded'; amount: number; id: string }>>();
  let nextPayment = 1;
  const paySvc = env.service(names.payment);
  paySvc.post('/payments', (req: Request, res: Response) => {
    const { orderId, amount } = req.body as { orderId: string; amount: number };
    const known = payments.get(orderId);
    if (known) return void (known.status === 'void' ? res.status(409).json({ error: `payment of ${orderId} was voided` }) : res.json(known));
    if (amount > creditLimit) return void res.status(402).json({ error: `amount ${amount} is over the credit limit` });
    const p = { status: 'charged' as const, amount, id: `pay-${nextPayment++}` };
    payments.set(orderId, p);
    payFx.charge(orderId, amount, effect(req));
    res.status(201).json(p);
  });
  paySvc.post('/payments/:orderId/refund', (req: Request, res: Response) => {
    const id = req.params['orderId']!;
    const p = payments.get(id);
    if (!p) {
      payments.set(id, { status: 'void' });
      return void res.json({ orderId: id, refunded: 0 });
    }
    if (p.status === 'charged') {
      p.status = 'refunded';
      payFx.refund(id, p.amount, effect(req));
    }
    res.json({ orderId: id, refunded: p.status === 'void' ? 0 : p.amount });
  });

  // ── inventory service ──
  const invFx = new EffectRecorder(env.trace, names.inventory);
  const stock = new Map<string, number>(Object.entries(options.stock));
  invFx.restock([...stock].map(([sku, qty]) => ({ sku, qty })));
  const reservations = new Map<string, Tombstoned<{ status: 'reserved' | 'released'; items: SagaItem[] }>>();
  const invSvc = env.service(names.inventory);
  invSvc.post('/reservations', (req: Request, res: Response) => {
    const { orderId, items } = req.body as { orderId: string; items: SagaItem[] };
    const known = reservations.get(orderId);
    if (known) return void (known.status === 'reserved' ? res.json({ orderId, status: 'reserved' }) : res.status(409).json({ error: `reservation of ${orderId} was ${known.status === 'void' ? 'voided' : 'released'}` }));
    if (!inStock(stock, items)) return void res.status(409).json({ error: 'out of stock' });
    moveStock(stock, items, -1);
    reservations.set(orderId, { status: 'reserved', items });
    invFx.reserve(orderId, items, effect(req));
    res.status(201).json({ orderId, status: 'reserved' });
  });
  invSvc.post('/reservations/:orderId/release', (req: Request, res: Response) => {
    const id = req.params['orderId']!;
    const r = reservations.get(id);
    if (!r) {
      reservations.set(id, { status: 'void' });
      return void res.json({ orderId: id, released: false });
    }
    if (r.status === 'reserved') {
      r.status = 'released';
      moveStock(stock, r.items, 1);
      invFx.release(id, r.items, effect(req));
    }
    res.json({ orderId: id, released: true });
  });

  // ── orchestrator ──
  const orchestratorName = options.orchestrator ?? 'order-orchestrator';
  let call: (url: string, ctx: SagaStepContext<OrderRequest>, body?: unknown) => Promise<unknown> = () => Promise.reject(new Error('not ready'));
  const definition: SagaDefinition<OrderRequest> = {
    name: 'create-order',
    ...(options.stepTimeoutMs !== undefined ? { stepTimeoutMs: options.stepTimeoutMs } : { stepTimeoutMs: 1_000 }),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    steps: [
      {
        name: 'create-order',
        service: names.order,
        action: (ctx) => call(`http://${names.order}/orders`, ctx, ctx.input),
        compensate: (ctx) => call(`http://${names.order}/orders/${ctx.input.orderId}/cancel`, ctx),
      },
      {
        name: 'charge-payment',
        service: names.payment,
        action: (ctx) => call(`http://${names.payment}/payments`, ctx, { orderId: ctx.input.orderId, amount: ctx.input.amount }),
        compensate: (ctx) => call(`http://${names.payment}/payments/${ctx.input.orderId}/refund`, ctx),
      },
      {
        name: 'reserve-items',
        service: names.inventory,
        action: (ctx) => call(`http://${names.inventory}/reservations`, ctx, { orderId: ctx.input.orderId, items: ctx.input.items }),
      },
      {
        name: 'complete-order',
        service: names.order,
        action: (ctx) => call(`http://${names.order}/orders/${ctx.input.orderId}/complete`, ctx),
      },
    ],
  };
  const orchestrator = new SagaOrchestrator<OrderRequest>(env, {
    service: orchestratorName,
    definition,
    ...(options.log ? { log: options.log } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
  });
  const http = orchestrator.process.http;
  call = async (url, ctx, body) => {
    const config: HttpRequestConfig = { headers: { 'idempotency-key': ctx.idempotencyKey, 'x-correlation-id': ctx.sagaId }, signal: ctx.signal };
    return (await http.post(url, body, config)).data;
  };

  return {
    orchestrator,
    services: names,
    async placeOrder(order: OrderRequest): Promise<SagaResult> {
      await orchestrator.process.whenAlive();
      return orchestrator.execute(order, { sagaId: `saga-${order.orderId}` });
    },
    orderStatuses: () => {
      const out = new Map<string, string>();
      for (const [id, o] of orders) if (o.status !== 'void') out.set(id, o.status);
      return out;
    },
    stock: () => Object.fromEntries(stock),
  };
}
