import type { SourcePosition } from '../source-map.js';
import { PROGRAM_FUNCTION } from '../transpiler/program-factory.js';

/** Where the user's module was loaded from and how to map its positions back to the TypeScript. */
export interface UserSource {
  /** The URL (or file path) the user's module was imported from, as it appears in stack traces. */
  url: string;
  /** Maps a 1-based position in the loaded JavaScript to the TypeScript; identity when absent. */
  toSource?: (generated: SourcePosition) => SourcePosition;
  /** Name shown for the user's file in cleaned stacks; default `main.ts`. */
  name?: string;
  /** The JavaScript that was loaded, to find the awaits of a run that waits forever (see `endless-wait.ts`). */
  code?: string;
}

/** One stack frame that points into the user's code, positioned in the TypeScript. */
export interface UserFrame extends SourcePosition {
  /** Function name as the engine gave it, or `undefined` for top-level code. */
  fn: string | undefined;
  /** The frame belongs to an async continuation (`at async f (…)`). */
  async: boolean;
}

/**
 * The frames of `stack` that point into the user's module, positioned in the
 * TypeScript. Understands V8 (`at f (url:1:2)`) and Firefox/Safari
 * (`f@url:1:2`) frames; `url` may be a Blob URL or a file path.
 *
 * @example
 * userFrames(err.stack, { url: 'blob:null/4f…' }); // [{ fn: 'main', line: 8, column: 3, async: false }]
 */
export function userFrames(stack: string | undefined, source: UserSource): UserFrame[] {
  if (!stack) return [];
  const frames: UserFrame[] = [];
  for (const line of stack.split('\n')) {
    const at = line.indexOf(source.url);
    if (at < 0) continue;
    const pos = /^:(\d+):(\d+)/.exec(line.slice(at + source.url.length));
    if (!pos) continue;
    const generated = { line: Number(pos[1]), column: Number(pos[2]) };
    const mapped = source.toSource ? source.toSource(generated) : generated;
    // A file path may show up as a file:// URL (Node's own loader) or bare (Vitest's).
    const head = line.slice(0, at).replace(/file:\/\/$/, '');
    const v8 = /^\s*at (async )?(.*?)\s*\(?$/.exec(head);
    const other = /^(.*)@$/.exec(head.trim());
    let fn: string | undefined;
    let isAsync = false;
    if (v8) {
      isAsync = Boolean(v8[1]);
      fn = v8[2] ? v8[2] : undefined;
    } else if (other) {
      fn = other[1] ? other[1] : undefined;
    }
    // The function a program's top-level code runs in (see toProgramFactory) stands for the module itself.
    if (fn === PROGRAM_FUNCTION || fn?.endsWith(`.${PROGRAM_FUNCTION}`)) fn = undefined;
    frames.push({ fn, async: isAsync, ...mapped });
  }
  return frames;
}

/** `Name: message` of any thrown value. */
export function errorHeadline(e: unknown): string {
  if (e instanceof Error) return e.message ? `${e.name}: ${e.message}` : e.name;
  if (e && typeof e === 'object' && 'message' in e && typeof (e as { message: unknown }).message === 'string') {
    return `Error: ${(e as { message: string }).message}`;
  }
  try {
    return `Uncaught ${typeof e === 'string' ? JSON.stringify(e) : String(e)}`;
  } catch {
    return 'Uncaught value';
  }
}

/**
 * A stack that shows only the user's frames, named after the user's file:
 * the same text in Node and in the browser, with no Blob URL or machine path
 * in it, so it can go into the trace without breaking determinism.
 */
export function cleanStack(e: unknown, source: UserSource): string | undefined {
  if (!(e instanceof Error) || typeof e.stack !== 'string') return undefined;
  const frames = userFrames(e.stack, source);
  if (frames.length === 0) return undefined;
  const file = source.name ?? 'main.ts';
  const lines = frames.map((f) => {
    const where = `${file}:${f.line}:${f.column}`;
    return `    at ${f.async ? 'async ' : ''}${f.fn ? `${f.fn} (${where})` : where}`;
  });
  return [errorHeadline(e), ...lines].join('\n');
}
