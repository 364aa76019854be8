import { describe, expect, it } from 'vitest';
import { KeyboardShortcuts } from '../../../src/ui/app/keyboard-shortcuts.js';
import { runMarkers, runSummary } from '../../../src/ui/app/run-display.js';
import { VIEW_TABS, tabAfterKey } from '../../../src/ui/app/view-tabs.js';
import { FakeRunner } from '../fake-app-deps.js';
import { FakeHost } from './fake-host.js';

/** A keydown as the window dispatches it (Node has no KeyboardEvent). */
function key(target: EventTarget, init: { key: string; ctrlKey?: boolean; metaKey?: boolean; handled?: boolean }): boolean {
  const e = Object.assign(new Event('keydown', { cancelable: true }), { key: init.key, ctrlKey: !!init.ctrlKey, metaKey: !!init.metaKey });
  if (init.handled) e.preventDefault();
  target.dispatchEvent(e);
  return e.defaultPrevented;
}

describe('KeyboardShortcuts', () => {
  it('runs, shares and stops from the keyboard while the page is connected', () => {
    const host = new FakeHost();
    const target = new EventTarget();
    const calls: string[] = [];
    let running = false;
    new KeyboardShortcuts(host, target, { run: () => calls.push('run'), share: () => calls.push('share'), stop: () => calls.push('stop'), running: () => running });
    key(target, { key: 'Enter', ctrlKey: true });
    host.connect();
    expect(key(target, { key: 'Enter', ctrlKey: true })).toBe(true);
    expect(key(target, { key: 'S', metaKey: true })).toBe(true);
    key(target, { key: 'Escape' });
    running = true;
    key(target, { key: 'Escape' });
    key(target, { key: 'Enter', ctrlKey: true, handled: true }); // the editor ran it already
    key(target, { key: 'Enter' });
    host.disconnect();
    key(target, { key: 'Enter', ctrlKey: true });
    expect(calls).toEqual(['run', 'share', 'stop']);
  });
});

describe('tabAfterKey', () => {
  it('moves with the arrow keys and wraps around', () => {
    expect(tabAfterKey('sequence', 'ArrowRight')).toBe('map');
    expect(tabAfterKey('sequence', 'ArrowLeft')).toBe('faults');
    expect(tabAfterKey('faults', 'ArrowRight')).toBe('sequence');
    expect(tabAfterKey('map', 'Enter')).toBeUndefined();
    expect([tabAfterKey('map', 'Home'), tabAfterKey('map', 'End')]).toEqual(['sequence', 'faults']);
    expect(VIEW_TABS.map(([, label]) => label)).toEqual(['Sequence', 'Map', 'Breakers', 'Sagas', 'Logs', 'Metrics', 'Result', 'Checks', 'Faults']);
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
    expect(runSummary(failed).message).toBe('error: boom');
    expect(runMarkers(failed)).toEqual([{ line: 4, column: 2, message: 'boom\n  at main', severity: 'error' }]);
    runner.answer = () => ({ status: 'timeout' });
    expect(runSummary(await runner.run({ runId: 'c', code: '', seed: 1 })).message).toBe('timeout');
  });
});
