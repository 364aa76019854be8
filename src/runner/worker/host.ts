/** How an error escaped: a rejected promise nobody handled, or an exception thrown outside any callback of the world. */
export type UncaughtHow = 'rejection' | 'exception';

/**
 * Watches the host for errors that escape user code. Calls `onError` for
 * each, keeps the host from reporting them itself, and returns the function
 * that stops watching.
 */
export type UncaughtWatcher = (onError: (error: unknown, how: UncaughtHow) => void) => () => void;

interface ErrorEventLike {
  error?: unknown;
  message?: unknown;
  reason?: unknown;
  preventDefault?: () => void;
}

interface EventTargetLike {
  addEventListener(type: string, listener: (e: ErrorEventLike) => void): void;
  removeEventListener(type: string, listener: (e: ErrorEventLike) => void): void;
}

/**
 * A watcher for a browser global (a Worker or a window): `unhandledrejection`
 * and `error` events, with their default reporting prevented.
 *
 * @example
 * const stop = eventTargetWatcher(self)((error) => report(error));
 */
export function eventTargetWatcher(target: EventTargetLike): UncaughtWatcher {
  return (onError) => {
    const onRejection = (e: ErrorEventLike) => {
      e.preventDefault?.();
      onError(e.reason, 'rejection');
    };
    const onException = (e: ErrorEventLike) => {
      e.preventDefault?.();
      onError(e.error ?? e.message, 'exception');
    };
    target.addEventListener('unhandledrejection', onRejection);
    target.addEventListener('error', onException);
    return () => {
      target.removeEventListener('unhandledrejection', onRejection);
      target.removeEventListener('error', onException);
    };
  };
}

interface ProcessLike {
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  listeners(event: string): Array<(...args: any[]) => void>;
}

/**
 * A watcher for a Node process: `unhandledRejection` and `uncaughtException`.
 * With `exclusive`, listeners already installed (a test runner's) are
 * detached while watching, so an error the run reports is not reported twice.
 *
 * A rejection is passed on one real task (`setImmediate`) late, the way a
 * browser delivers its `unhandledrejection` event: in both, the run then stops
 * after the same callback and gives the same trace. Create the watcher before
 * the globals are bound to virtual time (it keeps the real `setImmediate`).
 *
 * @example
 * const watch = nodeProcessWatcher(process, { exclusive: true });
 */
export function nodeProcessWatcher(proc: ProcessLike, options: { exclusive?: boolean } = {}): UncaughtWatcher {
  const later = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate ?? ((fn: () => void) => setTimeout(fn, 0));
  return (onError) => {
    let watching = true;
    const onRejection = (reason: unknown) =>
      void later(() => {
        if (watching) onError(reason, 'rejection');
      });
    const onException = (error: unknown) => onError(error, 'exception');
    const detached: Array<[string, (...args: any[]) => void]> = [];
    if (options.exclusive) {
      for (const event of ['unhandledRejection', 'uncaughtException']) {
        for (const l of proc.listeners(event)) {
          proc.off(event, l);
          detached.push([event, l]);
        }
      }
    }
    proc.on('unhandledRejection', onRejection);
    proc.on('uncaughtException', onException);
    return () => {
      watching = false;
      proc.off('unhandledRejection', onRejection);
      proc.off('uncaughtException', onException);
      for (const [event, l] of detached) proc.on(event, l);
    };
  };
}

/** The watcher that fits the host: a Node process when there is one, else the global's events. */
export function hostWatcher(global: typeof globalThis = globalThis): UncaughtWatcher {
  const proc = (global as unknown as { process?: Partial<ProcessLike> }).process;
  if (proc && typeof proc.on === 'function' && typeof proc.off === 'function' && typeof proc.listeners === 'function') {
    return nodeProcessWatcher(proc as ProcessLike);
  }
  const target = global as unknown as Partial<EventTargetLike>;
  if (typeof target.addEventListener === 'function') return eventTargetWatcher(target as EventTargetLike);
  return () => () => undefined;
}
