// The Compare tab in the whole app, with a fake runner (no sandbox, no pool: seed after seed).
import type { RunRequest } from '../../../src/runner/protocol.js';
import type { TraceEvent } from '../../../src/sim/trace.js';
import type { PlaygroundApp } from '../../../src/ui/app.js';
import { ALPHA_CODE, ALPHA_SOLUTION, fakeDeps } from '../../ui/fake-app-deps.js';
import { click, manualRunStorage, mountApp, toolbarOf, typeCode, unmountApps, until } from './app-harness.js';
import { afterEach, assert, assertEqual, describe, it } from './harness.js';

const panelOf = (app: PlaygroundApp) => app.querySelector('spp-compare-panel')!;
const panelRoot = (app: PlaygroundApp) => app.querySelector('spp-compare-panel')?.shadowRoot ?? null;
const inPanel = <T extends Element = HTMLElement>(app: PlaygroundApp, selector: string) => panelRoot(app)?.querySelector<T>(selector) ?? null;
const row = (app: PlaygroundApp, key: string) => inPanel(app, `tr[data-row="${key}"]`);
const cells = (tr: Element | null) => [...(tr?.querySelectorAll('td') ?? [])].map((td) => td.textContent!.replace(/\s+/g, ' ').trim());

/** A trace of `n` calls from the client to payment (each to its own path, so none fold), one every 10 ms. */
function calls(n: number, offset = 0): TraceEvent[] {
  return Array.from({ length: n }, (_, i) => ({ seq: i, time: offset + i * 10, kind: 'http.request', source: 'client', target: 'payment', requestId: `r${i}`, method: 'POST', path: `/pay/${i}`, url: `http://payment/pay/${i}` }) as TraceEvent);
}

/** Opens the Compare tab (its chunk loads on first use) and waits for the form. */
async function openCompare(app: PlaygroundApp): Promise<void> {
  click(app, '[role=tab][data-tab=compare]');
  await until(() => inPanel(app, 'select#against'), 'the compare form');
}

async function choose(app: PlaygroundApp, value: string): Promise<void> {
  const select = inPanel<HTMLSelectElement>(app, 'select#against')!;
  select.value = value;
  select.dispatchEvent(new Event('change'));
  await (panelOf(app) as unknown as { updateComplete: Promise<unknown> }).updateComplete;
}

describe('Compare tab', () => {
  afterEach(unmountApps);

  it('asks before running a reference solution, then runs both on one seed and shows the difference', async () => {
    const { deps, runner } = fakeDeps({ storage: manualRunStorage() });
    // The solution returns 2 and calls payment less.
    runner.answer = (r: RunRequest) => (r.code === ALPHA_SOLUTION ? { result: 2, events: calls(2) } : { result: 1, events: calls(6) });
    const app = await mountApp(deps);
    await openCompare(app);
    await choose(app, 'solution:return-two');
    click(panelOf(app).shadowRoot!, '[data-action=compare]');
    await until(() => inPanel(app, '[data-confirm-solution]'), 'the confirmation');
    assertEqual(runner.requests.length, 0, 'nothing runs before the learner agrees');
    assert(panelOf(app).shadowRoot!.textContent!.includes('Show the reference solution? Trying first teaches more.'), 'the same question as the lesson');
    click(panelOf(app).shadowRoot!, '[data-confirm-solution]');
    await until(() => inPanel(app, 'section.result'), 'the result');
    assertEqual(runner.requests.map((r) => [r.code, r.seed, JSON.stringify(r.faults)]), [
      [ALPHA_CODE, 7, '{"services":{"payment":{"errorRate":0.5}}}'],
      [ALPHA_SOLUTION, 7, '{"services":{"payment":{"errorRate":0.5}}}'],
    ], 'both variants, same seed and plan');
    assertEqual(cells(row(app, 'check:two')), ['✗ fails', '✓ passes', 'now passes ▲ better'], 'the exercise check');
    assertEqual(row(app, 'calls:payment')?.getAttribute('data-verdict'), 'better', 'fewer calls reach the failing service');
    assertEqual(cells(row(app, 'calls:payment')), ['6', '2', '−4 ▲ better'], 'calls to payment');
    const diagrams = inPanel(app, 'spp-compare-diagrams')!;
    await until(() => diagrams.shadowRoot?.querySelectorAll('.pane').length === 2, 'two diagrams');
    await until(() => diagrams.shadowRoot!.querySelectorAll('.pane[data-side=b] [data-seq]').length === 2, 'the rows of B');
    const ys = (side: string) => [...diagrams.shadowRoot!.querySelectorAll(`.pane[data-side=${side}] [data-seq] .hit`)].map((r) => r.getAttribute('y'));
    assertEqual(ys('b'), ys('a').slice(0, 2), 'rows of the same virtual time at the same height');

    // Asked once per exercise: a second compare runs at once.
    click(panelOf(app).shadowRoot!, '[data-action=compare]');
    await until(() => runner.requests.length === 4, 'the second compare');
    assert(!inPanel(app, '[data-confirm-solution]'), 'not asked again');
  });

  it('runs both variants over many seeds with progress, and shows one table', async () => {
    const { deps, runner } = fakeDeps({ storage: manualRunStorage() });
    // The starting code fails on every even seed; the edited code never does.
    runner.answer = (r: RunRequest) => (r.code === ALPHA_CODE && typeof r.seed === 'number' && r.seed % 2 === 0 ? { status: 'error', error: { kind: 'runtime', message: 'boom' } } : {});
    const app = await mountApp(deps);
    typeCode(app, ALPHA_SOLUTION);
    await openCompare(app);
    await choose(app, 'starting');
    const runs = inPanel<HTMLInputElement>(app, 'input[data-field=runs]')!;
    runs.value = '6';
    runs.dispatchEvent(new Event('input'));
    await until(() => inPanel(app, '[data-action=compare]')?.textContent?.includes('Compare over 6 schedules'), 'the button names the count');
    click(panelOf(app).shadowRoot!, '[data-action=compare]');
    await until(() => inPanel(app, 'section.result[data-kind=seeds]'), 'the seeds result');
    // One run to learn the program's parts, then 6 seeds for each variant.
    const asked = runner.requests.map((r) => [r.code === ALPHA_CODE ? 'B' : 'A', r.seed]);
    assertEqual(asked, [['A', 7], ...[7, 8, 9, 10, 11, 12].map((s) => ['A', s]), ...[7, 8, 9, 10, 11, 12].map((s) => ['B', s])], 'the same seeds for both');
    assertEqual(JSON.stringify(runner.requests[1]!.faults), JSON.stringify(runner.requests[7]!.faults), 'the same plan for the same seed');
    assertEqual(cells(row(app, 'runs')), ['6', '6', '0'], 'seeds run');
    assertEqual(cells(row(app, 'error-runs')), ['0', '3', '+3 ▼ worse'], 'runs that ended in error');
  });

  it('Stop keeps the page usable and says what was kept', async () => {
    const { deps, runner } = fakeDeps({ storage: manualRunStorage() });
    const app = await mountApp(deps);
    await openCompare(app);
    await choose(app, 'starting');
    const runs = inPanel<HTMLInputElement>(app, 'input[data-field=runs]')!;
    runs.value = '50';
    runs.dispatchEvent(new Event('input'));
    await (panelOf(app) as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    runner.hold = true;
    click(panelOf(app).shadowRoot!, '[data-action=compare]');
    for (let n = 1; n <= 4; n++) {
      await until(() => runner.requests.length === n, `run ${n}`);
      if (n < 4) runner.release();
    }
    await until(() => inPanel(app, 'progress'), 'the progress bar');
    click(panelOf(app).shadowRoot!, '[data-action=stop-compare]');
    assert(runner.stops >= 1, 'the run under way is asked to stop');
    runner.hold = false;
    runner.release();
    await until(() => inPanel(app, 'section.result') ?? inPanel(app, '.message'), 'the end of the compare');
    assert(!inPanel(app, '[data-action=stop-compare]'), 'Stop is gone');
    assert(!(inPanel<HTMLButtonElement>(app, '[data-action=compare]')!).disabled, 'Compare can run again');
    assert(/Stopped early/.test(inPanel(app, 'section.result')!.textContent!), 'says the figures are partial');
    click(toolbarOf(app).shadowRoot!, '[data-action=run]');
    await until(() => app.dataset['runStatus'], 'a normal run afterwards');
  });

  it('copies a link that reproduces the compare, and the link opens it again', async () => {
    const first = fakeDeps({ storage: manualRunStorage() });
    const app = await mountApp(first.deps);
    await openCompare(app);
    await choose(app, 'seed');
    const other = inPanel<HTMLInputElement>(app, 'input[data-field=other-seed]')!;
    other.value = 'other_1';
    other.dispatchEvent(new Event('input'));
    click(panelOf(app).shadowRoot!, '[data-action=copy-compare-link]');
    await until(() => first.world.copied.length, 'the copied link');
    const url = first.world.copied[0]!;
    assert(url.includes('#cmp=1&ex=alpha-calls&seed=7') && url.includes('vs=seed&vsseed=other_1'), `link: ${url}`);
    unmountApps();

    const { deps, runner } = fakeDeps({ storage: manualRunStorage(), url });
    const again = await mountApp(deps);
    await until(() => again.querySelector('[role=tab][data-tab=compare][aria-selected=true]'), 'the Compare tab open');
    await until(() => inPanel(again, 'section.result'), 'the compare from the link');
    // The page's own run of the link first (it shares the sandbox), then both variants.
    assertEqual(runner.requests.map((r) => r.seed), [7, 7, 'other_1'], 'seeds run');
    assertEqual(inPanel<HTMLSelectElement>(again, 'select#against')!.value, 'seed', 'the form shows the link');
  });

  it('says what is wrong with a bad seed or count, and runs nothing', async () => {
    const { deps, runner } = fakeDeps({ storage: manualRunStorage() });
    const app = await mountApp(deps);
    await openCompare(app);
    await choose(app, 'seed');
    const other = inPanel<HTMLInputElement>(app, 'input[data-field=other-seed]')!;
    other.value = 'not a seed';
    other.dispatchEvent(new Event('input'));
    click(panelOf(app).shadowRoot!, '[data-action=compare]');
    await until(() => inPanel(app, '.message'), 'a message');
    assert(/other seed must be/.test(inPanel(app, '.message')!.textContent!), 'names the seed');
    assertEqual(runner.requests.length, 0, 'nothing ran');
    // A count out of range gets the panel's own message (not only the browser's bubble, which goes away), and the field is marked.
    await choose(app, 'starting');
    for (const bad of ['0', '5000000', '2.5']) {
      const runs = inPanel<HTMLInputElement>(app, 'input[data-field=runs]')!;
      runs.value = bad;
      runs.dispatchEvent(new Event('input'));
      await panelOf(app).updateComplete;
      assert(!/over (0|5000000|2\.5) schedules/.test(inPanel(app, '[data-action=compare]')!.textContent!), `the button does not offer to compare over ${bad} schedules`);
      click(panelOf(app).shadowRoot!, '[data-action=compare]');
      await until(() => /number of schedules must be/.test(inPanel(app, '.message')?.textContent ?? ''), `a message for ${bad}`);
      assert(inPanel(app, '.message')!.textContent!.includes(`(got ${bad})`), `says what it got: ${inPanel(app, '.message')!.textContent}`);
      assertEqual(inPanel(app, 'input[data-field=runs]')!.getAttribute('aria-invalid'), 'true', 'the field is marked');
    }
    assertEqual(runner.requests.length, 0, 'nothing ran');
  });
});
