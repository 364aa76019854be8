import type { StorageLike } from '../../src/share/index.js';

/** How a FakeStorage misbehaves. */
export type FakeFailure = 'none' | 'quota' | 'disabled';

/**
 * An in-memory Storage for tests, written independently of the library's own
 * createMemoryStorage. `failWrites` makes setItem throw like a full browser
 * storage ('quota') or a blocked one ('disabled'); `failReads` makes every
 * method throw SecurityError.
 */
export class FakeStorage implements StorageLike {
  readonly items = new Map<string, string>();
  failWrites: FakeFailure = 'none';
  failReads = false;
  writes = 0;

  constructor(initial: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(initial)) this.items.set(k, v);
  }

  get length(): number {
    this.guardRead();
    return this.items.size;
  }

  key(index: number): string | null {
    this.guardRead();
    return [...this.items.keys()][index] ?? null;
  }

  getItem(key: string): string | null {
    this.guardRead();
    return this.items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.guardRead();
    if (this.failWrites === 'quota') {
      throw new DOMException("Failed to execute 'setItem' on 'Storage': exceeded the quota.", 'QuotaExceededError');
    }
    if (this.failWrites === 'disabled') throw new DOMException('The operation is insecure.', 'SecurityError');
    this.writes++;
    this.items.set(key, value);
  }

  removeItem(key: string): void {
    this.guardRead();
    if (this.failWrites === 'disabled') throw new DOMException('The operation is insecure.', 'SecurityError');
    this.items.delete(key);
  }

  /** A new storage over a copy of the same items: what the page sees after a reload. */
  reload(): FakeStorage {
    return new FakeStorage(Object.fromEntries(this.items));
  }

  private guardRead(): void {
    if (this.failReads) throw new DOMException('Access is denied for this document.', 'SecurityError');
  }
}
