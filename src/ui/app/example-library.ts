import type { Example, ExampleMeta } from '../../../examples/types.js';

/**
 * The examples of the course: their catalogue entries in course order, and
 * their content, loaded once each (later requests share the first load; a
 * failed load is tried again next time).
 *
 * @example
 * const library = new ExampleLibrary(catalog, loadExample);
 * const example = await library.load('retry');
 * library.neighbour('retry', 1); // the next example's entry
 */
export class ExampleLibrary {
  private readonly loading = new Map<string, Promise<Example>>();
  private readonly done = new Map<string, Example>();

  constructor(
    /** Every example's entry, in course order. */
    readonly entries: readonly ExampleMeta[],
    private readonly loadExample: (id: string) => Promise<Example>,
  ) {}

  /** True when the course has an example with this id. */
  has(id: string): boolean {
    return this.entries.some((e) => e.id === id);
  }

  /** The position of an example in the course (-1 when unknown). */
  indexOf(id: string): number {
    return this.entries.findIndex((e) => e.id === id);
  }

  /** The entry `step` places after (or before, when negative) `id` in the course. */
  neighbour(id: string, step: number): ExampleMeta | undefined {
    const i = this.indexOf(id);
    return i < 0 ? undefined : this.entries[i + step];
  }

  /** Loads an example's content; every caller gets the same load. */
  load(id: string): Promise<Example> {
    let p = this.loading.get(id);
    if (!p) {
      p = this.loadExample(id);
      this.loading.set(id, p);
      p.then(
        (e) => this.done.set(id, e),
        () => this.loading.delete(id),
      );
    }
    return p;
  }

  /** An example's content if it has loaded. */
  loaded(id: string): Example | undefined {
    return this.done.get(id);
  }

  /** Loads every example (failures are left for a later `load` to retry). */
  async loadAll(): Promise<void> {
    await Promise.allSettled(this.entries.map((e) => this.load(e.id)));
  }
}
