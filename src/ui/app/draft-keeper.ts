import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { clearDraft, loadDraft, saveDraft, type Draft, type StorageLike } from '../../share/index.js';
import type { BannerList } from './banner-list.js';

/** Version of the examples' original code that drafts record (bump it when examples change incompatibly). */
export const EXAMPLE_VERSION = '1';
/** How long typing must pause before the draft is written. */
export const DRAFT_SAVE_DELAY_MS = 300;

/** The code on screen, of which example, and that example's original code. */
export interface DraftSubject {
  exampleId: string;
  code: string;
  original: string;
}

/** What a {@link DraftKeeper} needs from the app. */
export interface DraftKeeperOptions {
  storage: () => StorageLike;
  /** Wall-clock time, for the draft's timestamp. */
  now: () => number;
  /** What is on screen now (undefined before an example is open). */
  subject: () => DraftSubject | undefined;
  banners: Pick<BannerList, 'add' | 'remove' | 'warnOnce'>;
  /** A draft was written or removed (the picker marks edited examples). */
  onSaved: () => void;
}

/** Other code than the learner's draft is on screen while they have a different draft of that example. */
export interface DraftConflict {
  exampleId: string;
  title: string;
  draftCode: string;
  /** Whose code is on screen: a link's own, or the example's original (the link was damaged). */
  shown: 'link' | 'original';
  /** Puts the draft's code back on screen (the learner chose their draft). */
  restore: (code: string) => void;
}

/**
 * Keeps the learner's edits of each example in storage: written shortly
 * after typing pauses, at once when the page goes away, removed when the code
 * is the original again. While a shared link's code and a saved draft
 * disagree, nothing is written over the draft until the learner chooses.
 *
 * @example
 * const drafts = new DraftKeeper(this, { storage: () => deps.storage, now: deps.now, subject: () => ({ exampleId, code, original }), banners, onSaved: refresh });
 * code = drafts.load(exampleId)?.code ?? example.code;
 * drafts.edited(); // after each change in the editor
 */
export class DraftKeeper implements ReactiveController {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The banner that asks about a conflict, while it is shown. */
  private conflict: { banner: number; title: string } | undefined;
  /** While a link's code and a saved draft disagree, nothing is saved over the draft. */
  private holding = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: DraftKeeperOptions,
  ) {
    host.addController(this);
  }

  /** True while a conflict with a link's code is open (nothing is saved). */
  get held(): boolean {
    return this.holding;
  }

  /** The saved draft of an example, if one can be read; a corrupt one is reported (and set aside by the share layer). */
  load(exampleId: string): Draft | undefined {
    const draft = loadDraft(this.options.storage(), exampleId);
    if (!draft.ok) {
      this.options.banners.add('warn', draft.problem.message);
      return undefined;
    }
    return draft.draft;
  }

  /** The code changed: write it once typing pauses. */
  edited(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.saveNow(), DRAFT_SAVE_DELAY_MS);
  }

  /** Writes an edit that is still waiting for its delay. */
  flush(): void {
    if (this.timer !== undefined) this.saveNow();
  }

  /** Writes the code on screen now: as a draft, or by removing the draft when it is the original code again. */
  saveNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const subject = this.options.subject();
    if (this.held || !subject) return;
    const storage = this.options.storage();
    const result =
      subject.code === subject.original
        ? clearDraft(storage, subject.exampleId)
        : saveDraft(storage, subject.exampleId, subject.code, { now: this.options.now(), exampleVersion: EXAMPLE_VERSION });
    if (!result.ok) this.options.banners.warnOnce('storage', `${result.problem.message} Your edits stay in the editor; copy them or use Share to keep them.`);
    this.options.onSaved();
  }

  /** Forgets the draft of an example (the learner reset the code): saving resumes; the question stays up until answered. */
  discard(exampleId: string): void {
    this.holding = false;
    clearDraft(this.options.storage(), exampleId);
    this.options.onSaved();
  }

  /** Shows the choice between the code on screen (a link's, or the original) and the saved draft, and saves nothing until it is made. */
  askAbout(conflict: DraftConflict): void {
    // An answer counts only while its example is open; it closes the question.
    const answer = (): boolean => {
      if (this.options.subject()?.exampleId !== conflict.exampleId) return false;
      this.holding = false;
      this.options.banners.remove(banner);
      return true;
    };
    const fromLink = conflict.shown === 'link';
    const banner = this.options.banners.add(
      'info',
      fromLink
        ? "This link brings its own code for this example, and you have a saved draft of it. The link's code is shown; your draft stays saved, and edits are not saved, until you choose."
        : `You have a saved draft of "${conflict.title}"; the editor shows its original code. Your draft stays saved, and edits are not saved, until you choose.`,
      {
        actions: [
          {
            label: fromLink ? "Keep the link's code (replaces my draft)" : 'Keep the original code (replaces my draft)',
            run: () => {
              if (answer()) this.saveNow();
            },
          },
          {
            label: 'Back to my draft',
            run: () => {
              if (answer()) conflict.restore(conflict.draftCode);
            },
          },
        ],
      },
    );
    this.conflict = { banner, title: conflict.title };
    this.holding = true;
  }

  /** The learner opens another example: a pending edit is written, and an open choice ends with the draft kept. */
  leave(): void {
    this.flush();
    const open = this.conflict;
    if (open && this.holding) {
      this.options.banners.remove(open.banner);
      this.options.banners.add('info', `You left "${open.title}" without choosing: your saved draft of it was kept.`, { autoCloseMs: 6000 });
    }
    this.holding = false;
    this.conflict = undefined;
  }

  hostDisconnected(): void {
    this.flush();
  }
}
