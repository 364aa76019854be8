/**
 * One significant token of JavaScript source. Comments and white space are
 * skipped; strings, template text, regular expressions and numbers are
 * `value`s; `=>`, `?.` and `${` are one `punct` each, any other punctuation
 * one character.
 */
export type JsToken =
  | { kind: 'word'; text: string; start: number; end: number; /** Follows `.` or `?.`: a property name, not a keyword. */ dotBefore: boolean }
  | { kind: 'punct'; text: string; start: number; end: number }
  | { kind: 'value'; start: number; end: number };

const BEFORE_REGEX_KEYWORDS = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await',
]);

const isIdStart = (c: string) => /[A-Za-z_$\u0080-\uffff]/.test(c);
const isIdPart = (c: string) => /[\w$\u0080-\uffff]/.test(c);

/**
 * Splits JavaScript source into its significant tokens. A small scanner
 * rather than a parser: enough to tell code from comments, strings, template
 * literals (with their `${…}` parts scanned as code) and regular expressions,
 * so that text which merely looks like code is never taken for it.
 *
 * @example
 * tokenizeJs("await main(); // await").map((t) => t.kind === 'value' ? 'value' : t.text); // ['await', 'main', '(', ')', ';']
 */
export function tokenizeJs(code: string): JsToken[] {
  const tokens: JsToken[] = [];
  /** Brace depth at which each open template literal's `${` was entered. */
  const templateStack: number[] = [];
  let braceDepth = 0;
  let i = 0;
  const n = code.length;
  const last = (): JsToken | undefined => tokens[tokens.length - 1];
  const punct = (text: string) => {
    tokens.push({ kind: 'punct', text, start: i, end: i + text.length });
    i += text.length;
  };
  const value = (start: number, end: number) => {
    tokens.push({ kind: 'value', start, end });
    i = end;
  };

  const regexAllowed = (): boolean => {
    const t = last();
    if (!t) return true;
    if (t.kind === 'value') return false;
    if (t.kind === 'word') return !t.dotBefore && BEFORE_REGEX_KEYWORDS.has(t.text);
    return !(t.text === ')' || t.text === ']' || t.text === '}');
  };

  const stringEnd = (quote: string): number => {
    let j = i + 1;
    while (j < n && code[j] !== quote) {
      if (code[j] === '\\') j++;
      else if (code[j] === '\n') break;
      j++;
    }
    return j + 1;
  };

  /** Scans template text from `i` (just after a backtick or the `}` closing a `${`) up to its end or the next `${`. */
  const templateText = (start: number): void => {
    while (i < n) {
      const c = code[i];
      if (c === '\\') {
        i += 2;
      } else if (c === '`') {
        value(start, i + 1);
        return;
      } else if (c === '$' && code[i + 1] === '{') {
        value(start, i);
        templateStack.push(braceDepth);
        braceDepth++;
        punct('${');
        return;
      } else {
        i++;
      }
    }
    value(start, n);
  };

  const regexEnd = (): number => {
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
    return j;
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
      value(i, stringEnd(c));
    } else if (c === '`') {
      const start = i++;
      templateText(start);
    } else if (c === '/' && regexAllowed()) {
      value(i, regexEnd());
    } else if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdPart(code[j]!)) j++;
      const prev = last();
      tokens.push({ kind: 'word', text: code.slice(i, j), start: i, end: j, dotBefore: prev?.kind === 'punct' && (prev.text === '.' || prev.text === '?.') });
      i = j;
    } else if (c >= '0' && c <= '9') {
      let j = i + 1;
      while (j < n && /[\w.]/.test(code[j]!)) j++;
      value(i, j);
    } else if (c === '{') {
      braceDepth++;
      punct('{');
    } else if (c === '}') {
      braceDepth--;
      if (templateStack.length > 0 && templateStack[templateStack.length - 1] === braceDepth) {
        templateStack.pop();
        const start = i++;
        templateText(start);
      } else {
        punct('}');
      }
    } else if (c === '?' && code[i + 1] === '.' && !/[0-9]/.test(code[i + 2] ?? '')) {
      punct('?.');
    } else if (c === '=' && code[i + 1] === '>') {
      punct('=>');
    } else {
      punct(c);
    }
  }
  return tokens;
}

/** 1-based line and column of `offset` in `text`. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k >= 0 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
