import type { PatternEntry } from './pattern-types.js';

/** The words of `text`, lower case, without markdown's punctuation. */
function words(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*_[\]()#>|]/g, ' ')
    .replace(/\s+/g, ' ');
}

/** Everything of an entry a search looks at, as one lower-case string. */
export function searchableText(entry: PatternEntry): string {
  return words(
    [
      entry.title,
      entry.aliases.join(' '),
      entry.summary,
      entry.problem,
      entry.how,
      entry.useWhen.join(' '),
      entry.avoidWhen.join(' '),
      entry.parameters.map((p) => `${p.name} ${p.start} ${p.tradeOff}`).join(' '),
      entry.mistakes.map((m) => `${m.text} ${m.example}`).join(' '),
      entry.libraries.map((l) => `${l.library} ${l.spelling}`).join(' '),
      entry.playground,
    ].join(' '),
  );
}

/** A search over the entries, indexed once. */
export interface PatternSearch {
  /**
   * The entries that contain every word of `query` (anywhere in the entry),
   * those whose title or other names contain them first, each group in
   * reference order. An empty query matches every entry.
   */
  find(query: string): PatternEntry[];
}

/**
 * Indexes `entries` for {@link PatternSearch.find}.
 *
 * @example
 * const search = indexPatterns(PATTERN_ENTRIES);
 * search.find('jitter').map((e) => e.id); // ['retry-backoff-jitter', …]
 */
export function indexPatterns(entries: readonly PatternEntry[]): PatternSearch {
  const indexed = entries.map((entry) => ({ entry, names: words(`${entry.title} ${entry.aliases.join(' ')}`), text: searchableText(entry) }));
  return {
    find(query) {
      const terms = words(query).split(' ').filter(Boolean);
      if (terms.length === 0) return entries.slice();
      const hits = indexed.filter((i) => terms.every((t) => i.text.includes(t)));
      const byName = hits.filter((i) => terms.every((t) => i.names.includes(t)));
      const rest = hits.filter((i) => !byName.includes(i));
      return [...byName, ...rest].map((i) => i.entry);
    },
  };
}
