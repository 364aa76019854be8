import { beforeAll, describe, expect, it } from 'vitest';
import { catalog, loadAllExamples, type Example } from '../../../examples/index.js';
import * as playground from '../../../src/playground/index.js';
import { PATTERN_ENTRIES } from '../../../src/ui/patterns/content/index.js';
import { parseRoute } from '../../../src/ui/patterns/page-route.js';
import { PATTERN_INDEX, patternsOfExample } from '../../../src/ui/patterns/pattern-index.js';
import { ENTRY_SECTIONS, PATTERN_IDS, type LibraryId, type PatternEntry } from '../../../src/ui/patterns/pattern-types.js';

/** Where each library's own documentation lives: a link anywhere else is not the library's word. */
const OFFICIAL: Record<LibraryId, readonly string[]> = {
  resilience4j: ['resilience4j.readme.io/', 'github.com/resilience4j/'],
  polly: ['www.pollydocs.org/', 'pollydocs.org/', 'github.com/App-vNext/Polly'],
  cockatiel: ['github.com/connor4312/cockatiel'],
  opossum: ['nodeshift.dev/opossum/', 'github.com/nodeshift/opossum'],
  amqplib: ['amqp-node.github.io/amqplib/', 'github.com/amqp-node/amqplib'],
  rabbitmq: ['www.rabbitmq.com/'],
  eventstoredb: ['docs.kurrent.io/', 'developers.eventstore.com/', 'github.com/EventStore/', 'github.com/kurrent-io/'],
  jose: ['github.com/panva/jose'],
  'aws-sdk': ['docs.aws.amazon.com/sdkref/'],
};

/** The wrong answers the exercises are proven to reject (examples/cheats.test.ts), by `<example>/<exercise>/<cheat>`. */
const CHEATS = new Set(Object.keys(import.meta.glob('../../../examples/*/cheats/*/*.ts')).map((path) => path.split('/').slice(-4).join('/').replace(/\.ts$/, '').replace('/cheats/', '/')));

/**
 * Methods the playground sections call on what a factory returned, with the
 * exported class that must have them: anything else written as a call must
 * be an export of `playground` itself.
 */
const METHODS: Record<string, { name: string; prototype: object }> = { execute: playground.Bulkhead, append: playground.EventStore, readAll: playground.EventStore, subscribe: playground.EventStore };
/** Event names a playground section mentions: domain words, not API. */
const EVENT_NAMES = new Set(['OrderCreated']);

/** Each section of an entry, and what "present" means for it. */
const SECTION_PRESENT: Record<(typeof ENTRY_SECTIONS)[number][0], (e: PatternEntry) => boolean> = {
  problem: (e) => e.problem.trim().length > 80,
  how: (e) => e.how.trim().length > 80,
  use: (e) => e.useWhen.length > 0 && e.avoidWhen.length > 0 && [...e.useWhen, ...e.avoidWhen].every((t) => t.trim() !== ''),
  parameters: (e) => e.parameters.length > 0 && e.parameters.every((p) => p.name.trim() && p.start.trim() && p.tradeOff.trim()),
  mistakes: (e) => e.mistakes.length > 0 && e.mistakes.every((m) => m.text.trim().length > 20),
  libraries: (e) => e.libraries.length > 0 && e.libraries.every((l) => l.spelling.trim().length > 10),
  playground: (e) => e.playground.trim().length > 40,
};

let examples: Map<string, Example>;
beforeAll(async () => {
  examples = new Map((await loadAllExamples()).map((e) => [e.id, e]));
});

describe('pattern reference content', () => {
  it('has one entry for every pattern of the module, in the order of the index', () => {
    expect(PATTERN_IDS).toHaveLength(16);
    expect(PATTERN_ENTRIES.map((e) => e.id)).toEqual([...PATTERN_IDS]);
    expect(PATTERN_INDEX.map((e) => e.id)).toEqual([...PATTERN_IDS]);
    for (const entry of PATTERN_ENTRIES) expect(entry.title).toBe(PATTERN_INDEX.find((i) => i.id === entry.id)!.title);
  });

  it.each(PATTERN_ENTRIES.map((e) => [e.id, e] as const))('%s has every section', (_id, entry) => {
    for (const [section] of ENTRY_SECTIONS) expect(SECTION_PRESENT[section](entry), `${entry.id}: section "${section}"`).toBe(true);
    expect(entry.summary.trim()).not.toBe('');
  });

  it('links every mistake to an existing example and one of its exercises', () => {
    for (const entry of PATTERN_ENTRIES) {
      for (const m of entry.mistakes) {
        const example = examples.get(m.example);
        expect(example, `${entry.id}: example "${m.example}"`).toBeDefined();
        expect(
          example!.exercises.map((x) => x.id),
          `${entry.id}: exercise "${m.exercise}" of ${m.example}`,
        ).toContain(m.exercise);
        if (m.cheat !== undefined) expect(CHEATS.has(`${m.example}/${m.exercise}/${m.cheat}`), `${entry.id}: cheat ${m.example}/cheats/${m.exercise}/${m.cheat}.ts`).toBe(true);
      }
    }
  });

  it('links the bulkhead’s mistakes to the cascading-failure exercise and the three wrong answers it rejects', () => {
    const bulkhead = PATTERN_ENTRIES.find((e) => e.id === 'bulkhead')!;
    expect(bulkhead.mistakes.map((m) => `${m.example}/${m.exercise}/${m.cheat}`)).toEqual([
      'cascading-failure/bulkheads/timeout-only',
      'cascading-failure/bulkheads/bulkhead-without-timeout',
      'cascading-failure/bulkheads/one-bulkhead-for-all',
    ]);
  });

  it('links every pattern from the lessons of existing examples that use it', () => {
    for (const entry of PATTERN_INDEX) {
      expect(entry.examples.length, `${entry.id}: no lesson links to it`).toBeGreaterThan(0);
      for (const id of entry.examples) {
        expect(examples.has(id), `${entry.id}: example "${id}"`).toBe(true);
        expect(patternsOfExample(id).map((p) => p.id)).toContain(entry.id);
      }
    }
  });

  it('links the lesson of every example in the catalog to at least one pattern', () => {
    expect(catalog.length).toBe(examples.size);
    const without = catalog.filter((m) => patternsOfExample(m.id).length === 0).map((m) => m.id);
    expect(without, 'examples whose lessons link to no pattern (add them to PATTERN_INDEX)').toEqual([]);
  });

  it('names, in “In this playground”, only what the playground module exports', () => {
    for (const entry of PATTERN_ENTRIES) {
      for (const [, span] of entry.playground.matchAll(/`([^`]+)`/g)) {
        const called = /^(?:new )?([A-Za-z_$][\w$]*)\(/.exec(span!)?.[1];
        const named = /^[A-Z][a-z]+(?:[A-Z][a-z]*)+$/.test(span!) ? span : undefined; // PascalCase: a class or an error
        const name = called ?? named;
        if (name === undefined || EVENT_NAMES.has(name)) continue;
        const method = METHODS[name];
        if (method !== undefined && !(name in playground)) {
          expect(method.prototype, `${entry.id}: \`${span}\` as a method of ${method.name}`).toHaveProperty(name);
        } else {
          expect(name in playground, `${entry.id}: \`${span}\` is not exported by playground`).toBe(true);
        }
      }
    }
  });

  it('links related patterns and in-text links to entries and examples that exist', () => {
    const ids = new Set<string>(PATTERN_IDS);
    for (const entry of PATTERN_ENTRIES) {
      for (const r of entry.related) {
        expect(ids.has(r), `${entry.id}: related "${r}"`).toBe(true);
        expect(r).not.toBe(entry.id);
      }
      for (const text of [entry.problem, entry.how, entry.playground]) {
        for (const [, href] of text.matchAll(/\]\(([^)]*)\)/g)) {
          const route = parseRoute(href!);
          if (route.kind === 'patterns') expect(ids.has(route.anchor ?? ''), `${entry.id}: link ${href}`).toBe(true);
          else if (route.kind === 'example') expect(examples.has(route.exampleId), `${entry.id}: link ${href}`).toBe(true);
          else throw new Error(`${entry.id}: link ${href} leads nowhere in the page`);
        }
      }
    }
  });

  it('links every library spelling to the library’s own documentation over https', () => {
    for (const entry of PATTERN_ENTRIES) {
      for (const lib of entry.libraries) {
        const url = new URL(lib.docs);
        expect(url.protocol, `${entry.id}: ${lib.docs}`).toBe('https:');
        const where = `${url.host}${url.pathname}`;
        expect(
          OFFICIAL[lib.library].some((prefix) => where.startsWith(prefix)),
          `${entry.id}: ${lib.library} documented at ${lib.docs}`,
        ).toBe(true);
      }
    }
  });

  it('spells the patterns in every library the module names', () => {
    const used = new Set(PATTERN_ENTRIES.flatMap((e) => e.libraries.map((l) => l.library)));
    for (const lib of ['resilience4j', 'polly', 'cockatiel', 'opossum', 'amqplib', 'eventstoredb'] as const) expect(used).toContain(lib);
  });

  it('keeps the defaults it quotes from the libraries’ documentation', () => {
    const spelling = (id: string, lib: LibraryId) => PATTERN_ENTRIES.find((e) => e.id === id)!.libraries.find((l) => l.library === lib)!.spelling;
    // resilience4j CircuitBreakerConfig, Polly CircuitBreakerStrategyOptions, opossum's constructor.
    expect(spelling('circuit-breaker', 'resilience4j')).toMatch(/`failureRateThreshold` 50.*`slidingWindowSize` 100.*`waitDurationInOpenState` 60 s.*`permittedNumberOfCallsInHalfOpenState` 10/);
    expect(spelling('circuit-breaker', 'polly')).toMatch(/`FailureRatio` 0\.1.*`SamplingDuration` 30 s.*`MinimumThroughput` 100.*`BreakDuration` 5 s/);
    expect(spelling('circuit-breaker', 'opossum')).toMatch(/`errorThresholdPercentage` 50.*`resetTimeout` 30 000 ms.*`timeout` 10 000 ms/);
    expect(spelling('retry-backoff-jitter', 'polly')).toMatch(/`MaxRetryAttempts` 3.*`Delay` 2 s.*`Constant`.*`UseJitter` false/);
    expect(spelling('retry-backoff-jitter', 'resilience4j')).toMatch(/`maxAttempts` 3.*`waitDuration` 500 ms/);
    expect(spelling('timeout', 'polly')).toMatch(/30 s/);
    expect(spelling('bulkhead', 'resilience4j')).toMatch(/25 and 0 ms/);
    // resilience4j ThreadPoolBulkheadConfig; Polly RateLimiterStrategyOptions.DefaultRateLimiterOptions; the AWS SDKs' standard retry mode.
    expect(spelling('bulkhead', 'resilience4j')).toMatch(/`maxThreadPoolSize` = available processors.*`coreThreadPoolSize` = processors − 1.*`queueCapacity` 100.*`keepAliveDuration` 20 ms/);
    expect(spelling('bulkhead', 'polly')).toMatch(/`AddConcurrencyLimiter\(permitLimit, queueLimit = 0\)`.*1000 permits and no queue/);
    expect(spelling('retry-backoff-jitter', 'aws-sdk')).toMatch(/3 attempts in all.*retry quota.*token bucket/);
  });

  it('describes the retry budget as the playground exports and implements it', () => {
    const retry = PATTERN_ENTRIES.find((e) => e.id === 'retry-backoff-jitter')!.playground;
    expect(typeof playground.retryBudget).toBe('function');
    expect(typeof playground.RetryBudget).toBe('function');
    expect(retry).toContain('`retryBudget({ capacity, refillPerSecond, depositPerSuccess, initialTokens })`');
    expect(retry).not.toMatch(/not exported|patterns layer/);
    // The defaults the text gives: starts full, no deposit per success, one whole token per retry.
    let now = 0;
    const budget = new playground.RetryBudget({ clock: { now: () => now, after: () => ({ cancel() {} }) } as never, capacity: 2, refillPerSecond: 1 });
    expect(retry).toMatch(/starts full/);
    expect(budget.tokens).toBe(2);
    expect(retry).toMatch(/`depositPerSuccess` \(default 0\)/);
    budget.recordSuccess();
    expect(budget.tokens).toBe(2);
    expect(retry).toMatch(/one whole token/);
    expect([budget.tryWithdraw(), budget.tryWithdraw(), budget.tryWithdraw()]).toEqual([true, true, false]);
    now = 500;
    expect(budget.tryWithdraw()).toBe(false);
    now = 1000;
    expect(budget.tryWithdraw()).toBe(true);
    expect(budget.refused).toBe(2);
  });
});
