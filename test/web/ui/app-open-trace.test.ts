// Opening a trace file on the page (the page's "Trace JSON" or real mode's `spp run --trace`):
// the views show its events as they show a run's; a bad file only gets a banner.
import { traceToJSON, type TraceEvent } from '../../../src/sim/trace.js';
import { ALPHA_CODE, fakeDeps } from '../../ui/fake-app-deps.js';
import { bannerTexts, click, editorOf, manualRunStorage, mountApp, shadowText, statusOf, toolbarOf, unmountApps, until } from './app-harness.js';
import { afterEach, assert, assertEqual, describe, it } from './harness.js';

const events = [
  { seq: 0, time: 0, kind: 'http.request', source: 'client', target: 'orders', requestId: 'req-1', method: 'POST', path: '/orders', url: 'http://orders/orders' },
  { seq: 1, time: 4, kind: 'log', source: 'orders', level: 'info', message: 'order from the real broker' },
  { seq: 2, time: 9, kind: 'mq.unheard-of', source: 'orders', target: 'billing' },
  { seq: 3, time: 12, kind: 'http.response', source: 'orders', target: 'client', requestId: 'req-1', method: 'POST', path: '/orders', status: 201, sentAt: 11, durationMs: 12 },
] as unknown as TraceEvent[];
const TRACE_FILE = JSON.stringify(traceToJSON(events), null, 1);

const sequenceRows = (app: HTMLElement) => [...(app.querySelector('spp-sequence-diagram')?.shadowRoot?.querySelectorAll('[data-seq]') ?? [])];
const openViews = async (app: HTMLElement & { updateComplete: Promise<boolean> }) => {
  app.querySelector<HTMLElement>('[role=tab][data-pane=views]')?.click();
  await app.updateComplete;
};

describe('<spp-app> opening a trace file', () => {
  afterEach(unmountApps);

  it('shows a picked trace file in the sequence view, says so, judges no check, and a run brings the code back', async () => {
    const { deps, world, runner } = fakeDeps({ storage: manualRunStorage() });
    const app = await mountApp(deps);
    await openViews(app);
    click(toolbarOf(app).shadowRoot!, '[data-action=run]');
    await until(() => app.dataset['runs'] === '1', 'the first run');
    world.nextFile = TRACE_FILE;
    world.nextFileName = 'real-run.json';
    click(toolbarOf(app).shadowRoot!, '[data-action=open-trace]');
    await until(() => sequenceRows(app).length === 4, 'the four events of the file in the sequence view');
    assertEqual(sequenceRows(app).map((r) => r.getAttribute('data-seq')), ['0', '1', '2', '3'], 'every event, in order');
    assert(shadowText(app.querySelector('spp-sequence-diagram')).includes('mq.unheard-of'), 'an unknown kind is drawn by its name');
    await until(() => statusOf(app).textContent!.includes('Opened trace real-run.json'), 'the status line');
    assert(statusOf(app).textContent!.includes('4 events'), `the event count: ${statusOf(app).textContent}`);
    assert(app.querySelector('spp-time-scrubber'), 'the scrubber shows');
    assertEqual(app.querySelector<HTMLElement & { events: unknown[] }>('spp-time-scrubber')!.events.length, 4, 'the scrubber has the file’s events');

    click(app, '[role=tab][data-tab=checks]');
    await until(() => app.querySelector('spp-checks-panel'), 'the checks view');
    await until(() => shadowText(app.querySelector('spp-checks-panel')).includes('not judged for an opened trace'), 'checks not judged');
    assert(!shadowText(app.querySelector('spp-checks-panel')).includes('✓'), 'no ✓ in the checks view');
    assertEqual(app.querySelector('[role=tab][data-tab=checks] .tab-badge'), null, 'no badge on the Checks tab');
    assertEqual(runner.requests.length, 1, 'opening a file runs nothing');

    click(toolbarOf(app).shadowRoot!, '[data-action=run]');
    await until(() => app.dataset['runs'] === '2', 'the second run');
    await until(() => !statusOf(app).textContent!.includes('Opened trace'), 'the status line of a run');
    assert(statusOf(app).textContent!.startsWith('Finished'), `back to normal: ${statusOf(app).textContent}`);
    click(app, '[role=tab][data-tab=sequence]');
    await until(() => sequenceRows(app).length === 1, 'the run’s single event');
  });

  it('refuses a file that is not a trace with a banner, and changes nothing else', async () => {
    const { deps, world } = fakeDeps({ storage: manualRunStorage() });
    const app = await mountApp(deps);
    await openViews(app);
    click(toolbarOf(app).shadowRoot!, '[data-action=run]');
    await until(() => app.dataset['runs'] === '1', 'the first run');
    await until(() => sequenceRows(app).length === 1, 'the run’s event');
    const status = statusOf(app).textContent;
    const cases: Array<[string, RegExp]> = [
      ['{ "format": "spp-trace", ', /notes\.json was not opened\. This file is not valid JSON/],
      [JSON.stringify({ v: 1, progress: {} }), /not a trace: it lacks "format": "spp-trace"/],
      [JSON.stringify({ format: 'spp-trace', version: 2, events: [] }), /format version 2, and this page reads only version 1/],
      [JSON.stringify({ format: 'spp-trace', version: 1, events: [{ seq: 0, time: 'noon', kind: 'log' }] }), /event 0 has no valid "time"/],
    ];
    for (const [text, message] of cases) {
      world.nextFile = text;
      world.nextFileName = 'notes.json';
      click(toolbarOf(app).shadowRoot!, '[data-action=open-trace]');
      await until(() => bannerTexts(app, 'error').some((t) => message.test(t)), `the banner ${message}`);
    }
    assertEqual(editorOf(app).value, ALPHA_CODE, 'the code is unchanged');
    assertEqual(statusOf(app).textContent, status, 'the status line is the run’s');
    assertEqual(sequenceRows(app).length, 1, 'the run is still shown');
  });

  it('opens a trace file dropped on the page', async () => {
    const { deps } = fakeDeps({ storage: manualRunStorage() });
    const app = await mountApp(deps);
    await openViews(app);
    const transfer = new DataTransfer();
    transfer.items.add(new File([TRACE_FILE], 'dropped.json', { type: 'application/json' }));
    const target = app.querySelector('#pane-views')!;
    const over = new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true });
    target.dispatchEvent(over);
    assert(over.defaultPrevented && app.hasAttribute('data-dropping'), 'the page takes the drop');
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    await until(() => sequenceRows(app).length === 4, 'the dropped file’s events');
    assert(statusOf(app).textContent!.includes('Opened trace dropped.json'), 'named in the status line');
    assert(!app.hasAttribute('data-dropping'), 'the outline goes');
  });
});
