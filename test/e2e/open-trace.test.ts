import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { traceToJSON, type TraceEvent } from '../../src/sim/trace.js';
import { browserForFile, editorText, open, SHOTS, waitForRun } from './page.js';

// A trace written in real mode's format (what `spp run --trace` writes: traceToJSON, one-space
// indent), opened on the built site through "Open trace…" and by dropping it on the page.
const base = inject('baseUrl');

const events = [
  { seq: 0, time: 0, kind: 'http.request', source: 'client', target: 'orders', requestId: 'req-1', method: 'POST', path: '/orders', url: 'http://orders/orders' },
  { seq: 1, time: 3.5, kind: 'mq.publish', source: 'orders', target: 'broker', messageId: 'msg-1', exchange: '', routingKey: 'billing', queue: 'billing' },
  { seq: 2, time: 6, kind: 'log', source: 'billing', level: 'info', message: 'charged order 17 on the real broker' },
  { seq: 3, time: 8.25, kind: 'http.response', source: 'orders', target: 'client', requestId: 'req-1', method: 'POST', path: '/orders', status: 201, sentAt: 8, durationMs: 8.25 },
] as unknown as TraceEvent[];
const TRACE_FILE = JSON.stringify(traceToJSON(events), null, 1);

const browser = browserForFile();

const status = (page: Page) => page.locator('spp-run-toolbar .status').textContent().then((t) => (t ?? '').trim());
const sequenceSeqs = (page: Page) => page.locator('spp-sequence-diagram [data-seq]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-seq')));

async function expectTraceShown(page: Page, fileName: string): Promise<void> {
  await page.waitForFunction((name) => document.querySelector('spp-run-toolbar')?.shadowRoot?.querySelector('.status')?.textContent?.includes(`Opened trace ${name}`), fileName);
  expect(await status(page)).toMatch(new RegExp(`^Opened trace ${fileName.replace('.', '\\.')} · 4 events`));
  await page.click('[role=tab][data-tab=sequence]');
  await page.waitForFunction(() => document.querySelector('spp-sequence-diagram')?.shadowRoot?.querySelectorAll('[data-seq]').length === 4);
  expect(await sequenceSeqs(page)).toEqual(['0', '1', '2', '3']);
  await page.click('[role=tab][data-tab=logs]');
  await page.waitForFunction(() => document.querySelector('spp-log-console')?.shadowRoot?.textContent?.includes('charged order 17 on the real broker'));
  await page.click('[role=tab][data-tab=checks]');
  expect(await page.locator('spp-checks-panel .not-run').textContent()).toMatch(/not judged for an opened trace/);
  expect(await page.evaluate(() => document.querySelector('spp-checks-panel')?.shadowRoot?.textContent)).not.toContain('✓');
  expect(await page.locator('[role=tab][data-tab=checks] .tab-badge').count()).toBe(0);
}

describe('Opening a trace file', () => {
  it('shows a trace picked through "Open trace…" in the views; a run brings the code’s own trace back', async () => {
    const page = await open(browser(), base);
    await waitForRun(page, 1);
    const code = await editorText(page);
    const chooser = page.waitForEvent('filechooser');
    await page.click('spp-run-toolbar [data-action=open-trace]');
    await (await chooser).setFiles({ name: 'real-run.json', mimeType: 'application/json', buffer: Buffer.from(TRACE_FILE) });
    await expectTraceShown(page, 'real-run.json');
    expect(await editorText(page)).toBe(code);
    await page.screenshot({ path: `${SHOTS}/opened-trace.png` });

    await page.click('spp-run-toolbar [data-action=run]');
    await waitForRun(page, 2);
    expect(await status(page)).toMatch(/^Finished/);
  });

  it('opens a trace file dropped on the page, and refuses a file of another format version with a banner', async () => {
    const page = await open(browser(), base);
    await waitForRun(page, 1);
    const drop = (name: string, text: string) =>
      page.evaluate(
        ([name, text]) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([text!], name!, { type: 'application/json' }));
          const target = document.querySelector('spp-sequence-diagram') ?? document.querySelector('spp-app')!;
          target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
          target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        },
        [name, text],
      );
    const before = await status(page);
    await drop('old.json', JSON.stringify({ format: 'spp-trace', version: 0, events: [] }));
    await page.waitForSelector('.banner[data-tone=error]');
    expect(await page.locator('.banner[data-tone=error] > span').textContent()).toMatch(/old\.json was not opened\. This trace is in format version 0, and this page reads only version 1/);
    expect(await status(page)).toBe(before);

    await drop('dropped.json', TRACE_FILE);
    await expectTraceShown(page, 'dropped.json');
  });
});
