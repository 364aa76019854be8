import MarkdownIt from 'markdown-it';

/** Link targets a lesson may use: the web, and places on the page itself. */
const SAFE_LINK = /^(https?:|#)/i;

/**
 * markdown-it set up for lesson text. Raw HTML is off, so `<script>` or
 * `<img onerror>` in a lesson shows as text; links go only to http(s) or to
 * `#` anchors (anything else, `javascript:` included, stays plain text);
 * images are off (the page's CSP would block them anyway). GFM tables are on.
 */
const md = new MarkdownIt('default', { html: false, linkify: false, typographer: false });
md.disable('image');
md.validateLink = (url) => SAFE_LINK.test(url);

// The panel's own title is the h1, so a lesson's `#` is an h2, `##` an h3, and deeper ones h4.
md.core.ruler.push('lesson-headings', (state) => {
  for (const token of state.tokens) if (token.type === 'heading_open' || token.type === 'heading_close') token.tag = `h${Math.min(Number(token.tag.slice(1)) + 1, 4)}`;
});

// Links that leave the page open in a new tab, without handing it this window.
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  if (!String(token.attrGet('href') ?? '').startsWith('#')) {
    token.attrSet('target', '_blank');
    token.attrSet('rel', 'noopener');
  }
  return self.renderToken(tokens, idx, options);
};

/**
 * Lesson markdown (CommonMark with GFM tables) as HTML whose only markup is
 * what the markdown itself means: safe to put in the page as it is.
 *
 * @example
 * markdownToHtml('A *slow* call') // '<p>A <em>slow</em> call</p>\n'
 */
export function markdownToHtml(source: string): string {
  return md.render(source);
}
