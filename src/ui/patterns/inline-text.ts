import { html, type TemplateResult } from 'lit';

/**
 * A one-line text with `code spans`, as Lit templates: for table cells and
 * list items of the reference, where a markdown paragraph would be too much.
 * Everything is text to Lit, so nothing in the content can become markup.
 *
 * @example
 * inlineText('Option `timeout` (default 10 000 ms)') // text, <code>timeout</code>, text
 */
export function inlineText(text: string): TemplateResult[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : html`${part}`));
}
