/**
 * Queue and exchange arguments: reading them from amqplib-style options,
 * checking their values as RabbitMQ does, and the equivalence check of a
 * repeated declaration. New `x-…` arguments (queue types, priorities,
 * delivery limits, single active consumer) are read and checked here; what
 * they change lives with the part of the broker they change.
 */
import { BrokerClose, brokerText, ReplyCode } from '../amqp-errors.js';
import type { ExchangeType, Options } from '../amqp-types.js';

/** The arguments of a queue that change how it behaves. */
export interface QueueArgs {
  messageTtl?: number;
  expires?: number;
  deadLetterExchange?: string;
  deadLetterRoutingKey?: string;
  maxLength?: number;
  overflow: 'drop-head' | 'reject-publish' | 'reject-publish-dlx';
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
];

/** The AMQP field type RabbitMQ names in its messages for a value. */
function amqpType(v: unknown): string {
  if (typeof v === 'string') return 'longstr';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? (v >= -2147483648 && v <= 2147483647 ? 'signedint' : 'long') : 'double';
  if (Array.isArray(v)) return 'array';
  return 'table';
}

function describeArg(v: unknown): string {
  return v === undefined ? 'none' : `the value '${typeof v === 'object' ? JSON.stringify(v) : String(v)}' of type '${amqpType(v)}'`;
}

function sameArg(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
}

/** Reads the queue arguments from amqplib-style options (named options override `arguments`). */
export function queueArguments(queue: string, options: Options.AssertQueue): { raw: Record<string, unknown>; args: QueueArgs } {
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
  const bad = (arg: string, detail: string) =>
    new BrokerClose(ReplyCode.PRECONDITION_FAILED, `PRECONDITION_FAILED - invalid arg '${arg}' for queue '${queue}' in vhost '/': ${detail}`, 'QueueDeclare');
  const int = (arg: string, min: number): number | undefined => {
    const v = raw[arg];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw bad(arg, `{unacceptable_type,${amqpType(v)}}`);
    if (v < min) throw bad(arg, min === 0 ? `{value_negative,${v}}` : `{value_zero,${v}}`);
    return v;
  };
  const args: QueueArgs = { overflow: 'drop-head' };
  const ttl = int('x-message-ttl', 0);
  if (ttl !== undefined) args.messageTtl = ttl;
  const expires = int('x-expires', 1);
  if (expires !== undefined) args.expires = expires;
  const maxLength = int('x-max-length', 0);
  if (maxLength !== undefined) args.maxLength = maxLength;
  const dlx = raw['x-dead-letter-exchange'];
  if (dlx !== undefined) {
    if (typeof dlx !== 'string') throw bad('x-dead-letter-exchange', `{unacceptable_type,${amqpType(dlx)}}`);
    args.deadLetterExchange = dlx;
  }
  const dlrk = raw['x-dead-letter-routing-key'];
  if (dlrk !== undefined) {
    if (typeof dlrk !== 'string') throw bad('x-dead-letter-routing-key', `{unacceptable_type,${amqpType(dlrk)}}`);
    if (dlx === undefined) throw bad('x-dead-letter-routing-key', 'routing_key_but_no_dlx_defined');
    args.deadLetterRoutingKey = dlrk;
  }
  const overflow = raw['x-overflow'];
  if (overflow !== undefined) {
    if (overflow !== 'drop-head' && overflow !== 'reject-publish' && overflow !== 'reject-publish-dlx') throw bad('x-overflow', `{unknown_overflow_value,${String(overflow)}}`);
    args.overflow = overflow;
  }
  return { raw, args };
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
    if (!sameArg(got, cur)) throw inequivalent(key, describeArg(got), describeArg(cur));
  }
}

/** Reads an exchange's arguments from amqplib-style options (`alternateExchange` overrides `arguments`). */
export function exchangeArguments(options: Options.AssertExchange): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...(options.arguments ?? {}) };
  if (options.alternateExchange !== undefined) raw['alternate-exchange'] = options.alternateExchange;
  return raw;
}

/** Throws 406 PRECONDITION_FAILED, worded as RabbitMQ words it, unless `declared` repeats what `existing` was declared with. */
export function checkExchangeEquivalent(name: string, declared: ExchangeProperties, existing: ExchangeProperties): void {
  const inequivalent = (arg: string, got: string, cur: string) =>
    new BrokerClose(ReplyCode.PRECONDITION_FAILED, brokerText.inequivalent('exchange', name, arg, got, cur), 'ExchangeDeclare');
  const check = (arg: string, got: unknown, cur: unknown) => {
    if (!sameArg(got, cur)) throw inequivalent(arg, `'${String(got)}'`, `'${String(cur)}'`);
  };
  check('type', declared.type, existing.type);
  check('durable', declared.durable, existing.durable);
  check('auto_delete', declared.autoDelete, existing.autoDelete);
  check('internal', declared.internal, existing.internal);
  const ae = declared.rawArgs['alternate-exchange'];
  const cur = existing.rawArgs['alternate-exchange'];
  if (!sameArg(ae, cur)) throw inequivalent('alternate-exchange', describeArg(ae), describeArg(cur));
}
