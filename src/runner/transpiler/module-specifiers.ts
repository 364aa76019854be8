import { tokenizeJs } from '../js-tokens.js';

/** A module specifier found in JavaScript source: the quoted string and where it stands. */
export interface SpecifierSite {
  /** The specifier without quotes, e.g. `playground`. */
  value: string;
  /** Offset of the opening quote in the source. */
  start: number;
  /** Offset just past the closing quote. */
  end: number;
}

/**
 * Finds the module specifiers of static `import`/`export … from` statements,
 * side-effect imports and `import('…')` calls with a literal argument in
 * JavaScript source. Comments, strings, template literals and regular
 * expressions are skipped (see {@link tokenizeJs}), so text that merely looks
 * like an import is left alone.
 *
 * @example
 * findModuleSpecifiers("import { log } from 'playground';").map((s) => s.value); // ['playground']
 */
export function findModuleSpecifiers(code: string): SpecifierSite[] {
  const found: SpecifierSite[] = [];
  const tokens = tokenizeJs(code);
  const keyword = (k: number, ...words: string[]) => {
    const t = tokens[k];
    return t?.kind === 'word' && !t.dotBefore && words.includes(t.text);
  };
  tokens.forEach((t, k) => {
    if (t.kind !== 'value' || (code[t.start] !== '"' && code[t.start] !== "'")) return;
    const before = tokens[k - 1];
    const isSpecifier = keyword(k - 1, 'from', 'import') || (before?.kind === 'punct' && before.text === '(' && keyword(k - 2, 'import'));
    if (isSpecifier) found.push({ value: code.slice(t.start + 1, t.end - 1), start: t.start, end: t.end });
  });
  return found;
}
