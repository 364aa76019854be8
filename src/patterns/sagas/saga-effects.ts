import type { TraceRecorder } from '../../sim/trace.js';
import type { SagaEffectKind, SagaItem } from './saga-trace-events.js';
import './saga-trace-events.js';

/** Options of one effect. */
export interface EffectOptions {
  /** The message (event id, idempotency key) whose handling applied the effect. */
  messageId?: string;
}

const PAST: Record<SagaEffectKind, string> = { place: 'placed', charge: 'charged', refund: 'refunded', reserve: 'reserved', release: 'released', restock: 'restocked' };

/** An effect in words: `placed o-1: 40 for 1 book`, `charged 40 for o-1`, `reserved 1 book, 2 mug for o-2`, `restocked 5 book`. */
export function describeEffect(effect: SagaEffectKind, orderId: string, amount?: number, items?: readonly SagaItem[]): string {
  const goods = items && items.length > 0 ? items.map((i) => `${i.qty} ${i.sku}`).join(', ') : '';
  const what = [amount !== undefined ? String(amount) : '', goods].filter((x) => x !== '').join(' for ');
  if (effect === 'place') return `placed ${orderId}${what ? `: ${what}` : ''}`;
  return `${PAST[effect]}${what ? ` ${what}` : ''}${orderId ? ` for ${orderId}` : ''}`;
}

/** The component name of an order's status in `state` events: `order:<orderId>`. */
export function orderComponent(orderId: string): string {
  return `order:${orderId}`;
}

/**
 * How a service tells the trace what it did to the world. Each call records
 * one `saga.effect` event (source = the service, correlationId = the order
 * id); {@link status} records a `state` event with component `order:<id>`.
 * The invariant checkers read only these, so a service that changes money or
 * stock without saying so here is invisible to them.
 *
 * Record an effect in the same step as the change itself (same callback, no
 * `await` between): then the trace never disagrees with the service's data.
 *
 * @example
 * const effects = new EffectRecorder(world.trace, 'payment-service');
 * payments.set(orderId, amount);
 * effects.charge(orderId, amount, { messageId: event.eventId });
 */
export class EffectRecorder {
  private readonly statuses = new Map<string, string>();

  constructor(
    private readonly trace: TraceRecorder,
    /** The service applying the effects. */
    readonly service: string,
  ) {}

  /** An order was placed with this amount and these items (record its status too: `status(orderId, 'pending')`). */
  place(orderId: string, amount: number, items: readonly SagaItem[], options?: EffectOptions): void {
    this.record('place', orderId, amount, items, options);
  }

  /** Money was taken for an order. */
  charge(orderId: string, amount: number, options?: EffectOptions): void {
    this.record('charge', orderId, amount, undefined, options);
  }

  /** Money was given back for an order. */
  refund(orderId: string, amount: number, options?: EffectOptions): void {
    this.record('refund', orderId, amount, undefined, options);
  }

  /** Stock was set aside for an order. */
  reserve(orderId: string, items: readonly SagaItem[], options?: EffectOptions): void {
    this.record('reserve', orderId, undefined, items, options);
  }

  /** Stock set aside for an order went back on the shelf. */
  release(orderId: string, items: readonly SagaItem[], options?: EffectOptions): void {
    this.record('release', orderId, undefined, items, options);
  }

  /** Stock was added (say what the inventory starts with, before any order). */
  restock(items: readonly SagaItem[], options?: EffectOptions): void {
    this.record('restock', '', undefined, items, options);
  }

  /**
   * The order's status changed (e.g. `paid`, `completed`, `cancelled`): a
   * `state` event with component `order:<id>`. Recording the same status
   * again records nothing.
   */
  status(orderId: string, to: string, detail?: unknown): void {
    const from = this.statuses.get(orderId) ?? 'none';
    if (from === to) return;
    this.statuses.set(orderId, to);
    this.trace.record(
      'state',
      detail === undefined
        ? { source: this.service, correlationId: orderId, component: orderComponent(orderId), from, to }
        : { source: this.service, correlationId: orderId, component: orderComponent(orderId), from, to, detail },
    );
  }

  /** The last status recorded for an order (`undefined` when none). */
  statusOf(orderId: string): string | undefined {
    return this.statuses.get(orderId);
  }

  private record(effect: SagaEffectKind, orderId: string, amount: number | undefined, items: readonly SagaItem[] | undefined, options: EffectOptions | undefined): void {
    const fields: { source: string; orderId: string; effect: SagaEffectKind; detail: string; correlationId?: string; amount?: number; items?: SagaItem[]; messageId?: string } = {
      source: this.service,
      orderId,
      effect,
      detail: describeEffect(effect, orderId, amount, items),
    };
    if (orderId !== '') fields.correlationId = orderId;
    if (amount !== undefined) fields.amount = amount;
    if (items !== undefined) fields.items = items.map((i) => ({ sku: i.sku, qty: i.qty }));
    if (options?.messageId !== undefined) fields.messageId = options.messageId;
    this.trace.record('saga.effect', fields);
  }
}
