import { describe, expect, it } from 'vitest';
import { codeLengthOf, editorOptionsFor, LONG_CODE_CHARS, modelOptionsFor, NORMAL_CODE_CHARS } from '../../src/ui/editor/long-code.js';

describe('codeLengthOf', () => {
  it('calls code long above the limit and normal again only well below it', () => {
    expect(codeLengthOf(20_000, 'normal')).toBe('normal');
    expect(codeLengthOf(LONG_CODE_CHARS + 1, 'normal')).toBe('long');
    // Between the two limits the code keeps its class, so typing around the limit does not switch back and forth.
    const between = (LONG_CODE_CHARS + NORMAL_CODE_CHARS) / 2;
    expect(codeLengthOf(between, 'long')).toBe('long');
    expect(codeLengthOf(between, 'normal')).toBe('normal');
    expect(codeLengthOf(NORMAL_CODE_CHARS - 1, 'long')).toBe('normal');
  });

  it('turns bracket colours and matching off for long code only', () => {
    expect(modelOptionsFor('normal').bracketColorizationOptions?.enabled).toBe(true);
    expect(modelOptionsFor('long').bracketColorizationOptions?.enabled).toBe(false);
    expect(editorOptionsFor('normal').matchBrackets).toBe('always');
    expect(editorOptionsFor('long').matchBrackets).toBe('never');
  });
});
