/**
 * The part of the Web Storage API (`localStorage`) that the share layer uses.
 * Any method may throw: a browser with storage disabled throws on access, a
 * full one throws `QuotaExceededError` from `setItem`.
 */
export interface StorageLike {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * A `StorageLike` that keeps its items in a `Map`: the fallback when the
 * browser gives no usable `localStorage` (items then last until the tab closes).
 *
 * @example
 * const storage = createMemoryStorage();
 * storage.setItem('a', '1');
 * storage.getItem('a'); // '1'
 */
export function createMemoryStorage(): StorageLike {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(String(key), String(value));
    },
    removeItem: (key) => {
      items.delete(key);
    },
  };
}
