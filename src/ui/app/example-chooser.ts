import type { Example } from '../../../examples/types.js';
import type { ExampleLibrary } from './example-library.js';

/** What an {@link ExampleChooser} needs from the app. */
export interface ExampleChooserOptions {
  library: ExampleLibrary;
  /** The id of the example open now. */
  openId: () => string;
  /** Opens a loaded example. */
  open: (example: Example) => void;
  /** The example could not be loaded; the message says so. */
  onError: (message: string) => void;
}

/**
 * Opens the example the learner picks (in the list, or the previous or next
 * lesson) once its content has loaded. When several picks race, only the
 * latest one opens; picking the open example, or an unknown one, does nothing.
 *
 * @example
 * const chooser = new ExampleChooser({ library, openId: () => current.id, open: openExample, onError: showBanner });
 * chooser.choose('retry');
 * chooser.step(1); // the next lesson
 */
export class ExampleChooser {
  private latest = '';

  constructor(private readonly options: ExampleChooserOptions) {}

  /** Opens `id` once it has loaded, unless another choice comes first. */
  choose(id: string): void {
    const { library } = this.options;
    if (id === this.options.openId() || !library.has(id)) return;
    this.latest = id;
    library.load(id).then(
      (example) => {
        if (this.latest === id) this.options.open(example);
      },
      (e: unknown) => this.options.onError(`The example could not be loaded (${e instanceof Error ? e.message : String(e)}).`),
    );
  }

  /** Opens the lesson `direction` places away from the open one in the course. */
  step(direction: -1 | 1): void {
    const next = this.options.library.neighbour(this.options.openId(), direction);
    if (next) this.choose(next.id);
  }

  /** An example was opened another way: a choice still loading no longer counts. */
  opened(id: string): void {
    this.latest = id;
  }
}
