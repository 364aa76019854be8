import { describe, expect, it } from 'vitest';
import { bindGlobals } from '../../src/sim/globals.js';
import { isoTime, timestampOf } from '../../src/sim/iso-time.js';
import { createWorld, DEFAULT_EPOCH } from '../../src/sim/world.js';

describe('isoTime and timestampOf', () => {
  it('write epoch milliseconds as ISO text, also while a run has the global Date', () => {
    const world = createWorld({ seed: 1 });
    const restore = bindGlobals(world);
    try {
      expect(isoTime(DEFAULT_EPOCH + 78)).toBe('2024-01-01T00:00:00.078Z');
      // A Date made in the run (the virtual one) is written as its ISO text.
      expect(timestampOf(new Date(DEFAULT_EPOCH + 1_500), () => 'unused')).toBe('2024-01-01T00:00:01.500Z');
      expect(timestampOf(new Date(), () => 'unused')).toBe('2024-01-01T00:00:00.000Z');
    } finally {
      restore();
    }
    expect(timestampOf(new Date(Date.UTC(2025, 5, 1)), () => 'unused')).toBe('2025-06-01T00:00:00.000Z');
  });

  it('keep a text as it is and ask for the fallback only when there is no timestamp', () => {
    let asked = 0;
    const fallback = () => (asked++, 'now');
    expect(timestampOf('2020-02-02T00:00:00Z', fallback)).toBe('2020-02-02T00:00:00Z');
    expect(asked).toBe(0);
    expect(timestampOf(undefined, fallback)).toBe('now');
    expect(asked).toBe(1);
  });

  it('throws as Date does for an invalid date', () => {
    expect(() => timestampOf(new Date(Number.NaN), () => 'unused')).toThrow(RangeError);
  });
});
