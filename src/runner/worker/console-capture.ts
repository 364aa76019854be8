import type { LogLevel } from '../../sim/trace.js';

/** The console methods a run captures, and the log level each becomes. */
export const CONSOLE_LEVELS = { log: 'info', info: 'info', debug: 'debug', warn: 'warn', error: 'error' } as const satisfies Record<
  string,
  LogLevel
>;

/** Longest console message kept, in characters; the rest is cut with a note. */
export const MAX_CONSOLE_MESSAGE = 4_000;

type ConsoleLike = Record<string, unknown>;

/**
 * Routes `console.log/info/debug/warn/error` of `target` to `write` for the
 * duration of a run, formatting the arguments the same way in every host.
 * Returns the function that puts the original methods back.
 *
 * @example
 * const restore = captureConsole(globalThis.console, (level, message) => world.trace.record('log', { source: 'console', level, message }));
 * try { console.log('hi', { a: 1 }); } finally { restore(); } // one 'log' event: "hi {"a":1}"
 */
export function captureConsole(target: ConsoleLike | undefined, write: (level: LogLevel, message: string) => void): () => void {
  if (!target) return () => undefined;
  const saved: Array<[string, PropertyDescriptor | undefined]> = [];
  for (const [method, level] of Object.entries(CONSOLE_LEVELS)) {
    saved.push([method, Object.getOwnPropertyDescriptor(target, method)]);
    Object.defineProperty(target, method, {
      value: (...args: unknown[]) => write(level, formatConsoleArgs(args)),
      writable: true,
      configurable: true,
      enumerable: true,
    });
  }
  return () => {
    for (const [method, desc] of saved.reverse()) {
      if (desc) Object.defineProperty(target, method, desc);
      else delete target[method];
    }
  };
}

/**
 * Formats console arguments into one line, like a console would but the same
 * in Node and every browser: `%s %d %i %f %o %O %j %%` in a leading string,
 * strings as they are, other values as compact JSON.
 */
export function formatConsoleArgs(args: readonly unknown[]): string {
  const parts: string[] = [];
  let rest = args;
  const first = args[0];
  if (typeof first === 'string' && first.includes('%')) {
    let k = 1;
    const head = first.replace(/%([sdifoOjc%])/g, (whole, spec: string) => {
      if (spec === '%') return '%';
      if (k >= args.length) return whole;
      const v = args[k++];
      switch (spec) {
        case 's':
          return typeof v === 'string' ? v : formatValue(v);
        case 'd':
        case 'i':
          return typeof v === 'bigint' ? `${v}n` : String(spec === 'i' ? Math.trunc(Number(v)) : Number(v));
        case 'f':
          return String(Number(v));
        case 'c':
          return '';
        default:
          return formatValue(v);
      }
    });
    parts.push(head);
    rest = args.slice(k);
  } else if (args.length > 0) {
    parts.push(typeof first === 'string' ? first : formatValue(first));
    rest = args.slice(1);
  }
  for (const v of rest) parts.push(typeof v === 'string' ? v : formatValue(v));
  const message = parts.join(' ');
  return message.length > MAX_CONSOLE_MESSAGE
    ? `${message.slice(0, MAX_CONSOLE_MESSAGE)}… (${message.length - MAX_CONSOLE_MESSAGE} more characters cut)`
    : message;
}

/** One value as console text: primitives as `String`, errors as `Name: message`, the rest as JSON. */
export function formatValue(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'symbol':
      return String(v);
    case 'bigint':
      return `${v}n`;
    case 'function':
      return `[Function ${v.name || '(anonymous)'}]`;
  }
  if (v === null) return 'null';
  if (v instanceof Error) return v.message ? `${v.name}: ${v.message}` : v.name;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  if (v instanceof Map) return `Map(${v.size}) ${json(Object.fromEntries([...v].map(([k, x]) => [String(k), x])))}`;
  if (v instanceof Set) return `Set(${v.size}) ${json([...v])}`;
  return json(v);
}

function json(v: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(v, (_key, value: unknown) => {
        if (typeof value === 'bigint') return `${value}n`;
        if (typeof value === 'function') return `[Function ${value.name || '(anonymous)'}]`;
        if (value && typeof value === 'object') {
          if (seen.has(value)) return '[Circular]';
          seen.add(value);
        }
        return value;
      }) ?? String(v)
    );
  } catch {
    return Object.prototype.toString.call(v);
  }
}
