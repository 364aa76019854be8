// Build side of the runner: runs in Node only, at build (and dev-server) time, from
// vite.config.ts and web-test-runner.config.mjs; never bundled into the page. It bundles
// src/runner/worker/runtime-entry.ts into one self-contained ES module: the text the sandbox loads.
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** The sandbox runtime's entry module. */
export const RUNTIME_ENTRY = fileURLToPath(new URL('../worker/runtime-entry.ts', import.meta.url));

/** The id page code imports to get the runtime's source text (`export default string`). */
export const RUNTIME_MODULE_ID = 'virtual:playground-runtime';

/**
 * Bundles the runtime (playground API + the Worker's run entry) into one ES
 * module with no imports. Not minified: class and function names stay as
 * written, so error names and messages are the same as in Node.
 * @returns {Promise<{ code: string, moduleIds: string[] }>}
 */
export async function bundleRuntime() {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    root: fileURLToPath(new URL('../../..', import.meta.url)),
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      emptyOutDir: false,
      lib: { entry: RUNTIME_ENTRY, formats: ['es'], fileName: 'playground-runtime' },
      rolldownOptions: { output: { codeSplitting: false } },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  const chunks = outputs.flatMap((o) => ('output' in o ? o.output : [])).filter((c) => c.type === 'chunk');
  if (chunks.length !== 1) throw new Error(`playground runtime: expected one chunk, got ${chunks.length}`);
  const chunk = chunks[0];
  return { code: chunk.code, moduleIds: chunk.moduleIds ?? [] };
}

/**
 * Vite plugin: `import runtimeSource from 'virtual:playground-runtime'` gives
 * the runtime's source text, built with {@link bundleRuntime} in dev and in
 * production alike (in dev its sources are watched, so an edit rebuilds it).
 * @returns {import('vite').Plugin}
 */
export function playgroundRuntimePlugin() {
  const resolved = '\0' + RUNTIME_MODULE_ID;
  return {
    name: 'playground-runtime',
    resolveId(id) {
      return id === RUNTIME_MODULE_ID ? resolved : undefined;
    },
    async load(id) {
      if (id !== resolved) return undefined;
      const { code, moduleIds } = await bundleRuntime();
      for (const file of moduleIds) if (!file.startsWith('\0') && !file.includes('node_modules')) this.addWatchFile(file);
      return `export default ${JSON.stringify(code)};`;
    },
  };
}
