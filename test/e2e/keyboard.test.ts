import { describe, expect, inject, it } from 'vitest';
import { deepFocus, openSized, tabUntil } from './focus.js';
import { browserForFile, editorText, runCount, SHOTS, waitForRun } from './page.js';

const base = inject('baseUrl');

const browser = browserForFile();

describe('the page with the keyboard only', () => {
  it('skips to the code, leaves the editor with Esc then Tab, runs, and works every view and the scrubber, leaving the code as it was', async () => {
    const page = await openSized(browser(), base, { width: 1280, height: 800 });
    await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 20_000 });
    const code = await editorText(page);
    const runs = await runCount(page);

    // The first Tab shows the skip links; the third reaches Run.
    await page.keyboard.press('Tab');
    expect(await deepFocus(page)).toMatchObject({ tag: 'a', text: 'Skip to the code' });
    const link = (await page.locator('a[data-skip=code]').boundingBox())!;
    expect(link.y).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Tab');
    expect(await deepFocus(page)).toMatchObject({ tag: 'a', text: 'Skip to the results' });
    await page.keyboard.press('Tab');
    expect((await deepFocus(page)).action).toBe('run');
    await page.keyboard.press('Enter');
    expect(await waitForRun(page, runs + 1)).toBe('ok');

    // Into the editor by the skip link; the hint says how to get out.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect((await deepFocus(page)).text).toBe('Skip to the code');
    await page.keyboard.press('Enter');
    expect((await deepFocus(page)).inEditor).toBe(true);
    expect(await page.locator('spp-code-editor .spp-editor-hint').textContent()).toContain('Esc then Tab leaves the editor');
    await page.screenshot({ path: `${SHOTS}/keyboard-editor-hint.png` });

    // Escape, then Tab: out of the editor, with nothing typed into it.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect((await deepFocus(page)).inEditor).toBe(false);
    expect(await page.locator('spp-code-editor .spp-editor-hint').count()).toBe(0);
    expect(await editorText(page)).toBe(code);

    // The view tabs: arrows move between them.
    await tabUntil(page, (f) => f.role === 'tab' && f.text === 'Sequence', 'the Sequence tab');
    await page.keyboard.press('ArrowRight');
    expect(await deepFocus(page)).toMatchObject({ role: 'tab', text: 'Map' });
    await page.keyboard.press('Home');
    expect(await deepFocus(page)).toMatchObject({ role: 'tab', text: 'Sequence' });

    // The sequence diagram: a list box whose rows the arrows walk; Enter selects an event.
    await tabUntil(page, (f) => f.role === 'listbox', 'the sequence diagram');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    const active = await page.evaluate(() => {
      const list = document.querySelector('spp-sequence-diagram')!.shadowRoot!.querySelector('[role=listbox]')!;
      const id = list.getAttribute('aria-activedescendant');
      return id ? list.querySelector(`#${id}`)?.getAttribute('aria-label') : null;
    });
    expect(active).toBeTruthy();
    await page.keyboard.press('Enter');
    await page.waitForSelector('spp-sequence-diagram [role=option][aria-selected=true]');

    // The scrubber: a slider that Home, End and the arrows move.
    const slider = await tabUntil(page, (f) => f.role === 'slider' || (f.tag === 'input' && f.within === 'spp-time-scrubber'), 'the time slider');
    expect(slider.within).toBe('spp-time-scrubber');
    const readout = () => page.locator('spp-time-scrubber .readout').textContent();
    await page.keyboard.press('End');
    const atEnd = await readout();
    await page.keyboard.press('Home');
    const atStart = await readout();
    expect(atStart).not.toBe(atEnd);
    await page.keyboard.press('ArrowRight');
    expect(await readout()).not.toBe(atStart);

    // The metrics table scrolls in a region the keyboard can reach.
    await page.click('[role=tab][data-tab=metrics]');
    await page.focus('[role=tab][data-tab=metrics]');
    const region = await tabUntil(page, (f) => f.within === 'spp-metrics', 'the metrics tables');
    expect(region.role).toBe('region');

    // Nothing the walk did changed the code, saved a draft or ran it again on its own.
    expect(await editorText(page)).toBe(code);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('spp.draft.')))).toEqual([]);
    expect(await runCount(page)).toBe(runs + 1);
    await page.context().close();
  });

  it('Ctrl+M makes Tab move the focus out of the editor for good, until pressed again', async () => {
    const page = await openSized(browser(), base, { width: 1280, height: 800 });
    await page.waitForSelector('spp-code-editor .monaco-editor .view-lines', { timeout: 20_000 });
    const code = await editorText(page);
    await page.focus('a[data-skip=code]');
    await page.keyboard.press('Enter');
    expect((await deepFocus(page)).inEditor).toBe(true);
    await page.keyboard.press('Control+m');
    await page.keyboard.press('Tab');
    expect((await deepFocus(page)).inEditor).toBe(false);
    await page.keyboard.press('Shift+Tab');
    expect((await deepFocus(page)).inEditor).toBe(true);
    await page.keyboard.press('Tab');
    expect((await deepFocus(page)).inEditor).toBe(false);
    expect(await editorText(page)).toBe(code);
    await page.context().close();
  });
});
