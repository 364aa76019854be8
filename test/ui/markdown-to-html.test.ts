import { describe, expect, it } from 'vitest';
import { loadAllExamples } from '../../examples/index.js';
import { markdownToHtml } from '../../src/ui/markdown-to-html.js';

describe('lesson markdown', () => {
  it('puts headings one level under the panel title, and keeps code, emphasis and lists', () => {
    expect(markdownToHtml('# Top\n## Why\n### Detail\n#### Deeper')).toBe('<h2>Top</h2>\n<h3>Why</h3>\n<h4>Detail</h4>\n<h4>Deeper</h4>\n');
    expect(markdownToHtml('A *slow* call holds **all** of `x < y`.')).toBe('<p>A <em>slow</em> call holds <strong>all</strong> of <code>x &lt; y</code>.</p>\n');
    expect(markdownToHtml('```ts\nif (a < b) return;\n```')).toBe('<pre><code class="language-ts">if (a &lt; b) return;\n</code></pre>\n');
    expect(markdownToHtml('3. third\n4. fourth')).toBe('<ol start="3">\n<li>third</li>\n<li>fourth</li>\n</ol>\n');
  });

  it('renders tables', () => {
    expect(markdownToHtml('| a | b |\n|---|--:|\n| 1 | 2 |')).toBe(
      '<table>\n<thead>\n<tr>\n<th>a</th>\n<th style="text-align:right">b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td style="text-align:right">2</td>\n</tr>\n</tbody>\n</table>\n',
    );
  });

  it('shows raw HTML as text and makes links only to http(s) and anchors', () => {
    const html = markdownToHtml('<script>alert(1)</script>\n\nSee <img src=x onerror="alert(2)"> <a href="https://x.org">x</a>');
    expect(html).not.toMatch(/<(script|img|a)\b/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
    for (const href of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', 'file:///etc/passwd', '/relative'])
      expect(markdownToHtml(`[go](${href}) <${href}>`), href).not.toContain('<a');
    expect(markdownToHtml('[docs](https://example.org/a?b=1) and [below](#checks)')).toBe(
      '<p><a href="https://example.org/a?b=1" target="_blank" rel="noopener">docs</a> and <a href="#checks">below</a></p>\n',
    );
    expect(markdownToHtml('![a picture](https://example.org/p.png)')).not.toContain('<img');
  });

  it('leaves no markdown markers in any lesson, task or hint', async () => {
    const texts = (await loadAllExamples()).flatMap((e) => [e.lesson, ...e.exercises.flatMap((x) => [x.task, x.hint])]);
    for (const text of texts) {
      const visible = markdownToHtml(text)
        .replace(/<code[^>]*>[\s\S]*?<\/code>/g, '')
        .replace(/<[^>]+>/g, '');
      expect(visible, text.slice(0, 60)).not.toMatch(/\*\*|`|^#+ |\|---/m);
    }
  });
});
