import { describe, expect, it } from 'vitest';
import { spreadLabels, type LabelBox } from '../../src/ui/views/label-spread.js';

const box = (x: number, width: number, top = 0): LabelBox => ({ x, top, bottom: top + 20, width });
const overlaps = (ls: LabelBox[], xs: number[]) =>
  ls.some((a, i) => ls.some((b, j) => j > i && a.top < b.bottom && b.top < a.bottom && Math.abs(xs[i]! - xs[j]!) < (a.width + b.width) / 2));

describe('spreadLabels', () => {
  it('leaves labels that do not overlap where they are', () => {
    expect(spreadLabels([box(50, 40), box(150, 40), box(100, 40, 100)], 400)).toEqual([50, 150, 100]);
  });

  it('sets overlapping labels side by side, centred where they wanted to be on average', () => {
    expect(spreadLabels([box(100, 60), box(120, 60)], 400, 4)).toEqual([78, 142]);
  });

  it('spreads a fan of three labels at a narrow width so that none overlaps, in their order', () => {
    const labels = [box(140, 110), box(200, 110), box(260, 110)];
    const xs = spreadLabels(labels, 400, 4);
    expect(overlaps(labels, xs)).toBe(false);
    expect(xs[0]! < xs[1]! && xs[1]! < xs[2]!).toBe(true);
    expect(xs[1]).toBe(200);
  });

  it('keeps a spread group inside the drawing when it fits', () => {
    const xs = spreadLabels([box(20, 60), box(30, 60)], 400, 4);
    expect(xs[0]! - 30).toBeGreaterThanOrEqual(0);
    expect(overlaps([box(20, 60), box(30, 60)], xs)).toBe(false);
  });

  it('never lets a group kept inside the drawing land on the group before it', () => {
    // Apart as they want to be, but the first wants to start left of 0: moved inside, it would cover the second.
    const left = [box(-20, 30), box(20, 30)];
    expect(overlaps(left, spreadLabels(left, 400, 4))).toBe(false);
    // The same at the right end.
    const right = [box(370, 30), box(410, 30)];
    expect(overlaps(right, spreadLabels(right, 400, 4))).toBe(false);
  });

  it('treats labels at different heights as different rows, and labels sharing some height as one', () => {
    expect(spreadLabels([box(100, 60, 0), box(100, 60, 40)], 400)).toEqual([100, 100]);
    const shared = [box(100, 60, 0), box(100, 60, 12)];
    expect(overlaps(shared, spreadLabels(shared, 400))).toBe(false);
  });
});
