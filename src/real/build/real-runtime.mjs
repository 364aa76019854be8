// Build side of real mode: runs in Node only, at build (and dev-server) time, from vite.config.ts
// and the tests. Bundles src/real/runtime-entry.ts (the `spp` command with the playground module)
// into one ES module for Node that a project downloaded from the page runs; amqplib and express
// stay dependencies of that project, everything else is inside.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** Where the page finds the runtime file (relative to the site's base). */
export const REAL_RUNTIME_FILE = 'spp-runtime.mjs';

/** The packages the runtime file imports: the downloaded project's dependencies. */
export const REAL_RUNTIME_PACKAGES = ['amqplib', 'express'];

/** The id page code imports to learn the runtime file's name and dependencies. */
export const REAL_RUNTIME_MODULE_ID = 'virtual:spp-real-runtime';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * The runtime's dependencies with the exact versions this repository uses
 * (from its package.json), for the downloaded project's package.json.
 * @returns {Record<string, string>}
 */
export function realRuntimeDependencies() {
  const { dependencies } = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8'));
  return Object.fromEntries(REAL_RUNTIME_PACKAGES.map((name) => {
    const version = dependencies[name];
    if (!version) throw new Error(`real-mode runtime: ${name} is not a dependency in package.json`);
    return [name, version];
  }));
}
const ENTRY = fileURLToPath(new URL('../runtime-entry.ts', import.meta.url));

/**
 * Bundles the real-mode runtime into one ES module for Node 20, minified with
 * class and function names kept (errors are told apart by their names).
 * @returns {Promise<{ code: string, moduleIds: string[] }>}
 */
export async function bundleRealRuntime() {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    root: ROOT,
    ssr: { noExternal: true, target: 'node' },
    build: {
      ssr: ENTRY,
      write: false,
      minify: true,
      target: 'node20',
      emptyOutDir: false,
      rolldownOptions: {
        external: [...REAL_RUNTIME_PACKAGES, /^node:/],
        // Minified for a smaller download, with class and function names kept (error names are read).
        output: { format: 'es', codeSplitting: false, keepNames: true },
      },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  const chunks = outputs.flatMap((o) => ('output' in o ? o.output : [])).filter((c) => c.type === 'chunk');
  if (chunks.length !== 1) throw new Error(`real-mode runtime: expected one chunk, got ${chunks.length}`);
  const chunk = chunks[0];
  return { code: `// spp: the Service Patterns Playground's real-mode runtime (the \`spp\` command and the \`playground\` module), built from its sources.\n${chunk.code}`, moduleIds: chunk.moduleIds ?? [] };
}

/**
 * Vite plugin: the built site carries the runtime file as `spp-runtime.mjs`
 * (so the service worker keeps it for offline use); the dev server builds it
 * on request. `import runtime from 'virtual:spp-real-runtime'` gives its file
 * name and dependencies.
 * @returns {import('vite').Plugin}
 */
export function realRuntimePlugin() {
  /** @type {Promise<{ code: string }> | undefined} */
  let dev;
  let building = false;
  const resolved = '\0' + REAL_RUNTIME_MODULE_ID;
  return {
    name: 'spp-real-runtime',
    resolveId: (id) => (id === REAL_RUNTIME_MODULE_ID ? resolved : undefined),
    load(id) {
      if (id !== resolved) return undefined;
      return `export default ${JSON.stringify({ file: REAL_RUNTIME_FILE, dependencies: realRuntimeDependencies() })};`;
    },
    configResolved(config) {
      building = config.command === 'build';
    },
    async buildStart() {
      if (!building) return;
      const { code } = await bundleRealRuntime();
      this.emitFile({ type: 'asset', fileName: REAL_RUNTIME_FILE, source: code });
    },
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        if (!req.url || new URL(req.url, 'http://x').pathname !== `/${REAL_RUNTIME_FILE}`) return next();
        try {
          dev ??= bundleRealRuntime();
          const { code } = await dev;
          res.setHeader('content-type', 'text/javascript; charset=utf-8');
          res.end(code);
        } catch (e) {
          dev = undefined;
          next(e);
        }
      });
    },
  };
}
