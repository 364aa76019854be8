/**
 * A binary min-heap of scheduled entries ordered by (time, insertion order).
 *
 * Ties at the same virtual instant keep the order in which they were
 * scheduled, which is what makes a run reproducible. Each entry knows its
 * position, so a cancelled timer leaves the heap at once: a run with many
 * cancelled timeouts (every answered request had one) keeps a small heap.
 */
export interface HeapEntry {
  /** Virtual time in milliseconds at which the entry is due. */
  time: number;
  /** Insertion counter; breaks ties between entries due at the same time. */
  seq: number;
  /** Position in the heap's array; -1 when not in a heap. */
  index: number;
}

function before(a: HeapEntry, b: HeapEntry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** Min-heap keyed by `(time, seq)`, with removal of any entry. */
export class TimerHeap<T extends HeapEntry> {
  private items: T[] = [];

  /** Number of entries. */
  get size(): number {
    return this.items.length;
  }

  /** The earliest entry, without removing it. */
  peek(): T | undefined {
    return this.items[0];
  }

  /** Adds an entry. */
  push(entry: T): void {
    entry.index = this.items.length;
    this.items.push(entry);
    this.up(entry.index);
  }

  /** Removes and returns the earliest entry. */
  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  /** Removes `entry` if it is in this heap; returns whether it was. */
  remove(entry: T): boolean {
    const i = entry.index;
    if (i < 0 || this.items[i] !== entry) return false;
    this.removeAt(i);
    return true;
  }

  /** Removes every entry. */
  clear(): void {
    for (const e of this.items) e.index = -1;
    this.items = [];
  }

  private removeAt(i: number): void {
    const items = this.items;
    const removed = items[i]!;
    removed.index = -1;
    const last = items.pop()!;
    if (i === items.length) return;
    items[i] = last;
    last.index = i;
    if (i > 0 && before(last, items[(i - 1) >> 1]!)) this.up(i);
    else this.down(i);
  }

  private up(i: number): void {
    const items = this.items;
    const entry = items[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!before(entry, p)) break;
      items[i] = p;
      p.index = i;
      i = parent;
    }
    items[i] = entry;
    entry.index = i;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const entry = items[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(items[r]!, items[l]!) ? r : l;
      const child = items[c]!;
      if (!before(child, entry)) break;
      items[i] = child;
      child.index = i;
      i = c;
    }
    items[i] = entry;
    entry.index = i;
  }
}
