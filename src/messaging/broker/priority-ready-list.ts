import { ReadyList, type ReadyMessages } from './ready-list.js';
import type { Entry } from './stored-message.js';

/**
 * The ready messages of a priority queue (`x-max-priority`): one
 * {@link ReadyList} per priority, the highest served first, first in first out
 * within a priority. A message's priority is its `priority` property, none
 * counting as 0 and anything above the maximum as the maximum; the property
 * itself is delivered unchanged.
 */
export class PriorityReadyList implements ReadyMessages {
  /** `levels[p]`: the messages of priority `p`. */
  private readonly levels: ReadyList[] = [];
  length = 0;

  constructor(private readonly maxPriority: number) {
    for (let p = 0; p <= maxPriority; p++) this.levels.push(new ReadyList());
  }

  get bytes(): number {
    let n = 0;
    for (const l of this.levels) n += l.bytes;
    return n;
  }

  /** The level a message waits at. */
  private levelOf(e: Entry): ReadyList {
    const p = e.msg.properties.priority;
    const level = typeof p === 'number' && p > 0 ? Math.min(Math.floor(p), this.maxPriority) : 0;
    return this.levels[level]!;
  }

  /** The highest level with a message, if any. */
  private top(): ReadyList | undefined {
    for (let p = this.maxPriority; p >= 0; p--) if (this.levels[p]!.length > 0) return this.levels[p];
    return undefined;
  }

  peek(): Entry | undefined {
    return this.top()?.peek();
  }
  shift(): Entry | undefined {
    const e = this.top()?.shift();
    if (e !== undefined) this.length--;
    return e;
  }
  push(e: Entry): void {
    this.levelOf(e).push(e);
    this.length++;
  }
  insert(e: Entry): void {
    this.levelOf(e).insert(e);
    this.length++;
  }
  drain(): Entry[] {
    const out: Entry[] = [];
    for (let p = this.maxPriority; p >= 0; p--) out.push(...this.levels[p]!.drain());
    this.length = 0;
    return out;
  }
  removeWhere(drop: (e: Entry) => boolean): Entry[] {
    const gone: Entry[] = [];
    for (let p = this.maxPriority; p >= 0; p--) gone.push(...this.levels[p]!.removeWhere(drop));
    this.length -= gone.length;
    return gone;
  }
  toArray(): Entry[] {
    const out: Entry[] = [];
    for (let p = this.maxPriority; p >= 0; p--) out.push(...this.levels[p]!.toArray());
    return out;
  }
}
