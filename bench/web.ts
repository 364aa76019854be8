/**
 * `npm run bench:web`: the built site in headless Chromium.
 * - time from navigation to the example list and the code being visible;
 * - median and p90 time from Run to rendered results, per example;
 * - lesson panel render time (its markdown to laid-out elements), over every lesson;
 * - bundle sizes: JavaScript loaded before Monaco (gzip), and the rest.
 * Each figure is printed next to a baseline measured in the same run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, findChromium } from '../test/support/chromium.mjs';

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
  // Timed inside the page, from the start of navigation: the moment the example list and
  // the code are in the document, and the moment Monaco has replaced the read-only code.
  // (A string, not a function: the TypeScript runner would wrap a function's inner names in helpers the page lacks.)
  await page.addInitScript({
    content: `
      const check = () => {
        const picker = document.querySelector('spp-example-picker')?.shadowRoot?.querySelector('[data-example]');
        const code = document.querySelector('spp-code-editor .spp-code-fallback, spp-code-editor .monaco-editor .view-lines');
        if (window.__visibleAt === undefined && picker && code && (code.textContent || '').includes('import')) window.__visibleAt = performance.now();
        if (window.__monacoAt === undefined && document.querySelector('spp-code-editor .monaco-editor .view-lines')) window.__monacoAt = performance.now();
        const lesson = document.querySelector('spp-lesson-panel')?.shadowRoot?.querySelector('article p:not(.summary)');
        if (window.__lessonAt === undefined && lesson && lesson.textContent) window.__lessonAt = performance.now();
      };
      new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
      const tick = () => { check(); if (window.__monacoAt === undefined || window.__lessonAt === undefined) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    `,
  });
  await page.goto(base);
  await page.waitForFunction(() => (window as unknown as { __monacoAt?: number; __lessonAt?: number }).__monacoAt !== undefined && (window as unknown as { __lessonAt?: number }).__lessonAt !== undefined, undefined, { timeout: 30_000 });
  const { visibleMs, monacoMs, lessonMs } = await page.evaluate(() => {
    const w = window as unknown as { __visibleAt: number; __monacoAt: number; __lessonAt: number };
    return { visibleMs: w.__visibleAt, monacoMs: w.__monacoAt, lessonMs: w.__lessonAt };
  });
  console.log(`navigation → example list and code visible: ${fmt(visibleMs)} ms | baseline (a static file's navigation): ${fmt(blankMs)} ms | ratio ${(visibleMs / blankMs).toFixed(1)}`);
  console.log(`navigation → lesson text visible: ${fmt(lessonMs)} ms`);
  console.log(`navigation → Monaco ready: ${fmt(monacoMs)} ms`);

  const gz = (url: string) => gzipSync(readFileSync(new URL(`../dist/${new URL(url).pathname.replace(/^\//, '')}`, import.meta.url))).length;
  const before = [...beforeMonaco].filter((u) => !/playground-runtime/.test(u));
  const beforeKb = before.reduce((n, u) => n + gz(u), 0) / 1024;
  const allKb = [...new Set(loaded)].reduce((n, u) => n + gz(u), 0) / 1024;
  const runtimeKb = [...new Set(loaded)].filter((u) => /playground-runtime/.test(u)).reduce((n, u) => n + gz(u), 0) / 1024;
  console.log(`JS before Monaco (gzip): ${fmt(beforeKb)} KB (target ≤ 150 KB) | sandbox runtime: ${fmt(runtimeKb)} KB | all JS including Monaco: ${fmt(allKb)} KB | ratio before/all ${(beforeKb / allKb).toFixed(2)}`);

  // Run → rendered results, per example.
  await page.click('spp-run-toolbar input[type=checkbox]'); // auto-run off
  // Timed inside the page: from the Run click to the frame that shows the new results
  // (the app has rendered the report and the browser has painted once).
  const runOnce = () =>
    page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const app = document.querySelector('spp-app') as HTMLElement & { updateComplete: Promise<unknown> };
          const before = app.getAttribute('data-runs');
          const observer = new MutationObserver(() => {
            if (app.getAttribute('data-runs') === before) return;
            observer.disconnect();
            void app.updateComplete.then(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
          });
          observer.observe(app, { attributes: true, attributeFilter: ['data-runs'] });
          const button = document.querySelector('spp-run-toolbar')!.shadowRoot!.querySelector('[data-action=run]') as HTMLButtonElement;
          const t0 = performance.now();
          button.click();
        }),
    );
  // Lesson panel: from handing it a lesson to the laid-out text (parse, render, style and layout), timed
  // inside the page on the lesson just loaded; the panel is first emptied so each render starts afresh.
  // (A string, not a function: see the init script above.)
  const renderLesson = () =>
    page.evaluate<number>(`(async () => {
      const panel = document.querySelector('spp-lesson-panel');
      const text = panel.lesson;
      panel.lesson = '';
      await panel.updateComplete;
      // Trailing blank lines change nothing on screen but make the text new to any cache of rendered lessons.
      window.__lessonRuns = (window.__lessonRuns ?? 0) + 1;
      const t0 = performance.now();
      panel.lesson = text.replace(/\\n*$/, '\\n'.repeat(window.__lessonRuns));
      await panel.updateComplete;
      // A renderer that loads lazily may show the text a few frames later.
      while ((panel.shadowRoot.querySelector('article p:not(.summary)')?.textContent ?? '') === '') await new Promise((r) => requestAnimationFrame(r));
      void panel.getBoundingClientRect().height;
      return performance.now() - t0;
    })()`);
  const lessonTimes: number[] = [];
  const rows: string[] = [];
  for (const id of exampleIds) {
    await page.click(`spp-example-picker [data-example="${id}"]`);
    await page.waitForFunction(() => document.querySelector('spp-app')?.getAttribute('data-runs') !== null);
    for (let i = 0; i < 5; i++) lessonTimes.push(await renderLesson());
    await runOnce();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push(await runOnce());
    const events = await page.evaluate(() => (document.querySelector('spp-app') as unknown as { report?: { events: unknown[] } }).report?.events.length ?? 0);
    rows.push(`  ${id.padEnd(24)} median ${fmt(pct(times, 50)).padStart(6)} ms | p90 ${fmt(pct(times, 90)).padStart(6)} ms | ${events} trace events`);
  }
  console.log(`Run → rendered results (${RUNS} runs each, target median ≤ 100 ms):`);
  console.log(rows.join('\n'));
  console.log(`lesson panel render (${exampleIds.length} lessons × 5): median ${fmt(pct(lessonTimes, 50))} ms | p90 ${fmt(pct(lessonTimes, 90))} ms | max ${fmt(Math.max(...lessonTimes))} ms`);
} finally {
  await browser.close();
  await server.close();
}
