/**
 * Exchanges, queues by name, bindings, and routing: which queues a message
 * published to an exchange goes to (direct, fanout, topic, headers, the
 * default exchange, exchange-to-exchange bindings, alternate exchanges).
 */
import { BrokerClose, brokerText, ReplyCode, type MethodName } from '../amqp-errors.js';
import type { ExchangeType, Options, Replies } from '../amqp-types.js';
import { headersMatch, topicMatches } from '../routing.js';
import { checkExchangeEquivalent, exchangeArgumentWarnings, exchangeArguments, type ExchangeProperties } from './arguments.js';
import { wireType } from './argument-values.js';
import { ExchangeState, type Binding, type BindingDestination, type BrokerChannelState, type BrokerWorld, type QueueState } from './broker-state.js';
import { bindingMethod, type BindingRequest } from './endpoint.js';

/** An exchange, for the UI. */
export interface ExchangeInfo {
  name: string;
  type: ExchangeType;
  durable: boolean;
  internal: boolean;
}

/** A binding, for the UI. */
export interface BindingInfo {
  source: string;
  destination: string;
  destinationType: 'queue' | 'exchange';
  routingKey: string;
  args?: Record<string, unknown>;
}

const EXCHANGE_TYPES: readonly ExchangeType[] = ['direct', 'fanout', 'topic', 'headers'];

/** The exchanges every RabbitMQ broker has from the start. */
const PREDECLARED: ReadonlyArray<readonly [string, ExchangeType]> = [
  ['amq.direct', 'direct'],
  ['amq.fanout', 'fanout'],
  ['amq.topic', 'topic'],
  ['amq.headers', 'headers'],
  ['amq.match', 'headers'],
];

/** Properties of an exchange the broker declares itself. */
function predeclared(type: ExchangeType): ExchangeProperties {
  return { type, durable: true, autoDelete: false, internal: false, rawArgs: {} };
}

function bindingKey(destination: BindingDestination, routingKey: string, args: Record<string, unknown> | undefined): string {
  const d = destination.kind === 'queue' ? `q:${destination.queue.name}` : `x:${destination.exchange.name}`;
  return `${d}\u0000${routingKey}\u0000${args ? JSON.stringify(args) : ''}`;
}

/** The broker's exchanges, queues and bindings, and routing through them. */
export class Topology {
  /** Queues by name. */
  readonly queues = new Map<string, QueueState>();
  /** Declared and predeclared exchanges by name (the default exchange is not among them: it cannot be declared, bound or deleted). */
  readonly exchanges = new Map<string, ExchangeState>();
  /** The nameless direct exchange that routes to the queue named by the routing key. */
  readonly defaultExchange = new ExchangeState('', predeclared('direct'));

  constructor(private readonly world: BrokerWorld) {
    for (const [name, type] of PREDECLARED) this.exchanges.set(name, new ExchangeState(name, predeclared(type)));
  }

  /** The exchange a publish or dead-lettering names (`''`: the default exchange). */
  exchange(name: string): ExchangeState | undefined {
    return name === '' ? this.defaultExchange : this.exchanges.get(name);
  }

  // ───────────────────────────── exchange.* and bindings ─────────────────────────────

  /** exchange.declare */
  declareExchange(ch: BrokerChannelState, name: string, type: string, options: Options.AssertExchange): Replies.AssertExchange {
    if (typeof name !== 'string') throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, 'PRECONDITION_FAILED - exchange name must be a string', 'ExchangeDeclare');
    if (!EXCHANGE_TYPES.includes(type as ExchangeType)) throw new BrokerClose(ReplyCode.COMMAND_INVALID, brokerText.unknownType(String(type)), 'ExchangeDeclare', 'connection');
    if (name === '') throw new BrokerClose(ReplyCode.ACCESS_REFUSED, brokerText.defaultExchange(), 'ExchangeDeclare');
    const declared = {
      type: type as ExchangeType,
      durable: options.durable === undefined ? true : !!options.durable,
      autoDelete: !!options.autoDelete,
      internal: !!options.internal,
      rawArgs: exchangeArguments(options),
    };
    const existing = this.exchanges.get(name);
    if (existing) checkExchangeEquivalent(name, declared, existing);
    for (const message of exchangeArgumentWarnings(name, declared.rawArgs)) this.world.trace.record('log', { source: 'broker', target: ch.service, level: 'warn', message });
    if (existing) return { exchange: name };
    if (name.startsWith('amq.')) throw new BrokerClose(ReplyCode.ACCESS_REFUSED, brokerText.reservedExchange(name), 'ExchangeDeclare');
    this.exchanges.set(name, new ExchangeState(name, declared));
    const { durable, autoDelete, internal } = declared;
    this.world.trace.record('mq.topology', { source: ch.service, target: name, action: 'exchange.declare', name, detail: { type, durable, autoDelete, internal } });
    return { exchange: name };
  }

  /** exchange.declare, passive */
  checkExchange(name: string): Replies.Empty {
    if (name !== '' && !this.exchanges.has(name)) throw new BrokerClose(ReplyCode.NOT_FOUND, brokerText.noExchange(name), 'ExchangeDeclare');
    return {};
  }

  /** exchange.delete */
  deleteExchange(ch: BrokerChannelState, name: string, options: Options.DeleteExchange): Replies.Empty {
    if (name === '' || name.startsWith('amq.')) throw new BrokerClose(ReplyCode.ACCESS_REFUSED, brokerText.defaultExchange(), 'ExchangeDelete');
    const x = this.exchanges.get(name);
    if (!x) return {};
    if (options.ifUnused && x.bindings.size > 0)
      throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, `PRECONDITION_FAILED - exchange '${name}' in vhost '/' in use`, 'ExchangeDelete');
    this.removeExchange(x);
    this.world.trace.record('mq.topology', { source: ch.service, target: name, action: 'exchange.delete', name });
    return {};
  }

  /**
   * queue.bind, queue.unbind, exchange.bind, exchange.unbind. Unbinding what
   * is not bound is fine, as in RabbitMQ, even when the queue or an exchange
   * does not exist.
   */
  changeBinding(ch: BrokerChannelState, r: BindingRequest): Replies.Empty {
    const method = bindingMethod(r);
    // RabbitMQ refuses the default exchange at either end of any binding, unbinding included.
    if (r.source === '' || (r.destinationType === 'exchange' && r.destination === ''))
      throw new BrokerClose(ReplyCode.ACCESS_REFUSED, brokerText.defaultExchange(), method);
    const routingKey = r.pattern ?? '';
    if (r.action === 'bind') {
      const source = this.mustExchange(r.source, method);
      const destination: BindingDestination =
        r.destinationType === 'queue' ? { kind: 'queue', queue: this.mustQueue(r.destination, method, ch) } : { kind: 'exchange', exchange: this.mustExchange(r.destination, method) };
      if (source.type === 'headers') checkMatchArgument(r.args, method);
      this.addBinding(source, destination, routingKey, r.args);
    } else {
      const b = this.findBinding(ch, r);
      if (b) this.removeBinding(b);
    }
    this.world.trace.record('mq.topology', {
      source: ch.service,
      target: r.destination,
      action: `${r.destinationType}.${r.action}`,
      name: r.destination,
      detail: { exchange: r.source, routingKey, ...(r.action === 'bind' && r.args ? { arguments: r.args } : {}) },
    });
    return {};
  }

  /** The binding an unbind names, if the queue or exchanges at its ends and the binding itself exist. */
  private findBinding(ch: BrokerChannelState, r: BindingRequest): Binding | undefined {
    let destination: BindingDestination;
    if (r.destinationType === 'queue') {
      const queue = this.queues.get(r.destination);
      if (!queue) return undefined;
      checkExclusive(queue, ch, bindingMethod(r));
      destination = { kind: 'queue', queue };
    } else {
      const exchange = this.exchanges.get(r.destination);
      if (!exchange) return undefined;
      destination = { kind: 'exchange', exchange };
    }
    return this.exchanges.get(r.source)?.bindings.get(bindingKey(destination, r.pattern ?? '', r.args));
  }

  private addBinding(x: ExchangeState, destination: BindingDestination, routingKey: string, args: Record<string, unknown> | undefined): void {
    const key = bindingKey(destination, routingKey, args);
    if (x.bindings.has(key)) return;
    const b: Binding = { source: x, destination, routingKey, args, key };
    x.bindings.set(key, b);
    let list = x.byKey.get(routingKey);
    if (!list) x.byKey.set(routingKey, (list = []));
    list.push(b);
    x.cache.clear();
    if (destination.kind === 'queue') destination.queue.bindings.add(b);
    else destination.exchange.incoming.add(b);
  }

  /** Removes a binding; an auto-delete source exchange left without bindings goes too. */
  removeBinding(b: Binding): void {
    if (!this.unlink(b)) return;
    const x = b.source;
    if (x.autoDelete && x.bindings.size === 0) this.removeExchange(x);
  }

  /** Removes a binding from both of its ends; false when it was already gone. */
  private unlink(b: Binding): boolean {
    const x = b.source;
    if (!x.bindings.delete(b.key)) return false;
    const list = x.byKey.get(b.routingKey);
    if (list) {
      list.splice(list.indexOf(b), 1);
      if (list.length === 0) x.byKey.delete(b.routingKey);
    }
    x.cache.clear();
    if (b.destination.kind === 'queue') b.destination.queue.bindings.delete(b);
    else b.destination.exchange.incoming.delete(b);
    return true;
  }

  /** Forgets an exchange and every binding from or to it. */
  removeExchange(x: ExchangeState): void {
    for (const b of [...x.bindings.values()]) this.unlink(b);
    for (const b of [...x.incoming]) this.unlink(b);
    this.exchanges.delete(x.name);
  }

  // ───────────────────────────── routing ─────────────────────────────

  /** The queues a message published to `x` with these routing keys goes to (each once). */
  route(x: ExchangeState, keys: readonly string[], headers: Record<string, unknown>): QueueState[] {
    if (x === this.defaultExchange && keys.length === 1) {
      // The common case, without the general machinery.
      const q = this.queues.get(keys[0]!);
      return q ? [q] : [];
    }
    const out = new Set<QueueState>();
    this.routeInto(x, keys, headers, out, new Set());
    return [...out];
  }

  private routeInto(x: ExchangeState, keys: readonly string[], headers: Record<string, unknown>, out: Set<QueueState>, seen: Set<ExchangeState>): void {
    if (seen.has(x)) return;
    seen.add(x);
    const before = out.size;
    for (const key of keys) {
      for (const b of this.matching(x, key, headers)) {
        if (b.destination.kind === 'queue') out.add(b.destination.queue);
        else this.routeInto(b.destination.exchange, [key], headers, out, seen);
      }
    }
    if (out.size === before && x.alternate !== undefined) {
      const ae = this.exchanges.get(x.alternate);
      if (ae) this.routeInto(ae, keys, headers, out, seen);
    }
  }

  private matching(x: ExchangeState, key: string, headers: Record<string, unknown>): readonly Binding[] {
    if (x === this.defaultExchange) {
      const q = this.queues.get(key);
      return q ? [{ source: x, destination: { kind: 'queue', queue: q }, routingKey: key, args: undefined, key: '' }] : [];
    }
    switch (x.type) {
      case 'direct':
        return x.byKey.get(key) ?? [];
      case 'fanout':
        return [...x.bindings.values()];
      case 'headers':
        return [...x.bindings.values()].filter((b) => headersMatch(b.args, headers));
      case 'topic': {
        let hit = x.cache.get(key);
        if (hit === undefined) {
          hit = [...x.bindings.values()].filter((b) => topicMatches(b.routingKey, key));
          if (x.cache.size > 10_000) x.cache.clear();
          x.cache.set(key, hit);
        }
        return hit;
      }
    }
  }

  // ───────────────────────────── lookups ─────────────────────────────

  /** The queue named `name`, usable by `ch`; otherwise throws 404 NOT_FOUND or 405 RESOURCE_LOCKED. */
  mustQueue(name: string, method: MethodName, ch: BrokerChannelState): QueueState {
    const q = this.queues.get(name);
    if (!q) throw new BrokerClose(ReplyCode.NOT_FOUND, brokerText.noQueue(String(name)), method);
    checkExclusive(q, ch, method);
    return q;
  }

  /** The exchange named `name`; otherwise throws 404 NOT_FOUND. */
  mustExchange(name: string, method: MethodName): ExchangeState {
    const x = this.exchanges.get(name);
    if (!x) throw new BrokerClose(ReplyCode.NOT_FOUND, brokerText.noExchange(String(name)), method);
    return x;
  }

  /** Exchanges, for the UI. */
  exchangeInfos(): ExchangeInfo[] {
    return [...this.exchanges.values()].map((x) => ({ name: x.name, type: x.type, durable: x.durable, internal: x.internal }));
  }

  /** Bindings, for the UI. */
  bindingInfos(): BindingInfo[] {
    const bindings: BindingInfo[] = [];
    for (const x of this.exchanges.values())
      for (const b of x.bindings.values())
        bindings.push({
          source: x.name,
          destination: b.destination.kind === 'queue' ? b.destination.queue.name : b.destination.exchange.name,
          destinationType: b.destination.kind,
          routingKey: b.routingKey,
          ...(b.args ? { args: b.args } : {}),
        });
    return bindings;
  }
}

/** Throws 406 unless a headers-exchange binding's `x-match` is one RabbitMQ knows (or absent: `all`). */
function checkMatchArgument(args: Record<string, unknown> | undefined, method: MethodName): void {
  const m = args?.['x-match'];
  if (m === undefined || m === 'all' || m === 'any' || m === 'all-with-x' || m === 'any-with-x') return;
  const text =
    typeof m === 'string'
      ? `Invalid x-match field value <<${JSON.stringify(m)}>>; expected all, any, all-with-x, or any-with-x`
      : `Invalid x-match field type ${wireType(m)} (value ${JSON.stringify(m)}); expected longstr`;
  throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, `PRECONDITION_FAILED - ${text}`, method);
}

/** Throws 405 RESOURCE_LOCKED when `q` is exclusive to another connection than `ch`'s. */
export function checkExclusive(q: QueueState, ch: BrokerChannelState, method: MethodName): void {
  if (q.exclusiveOwner !== undefined && q.exclusiveOwner !== ch.connectionId) throw new BrokerClose(ReplyCode.RESOURCE_LOCKED, brokerText.locked(q.name), method);
}
