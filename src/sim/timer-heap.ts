/**
 * A binary min-heap of scheduled entries ordered by (time, insertion order).
 *
 * Ties at the same virtual instant keep the order in which they were
 * scheduled, which is what makes a run reproducible.
 */
export interface HeapEntry {
  /** Virtual time in milliseconds at which the entry is due. */
  time: number;
  /** Insertion counter; breaks ties between entries due at the same time. */
  seq: number;
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** Min-heap keyed by `(time, seq)`. */
export class TimerHeap<T extends HeapEntry> {
  private items: T[] = [];

  /** Number of entries, including ones cancelled lazily by their owner. */
  get size(): number {
    return this.items.length;
  }

  /** The earliest entry, without removing it. */
  peek(): T | undefined {
    return this.items[0];
  }

  /** Adds an entry. */
  push(entry: T): void {
    const items = this.items;
    let i = items.length;
    items.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!before(entry, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = entry;
  }

  /** Removes and returns the earliest entry. */
  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    const n = items.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(items[r]!, items[l]!) ? r : l;
      if (!before(items[c]!, last)) break;
      items[i] = items[c]!;
      i = c;
    }
    items[i] = last;
    return top;
  }

  /** Removes every entry. */
  clear(): void {
    this.items = [];
  }
}
