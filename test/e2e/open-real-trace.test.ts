import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseTraceFile, type TraceEvent } from '../../src/sim/trace.js';
import { runSpp, scratch } from '../real/spp.js';
import { startRabbit, type RabbitNode } from '../support/rabbitmq.js';
import { browserForFile, open, SHOTS, waitForRun } from './page.js';

// A trace written by an actual `spp run --trace` against a throwaway RabbitMQ, opened on the built
// site with "Open trace…": its events are in the views as a simulated run's are.
const base = inject('baseUrl');

const browser = browserForFile();
let rabbit: RabbitNode | undefined;
let traceFile: string;
let events: TraceEvent[];

beforeAll(async () => {
  rabbit = await startRabbit();
  traceFile = join(scratch({}), 'message-queue-real.json');
  const run = await runSpp(['run', 'examples/message-queue/main.ts', '--amqp', rabbit.url, '--seed', '5', '--trace', traceFile]);
  if (run.code !== 0) throw new Error(`spp run failed:\n${run.stdout}\n${run.stderr}`);
  const parsed = parseTraceFile(readFileSync(traceFile, 'utf8'));
  if (!parsed.ok) throw new Error(parsed.problem);
  events = parsed.events;
});
afterAll(async () => {
  await rabbit?.remove();
});

const shadowText = (tag: string) => `document.querySelector('${tag}')?.shadowRoot?.textContent ?? ''`;

describe('A trace recorded in real mode', () => {
  it('opens in the page: the toolbar, the sequence diagram, the service map and the logs show its events', async () => {
    const publish = events.find((e) => e.kind === 'mq.publish')!;
    const request = events.find((e) => e.kind === 'http.request')!;
    const log = events.find((e) => e.kind === 'log' && e.source !== 'console') as TraceEvent & { message: string };
    expect(publish && request && log, 'the real run published, called a service and logged').toBeTruthy();

    const page = await open(browser(), base);
    await waitForRun(page, 1);
    const chooser = page.waitForEvent('filechooser');
    await page.click('spp-run-toolbar [data-action=open-trace]');
    await (await chooser).setFiles(traceFile);
    await page.waitForFunction(() => document.querySelector('spp-run-toolbar')?.shadowRoot?.querySelector('.status')?.textContent?.includes('Opened trace message-queue-real.json'));
    expect(await page.locator('spp-run-toolbar .status').textContent()).toContain(`· ${events.length.toLocaleString('en-US')} events ·`);

    await page.click('[role=tab][data-tab=sequence]');
    await page.waitForFunction(() => (document.querySelector('spp-sequence-diagram')?.shadowRoot?.querySelectorAll('[data-seq]').length ?? 0) > 0);
    const rows = await page.locator('spp-sequence-diagram [data-seq]').evaluateAll((r) => r.map((x) => Number(x.getAttribute('data-seq'))));
    // The diagram shows rows of the trace's own events (the last ones in view): broker and HTTP steps alike.
    const kinds = new Set(rows.map((seq) => events[seq]!.kind));
    expect([...kinds].some((k) => k.startsWith('mq.')), [...kinds].join(', ')).toBe(true);
    expect([...kinds].some((k) => k.startsWith('http.')), [...kinds].join(', ')).toBe(true);

    await page.click('[role=tab][data-tab=map]');
    await page.waitForFunction(([script, names]) => names.every((n) => (eval(script) as string).includes(n)), [shadowText('spp-service-map'), [request.target!, publish.source!]] as const);

    await page.click('[role=tab][data-tab=logs]');
    await page.waitForFunction(([script, message]) => (eval(script) as string).includes(message), [shadowText('spp-log-console'), log.message] as const);
    await page.screenshot({ path: `${SHOTS}/opened-real-trace.png` });
  });
});
