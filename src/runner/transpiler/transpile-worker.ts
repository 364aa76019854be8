/**
 * The transpiler's own Worker: the page hands it the user's TypeScript and
 * gets JavaScript back, so that parsing even a very long program (sucrase
 * takes ~280 ms for 20,000 lines) never blocks the page's main thread. It
 * only parses text; it never runs user code. Started by
 * `page/transpiler-client.ts`.
 */
import { transpile, type TranspileResult } from './transpile.js';

/** Page → transpiler Worker: transpile `source`, pointing `'playground'` imports at `playgroundUrl`. */
export interface TranspileRequest {
  id: number;
  source: string;
  playgroundUrl?: string;
  /** Give the program as a per-run function (`TranspileOptions.program`). */
  program?: boolean;
}

/** Transpiler Worker → page: the result of request `id`, or why the transpiler itself failed. */
export type TranspileResponse = { id: number; result: TranspileResult } | { id: number; failure: string };

interface WorkerScope {
  onmessage: ((e: MessageEvent<TranspileRequest>) => void) | null;
  postMessage(message: TranspileResponse): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (e) => {
  const { id, source, playgroundUrl, program } = e.data;
  try {
    scope.postMessage({ id, result: transpile(source, { ...(playgroundUrl === undefined ? {} : { playgroundUrl }), ...(program ? { program } : {}) }) });
  } catch (err) {
    scope.postMessage({ id, failure: err instanceof Error ? err.message : String(err) });
  }
};

// The first sucrase call is slow (cold code, ~50 ms): make it now rather than on the first run.
transpile("import { log } from 'playground';\nconst n: number = 1;\nexport default async function main(): Promise<void> { log.info(String(n)); }");
