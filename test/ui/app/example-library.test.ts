import { describe, expect, it, vi } from 'vitest';
import type { Example } from '../../../examples/types.js';
import { ExampleChooser } from '../../../src/ui/app/example-chooser.js';
import { ExampleLibrary } from '../../../src/ui/app/example-library.js';
import { fakeExamples } from '../fake-app-deps.js';

const examples = fakeExamples();
const catalog = examples.map(({ id, title, topic, order }) => ({ id, title, topic, order }));
const byId = (id: string) => examples.find((e) => e.id === id)!;

describe('ExampleLibrary', () => {
  it('loads each example once, and tries a failed load again', async () => {
    let fail = true;
    const load = vi.fn((id: string) => (fail && id === 'beta-queues' ? Promise.reject(new Error('offline')) : Promise.resolve(byId(id))));
    const library = new ExampleLibrary(catalog, load);
    const [a, b] = await Promise.all([library.load('alpha-calls'), library.load('alpha-calls')]);
    expect(a).toBe(b);
    expect(library.loaded('alpha-calls')).toBe(a);
    await expect(library.load('beta-queues')).rejects.toThrow('offline');
    fail = false;
    await library.loadAll();
    expect(library.loaded('beta-queues')?.title).toBe('Beta queues');
    expect(load.mock.calls.map((c) => c[0])).toEqual(['alpha-calls', 'beta-queues', 'beta-queues']);
  });

  it('knows the course order', () => {
    const library = new ExampleLibrary(catalog, (id) => Promise.resolve(byId(id)));
    expect([library.has('beta-queues'), library.has('nope')]).toEqual([true, false]);
    expect(library.neighbour('alpha-calls', 1)?.id).toBe('beta-queues');
    expect(library.neighbour('alpha-calls', -1)).toBeUndefined();
    expect(library.neighbour('nope', 1)).toBeUndefined();
  });
});

describe('ExampleChooser', () => {
  function setup(load: (id: string) => Promise<Example> = (id) => Promise.resolve(byId(id))) {
    const library = new ExampleLibrary(catalog, load);
    const opened: string[] = [];
    const errors: string[] = [];
    let openId = 'alpha-calls';
    const chooser = new ExampleChooser({ library, openId: () => openId, open: (e) => opened.push((openId = e.id)), onError: (m) => errors.push(m) });
    return { chooser, opened, errors };
  }

  it('opens the latest choice only when picks race', async () => {
    let release: (e: Example) => void = () => undefined;
    const slow = new Promise<Example>((r) => (release = r));
    const { chooser, opened } = setup((id) => (id === 'beta-queues' ? slow : Promise.resolve(byId(id))));
    chooser.choose('beta-queues');
    chooser.opened('alpha-calls'); // something else opened the first example meanwhile
    release(byId('beta-queues'));
    await slow;
    await Promise.resolve();
    expect(opened).toEqual([]);
  });

  it('ignores the open example and unknown ids, steps through the course, and reports a failed load', async () => {
    const { chooser, opened, errors } = setup((id) => (id === 'beta-queues' ? Promise.reject(new Error('offline')) : Promise.resolve(byId(id))));
    chooser.choose('alpha-calls');
    chooser.choose('nope');
    chooser.step(-1);
    chooser.step(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(opened).toEqual([]);
    expect(errors).toEqual(['The example could not be loaded (offline).']);
  });

  it('opens a chosen example once loaded', async () => {
    const { chooser, opened } = setup();
    chooser.step(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(opened).toEqual(['beta-queues']);
  });
});
