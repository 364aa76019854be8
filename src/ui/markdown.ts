import { html, nothing, type TemplateResult } from 'lit';

/**
 * Renders the small Markdown subset lessons use (headings, paragraphs, lists,
 * fenced code, inline code, bold, italic, links) as Lit templates. Text is
 * never parsed as HTML, so a lesson cannot inject markup.
 */
export function renderMarkdown(source: string): TemplateResult {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: TemplateResult[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    const fence = /^```(\w*)/.exec(line);
    if (fence) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.startsWith('```')) code.push(lines[i++]!);
      i++;
      blocks.push(html`<pre class="md-code"><code>${code.join('\n')}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      const content = inline(heading[2]!);
      blocks.push(level === 1 ? html`<h2>${content}</h2>` : level === 2 ? html`<h3>${content}</h3>` : html`<h4>${content}</h4>`);
      i++;
      continue;
    }
    if (/^\s*([-*]|\d+\.)\s+/.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: string[] = [];
      while (i < lines.length && /^\s*([-*]|\d+\.)\s+/.test(lines[i]!)) {
        let item = lines[i]!.replace(/^\s*([-*]|\d+\.)\s+/, '');
        i++;
        while (i < lines.length && /^\s{2,}\S/.test(lines[i]!) && !/^\s*([-*]|\d+\.)\s+/.test(lines[i]!)) item += ' ' + lines[i++]!.trim();
        items.push(item);
      }
      const lis = items.map((it) => html`<li>${inline(it)}</li>`);
      blocks.push(ordered ? html`<ol>${lis}</ol>` : html`<ul>${lis}</ul>`);
      continue;
    }
    if (line.startsWith('> ')) {
      const quote: string[] = [];
      while (i < lines.length && lines[i]!.startsWith('> ')) quote.push(lines[i++]!.slice(2));
      blocks.push(html`<blockquote>${inline(quote.join(' '))}</blockquote>`);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !/^(```|#{1,4}\s|\s*([-*]|\d+\.)\s+|> )/.test(lines[i]!)) para.push(lines[i++]!);
    blocks.push(html`<p>${inline(para.join(' '))}</p>`);
  }
  return html`${blocks}`;
}

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*)|(\[[^\]]+\]\([^)\s]+\))/g;

/** Inline spans: `code`, **bold**, *italic*, [text](url). */
export function inline(text: string): Array<TemplateResult | string> {
  const out: Array<TemplateResult | string> = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index! > last) out.push(text.slice(last, m.index));
    const tok = m[0];
    if (m[1]) out.push(html`<code>${tok.slice(1, -1)}</code>`);
    else if (m[2]) out.push(html`<strong>${tok.slice(2, -2)}</strong>`);
    else if (m[3]) out.push(html`<em>${tok.slice(1, -1)}</em>`);
    else {
      const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(tok)!;
      const href = link[2]!;
      const safe = /^(https?:|#)/.test(href);
      out.push(safe ? html`<a href=${href} target=${href.startsWith('#') ? nothing : '_blank'} rel="noopener">${link[1]}</a>` : link[1]!);
    }
    last = m.index! + tok.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
