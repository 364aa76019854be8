/**
 * The layer rule, as data: which folders of src/ each folder may import, and
 * which packages. ARCHITECTURE.md explains it; layers.test.ts enforces it.
 */

export type Layer = 'sim' | 'messaging' | 'patterns' | 'playground' | 'runner' | 'explore' | 'share' | 'ui' | 'main' | 'offline' | 'examples' | 'real';

/**
 * How one layer may use another: `'all'` any import; `'types'` type-only
 * imports; a list of files: type-only imports from anywhere in that layer and
 * value imports from the files listed (paths from the repository root).
 */
export type Access = 'all' | 'types' | readonly string[];

export interface LayerRule {
  imports: Partial<Record<Layer, Access>>;
  /** Bare specifiers it may import (`node:` built-ins are named one by one), or files outside src/. */
  packages: readonly string[];
}

const CORE = ['rxjs'];

export const LAYERS: Record<Layer, LayerRule> = {
  sim: { imports: {}, packages: CORE },
  messaging: { imports: { sim: 'all' }, packages: CORE },
  // HMAC-SHA256 for service tokens: the sandbox has no WebCrypto.
  patterns: { imports: { sim: 'all', messaging: 'all' }, packages: [...CORE, '@noble/hashes'] },
  playground: { imports: { sim: 'all', messaging: 'all', patterns: 'all' }, packages: CORE },
  // The runner creates worlds and binds globals from sim; its build plugin runs in Vite (Node).
  runner: {
    imports: { playground: 'all', sim: 'all' },
    packages: ['sucrase', 'vite', 'node:url', 'node:path', 'node:fs', 'playground', 'virtual:playground-runtime'],
  },
  // Runs a program over many seeds through a runner it is given; pure, so it runs in the page, a Worker or Node.
  explore: {
    imports: {
      sim: 'all',
      messaging: 'types',
      patterns: 'all',
      playground: 'types',
      runner: ['src/runner/index.ts', 'src/runner/protocol.ts', 'src/runner/limits.ts', 'src/runner/reports.ts'],
    },
    packages: [],
  },
  share: { imports: {}, packages: ['lz-string'] },
  // The page reads the trace and the fault plan as data; everything else it gets through the runner's reports.
  ui: {
    imports: {
      runner: 'types',
      share: 'all',
      // Explore and compare are orchestrated on the page's thread; the runs themselves go to the sandbox.
      explore: 'all',
      examples: 'types',
      sim: ['src/sim/trace.ts', 'src/sim/faults.ts', 'src/sim/fault-space.ts', 'src/sim/fault-space-check.ts'],
      messaging: 'types',
      patterns: 'types',
    },
    packages: ['lit', 'monaco-editor', 'monaco-esm', 'virtual:playground-types', 'markdown-it', 'fflate'],
  },
  main: {
    imports: { ui: 'all', runner: 'all', share: 'all', examples: 'all', sim: 'types' },
    // The sandbox's boot script, a static file of its own, read as text.
    packages: ['lit', 'virtual:playground-runtime', 'virtual:spp-real-runtime', 'public/sandbox/boot.js?raw'],
  },
  offline: { imports: {}, packages: [] },
  // Course content sees only the playground module, like a learner's code.
  examples: { imports: {}, packages: ['playground'] },
  // Node-only runtime of the playground module on real infrastructure (the `spp` command). It reuses
  // the runner's transpile (same import rule and line numbers as the page) and console capture.
  real: {
    imports: { sim: 'all', messaging: 'all', patterns: 'all', playground: 'all', runner: ['src/runner/transpiler/transpile.ts', 'src/runner/worker/console-capture.ts'] },
    packages: [...CORE, 'express', 'amqplib', 'commander', 'jose', 'vite', 'node:crypto', 'node:fs', 'node:http', 'node:https', 'node:os', 'node:path', 'node:perf_hooks', 'node:url'],
  },
};
