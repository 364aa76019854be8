import { DEFAULT_PREFERENCES, loadPreferences, savePreferences, type Preferences, type StorageLike, type ThemeChoice } from '../../share/index.js';

/** What {@link Settings} needs from the app. */
export interface SettingsOptions {
  storage: () => StorageLike;
  /** Puts a theme on the document ('system' follows the OS). */
  applyTheme: (theme: ThemeChoice) => void;
  /** A setting changed (the page shows them). */
  onChange: () => void;
}

/** The theme after `theme` when the learner presses the theme button. */
export function nextTheme(theme: ThemeChoice): ThemeChoice {
  return theme === 'system' ? 'light' : theme === 'light' ? 'dark' : 'system';
}

/** The narrowest and widest the views column may be on wide screens, in percent of the page. */
export const VIEWS_WIDTH_LIMITS = { min: 25, max: 70 } as const;

/** `percent` brought within {@link VIEWS_WIDTH_LIMITS}, rounded to a whole percent. */
export function clampViewsWidth(percent: number): number {
  return Math.round(Math.min(VIEWS_WIDTH_LIMITS.max, Math.max(VIEWS_WIDTH_LIMITS.min, percent)));
}

/**
 * The learner's settings kept across visits: auto-run and the theme (applied
 * to the document), the layout of wide screens (lesson shown, width of the
 * views) and the example open last.
 *
 * @example
 * const settings = new Settings({ storage: () => deps.storage, applyTheme: deps.applyTheme, onChange: () => this.requestUpdate() });
 * const { lastExample } = settings.load();
 * settings.cycleTheme();
 */
export class Settings {
  autoRun = true;
  theme: ThemeChoice = 'system';
  lessonOpen = true;
  viewsWidth: number = DEFAULT_PREFERENCES.viewsWidth;

  constructor(private readonly options: SettingsOptions) {}

  /** Reads the saved settings and applies the theme; `problem` says why saved settings could not be read. */
  load(): { lastExample: string | null; problem?: string } {
    const { prefs, problem } = loadPreferences(this.options.storage());
    this.autoRun = prefs.autoRun;
    this.theme = prefs.theme;
    this.lessonOpen = prefs.lessonOpen;
    this.viewsWidth = clampViewsWidth(prefs.viewsWidth);
    this.options.applyTheme(this.theme);
    this.options.onChange();
    return { lastExample: prefs.lastExample, ...(problem ? { problem: problem.message } : {}) };
  }

  /** Switches auto-run on or off, and keeps the choice. */
  setAutoRun(value: boolean): void {
    this.autoRun = value;
    this.save({});
  }

  /** Moves to the next theme (system → light → dark → system), applies and keeps it. */
  cycleTheme(): void {
    this.theme = nextTheme(this.theme);
    this.options.applyTheme(this.theme);
    this.save({});
  }

  /** Shows or hides the lesson above the code, and keeps the choice. */
  setLessonOpen(open: boolean): void {
    this.lessonOpen = open;
    this.save({});
  }

  /**
   * Gives the views column `percent` of the page's width (within
   * {@link VIEWS_WIDTH_LIMITS}); kept only when `keep` says so, so that a
   * drag writes storage once, when it ends.
   */
  setViewsWidth(percent: number, opts: { keep: boolean }): void {
    this.viewsWidth = clampViewsWidth(percent);
    if (opts.keep) this.save({});
    else this.options.onChange();
  }

  /** Remembers the example open now, for the next visit. */
  rememberExample(exampleId: string): void {
    this.save({ lastExample: exampleId });
  }

  private save(patch: Partial<Preferences>): void {
    const storage = this.options.storage();
    savePreferences(storage, {
      ...loadPreferences(storage).prefs,
      autoRun: this.autoRun,
      theme: this.theme,
      lessonOpen: this.lessonOpen,
      viewsWidth: this.viewsWidth,
      ...patch,
    });
    this.options.onChange();
  }
}
