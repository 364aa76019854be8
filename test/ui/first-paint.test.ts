import { describe, expect, it } from 'vitest';
import { catalog, loadExample } from '../../examples/index.js';
import type { Example } from '../../examples/types.js';
import { FIRST_PAINT_CLASS, hintMd, LESSON_MD, renderFirstPaint, taskMd } from '../../src/ui/first-paint/render-first-paint.js';
import { markdownToHtml } from '../../src/ui/markdown-to-html.js';

const first = await loadExample(catalog[0]!.id);

describe('renderFirstPaint', () => {
  it('shows the whole course list, the first example marked, with its lesson and code', () => {
    const html = renderFirstPaint({ catalog, example: first, markdown: markdownToHtml });
    expect(html.startsWith(`<div class="${FIRST_PAINT_CLASS}" data-example-id="${first.id}">`)).toBe(true);
    for (const m of catalog) expect(html).toContain(`data-example="${m.id}"`);
    expect(html.match(/data-current data-example="([^"]+)"/)?.[1]).toBe(first.id);
    expect(html).toContain(`data-md="${LESSON_MD}">${markdownToHtml(first.lesson)}</div>`);
    for (const x of first.exercises) {
      expect(html).toContain(`data-md="${taskMd(x.id)}">${markdownToHtml(x.task)}`);
      expect(html).toContain(`data-md="${hintMd(x.id)}">${markdownToHtml(x.hint)}`);
    }
    // The code, as text (an example's code has < and > in its types).
    const code = /<pre class="spp-code-fallback"[^>]*>([\s\S]*?)<\/pre>/.exec(html)?.[1] ?? '';
    expect(code.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')).toBe(first.code);
  });

  it('keeps markup in titles, code and lessons as text', () => {
    const hostile: Example = {
      ...first,
      title: 'A <img src=x onerror=alert(1)> title',
      summary: '"quoted" & <b>bold</b>',
      objectives: ['<script>alert(1)</script>'],
      code: 'const a = "</pre><script>alert(1)</script>";',
      lesson: 'Text <script>alert(1)</script> and [a link](javascript:alert(1)).',
      exercises: [],
    };
    const html = renderFirstPaint({ catalog: [{ id: first.id, title: '<i>x</i>', topic: '<u>t</u>', order: 1 }], example: hostile, markdown: markdownToHtml });
    expect(html).not.toMatch(/<(script|img|b|i|u)[\s>]/);
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;');
  });
});
