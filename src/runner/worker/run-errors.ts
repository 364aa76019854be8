import type { ErrorDescription } from '../../sim/world.js';
import type { RunErrorKind } from '../protocol.js';
import { cleanStack, errorHeadline, userFrames, type UserSource } from './stack.js';
import { TraceBudgetError } from './trace-limits.js';

/** True for the engine's "too much recursion" errors. */
export function isStackOverflow(e: unknown): boolean {
  return (
    (e instanceof RangeError && /call stack/i.test(e.message)) ||
    (e instanceof Error && e.name === 'InternalError' && /recursion/i.test(e.message))
  );
}

/**
 * True for the engine's errors about memory: an allocation that failed, or an
 * array, string or buffer asked to be longer than the engine allows
 * (V8 and Firefox/Safari wording).
 */
export function isOutOfMemory(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e instanceof RangeError) return /allocation failed|invalid (typed )?array( buffer)? length|invalid string length|out of memory/i.test(e.message);
  return e.name === 'InternalError' && /out of memory|allocation size overflow/i.test(e.message);
}

/**
 * The kind of run error a thrown value stands for: a full trace, a stack
 * overflow and running out of memory are named as such whatever threw them;
 * anything else is `fallback`.
 */
export function runErrorKind(e: unknown, fallback: RunErrorKind): RunErrorKind {
  if (e instanceof TraceBudgetError) return 'budget';
  if (isStackOverflow(e)) return 'stack-overflow';
  return isOutOfMemory(e) ? 'memory' : fallback;
}

/**
 * How the runner describes an error: `Name: message`, a stack with only the
 * user's frames, and the TypeScript line and column of the innermost one.
 */
export function describeRunError(e: unknown, source: UserSource | undefined): ErrorDescription {
  let message = errorHeadline(e);
  if (isStackOverflow(e)) message += ' (endless or too deep recursion)';
  if (!source) return { message };
  const stack = cleanStack(e, source);
  const top = e instanceof Error ? userFrames(e.stack, source)[0] : undefined;
  return {
    message,
    ...(stack ? { stack } : {}),
    ...(top ? { line: top.line, column: top.column } : {}),
  };
}
