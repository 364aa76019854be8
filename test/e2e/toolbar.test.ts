import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations } from './axe-check.js';
import { deepFocus, openSized } from './focus.js';
import { browserForFile, SHOTS } from './page.js';

// The run toolbar keeps its controls on one row: all of them on a 1280 px screen; at medium widths the
// file actions go behind "More"; on a narrow screen everything after Run and Stop does.
const base = inject('baseUrl');
const browser = browserForFile();

const FILE_ACTIONS = ['export-trace', 'copy-mermaid', 'open-trace', 'download-project'];

/** The toolbar's controls on screen (not the status line): their `data-action` (or label text) and vertical extent. */
const controls = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelector('spp-run-toolbar')!.shadowRoot!.children]
      .filter((e) => !e.classList.contains('status') && !e.classList.contains('sep') && e.getClientRects().length > 0)
      .map((e) => {
        const r = e.getBoundingClientRect();
        const action = e.getAttribute('data-action') ?? e.querySelector('[data-action]')?.getAttribute('data-action') ?? '';
        return { action, top: r.top, bottom: r.bottom, right: r.right };
      }),
  );

/** Whether every control overlaps the first one vertically: they sit on one row. */
function oneRow(boxes: Array<{ top: number; bottom: number }>): boolean {
  const [first] = boxes;
  return first !== undefined && boxes.every((b) => b.top < first.bottom && b.bottom > first.top);
}

/** Serious and critical axe-core violations in the page's header. */
const headerViolations = (page: Page) => seriousViolations(page, 'header');

describe('the run toolbar', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`is one row with every control at 1280 px (${theme})`, async () => {
      const page = await openSized(browser(), base, { width: 1280, height: 800 }, { colorScheme: theme, bypassCSP: true });
      const boxes = await controls(page);
      expect(boxes.map((b) => b.action)).toEqual(['run', 'stop', 'autorun', 'seed', 'new-seed', 'reset', 'share', ...FILE_ACTIONS, 'theme']);
      expect(oneRow(boxes), JSON.stringify(boxes)).toBe(true);
      expect(Math.max(...boxes.map((b) => b.right))).toBeLessThanOrEqual(1280);
      // Short labels, full names: what a screen reader says.
      const toolbar = page.locator('spp-run-toolbar');
      expect(await toolbar.getByRole('button', { name: 'New seed' }).isVisible()).toBe(true);
      expect(await toolbar.getByRole('button', { name: 'Reset code' }).count()).toBe(1);
      expect(await toolbar.getByRole('button', { name: 'Download project .zip' }).isVisible()).toBe(true);
      expect(await toolbar.getByRole('button', { name: 'Theme: system' }).isVisible()).toBe(true);
      expect(await headerViolations(page)).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/toolbar-1280-${theme}.png`, clip: { x: 0, y: 0, width: 1280, height: 120 } });
      await page.context().close();
    });

    it(`is one row at 1024 px with the file actions behind More, reached by keyboard (${theme})`, async () => {
      const page = await openSized(browser(), base, { width: 1024, height: 768 }, { colorScheme: theme, bypassCSP: true });
      const boxes = await controls(page);
      expect(boxes.map((b) => b.action)).toEqual(['run', 'stop', 'autorun', 'seed', 'new-seed', 'reset', 'share', 'theme', 'menu']);
      expect(oneRow(boxes), JSON.stringify(boxes)).toBe(true);
      const toolbar = page.locator('spp-run-toolbar');
      const more = toolbar.locator('[data-action=menu]');
      await more.focus();
      await page.keyboard.press('Enter');
      expect(await more.getAttribute('aria-expanded')).toBe('true');
      for (const action of FILE_ACTIONS) expect(await toolbar.locator(`[data-action=${action}]`).isVisible(), action).toBe(true);
      await page.keyboard.press('Tab');
      expect((await deepFocus(page)).action).toBe('export-trace');
      expect(await headerViolations(page)).toEqual([]);
      await page.screenshot({ path: `${SHOTS}/toolbar-1024-${theme}-menu.png`, clip: { x: 0, y: 0, width: 1024, height: 260 } });
      await page.keyboard.press('Escape');
      expect(await more.getAttribute('aria-expanded')).toBe('false');
      expect((await deepFocus(page)).action).toBe('menu');
      // Wider again, the file actions come back into the row.
      await page.setViewportSize({ width: 1280, height: 800 });
      await expect.poll(() => toolbar.locator('[data-action=menu]').count()).toBe(0);
      expect(oneRow(await controls(page))).toBe(true);
      await page.context().close();
    });
  }

  it('is one row at 900 px, and keeps Run, Stop and More on one row at 390 px', async () => {
    const page = await openSized(browser(), base, { width: 900, height: 800 });
    expect(oneRow(await controls(page))).toBe(true);
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(async () => (await controls(page)).map((b) => b.action)).toEqual(['run', 'stop', 'menu']);
    expect(oneRow(await controls(page))).toBe(true);
    await page.context().close();
  });
});
