import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { deepFocus, openSized } from './focus.js';
import { browserForFile, SHOTS } from './page.js';

const base = inject('baseUrl');

const browser = browserForFile();

const PANES = ['examples', 'lesson', 'code', 'views'] as const;

/** How far the page sticks out sideways (0 when nothing overflows). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - innerWidth);

/** The panes that take up room on the page now. */
const shownPanes = (page: Page) =>
  page.$$eval(PANES.map((p) => `#pane-${p}`).join(','), (els) => els.filter((e) => e.getClientRects().length > 0 && (e as HTMLElement).offsetWidth > 0).map((e) => e.id.replace('pane-', '')));

describe('the page on a narrow screen', () => {
  for (const [width, height] of [
    [390, 844],
    [768, 1024],
  ] as const) {
    it(`at ${width}×${height} shows one pane at a time, switched by tabs (click or arrow keys), and nothing sticks out`, async () => {
      const page = await openSized(browser(), base, { width, height });
      const tabs = page.getByRole('tablist', { name: 'Page sections' });
      expect((await tabs.getByRole('tab').allTextContents()).map((t) => t.trim())).toEqual(['Examples', 'Lesson', 'Code', 'Views']);
      expect(await shownPanes(page)).toEqual(['lesson']);
      for (const pane of PANES) {
        await page.click(`[role=tab][data-pane=${pane}]`);
        expect(await shownPanes(page)).toEqual([pane]);
        expect(await page.getAttribute(`[role=tab][data-pane=${pane}]`, 'aria-selected')).toBe('true');
        expect(await page.getAttribute(`#pane-${pane}`, 'role')).toBe('tabpanel');
        expect(await overflow(page)).toBe(0);
        const box = (await page.locator(`#pane-${pane}`).boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
        await page.screenshot({ path: `${SHOTS}/narrow-${width}-${pane}.png` });
      }
      // The code gets the whole width (it used to be squeezed to a few characters).
      await page.click('[role=tab][data-pane=code]');
      await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 20_000 });
      expect((await page.locator('spp-code-editor').boundingBox())!.width).toBeGreaterThan(width - 24);

      // Arrow keys move along the tabs, and the focus goes with them.
      await page.focus('[role=tab][data-pane=code]');
      await page.keyboard.press('ArrowRight');
      expect(await shownPanes(page)).toEqual(['views']);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-pane'))).toBe('views');
      await page.keyboard.press('Home');
      expect(await shownPanes(page)).toEqual(['examples']);

      // Every view fits too.
      await page.click('[role=tab][data-pane=views]');
      for (const tab of await page.$$eval('#pane-views [role=tab][data-tab]', (els) => els.map((e) => e.getAttribute('data-tab')!))) {
        await page.click(`[role=tab][data-tab=${tab}]`);
        expect(await overflow(page), `the ${tab} view sticks out`).toBe(0);
      }
      // The sequence diagram takes the height between the tabs and the scrubber (it left a band empty above the scrubber).
      await page.click('[role=tab][data-tab=sequence]');
      const diagram = (await page.locator('spp-sequence-diagram').boundingBox())!;
      const scrubber = (await page.locator('spp-time-scrubber').boundingBox())!;
      expect(scrubber.y - (diagram.y + diagram.height), `the diagram ends ${diagram.y + diagram.height} px down, the scrubber starts at ${scrubber.y}`).toBeLessThan(24);
      expect(scrubber.y - (diagram.y + diagram.height)).toBeGreaterThanOrEqual(0);

      // Choosing an example opens its lesson.
      await page.click('[role=tab][data-pane=examples]');
      await page.click('spp-example-picker [data-example="retry-backoff"]');
      await page.waitForFunction(() => document.querySelector('#pane-lesson')?.getClientRects().length);
      expect(await shownPanes(page)).toEqual(['lesson']);
      await page.context().close();
    });
  }

  it('folds the toolbar into a menu that Escape closes, giving the focus back to its button', async () => {
    const page = await openSized(browser(), base, { width: 390, height: 844 });
    const toolbar = page.locator('spp-run-toolbar');
    const more = toolbar.locator('[data-action=menu]');
    expect(await toolbar.locator('[data-action=run]').isVisible()).toBe(true);
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    expect(await toolbar.locator('[data-action=seed]').isVisible()).toBe(false);
    await more.click();
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    expect(await toolbar.locator('[data-action=seed]').isVisible()).toBe(true);
    expect(await overflow(page)).toBe(0);
    await page.screenshot({ path: `${SHOTS}/narrow-390-menu.png` });
    await toolbar.locator('[data-action=seed]').focus();
    await page.keyboard.press('Escape');
    expect(await more.getAttribute('aria-expanded')).toBe('false');
    expect(await toolbar.locator('[data-action=seed]').isVisible()).toBe(false);
    expect((await deepFocus(page)).action).toBe('menu');
    await page.context().close();
  });
});

describe('the page on a wide screen', () => {
  it('gives the code more width with the splitter (keys), keeps the lesson folded, and remembers both', async () => {
    const page = await openSized(browser(), base, { width: 1280, height: 800 });
    const editorWidth = async () => (await page.locator('spp-code-editor').boundingBox())!.width;
    const before = await editorWidth();
    const splitter = page.getByRole('separator', { name: /width of the views/i });
    await splitter.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const wider = await editorWidth();
    expect(wider).toBeGreaterThan(before + 100);
    expect(Number(await splitter.getAttribute('aria-valuenow'))).toBe(30);
    await page.click('button:has-text("Hide lesson")');
    expect(await page.locator('#pane-lesson').isVisible()).toBe(false);
    await page.screenshot({ path: `${SHOTS}/wide-code-room.png` });

    await page.reload();
    await page.waitForSelector('spp-code-editor');
    expect(await page.locator('#pane-lesson').isVisible()).toBe(false);
    expect(await page.getAttribute('.lesson-toggle button', 'aria-expanded')).toBe('false');
    expect(Math.abs((await editorWidth()) - wider)).toBeLessThan(2);
    await page.context().close();
  });
});
