import { transform } from 'sucrase';
import { positionAt } from '../js-tokens.js';
import { createPositionMapper } from '../source-map.js';
import { findModuleSpecifiers } from './module-specifiers.js';
import { toProgramFactory } from './program-factory.js';

/** The one module user code may import. */
export const PLAYGROUND_SPECIFIER = 'playground';

/**
 * A problem in the user's source, positioned in the TypeScript (1-based line
 * and column): it does not parse (`syntax`), or it imports a module other
 * than `playground` (`import`).
 */
export interface SourceError {
  kind: 'syntax' | 'import';
  message: string;
  line?: number;
  column?: number;
}

/** Options of {@link transpile}. */
export interface TranspileOptions {
  /** What `'playground'` imports are rewritten to (the runtime's URL); left as is when absent. */
  playgroundUrl?: string;
  /** Name of the source file in source maps and messages; default `main.ts`. */
  fileName?: string;
  /**
   * Give the program as a module that exports its top-level code as a
   * function, to be imported once and called for every run (see
   * `toProgramFactory`), rather than as a module to import anew per run.
   */
  program?: boolean;
}

/** What {@link transpile} gives back. */
export type TranspileResult =
  | {
      ok: true;
      /** JavaScript with ES imports kept; line numbers equal those of the TypeScript. */
      code: string;
      /** `mappings` of the source map from `code` back to the TypeScript. */
      mappings: string;
    }
  | { ok: false; error: SourceError };

/**
 * Turns the user's TypeScript into JavaScript for the sandbox: types are
 * stripped by sucrase (which keeps every statement on its line), ES imports
 * stay, and `'playground'` imports point at `playgroundUrl`. Any other import,
 * and any syntax error, comes back as a {@link SourceError} with its position.
 *
 * @example
 * const out = transpile("import { log } from 'playground';\nconst n: number = 1;\nlog.info(String(n));", { playgroundUrl: 'blob:null/…' });
 * if (out.ok) out.code; // "import { log } from 'blob:null/…';\nconst n = 1;\n…"
 * else out.error;       // { message, line, column }
 */
export function transpile(source: string, options: TranspileOptions = {}): TranspileResult {
  const fileName = options.fileName ?? 'main.ts';
  let code: string;
  let mappings: string;
  try {
    const out = transform(source, {
      transforms: ['typescript'],
      disableESTransforms: true,
      filePath: fileName,
      sourceMapOptions: { compiledFilename: fileName.replace(/\.ts$/, '.js') },
    });
    code = out.code;
    mappings = out.sourceMap?.mappings ?? '';
  } catch (e) {
    return { ok: false, error: syntaxErrorOf(e) };
  }

  const toSource = createPositionMapper(mappings);
  const sites = findModuleSpecifiers(code);
  for (const site of sites) {
    if (site.value !== PLAYGROUND_SPECIFIER) {
      const at = toSource(positionAt(code, site.start));
      return {
        ok: false,
        error: {
          kind: 'import',
          message: `Cannot import '${site.value}': a playground program can only import from '${PLAYGROUND_SPECIFIER}'. Remove this import and use what '${PLAYGROUND_SPECIFIER}' offers instead.`,
          ...at,
        },
      };
    }
  }
  const url = options.playgroundUrl;
  if (url !== undefined) {
    // Rewrite from the end so earlier offsets stay valid; the URL has no newline, so lines are kept.
    for (let k = sites.length - 1; k >= 0; k--) {
      const site = sites[k]!;
      code = code.slice(0, site.start) + JSON.stringify(url) + code.slice(site.end);
    }
  }
  return options.program ? { ok: true, ...toProgramFactory(code, mappings) } : { ok: true, code, mappings };
}

function syntaxErrorOf(e: unknown): SourceError {
  const err = e as { message?: unknown; loc?: { line?: unknown; column?: unknown } };
  const raw = typeof err?.message === 'string' ? err.message : String(e);
  // sucrase appends " (line:column)" to its messages and puts the same numbers in `loc` (both 1-based).
  const message = `SyntaxError: ${raw.replace(/^Error transforming [^:]*: /, '').replace(/\s*\(\d+:\d+\)$/, '')}`;
  const line = err?.loc?.line;
  const column = err?.loc?.column;
  return typeof line === 'number' && typeof column === 'number' ? { kind: 'syntax', message, line, column } : { kind: 'syntax', message };
}
