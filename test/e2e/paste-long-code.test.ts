import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { longestTask, traceMainThread } from './main-thread-tasks.js';
import { browserForFile, newContext, openExample, runCount, SHOTS, waitForRun } from './page.js';

// Pasting a very long program: the editor takes it a slice at a time, without holding the page's
// thread for long, and it is still one paste: the whole text, the cursor after it, one undo step.
const base = inject('baseUrl');
const browser = browserForFile();

/** A valid 20,000-line program; `variant` changes its text, so that each paste is a real change. */
function longProgram(variant: number): string {
  const lines = ["import { log } from 'playground';"];
  for (let i = 0; i < 19_996; i++) lines.push(`export function step${i}(x: number): number { return (x + ${(i + variant) % 7}) * [1][0]!; }`);
  lines.push('export default function main(): number {', '  log.info(String(step19995(step1(1))));', '  return step0(41) + 1;', '}');
  return `${lines.join('\n')}\n`;
}

const editorValue = (page: Page) => page.evaluate(() => (document.querySelector('spp-code-editor') as unknown as { value: string }).value);

/** Selects all the code and pastes `code` over it with the keyboard, as a learner would; waits for the run it starts. */
async function pasteOver(page: Page, code: string): Promise<void> {
  const n = await runCount(page);
  await page.click('spp-code-editor .monaco-editor', { position: { x: 80, y: 12 } });
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+V');
  await pasted(page, code);
  await waitForRun(page, n + 1, 60_000);
}

/** Waits until the editor holds exactly `code`; if it never does, says what it holds instead and what the page reported. */
async function pasted(page: Page, code: string, problems: readonly string[] = []): Promise<void> {
  await page
    .waitForFunction(
      ([length, tail]) => {
        const value = (document.querySelector('spp-code-editor') as unknown as { value: string }).value;
        return value.length === length && value.endsWith(tail);
      },
      [code.length, code.slice(-200)] as const,
      { timeout: 30_000 },
    )
    .catch(async (e: unknown) => {
      const now = await editorValue(page);
      throw new Error(`the paste did not arrive: the code has ${now.length} characters (${JSON.stringify(now.slice(0, 60))}…), page errors ${JSON.stringify(problems)}: ${String(e)}`);
    });
}

/** A page that may use the clipboard, with an example's code in Monaco. */
async function openEditor() {
  const context = await newContext(browser());
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  await page.goto(base);
  await openExample(page, 'sync-rest-timeout');
  await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 20_000 });
  return { context, page };
}

describe('pasting a 20,000-line program', () => {
  // CPU time, not wall time: on a machine shared with other work, a 30 ms task can take a second of wall
  // time. A machine that busy stretches CPU time too, now and then (shared caches and cores): one retry
  // is allowed for such an outlier; a page that really holds its thread fails every time.
  it('takes no main-thread task of 100 ms of CPU time or more, over five pastes', { timeout: 240_000, retry: 1 }, async () => {
    const { context, page } = await openEditor();
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => w.longTasks.push(...list.getEntries().map((e) => Math.round(e.duration)))).observe({ type: 'longtask' });
    });

    const longest: Array<{ cpuMs: number; wallMs: number; what: string }> = [];
    for (let variant = 0; variant < 5; variant++) {
      const code = longProgram(variant);
      expect(code.split('\n').length).toBeGreaterThan(20_000);
      // Filling the clipboard is the test's work, not the page's: it happens before the trace starts.
      await page.evaluate((text) => navigator.clipboard.writeText(text), code);
      const tasks = await traceMainThread(browser(), page, async () => {
        await pasteOver(page, code);
        // Monaco keeps working after the paste (tokenizing in slices, its workers' answers): let it settle.
        await page.waitForTimeout(1_500);
      });
      longest.push(longestTask(tasks));
    }
    const wall = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    console.log(
      `[measure] pasting 20,000 lines, longest main-thread task per paste (CPU ms / wall ms): ${longest.map((t) => `${t.cpuMs}/${t.wallMs}`).join(', ')}; ` +
        `long tasks the page saw (wall ms, this machine's load included): ${JSON.stringify(wall)}; ` +
        `the longest: ${[...longest].sort((a, b) => b.cpuMs - a.cpuMs)[0]!.what}`,
    );
    // 100 ms is the page's promise. Measured on a 2-core machine under a load of 10–20: mostly 20–60 ms,
    // rarely over 100; pasted in one go, as Monaco does, the paste alone took 67–165 ms.
    for (const t of longest) expect(t.cpuMs, `the longest task: ${t.what}`).toBeLessThan(100);

    // The view is at the end of what was pasted, as after any paste (Monaco draws spaces as no-break spaces).
    expect((await page.locator('spp-code-editor .view-lines').textContent())?.replace(/\u00a0/g, ' ')).toContain('return step0(41) + 1;');
    await page.screenshot({ path: `${SHOTS}/pasted-20000-lines.png` });
    // One undo takes the whole paste back.
    await page.keyboard.press('Control+Z');
    await expect.poll(() => editorValue(page), { timeout: 20_000 }).toBe(longProgram(3));
    await context.close();
  });

  // The editor's own Paste (its context menu) reads the clipboard itself, without a paste event.
  it('goes in slices from the editor\'s context menu too: no task of 100 ms of CPU time or more, one undo step', { timeout: 120_000, retry: 1 }, async () => {
    const { context, page } = await openEditor();
    const before = await editorValue(page);
    const code = longProgram(5);
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.evaluate((text) => navigator.clipboard.writeText(text), code);
    const n = await runCount(page);
    const tasks = await traceMainThread(browser(), page, async () => {
      // All the code selected, then the context menu opened inside the selection (which keeps it).
      await page.click('spp-code-editor .monaco-editor', { position: { x: 80, y: 12 } });
      await page.keyboard.press('Control+A');
      await page.click('spp-code-editor .monaco-editor', { button: 'right', position: { x: 200, y: 60 } });
      const paste = page.getByRole('menuitem', { name: /^Paste/ });
      await paste.waitFor();
      // Monaco's menu ignores a click that comes right after it opened (so that releasing the right button
      // picks nothing): on a busy machine, 5 immediate clicks in 12 did nothing. A person takes longer.
      await page.waitForTimeout(400);
      await paste.click();
      await pasted(page, code, problems);
      await waitForRun(page, n + 1, 60_000);
      await page.waitForTimeout(1_500);
    });
    const longest = longestTask(tasks);
    console.log(`[measure] pasting 20,000 lines from the context menu, longest main-thread task (CPU ms / wall ms): ${longest.cpuMs}/${longest.wallMs} (${longest.what})`);
    expect(longest.cpuMs, `the longest task: ${longest.what}`).toBeLessThan(100);
    expect((await page.locator('spp-code-editor .view-lines').textContent())?.replace(/\u00a0/g, ' ')).toContain('return step0(41) + 1;');
    await page.keyboard.press('Control+Z');
    await expect.poll(() => editorValue(page), { timeout: 20_000 }).toBe(before);
    await context.close();
  });
});
