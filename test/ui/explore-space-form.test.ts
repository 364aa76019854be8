import { describe, expect, it } from 'vitest';
import { encodeExploreLink } from '../../src/share/explore-link.js';
import type { Draft } from '../../src/share/drafts.js';
import { checkFaultSpace } from '../../src/sim/fault-space-check.js';
import { faultSpaceFrom, type FaultSpace } from '../../src/sim/fault-space.js';
import { ExampleLibrary } from '../../src/ui/app/example-library.js';
import { planStart } from '../../src/ui/app/start-plan.js';
import { countDimensions, defaultDimension, placeIssues, spaceGroups, withDimension, withField, withPartition, type DimensionRef } from '../../src/ui/explore/fault-space-form.js';
import { parseRunsText, parseSeedText } from '../../src/ui/explore/explore-panel.js';
import { ALPHA_SOLUTION, fakeExamples } from './fake-app-deps.js';

const QUEUE = 'payment-service.OrderCreated';
const fromPlan = () => faultSpaceFrom({ queues: { [QUEUE]: { duplicateRate: 0.4 } } });

describe('the fault space as a form', () => {
  it("starts from the example's plan and lists the last run's services and queues, switched off", () => {
    const groups = spaceGroups(fromPlan(), { services: ['client', 'payment'], queues: ['orders'] });
    expect(groups.map((g) => g.title)).toEqual(['Service payment', `Queue orders`, `Queue ${QUEUE}`]);
    const queue = groups[2]!;
    expect(queue.dimensions.map((d) => [d.label, d.on])).toEqual([
      ['Duplicate deliveries', true],
      ['Crash after the effect, before the ack (redelivered)', true],
      ['Lost messages', false],
      ['Delivery delay', false],
    ]);
    expect(queue.dimensions[0]!.fields.map((f) => [f.path, f.value])).toEqual([
      [`queues.${QUEUE}.duplicateRate.chance`, 0.5],
      [`queues.${QUEUE}.duplicateRate.min`, 0],
      [`queues.${QUEUE}.duplicateRate.max`, 0.8],
    ]);
    expect(groups[0]!.dimensions.every((d) => !d.on)).toBe(true);
    expect(countDimensions(groups)).toBe(2);
  });

  it('edits in place, keeps names with dots whole, and drops what is switched off', () => {
    const dup: DimensionRef = { kind: 'queue', name: QUEUE, dim: 'duplicateRate' };
    let space = withField(fromPlan(), dup, ['max'], 0.9);
    expect(space.queues![QUEUE]!.duplicateRate).toEqual({ chance: 0.5, min: 0, max: 0.9 });
    const down: DimensionRef = { kind: 'service', name: 'payment', dim: 'down' };
    space = withDimension(space, down, defaultDimension(down));
    space = withField(space, down, ['length', 'max'], 300);
    expect(space.services!['payment']!.down).toEqual({ chance: 0.3, count: { min: 1, max: 1 }, start: { min: 0, max: 5000 }, length: { min: 1, max: 300 } });
    expect(checkFaultSpace(space)).toEqual([]);
    space = withDimension(space, down, undefined);
    expect(space.services).toBeUndefined();
    space = withDimension(withDimension(space, dup, undefined), { kind: 'queue', name: QUEUE, dim: 'crashBeforeAckRate' }, undefined);
    expect(space).toEqual({});
  });

  it('adds and removes partitions between two services', () => {
    let space: FaultSpace = withPartition({}, 'orders', 'payment');
    space = withPartition(space, 'orders', 'stock');
    expect(space.partitions!.map((p) => [p.a, p.b])).toEqual([
      ['orders', 'payment'],
      ['orders', 'stock'],
    ]);
    expect(checkFaultSpace(space)).toEqual([]);
    const groups = spaceGroups(space);
    expect(groups.map((g) => g.title)).toEqual(['Partition orders ⇹ payment', 'Partition orders ⇹ stock']);
    space = withField(space, groups[1]!.removable!, ['start', 'max'], 100);
    expect(space.partitions![1]).toMatchObject({ a: 'orders', b: 'stock', start: { min: 0, max: 100 } });
    space = withDimension(space, groups[0]!.removable!, undefined);
    expect(space.partitions!.map((p) => p.b)).toEqual(['stock']);
  });

  it("puts each of the check's messages next to its field", () => {
    const dup: DimensionRef = { kind: 'queue', name: QUEUE, dim: 'duplicateRate' };
    let space = withField(fromPlan(), dup, ['max'], 1.5);
    space = withField(space, dup, ['chance'], undefined);
    space = { ...space, links: [{ from: 'a', to: 'b' } as never] };
    const groups = spaceGroups(space);
    const { at, elsewhere } = placeIssues(groups, checkFaultSpace(space));
    expect(at.get(`queues.${QUEUE}.duplicateRate.max`)).toEqual(['must be a number between 0 and 1 (got 1.5)']);
    expect(at.get(`queues.${QUEUE}.duplicateRate.chance`)).toEqual(['must be a number between 0 and 1 (got nothing)']);
    expect(at.get('links[0].latency')).toEqual(['must be { chance, min, max }']);
    expect(elsewhere).toEqual([]);
    expect(placeIssues(groups, [{ path: 'weird', message: 'is not a fault space field' }]).elsewhere).toHaveLength(1);
  });

  it('reads the seed and the run count as typed', () => {
    expect([parseSeedText(' 42 '), parseSeedText('choreo-1'), parseSeedText('-7')]).toEqual([42, 'choreo-1', -7]);
    expect([parseRunsText('1,000'), parseRunsText('1 000'), parseRunsText(''), parseRunsText('ten')]).toEqual([1000, 1000, undefined, NaN]);
  });
});

describe('planStart with an explore link', () => {
  const examples = fakeExamples();
  const catalog = examples.map(({ id, title, topic, order }) => ({ id, title, topic, order }));
  const plan = (url: string, draft?: string) => {
    const library = new ExampleLibrary(catalog, (id) => Promise.resolve(examples.find((e) => e.id === id)!));
    const reports: string[] = [];
    const loadDraft = (id: string): Draft | undefined => (draft === undefined ? undefined : { exampleId: id, code: draft, savedAt: 1, exampleVersion: '1' });
    return planStart({ url, library, lastExample: null, loadDraft, report: (m, tone) => reports.push(`${tone}: ${m}`) }).then((p) => ({ plan: p, reports }));
  };
  const space = { services: { payment: { errorRate: { chance: 0.5, min: 0, max: 0.4 } } } };
  const link = (code?: string) => {
    const r = encodeExploreLink({ exampleId: 'alpha-calls', baseSeed: 5, runs: 200, space, ...(code ? { code } : {}) }, 'https://play.test/course/');
    if (!r.ok) throw new Error(r.message);
    return r.url;
  };

  it("opens the link's example and code with the explore to start", async () => {
    const { plan: p, reports } = await plan(link(ALPHA_SOLUTION));
    expect(reports).toEqual([]);
    expect(p).toMatchObject({ kind: 'link', example: { id: 'alpha-calls' }, start: { code: ALPHA_SOLUTION, seed: 7, faults: { services: { payment: { errorRate: 0.5 } } } }, explore: { baseSeed: 5, runs: 200, space } });
  });

  it('keeps a different draft to choose from, as a run link does', async () => {
    const { plan: p } = await plan(link(ALPHA_SOLUTION), 'my draft');
    expect(p).toMatchObject({ kind: 'link', start: { code: ALPHA_SOLUTION, conflictingDraft: { code: 'my draft' } } });
  });

  it('reports a damaged explore link and opens its example as the learner left it', async () => {
    const url = link(ALPHA_SOLUTION);
    const { plan: p, reports } = await plan(url.slice(0, -4), 'my draft');
    expect(p).toMatchObject({ kind: 'example', example: { id: 'alpha-calls' } });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/^error: This explore link was cut off .*Your saved draft of "Alpha calls" is opened instead/);
  });
});
