import type { RunReport, SeedRun } from '../../runner/protocol.js';
import type { AppRunner } from '../app-deps.js';

/** Runners for one program over many seeds, and how to release them. */
export type SeedRunners = { ok: true; runners: SeedRun[]; close(): void } | { ok: false; report: RunReport };

/** Options of {@link openSeedRunners}. */
export interface SeedRunnersOptions {
  budgetMs?: number;
  maxEvents?: number;
  /** Workers of the pool; default: the pool's own (the machine's cores, at least 2). */
  workers?: number;
}

/**
 * Opens runners for `code` over many seeds: the sandbox's pool of warm
 * Workers when the runner has one, otherwise one runner that runs seed after
 * seed through `run` (tests, or a runner without pools). Explore, compare and
 * the checks over many schedules all start here.
 */
export async function openSeedRunners(runner: AppRunner, code: string, options: SeedRunnersOptions = {}): Promise<SeedRunners> {
  if (runner.openPool) return runner.openPool({ code, ...options });
  let next = 0;
  const one: SeedRun = async (seed, faults, signal) => {
    const runId = `seed-${next++}`;
    const onAbort = () => runner.stop();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await runner.run({ runId, code, seed, faults, budgetMs: options.budgetMs, maxEvents: options.maxEvents });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  };
  return { ok: true, runners: [one], close: () => {} };
}
