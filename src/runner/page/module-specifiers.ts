/** A module specifier found in JavaScript source: the quoted string and where it stands. */
export interface SpecifierSite {
  /** The specifier without quotes, e.g. `playground`. */
  value: string;
  /** Offset of the opening quote in the source. */
  start: number;
  /** Offset just past the closing quote. */
  end: number;
}

const BEFORE_REGEX_KEYWORDS = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await',
]);

type Tok = { kind: 'word'; text: string; dotBefore: boolean } | { kind: 'punct'; text: string } | { kind: 'value' };

const isIdStart = (c: string) => /[A-Za-z_$\u0080-\uffff]/.test(c);
const isIdPart = (c: string) => /[\w$\u0080-\uffff]/.test(c);

/**
 * Finds the module specifiers of static `import`/`export … from` statements,
 * side-effect imports and `import('…')` calls with a literal argument in
 * JavaScript source. A small scanner rather than a full parser: it skips
 * comments, strings, template literals and regular expressions, so text that
 * merely looks like an import is left alone.
 *
 * @example
 * findModuleSpecifiers("import { log } from 'playground';").map((s) => s.value); // ['playground']
 */
export function findModuleSpecifiers(code: string): SpecifierSite[] {
  const found: SpecifierSite[] = [];
  const recent: Tok[] = []; // the last few significant tokens
  const push = (t: Tok) => {
    recent.push(t);
    if (recent.length > 3) recent.shift();
  };
  const back = (n: number): Tok | undefined => recent[recent.length - n];
  /** Brace depth at which each open template literal's `${` was entered. */
  const templateStack: number[] = [];
  let braceDepth = 0;
  let i = 0;
  const n = code.length;

  const regexAllowed = (): boolean => {
    const last = back(1);
    if (!last) return true;
    if (last.kind === 'value') return false;
    if (last.kind === 'word') return !last.dotBefore && BEFORE_REGEX_KEYWORDS.has(last.text);
    return !(last.text === ')' || last.text === ']' || last.text === '}');
  };

  const skipString = (quote: string): number => {
    let j = i + 1;
    while (j < n && code[j] !== quote) {
      if (code[j] === '\\') j++;
      else if (code[j] === '\n') break;
      j++;
    }
    return j + 1;
  };

  /** Skips template text from `i` (just after a backtick or a closing `}` of `${`). */
  const skipTemplateText = (): void => {
    while (i < n) {
      const c = code[i];
      if (c === '\\') {
        i += 2;
      } else if (c === '`') {
        i++;
        push({ kind: 'value' });
        return;
      } else if (c === '$' && code[i + 1] === '{') {
        i += 2;
        templateStack.push(braceDepth);
        braceDepth++;
        push({ kind: 'punct', text: '${' });
        return;
      } else {
        i++;
      }
    }
  };

  while (i < n) {
    const c = code[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '/' && code[i + 1] === '/') {
      const end = code.indexOf('\n', i);
      i = end < 0 ? n : end;
    } else if (c === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      const end = skipString(c);
      const b1 = back(1);
      const b2 = back(2);
      const isSpecifier =
        (b1?.kind === 'word' && !b1.dotBefore && (b1.text === 'from' || b1.text === 'import')) ||
        (b1?.kind === 'punct' && b1.text === '(' && b2?.kind === 'word' && !b2.dotBefore && b2.text === 'import');
      if (isSpecifier) found.push({ value: code.slice(i + 1, end - 1), start: i, end });
      i = end;
      push({ kind: 'value' });
    } else if (c === '`') {
      i++;
      skipTemplateText();
    } else if (c === '/' && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      while (j < n && code[j] !== '\n') {
        const d = code[j];
        if (d === '\\') j++;
        else if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        j++;
      }
      j++;
      while (j < n && isIdPart(code[j]!)) j++;
      i = j;
      push({ kind: 'value' });
    } else if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdPart(code[j]!)) j++;
      const prev = back(1);
      push({ kind: 'word', text: code.slice(i, j), dotBefore: prev?.kind === 'punct' && (prev.text === '.' || prev.text === '?.') });
      i = j;
    } else if (c >= '0' && c <= '9') {
      let j = i + 1;
      while (j < n && /[\w.]/.test(code[j]!)) j++;
      i = j;
      push({ kind: 'value' });
    } else if (c === '{') {
      braceDepth++;
      i++;
      push({ kind: 'punct', text: '{' });
    } else if (c === '}') {
      braceDepth--;
      i++;
      if (templateStack.length > 0 && templateStack[templateStack.length - 1] === braceDepth) {
        templateStack.pop();
        skipTemplateText();
      } else {
        push({ kind: 'punct', text: '}' });
      }
    } else if (c === '?' && code[i + 1] === '.' && !/[0-9]/.test(code[i + 2] ?? '')) {
      i += 2;
      push({ kind: 'punct', text: '?.' });
    } else {
      i++;
      push({ kind: 'punct', text: c });
    }
  }
  return found;
}
