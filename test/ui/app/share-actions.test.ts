import { describe, expect, it } from 'vitest';
import { decodeShareLink } from '../../../src/share/share-link.js';
import { createMemoryStorage } from '../../../src/share/storage-like.js';
import { BannerList } from '../../../src/ui/app/banner-list.js';
import { ProgressFiles } from '../../../src/ui/app/progress-files.js';
import { ShareActions, type ShareState } from '../../../src/ui/app/share-actions.js';
import { ALPHA_CODE, ALPHA_SOLUTION, FakeRunner, fakeDeps } from '../fake-app-deps.js';
import { FakeHost } from './fake-host.js';

function setup() {
  const { deps, world, storage } = fakeDeps();
  const banners = new BannerList(new FakeHost());
  return { deps, world, storage, banners, actions: new ShareActions({ deps, banners }) };
}

async function report() {
  return new FakeRunner().run({ runId: 'run-1', code: '', seed: 1 });
}

const state = (over: Partial<ShareState> = {}): ShareState => ({
  exampleId: 'alpha-calls',
  seed: 7,
  code: ALPHA_CODE,
  original: ALPHA_CODE,
  faults: {},
  report: undefined,
  ...over,
});

describe('ShareActions', () => {
  it('makes a link without code or faults for the untouched example, and copies it', async () => {
    const { actions, world, banners } = setup();
    await actions.share(state());
    expect(world.hashes).toHaveLength(1);
    expect(world.hashes[0]).not.toMatch(/code=|faults=/);
    expect(world.copied).toEqual([`https://play.test/course/${world.hashes[0]}`]);
    expect(banners.items[0]!.text).toMatch(/Link copied/);
  });

  it('puts edited code and the fault plan into the link, which decodes to the same run', async () => {
    const { actions, world } = setup();
    const faults = { services: { payment: { errorRate: 0.25 } } };
    await actions.share(state({ code: ALPHA_SOLUTION, faults, seed: 'abc' }));
    const decoded = decodeShareLink(world.copied[0]!);
    expect(decoded.ok && decoded.link).toMatchObject({ exampleId: 'alpha-calls', seed: 'abc', code: ALPHA_SOLUTION, faults });
  });

  it('shows the link when the clipboard refuses', async () => {
    const { actions, world, banners } = setup();
    world.clipboardFails = true;
    await actions.share(state());
    expect(banners.items[0]!.text).toBe(`Copy this link: https://play.test/course/${world.hashes[0]}`);
  });

  it('exports the trace and copies the diagram only after a run', async () => {
    const { actions, world, banners } = setup();
    actions.exportTrace(state());
    await actions.copyMermaid(state());
    expect(world.downloads).toEqual([]);
    expect(banners.items.map((b) => b.text)).toEqual(['Run the code first: there is no trace to export yet.', 'Run the code first: there is no diagram to copy yet.']);
    const withRun = state({ report: await report() });
    actions.exportTrace(withRun);
    expect(world.downloads[0]!.fileName).toBe('trace-alpha-calls-seed-7.json');
    expect(JSON.parse(world.downloads[0]!.text)).toBeTruthy();
    await actions.copyMermaid(withRun);
    expect(world.copied[0]).toMatch(/^sequenceDiagram/);
    world.clipboardFails = true;
    await actions.copyMermaid(withRun);
    expect(banners.items.at(-1)).toMatchObject({ tone: 'error', text: 'The clipboard is not available here.' });
  });
});

describe('ProgressFiles', () => {
  it('exports saved progress and imports it into another browser', async () => {
    const from = fakeDeps();
    from.storage.setItem('spp.progress.alpha-calls', JSON.stringify({ v: 1, exampleId: 'alpha-calls', checks: { 'return-two:two': { status: 'passed', at: 5 } } }));
    const banners = new BannerList(new FakeHost());
    new ProgressFiles({ deps: from.deps, banners, isKnownExample: () => true, onImported: () => undefined }).exportFile();
    const file = from.world.downloads[0]!;
    expect(file.fileName).toBe('service-patterns-progress.json');

    const to = fakeDeps({ storage: createMemoryStorage() });
    let imported = 0;
    const files = new ProgressFiles({ deps: to.deps, banners, isKnownExample: (id) => id === 'alpha-calls', onImported: () => imported++ });
    await files.importFile(); // cancelled: nothing happens
    expect(imported).toBe(0);
    to.world.nextFile = file.text;
    await files.importFile();
    expect(imported).toBe(1);
    expect(to.storage.getItem('spp.progress.alpha-calls')).toContain('passed');
    to.world.nextFile = 'not json';
    await files.importFile();
    expect(banners.items.at(-1)!.tone).toBe('error');
  });
});
