import type { ConsumeMessage } from '../../messaging/amqp-types.js';
import type { BusEnv } from '../../messaging/bus-env.js';
import { EventBus, type BusEvent, type EventSubscription, type NewEvent, type OnHandlerError } from '../../messaging/event-bus.js';
import type { Service } from '../../sim/network.js';
import { MemoryProcessedStore, type ProcessedStore } from '../idempotency/deduplicate.js';
import { EffectRecorder } from './saga-effects.js';
import type { ProcessEnv } from './saga-process.js';
import type { SagaItem } from './saga-trace-events.js';

/** What a {@link SagaParticipant} needs from where it runs: the event bus's environment, the services and the fault plan. */
export type ParticipantEnv = BusEnv & Pick<ProcessEnv, 'faults' | 'service'>;

/** Options of a {@link SagaParticipant}. */
export interface ParticipantOptions<E extends BusEvent> {
  /** The business key an event belongs to (its correlation); default `event.data.orderId`. */
  key?: (event: E) => string;
  /**
   * Handle each event id once: a redelivered or duplicated event whose id was
   * already handled is acknowledged and skipped (a `dedupe.duplicate` event).
   * Default true.
   */
  idempotent?: boolean;
  /** Where handled event ids are kept (with `idempotent`); default in memory. */
  processed?: ProcessedStore;
  /** Prefix of the `state` components of this participant (`<entity>:<key>`); default the service name. */
  entity?: string;
  /** Queue this participant consumes; default `<service>.saga`. */
  queue?: string;
  /** Unacknowledged events in flight; default 10. */
  prefetch?: number;
  /** What happens to an event whose handler throws; default `'park'` (see the event bus). */
  onError?: OnHandlerError;
}

/** An effect already bound to the event's key and id (see {@link EffectRecorder}). */
export interface BoundEffects {
  place(amount: number, items: readonly SagaItem[]): void;
  charge(amount: number): void;
  refund(amount: number): void;
  reserve(items: readonly SagaItem[]): void;
  release(items: readonly SagaItem[]): void;
}

/** What a handler of a {@link SagaParticipant} is given besides the event. */
export interface ParticipantContext<E extends BusEvent> {
  /** The business key (e.g. the order id). */
  readonly key: string;
  /** True when the broker delivered this event before (a redelivery or a duplicate copy). */
  readonly redelivered: boolean;
  /** This participant's saga state for the key when the handler started (`undefined`: none yet). */
  readonly state: string | undefined;
  /** Moves the key's saga state (a `state` event); returns false, recording nothing, when it is already `to`. */
  setState(to: string, detail?: unknown): boolean;
  /** Publishes an event correlated with the key. */
  publish(event: NewEvent<E>): Promise<E>;
  /** Records effects of this handler, tagged with the key and the event's id. */
  readonly effects: BoundEffects;
}

/** A handler of one event type. */
export type ParticipantHandler<E extends BusEvent, K extends string> = (event: Extract<E, { eventType: K }>, ctx: ParticipantContext<E>) => unknown;

/** Effects of one key (and message), recorded through the participant's {@link EffectRecorder}. */
class KeyEffects implements BoundEffects {
  constructor(
    private readonly r: EffectRecorder,
    private readonly key: string,
    private readonly o: { messageId: string } | undefined,
  ) {}
  place(amount: number, items: readonly SagaItem[]): void {
    this.r.place(this.key, amount, items, this.o);
  }
  charge(amount: number): void {
    this.r.charge(this.key, amount, this.o);
  }
  refund(amount: number): void {
    this.r.refund(this.key, amount, this.o);
  }
  reserve(items: readonly SagaItem[]): void {
    this.r.reserve(this.key, items, this.o);
  }
  release(items: readonly SagaItem[]): void {
    this.r.release(this.key, items, this.o);
  }
}

/** The context of one handler call (methods on the prototype: one small object per event). */
class HandlerContext<E extends BusEvent> implements ParticipantContext<E> {
  private fx: BoundEffects | undefined;
  constructor(
    private readonly participant: SagaParticipant<E>,
    readonly key: string,
    private readonly eventId: string,
    readonly redelivered: boolean,
    readonly state: string | undefined,
  ) {}
  setState(to: string, detail?: unknown): boolean {
    return this.participant.setState(this.key, to, detail);
  }
  publish(event: NewEvent<E>): Promise<E> {
    return this.participant.publish(event, this.key);
  }
  get effects(): BoundEffects {
    return (this.fx ??= this.participant.effects(this.key, this.eventId));
  }
}

const defaultKey = (event: BusEvent): string => {
  const data = event.data as { orderId?: unknown } | null | undefined;
  const id = data && typeof data === 'object' ? data.orderId : undefined;
  if (typeof id !== 'string' && typeof id !== 'number') throw new TypeError(`${event.eventType} ${event.eventId} has no data.orderId: give the participant a key function`);
  return String(id);
};

/**
 * One service's part in a choreographed saga: it reacts to events on the
 * bus and publishes its own, with no one in charge. The helper takes care of
 * the plumbing every participant needs:
 *
 * - handlers registered by event type, all consumed from one queue of the
 *   service (`<service>.saga`), in order, acknowledged after the handler;
 * - correlation by business key (`key(event)`, by default `data.orderId`):
 *   events it publishes carry the key as correlation id;
 * - idempotent handling: an event id already handled is skipped, so a
 *   redelivery (consumer crash before ack) or a duplicate copy has no second
 *   effect;
 * - saga state per key, visible in the trace (`state` events with component
 *   `<entity>:<key>`), and effects recorded for the invariant checkers;
 * - while the service is inside a down window of the fault plan it handles
 *   nothing: events wait until it is back.
 *
 * @example
 * const payment = await SagaParticipant.connect<OrderEvent>(sagaEnvOf(world), 'payment-service');
 * payment.on('OrderCreated', async (event, ctx) => {
 *   ctx.effects.charge(event.data.amount);
 *   await ctx.publish({ eventType: 'PaymentCompleted', data: { orderId: ctx.key, amount: event.data.amount } });
 * });
 * await payment.start();
 */
export class SagaParticipant<E extends BusEvent = BusEvent> {
  private readonly handlers = new Map<string, ParticipantHandler<E, string>>();
  private readonly states = new Map<string, string>();
  private readonly keyOf: (event: E) => string;
  private readonly entity: string;
  private readonly recorder: EffectRecorder;
  private readonly svc: Service;
  private subscription: EventSubscription | undefined;

  private constructor(
    private readonly env: ParticipantEnv,
    /** The bus connection of this service. */
    readonly bus: EventBus<E>,
    /** The service name. */
    readonly service: string,
    private readonly options: ParticipantOptions<E>,
  ) {
    this.keyOf = options.key ?? (defaultKey as (event: E) => string);
    this.entity = options.entity ?? service;
    this.recorder = new EffectRecorder(env.trace, service);
    this.svc = env.service(service);
  }

  /** Connects `service` to the event bus as a saga participant (register handlers, then {@link start}). */
  static async connect<E extends BusEvent = BusEvent>(env: ParticipantEnv, service: string, options: ParticipantOptions<E> = {}): Promise<SagaParticipant<E>> {
    env.service(service);
    const bus = await EventBus.connect<E>(env, service);
    return new SagaParticipant<E>(env, bus, service, options);
  }

  /** Registers the handler of one event type (before {@link start}). */
  on<K extends E['eventType']>(eventType: K, handler: ParticipantHandler<E, K>): this {
    if (this.subscription) throw new Error(`${this.service}: register handlers before start()`);
    if (typeof handler !== 'function') throw new TypeError(`${this.service}: the handler of ${eventType} must be a function`);
    if (this.handlers.has(eventType)) throw new Error(`${this.service}: ${eventType} already has a handler`);
    this.handlers.set(eventType, handler as unknown as ParticipantHandler<E, string>);
    return this;
  }

  /** Starts consuming the registered event types; resolves once the subscription is in place. */
  async start(): Promise<EventSubscription> {
    if (this.subscription) return this.subscription;
    const types = [...this.handlers.keys()] as E['eventType'][];
    if (types.length === 0) throw new Error(`${this.service}: register at least one handler before start()`);
    const handle = (this.options.idempotent ?? true) ? this.idempotentHandler() : (event: E, msg: ConsumeMessage) => this.dispatch(event, msg);
    const hasDownWindows = (this.env.faults.services?.[this.service]?.down?.length ?? 0) > 0;
    this.subscription = await this.bus.subscribe(
      types,
      hasDownWindows
        ? (event, msg) => (this.svc.up ? handle(event as E, msg) : this.untilUp().then(() => handle(event as E, msg)))
        : (event, msg) => handle(event as E, msg),
      {
        queue: this.options.queue ?? `${this.service}.saga`,
        prefetch: this.options.prefetch ?? 10,
        ...(this.options.onError ? { onError: this.options.onError } : {}),
      },
    );
    return this.subscription;
  }

  /**
   * Dispatch that handles each event id once. An id is remembered after its
   * handler succeeded; a copy that arrives while the first is being handled
   * waits for it (skipped if it succeeded, handled if it failed). Same rules
   * as {@link deduplicate}, without its per-message promises when the store
   * answers synchronously.
   */
  private idempotentHandler(): (event: E, msg: ConsumeMessage) => unknown {
    const store = this.options.processed ?? new MemoryProcessedStore();
    const trace = this.env.trace;
    const inFlight = new Map<string, Promise<boolean>>();
    const skip = (id: string) => {
      trace.record('dedupe.duplicate', { source: this.service, consumer: this.service, messageId: id });
    };
    const run = (event: E, msg: ConsumeMessage): unknown => {
      const id = event.eventId;
      const running = inFlight.get(id);
      if (running !== undefined) return running.then((ok) => (ok ? skip(id) : run(event, msg)));
      const known = store.has(id);
      if (known === true) return skip(id);
      if (known !== false) return Promise.resolve(known).then((k) => (k ? skip(id) : inFlight.has(id) ? run(event, msg) : this.handleOnce(store, inFlight, event, msg)));
      return this.handleOnce(store, inFlight, event, msg);
    };
    return run;
  }

  private handleOnce(store: ProcessedStore, inFlight: Map<string, Promise<boolean>>, event: E, msg: ConsumeMessage): unknown {
    const id = event.eventId;
    const result = this.dispatch(event, msg);
    if (result === null || typeof result !== 'object' || typeof (result as PromiseLike<unknown>).then !== 'function') {
      const added = store.add(id);
      return added === undefined ? result : Promise.resolve(added).then(() => result);
    }
    let settle!: (ok: boolean) => void;
    inFlight.set(id, new Promise<boolean>((r) => (settle = r)));
    return Promise.resolve(result as PromiseLike<unknown>).then(
      async (value) => {
        try {
          await store.add(id);
        } finally {
          inFlight.delete(id);
        }
        settle(true);
        return value;
      },
      (error: unknown) => {
        inFlight.delete(id);
        settle(false);
        throw error;
      },
    );
  }

  /** This participant's saga state of a key. */
  stateOf(key: string): string | undefined {
    return this.states.get(key);
  }

  /** Every key with its state, in the order first seen. */
  allStates(): Map<string, string> {
    return new Map(this.states);
  }

  /** Moves a key's saga state (a `state` event with component `<entity>:<key>`); false when already there. */
  setState(key: string, to: string, detail?: unknown): boolean {
    const from = this.states.get(key) ?? 'none';
    if (from === to) return false;
    this.states.set(key, to);
    const component = `${this.entity}:${key}`;
    this.env.trace.record(
      'state',
      detail === undefined ? { source: this.service, correlationId: key, component, from, to } : { source: this.service, correlationId: key, component, from, to, detail },
    );
    return true;
  }

  /** Publishes an event correlated with `key` (its id `evt-N` unless it has one; the bus fills in the time). */
  publish(event: NewEvent<E>, key?: string): Promise<E> {
    // Event ids `evt-N`: unique in the world, and far cheaper than a UUID per event.
    const eventId = (event as { eventId?: string }).eventId === undefined ? this.env.trace.nextId('evt') : undefined;
    const options: { correlationId?: string; eventId?: string } = {};
    if (key !== undefined) options.correlationId = key;
    if (eventId !== undefined) options.eventId = eventId;
    return this.bus.publish(event, options);
  }

  /** Effects recorded as this service, outside any handler (e.g. when an order is placed). */
  effects(key: string, messageId?: string): BoundEffects {
    return this.bind(key, messageId);
  }

  /** Stops consuming and closes the bus connection. */
  async close(): Promise<void> {
    await this.bus.close();
  }

  private bind(key: string, messageId: string | undefined): BoundEffects {
    return new KeyEffects(this.recorder, key, messageId === undefined ? undefined : { messageId });
  }

  private dispatch(event: E, msg: ConsumeMessage): unknown {
    const handler = this.handlers.get(event.eventType);
    if (!handler) return undefined;
    const key = this.keyOf(event);
    return handler(event as Extract<E, { eventType: string }>, new HandlerContext<E>(this, key, event.eventId, msg.fields.redelivered, this.states.get(key)));
  }

  /** Waits while the service is inside a down window of the fault plan. */
  private async untilUp(): Promise<void> {
    const clock = this.env.clock;
    while (!this.svc.up) {
      const now = clock.now();
      const window = this.env.faults.services?.[this.service]?.down?.find((w) => now >= w.from && now < w.to);
      if (!window) return; // stopped by hand: nothing says when it comes back
      await clock.sleep(window.to - now);
    }
  }
}
