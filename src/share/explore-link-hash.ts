/**
 * Whether an address holds an explore link (well-formed or not): its hash
 * starts with `xv=`. Apart from the codec (explore-link.ts) so that the page
 * can ask on its first load, and load the codec only for such a link.
 *
 * @example
 * isExploreLink('https://x.org/#xv=1&ex=retry&…'); // true
 * isExploreLink('https://x.org/#v=1&ex=retry&…');  // false: a run link
 */
export function isExploreLink(hashOrUrl: string): boolean {
  return typeof hashOrUrl === 'string' && /^xv(=|&|$)/.test(hashPart(hashOrUrl));
}

/** The hash of a URL without its `#`; a text that is no URL is taken as the hash itself. */
export function hashPart(input: string): string {
  const at = input.indexOf('#');
  if (at !== -1) return input.slice(at + 1);
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(input) || input.startsWith('/') || input.startsWith('?') ? '' : input;
}
