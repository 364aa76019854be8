import { describe, expect, it } from 'vitest';
import type { Draft } from '../../../src/share/drafts.js';
import { encodeShareLink } from '../../../src/share/share-link.js';
import { ExampleLibrary } from '../../../src/ui/app/example-library.js';
import { planStart } from '../../../src/ui/app/start-plan.js';
import { ALPHA_SOLUTION, fakeExamples } from '../fake-app-deps.js';

const BASE = 'https://play.test/course/';
const examples = fakeExamples();
const catalog = examples.map(({ id, title, topic, order }) => ({ id, title, topic, order }));

function plan(url: string, options: { lastExample?: string | null; draft?: string } = {}) {
  const library = new ExampleLibrary(catalog, (id) => Promise.resolve(examples.find((e) => e.id === id)!));
  const reports: string[] = [];
  const draftsRead: string[] = [];
  const loadDraft = (id: string): Draft | undefined => {
    draftsRead.push(id);
    return options.draft === undefined ? undefined : { exampleId: id, code: options.draft, savedAt: 1, exampleVersion: '1' };
  };
  const result = planStart({ url, library, lastExample: options.lastExample ?? null, loadDraft, report: (m, tone) => reports.push(`${tone}: ${m}`) });
  return result.then((p) => ({ plan: p, reports, draftsRead }));
}

function link(state: Parameters<typeof encodeShareLink>[0]): string {
  const r = encodeShareLink(state, BASE);
  if (!r.ok) throw new Error(r.error.message);
  return r.url;
}

describe('planStart', () => {
  it('opens the example of the last visit, or the first one', async () => {
    expect((await plan(BASE, { lastExample: 'beta-queues' })).plan).toMatchObject({ kind: 'example', example: { id: 'beta-queues' } });
    const unknown = await plan(BASE, { lastExample: 'gone' });
    expect(unknown.plan).toMatchObject({ kind: 'example', example: { id: 'alpha-calls' } });
    expect(unknown.reports).toEqual([]);
  });

  it("opens a link's run: its code, seed and fault plan", async () => {
    const faults = { services: { payment: { errorRate: 0.25 } } };
    const { plan: p, reports } = await plan(link({ exampleId: 'alpha-calls', seed: 'abc', code: ALPHA_SOLUTION, faults }));
    expect(p).toMatchObject({ kind: 'link', example: { id: 'alpha-calls' }, start: { seed: 'abc', code: ALPHA_SOLUTION, faults } });
    expect(p.kind === 'link' && p.start.conflictingDraft).toBeFalsy();
    expect(reports).toEqual([]);
  });

  it("opens a link without code with the example's code and no fault plan", async () => {
    const { plan: p, reports } = await plan(link({ exampleId: 'alpha-calls', seed: 9 }));
    expect(p).toMatchObject({ kind: 'link', start: { seed: 9, code: examples[0]!.code, faults: {}, shown: 'original' } });
    expect(reports).toEqual([]);
  });

  it("opens a link without code with the learner's draft, and says so rather than asking about the link's code", async () => {
    const { plan: p, reports } = await plan(link({ exampleId: 'alpha-calls', seed: 9 }), { draft: 'my draft' });
    expect(p).toMatchObject({ kind: 'link', start: { seed: 9, code: 'my draft', shown: 'draft' } });
    expect(p.kind === 'link' && p.start.conflictingDraft).toBeFalsy();
    expect(reports).toEqual(['info: This link carries no code of its own (it was shared from the example\'s original code), so your saved draft of "Alpha calls" is shown, with the link\'s seed and fault plan.']);
  });

  it("keeps a different draft aside for the learner to choose, and shows the link's code", async () => {
    const { plan: p } = await plan(link({ exampleId: 'alpha-calls', seed: 7, code: ALPHA_SOLUTION }), { draft: 'my draft' });
    expect(p.kind === 'link' && [p.start.code, p.start.shown, p.start.conflictingDraft?.code]).toEqual([ALPHA_SOLUTION, 'link', 'my draft']);
  });

  it("uses the example's fault plan when the link's is not valid, and says so; the code shown is still the link's, or the draft", async () => {
    const faults = { services: { payment: { errorRate: 5 } } };
    const { plan: p, reports } = await plan(link({ exampleId: 'alpha-calls', seed: 7, faults }));
    expect(p.kind === 'link' && p.start.faults).toEqual(examples[0]!.faults);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/^error: .*fault plan is not valid.*example's own fault plan is used/);
    const withDraft = await plan(link({ exampleId: 'alpha-calls', seed: 7, faults }), { draft: 'my draft' });
    expect(withDraft.plan).toMatchObject({ kind: 'link', start: { code: 'my draft', shown: 'draft' } });
    expect(withDraft.plan.kind === 'link' && withDraft.plan.start.conflictingDraft).toBeFalsy();
    const withCode = await plan(link({ exampleId: 'alpha-calls', seed: 7, faults, code: ALPHA_SOLUTION }), { draft: 'my draft' });
    expect(withCode.plan).toMatchObject({ kind: 'link', start: { code: ALPHA_SOLUTION, shown: 'link', conflictingDraft: { code: 'my draft' } } });
  });

  it('reports a damaged link and opens the example it names with its original code, as the report says', async () => {
    const { plan: p, reports } = await plan(`${BASE}#v=1&ex=beta-queues&seed=5&code=N4Ig&sum=0000`, { lastExample: 'alpha-calls' });
    expect(p).toMatchObject({ kind: 'example', example: { id: 'beta-queues' } });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/^error: .*link.*is opened with its original code instead\./i);
  });

  it('says the draft is opened when a damaged link names an example the learner has a draft of', async () => {
    for (const url of [`${BASE}#v=1&ex=beta-queues&seed=5&code=N4Ig&sum=0000`, `${BASE}#v=1&ex=beta-queues&seed=5&cod`]) {
      const { plan: p, reports } = await plan(url, { lastExample: 'alpha-calls', draft: 'my draft' });
      expect(p).toMatchObject({ kind: 'example', example: { id: 'beta-queues' } });
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatch(/^error: .*link.*Your saved draft of "Beta queues" is opened instead\./);
      expect(reports[0]).not.toMatch(/original code/);
    }
  });

  it('reports a link to an example this course does not have and opens the last one', async () => {
    const { plan: p, reports } = await plan(link({ exampleId: 'no-such-example', seed: 1 }), { lastExample: 'beta-queues' });
    expect(p).toMatchObject({ kind: 'example', example: { id: 'beta-queues' } });
    expect(reports[0]).toMatch(/no-such-example/);
  });
});
