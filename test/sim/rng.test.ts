import { describe, expect, it } from 'vitest';
import { Rng, stableHash } from '../../src/sim/rng.js';

const draw = (r: Rng, n: number) => Array.from({ length: n }, () => r.next());

describe('Rng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    expect(draw(new Rng(42), 20)).toEqual(draw(new Rng(42), 20));
    expect(draw(new Rng('42'), 5)).toEqual(draw(new Rng(42), 5));
    expect(draw(new Rng(43), 20)).not.toEqual(draw(new Rng(42), 20));
  });

  it('forks are independent of draws made elsewhere', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    draw(a, 1000);
    draw(a.fork('network'), 500);
    expect(draw(a.fork('faults'), 10)).toEqual(draw(b.fork('faults'), 10));
    expect(draw(a.fork('faults').fork('x'), 3)).toEqual(draw(new Rng(7).fork('faults').fork('x'), 3));
    expect(draw(new Rng(7).fork('faults'), 10)).not.toEqual(draw(new Rng(7).fork('network'), 10));
  });

  it('stays within ranges and is roughly uniform', () => {
    const r = new Rng(1);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60_000; i++) {
      const x = r.int(1, 6);
      expect(x >= 1 && x <= 6).toBe(true);
      counts[x - 1]!++;
    }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    for (let i = 0; i < 1000; i++) {
      const u = r.uniform(5, 10);
      expect(u >= 5 && u < 10).toBe(true);
    }
  });

  it('normal draws have the requested mean and spread', () => {
    const r = new Rng(3);
    const xs = Array.from({ length: 20_000 }, () => r.normal(100, 15));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).toBeGreaterThan(99);
    expect(mean).toBeLessThan(101);
    expect(sd).toBeGreaterThan(14);
    expect(sd).toBeLessThan(16);
  });

  it('chance, choice and shuffle', () => {
    const r = new Rng(5);
    expect(r.chance(0)).toBe(false);
    expect(r.chance(1)).toBe(true);
    const hits = Array.from({ length: 10_000 }, () => r.chance(0.3)).filter(Boolean).length;
    expect(hits).toBeGreaterThan(2800);
    expect(hits).toBeLessThan(3200);
    expect(['a', 'b', 'c']).toContain(r.choice(['a', 'b', 'c']));
    expect(() => r.choice([])).toThrow(/empty/);
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('uuids are v4-shaped, seeded and unique', () => {
    const a = new Rng(9);
    const ids = Array.from({ length: 1000 }, () => a.uuid());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(1000);
    expect(new Rng(9).uuid()).toBe(ids[0]);
  });

  it('stableHash is a fixed function of the string', () => {
    expect(stableHash('hello')).toBe(stableHash('hello'));
    expect(stableHash('hello')).not.toBe(stableHash('hellp'));
    expect(stableHash('')).toMatch(/^[0-9a-f]{16}$/);
  });
});
