import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transpile } from '../runner/transpiler/transpile.js';
import { PROGRAM_PRELUDE } from './program-globals.js';

/** A program could not be loaded; `where` is `file:line:column` when known. */
export class ProgramError extends Error {
  constructor(
    message: string,
    readonly where: string,
  ) {
    super(message);
    this.name = 'ProgramError';
  }

  /** `where: message`, as compilers print it. */
  describe(): string {
    return `${this.where}: ${this.message}`;
  }
}

/** A program ready to import, and how to tell its frames in a stack. */
export interface PreparedProgram {
  /** URL of the transpiled module. */
  url: string;
  /** The program's file, as given (for messages). */
  file: string;
  /** True when the program's text calls `name(` (for notes about what real mode does differently). */
  mentions(name: string): boolean;
  /** True when the program's text has `name` as a string literal (a service it may make later, in `main()`). */
  quotes(name: string): boolean;
  /** Where an error thrown by the program's code happened (`file:line:column`), if it did. */
  locate(error: unknown): string | undefined;
  /** Removes the transpiled module. */
  dispose(): void;
}

/**
 * Reads a TypeScript program, checks that it imports only `'playground'`,
 * and turns it into a module whose `'playground'` import is `playgroundUrl`,
 * the very playground module this command runs with (the real host being
 * current: `src/playground/index.ts` from the repository, or the prebuilt
 * runtime file itself in an exported project), and whose timers, `Date` and
 * `Math.random` are the run's. Lines keep their numbers, so an error points
 * at the TypeScript. Throws {@link ProgramError} for an unreadable file, a
 * syntax error or another import.
 *
 * @example
 * const program = prepareProgram('examples/retry-backoff/main.ts', playgroundUrl);
 * try { await import(program.url); } finally { program.dispose(); }
 */
export function prepareProgram(file: string, playgroundUrl: string): PreparedProgram {
  const near = relative(process.cwd(), file);
  const shown = near && !near.startsWith('..') ? near : resolve(file);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ProgramError(`cannot read the program: ${(e as Error).message}`, shown);
  }
  const out = transpile(source, { playgroundUrl, fileName: basename(file) });
  if (!out.ok) {
    const { message, line, column } = out.error;
    throw new ProgramError(message, line === undefined ? shown : `${shown}:${line}:${column ?? 1}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'spp-program-'));
  const path = join(dir, `${basename(file).replace(/\.[cm]?tsx?$/, '')}.mjs`);
  // On the first line, so every line of the program keeps its number.
  writeFileSync(path, `${PROGRAM_PRELUDE} ${out.code}`);
  const url = pathToFileURL(path).href;
  return {
    url,
    file: shown,
    mentions: (name) => new RegExp(`\\b${name}\\s*[<(]`).test(source),
    quotes: (name) => ['"', "'", '`'].some((q) => source.includes(`${q}${name}${q}`)),
    locate(error) {
      const stack = error instanceof Error ? error.stack ?? '' : '';
      for (const m of stack.matchAll(/(file:\/\/[^\s)]+|\/[^\s):]+):(\d+):(\d+)/g)) {
        const at = m[1]!.startsWith('file:') ? fileURLToPath(m[1]!) : m[1]!;
        if (at !== path) continue;
        const line = Number(m[2]);
        // The prelude shares line 1: columns there are shifted by it.
        const column = line === 1 ? Math.max(1, Number(m[3]) - PROGRAM_PRELUDE.length - 1) : Number(m[3]);
        return `${shown}:${line}:${column}`;
      }
      return undefined;
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
