import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadDraft, saveDraft } from '../../../src/share/drafts.js';
import { createMemoryStorage, type StorageLike } from '../../../src/share/storage-like.js';
import { BannerList } from '../../../src/ui/app/banner-list.js';
import { DRAFT_SAVE_DELAY_MS, DraftKeeper } from '../../../src/ui/app/draft-keeper.js';
import { FakeHost } from './fake-host.js';

const ORIGINAL = 'original code';

function setup(storage: StorageLike = createMemoryStorage()) {
  const host = new FakeHost();
  const banners = new BannerList(host);
  const screen = { exampleId: 'retry', code: ORIGINAL };
  let saves = 0;
  const drafts = new DraftKeeper(host, {
    storage: () => storage,
    now: () => 1_700_000_000_000,
    subject: () => ({ ...screen, original: ORIGINAL }),
    banners,
    onSaved: () => saves++,
  });
  const saved = () => {
    const r = loadDraft(storage, 'retry');
    return r.ok ? r.draft?.code : `problem: ${r.problem.kind}`;
  };
  return { host, banners, screen, drafts, storage, saved, saves: () => saves };
}

/** Storage whose writes fail as a full browser storage does. */
function fullStorage(): StorageLike {
  const s = createMemoryStorage();
  return {
    ...s,
    get length() {
      return s.length;
    },
    setItem: () => {
      throw new DOMException('full', 'QuotaExceededError');
    },
  };
}

describe('DraftKeeper', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes an edit once typing pauses, and removes the draft when the code is the original again', () => {
    const { screen, drafts, saved, saves } = setup();
    screen.code = 'edit 1';
    drafts.edited();
    vi.advanceTimersByTime(DRAFT_SAVE_DELAY_MS - 1);
    expect(saved()).toBeUndefined();
    screen.code = 'edit 2';
    drafts.edited();
    vi.advanceTimersByTime(DRAFT_SAVE_DELAY_MS);
    expect(saved()).toBe('edit 2');
    expect(saves()).toBe(1);
    screen.code = ORIGINAL;
    drafts.edited();
    vi.advanceTimersByTime(DRAFT_SAVE_DELAY_MS);
    expect(saved()).toBeUndefined();
  });

  it('writes a waiting edit at once when flushed or when the page goes away, and nothing when none waits', () => {
    const { host, screen, drafts, saved, saves } = setup();
    drafts.flush();
    expect(saves()).toBe(0);
    screen.code = 'edit';
    drafts.edited();
    host.disconnect();
    expect(saved()).toBe('edit');
    vi.advanceTimersByTime(DRAFT_SAVE_DELAY_MS);
    expect(saves()).toBe(1);
  });

  it('warns once when storage is full, and keeps the edits on screen', () => {
    const { screen, drafts, banners } = setup(fullStorage());
    screen.code = 'edit';
    drafts.saveNow();
    screen.code = 'edit again';
    drafts.saveNow();
    expect(banners.items).toHaveLength(1);
    expect(banners.items[0]!.text).toMatch(/not saved.*Your edits stay in the editor/);
  });

  it('reports a corrupt draft and loads none', () => {
    const storage = createMemoryStorage();
    storage.setItem('spp.draft.retry', '{ not json');
    const { drafts, banners } = setup(storage);
    expect(drafts.load('retry')).toBeUndefined();
    expect(banners.items[0]!.tone).toBe('warn');
    expect(banners.items[0]!.text).toMatch(/draft/i);
  });

  describe("a link's code against a saved draft", () => {
    function conflict() {
      const ctx = setup();
      saveDraft(ctx.storage, 'retry', 'my draft', { now: 1, exampleVersion: '1' });
      const restored: string[] = [];
      ctx.screen.code = 'link code';
      ctx.drafts.askAbout({ exampleId: 'retry', title: 'Retry', draftCode: 'my draft', shown: 'link', restore: (c) => restored.push(c) });
      const action = (label: RegExp) => ctx.banners.items[0]!.actions!.find((a) => label.test(a.label))!;
      return { ...ctx, restored, action };
    }

    it('saves nothing over the draft until the learner chooses', () => {
      const { screen, drafts, saved } = conflict();
      expect(drafts.held).toBe(true);
      screen.code = 'edited link code';
      drafts.edited();
      vi.advanceTimersByTime(DRAFT_SAVE_DELAY_MS);
      expect(saved()).toBe('my draft');
    });

    it("keeps the link's code when asked, replacing the draft", () => {
      const { action, saved, banners, drafts } = conflict();
      action(/Keep the link/).run();
      expect(saved()).toBe('link code');
      expect(banners.items).toHaveLength(0);
      expect(drafts.held).toBe(false);
    });

    it('brings the draft back when asked', () => {
      const { action, restored, saved } = conflict();
      action(/Back to my draft/).run();
      expect(restored).toEqual(['my draft']);
      expect(saved()).toBe('my draft');
    });

    it('keeps the draft when the learner leaves without choosing, and says so', () => {
      const { drafts, banners, saved, screen, action, restored } = conflict();
      const back = action(/Back to my draft/);
      drafts.leave();
      expect(saved()).toBe('my draft');
      expect(banners.items.map((b) => b.text)).toEqual(['You left "Retry" without choosing: your saved draft of it was kept.']);
      screen.exampleId = 'other';
      back.run(); // a stale answer does nothing
      expect(restored).toEqual([]);
    });

    it("says whose code is shown: a link's own, or the example's original", () => {
      const { banners } = conflict();
      expect(banners.items[0]!.text).toMatch(/^This link brings its own code/);
      const ctx = setup();
      ctx.drafts.askAbout({ exampleId: 'retry', title: 'Retry', draftCode: 'my draft', shown: 'original', restore: () => undefined });
      expect(ctx.banners.items[0]!.text).toBe('You have a saved draft of "Retry"; the editor shows its original code. Your draft stays saved, and edits are not saved, until you choose.');
      expect(ctx.banners.items[0]!.actions!.map((a) => a.label)).toEqual(['Keep the original code (replaces my draft)', 'Back to my draft']);
    });

    it('resumes saving after a reset, leaving the question up until it is answered', () => {
      const { drafts, banners, saved } = conflict();
      drafts.discard('retry');
      expect(saved()).toBeUndefined();
      expect(drafts.held).toBe(false);
      expect(banners.items).toHaveLength(1);
      drafts.leave();
      expect(banners.items).toHaveLength(1); // no "you left" message: nothing was held
    });
  });
});
