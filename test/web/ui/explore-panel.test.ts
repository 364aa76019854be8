// The Explore tab in the whole app, with a fake runner: no sandbox, runs answered from a script.
import type { RunRequest } from '../../../src/runner/protocol.js';
import { fakeDeps, type FakeRunner } from '../../ui/fake-app-deps.js';
import { click, manualRunStorage, mountApp, shadowText, toolbarOf, unmountApps, until } from './app-harness.js';
import { afterEach, assert, assertEqual, describe, it } from './harness.js';

type App = Awaited<ReturnType<typeof mountApp>>;
const panelOf = (app: App) => app.querySelector('spp-explore-panel')!;
const inPanel = <T extends Element = HTMLElement>(app: App, selector: string) => panelOf(app)?.shadowRoot?.querySelector<T & Element>(selector) ?? null;

async function openExplore(app: App): Promise<void> {
  click(app, '[role=tab][data-tab=explore]');
  await until(() => inPanel(app, 'input[data-field=runs]'), 'the Explore panel (its own chunk)');
}

function setField(app: App, selector: string, value: string, event: 'input' | 'change' = 'input'): void {
  const input = inPanel<HTMLInputElement>(app, selector)!;
  input.value = value;
  input.dispatchEvent(new Event(event, { bubbles: true, composed: true }));
}

/** Answers like a program that returns 2 (passing the exercise) on every third seed. */
function scripted(runner: FakeRunner): void {
  runner.answer = (r: RunRequest) => ({ result: Number(r.seed) % 3 === 0 ? 2 : 1, invariants: [{ name: 'never negative', passed: Number(r.seed) !== 4, ...(Number(r.seed) !== 4 ? {} : { message: 'balance -5' }) }] });
}

describe('Explore tab (fake runner)', () => {
  afterEach(unmountApps);

  it('explores on Ctrl+Shift+Enter and counts every check and invariant over the seeds', async () => {
    const { deps, runner } = fakeDeps({ storage: manualRunStorage() });
    scripted(runner);
    const app = await mountApp(deps);
    await openExplore(app);
    setField(app, 'input[data-field=runs]', '30');
    await panelOf(app).updateComplete;
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, shiftKey: true, cancelable: true }));
    await until(() => inPanel(app, '[data-results]'), 'the results');
    assertEqual(runner.requests.map((r) => r.seed), Array.from({ length: 30 }, (_, i) => i + 1), 'one run per seed, in order');
    assert(runner.requests.every((r) => r.code.includes("log.info('alpha')")), 'the code on screen ran');
    const row = (key: string) => inPanel(app, `li[data-key="${key}"]`);
    assertEqual(row('check:return-two/two')?.querySelector('[data-failed]')?.getAttribute('data-failed'), '20', 'the exercise check failed on 20 of 30 seeds');
    assertEqual(row('invariant:never negative')?.querySelector('[data-failed]')?.getAttribute('data-failed'), '1', "the program's own invariant failed once");
    assert(shadowText(panelOf(app)).includes('balance -5'), 'with its message');
    assert(shadowText(panelOf(app)).includes('30 runs: 10 passed everything, 20 failed something'), shadowText(panelOf(app)).slice(0, 400));
  });

  it('replays a failing case as the run, says so, and goes back', async () => {
    const { deps, runner } = fakeDeps({ storage: manualRunStorage() });
    scripted(runner);
    const app = await mountApp(deps);
    await openExplore(app);
    setField(app, 'input[data-field=runs]', '5');
    await panelOf(app).updateComplete;
    click(panelOf(app).shadowRoot!, '[data-action=explore]');
    await until(() => inPanel(app, '[data-results]'), 'the results');
    const asked = runner.requests.length;
    click(inPanel(app, 'li[data-key="invariant:never negative"]')!, '[data-action=replay]');
    await until(() => runner.requests.length > asked && app.dataset['runStatus'], 'the replayed run');
    assertEqual(runner.requests[asked]!.seed, 4, 'the failing seed runs as a normal run');
    assertEqual(app.querySelector('[role=tab][data-tab][aria-selected=true]')?.getAttribute('data-tab'), 'sequence', 'with the run views');
    assert(app.querySelector('.replay-notice')!.textContent!.includes('Replaying a failing case of "never negative": seed 4'), app.querySelector('.replay-notice')?.textContent ?? 'no notice');
    assertEqual(toolbarOf(app).seed, '4', 'the toolbar shows its seed');
    click(app, '.replay-notice [data-action=end-replay]');
    await until(() => runner.requests.length > asked + 1, 'the run back on the old seed');
    assertEqual([runner.requests[asked + 1]!.seed, runner.requests[asked + 1]!.faults], [7, { services: { payment: { errorRate: 0.5 } } }], "back to the example's seed and plan");
    assertEqual(app.querySelector('.replay-notice'), null, 'the notice is gone');
  });

  it('keeps what finished runs found when stopped, and the page stays usable', async () => {
    const { deps, runner } = fakeDeps({ storage: manualRunStorage() });
    scripted(runner);
    const app = await mountApp(deps);
    await openExplore(app);
    runner.hold = true;
    click(panelOf(app).shadowRoot!, '[data-action=explore]');
    for (let i = 0; i < 8; i++) {
      await until(() => runner.requests.length > i, 'a run');
      runner.release();
    }
    await until(() => inPanel(app, '[data-progress]'), 'the progress bar');
    click(panelOf(app).shadowRoot!, '[data-action=stop-explore]');
    runner.hold = false;
    runner.answer = () => ({ status: 'stopped', error: { kind: 'stopped', message: 'You stopped the run.' } });
    runner.release();
    await until(() => inPanel(app, '[data-results]'), 'the partial results');
    assert(/Stopped after \d of 1,000 runs/.test(shadowText(panelOf(app))), shadowText(panelOf(app)).slice(0, 300));
    scripted(runner);
    click(toolbarOf(app).shadowRoot!, '[data-action=run]');
    await until(() => app.dataset['runStatus'] === 'ok', 'a normal run after the stop');
  });

  it('marks a field out of range next to it and keeps Explore off until it is fixed', async () => {
    const { deps } = fakeDeps({ storage: manualRunStorage() });
    const app = await mountApp(deps);
    await openExplore(app);
    setField(app, 'input[data-field=runs]', '200000');
    await panelOf(app).updateComplete;
    assert(inPanel(app, '[data-error-for=runs]')!.textContent!.includes('must be a whole number between 1 and 100,000 (got 200000)'), 'the runs message');
    assert(inPanel<HTMLButtonElement>(app, '[data-action=explore]')!.disabled, 'Explore is off');
    assert(shadowText(panelOf(app)).includes('Fix the field marked above'), 'and says why, and where (Runs is above the line)');
    setField(app, 'input[data-field=runs]', '10');
    const editor = inPanel(app, 'spp-fault-space-editor')!;
    await panelOf(app).updateComplete;
    const rate = editor.shadowRoot!.querySelector<HTMLInputElement>('input[data-path="services.payment.errorRate.max"]')!;
    rate.value = '2';
    rate.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    await panelOf(app).updateComplete;
    await (editor as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    assertEqual(editor.shadowRoot!.querySelector('[data-error-for="services.payment.errorRate.max"]')?.textContent, 'must be a number between 0 and 1 (got 2)', 'the message next to the field');
    assert(inPanel<HTMLButtonElement>(app, '[data-action=explore]')!.disabled, 'Explore is off while the space is invalid');
    assert(shadowText(panelOf(app)).includes('Fix the field marked below'), 'and says why');
  });

  it('copies a link to the explore and one to a failing case', async () => {
    const { deps, runner, world } = fakeDeps({ storage: manualRunStorage() });
    scripted(runner);
    const app = await mountApp(deps);
    await openExplore(app);
    setField(app, 'input[data-field=runs]', '4');
    await panelOf(app).updateComplete;
    click(panelOf(app).shadowRoot!, '[data-action=explore]');
    await until(() => inPanel(app, '[data-results]'), 'the results');
    click(panelOf(app).shadowRoot!, '[data-action=copy-explore]');
    await until(() => world.copied.length === 1, 'the explore link');
    assert(world.copied[0]!.startsWith('https://play.test/course/#xv=1&ex=alpha-calls&seed=1&runs=4&space='), world.copied[0]!);
    click(inPanel(app, 'li[data-key="invariant:never negative"]')!, '[data-action=copy-case]');
    await until(() => world.copied.length === 2, 'the case link');
    assert(world.copied[1]!.startsWith('https://play.test/course/#v=1&ex=alpha-calls&seed=4&'), world.copied[1]!);
  });

  it("shows the program's own invariants in the Checks view of a single run", async () => {
    const { deps, runner } = fakeDeps({ storage: manualRunStorage() });
    runner.answer = () => ({ invariants: [{ name: 'no order pending', passed: false, message: 'order-2 is pending' }, { name: 'paid once', passed: true }] });
    const app = await mountApp(deps);
    click(toolbarOf(app).shadowRoot!, '[data-action=run]');
    await until(() => app.dataset['runStatus'], 'a run');
    click(app, '[role=tab][data-tab=checks]');
    const checks = await until(() => app.querySelector('spp-checks-panel')?.shadowRoot?.querySelector('[data-id="invariant:no order pending"]'), 'the invariant in the Checks view');
    assert(checks.classList.contains('failed') && checks.textContent!.includes('order-2 is pending'), checks.textContent!);
    assert(app.querySelector('spp-checks-panel')!.shadowRoot!.querySelector('[data-id="invariant:paid once"]')!.classList.contains('passed'), 'a holding invariant passes');
    assert(app.querySelector('[role=tab][data-tab=checks] .tab-badge')!.textContent!.includes('2'), 'the badge counts the failing invariant');
  });
});
