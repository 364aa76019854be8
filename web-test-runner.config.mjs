// Browser tests of the runner (npm run test:web): Debian Chromium through Playwright.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { build } from 'vite';
import { bundleRuntime } from './src/runner/build/runtime-bundle.mjs';
import { CHROMIUM_ARGS, findChromium } from './test/support/chromium.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Bundles an npm package that ships CommonJS pieces (sucrase) into one ES module, as Vite's dependency optimiser would. */
async function bundlePackage(name) {
  const entry = fileURLToPath(import.meta.resolve(name).replace(/\/dist\/index\.js$/, '/dist/esm/index.js'));
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    root,
    build: { write: false, minify: false, target: 'es2022', lib: { entry, formats: ['es'], fileName: name }, rolldownOptions: { output: { codeSplitting: false } } },
  });
  return (Array.isArray(out) ? out : [out])[0].output[0].code;
}

const runtime = bundleRuntime().then((r) => r.code);
const sucrase = bundlePackage('sucrase');
const lzString = bundlePackage('lz-string'); // CommonJS too; the app's share links use it
// Trace hashes of the fixture programs as Node computes them, to compare with the browser's.
const nodeHashes = new Promise((resolve, reject) => {
  execFile(process.execPath, ['--import', 'tsx', 'test/runner/node-hashes.mts'], { cwd: root, encoding: 'utf8' }, (error, stdout, stderr) =>
    error ? reject(new Error(`node-hashes.mts failed: ${stderr || error.message}`)) : resolve(stdout),
  );
});
nodeHashes.catch(() => undefined); // reported by the test that fetches it

export default {
  rootDir: root,
  files: ['test/web/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1,
  testFramework: { config: { timeout: 20_000 } },
  testsFinishTimeout: 120_000,
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: findChromium(),
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
  plugins: [
    {
      name: 'runner-test-assets',
      resolveImport({ source }) {
        if (source === 'sucrase') return '/__deps/sucrase.js';
        if (source === 'lz-string') return '/__deps/lz-string.js';
        return undefined;
      },
      async serve(context) {
        if (context.path === '/__deps/sucrase.js') return { body: await sucrase, type: 'js' };
        if (context.path === '/__deps/lz-string.js') return { body: await lzString, type: 'js' };
        if (context.path === '/__playground-runtime.js') return { body: await runtime, type: 'js' };
        if (context.path === '/__node-hashes.json') return { body: await nodeHashes, type: 'json' };
        return undefined;
      },
    },
    esbuildPlugin({ ts: true, target: 'es2022' }),
  ],
};
