import { describe, expect, it } from 'vitest';
import { escapeMermaid, toMermaid } from '../../src/ui/views/mermaid.js';
import { brokerTrace, ev, orderWorldTrace, resetSeq } from './fixtures.js';

/** Text Mermaid reads literally: no statement separators, comments or HTML, only `#code;` entities. */
const SAFE_TEXT = /^(?:[^;#%<>\n\r"]|#\d+;)*$/;
const SAFE_ALIAS = /^(?:[^;#%<>\n\r":,]|#\d+;)*$/;
const LINE = [
  /^sequenceDiagram$/,
  /^ {2}(participant|actor) P\d+ as (.+)$/,
  /^ {2,4}P\d+(->>|-->>|-x|--x|-\)|--\))P\d+: (.+)$/,
  /^ {2,4}Note over P\d+: (.+)$/,
  /^ {2}rect rgba\(\d+, \d+, \d+, [\d.]+\)$/,
  /^ {2}end$/,
];

/** Checks every line against the subset of Mermaid's sequence syntax the export uses. */
function checkSyntax(text: string): void {
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.trimEnd().split('\n');
  expect(lines[0]).toBe('sequenceDiagram');
  let open = 0;
  for (const line of lines) {
    const rule = LINE.find((r) => r.test(line));
    expect(rule, `unexpected line: ${line}`).toBeDefined();
    const m = rule!.exec(line)!;
    const label = m[m.length - 1]!;
    if (rule === LINE[1]) expect(label, line).toMatch(SAFE_ALIAS);
    if (rule === LINE[2] || rule === LINE[3]) expect(label, line).toMatch(SAFE_TEXT);
    if (line.includes('rect ')) open++;
    if (line.trim() === 'end') open--;
    expect(open).toBeGreaterThanOrEqual(0);
  }
  expect(open).toBe(0);
}

describe('Mermaid export', () => {
  it('declares participants and draws requests, dashed responses and crossed timeouts', async () => {
    const text = toMermaid(await orderWorldTrace());
    checkSyntax(text);
    expect(text).toContain('  actor P1 as client\n  participant P2 as orders\n  participant P3 as payment\n');
    expect(text).toMatch(/^ {2}P1->>P2: t=0 ms POST \/orders$/m);
    expect(text).toMatch(/^ {2}P3-->>P2: t=[\d.]+ ms 201 POST \/payments \(\d+ ms\)$/m);
    expect(text).toMatch(/^ {2}P2-xP3: t=165 ms timeout POST \/payments after 50 ms$/m);
    expect(text).toMatch(/^ {2}Note over P2: .*payment failed for 2$/m);
  });

  it('escapes labels so hostile names and messages stay one valid statement', () => {
    resetSeq();
    const text = toMermaid([
      ev(0, 'log', { source: 'a;b', level: 'error', message: 'x; y #2 <b>bold</b>\nnext line %% not a comment' }),
      ev(1, 'http.request', { source: 'we"ird:name,1', target: 'end', method: 'GET', path: '/a;b#c' }),
    ]);
    checkSyntax(text);
    expect(text).toContain('participant P1 as a#59;b');
    expect(text).toContain('participant P2 as we#34;ird#58;name#44;1');
    expect(text).toContain('x#59; y #35;2 #60;b#62;bold#60;/b#62; next line #37;#37; not a comment');
    expect(escapeMermaid('a;b #1')).toBe('a#59;b #35;1');
  });

  it('uses async arrows for messages and marks queues and compensations', () => {
    resetSeq();
    const text = toMermaid([...brokerTrace(), ev(20, 'saga.compensation', { source: 'orch', target: 'orders', saga: 'ship', sagaId: 's-1', step: 'cancel order', attempt: 1, reason: 'completed' })], { times: false });
    checkSyntax(text);
    expect(text).toContain('participant P3 as emails (queue)');
    expect(text).toContain('  P1-)P2: publish order.created m-1\n  P2-)P3: route order.created m-1\n');
    expect(text).toContain('  P3-)P4: deliver m-1\n');
    expect(text).toContain('  P4--)P3: ack m-1\n');
    expect(text).toContain('  P3-xP5: dead-letter m-2 (rejected)\n');
    expect(text).toMatch(/ {2}rect rgba\([^)]*\)\n {4}P\d+->>P\d+: ↩ saga\.compensation cancel order completed #35;1\n {2}end/);
  });

  it('exports only the prefix up to the scrub time', async () => {
    const events = await orderWorldTrace();
    const lines = toMermaid(events, { until: 0 }).trimEnd().split('\n');
    expect(lines.filter((l) => l.includes('->>') || l.includes('Note'))).toHaveLength(events.filter((e) => e.time <= 0).length);
  });
});
