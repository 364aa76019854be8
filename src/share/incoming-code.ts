import type { Draft } from './drafts.js';

/**
 * What to do with the code a link brings when the user may have a draft of
 * the same example.
 *
 * - 'no-conflict': load `code` (the link's code, or the original when the
 *   link has none); there is no draft, or the draft is that same code.
 * - 'conflict': the user has a draft that differs from what the link would
 *   load. Show the link's code but do not save over the draft until the user
 *   chooses: keep their draft (`draft.code`) or take the link's (`incoming`).
 */
export type IncomingCodeDecision =
  | { kind: 'no-conflict'; code: string; fromLink: boolean }
  | { kind: 'conflict'; draft: Draft; incoming: string; incomingIsOriginal: boolean };

/**
 * Decides between a link's code, the user's saved draft and the example's
 * original code. A draft equal to the original counts as no draft.
 *
 * @example
 * const d = decideIncomingCode(link.code, loadedDraft, example.code);
 * if (d.kind === 'conflict') askUser(d.draft.code, d.incoming);
 * else editor.setValue(d.code);
 */
export function decideIncomingCode(
  linkCode: string | undefined,
  draft: Draft | undefined,
  originalCode: string,
): IncomingCodeDecision {
  const incoming = linkCode ?? originalCode;
  if (draft === undefined || draft.code === incoming || draft.code === originalCode) {
    return { kind: 'no-conflict', code: incoming, fromLink: linkCode !== undefined };
  }
  return { kind: 'conflict', draft, incoming, incomingIsOriginal: incoming === originalCode };
}
