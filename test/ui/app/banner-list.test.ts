import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BannerList } from '../../../src/ui/app/banner-list.js';
import { FakeHost } from './fake-host.js';

describe('BannerList', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows banners in order and re-renders the page for each change', () => {
    const host = new FakeHost();
    const banners = new BannerList(host);
    banners.add('warn', 'Storage is full.');
    const id = banners.add('error', 'The link is damaged.');
    expect(banners.items.map((b) => [b.tone, b.text])).toEqual([
      ['warn', 'Storage is full.'],
      ['error', 'The link is damaged.'],
    ]);
    banners.remove(id);
    expect(banners.items.map((b) => b.text)).toEqual(['Storage is full.']);
    expect(host.updates).toBe(3);
  });

  it('never shows the same text twice: a newer copy replaces the older one', () => {
    const banners = new BannerList(new FakeHost());
    banners.add('info', 'Link copied.');
    banners.add('warn', 'Other.');
    banners.add('info', 'Link copied.');
    expect(banners.items.map((b) => b.text)).toEqual(['Other.', 'Link copied.']);
  });

  it('closes a banner by itself after its delay, and an older copy’s timer does not close the newer one early', () => {
    const banners = new BannerList(new FakeHost());
    banners.add('info', 'Link copied.', { autoCloseMs: 4000 });
    vi.advanceTimersByTime(3000);
    banners.add('info', 'Link copied.', { autoCloseMs: 4000 });
    vi.advanceTimersByTime(1500);
    expect(banners.items).toHaveLength(1);
    vi.advanceTimersByTime(2600);
    expect(banners.items).toHaveLength(0);
  });

  it('warns once per topic', () => {
    const banners = new BannerList(new FakeHost());
    banners.warnOnce('storage', 'Your draft was not saved.');
    banners.remove(banners.items[0]!.id);
    banners.warnOnce('storage', 'Your progress was not saved.');
    banners.warnOnce('other', 'Something else.');
    expect(banners.items.map((b) => b.text)).toEqual(['Something else.']);
  });

  it('keeps actions, and drops only the passing banners when the page goes away', () => {
    const host = new FakeHost();
    const banners = new BannerList(host);
    const run = vi.fn();
    banners.add('info', 'Choose.', { actions: [{ label: 'Keep', run }] });
    banners.add('info', 'Copied.', { autoCloseMs: 4000 });
    host.disconnect();
    expect(banners.items.map((b) => b.text)).toEqual(['Choose.']);
    banners.items[0]!.actions![0]!.run();
    expect(run).toHaveBeenCalledOnce();
    expect(vi.getTimerCount()).toBe(0);
  });
});
