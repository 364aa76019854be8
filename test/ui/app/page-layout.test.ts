import { describe, expect, it } from 'vitest';
import { widthAfterKey, widthAtPointer } from '../../../src/ui/app/column-splitter.js';
import { NARROW_BELOW_PX, layoutForWidth, paneState } from '../../../src/ui/app/page-panes.js';
import { VIEWS_WIDTH_LIMITS } from '../../../src/ui/app/settings.js';
import { itemAfterKey } from '../../../src/ui/app/view-tabs.js';

describe('layoutForWidth and paneState', () => {
  it('shows one pane at a time below 900 px, and columns from there on', () => {
    expect([layoutForWidth(390), layoutForWidth(768), layoutForWidth(NARROW_BELOW_PX - 1)]).toEqual(['narrow', 'narrow', 'narrow']);
    expect([layoutForWidth(NARROW_BELOW_PX), layoutForWidth(1280)]).toEqual(['wide', 'wide']);
  });

  it('makes the open pane the one shown on a narrow screen, and lets a wide screen fold the lesson', () => {
    expect(paneState('narrow', 'code', 'code')).toEqual({ kind: 'tab', pane: 'code', shown: true });
    expect(paneState('narrow', 'code', 'lesson', true)).toEqual({ kind: 'tab', pane: 'lesson', shown: false });
    expect(paneState('wide', 'code', 'lesson', false)).toEqual({ kind: 'column', shown: false });
    expect(paneState('wide', 'code', 'views')).toEqual({ kind: 'column', shown: true });
  });
});

describe('itemAfterKey', () => {
  it('moves with the arrows (wrapping around), jumps with Home and End, and ignores other keys', () => {
    const items = ['a', 'b', 'c'];
    expect(['ArrowRight', 'ArrowLeft', 'Home', 'End', 'Enter'].map((k) => itemAfterKey(items, 'a', k))).toEqual(['b', 'c', 'a', 'c', undefined]);
    expect(itemAfterKey(items, 'c', 'ArrowRight')).toBe('a');
  });
});

describe('the column splitter', () => {
  it('widens the views with ← and narrows them with →, within the limits; Home and End go to the limits', () => {
    expect(widthAfterKey(40, 'ArrowLeft')).toBe(45);
    expect(widthAfterKey(40, 'ArrowRight')).toBe(35);
    expect(widthAfterKey(VIEWS_WIDTH_LIMITS.max, 'ArrowLeft')).toBe(VIEWS_WIDTH_LIMITS.max);
    expect(widthAfterKey(VIEWS_WIDTH_LIMITS.min, 'ArrowRight')).toBe(VIEWS_WIDTH_LIMITS.min);
    expect([widthAfterKey(40, 'Home'), widthAfterKey(40, 'End'), widthAfterKey(40, 'a')]).toEqual([VIEWS_WIDTH_LIMITS.min, VIEWS_WIDTH_LIMITS.max, undefined]);
  });

  it('gives the views the width from the pointer to the right edge of the page', () => {
    expect(widthAtPointer({ left: 0, width: 1000 }, 600)).toBe(40);
    expect(widthAtPointer({ left: 100, width: 1000 }, 850)).toBe(25);
  });
});
