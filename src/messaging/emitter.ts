/** A listener of an {@link Emitter} event. */
export type Listener = (...args: any[]) => void;

/**
 * A minimal Node-style event emitter (`on`, `once`, `off`, `emit`, …) so that
 * connections and channels can be listened to as with amqplib, in the browser too.
 *
 * @example
 * channel.on('error', (err) => console.error(err.message));
 * channel.once('close', () => console.log('channel closed'));
 */
export class Emitter {
  private readonly listenerMap = new Map<string, Listener[]>();

  /** Adds a listener for `event`. */
  on(event: string, listener: Listener): this {
    if (typeof listener !== 'function') throw new TypeError(`on(${JSON.stringify(event)}): the listener must be a function`);
    const list = this.listenerMap.get(event);
    if (list) list.push(listener);
    else this.listenerMap.set(event, [listener]);
    return this;
  }

  /** Same as {@link on}. */
  addListener(event: string, listener: Listener): this {
    return this.on(event, listener);
  }

  /** Adds a listener that is removed after its first call. */
  once(event: string, listener: Listener): this {
    const wrapper: Listener & { original?: Listener } = (...args: unknown[]) => {
      this.off(event, wrapper);
      listener(...args);
    };
    wrapper.original = listener;
    return this.on(event, wrapper);
  }

  /** Removes one registration of `listener` for `event`. */
  off(event: string, listener: Listener): this {
    const list = this.listenerMap.get(event);
    if (!list) return this;
    const i = list.findIndex((l) => l === listener || (l as { original?: Listener }).original === listener);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.listenerMap.delete(event);
    return this;
  }

  /** Same as {@link off}. */
  removeListener(event: string, listener: Listener): this {
    return this.off(event, listener);
  }

  /** Removes every listener of `event`, or of all events. */
  removeAllListeners(event?: string): this {
    if (event === undefined) this.listenerMap.clear();
    else this.listenerMap.delete(event);
    return this;
  }

  /** Number of listeners of `event`. */
  listenerCount(event: string): number {
    return this.listenerMap.get(event)?.length ?? 0;
  }

  /** A copy of the listeners of `event`. */
  listeners(event: string): Listener[] {
    return [...(this.listenerMap.get(event) ?? [])];
  }

  /**
   * Calls every listener of `event` in order; returns true when there was one.
   * As in Node, emitting `'error'` with no listener throws the error.
   */
  emit(event: string, ...args: unknown[]): boolean {
    const list = this.listenerMap.get(event);
    if (!list || list.length === 0) {
      if (event === 'error') throw args[0] instanceof Error ? args[0] : new Error(`Unhandled 'error' event (${String(args[0])})`);
      return false;
    }
    for (const l of [...list]) l(...args);
    return true;
  }
}
