/**
 * Seeded pseudo-random numbers with named, independent forks.
 *
 * Every stream is sfc32 seeded from a 128-bit hash of `seed` and the fork
 * path, so `rng.fork('faults')` gives the same numbers whatever was drawn
 * from `rng` or any other fork before.
 *
 * @example
 * const rng = new Rng(42);
 * const jitter = rng.fork('retry').uniform(0, 100);
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private readonly forks = new Map<string, Rng>();
  /** Number of values drawn from this stream so far. */
  draws = 0;

  constructor(
    readonly seed: string | number,
    readonly path = '',
  ) {
    const [a, b, c, d] = hash128(`${String(seed)}\u0000${path}`);
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    for (let i = 0; i < 12; i++) this.nextUint32();
    this.draws = 0;
  }

  /**
   * The independent stream called `name` under this one. Asking twice for the
   * same name returns the same stream object.
   */
  fork(name: string): Rng {
    let f = this.forks.get(name);
    if (!f) {
      f = new Rng(this.seed, this.path === '' ? name : `${this.path}/${name}`);
      this.forks.set(name, f);
    }
    return f;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    let { a, b, c, d } = this;
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    this.draws++;
    return t >>> 0;
  }

  /** A float in [0, 1), as the global random function gives. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A float in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    const lo = Math.ceil(min);
    const hi = Math.floor(max);
    if (hi < lo) throw new RangeError(`Rng.int: empty range [${min}, ${max}]`);
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.next() < p;
  }

  /** A normally distributed value (Box–Muller). */
  normal(mean = 0, sd = 1): number {
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** One element of a non-empty array. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.choice: empty array');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** A shuffled copy of `items` (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** A version-4 UUID string drawn from this stream. */
  uuid(): string {
    const a = this.nextUint32();
    const b = this.nextUint32();
    const c = this.nextUint32();
    const d = this.nextUint32();
    // Bytes in draw order (little-end first within each draw); version 4 and variant bits set.
    const byte = (x: number, i: number) => HEX[(x >>> (8 * i)) & 0xff]!;
    const b6 = HEX[(((b >>> 16) & 0xff) & 0x0f) | 0x40]!;
    const b8 = HEX[((c & 0xff) & 0x3f) | 0x80]!;
    return (
      byte(a, 0) + byte(a, 1) + byte(a, 2) + byte(a, 3) + '-' +
      byte(b, 0) + byte(b, 1) + '-' + b6 + byte(b, 3) + '-' +
      b8 + byte(c, 1) + '-' + byte(c, 2) + byte(c, 3) +
      byte(d, 0) + byte(d, 1) + byte(d, 2) + byte(d, 3)
    );
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** cyrb128: a fast 128-bit string hash, used only to seed generators. */
function hash128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/**
 * A stable 64-bit hash of a string as 16 hex digits (two FNV-1a lanes).
 * Used for trace hashes: equal strings give equal hashes on every engine.
 */
export function stableHash(str: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
