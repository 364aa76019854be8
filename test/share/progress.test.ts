import { describe, expect, it } from 'vitest';
import {
  exportProgress,
  importProgress,
  loadAllProgress,
  loadProgress,
  mergeProgress,
  recordCheckResults,
  resetProgress,
} from '../../src/share/index.js';
import { FakeStorage } from './fake-storage.js';

const pass = (checkId: string) => ({ checkId, passed: true });
const fail = (checkId: string) => ({ checkId, passed: false });

describe('progress', () => {
  it('keeps each check’s latest outcome and the first solve', () => {
    const storage = new FakeStorage();
    recordCheckResults(storage, 'retry', [pass('jitter'), fail('max-attempts')], { now: 100, solved: false });
    recordCheckResults(storage, 'retry', [pass('jitter'), pass('max-attempts')], { now: 200, solved: true });
    const r = recordCheckResults(storage, 'retry', [fail('jitter')], { now: 300, solved: false });
    expect(r).toEqual({
      ok: true,
      progress: {
        exampleId: 'retry',
        checks: { jitter: { status: 'failed', at: 300 }, 'max-attempts': { status: 'passed', at: 200 } },
        solvedAt: 200,
      },
    });
    expect(loadProgress(storage.reload(), 'retry')).toEqual({ ok: true, progress: r.ok && r.progress });
  });

  it('lists all examples and skips (sets aside) unreadable ones', () => {
    const storage = new FakeStorage({ 'spp.progress.saga': '{"v":1,"exampleId":"saga","checks":[]}' });
    recordCheckResults(storage, 'retry', [pass('a')], { now: 1, solved: true });
    const all = loadAllProgress(storage);
    expect(all.progress.map((p) => p.exampleId)).toEqual(['retry']);
    expect(all.problems).toMatchObject([{ kind: 'corrupt', reason: 'wrong-shape', setAsideKey: 'spp.corrupt.spp.progress.saga.1' }]);
  });

  it('reports a full storage instead of throwing, and keeps what was there', () => {
    const storage = new FakeStorage();
    recordCheckResults(storage, 'retry', [pass('a')], { now: 1, solved: true });
    const before = storage.items.get('spp.progress.retry');
    storage.failWrites = 'quota';
    expect(recordCheckResults(storage, 'retry', [fail('a')], { now: 2, solved: false })).toMatchObject({
      ok: false,
      problem: { kind: 'quota-exceeded' },
    });
    expect(storage.items.get('spp.progress.retry')).toBe(before);
  });

  it('starts afresh over corrupt progress after setting it aside', () => {
    const storage = new FakeStorage({ 'spp.progress.retry': 'not json' });
    const r = recordCheckResults(storage, 'retry', [pass('a')], { now: 5, solved: true });
    expect(r).toMatchObject({ ok: true, progress: { solvedAt: 5 }, setAside: { kind: 'corrupt', reason: 'bad-json' } });
    expect(storage.items.get('spp.corrupt.spp.progress.retry.1')).toBe('not json');
  });

  it('reset forgets one example', () => {
    const storage = new FakeStorage();
    recordCheckResults(storage, 'retry', [pass('a')], { now: 1, solved: true });
    expect(resetProgress(storage, 'retry')).toEqual({ ok: true });
    expect(loadProgress(storage, 'retry')).toEqual({ ok: true, progress: undefined });
  });

  it('merge: later outcome wins, earliest solve is kept, inputs untouched', () => {
    const a = { exampleId: 'retry', checks: { x: { status: 'passed' as const, at: 5 }, y: { status: 'failed' as const, at: 9 } }, solvedAt: 5 };
    const b = { exampleId: 'retry', checks: { x: { status: 'failed' as const, at: 7 }, y: { status: 'passed' as const, at: 9 } }, solvedAt: 8 };
    expect(mergeProgress(a, b)).toEqual({
      exampleId: 'retry',
      checks: { x: { status: 'failed', at: 7 }, y: { status: 'failed', at: 9 } },
      solvedAt: 5,
    });
    expect(a.checks.x).toEqual({ status: 'passed', at: 5 });
  });
});

describe('progress files', () => {
  const FILE = `{
  "format": "service-patterns-playground/progress",
  "version": 1,
  "exportedAt": 1000,
  "examples": {
    "retry": {
      "checks": {
        "jitter": {
          "status": "passed",
          "at": 200
        }
      },
      "solvedAt": 200
    },
    "saga": {
      "checks": {
        "compensates": {
          "status": "failed",
          "at": 150
        }
      }
    }
  }
}
`;

  it('exports a stable, documented JSON text', () => {
    const storage = new FakeStorage();
    recordCheckResults(storage, 'saga', [fail('compensates')], { now: 150, solved: false });
    recordCheckResults(storage, 'retry', [pass('jitter')], { now: 200, solved: true });
    expect(exportProgress(storage, { now: 1000 })).toEqual({ ok: true, text: FILE, exampleCount: 2, problems: [] });
  });

  it('round trips into an empty storage', () => {
    const target = new FakeStorage();
    const r = importProgress(target, FILE);
    expect(r).toEqual({
      ok: true,
      imported: ['retry', 'saga'],
      unchanged: [],
      rejected: [],
      notSaved: [],
      problems: [],
      message: 'Imported progress for 2 examples.',
    });
    expect(exportProgress(target, { now: 1000 })).toMatchObject({ ok: true, text: FILE });
    // Importing the same file again changes nothing.
    expect(importProgress(target, FILE)).toMatchObject({ imported: [], unchanged: ['retry', 'saga'] });
  });

  it('merges into existing progress without losing newer results', () => {
    const storage = new FakeStorage();
    recordCheckResults(storage, 'retry', [fail('jitter'), pass('cap')], { now: 500, solved: false });
    expect(importProgress(storage, FILE)).toMatchObject({ ok: true, imported: ['retry', 'saga'] });
    expect(loadProgress(storage, 'retry')).toEqual({
      ok: true,
      progress: {
        exampleId: 'retry',
        checks: { cap: { status: 'passed', at: 500 }, jitter: { status: 'failed', at: 500 } },
        solvedAt: 200,
      },
    });
  });

  it.each([
    ['not JSON', 'progress: lots', 'not-json'],
    ['empty file', '', 'not-json'],
    ['another JSON file', '{"name":"package","version":"1.0.0"}', 'not-progress-file'],
    ['a JSON array', '[1,2,3]', 'not-progress-file'],
    ['a newer format', '{"format":"service-patterns-playground/progress","version":2,"examples":{}}', 'unknown-version'],
    ['no examples', '{"format":"service-patterns-playground/progress","version":1}', 'not-progress-file'],
    ['examples as a list', '{"format":"service-patterns-playground/progress","version":1,"examples":[]}', 'not-progress-file'],
    ['a huge file', `{"format":"service-patterns-playground/progress","version":1,"examples":{},"pad":"${'x'.repeat(1_100_000)}"}`, 'too-large'],
  ])('refuses %s and changes nothing', (_name, text, kind) => {
    const storage = new FakeStorage();
    recordCheckResults(storage, 'retry', [pass('jitter')], { now: 1, solved: true });
    const before = new Map(storage.items);
    const r = importProgress(storage, text);
    expect(r).toMatchObject({ ok: false, error: { kind } });
    expect(!r.ok && r.error.message).toMatch(/Your saved progress was not changed\.$/);
    expect(storage.items).toEqual(before);
  });

  it('imports the valid entries, rejects the bad ones, and leaves those examples untouched', () => {
    const storage = new FakeStorage();
    recordCheckResults(storage, 'saga', [pass('compensates')], { now: 10, solved: true });
    const sagaBefore = storage.items.get('spp.progress.saga');
    const text = JSON.stringify({
      format: 'service-patterns-playground/progress',
      version: 1,
      examples: {
        retry: { checks: { jitter: { status: 'passed', at: 3 } } },
        saga: { checks: { compensates: { status: 'maybe', at: 99 } } },
        breaker: { checks: { opens: { status: 'passed', at: -1 } } },
        outbox: { checks: { 'ok': { status: 'passed', at: 1 } }, solvedAt: 'yesterday' },
        bulkhead: 'done',
        '../evil': { checks: {} },
        removed: { checks: {} },
      },
    });
    const r = importProgress(storage, text, { isKnownExample: (id) => id !== 'removed' });
    expect(r).toEqual({
      ok: true,
      imported: ['retry'],
      unchanged: [],
      rejected: [
        { exampleId: '../evil', reason: 'not a valid example id' },
        { exampleId: 'breaker', reason: 'check "opens" needs a status "passed" or "failed" and a time' },
        { exampleId: 'bulkhead', reason: 'the entry is not an object' },
        { exampleId: 'outbox', reason: '"solvedAt" is not a time' },
        { exampleId: 'removed', reason: 'no such example in this version of the playground' },
        { exampleId: 'saga', reason: 'check "compensates" needs a status "passed" or "failed" and a time' },
      ],
      notSaved: [],
      problems: [],
      message: expect.stringMatching(/^Imported progress for 1 example\. 6 entries were skipped: "\.\.\/evil" \(not a valid example id\), /) as unknown as string,
    });
    expect(storage.items.get('spp.progress.saga')).toBe(sagaBefore);
    expect(storage.items.has('spp.progress.breaker')).toBe(false);
  });

  it('sets aside corrupt existing progress before importing over it', () => {
    const storage = new FakeStorage({ 'spp.progress.retry': '{"v":1' });
    const r = importProgress(storage, FILE);
    expect(r).toMatchObject({ ok: true, imported: ['retry', 'saga'], problems: [{ kind: 'corrupt', setAsideKey: 'spp.corrupt.spp.progress.retry.1' }] });
    expect(storage.items.get('spp.corrupt.spp.progress.retry.1')).toBe('{"v":1');
  });

  it('reports a full storage per example and keeps existing progress intact', () => {
    const storage = new FakeStorage();
    recordCheckResults(storage, 'retry', [pass('cap')], { now: 1, solved: false });
    const before = storage.items.get('spp.progress.retry');
    storage.failWrites = 'quota';
    const r = importProgress(storage, FILE);
    expect(r).toMatchObject({
      ok: true,
      imported: [],
      notSaved: [
        { exampleId: 'retry', problem: { kind: 'quota-exceeded' } },
        { exampleId: 'saga', problem: { kind: 'quota-exceeded' } },
      ],
    });
    expect(r.ok && r.message).toBe('Imported progress for 0 examples. 2 examples could not be saved: "retry", "saga".');
    expect(storage.items.get('spp.progress.retry')).toBe(before);
  });

  it('export reports disabled storage', () => {
    const storage = new FakeStorage();
    storage.failReads = true;
    expect(exportProgress(storage)).toMatchObject({ ok: false, problem: { kind: 'unavailable' } });
  });
});
