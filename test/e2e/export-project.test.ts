import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { browserForFile, editorText, newContext, open, replaceCode, SHOTS, waitForRun } from './page.js';

// "Download project" on the built site: the zip is made in the page, from the code in the editor.
const base = inject('baseUrl');

const browser = browserForFile();

/** The files of a downloaded zip, by path. */
async function downloadedFiles(page: Page, press: () => Promise<void>): Promise<{ name: string; files: Record<string, string> }> {
  const download = page.waitForEvent('download');
  await press();
  const file = await download;
  const bytes = readFileSync(await file.path());
  return { name: file.suggestedFilename(), files: Object.fromEntries(Object.entries(unzipSync(bytes)).map(([path, data]) => [path, strFromU8(data)])) };
}

describe('Download project', () => {
  it('downloads a zip of the code in the editor with the runtime and the project files, reached by keyboard', async () => {
    const page = await open(browser(), base);
    await waitForRun(page, 1);
    const exampleId = await page.getAttribute('spp-example-picker [aria-current=true]', 'data-example');
    const code = await editorText(page);
    // Keyboard only: from the button before it, Tab, then Enter.
    await page.focus('spp-run-toolbar [data-action=open-trace]');
    const { name, files } = await downloadedFiles(page, async () => {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.querySelector('spp-run-toolbar')?.shadowRoot?.activeElement?.getAttribute('data-action'))).toBe('download-project');
      await page.keyboard.press('Enter');
    });
    expect(name).toBe(`${exampleId}.zip`);
    expect(Object.keys(files).sort()).toEqual(['.dockerignore', 'Dockerfile', 'README.md', 'docker-compose.yml', 'package.json', 'spp.mjs', 'src/main.ts'].map((f) => `${exampleId}/${f}`).sort());
    expect(files[`${exampleId}/src/main.ts`]).toBe(code);
    // The runtime is the site's prebuilt file: the spp command with the playground module, importing only amqplib, express and Node.
    const runtime = files[`${exampleId}/spp.mjs`]!;
    expect(runtime).toMatch(/^\/\/ spp: the Service Patterns Playground's real-mode runtime/);
    const imports = /^(?:import[^;]*;)+/.exec(runtime.slice(runtime.indexOf('\n') + 1))![0];
    expect(new Set([...imports.matchAll(/from\s*"([^"]+)"/g)].map((m) => m[1]!).filter((s) => !s.startsWith('node:')))).toEqual(new Set(['amqplib', 'express']));
    expect(JSON.parse(files[`${exampleId}/package.json`]!).dependencies).toEqual({ amqplib: expect.any(String), express: expect.any(String) });
    expect(files[`${exampleId}/README.md`]).toContain('npm install && AMQP_URL=amqp://127.0.0.1 npm start');
    expect(files[`${exampleId}/docker-compose.yml`]).toContain('rabbitmq:3-management');
    await page.waitForSelector('.banner[data-tone=info]');
    expect(await page.locator('.banner[data-tone=info] > span').last().textContent()).toContain(`Downloaded ${exampleId}.zip`);
  });

  it('makes no zip of code that does not compile, and says why in a banner', async () => {
    const page = await open(browser(), base);
    await waitForRun(page, 1);
    await replaceCode(page, "import { log } from 'playground';\nconst broken = ;\n");
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.click('spp-run-toolbar [data-action=download-project]');
    await page.waitForFunction(() => [...document.querySelectorAll('.banner[data-tone=error] > span')].some((s) => s.textContent?.startsWith('No project was made')));
    const message = await page.locator('.banner[data-tone=error] > span', { hasText: 'No project was made' }).textContent();
    expect(message).toMatch(/^No project was made: fix the code first\. Line 2, column \d+: \S/);
    await page.screenshot({ path: `${SHOTS}/download-project-refused.png` });
    await page.waitForTimeout(300);
    expect(downloads).toBe(0);
  });

  it('works offline once the page has loaded (the service worker keeps the runtime file)', async () => {
    const context = await newContext(browser(), { offline: true });
    const page = await context.newPage();
    await page.goto(base);
    await waitForRun(page, 1);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    });
    await context.setOffline(true);
    await page.reload();
    await waitForRun(page, 1);
    const { files } = await downloadedFiles(page, () => page.click('spp-run-toolbar [data-action=download-project]'));
    expect(Object.keys(files).some((f) => f.endsWith('/spp.mjs'))).toBe(true);
    await context.close();
  });

  it('is in the menu of the narrow toolbar', async () => {
    const page = await open(browser(), base);
    await page.setViewportSize({ width: 390, height: 800 });
    await waitForRun(page, 1);
    await page.click('spp-run-toolbar [data-action=menu]');
    const { name } = await downloadedFiles(page, () => page.click('spp-run-toolbar [data-action=download-project]'));
    expect(name).toMatch(/\.zip$/);
  });
});
