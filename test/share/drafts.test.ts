import { describe, expect, it } from 'vitest';
import {
  clearDraft,
  createMemoryStorage,
  decideIncomingCode,
  listDrafts,
  loadDraft,
  saveDraft,
  type Draft,
} from '../../src/share/index.js';
import { FakeStorage } from './fake-storage.js';

const T = 1_767_225_600_000;

describe('drafts', () => {
  it('saves per example and survives a reload', () => {
    const storage = new FakeStorage();
    expect(saveDraft(storage, 'retry', 'let attempts = 3;\n', { now: T, exampleVersion: 'v7' })).toEqual({ ok: true });
    expect(saveDraft(storage, 'saga', 'orchestrate();', { now: T + 5, exampleVersion: 'v2' })).toEqual({ ok: true });
    const reloaded = storage.reload();
    expect(loadDraft(reloaded, 'retry')).toEqual({
      ok: true,
      draft: { exampleId: 'retry', code: 'let attempts = 3;\n', savedAt: T, exampleVersion: 'v7' },
    });
    expect(loadDraft(reloaded, 'saga')).toMatchObject({ ok: true, draft: { code: 'orchestrate();', savedAt: T + 5 } });
    expect(loadDraft(reloaded, 'breaker')).toEqual({ ok: true, draft: undefined });
    expect(listDrafts(reloaded)).toEqual({ ok: true, exampleIds: ['retry', 'saga'] });
  });

  it('a later save replaces the earlier one; clear forgets it', () => {
    const storage = new FakeStorage();
    saveDraft(storage, 'retry', 'one', { now: 1, exampleVersion: 'a' });
    saveDraft(storage, 'retry', 'two', { now: 2, exampleVersion: 'a' });
    expect(loadDraft(storage, 'retry')).toMatchObject({ ok: true, draft: { code: 'two', savedAt: 2 } });
    expect(clearDraft(storage, 'retry')).toEqual({ ok: true });
    expect(loadDraft(storage, 'retry')).toEqual({ ok: true, draft: undefined });
  });

  it('works with the library memory storage too', () => {
    const storage = createMemoryStorage();
    saveDraft(storage, 'retry', 'x', { now: 0, exampleVersion: '' });
    expect(loadDraft(storage, 'retry')).toMatchObject({ ok: true, draft: { code: 'x' } });
    expect(storage.length).toBe(1);
    expect(storage.key(0)).toBe('spp.draft.retry');
  });

  it('reports a full storage without throwing', () => {
    const storage = new FakeStorage();
    storage.failWrites = 'quota';
    const r = saveDraft(storage, 'retry', 'precious edits', { now: T, exampleVersion: 'v1' });
    expect(r).toEqual({
      ok: false,
      problem: {
        kind: 'quota-exceeded',
        message:
          'The browser\'s storage for this page is full, so your edits of "retry" were not saved (they are still in the editor).',
      },
    });
  });

  it('recognises every engine’s quota error', () => {
    const quota = (error: unknown) => {
      const storage = new FakeStorage();
      storage.setItem = () => {
        throw error;
      };
      const r = saveDraft(storage, 'retry', 'x', { now: 0, exampleVersion: '' });
      return r.ok ? 'ok' : r.problem.kind;
    };
    expect(quota(new DOMException('full', 'QuotaExceededError'))).toBe('quota-exceeded');
    expect(quota(Object.assign(new Error('firefox'), { name: 'NS_ERROR_DOM_QUOTA_REACHED' }))).toBe('quota-exceeded');
    expect(quota(Object.assign(new Error('old webkit'), { code: 22 }))).toBe('quota-exceeded');
    expect(quota(new TypeError('something else'))).toBe('unavailable');
    expect(quota('a string')).toBe('unavailable');
  });

  it('reports disabled storage on every operation without throwing', () => {
    const storage = new FakeStorage();
    storage.failReads = true;
    expect(saveDraft(storage, 'retry', 'x', { now: 0, exampleVersion: '' })).toMatchObject({ ok: false, problem: { kind: 'unavailable' } });
    const loaded = loadDraft(storage, 'retry');
    expect(loaded).toMatchObject({ ok: false, problem: { kind: 'unavailable' } });
    expect(!loaded.ok && loaded.problem.message).toMatch(/disabled or blocked.*could not be read\.$/);
    expect(clearDraft(storage, 'retry')).toMatchObject({ ok: false, problem: { kind: 'unavailable' } });
    expect(listDrafts(storage)).toMatchObject({ ok: false, problem: { kind: 'unavailable' } });
  });

  it('refuses an invalid example id instead of writing a strange key', () => {
    const storage = new FakeStorage();
    expect(saveDraft(storage, '../x', 'code', { now: 0, exampleVersion: '' })).toMatchObject({ ok: false, problem: { kind: 'invalid' } });
    expect(saveDraft(storage, 'retry', 'code', { now: Number.NaN, exampleVersion: '' })).toMatchObject({
      ok: false,
      problem: { kind: 'invalid' },
    });
    expect(storage.items.size).toBe(0);
  });

  describe('corrupt saved data is set aside, never deleted', () => {
    it.each([
      ['bad JSON', '{"v":1,"exampleId":"retry","code":"unfinished', 'bad-json', /not valid JSON/],
      ['a JSON string', '"just text"', 'wrong-shape', /not an object/],
      ['wrong version', '{"v":2,"exampleId":"retry","code":"x","savedAt":1,"exampleVersion":"a"}', 'wrong-version', /version is 2/],
      ['no version', '{"exampleId":"retry","code":"x","savedAt":1,"exampleVersion":"a"}', 'wrong-version', /version is null/],
      ['code is a number', '{"v":1,"exampleId":"retry","code":5,"savedAt":1,"exampleVersion":"a"}', 'wrong-shape', /lacks/],
      ['negative time', '{"v":1,"exampleId":"retry","code":"x","savedAt":-1,"exampleVersion":"a"}', 'wrong-shape', /lacks/],
      ['another example’s draft', '{"v":1,"exampleId":"saga","code":"x","savedAt":1,"exampleVersion":"a"}', 'wrong-shape', /another example/],
    ])('%s', (_name, raw, reason, detail) => {
      const storage = new FakeStorage({ 'spp.draft.retry': raw });
      const r = loadDraft(storage, 'retry');
      expect(r).toEqual({
        ok: false,
        problem: {
          kind: 'corrupt',
          key: 'spp.draft.retry',
          reason,
          raw,
          setAsideKey: 'spp.corrupt.spp.draft.retry.1',
          message: expect.stringMatching(detail) as unknown as string,
        },
      });
      expect(!r.ok && r.problem.message).toMatch(
        /^Your saved draft of "retry" could not be read \(.*\)\. It was moved, unchanged, to the storage key "spp\.corrupt\.spp\.draft\.retry\.1"\. The example's original code is shown instead\.$/,
      );
      expect(storage.items.get('spp.corrupt.spp.draft.retry.1')).toBe(raw);
      expect(storage.items.has('spp.draft.retry')).toBe(false);
      // Once set aside, the example loads cleanly and can be saved again.
      expect(loadDraft(storage, 'retry')).toEqual({ ok: true, draft: undefined });
    });

    it('a second corrupt draft goes to a new key, keeping the first', () => {
      const storage = new FakeStorage({ 'spp.draft.retry': 'first{', 'spp.corrupt.spp.draft.retry.1': 'older{' });
      expect(loadDraft(storage, 'retry')).toMatchObject({ ok: false, problem: { setAsideKey: 'spp.corrupt.spp.draft.retry.2' } });
      expect(storage.items.get('spp.corrupt.spp.draft.retry.1')).toBe('older{');
      expect(storage.items.get('spp.corrupt.spp.draft.retry.2')).toBe('first{');
      expect(listDrafts(storage)).toEqual({ ok: true, exampleIds: [] });
    });

    it('when the copy cannot be written, the original stays where it was', () => {
      const storage = new FakeStorage({ 'spp.draft.retry': 'garbage' });
      storage.failWrites = 'quota';
      const r = loadDraft(storage, 'retry');
      expect(r).toMatchObject({ ok: false, problem: { kind: 'corrupt', setAsideKey: undefined, raw: 'garbage' } });
      expect(!r.ok && r.problem.message).toContain('could not be moved aside either, so it was left where it was');
      expect(storage.items.get('spp.draft.retry')).toBe('garbage');
    });
  });
});

describe('decideIncomingCode', () => {
  const original = 'retry(3);\n';
  const draft = (code: string): Draft => ({ exampleId: 'retry', code, savedAt: T, exampleVersion: 'v1' });

  it('loads the link’s code when there is no draft', () => {
    expect(decideIncomingCode('retry(5);', undefined, original)).toEqual({ kind: 'no-conflict', code: 'retry(5);', fromLink: true });
  });

  it('loads the original when the link carries no code and there is no draft', () => {
    expect(decideIncomingCode(undefined, undefined, original)).toEqual({ kind: 'no-conflict', code: original, fromLink: false });
  });

  it('sees no conflict when the draft already is the link’s code, or is just the original', () => {
    expect(decideIncomingCode('retry(5);', draft('retry(5);'), original)).toMatchObject({ kind: 'no-conflict', code: 'retry(5);' });
    expect(decideIncomingCode('retry(5);', draft(original), original)).toMatchObject({ kind: 'no-conflict', code: 'retry(5);' });
  });

  it('offers both when the user has a different draft', () => {
    const mine = draft('retry(10); // my attempt');
    expect(decideIncomingCode('retry(5);', mine, original)).toEqual({
      kind: 'conflict',
      draft: mine,
      incoming: 'retry(5);',
      incomingIsOriginal: false,
    });
  });

  it('a link with the original code does not silently replace a draft either', () => {
    const mine = draft('retry(10);');
    expect(decideIncomingCode(undefined, mine, original)).toEqual({ kind: 'conflict', draft: mine, incoming: original, incomingIsOriginal: true });
  });
});
