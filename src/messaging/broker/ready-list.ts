import type { Entry } from './stored-message.js';

/** A queue's ready messages: what dispatch, `get`, overflow and expiry work on. */
export interface ReadyMessages {
  /** How many. */
  readonly length: number;
  /** Their body sizes added up (for `x-max-length-bytes`). */
  readonly bytes: number;
  /** The message delivered next. */
  peek(): Entry | undefined;
  /** Takes the message delivered next. */
  shift(): Entry | undefined;
  /** Adds a message behind those of its kind. */
  push(e: Entry): void;
  /** Puts a requeued message back at its place by `pos`. */
  insert(e: Entry): void;
  /** Removes and returns every entry, in delivery order. */
  drain(): Entry[];
  /** Keeps the entries for which `drop` is false; returns the others, in order. */
  removeWhere(drop: (e: Entry) => boolean): Entry[];
  /** Entries in delivery order (a copy). */
  toArray(): Entry[];
}

/**
 * Ready messages of a queue, ordered by their place: taken from the head,
 * added at the tail, and put back at their old place when requeued. A
 * priority queue keeps one of these per priority ({@link PriorityReadyList}).
 */
export class ReadyList implements ReadyMessages {
  private items: (Entry | undefined)[] = [];
  private head = 0;
  bytes = 0;

  get length(): number {
    return this.items.length - this.head;
  }
  peek(): Entry | undefined {
    return this.items[this.head];
  }
  shift(): Entry | undefined {
    if (this.head >= this.items.length) return undefined;
    const e = this.items[this.head]!;
    this.items[this.head] = undefined;
    this.head++;
    this.bytes -= e.msg.content.length;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return e;
  }
  push(e: Entry): void {
    this.bytes += e.msg.content.length;
    const last = this.items[this.items.length - 1];
    if (last === undefined || this.length === 0 || last.pos < e.pos) this.items.push(e);
    else this.place(e);
  }
  insert(e: Entry): void {
    this.bytes += e.msg.content.length;
    this.place(e);
  }

  /** Puts `e` at its place by `pos` (its bytes already counted). */
  private place(e: Entry): void {
    if (this.head > 0) {
      // Usually a requeued message goes right back to the head.
      const first = this.items[this.head];
      if (first === undefined || e.pos < first.pos) {
        this.head--;
        this.items[this.head] = e;
        return;
      }
    }
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.pos < e.pos) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, e);
  }
  drain(): Entry[] {
    const out = this.items.slice(this.head) as Entry[];
    this.items = [];
    this.head = 0;
    this.bytes = 0;
    return out;
  }
  removeWhere(drop: (e: Entry) => boolean): Entry[] {
    const all = this.drain();
    const gone: Entry[] = [];
    for (const e of all) {
      if (drop(e)) gone.push(e);
      else {
        this.items.push(e);
        this.bytes += e.msg.content.length;
      }
    }
    return gone;
  }
  toArray(): Entry[] {
    return this.items.slice(this.head) as Entry[];
  }
}
