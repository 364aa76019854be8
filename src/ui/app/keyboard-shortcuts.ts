import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What the page's shortcuts do. */
export interface ShortcutActions {
  /** Ctrl/Cmd+Enter. */
  run(): void;
  /** Ctrl/Cmd+S. */
  share(): void;
  /** Ctrl/Cmd+Shift+Enter: run over many seeds (the Explore tab). */
  explore(): void;
  /** Escape, while a run is under way. */
  stop(): void;
  running(): boolean;
}

/**
 * The page-wide shortcuts: Ctrl/Cmd+Enter runs, Ctrl/Cmd+Shift+Enter explores
 * (many seeds, in the Explore tab), Ctrl/Cmd+S shares, Escape stops a run. Keys the editor has already handled are left alone. Listens on
 * `target` (the window) only while the host is connected.
 *
 * @example
 * new KeyboardShortcuts(this, window, { run, share, explore, stop, running: () => runs.running });
 */
export class KeyboardShortcuts implements ReactiveController {
  constructor(
    host: ReactiveControllerHost,
    private readonly target: EventTarget,
    private readonly actions: ShortcutActions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.target.addEventListener('keydown', this.onKeyDown);
  }

  hostDisconnected(): void {
    this.target.removeEventListener('keydown', this.onKeyDown);
  }

  private readonly onKeyDown = (event: Event): void => {
    const e = event as KeyboardEvent;
    if (e.defaultPrevented) return; // the editor handled it already
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.shiftKey && e.key === 'Enter') {
      e.preventDefault();
      this.actions.explore();
    } else if (mod && e.key === 'Enter') {
      e.preventDefault();
      this.actions.run();
    } else if (mod && (e.key === 's' || e.key === 'S')) {
      e.preventDefault();
      this.actions.share();
    } else if (e.key === 'Escape' && this.actions.running()) {
      this.actions.stop();
    }
  };
}
