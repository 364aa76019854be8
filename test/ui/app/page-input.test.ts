import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/runner/protocol.js';
import { KeyboardShortcuts } from '../../../src/ui/app/keyboard-shortcuts.js';
import { checksNotRun, runErrorText, runMarkers, runSummary } from '../../../src/ui/app/run-display.js';
import { VIEW_TABS, tabAfterKey } from '../../../src/ui/app/view-tabs.js';
import { FakeRunner } from '../fake-app-deps.js';
import { FakeHost } from './fake-host.js';

/** A keydown as the window dispatches it (Node has no KeyboardEvent). */
function key(target: EventTarget, init: { key: string; ctrlKey?: boolean; metaKey?: boolean; shiftKey?: boolean; handled?: boolean }): boolean {
  const e = Object.assign(new Event('keydown', { cancelable: true }), { key: init.key, ctrlKey: !!init.ctrlKey, metaKey: !!init.metaKey, shiftKey: !!init.shiftKey });
  if (init.handled) e.preventDefault();
  target.dispatchEvent(e);
  return e.defaultPrevented;
}

describe('KeyboardShortcuts', () => {
  it('runs, explores, shares and stops from the keyboard while the page is connected', () => {
    const host = new FakeHost();
    const target = new EventTarget();
    const calls: string[] = [];
    let running = false;
    new KeyboardShortcuts(host, target, { run: () => calls.push('run'), share: () => calls.push('share'), explore: () => calls.push('explore'), stop: () => calls.push('stop'), running: () => running });
    key(target, { key: 'Enter', ctrlKey: true });
    host.connect();
    expect(key(target, { key: 'Enter', ctrlKey: true })).toBe(true);
    expect(key(target, { key: 'S', metaKey: true })).toBe(true);
    expect(key(target, { key: 'Enter', ctrlKey: true, shiftKey: true })).toBe(true);
    key(target, { key: 'Escape' });
    running = true;
    key(target, { key: 'Escape' });
    key(target, { key: 'Enter', ctrlKey: true, handled: true }); // the editor ran it already
    key(target, { key: 'Enter' });
    host.disconnect();
    key(target, { key: 'Enter', ctrlKey: true });
    expect(calls).toEqual(['run', 'share', 'explore', 'stop']);
  });
});

describe('tabAfterKey', () => {
  it('moves with the arrow keys and wraps around', () => {
    expect(tabAfterKey('sequence', 'ArrowRight')).toBe('map');
    expect(tabAfterKey('sequence', 'ArrowLeft')).toBe('compare');
    expect(tabAfterKey('compare', 'ArrowRight')).toBe('sequence');
    expect(tabAfterKey('map', 'Enter')).toBeUndefined();
    expect([tabAfterKey('map', 'Home'), tabAfterKey('map', 'End')]).toEqual(['sequence', 'compare']);
    expect(VIEW_TABS.map(([, label]) => label)).toEqual(['Sequence', 'Map', 'Breakers', 'Sagas', 'Logs', 'Metrics', 'Result', 'Checks', 'Faults', 'Explore', 'Compare']);
  });
});

describe('runSummary and runMarkers', () => {
  it("say how a run ended in the toolbar's words and mark the error's line", async () => {
    const runner = new FakeRunner();
    const ok = await runner.run({ runId: 'a', code: '', seed: 1 });
    expect(runSummary(ok)).toEqual({ status: 'ok', message: 'Finished', wallMs: 2, events: 1, virtualTime: 1500 });
    expect(runMarkers(ok)).toEqual([]);
    runner.answer = () => ({ status: 'error', error: { kind: 'runtime', message: 'boom\n  at main', line: 4, column: 2 } });
    const failed = await runner.run({ runId: 'b', code: '', seed: 1 });
    expect(runSummary(failed).message).toBe('Error on line 4: boom');
    expect(runMarkers(failed)).toEqual([{ line: 4, column: 2, message: 'boom\n  at main', severity: 'error' }]);
  });

  it('say "Stopped" and why, for every way a run is stopped', async () => {
    const runner = new FakeRunner();
    const summary = async (answer: Partial<RunReport>) => {
      runner.answer = () => answer;
      return runSummary(await runner.run({ runId: 'x', code: '', seed: 1 })).message;
    };
    expect(await summary({ status: 'stopped', events: [], error: { kind: 'stopped', message: 'You stopped the run. The code was busy…' } })).toBe('Stopped by you: the code was busy and never paused');
    expect(await summary({ status: 'stopped', error: { kind: 'stopped', message: 'You stopped the run at virtual time 5 ms…' } })).toBe('Stopped by you');
    expect(await summary({ status: 'stopped', events: [], error: { kind: 'memory', message: 'You stopped the run. Its sandbox had already crashed…' } })).toMatch(/^Stopped by you: .*out of memory/);
    expect(await summary({ status: 'timeout', events: [], error: { kind: 'infinite-loop', message: 'Your code kept running…' } })).toBe('Stopped: the code never paused (an endless loop?)');
    expect(await summary({ status: 'timeout', error: { kind: 'timeout', message: 'The simulation was still busy…' } })).toBe('Stopped: out of time');
    expect(await summary({ status: 'budget', error: { kind: 'budget', message: 'The run used its budget…' } })).toMatch(/^Stopped: /);
  });
});

describe('runErrorText', () => {
  it('names each kind of error in plain words, never by its raw label, and says what to do', () => {
    const texts = {
      syntax: runErrorText({ kind: 'syntax', message: 'SyntaxError: Unexpected token', line: 2, column: 19 }),
      import: runErrorText({ kind: 'import', message: "Cannot import 'axios': a playground program can only import from 'playground'. Remove this import.", line: 1 }),
      loop: runErrorText({ kind: 'infinite-loop', message: 'Your code kept running for over 2,000 ms without ever pausing.' }),
      memory: runErrorText({ kind: 'memory', message: 'RangeError: Invalid array length', line: 3 }),
      unhandled: runErrorText({ kind: 'unhandled', message: 'Unhandled promise rejection: Error: nobody listens' }),
    };
    expect(texts.syntax).toBe('Syntax error: Unexpected token (line 2:19). Fix the marked spot and run again.');
    expect(texts.import).toMatch(/^Import not allowed: Cannot import 'axios'/);
    expect(texts.loop).toMatch(/^The code never paused: Your code kept running/);
    expect(texts.memory).toMatch(/^Out of memory: RangeError: Invalid array length — your code asked for more memory than there is/);
    expect(texts.unhandled).toBe('A promise was rejected and nothing handled it: Error: nobody listens. Await that promise inside a try/catch, or add a .catch() to it.');
    for (const text of Object.values(texts)) expect(text).not.toMatch(/^(syntax|import|infinite-loop|memory|unhandled):|SyntaxError: SyntaxError|Syntax error: SyntaxError/);
  });
});

describe('checksNotRun', () => {
  it('judges only runs that ended by themselves and did something', async () => {
    const runner = new FakeRunner();
    const reason = async (answer: Partial<RunReport>) => {
      runner.answer = () => answer;
      return checksNotRun(await runner.run({ runId: 'x', code: '', seed: 1 }));
    };
    expect(await reason({})).toBeUndefined();
    expect(await reason({ status: 'budget' })).toBeUndefined();
    expect(await reason({ status: 'error', error: { kind: 'unfinished', message: 'main() never finished' } })).toBeUndefined();
    expect(await reason({ status: 'stopped' })).toMatch(/stopped before it finished/);
    expect(await reason({ status: 'timeout', events: [] })).toMatch(/out of time/);
    expect(await reason({ status: 'error', events: [], error: { kind: 'syntax', message: 'x' } })).toMatch(/did not get to do anything/);
  });
});
