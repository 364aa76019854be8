import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations } from './axe-check.js';
import { deepFocus, openSized } from './focus.js';
import { browserForFile, editorText, newContext, openExample, SHOTS, waitForRun } from './page.js';

const base = inject('baseUrl');
const browser = browserForFile();

const reference = 'spp-pattern-reference';
const entries = `${reference} article.entry`;

/** Waits until the reference shows (its chunk loaded and rendered). */
async function referenceShown(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('spp-app')?.getAttribute('data-route') === 'patterns');
  await page.waitForSelector(`${entries} >> nth=0`);
}

/** Waits until the playground shows again. */
async function playgroundShown(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('spp-app')?.getAttribute('data-route') === 'playground');
  await page.waitForSelector('spp-lesson-panel h1', { state: 'visible' });
}

/** Types a line at the end of the code, as a learner's draft. */
async function addDraftLine(page: Page, line: string): Promise<void> {
  await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 20_000 });
  await page.click('spp-code-editor .monaco-editor', { position: { x: 80, y: 12 } });
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(line);
  await page.waitForFunction((l) => (document.querySelector('spp-code-editor') as unknown as { value: string }).value.includes(l), line);
}

describe('pattern reference', () => {
  it('opens from the example list, narrows as you type, and goes back to the playground with the draft intact', async () => {
    const page = await openSized(browser(), base, { width: 1280, height: 800 });
    await addDraftLine(page, '// my draft, kept');
    await page.click('spp-example-picker a.reference');
    await referenceShown(page);
    expect(new URL(page.url()).hash).toBe('#/patterns');
    expect(await page.locator(entries).count()).toBe(16);

    await page.fill(`${reference} input[type=search]`, 'jitter');
    await page.waitForFunction(() => (document.querySelector('spp-pattern-reference')?.shadowRoot?.querySelectorAll('article.entry').length ?? 16) < 16);
    const found = await page.locator(entries).evaluateAll((els) => els.map((e) => e.getAttribute('data-pattern')));
    expect(found[0]).toBe('retry-backoff-jitter');
    expect(await page.locator(`${reference} #pattern-count`).textContent()).toContain(`${found.length} of 16 patterns match`);
    await page.fill(`${reference} input[type=search]`, 'zebra quantum');
    await page.waitForSelector(`${reference} .empty`);
    expect(await page.locator(entries).count()).toBe(0);

    await page.click(`${reference} button[data-back]`);
    await playgroundShown(page);
    expect(new URL(page.url()).hash).toBe('');
    expect(await editorText(page)).toContain('// my draft, kept');
  });

  it('opens at a pattern from a lesson, and the browser’s back button returns with the draft intact', async () => {
    const page = await openSized(browser(), base, { width: 1280, height: 800 });
    await addDraftLine(page, '// draft before the reference');
    const link = page.locator('spp-lesson-panel a[data-pattern-link]:not([data-pattern-link=""]) >> nth=0');
    const id = (await link.getAttribute('data-pattern-link'))!;
    await link.click();
    await referenceShown(page);
    expect(new URL(page.url()).hash).toBe(`#/patterns/${id}`);
    const focused = await deepFocus(page);
    expect(focused.within).toBe('spp-pattern-reference');
    expect(focused.tag).toBe('h2');
    // A link to another entry stays on the same history entry.
    await page.click(`${reference} nav.toc a[href="#/patterns/outbox"]`);
    await page.waitForFunction(() => location.hash === '#/patterns/outbox');
    await page.goBack();
    await playgroundShown(page);
    expect(await editorText(page)).toContain('// draft before the reference');
  });

  it('opens an example at the exercise a mistake links to, and back returns to the reference', async () => {
    const page = await openSized(browser(), base, { width: 1280, height: 800 });
    await page.goto(`${base}#/patterns/circuit-breaker`);
    await referenceShown(page);
    await page.click(`${reference} a[href="#/examples/circuit-breaker/one-trial"]`);
    await playgroundShown(page);
    await page.waitForFunction(() => document.querySelector('spp-lesson-panel')?.shadowRoot?.querySelector('h1')?.textContent === 'Circuit breaker with a fallback');
    await page.waitForSelector('spp-lesson-panel section[data-exercise="one-trial"][data-active]');
    expect(new URL(page.url()).hash).toBe('');
    await page.goBack();
    await referenceShown(page);
    expect(new URL(page.url()).hash).toBe('#/patterns/circuit-breaker');
  });

  it('links the bulkhead’s mistakes to the cascading-failure exercise, whose lesson links back to the bulkhead', async () => {
    const page = await openSized(browser(), base, { width: 1280, height: 800 });
    await page.goto(`${base}#/patterns/bulkhead`);
    await referenceShown(page);
    const mistakes = page.locator(`${reference} #pattern-bulkhead ul.mistakes a.try`);
    expect(await mistakes.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(Array(3).fill('#/examples/cascading-failure/bulkheads'));
    expect(await mistakes.first().textContent()).toContain('Cascading failure and bulkheads');
    await mistakes.first().click();
    await playgroundShown(page);
    await page.waitForFunction(() => document.querySelector('spp-lesson-panel')?.shadowRoot?.querySelector('h1')?.textContent === 'Cascading failure and bulkheads');
    await page.waitForSelector('spp-lesson-panel section[data-exercise="bulkheads"][data-active]');
    const links = await page.locator('spp-lesson-panel a[data-pattern-link]').evaluateAll((as) => as.map((a) => a.getAttribute('data-pattern-link')));
    expect(links).toContain('bulkhead');
    expect(links).toContain('timeout');
    // A lesson with two patterns, where a short line has room to spare: its links read as one sentence,
    // each right after the separator that follows the one before (not spread over the column's width).
    await openExample(page, 'circuit-breaker');
    const gaps = await page.locator('spp-lesson-panel nav.patterns a[data-pattern-link]').evaluateAll((as) => {
      const boxes = as.map((a) => a.getBoundingClientRect());
      return boxes.slice(1).map((b, i) => ({ onOneLine: Math.abs(b.top - boxes[i]!.top) < 2, gap: Math.round(b.left - boxes[i]!.right) }));
    });
    expect(gaps).toHaveLength(2); // Circuit breaker, Fallback · Pattern reference
    for (const g of gaps) expect(g).toEqual({ onOneLine: true, gap: expect.any(Number) as number });
    for (const g of gaps) expect(g.gap).toBeLessThan(20);
  });

  it('works by keyboard alone: open from the list, search, go to the first result', async () => {
    const page = await openSized(browser(), base, { width: 1280, height: 800 });
    await page.focus('spp-example-picker a.reference');
    await page.keyboard.press('Enter');
    await referenceShown(page);
    await page.waitForFunction(() => document.querySelector('spp-pattern-reference')?.shadowRoot?.activeElement?.tagName === 'H1');
    await page.keyboard.press('Tab');
    expect((await deepFocus(page)).tag).toBe('input');
    await page.keyboard.type('dead letter');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#/patterns/work-queue');
    const focused = await deepFocus(page);
    expect(focused.tag).toBe('h2');
    expect(focused.text).toContain('Work queue');
  });

  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    for (const theme of ['light', 'dark'] as const) {
      const also = width < 600 ? ', at the circuit-breaker and at the bulkhead entry' : '';
      it(`has no serious accessibility problem at ${width} px in ${theme} mode, and fits the width${also}`, { timeout: 120_000 }, async () => {
        const page = await openSized(browser(), `${base}#/patterns/circuit-breaker`, { width, height }, { colorScheme: theme, bypassCSP: true });
        await referenceShown(page);
        // Wait for the markdown of the entries.
        await page.waitForSelector(`${reference} #pattern-circuit-breaker .md p`);
        // Every entry is on the page whichever one is asked for: one pass checks them all.
        expect(await seriousViolations(page, reference)).toEqual([]);
        const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(await overflow()).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `${SHOTS}/patterns-${width}-${theme}.png` });
        if (width < 600) {
          // The bulkhead's entry (three links to one exercise in its mistakes) at the top of a phone's screen.
          await page.goto(`${base}#/patterns/bulkhead`);
          await page.waitForFunction(() => document.querySelector('spp-pattern-reference')?.shadowRoot?.querySelector('nav.toc a[aria-current=location]')?.getAttribute('href') === '#/patterns/bulkhead');
          await page.waitForSelector(`${reference} #pattern-bulkhead .md p`);
          expect(await overflow()).toBeLessThanOrEqual(0);
          await page.locator(`${reference} #pattern-bulkhead`).screenshot({ path: `${SHOTS}/patterns-bulkhead-390-${theme}.png` });
        }
      });
    }
  }

  it('works offline once the page has loaded', { timeout: 120_000 }, async () => {
    const context = await newContext(browser(), { offline: true });
    const page = await context.newPage();
    await page.goto(base);
    await waitForRun(page, 1);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    });
    await context.setOffline(true);
    // A fresh load of the reference: its chunk was never requested online, only precached.
    await page.goto(`${base}#/patterns/outbox`);
    await page.reload();
    await referenceShown(page);
    await page.waitForSelector(`${reference} #pattern-outbox .md p`);
    expect(await page.locator(`${reference} #pattern-outbox h2`).textContent()).toBe('Transactional outbox');
  });
});
