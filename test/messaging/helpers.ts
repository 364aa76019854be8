import { createWorld, type World, type WorldOptions } from '../../src/sim/world.js';
import type { TraceEvent, TraceKind, TraceEventOf } from '../../src/sim/trace.js';
import '../../src/messaging/trace-events.js';

/** Runs `fn` inside the world until the world is quiet; returns what `fn` returned (or throws what it threw). */
export async function drive<T>(world: World, fn: () => Promise<T>): Promise<T> {
  let failed = false;
  let error: unknown;
  let value: T | undefined;
  const p = fn().then(
    (v) => void (value = v),
    (e: unknown) => {
      failed = true;
      error = e;
    },
  );
  await world.run();
  await p;
  if (failed) throw error;
  return value as T;
}

/** A fresh world with fixed 1 ms latency unless told otherwise. */
export function world(options: WorldOptions = {}): World {
  return createWorld({ seed: 1, ...options });
}

/** Events of one kind. */
export function events<K extends TraceKind>(w: World, kind: K): TraceEventOf<K>[] {
  return w.events.filter((e: TraceEvent) => e.kind === kind) as unknown as TraceEventOf<K>[];
}

/** JSON-decodes message content. */
export function json(msg: { content: { toString(): string } }): any {
  return JSON.parse(msg.content.toString());
}
