import type { transpile as Transpile } from './transpile.js';

/** The transpiler (sucrase) is a chunk of its own, loaded once, after the page has shown itself. */
let transpiler: Promise<typeof Transpile> | undefined;

/**
 * Loads the transpiler chunk (once); a failed load is tried again on the next call.
 *
 * @example
 * const transpile = await loadTranspiler();
 */
export function loadTranspiler(): Promise<typeof Transpile> {
  transpiler ??= import('./transpile.js').then(
    (m) => m.transpile,
    (e: unknown) => {
      transpiler = undefined; // try again next time (the chunk may load once the network is back)
      throw e;
    },
  );
  return transpiler;
}

/** The first sucrase call is slow (~50 ms, cold code); make it while the page is idle, not on the first Run. */
export function warmUpTranspiler(): void {
  const warm = () => void loadTranspiler().then((transpile) => transpile("import { log } from 'playground';\nconst n: number = 1;\nexport default async function main(): Promise<void> { log.info(String(n)); }"));
  const idle = (globalThis as { requestIdleCallback?: (cb: () => void) => unknown }).requestIdleCallback;
  if (typeof idle === 'function') idle(warm);
  else setTimeout(warm, 0);
}
