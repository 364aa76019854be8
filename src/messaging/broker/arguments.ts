/**
 * Queue, exchange and consumer arguments: reading them from amqplib-style
 * options, checking their values as RabbitMQ 3.10 does (and refusing the few
 * the simulation does not model, with a reason that says so), the warnings
 * for arguments that have no effect, and the equivalence check of a repeated
 * declaration. What each argument changes lives with the part of the broker
 * it changes.
 */
import { BrokerClose, brokerText, ReplyCode } from '../amqp-errors.js';
import type { ExchangeType, Options } from '../amqp-types.js';
import { atMost, bool, describeAlone, integer, nonNegative, oneOf, positive, printValue, sameValue, text, type ValueCheck } from './argument-values.js';

/** The kinds of queue the broker models. */
export type QueueType = 'classic' | 'quorum';

/** What a queue does with a message that would take it over its length limits. */
export type Overflow = 'drop-head' | 'reject-publish' | 'reject-publish-dlx';

/** The arguments of a queue that change how it behaves. */
export interface QueueArgs {
  type: QueueType;
  messageTtl?: number;
  expires?: number;
  deadLetterExchange?: string;
  deadLetterRoutingKey?: string;
  maxLength?: number;
  /** Most bytes of message bodies the ready messages may add up to. */
  maxLengthBytes?: number;
  overflow: Overflow;
  /** Present: a priority queue with levels 0 to this. */
  maxPriority?: number;
  singleActiveConsumer: boolean;
  /** Quorum queues: how many times a message may come back before it is dead-lettered. */
  deliveryLimit?: number;
}

/** A queue's declared properties, as a repeated declaration is compared with them. */
export interface QueueProperties {
  durable: boolean;
  autoDelete: boolean;
  /** The `x-…` arguments as declared. */
  rawArgs: Record<string, unknown>;
}

/** An exchange's declared properties, as a repeated declaration is compared with them. */
export interface ExchangeProperties {
  type: ExchangeType;
  durable: boolean;
  autoDelete: boolean;
  internal: boolean;
  rawArgs: Record<string, unknown>;
}

/** The flags of a queue declaration that a queue type may refuse. */
export interface QueueFlags {
  durable: boolean;
  exclusive: boolean;
  autoDelete: boolean;
}

const OVERFLOWS: readonly Overflow[] = ['drop-head', 'reject-publish', 'reject-publish-dlx'];

/** Every queue argument RabbitMQ 3.10 knows, with its value check. */
const QUEUE_ARGS: Readonly<Record<string, ValueCheck>> = {
  'x-expires': positive,
  'x-message-ttl': nonNegative,
  'x-dead-letter-exchange': text,
  'x-dead-letter-routing-key': text,
  'x-max-length': nonNegative,
  'x-max-length-bytes': nonNegative,
  'x-max-priority': atMost(255),
  'x-overflow': (v) => text(v) ?? (OVERFLOWS.includes(v as Overflow) ? undefined : 'invalid_overflow'),
  'x-queue-mode': oneOf(['default', 'lazy'], (v) => `"unsupported queue mode '${v}'"`),
  'x-queue-type': oneOf(['classic', 'quorum', 'stream'], (v) => `"unsupported queue type '${v}'"`),
  'x-single-active-consumer': bool,
  'x-delivery-limit': nonNegative,
  'x-dead-letter-strategy': oneOf(['at-most-once', 'at-least-once'], (v) => `"unsupported dead letter strategy '${v}'"`),
  'x-max-in-memory-length': nonNegative,
  'x-max-in-memory-bytes': nonNegative,
  'x-queue-master-locator': text,
  'x-queue-leader-locator': text,
  'x-quorum-initial-group-size': positive,
  'x-max-age': text,
  'x-stream-max-segment-size-bytes': nonNegative,
  'x-initial-cluster-size': positive,
};

/** The known arguments each queue type takes; a known argument outside its list is refused. */
const SUPPORTED: Readonly<Record<QueueType, ReadonlySet<string>>> = {
  classic: new Set(['x-expires', 'x-message-ttl', 'x-dead-letter-exchange', 'x-dead-letter-routing-key', 'x-max-length', 'x-max-length-bytes', 'x-max-priority', 'x-overflow', 'x-queue-mode', 'x-single-active-consumer', 'x-queue-type', 'x-queue-master-locator']),
  quorum: new Set([
    'x-expires', 'x-message-ttl', 'x-dead-letter-exchange', 'x-dead-letter-routing-key', 'x-dead-letter-strategy', 'x-max-length', 'x-max-length-bytes', 'x-max-in-memory-length',
    'x-max-in-memory-bytes', 'x-overflow', 'x-single-active-consumer', 'x-queue-type', 'x-quorum-initial-group-size', 'x-delivery-limit', 'x-queue-leader-locator',
  ]),
};

/** Known arguments that change nothing a program could see on one in-memory node, and why. */
const NO_EFFECT: Readonly<Record<string, string>> = {
  'x-queue-master-locator': 'places the queue in a cluster; with one node it has no effect',
  'x-queue-leader-locator': 'places the queue in a cluster; with one node it has no effect',
  'x-quorum-initial-group-size': 'sizes the queue’s cluster group; with one node it has no effect',
  'x-max-in-memory-length': 'only limits what RabbitMQ keeps in memory; it has no effect here',
  'x-max-in-memory-bytes': 'only limits what RabbitMQ keeps in memory; it has no effect here',
};

/** Queue arguments a repeated declaration must repeat exactly. */
const CHECKED_QUEUE_ARGS = [
  'x-expires',
  'x-message-ttl',
  'x-dead-letter-exchange',
  'x-dead-letter-routing-key',
  'x-max-length',
  'x-max-length-bytes',
  'x-max-priority',
  'x-overflow',
  'x-queue-mode',
  'x-queue-type',
  'x-single-active-consumer',
  'x-delivery-limit',
];

/** The `x-…` arguments of a queue declaration, as amqplib sends them (a named option wins over the same key in `arguments`). */
export function queueArgumentsOf(options: Options.AssertQueue): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...(options.arguments ?? {}) };
  const set = (k: string, v: unknown) => {
    if (v !== undefined && v !== null) raw[k] = v;
  };
  set('x-expires', options.expires);
  set('x-message-ttl', options.messageTtl);
  set('x-dead-letter-exchange', options.deadLetterExchange);
  set('x-dead-letter-routing-key', options.deadLetterRoutingKey);
  set('x-max-length', options.maxLength);
  set('x-max-priority', options.maxPriority);
  set('x-overflow', options.overflow);
  set('x-queue-mode', options.queueMode);
  return raw;
}

/**
 * Checks the arguments and flags of a new queue as RabbitMQ 3.10 does, and
 * reads what they mean. Throws 406 PRECONDITION_FAILED with RabbitMQ's text,
 * or with a text saying what the simulation does not model.
 */
export function checkQueueArguments(queue: string, raw: Record<string, unknown>, flags: QueueFlags): QueueArgs {
  const fail = (text: string) => new BrokerClose(ReplyCode.PRECONDITION_FAILED, `PRECONDITION_FAILED - ${text}`, 'QueueDeclare');
  const bad = (arg: string, reason: string) => fail(`invalid arg '${arg}' for queue '${queue}' in vhost '/': ${reason}`);
  const typeReason = QUEUE_ARGS['x-queue-type']!(raw['x-queue-type'] ?? 'classic');
  if (typeReason !== undefined) throw bad('x-queue-type', typeReason);
  if (raw['x-queue-type'] === 'stream') throw bad('x-queue-type', "stream queues are not simulated; use 'classic' or 'quorum'");
  const type = (raw['x-queue-type'] ?? 'classic') as QueueType;
  for (const key of Object.keys(raw)) {
    const check = QUEUE_ARGS[key];
    const reason = check === undefined ? undefined : check(raw[key]);
    if (reason !== undefined) throw bad(key, reason);
  }
  if (raw['x-dead-letter-routing-key'] !== undefined && raw['x-dead-letter-exchange'] === undefined) throw bad('x-dead-letter-routing-key', 'routing_key_but_no_dlx_defined');
  for (const key of Object.keys(raw))
    if (QUEUE_ARGS[key] !== undefined && !SUPPORTED[type].has(key)) throw fail(`invalid arg '${key}' for queue '${queue}' in vhost '/' of queue type rabbit_${type}_queue`);
  const args: QueueArgs = { type, overflow: (raw['x-overflow'] as Overflow | undefined) ?? 'drop-head', singleActiveConsumer: raw['x-single-active-consumer'] === true };
  if (type === 'quorum') {
    const refused = !flags.durable ? 'non-durable' : flags.exclusive ? 'exclusive-owner' : flags.autoDelete ? 'auto-delete' : undefined;
    if (refused !== undefined) throw fail(`invalid property '${refused}' for queue '${queue}' in vhost '/'`);
    if (args.overflow === 'reject-publish-dlx')
      throw bad('x-overflow', "quorum queues in RabbitMQ 3.10 do not support 'reject-publish-dlx' (it acts as 'drop-head'); use 'reject-publish' or 'drop-head'");
    if (raw['x-dead-letter-strategy'] === 'at-least-once') throw bad('x-dead-letter-strategy', "'at-least-once' is not simulated; leave it out for at-most-once");
  }
  // Checked above: numbers are whole numbers and strings are strings.
  const num = (key: string) => raw[key] as number | undefined;
  args.messageTtl = num('x-message-ttl');
  args.expires = num('x-expires');
  args.deadLetterExchange = raw['x-dead-letter-exchange'] as string | undefined;
  args.deadLetterRoutingKey = raw['x-dead-letter-routing-key'] as string | undefined;
  args.maxLength = num('x-max-length');
  args.maxLengthBytes = num('x-max-length-bytes');
  args.maxPriority = num('x-max-priority');
  args.deliveryLimit = num('x-delivery-limit');
  return args;
}

/** Warnings for queue arguments that change nothing here: unknown to RabbitMQ 3.10, or about clusters and memory. */
export function queueArgumentWarnings(queue: string, raw: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of Object.keys(raw)) {
    if (QUEUE_ARGS[key] === undefined) out.push(`queue '${queue}': ${unknownArgument(key)}`);
    else if (NO_EFFECT[key] !== undefined) out.push(`queue '${queue}': argument '${key}' ${NO_EFFECT[key]}`);
  }
  return out;
}

function unknownArgument(key: string): string {
  return `argument '${key}' is not one RabbitMQ 3.10 knows; it is kept but has no effect`;
}

/** Throws 406 PRECONDITION_FAILED, worded as RabbitMQ words it, unless `declared` repeats what `existing` was declared with. */
export function checkQueueEquivalent(name: string, declared: QueueProperties, existing: QueueProperties): void {
  const inequivalent = (arg: string, got: string, cur: string) =>
    new BrokerClose(ReplyCode.PRECONDITION_FAILED, brokerText.inequivalent('queue', name, arg, got, cur), 'QueueDeclare');
  if (existing.durable !== declared.durable) throw inequivalent('durable', `'${declared.durable}'`, `'${existing.durable}'`);
  if (existing.autoDelete !== declared.autoDelete) throw inequivalent('auto_delete', `'${declared.autoDelete}'`, `'${existing.autoDelete}'`);
  for (const key of CHECKED_QUEUE_ARGS) {
    const got = declared.rawArgs[key];
    const cur = existing.rawArgs[key];
    if (sameValue(got, cur)) continue;
    if (got !== undefined && cur !== undefined) throw inequivalent(key, `'${printValue(got)}'`, `'${printValue(cur)}'`);
    throw inequivalent(key, describeAlone(got), describeAlone(cur));
  }
}

/** Reads an exchange's arguments from amqplib-style options (`alternateExchange` overrides `arguments`). */
export function exchangeArguments(options: Options.AssertExchange): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...(options.arguments ?? {}) };
  if (options.alternateExchange !== undefined) raw['alternate-exchange'] = options.alternateExchange;
  return raw;
}

/** Warnings for exchange arguments RabbitMQ 3.10 does not know (kept, not compared on redeclare). */
export function exchangeArgumentWarnings(exchange: string, raw: Record<string, unknown>): string[] {
  return Object.keys(raw)
    .filter((k) => k !== 'alternate-exchange')
    .map((k) => `exchange '${exchange}': ${unknownArgument(k)}`);
}

/** Throws 406 PRECONDITION_FAILED, worded as RabbitMQ words it, unless `declared` repeats what `existing` was declared with. */
export function checkExchangeEquivalent(name: string, declared: ExchangeProperties, existing: ExchangeProperties): void {
  const inequivalent = (arg: string, got: string, cur: string) =>
    new BrokerClose(ReplyCode.PRECONDITION_FAILED, brokerText.inequivalent('exchange', name, arg, got, cur), 'ExchangeDeclare');
  const check = (arg: string, got: unknown, cur: unknown) => {
    if (!sameValue(got, cur)) throw inequivalent(arg, `'${String(got)}'`, `'${String(cur)}'`);
  };
  check('type', declared.type, existing.type);
  check('durable', declared.durable, existing.durable);
  check('auto_delete', declared.autoDelete, existing.autoDelete);
  check('internal', declared.internal, existing.internal);
  const ae = declared.rawArgs['alternate-exchange'];
  const cur = existing.rawArgs['alternate-exchange'];
  if (sameValue(ae, cur)) return;
  if (ae !== undefined && cur !== undefined) throw inequivalent('alternate-exchange', `'${printValue(ae)}'`, `'${printValue(cur)}'`);
  throw inequivalent('alternate-exchange', describeAlone(ae), describeAlone(cur));
}

/** What a consumer's arguments mean, and what is said about those that mean nothing. */
export interface ConsumeArgs {
  /** `x-priority` (amqplib's `priority` option): higher-priority consumers are served first. */
  priority: number;
  warnings: string[];
}

/**
 * Reads and checks the arguments of basic.consume (`priority` becomes
 * `x-priority`, as amqplib does); throws 406 for a priority that is not a
 * whole number.
 */
export function checkConsumeArguments(queue: string, options: Options.Consume): ConsumeArgs {
  const raw: Record<string, unknown> = { ...(options.arguments ?? {}) };
  if (options.priority !== undefined) raw['x-priority'] = options.priority;
  const warnings: string[] = [];
  if (options.noLocal)
    warnings.push(`consume('${queue}', { noLocal: true }): RabbitMQ does not implement noLocal; messages published on this connection are still delivered`);
  let priority = 0;
  for (const key of Object.keys(raw)) {
    if (key === 'x-cancel-on-ha-failover') {
      warnings.push(`consume('${queue}'): argument '${key}' is about mirrored queues in a cluster; with one node it has no effect`);
      continue;
    }
    if (key !== 'x-priority') {
      warnings.push(`consume('${queue}'): argument '${key}' is not one RabbitMQ 3.10 knows; it has no effect`);
      continue;
    }
    const reason = integer(raw[key]);
    if (reason !== undefined)
      throw new BrokerClose(ReplyCode.PRECONDITION_FAILED, `PRECONDITION_FAILED - invalid arg 'x-priority' for queue '${queue}' in vhost '/': ${reason}`, 'BasicConsume');
    priority = raw[key] as number;
  }
  return { priority, warnings };
}
