import { describe, expect, it } from 'vitest';
import { siteBase } from '../../build/site-base.js';

describe('siteBase', () => {
  it('is relative by default, so that dist/ works from any sub-path', () => {
    expect(siteBase(undefined)).toBe('./');
    expect(siteBase('')).toBe('./');
  });

  it('takes a Pages sub-path, or the root of a user site or custom domain', () => {
    expect(siteBase('/service-patterns/')).toBe('/service-patterns/');
    expect(siteBase('/a/b.c/')).toBe('/a/b.c/');
    expect(siteBase('/')).toBe('/');
  });

  it('refuses a path that would publish a site whose links point elsewhere', () => {
    for (const bad of ['repo', '/repo', 'repo/', 'https://x.io/repo/', '/re po/', '//repo/']) expect(() => siteBase(bad), bad).toThrow(/SPP_BASE must be a path/);
  });
});
