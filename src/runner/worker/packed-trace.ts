import type { TraceEvent } from '../../sim/trace.js';

// Taken when the runtime loads, before any user code runs in its Worker.
const stringify = JSON.stringify;

/** A trace as a report carries it: its events as one JSON array, and its hash. */
export interface PackedTrace {
  /** `JSON.stringify(events)`. */
  json: string;
  /** `hashTrace(events)`. */
  hash: string;
}

/** Characters hashed before the hash so far is folded into the next chunk (as `hashTrace` does). */
const CHUNK = 1 << 20;

/**
 * Serialises a trace once for both things a report needs: the JSON the page
 * parses, and the trace hash. `hashTrace` (sim/trace.ts) stringifies every
 * event and hashes the lines; a report used to stringify the whole trace a
 * second time to send it. Here each event is stringified once, hashed as it
 * comes (the same FNV lanes and the same chunking, so the same hash), and
 * joined into the JSON array.
 *
 * @example
 * const { json, hash } = packTrace(world.trace.events);
 * hash === hashTrace(world.trace.events); // true
 * json === JSON.stringify(world.trace.events); // true
 */
export function packTrace(events: readonly TraceEvent[]): PackedTrace {
  const parts: string[] = new Array<string>(events.length);
  let hasher = new LineHasher();
  let chunk = 0;
  for (let i = 0; i < events.length; i++) {
    const text = stringify(events[i]) as string | undefined;
    parts[i] = text ?? 'null';
    const line = `${text}\n`;
    hasher.update(line);
    chunk += line.length;
    if (chunk > CHUNK) {
      const folded = hasher.digest();
      hasher = new LineHasher();
      hasher.update(folded);
      chunk = 0;
    }
  }
  return { json: `[${parts.join(',')}]`, hash: hasher.digest() };
}

/** `stableHash` (sim/rng.ts) fed piece by piece: `update(a); update(b)` hashes `a + b`. */
class LineHasher {
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193 ^ 0x9e3779b9;

  update(str: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < str.length; i++) {
      const c = str.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  digest(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0');
  }
}
