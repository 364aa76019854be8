// The app's own controls (tabs, run errors, theme, exports), mounted with fake dependencies.
import type { TraceEvent } from '../../../src/sim/trace.js';
import { ALPHA_CODE, fakeDeps } from '../../ui/fake-app-deps.js';
import { VIEW_TABS } from '../../../src/ui/app/view-tabs.js';
import { bannerTexts, click, manualRunStorage, mountApp, toolbarOf, typeCode, unmountApps, until } from './app-harness.js';
import { afterEach, assert, assertEqual, describe, it } from './harness.js';

/** The open view tab (the test page is narrow, so the page's pane tabs are there too). */
const selectedTab = (root: ParentNode) => root.querySelector<HTMLElement>("#pane-views [role=tab][aria-selected='true']")!;

describe('<spp-app> controls', () => {
  afterEach(unmountApps);

  it('moves between view tabs with the arrow keys, and the focus follows', async () => {
    const { deps } = fakeDeps();
    const app = await mountApp(deps);
    await until(() => app.dataset['runs'] === '1', 'the first run');
    // A narrow test page shows one pane at a time: open the views.
    app.querySelector<HTMLElement>('[role=tab][data-pane=views]')?.click();
    await app.updateComplete;
    selectedTab(app).focus();
    selectedTab(app).dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true, cancelable: true }));
    await until(() => selectedTab(app).dataset['tab'] === VIEW_TABS.at(-1)![0], 'the last tab');
    await until(() => document.activeElement === selectedTab(app), 'the focus on the new tab');
    click(app, '[role=tab][data-tab=faults]');
    await until(() => app.querySelector('spp-fault-panel'), 'the fault form');
    click(app, '[role=tab][data-tab=result]');
    await until(() => app.querySelector('.result-view'), 'the result view');
    assert(app.querySelector('.result-view li[data-passed=true]')!.textContent!.includes('the run ends well'), "the example's own expectation is checked");
  });

  it('keeps offering faults on services an earlier run reached, when a partition keeps the last run from them', async () => {
    const { deps, runner } = fakeDeps();
    const call = (seq: number, target: string) => ({ seq, time: seq, kind: 'http.request', source: 'orders', target, requestId: `r${seq}`, method: 'POST', path: '/x', url: `http://${target}/x` }) as unknown as TraceEvent;
    // With a partition the run never gets past the order service to the inventory service.
    runner.answer = (r) => ({ events: r.faults?.partitions?.length ? [call(0, 'payment')] : [call(0, 'payment'), call(1, 'inventory')] });
    const app = await mountApp(deps);
    await until(() => app.dataset['runs'] === '1', 'the first run');
    app.querySelector<HTMLElement>('[role=tab][data-pane=views]')?.click();
    click(app, '[role=tab][data-tab=faults]');
    const panel = await until(() => app.querySelector('spp-fault-panel'), 'the fault form');
    const rows = () => [...panel.shadowRoot!.querySelectorAll<HTMLElement>('tr[data-service]')].map((r) => `${r.dataset['service']}${r.textContent!.includes('not called in the last run') ? ' (not called in the last run)' : ''}`);
    assertEqual(rows(), ['orders', 'payment', 'inventory'], 'every service of the first run');
    (panel.shadowRoot!.querySelector('button:not([aria-label])') as HTMLButtonElement).click(); // Add partition
    await until(() => app.dataset['runs'] === '2', 'the run with the partition');
    await until(() => rows().includes('inventory (not called in the last run)'), 'the inventory service, still offered');
    assertEqual(rows(), ['orders', 'payment', 'inventory (not called in the last run)'], 'services after the partition');
  });

  it('offers to run without a fault plan that no longer fits the code', async () => {
    const { deps, runner } = fakeDeps({ storage: manualRunStorage() });
    const app = await mountApp(deps);
    runner.answer = (r) => (r.faults && Object.keys(r.faults).length ? { status: 'error', error: { kind: 'runtime', message: 'The fault plan names unknown service "payment"' } } : {});
    click(toolbarOf(app).shadowRoot!, '[data-action=run]');
    await until(() => app.querySelector('[data-action=drop-faults]'), 'the way out');
    click(app, '[data-action=drop-faults]');
    await until(() => app.dataset['runStatus'] === 'ok', 'an ok run');
    assertEqual(runner.requests.at(-1)!.faults, {}, 'run without faults');
    assertEqual(app.querySelector('.run-error'), null, 'the error is gone');
  });

  it('cycles the theme and keeps it; copies the diagram; exports progress', async () => {
    const { deps, world, storage } = fakeDeps();
    const app = await mountApp(deps);
    await until(() => app.dataset['runs'] === '1', 'the first run');
    click(toolbarOf(app).shadowRoot!, '[data-action=theme]');
    await until(() => world.themes.at(-1) === 'light', 'the light theme');
    assert(storage.getItem('spp.prefs')!.includes('"light"'), 'kept');
    click(toolbarOf(app).shadowRoot!, '[data-action=copy-mermaid]');
    await until(() => world.copied.length, 'the copied diagram');
    assert(world.copied[0]!.startsWith('sequenceDiagram'), 'Mermaid text');
    await until(() => bannerTexts(app, 'info').some((t) => t.includes('Mermaid')), 'the confirmation');
    [...app.querySelectorAll<HTMLButtonElement>('.progress-io button')].find((b) => b.textContent === 'Export progress')!.click();
    assertEqual(world.downloads.at(-1)!.fileName, 'service-patterns-progress.json', 'progress file');
  });

  it('asks before a solution replaces edited code, and keeps the run going', async () => {
    const { deps, runner } = fakeDeps();
    runner.answer = (r) => ({ result: r.code.includes('return 2') ? 2 : 1 });
    const app = await mountApp(deps);
    await until(() => app.dataset['runs'] === '1', 'the first run');
    typeCode(app, `${ALPHA_CODE}// mine\n`);
    const lesson = app.querySelector('spp-lesson-panel')!;
    lesson.shadowRoot!.querySelector<HTMLElement>('[data-show-solution]')!.click();
    await lesson.updateComplete;
    lesson.shadowRoot!.querySelector<HTMLElement>('[data-confirm-solution]')!.click();
    await lesson.updateComplete;
    [...lesson.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.includes('Load solution'))!.click();
    await until(() => bannerTexts(app, 'info').some((t) => t.includes('Ctrl+Z')), 'the undo hint');
    await until(() => runner.requests.at(-1)!.code.includes('return 2'), 'a run of the solution');
    await until(() => app.querySelector('[role=tab][data-tab=checks] .tab-badge.ok'), 'the passed checks badge');
  });
});
