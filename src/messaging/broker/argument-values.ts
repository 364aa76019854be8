/**
 * Argument values as RabbitMQ sees them: the AMQP field type amqplib puts a
 * JavaScript value on the wire as, how RabbitMQ's messages print a value, and
 * RabbitMQ's checks of a value (each returns the reason RabbitMQ gives, or
 * undefined when the value is fine). Pure functions.
 */

/**
 * The AMQP field type amqplib encodes a value as, by the name RabbitMQ's
 * messages use: whole numbers are `byte`, `short`, `signedint` or `long` by
 * size, other numbers `double`.
 */
export function wireType(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return 'longstr';
    case 'boolean':
      return 'bool';
    case 'number':
      if (!Number.isInteger(v)) return 'double';
      if (v >= -128 && v <= 127) return 'byte';
      if (v >= -32768 && v <= 32767) return 'short';
      return v >= -2147483648 && v <= 2147483647 ? 'signedint' : 'long';
    default:
      if (v === null || v === undefined) return 'void';
      return Array.isArray(v) ? 'array' : 'table';
  }
}

/** A value as RabbitMQ prints it inside quotes. */
export function printValue(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/** One side of an inequivalent-argument message: `none`, or `the value '1000' of type 'short'`. */
export function describeAlone(v: unknown): string {
  return v === undefined ? 'none' : `the value '${printValue(v)}' of type '${wireType(v)}'`;
}

/** True when two argument values are the same on the wire. */
export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));
}

/** Checks one argument value: RabbitMQ's reason for refusing it, or undefined. */
export type ValueCheck = (v: unknown) => string | undefined;

const INTEGER_TYPES = new Set(['byte', 'short', 'signedint', 'long']);

/** Any whole number (RabbitMQ's reason quotes the wire type it got instead). */
export const integer: ValueCheck = (v) => (INTEGER_TYPES.has(wireType(v)) ? undefined : `"expected integer, got ${wireType(v)}"`);

/** A whole number, 0 or more. */
export const nonNegative: ValueCheck = (v) => integer(v) ?? ((v as number) < 0 ? `{value_negative,${String(v)}}` : undefined);

/** A whole number, 1 or more. */
export const positive: ValueCheck = (v) => nonNegative(v) ?? (v === 0 ? '{value_zero,0}' : undefined);

/** A boolean. */
export const bool: ValueCheck = (v) => (typeof v === 'boolean' ? undefined : `{unacceptable_type,${wireType(v)}}`);

/** A string. */
export const text: ValueCheck = (v) => (typeof v === 'string' ? undefined : `{unacceptable_type,${wireType(v)}}`);

/** A string that is one of `allowed`; otherwise `reason(v)`. */
export function oneOf(allowed: readonly string[], reason: (v: string) => string): ValueCheck {
  return (v) => text(v) ?? (allowed.includes(v as string) ? undefined : reason(v as string));
}

/** A whole number from 0 to `max`. */
export function atMost(max: number): ValueCheck {
  return (v) => nonNegative(v) ?? ((v as number) > max ? `{max_value_exceeded,${String(v)}}` : undefined);
}

/**
 * The `expiration` property as RabbitMQ reads it (Erlang's
 * `string:to_integer`): the TTL in ms, or the reason it is refused
 * (`no_integer`, `{leftover_string,".5"}`, `{value_negative,-1}`).
 */
export function parseExpiration(exp: string): { ttl: number } | { reason: string } {
  const m = /^[+-]?\d+/.exec(exp);
  if (m === null) return { reason: 'no_integer' };
  const rest = exp.slice(m[0].length);
  if (rest !== '') return { reason: `{leftover_string,${JSON.stringify(rest)}}` };
  const n = Number(m[0]);
  if (n < 0) return { reason: `{value_negative,${n}}` };
  if (n > 4294967295) return { reason: `{value_too_large,${n}}` };
  return { ttl: n };
}
