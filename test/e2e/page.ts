import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.mjs';

export const SHOTS = 'test-results/screenshots';

/** Launches headless Chromium. */
export async function launch(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
}

/**
 * Launches Chromium before the file's tests and closes it after them; call at the top of a test file.
 * The contexts a test opened are closed after it, so that its pages (their sandbox Workers, the
 * editor's TypeScript worker, timers the test started) do not keep the machine busy during the next.
 */
export function browserForFile(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterEach(async () => {
    await Promise.all(browser?.contexts().map((c) => c.close()) ?? []);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}

export interface ContextOptions extends BrowserContextOptions {
  /**
   * Let the site's service worker install, for a test of working offline. Left out, it is blocked:
   * installing it fetches and stores every file of the site (13 MB) in each fresh context, which
   * the other tests do not use and which costs about a tenth of a page load's CPU time.
   */
  offline?: boolean;
}

/** A fresh context (own storage) at 1280×800 unless told otherwise, allowed to use the clipboard. */
export async function newContext(browser: Browser, { offline = false, ...opts }: ContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: offline ? 'allow' : 'block', ...opts });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined);
  return context;
}

/** Opens a fresh page (own storage) at `url`, failing the test on page errors. */
export async function open(browser: Browser, url: string, errors: string[] = [], opts: ContextOptions = {}): Promise<Page> {
  const context = await newContext(browser, opts);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return page;
}

/** Waits until the app has finished `count` runs (or more) and returns the last status. */
export async function waitForRun(page: Page, count: number, timeout = 15_000): Promise<string> {
  await page.waitForFunction((n) => Number(document.querySelector('spp-app')?.getAttribute('data-runs') ?? 0) >= n && !document.querySelector('spp-run-toolbar')?.hasAttribute('running'), count, { timeout });
  return (await page.getAttribute('spp-app', 'data-run-status')) ?? '';
}

/** Number of runs finished so far. */
export async function runCount(page: Page): Promise<number> {
  return Number((await page.getAttribute('spp-app', 'data-runs')) ?? 0);
}

/** Waits for Monaco and replaces the editor's whole text by typing it. */
export async function replaceCode(page: Page, code: string): Promise<void> {
  await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 20_000 });
  await page.click('spp-code-editor .monaco-editor', { position: { x: 80, y: 12 } });
  await page.keyboard.press('Control+A');
  // Paste, as a learner would: typing would let the editor auto-indent and auto-close brackets.
  await page.evaluate((text) => navigator.clipboard.writeText(text), code);
  await page.keyboard.press('Control+V');
  await page.waitForFunction((text) => (document.querySelector('spp-code-editor') as unknown as { value: string }).value === text, code);
}

/** The text of the editor model as Monaco holds it. */
export async function editorText(page: Page): Promise<string> {
  return page.evaluate(() => (document.querySelector('spp-code-editor') as unknown as { value: string }).value);
}

/** Makes `id` the open example (clicking it in the picker unless it is open already) and waits for its run. */
export async function openExample(page: Page, id: string): Promise<string> {
  await waitForRun(page, 1);
  const current = await page.getAttribute(`spp-example-picker [data-example="${id}"]`, 'aria-current');
  if (current === 'true') return (await page.getAttribute('spp-app', 'data-run-status')) ?? '';
  const n = await runCount(page);
  await page.click(`spp-example-picker [data-example="${id}"]`);
  return waitForRun(page, n + 1);
}
