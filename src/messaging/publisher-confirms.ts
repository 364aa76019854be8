/**
 * The publisher-confirm bookkeeping of a confirm channel: which publishes the
 * broker has not confirmed yet, their callbacks, and who waits for them.
 */

/** A publisher-confirm callback: `null` when the broker took the message, an error when it refused it. */
export type ConfirmCallback = (err: Error | null, ok?: unknown) => void;

interface Unconfirmed {
  cb: ConfirmCallback | undefined;
  waiters: Array<(err: Error | null) => void>;
}

/** Outstanding publisher confirms of one channel, by publish number. */
export class PublisherConfirms {
  private lastTag = 0;
  private readonly unconfirmed = new Map<number, Unconfirmed>();

  /** Runs a user callback; what it throws is reported, not thrown. */
  constructor(private readonly callUser: (fn: () => void) => void) {}

  /** A publish goes out: its publish number. */
  add(cb: ConfirmCallback | undefined): number {
    const tag = ++this.lastTag;
    this.unconfirmed.set(tag, { cb, waiters: [] });
    return tag;
  }

  /** The broker confirmed publish `tag`; false when it was not outstanding. */
  settle(tag: number, outcome: 'ack' | 'nack'): boolean {
    const u = this.unconfirmed.get(tag);
    if (!u) return false;
    this.unconfirmed.delete(tag);
    this.finish(u, outcome === 'ack' ? null : new Error('message nacked'));
    return true;
  }

  /** The channel closed: every outstanding publish fails. */
  failAll(): void {
    for (const [, u] of this.unconfirmed) this.finish(u, new Error('channel closed'));
    this.unconfirmed.clear();
  }

  /** Resolves when every publish so far is confirmed; rejects if any was refused. */
  waitForAll(): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const u of this.unconfirmed.values())
      waits.push(
        new Promise<void>((resolve, reject) => {
          u.waiters.push((err) => (err ? reject(err) : resolve()));
        }),
      );
    return Promise.all(waits).then(() => undefined);
  }

  private finish(u: Unconfirmed, err: Error | null): void {
    if (u.cb) this.callUser(() => u.cb!(err));
    for (const w of u.waiters) w(err);
  }
}
