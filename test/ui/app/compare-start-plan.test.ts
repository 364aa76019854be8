import { describe, expect, it } from 'vitest';
import { encodeCompareLink } from '../../../src/share/compare-link.js';
import { ExampleLibrary } from '../../../src/ui/app/example-library.js';
import { planStart } from '../../../src/ui/app/start-plan.js';
import { ALPHA_SOLUTION, fakeExamples } from '../fake-app-deps.js';

// How the page opens a compare link: its first variant as a run, and the compare for the Compare tab.
const BASE = 'https://play.test/course/';
const examples = fakeExamples();
const catalog = examples.map(({ id, title, topic, order }) => ({ id, title, topic, order }));

async function plan(url: string) {
  const library = new ExampleLibrary(catalog, (id) => Promise.resolve(examples.find((e) => e.id === id)!));
  const reports: string[] = [];
  const p = await planStart({ url, library, lastExample: null, loadDraft: () => undefined, report: (m, tone) => reports.push(`${tone}: ${m}`) });
  return { plan: p, reports };
}

describe('planStart with a compare link', () => {
  it("opens the first variant's code, seed and plan, and hands on the compare", async () => {
    const faults = { services: { payment: { errorRate: 0.25 } } };
    const r = encodeCompareLink({ exampleId: 'beta-queues', seed: 4, code: ALPHA_SOLUTION, faults, against: { kind: 'starting' }, runs: 30 }, BASE);
    if (!r.ok) throw new Error(r.error.message);
    const { plan: p, reports } = await plan(r.url);
    expect(p).toMatchObject({ kind: 'link', example: { id: 'beta-queues' }, start: { seed: 4, code: ALPHA_SOLUTION, faults, shown: 'link' } });
    expect(p.kind === 'link' && p.compare).toEqual({ version: 1, exampleId: 'beta-queues', seed: 4, code: ALPHA_SOLUTION, faults, against: { kind: 'starting' }, runs: 30 });
    expect(reports).toEqual([]);
  });

  it('reports a damaged compare link and opens the example it names as usual', async () => {
    const r = encodeCompareLink({ exampleId: 'beta-queues', seed: 4, against: { kind: 'seed', seed: 5 } }, BASE);
    if (!r.ok) throw new Error(r.error.message);
    const { plan: p, reports } = await plan(r.url.replace('vsseed=5', 'vsseed=6'));
    expect(p).toMatchObject({ kind: 'example', example: { id: 'beta-queues' } });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/^error: This compare link is damaged .* The example "beta-queues" is opened as usual instead\.$/);
  });
});
