import { describe, expect, it } from 'vitest';
import { bindGlobals } from '../../src/sim/globals.js';
import { createWorld, DEFAULT_EPOCH } from '../../src/sim/world.js';

describe('bindGlobals', () => {
  it('runs syllabus-style timer code in virtual time and restores the real globals', async () => {
    const realSetTimeout = globalThis.setTimeout;
    const realDate = globalThis.Date;
    const realRandom = Math.random;
    const realNow = performance.now;
    const world = createWorld({ seed: 4 });
    const restore = bindGlobals(world);
    const seen: Array<[string, number]> = [];
    try {
      void (async () => {
        const start = Date.now();
        await new Promise((r) => setTimeout(r, 60_000));
        seen.push(['slept', Date.now() - start]);
        seen.push(['iso', new Date().getTime() - DEFAULT_EPOCH]);
        seen.push(['perf', performance.now()]);
      })();
      let n = 0;
      const id = setInterval(() => {
        seen.push(['tick', world.now()]);
        if (++n === 3) clearInterval(id);
      }, 1000);
      const cancelled = setTimeout(() => seen.push(['never', 0]), 10);
      clearTimeout(cancelled);
      await world.run();
    } finally {
      restore();
    }
    expect(seen).toEqual([
      ['tick', 1000],
      ['tick', 2000],
      ['tick', 3000],
      ['slept', 60_000],
      ['iso', 60_000],
      ['perf', 60_000],
    ]);
    expect(globalThis.setTimeout).toBe(realSetTimeout);
    expect(globalThis.Date).toBe(realDate);
    expect(Math.random).toBe(realRandom);
    expect(performance.now).toBe(realNow);
  });

  it('Math.random and crypto.randomUUID are seeded', () => {
    const draw = (seed: number) => {
      const restore = bindGlobals(createWorld({ seed }));
      try {
        return [Math.random(), Math.random(), crypto.randomUUID()];
      } finally {
        restore();
      }
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('Date keeps working with arguments, as a function, and for instanceof', () => {
    const restore = bindGlobals(createWorld());
    try {
      expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
      expect(new Date().toISOString()).toBe('2024-01-01T00:00:00.000Z');
      expect(new Date() instanceof Date).toBe(true);
      expect(typeof (Date as unknown as () => string)()).toBe('string');
      expect(Date.UTC(2024, 0, 1)).toBe(DEFAULT_EPOCH);
    } finally {
      restore();
    }
  });

  it('restores everything even when the code under it throws', async () => {
    const realSetTimeout = globalThis.setTimeout;
    const realRandom = Math.random;
    const world = createWorld();
    const attempt = async () => {
      const restore = bindGlobals(world);
      try {
        setTimeout(() => {
          throw new Error('late failure');
        }, 5);
        throw new Error('user code failed');
      } finally {
        restore();
      }
    };
    await expect(attempt()).rejects.toThrow('user code failed');
    expect(globalThis.setTimeout).toBe(realSetTimeout);
    expect(Math.random).toBe(realRandom);
    // The timer set during the failed run was cancelled with it.
    expect((await world.run()).reason).toBe('quiescent');
  });

  it('dates created in a run read and print in UTC whatever the time zone of the machine', () => {
    const restore = bindGlobals(createWorld());
    try {
      const d = new Date();
      expect(d.getHours()).toBe(0);
      expect(d.getTimezoneOffset()).toBe(0);
      expect(d.toString()).toBe('Mon Jan 01 2024 00:00:00 GMT+0000 (Coordinated Universal Time)');
      expect(d.toLocaleTimeString()).toBe('12:00:00 AM');
      d.setHours(13);
      expect(d.toISOString()).toBe('2024-01-01T13:00:00.000Z');
    } finally {
      restore();
    }
  });

  it('date components, local date-time strings and Date() are read in UTC; getRandomValues and AbortSignal.timeout are virtual', async () => {
    const world = createWorld({ seed: 3 });
    const restore = bindGlobals(world);
    let abortedAt = -1;
    try {
      expect(new Date(2024, 0, 2, 3).toISOString()).toBe('2024-01-02T03:00:00.000Z');
      expect(new Date('2024-01-01T10:00:00').toISOString()).toBe('2024-01-01T10:00:00.000Z');
      expect(Date.parse('2024-01-01T10:00:00')).toBe(Date.UTC(2024, 0, 1, 10));
      expect(new Date('2024-01-01T10:00:00+02:00').toISOString()).toBe('2024-01-01T08:00:00.000Z');
      expect((Date as unknown as () => string)()).toBe('Mon Jan 01 2024 00:00:00 GMT+0000 (Coordinated Universal Time)');
      const a = crypto.getRandomValues(new Uint8Array(8));
      expect([...a].some((x) => x !== 0)).toBe(true);
      AbortSignal.timeout(1500).addEventListener('abort', () => (abortedAt = world.now()));
      await world.run();
    } finally {
      restore();
    }
    expect(abortedAt).toBe(1500);
    const draw = (seed: number) => {
      const undo = bindGlobals(createWorld({ seed }));
      try {
        return [...crypto.getRandomValues(new Uint8Array(8))];
      } finally {
        undo();
      }
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });
});
