import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES, loadPreferences, savePreferences } from '../../src/share/index.js';
import { FakeStorage } from './fake-storage.js';

describe('preferences', () => {
  it('gives the defaults on a first visit', () => {
    expect(loadPreferences(new FakeStorage())).toEqual({ prefs: { autoRun: true, theme: 'system', lastExample: null, lessonOpen: true, viewsWidth: 40 } });
  });

  it('saves and reloads', () => {
    const storage = new FakeStorage();
    const prefs = { autoRun: false, theme: 'dark', lastExample: 'saga', lessonOpen: false, viewsWidth: 55 } as const;
    expect(savePreferences(storage, prefs)).toEqual({ ok: true });
    expect(storage.items.get('spp.prefs')).toBe('{"v":1,"autoRun":false,"theme":"dark","lastExample":"saga","lessonOpen":false,"viewsWidth":55}');
    expect(loadPreferences(storage.reload())).toEqual({ prefs });
  });

  it('fills fields missing from an older record with defaults', () => {
    const storage = new FakeStorage({ 'spp.prefs': '{"v":1,"theme":"light"}' });
    expect(loadPreferences(storage)).toEqual({ prefs: { ...DEFAULT_PREFERENCES, theme: 'light' } });
  });

  it.each([
    ['bad JSON', '{"v":1,', 'bad-json'],
    ['wrong version', '{"v":3,"autoRun":true}', 'wrong-version'],
    ['autoRun as text', '{"v":1,"autoRun":"yes"}', 'wrong-shape'],
    ['unknown theme', '{"v":1,"theme":"purple"}', 'wrong-shape'],
    ['bad last example', '{"v":1,"lastExample":"<script>"}', 'wrong-shape'],
    ['lessonOpen as text', '{"v":1,"lessonOpen":"no"}', 'wrong-shape'],
    ['views width beyond 100 %', '{"v":1,"viewsWidth":250}', 'wrong-shape'],
  ])('sets aside %s and uses the defaults', (_name, raw, reason) => {
    const storage = new FakeStorage({ 'spp.prefs': raw });
    const r = loadPreferences(storage);
    expect(r).toMatchObject({ prefs: DEFAULT_PREFERENCES, problem: { kind: 'corrupt', reason, setAsideKey: 'spp.corrupt.spp.prefs.1' } });
    expect(r.problem?.message).toMatch(/^Your saved settings could not be read \(.*\)\. .* The default settings are used\.$/);
    expect(storage.items.get('spp.corrupt.spp.prefs.1')).toBe(raw);
  });

  it('reports storage errors without throwing', () => {
    const full = new FakeStorage();
    full.failWrites = 'quota';
    expect(savePreferences(full, DEFAULT_PREFERENCES)).toMatchObject({ ok: false, problem: { kind: 'quota-exceeded' } });
    const blocked = new FakeStorage();
    blocked.failReads = true;
    expect(loadPreferences(blocked)).toMatchObject({ prefs: DEFAULT_PREFERENCES, problem: { kind: 'unavailable' } });
  });

  it('refuses invalid values instead of storing them', () => {
    const storage = new FakeStorage();
    expect(savePreferences(storage, { ...DEFAULT_PREFERENCES, theme: 'neon' as 'dark' })).toMatchObject({
      ok: false,
      problem: { kind: 'invalid' },
    });
    expect(storage.items.size).toBe(0);
  });
});
