/**
 * Which consumer of a queue gets the next message, as RabbitMQ chooses: with
 * single active consumer, only the first registered one; otherwise the
 * consumers of the highest `x-priority` that have room, round-robin among
 * them, lower priorities only while every higher one is full.
 */
import type { ConsumerState, QueueState } from './broker-state.js';

/** The consumer the next message of `q` goes to, or undefined when none may take one now. */
export function chooseConsumer(q: QueueState): ConsumerState | undefined {
  const consumers = q.consumers;
  const n = consumers.length;
  if (n === 0) return undefined;
  if (q.args.singleActiveConsumer) {
    const active = consumers[0]!;
    return active.hasRoom() ? active : undefined;
  }
  // Consumers are kept highest priority first: equal ends mean one priority.
  if (consumers[0]!.priority !== consumers[n - 1]!.priority) return byPriority(q);
  for (let i = 0; i < n; i++) {
    const idx = (q.rr + i) % n;
    const c = consumers[idx]!;
    if (c.hasRoom()) {
      q.rr = (idx + 1) % n;
      return c;
    }
  }
  return undefined;
}

/** Round-robin within the highest priority that has a consumer with room. */
function byPriority(q: QueueState): ConsumerState | undefined {
  const consumers = q.consumers;
  const n = consumers.length;
  let start = 0;
  while (start < n) {
    const priority = consumers[start]!.priority;
    let end = start + 1;
    while (end < n && consumers[end]!.priority === priority) end++;
    const size = end - start;
    const from = q.rrByPriority.get(priority) ?? 0;
    for (let i = 0; i < size; i++) {
      const idx = (from + i) % size;
      const c = consumers[start + idx]!;
      if (c.hasRoom()) {
        q.rrByPriority.set(priority, (idx + 1) % size);
        return c;
      }
    }
    start = end;
  }
  return undefined;
}

/** Adds a consumer at its place: behind those of the same or a higher priority (single active consumer: behind all). */
export function addConsumer(q: QueueState, c: ConsumerState): void {
  const consumers = q.consumers;
  let i = consumers.length;
  if (!q.args.singleActiveConsumer) while (i > 0 && consumers[i - 1]!.priority < c.priority) i--;
  consumers.splice(i, 0, c);
  if (q.rr > i) q.rr++;
}
