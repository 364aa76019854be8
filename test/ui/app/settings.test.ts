import { describe, expect, it } from 'vitest';
import { PREFERENCES_KEY, loadPreferences } from '../../../src/share/preferences.js';
import { createMemoryStorage } from '../../../src/share/storage-like.js';
import { Settings, VIEWS_WIDTH_LIMITS, nextTheme } from '../../../src/ui/app/settings.js';

function setup(saved?: string) {
  const storage = createMemoryStorage();
  if (saved !== undefined) storage.setItem(PREFERENCES_KEY, saved);
  const applied: string[] = [];
  let changes = 0;
  const settings = new Settings({ storage: () => storage, applyTheme: (t) => applied.push(t), onChange: () => changes++ });
  return { storage, settings, applied, changes: () => changes };
}

describe('Settings', () => {
  it('reads the saved settings and applies the theme', () => {
    const { settings, applied } = setup(JSON.stringify({ v: 1, autoRun: false, theme: 'dark', lastExample: 'retry' }));
    expect(settings.load()).toEqual({ lastExample: 'retry' });
    expect([settings.autoRun, settings.theme, applied]).toEqual([false, 'dark', ['dark']]);
  });

  it('falls back to the defaults and says why when the saved settings are unreadable', () => {
    const { settings } = setup('{ broken');
    const loaded = settings.load();
    expect(loaded.lastExample).toBeNull();
    expect(loaded.problem).toMatch(/settings/i);
    expect([settings.autoRun, settings.theme]).toEqual([true, 'system']);
  });

  it('cycles the theme system → light → dark → system, applying and keeping each', () => {
    const { settings, applied, storage, changes } = setup();
    settings.load();
    settings.cycleTheme();
    settings.cycleTheme();
    expect(applied).toEqual(['system', 'light', 'dark']);
    expect(loadPreferences(storage).prefs.theme).toBe('dark');
    expect(nextTheme('dark')).toBe('system');
    expect(changes()).toBe(3);
  });

  it('keeps auto-run and the last example without losing the other settings', () => {
    const { settings, storage } = setup(JSON.stringify({ v: 1, autoRun: true, theme: 'light', lastExample: null }));
    settings.load();
    settings.setAutoRun(false);
    settings.rememberExample('timeouts');
    expect(loadPreferences(storage).prefs).toEqual({ autoRun: false, theme: 'light', lastExample: 'timeouts', lessonOpen: true, viewsWidth: 40 });
  });

  it('keeps the lesson folded and the width of the views for the next visit, within limits', () => {
    const { settings, storage } = setup();
    settings.load();
    settings.setLessonOpen(false);
    settings.setViewsWidth(52.4, { keep: false });
    expect(loadPreferences(storage).prefs).toMatchObject({ lessonOpen: false, viewsWidth: 40 });
    expect(settings.viewsWidth).toBe(52);
    settings.setViewsWidth(95, { keep: true });
    const next = new Settings({ storage: () => storage, applyTheme: () => undefined, onChange: () => undefined });
    next.load();
    expect([next.lessonOpen, next.viewsWidth]).toEqual([false, VIEWS_WIDTH_LIMITS.max]);
  });
});
