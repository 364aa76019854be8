// The whole app element, mounted with fake dependencies (no Monaco, no sandbox).
import { saveDraft } from '../../../src/share/drafts.js';
import { PREFERENCES_KEY } from '../../../src/share/preferences.js';
import { ALPHA_CODE, ALPHA_SOLUTION, BETA_CODE, fakeDeps } from '../../ui/fake-app-deps.js';
import { bannerTexts, click, editorOf, manualRunStorage, mountApp, shadowText, statusOf, toolbarOf, typeCode, unmountApps, until } from './app-harness.js';
import { afterEach, assert, assertEqual, describe, it } from './harness.js';

describe('<spp-app> with fake dependencies', () => {
  afterEach(unmountApps);

  it('shows the picker, the lesson and the code of the first example, and runs it', async () => {
    const { deps, runner } = fakeDeps();
    const app = await mountApp(deps);
    const picker = app.querySelector('spp-example-picker')!;
    await until(() => picker.shadowRoot?.querySelector('[data-example="beta-queues"]'), 'the picker entries');
    assert(shadowText(picker).includes('Alpha calls') && shadowText(picker).includes('Beta queues'), 'both examples listed');
    assertEqual(picker.shadowRoot!.querySelector('[aria-current=true]')?.getAttribute('data-example'), 'alpha-calls', 'first example selected');
    const lesson = app.querySelector('spp-lesson-panel')!;
    await until(() => lesson.shadowRoot?.querySelector('h1'), 'the lesson heading');
    assertEqual(lesson.shadowRoot!.querySelector('h1')!.textContent, 'Alpha calls', 'lesson heading');
    assert(shadowText(lesson).includes('Return two'), 'exercise shown');
    assert(editorOf(app).textContent!.includes("log.info('alpha')"), 'the code is shown without Monaco');
    await until(() => runner.requests.length === 1 && app.dataset['runStatus'], 'the auto-run');
    assertEqual(runner.requests[0]!.code, ALPHA_CODE, 'the example code was run');
  });

  it('Run sends the code, seed and faults to the runner and shows how the run ended', async () => {
    const { deps, runner } = fakeDeps({ storage: manualRunStorage() });
    const app = await mountApp(deps);
    await new Promise((r) => setTimeout(r, 50));
    assertEqual(runner.requests.length, 0, 'no run while auto-run is off');
    click(toolbarOf(app).shadowRoot!, '[data-action=run]');
    await until(() => statusOf(app).dataset['status'] === 'ok', 'an ok status');
    const request = runner.requests[0]!;
    assertEqual([request.code, request.seed, request.faults], [ALPHA_CODE, 7, { services: { payment: { errorRate: 0.5 } } }], 'what was run');
    assert(statusOf(app).textContent!.includes('Finished'), `toolbar status: ${statusOf(app).textContent}`);
    assertEqual([app.dataset['runStatus'], app.dataset['traceHash'], app.dataset['runs']], ['ok', 'hash-1', '1'], 'run recorded on the element');
    assert(app.querySelector('spp-sequence-diagram'), 'the sequence diagram shows the trace');

    runner.answer = () => ({ status: 'error', error: { kind: 'runtime', message: 'payment exploded', line: 3 } });
    click(toolbarOf(app).shadowRoot!, '[data-action=run]');
    await until(() => statusOf(app).dataset['status'] === 'error', 'an error status');
    assert(statusOf(app).textContent!.includes('Error on line 3: payment exploded'), 'error in the toolbar');
    assert(app.querySelector('.run-error')!.textContent!.includes('Your code threw an error: payment exploded.'), 'error above the views');
    assert(app.querySelector('.run-error button')!.textContent!.includes('Go to line 3'), 'offers the line');
  });

  it('saves an edit as a draft and restores it when mounted again', async () => {
    const storage = manualRunStorage();
    const first = await mountApp(fakeDeps({ storage }).deps);
    typeCode(first, ALPHA_SOLUTION);
    await until(() => storage.getItem('spp.draft.alpha-calls'), 'the saved draft');
    first.remove();
    const { deps, runner } = fakeDeps({ storage });
    const again = await mountApp(deps);
    assertEqual(editorOf(again).value, ALPHA_SOLUTION, 'draft restored into the editor');
    const picker = again.querySelector('spp-example-picker')!;
    await until(() => picker.shadowRoot?.querySelector('[data-example="alpha-calls"] .edited'), 'the edited marker');
    click(toolbarOf(again).shadowRoot!, '[data-action=run]');
    await until(() => runner.requests.length, 'a run');
    assertEqual(runner.requests[0]!.code, ALPHA_SOLUTION, 'the draft is what runs');
  });

  it('saves an edit made just before the page goes away', async () => {
    const storage = manualRunStorage();
    const app = await mountApp(fakeDeps({ storage }).deps);
    typeCode(app, ALPHA_SOLUTION);
    app.remove();
    assert(storage.getItem('spp.draft.alpha-calls')?.includes('return 2'), 'draft written at once on removal');
  });

  it('shows a banner for a malformed share link and keeps the saved draft', async () => {
    const storage = manualRunStorage();
    saveDraft(storage, 'alpha-calls', ALPHA_SOLUTION, { now: 1, exampleVersion: '1' });
    const saved = storage.getItem('spp.draft.alpha-calls');
    const { deps } = fakeDeps({ storage, url: 'https://play.test/course/#v=1&ex=alpha-calls&seed=5&code=N4Ig&sum=0000' });
    const app = await mountApp(deps);
    await until(() => bannerTexts(app, 'error').length, 'an error banner');
    assert(/link/i.test(bannerTexts(app, 'error')[0]!), `banner: ${bannerTexts(app, 'error')[0]}`);
    assertEqual(editorOf(app).value, ALPHA_SOLUTION, 'the draft is in the editor');
    assertEqual(toolbarOf(app).seed, '7', "the example's seed, not the link's");
    assertEqual(storage.getItem('spp.draft.alpha-calls'), saved, 'the draft is untouched');
    click(app, '.banner[data-tone=error] button[aria-label=Dismiss]');
    await until(() => bannerTexts(app, 'error').length === 0, 'the banner to go');
  });

  it('shares a link that opens the same code and seed elsewhere', async () => {
    const { deps, world } = fakeDeps({ storage: manualRunStorage() });
    const app = await mountApp(deps);
    typeCode(app, ALPHA_SOLUTION);
    click(toolbarOf(app).shadowRoot!, '[data-action=share]');
    await until(() => world.copied.length, 'the copied link');
    assert(world.hashes.at(-1)!.includes('code='), 'the address bar holds the link');
    await until(() => bannerTexts(app, 'info').some((t) => t.includes('Link copied')), 'the confirmation');
    const other = fakeDeps({ url: world.copied[0]! });
    const opened = await mountApp(other.deps);
    assertEqual(editorOf(opened).value, ALPHA_SOLUTION, "the link's code");
    await until(() => other.runner.requests.length, 'the run a link starts');
    assertEqual([other.runner.requests[0]!.code, other.runner.requests[0]!.seed], [ALPHA_SOLUTION, 7], 'the same run');
  });

  it("asks which code to keep when a link's code meets a different draft", async () => {
    const source = fakeDeps({ storage: manualRunStorage() });
    const sharer = await mountApp(source.deps);
    typeCode(sharer, ALPHA_SOLUTION);
    click(toolbarOf(sharer).shadowRoot!, '[data-action=share]');
    await until(() => source.world.copied.length, 'the copied link');
    const storage = manualRunStorage();
    saveDraft(storage, 'alpha-calls', 'my own draft', { now: 1, exampleVersion: '1' });
    const { deps } = fakeDeps({ storage, url: source.world.copied[0]! });
    const app = await mountApp(deps);
    assertEqual(editorOf(app).value, ALPHA_SOLUTION, "the link's code first");
    typeCode(app, 'an edit of the shared code');
    await new Promise((r) => setTimeout(r, 400));
    assert(storage.getItem('spp.draft.alpha-calls')!.includes('my own draft'), 'the draft is not overwritten while undecided');
    const back = [...app.querySelectorAll<HTMLButtonElement>('.banner button')].find((b) => b.textContent!.includes('Back to my draft'))!;
    back.click();
    await until(() => editorOf(app).value === 'my own draft', 'the draft back in the editor');
  });

  it('opens another example from the picker and runs it; Ctrl+Enter runs again', async () => {
    const { deps, runner, storage } = fakeDeps();
    const app = await mountApp(deps);
    await until(() => runner.requests.length === 1 && app.dataset['runs'] === '1', 'the first run');
    const picker = app.querySelector('spp-example-picker')!;
    await until(() => picker.shadowRoot?.querySelector('[data-example="beta-queues"]'), 'the picker entry');
    click(picker.shadowRoot!, '[data-example="beta-queues"]');
    await until(() => app.dataset['runs'] === '2', 'the run of the new example');
    assertEqual([runner.requests[1]!.code, runner.requests[1]!.seed], [BETA_CODE, 3], "the new example's code and seed");
    assertEqual(app.querySelector('spp-lesson-panel')!.shadowRoot!.querySelector('h1')!.textContent, 'Beta queues', 'its lesson');
    assert(storage.getItem(PREFERENCES_KEY)!.includes('beta-queues'), 'remembered as the last example');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, cancelable: true }));
    await until(() => app.dataset['runs'] === '3', 'the run from the keyboard');
  });
});
