import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations } from './axe-check.js';
import { browserForFile, newContext, openExample, SHOTS, waitForRun } from './page.js';

// The two examples under load open, run cleanly, and show the load chart in
// the Metrics view: four charts with text alternatives, a choice of load when
// there are several, a table of the same numbers that opens by keyboard, and
// no serious or critical axe-core violation in either theme.
const base = inject('baseUrl');
const browser = browserForFile();

/** A page of `width` in `colorScheme`, with every console error and page error collected. */
async function openPage(colorScheme: 'light' | 'dark', errors: string[]): Promise<Page> {
  // bypassCSP: the page's CSP would block the script axe injects.
  const context = await newContext(browser(), { viewport: { width: 1280, height: 900 }, colorScheme, bypassCSP: true });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(base);
  await waitForRun(page, 1);
  return page;
}

const chart = (page: Page) => page.locator('spp-load-chart');

for (const [id, loads] of [
  ['retry-storm', ['shoppers']],
  ['cascading-failure', ['product-page', 'recommendations']],
] as const) {
  describe(`example ${id}`, () => {
    it('runs without errors and shows the load chart, its loads and a table by keyboard, at 1280 and 390 px in both themes', async () => {
      for (const scheme of ['light', 'dark'] as const) {
        const errors: string[] = [];
        const page = await openPage(scheme, errors);
        expect(await openExample(page, id)).toBe('ok');
        await page.click('[role=tab][data-tab=metrics]');
        await expect.poll(() => chart(page).isVisible()).toBe(true);
        const figures = chart(page).locator('figure');
        expect(await figures.count()).toBe(4);
        const alts = await chart(page).locator('svg[role=img]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
        expect(alts[0]).toMatch(/^Calls per second: at most \d+ sent/);
        expect(alts[1]).toMatch(/^Error rate: at most 100% in one second/);
        if (loads.length > 1) {
          expect(await chart(page).locator('.picker button').allTextContents()).toEqual([...loads]);
          await chart(page).locator(`.picker button[data-load="${loads[1]}"]`).click();
          expect(await chart(page).locator(`.picker button[data-load="${loads[1]}"]`).getAttribute('aria-pressed')).toBe('true');
        }
        expect(await chart(page).locator('.summary').textContent()).toContain(loads[loads.length - 1]!);
        // The table: its summary takes the focus and opens with Enter.
        await chart(page).locator('details summary').focus();
        await page.keyboard.press('Enter');
        await expect.poll(() => chart(page).locator('details').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
        expect(await chart(page).locator('tbody tr').count()).toBeGreaterThan(5);
        expect(await seriousViolations(page, 'spp-load-chart')).toEqual([]);
        await page.screenshot({ path: `${SHOTS}/load-${id}-1280-${scheme}.png`, fullPage: false });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.click('[role=tab][data-pane=views]');
        await expect.poll(() => chart(page).isVisible()).toBe(true);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBeLessThanOrEqual(0);
        const box = (await chart(page).boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(390);
        await page.screenshot({ path: `${SHOTS}/load-${id}-390-${scheme}.png`, fullPage: true });
        expect(errors, errors.join('\n')).toEqual([]);
        await page.context().close();
      }
    });
  });
}
