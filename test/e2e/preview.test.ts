/**
 * The site as it is deployed: dist/ built the way the Pages workflow builds it (global-setup.ts,
 * with a sub-path as its base), served by `npm run preview` (vite preview) under that sub-path.
 * The page loads there, runs code, sets its own Content-Security-Policy (a static host sets no
 * headers) without breaking anything it does, registers its service worker for the sub-path and
 * works offline. Also the first paint: the HTML shows the first example before any script runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SITE_BASE_ENV } from '../../build/site-build.js';
import { launch, SHOTS, waitForRun } from './page.js';

const sitePath = inject('sitePath');
const root = fileURLToPath(new URL('../../', import.meta.url));

let browser: Browser;
let preview: ChildProcess | undefined;
let site = '';

/** A free port on 127.0.0.1 (asked of the system, then handed to vite preview with --strictPort). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts `npm run preview` for the built site under its sub-path and waits until it answers. */
async function startPreview(): Promise<string> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, [SITE_BASE_ENV]: sitePath };
  delete env['NODE_ENV'];
  // A process group of its own, so that npm and the vite process it starts are stopped together.
  preview = spawn('npm', ['run', 'preview', '--', '--port', String(port), '--strictPort'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  preview.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  preview.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}${sitePath}`;
  for (let i = 0; i < 300; i++) {
    if (preview.exitCode !== null) throw new Error(`npm run preview stopped:\n${output}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return url;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`npm run preview did not answer on ${url}:\n${output}`);
}

beforeAll(async () => {
  browser = await launch();
  site = await startPreview();
});
afterAll(async () => {
  await browser?.close();
  if (preview?.pid !== undefined && preview.exitCode === null) process.kill(-preview.pid, 'SIGTERM');
});

/** A fresh context and page that records CSP violations (from every frame) and page errors. */
async function openRecorded(opts: { javaScriptEnabled?: boolean; hash?: string } = {}): Promise<{ context: BrowserContext; page: Page; violations: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: opts.javaScriptEnabled ?? true });
  const violations: string[] = [];
  const errors: string[] = [];
  // Reported from inside each document (the page, the sandbox's frame) through the console, which the test hears.
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) => console.error('[csp] ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' in ' + e.sourceFile + ':' + e.lineNumber));`,
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    const text = m.text();
    if (text.startsWith('[csp]') || /Content Security Policy/i.test(text)) violations.push(text);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${site}${opts.hash ?? ''}`);
  return { context, page, violations, errors };
}

/** The page's policy, from its meta tag. */
const policyOf = (page: Page) => page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');

/** The directives of a policy, by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));
}

describe('the deployed site (vite preview, under a sub-path)', () => {
  it('is served only under its sub-path', async () => {
    expect((await fetch(site)).status).toBe(200);
    const outside = await fetch(new URL('/favicon.svg', site)).then((r) => r.status);
    expect(outside).not.toBe(200);
  });

  it('loads, runs the first example, and its service worker controls the sub-path', async () => {
    const { context, page, violations, errors } = await openRecorded();
    expect(await waitForRun(page, 1, 30_000)).toBe('ok');
    await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 30_000 });
    const scope = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
      return reg.scope;
    });
    expect(scope).toBe(site);
    // Every script and style the page asked for came from the sub-path (none from the host's root).
    const outside = await page.evaluate((path) => performance.getEntriesByType('resource').map((e) => new URL(e.name)).filter((u) => u.protocol.startsWith('http') && !u.pathname.startsWith(path)).map((u) => u.pathname), sitePath);
    expect(outside).toEqual([]);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);

    // Offline: a reload is served by the service worker, runs, and keeps the same policy.
    const policy = await policyOf(page);
    await context.setOffline(true);
    await page.reload();
    expect(await waitForRun(page, 1, 30_000)).toBe('ok');
    await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 30_000 });
    expect(await policyOf(page)).toBe(policy);
    await page.screenshot({ path: `${SHOTS}/deployed-offline.png` });
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('sets a strict Content-Security-Policy in its HTML that names each inline script by its hash', async () => {
    const html = await (await fetch(site)).text();
    const { context, page } = await openRecorded();
    const policy = (await policyOf(page)) ?? '';
    const d = directives(policy);
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-src')).toEqual(["'none'"]);
    const scripts = d.get('script-src') ?? [];
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    // The page's own inline scripts (the first-paint check) are allowed by their hashes and nothing else.
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
    expect(inline.length).toBeGreaterThan(0);
    for (const h of inline) expect(scripts).toContain(h);
    // The meta tag comes before anything it governs.
    expect(html.indexOf('http-equiv="Content-Security-Policy"')).toBeLessThan(html.indexOf('<script'));
    // And it is enforced: an inline script without a listed hash does not run.
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = true';
      document.head.append(s);
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    await context.close();
  });
});

describe('the first paint', () => {
  it('shows the first example (list, lesson and code) from the HTML alone, before any script', async () => {
    const { context, page } = await openRecorded({ javaScriptEnabled: false });
    const snapshot = page.locator('.spp-first-paint');
    await expect(snapshot.locator('[data-example]').count()).resolves.toBeGreaterThan(5);
    expect(await snapshot.locator('[data-md=lesson] p').first().isVisible()).toBe(true);
    expect(await snapshot.locator('.spp-code-fallback').textContent()).toContain("from 'playground'");
    await page.screenshot({ path: `${SHOTS}/first-paint.png` });
    await context.close();
  });

  it('is replaced by the app, whose lesson shows at once: lent by the snapshot, not waiting for the markdown parser', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // The parser cannot load at all: the lesson the app shows can only be the snapshot's.
    await context.route(/\/assets\/markdown-to-html-[\w-]+\.js$/, (r) => r.abort());
    // At the moment the app's own list appears: is its lesson text there, and was the parser loaded?
    await context.addInitScript({
      content: `new MutationObserver((_, o) => {
        const picker = document.querySelector('spp-example-picker')?.shadowRoot?.querySelector('[data-example]');
        if (!picker) return;
        o.disconnect();
        const lesson = document.querySelector('spp-lesson-panel')?.shadowRoot?.querySelector('.md p:not(.md-plain)');
        window.__atTakeOver = { lesson: lesson?.textContent ?? '', snapshot: !!document.querySelector('.spp-first-paint') };
      }).observe(document, { subtree: true, childList: true });`,
    });
    const page = await context.newPage();
    await page.goto(site);
    await waitForRun(page, 1, 30_000);
    const at = await page.evaluate(() => (window as unknown as { __atTakeOver: { lesson: string; snapshot: boolean } }).__atTakeOver);
    expect(at.lesson.length).toBeGreaterThan(20);
    // Removed in the same task as the app's render: never both on screen.
    expect(at.snapshot).toBe(false);
    expect(await page.locator('.spp-first-paint').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.hasAttribute('data-first-paint'))).toBe(false);
    await context.close();
  });

  it('shows only the frame when the app will open something else (a link), until the app has rendered', async () => {
    for (const [hash, shown] of [['', true], ['#v=1&ex=circuit-breaker&seed=3', false]] as const) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      // The app never starts: what the HTML and its head script alone show.
      await page.route(/\/assets\/index-[\w-]+\.js$/, (r) => r.abort());
      await page.goto(`${site}${hash}`);
      expect(await page.locator('.spp-first-paint [data-md=lesson]').isVisible(), hash).toBe(shown);
      expect(await page.locator('.spp-first-paint .spp-code-fallback').isVisible(), hash).toBe(shown);
      expect(await page.locator('.spp-first-paint [data-example="circuit-breaker"]').isVisible(), hash).toBe(true);
      await context.close();
    }
  });
});
