import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousViolations } from './axe-check.js';
import { openSized } from './focus.js';
import { browserForFile, openExample, SHOTS } from './page.js';

const base = inject('baseUrl');

const browser = browserForFile();

/** Checks the whole page, then opens each of `tabs` (default: every view tab) in turn and checks the views section on each. */
async function checkTabs(page: Page, label: string, tabs?: string[]): Promise<string[]> {
  const found = (await seriousViolations(page)).map((v) => `${label}: ${v}`);
  for (const tab of tabs ?? (await page.$$eval('#pane-views [role=tab][data-tab]', (els) => els.map((e) => e.getAttribute('data-tab')!)))) {
    await page.click(`[role=tab][data-tab=${tab}]`);
    await page.waitForFunction((t) => document.querySelector(`[role=tab][data-tab=${t}]`)?.getAttribute('aria-selected') === 'true', tab);
    found.push(...(await seriousViolations(page, '#pane-views')).map((v) => `${label} ${tab}: ${v}`));
  }
  return found;
}

describe('accessibility (axe-core)', () => {
  // The breaker example fills every view (breaker states, warnings in the logs, queues); the saga
  // example adds the saga board's compensations. Each axe pass takes a while, so the saga example
  // is checked (in the same page, opened from the list) on the whole page and the views it adds.
  const cases = [
    { example: 'circuit-breaker', tabs: undefined },
    { example: 'orchestration-saga', tabs: ['sagas', 'sequence', 'map'] },
  ];
  for (const theme of ['light', 'dark'] as const) {
    it(`finds no serious or critical violation on every view of circuit-breaker, nor on the saga views of orchestration-saga, in ${theme} mode`, { timeout: 240_000 }, async () => {
      const page = await openSized(browser(), base, { width: 1280, height: 800 }, { colorScheme: theme, bypassCSP: true });
      const found: string[] = [];
      for (const { example, tabs } of cases) {
        await openExample(page, example);
        // The editor's own colours count too (the dark theme's comments).
        await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 20_000 });
        found.push(...(await checkTabs(page, `${example} ${theme}`, tabs)));
        await page.screenshot({ path: `${SHOTS}/axe-${example}-${theme}.png` });
      }
      expect(found).toEqual([]);
    });
  }

  it('finds none on any pane of the narrow layout either (dark mode)', { timeout: 240_000 }, async () => {
    const page = await openSized(browser(), base, { width: 390, height: 844 }, { colorScheme: 'dark', bypassCSP: true });
    const found: string[] = [];
    for (const pane of ['examples', 'lesson', 'code']) {
      await page.click(`[role=tab][data-pane=${pane}]`);
      found.push(...(await seriousViolations(page, `#pane-${pane}`)).map((v) => `${pane}: ${v}`));
    }
    await page.click('spp-run-toolbar >> [data-action=menu]');
    found.push(...(await seriousViolations(page, 'header')).map((v) => `menu: ${v}`));
    await page.keyboard.press('Escape');
    await page.click('[role=tab][data-pane=views]');
    found.push(...(await checkTabs(page, 'narrow', ['sequence', 'logs'])));
    expect(found).toEqual([]);
  });
});
