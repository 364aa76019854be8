/**
 * `npm run bench:web`: the built site in headless Chromium.
 * - time from navigation to the example list and the code being visible;
 * - median and p90 time from Run to rendered results, per example;
 * - bundle sizes: JavaScript loaded before Monaco (gzip), and the rest.
 * Each figure is printed next to a baseline measured in the same run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, findChromium } from '../test/support/chromium.js';

// Example folders are named after their ids (examples.test.ts checks it).
const examplesDir = new URL('../examples/', import.meta.url);
const exampleIds = readdirSync(examplesDir).filter((d) => existsSync(new URL(`${d}/index.ts`, examplesDir)));
const RUNS = Number(process.env['BENCH_WEB_RUNS'] ?? 15);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const fmt = (n: number) => n.toFixed(1);

process.env['NODE_ENV'] = 'production';
await build({ logLevel: 'warn', mode: 'production' });
const server = await preview({ logLevel: 'warn', preview: { host: '127.0.0.1', port: 4399, strictPort: false } });
const base = server.resolvedUrls!.local[0]!;
const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
try {
  // Baseline: a blank page's navigation on the same server.
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const blank0 = performance.now();
  await page.goto(`${base}favicon.svg`);
  const blankMs = performance.now() - blank0;

  const loaded: string[] = [];
  let monacoRequested = false;
  const beforeMonaco = new Set<string>();
  page.on('request', (r) => {
    const url = r.url();
    if (/monaco-core|editor\.api/.test(url)) monacoRequested = true;
    if (url.endsWith('.js')) {
      loaded.push(url);
      if (!monacoRequested) beforeMonaco.add(url);
    }
  });
  const t0 = performance.now();
  await page.goto(base);
  await page.waitForSelector('spp-example-picker >> text=REST call with a timeout');
  await page.waitForSelector('spp-code-editor >> text=payment-service');
  const visibleMs = performance.now() - t0;
  await page.waitForSelector('spp-code-editor .monaco-editor', { timeout: 30_000 });
  const monacoMs = performance.now() - t0;
  console.log(`navigation → example list and code visible: ${fmt(visibleMs)} ms | baseline (static file): ${fmt(blankMs)} ms | ratio ${(visibleMs / blankMs).toFixed(1)}`);
  console.log(`navigation → Monaco ready: ${fmt(monacoMs)} ms`);

  const gz = (url: string) => gzipSync(readFileSync(new URL(`../dist/${new URL(url).pathname.replace(/^\//, '')}`, import.meta.url))).length;
  const before = [...beforeMonaco].filter((u) => !/playground-runtime/.test(u));
  const beforeKb = before.reduce((n, u) => n + gz(u), 0) / 1024;
  const allKb = [...new Set(loaded)].reduce((n, u) => n + gz(u), 0) / 1024;
  const runtimeKb = [...new Set(loaded)].filter((u) => /playground-runtime/.test(u)).reduce((n, u) => n + gz(u), 0) / 1024;
  console.log(`JS before Monaco (gzip): ${fmt(beforeKb)} KB (target ≤ 150 KB) | sandbox runtime: ${fmt(runtimeKb)} KB | all JS including Monaco: ${fmt(allKb)} KB | ratio before/all ${(beforeKb / allKb).toFixed(2)}`);

  // Run → rendered results, per example.
  await page.click('spp-run-toolbar input[type=checkbox]'); // auto-run off
  const runOnce = async () => {
    const n = Number(await page.getAttribute('spp-app', 'data-runs'));
    const start = performance.now();
    await page.click('spp-run-toolbar [data-action=run]');
    await page.waitForFunction((k) => Number(document.querySelector('spp-app')?.getAttribute('data-runs')) > k, n, { polling: 'raf' });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    return performance.now() - start;
  };
  // Baseline: the same click-and-wait round trip on a trivial program.
  const rows: string[] = [];
  for (const id of exampleIds) {
    await page.click(`spp-example-picker [data-example="${id}"]`);
    await page.waitForFunction(() => document.querySelector('spp-app')?.getAttribute('data-runs') !== null);
    await runOnce();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push(await runOnce());
    const events = await page.evaluate(() => (document.querySelector('spp-app') as unknown as { report?: { events: unknown[] } }).report?.events.length ?? 0);
    rows.push(`  ${id.padEnd(24)} median ${fmt(pct(times, 50)).padStart(6)} ms | p90 ${fmt(pct(times, 90)).padStart(6)} ms | ${events} trace events`);
  }
  console.log(`Run → rendered results (${RUNS} runs each, target median ≤ 100 ms):`);
  console.log(rows.join('\n'));
} finally {
  await browser.close();
  await server.close();
}
