/**
 * The page's routes, read from the address's hash. Share links own every
 * hash that does not start with `#/` (`#v=1&ex=…`), so the routes here all
 * do, and anything else is the playground:
 * - `#/patterns`, `#/patterns/<pattern id>`: the pattern reference (at that entry);
 * - `#/examples/<example id>[/<exercise id>]`: open that example (at that exercise), then the playground.
 */
export type PageRoute =
  | { kind: 'playground' }
  | { kind: 'patterns'; anchor?: string }
  | { kind: 'example'; exampleId: string; exerciseId?: string };

const SEGMENT = /^[a-z0-9][a-z0-9-]{0,79}$/;

/** The route of a whole URL, a hash (`#/patterns`) or the hash's text. */
export function parseRoute(urlOrHash: string): PageRoute {
  const at = urlOrHash.indexOf('#');
  const hash = at === -1 ? (urlOrHash.startsWith('/') ? urlOrHash : '') : urlOrHash.slice(at + 1);
  if (!hash.startsWith('/')) return { kind: 'playground' };
  const parts = hash.slice(1).split('/').map(safeDecode);
  const [head, first, second] = parts;
  if (head === 'patterns' && parts.length <= 2) {
    if (first === undefined || first === '') return { kind: 'patterns' };
    return SEGMENT.test(first) ? { kind: 'patterns', anchor: first } : { kind: 'patterns' };
  }
  if (head === 'examples' && first !== undefined && SEGMENT.test(first) && parts.length <= 3) {
    return second !== undefined && SEGMENT.test(second) ? { kind: 'example', exampleId: first, exerciseId: second } : { kind: 'example', exampleId: first };
  }
  return { kind: 'playground' };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return '';
  }
}

/** The hash (with `#`) that leads to `route`; the playground's is empty. */
export function routeHash(route: PageRoute): string {
  switch (route.kind) {
    case 'playground':
      return '';
    case 'patterns':
      return route.anchor ? `#/patterns/${route.anchor}` : '#/patterns';
    case 'example':
      return route.exerciseId ? `#/examples/${route.exampleId}/${route.exerciseId}` : `#/examples/${route.exampleId}`;
  }
}

/** The link to a pattern's entry (or to the reference). */
export function patternHref(id?: string): string {
  return routeHash(id ? { kind: 'patterns', anchor: id } : { kind: 'patterns' });
}

/** The link that opens an example at one of its exercises. */
export function exampleHref(exampleId: string, exerciseId?: string): string {
  return routeHash({ kind: 'example', exampleId, exerciseId });
}

/** `url` without the route's hash: what the share-link reader sees when the address holds a route, not a link. */
export function withoutRoute(url: string, route: PageRoute): string {
  if (route.kind === 'playground') return url;
  const at = url.indexOf('#');
  return at === -1 ? url : url.slice(0, at);
}

/** The `href` of the innermost link on an event's path (an `<a>` inside a shadow root too). */
export function linkHref(path: readonly EventTarget[]): string | undefined {
  const link = path.find((n) => (n as Partial<Element>).nodeName === 'A') as Element | undefined;
  return link?.getAttribute('href') ?? undefined;
}
