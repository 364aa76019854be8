import { patternIndexEntry } from '../pattern-index.js';
import type { PatternEntry } from '../pattern-types.js';
import { DOCS } from './docs-links.js';

/** Resilience policies: breaker, retry, fallback, bulkhead (the timeout is with the calls). */
export const RESILIENCE_PATTERNS: readonly PatternEntry[] = [
  {
    ...patternIndexEntry('circuit-breaker'),
    aliases: ['breaker', 'fail fast', 'half-open', 'open circuit', 'trip', 'sliding window', 'failure rate'],
    summary: 'Stop calling a dependency that keeps failing, give it time to recover, then test it with a few trial calls.',
    problem: `When a dependency is down, every call to it still costs a timeout's worth of waiting, holds a connection, and adds load to a service that is trying to recover. Callers slow down, their callers time out, and the failure cascades.

A breaker notices the failures and **fails fast** instead: calls are refused at once (and can get a fallback) until the dependency has had time to come back.`,
    how: `**Closed**: calls go through and their outcomes go into a window (the last *n* calls, the last *t* seconds, or a count of failures in a row). When the failures cross the threshold, the breaker **opens**: calls are refused immediately. After the break duration it goes **half-open** and lets a few trial calls through: if they succeed it closes (and forgets the old window), if one fails it opens again.

Count only failures that say something about the callee's health: 5xx, timeouts, refused connections, not a 400 caused by the caller.`,
    useWhen: [
      'Calls to a remote dependency that can be down for seconds or minutes.',
      'Together with a fallback, so that an open breaker still gives the user an answer.',
      'Inside a retry, so that the retry stops as soon as the breaker opens.',
    ],
    avoidWhen: [
      'Errors caused by the request itself (validation, 404): they do not mean the callee is sick.',
      'Very low traffic: the window never fills, or a single failure is enough to open it.',
      'Local, in-process calls that cannot be "down".',
    ],
    parameters: [
      {
        name: 'Failure threshold',
        start: '5 failures in a row, or a failure rate of 50 % over the window.',
        tradeOff: 'Lower opens sooner (less load on a sick callee) but also on normal noise; higher tolerates noise but keeps hammering a dead callee for longer.',
      },
      {
        name: 'Window (calls or time) and minimum number of calls',
        start: 'The last 20–100 calls or 10–30 s, with at least 10 calls before judging.',
        tradeOff: 'A short window reacts fast and forgets fast; a long one is stable but slow to notice and slow to forget. Without a minimum, one failure out of one call is 100 %.',
      },
      {
        name: 'Break duration (open → half-open)',
        start: '5–30 s; let it grow with each reopening in a row.',
        tradeOff: 'Short tests a still-broken callee often; long keeps refusing a callee that has already recovered.',
      },
      {
        name: 'Trial calls in half-open',
        start: '1 (up to 3 for high traffic).',
        tradeOff: 'More trials judge recovery better; each one is a call to a callee that may still be down.',
      },
      {
        name: 'What counts as a failure (and what is slow)',
        start: '5xx, timeouts, connection errors; optionally calls slower than the timeout you would accept.',
        tradeOff: 'Counting 4xx opens the breaker on bad requests; ignoring slow calls lets a callee that is merely slow keep everyone waiting.',
      },
    ],
    mistakes: [
      {
        text: 'Counting every failure since start-up: with a normal error rate of one in five, the breaker opens on a healthy day. Forget old failures (a success resets the count, or use a window).',
        example: 'circuit-breaker',
        exercise: 'forget-failures',
      },
      {
        text: 'Letting every caller through in half-open: the first of them to fail shuts the breaker, even while the trial succeeds. Let exactly one (or a few) trials through.',
        example: 'circuit-breaker',
        exercise: 'one-trial',
      },
      {
        text: 'Hand-writing the state machine: calls that finish after the state changed, and slow trials, are easy to get wrong. Use a tested breaker and pass its signal on.',
        example: 'circuit-breaker',
        exercise: 'library',
      },
    ],
    libraries: [
      {
        library: 'resilience4j',
        spelling: '`CircuitBreakerConfig.custom()`: `failureRateThreshold` 50 (%), `slidingWindowType` `COUNT_BASED`, `slidingWindowSize` 100, `minimumNumberOfCalls` 100, `waitDurationInOpenState` 60 s, `permittedNumberOfCallsInHalfOpenState` 10, `slowCallDurationThreshold` 60 s, `slowCallRateThreshold` 100 (%). Every exception counts as a failure unless configured; refusals throw `CallNotPermittedException`.',
        docs: DOCS.r4jBreaker,
      },
      {
        library: 'polly',
        spelling: '`AddCircuitBreaker(new CircuitBreakerStrategyOptions { … })`: `FailureRatio` 0.1, `SamplingDuration` 30 s, `MinimumThroughput` 100, `BreakDuration` 5 s; handles every exception except `OperationCanceledException`; refusals throw `BrokenCircuitException`.',
        docs: DOCS.pollyBreaker,
      },
      {
        library: 'cockatiel',
        spelling: '`circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) })`, or `new SamplingBreaker({ threshold: 0.2, duration: 30_000 })` / `new CountBreaker({ threshold: 0.2, size: 100 })`; no defaults for either option; refusals throw `BrokenCircuitError`.',
        docs: DOCS.cockatielBreaker,
      },
      {
        library: 'opossum',
        spelling: '`new CircuitBreaker(fn, options)` and `breaker.fire(…)`: `errorThresholdPercentage` 50, `resetTimeout` 30 000 ms, `rollingCountTimeout` 10 000 ms in `rollingCountBuckets` 10, `volumeThreshold` 0, `timeout` 10 000 ms; one trial call in half-open; `errorFilter` keeps errors (say a 404) out of the count.',
        docs: DOCS.opossum,
      },
    ],
    playground: `\`circuitBreaker({ name, policy, breakDuration, halfOpen })\` with \`policy\` one of \`{ kind: 'consecutive', failureThreshold }\`, \`{ kind: 'count', windowSize, failureRateThreshold, minimumCalls, slowCallDurationMs }\` or \`{ kind: 'time', windowMs, bucketCount, … }\`. Where it differs from the libraries: there is **no default policy** (you choose one); rates are ratios (\`0.5\`, where resilience4j and opossum take percentages); \`breakDuration\` defaults to 30 s (resilience4j 60 s, Polly 5 s, opossum 30 s) and may be a backoff; half-open lets **1** trial through by default (resilience4j 10); only 5xx, timeouts and connection errors count as failures (resilience4j and Polly count every exception), and caller aborts and local refusals are ignored. The Breakers view shows every state change with the window that caused it.`,
    related: ['retry-backoff-jitter', 'fallback', 'timeout', 'bulkhead'],
  },
  {
    ...patternIndexEntry('retry-backoff-jitter'),
    aliases: ['retry', 'exponential backoff', 'jitter', 'full jitter', 'decorrelated jitter', 'thundering herd', 'retry storm', 'retry budget', 'retry quota', 'token bucket', 'amplification', 'Retry-After'],
    summary: 'Try a failed call again, but only for failures that may pass, a few times, with growing and randomised pauses, and within a budget shared by every call.',
    problem: `Many failures are transient: a dropped connection, a restart, a moment of overload. Giving up at once turns a blip into an error for the user. But naive retries make things worse: clients that failed together retry together (a **thundering herd**), and retrying a request that can never succeed only delays the bad news.

Worst of all is the **retry storm**. When a service is overloaded, every failed call comes back as two, three or five calls: the service gets more work exactly when it can do the least, more calls time out, more retries follow. The number to watch is the **amplification**, calls that reach the service divided by the requests behind them. [Retry storm under load](#/examples/retry-storm) shows a two-second slowdown that retries turn into an outage lasting until the traffic stops.`,
    how: `On a failure the policy asks: is it worth another try (5xx, 408, 429, timeout, refused connection; not other 4xx)? Are attempts, time and budget left? If so it waits (an exponentially growing delay, \`initial × factor^(attempt−1)\`, capped, and **randomised** so that clients spread out) and tries again. A \`Retry-After\` header from the server overrides the computed wait. Full jitter waits a random time between 0 and the computed delay.

A cap on attempts limits what one request can cost, not what all of them cost together: if every request fails, every request still retries, and three attempts still mean up to ×3. A **retry budget** limits the retries of all callers together: a token bucket shared by every call to the service, one token per retry, refilled slowly. In good times it is full and the odd random failure is retried; in a storm it runs dry and the load stays close to ×1. An overall deadline caps the total time of one request, and a [breaker](#/patterns/circuit-breaker) inside the retry stops even the first attempts while the service is down.`,
    useWhen: [
      'Transient failures of idempotent operations (reads, or writes made safe with an idempotency key).',
      'Background work that can afford to wait.',
    ],
    avoidWhen: [
      'Errors that will not change on their own: 400, 401, 403, 404, 422.',
      'Non-idempotent writes without an idempotency key: a retry after a timeout may do the work twice.',
      'At every layer of a deep call chain: three layers that each try three times make 27 attempts of one failing call. Retry in one place, usually at the edge or next to the failing call.',
      'Without a shared budget when the likely failure is overload: then every retry is more of the cause.',
    ],
    parameters: [
      {
        name: 'Maximum attempts',
        start: '3 in all (one call and two retries) for interactive calls; more, with a deadline, for background work.',
        tradeOff: 'More attempts ride out longer blips; each one adds latency and, across many clients, load.',
      },
      {
        name: 'Initial delay, factor, cap',
        start: '100–200 ms, ×2, capped at 5–30 s.',
        tradeOff: 'Short delays recover fast from brief blips but hit a restarting service while it is still down; long ones are gentle and slow.',
      },
      {
        name: 'Jitter',
        start: 'Full jitter (a random time between 0 and the delay).',
        tradeOff: 'More randomness spreads the load best but makes a single wait less predictable; none synchronises every client.',
      },
      {
        name: 'Retry budget',
        start: 'Retries at most about a tenth of the calls: for 30 calls a second, a bucket of 5 tokens refilled at 3 a second (or a fraction of a token per success).',
        tradeOff: 'A tight budget stops storms but gives up sooner during long incidents; a loose one lets the amplification through. Share one per service: a budget per request starts full and limits nothing.',
      },
      {
        name: 'Overall deadline',
        start: "What the caller's caller will wait, minus a margin.",
        tradeOff: "It cuts retries short; without it, attempts × timeout can exceed everyone's patience. Retrying until a deadline, rather than a number of times, also rides out outages of unknown length.",
      },
    ],
    mistakes: [
      {
        text: 'Exponential backoff without jitter: every client waits exactly 1, 2, 4, 8 s, so all retries arrive together and are refused together.',
        example: 'retry-backoff',
        exercise: 'jitter',
      },
      {
        text: 'Retrying a 400 or a 404: five attempts over fifteen seconds, and the customer hears "try again later" about a request that can never succeed.',
        example: 'retry-backoff',
        exercise: 'no-retry-4xx',
      },
      {
        text: 'Counting attempts instead of time: four jittered retries can all be spent in the first few seconds of a restart that lasts nine. Retry until a deadline, and cap each wait so customers come back soon after the service does.',
        example: 'retry-backoff',
        exercise: 'longer-outage',
      },
      {
        text: 'Capping the retries per request and calling it done: during an overload every request still retries, so search-service still sees up to three calls per search and never catches up. Add a budget shared by all calls.',
        example: 'retry-storm',
        exercise: 'retry-budget',
        cheat: 'capped-retries-no-budget',
      },
      {
        text: 'A retry budget made anew for every request: each gets a full bucket of its own, nothing is shared, and the storm goes on. Make one budget for every call to the service.',
        example: 'retry-storm',
        exercise: 'retry-budget',
        cheat: 'budget-per-search',
      },
      {
        text: 'Retrying a payment that timed out without an idempotency key: the first attempt went through after all, and the card is charged twice.',
        example: 'idempotency',
        exercise: 'idempotency-key',
      },
      {
        text: 'Sending transient message failures straight to the dead-letter queue instead of retrying them a few times.',
        example: 'message-queue',
        exercise: 'retry-transient',
      },
    ],
    libraries: [
      {
        library: 'resilience4j',
        spelling: '`RetryConfig.custom()`: `maxAttempts` 3 (the first call included), `waitDuration` 500 ms, constant unless `intervalFunction(IntervalFunction.ofExponentialRandomBackoff(…))`; `retryExceptions` / `ignoreExceptions`; retries every exception by default.',
        docs: DOCS.r4jRetry,
      },
      {
        library: 'polly',
        spelling: '`AddRetry(new RetryStrategyOptions { … })`: `MaxRetryAttempts` 3 (retries **after** the first call), `Delay` 2 s, `BackoffType` `Constant`, `UseJitter` false, `MaxDelay` none; `Exponential` with `UseJitter = true` uses a decorrelated jitter curve.',
        docs: DOCS.pollyRetry,
      },
      {
        library: 'cockatiel',
        spelling: '`retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() })`; `maxAttempts` counts retries after the first call and defaults to unlimited, with no delay unless a backoff is given; `ExponentialBackoff` defaults: `initialDelay` 128 ms, `exponent` 2, `maxDelay` 30 s, decorrelated jitter.',
        docs: DOCS.cockatielRetry,
      },
      {
        library: 'aws-sdk',
        spelling: 'Retry mode `standard`: 3 attempts in all by default (`max_attempts`), exponential backoff with jitter, and a **retry quota**: a token bucket that each retry draws from and successful requests replenish; when it is empty the SDK returns the error without retrying. The costs and sizes depend on the SDK and its version.',
        docs: DOCS.awsRetry,
      },
      {
        library: 'rabbitmq',
        spelling: 'Messages: `nack` with requeue retries at once and can loop; a quorum queue\'s `delivery-limit` caps the returns, and a delay needs a TTL queue that dead-letters back.',
        docs: DOCS.rabbitQuorumPoison,
      },
    ],
    playground: `\`retryPolicy({ maxAttempts, backoff, retryOn, respectRetryAfter, deadlineMs, budget })\`. Defaults: \`maxAttempts\` 3 **including the first call** (as resilience4j and the AWS SDKs; Polly and cockatiel count retries only), backoff exponential from 100 ms, ×2, capped at 10 s, with **full jitter** (Polly and resilience4j use no jitter by default, cockatiel decorrelated), \`retryOn\` = \`isRetryable\` (no retry of 4xx other than 408 and 429, of an open breaker, a full bulkhead or a caller abort), \`Retry-After\` honoured. Careful: \`exponentialBackoff({ initialMs })\` built by hand has \`jitter: 'none'\` unless you say \`'full'\`, \`'equal'\` or \`'decorrelated'\`.

\`retryBudget({ capacity, refillPerSecond, depositPerSuccess, initialTokens })\` makes the shared budget (a \`RetryBudget\`) to pass as \`budget\` to every policy that calls the service: \`capacity\` and \`refillPerSecond\` are required; it starts full (\`initialTokens\` defaults to \`capacity\`); tokens flow back continuously in virtual time; \`depositPerSuccess\` (default 0) adds a fraction of a token for each call that succeeds through a policy using it, first attempts included, as the AWS quota does. A retry costs one whole token, taken only once the policy has decided to retry (so a 4xx or the last attempt costs nothing). Without a token the policy gives up at once with reason \`budget\` in \`retry.gaveUp\`, and the caller gets the last error. \`budget.tokens\` and \`budget.refused\` tell how it stands.`,
    related: ['circuit-breaker', 'timeout', 'idempotency-key', 'work-queue'],
  },
  {
    ...patternIndexEntry('fallback'),
    aliases: ['graceful degradation', 'default value', 'cached answer', 'stale data', 'degraded mode'],
    summary: 'When a dependency cannot answer now, answer with something useful instead (a cached or default value), and say so.',
    problem: `A product page that fails because the recommendations service is down throws away everything else it could show. A fallback keeps the page up with a stand-in: the last good answer, a default, or a reduced feature. It prevents a non-essential dependency from taking down an essential feature.

The opposite failure is the fallback that hides bugs: a catch-all turns a 400 from a broken front end into a friendly 200, and nobody ever finds out.`,
    how: `Wrap the call; on failures that mean *"cannot answer now"* (down, timed out, 5xx, 429, open breaker), return the substitute and mark the answer as degraded. Let every other error (4xx, programming errors) through. Keep the substitute fresh: remember the last good answer per key, with an age limit.`,
    useWhen: [
      'The dependency is not essential to the feature (recommendations, avatars, ratings).',
      'A stale or default answer is better than none, and the caller can be told.',
    ],
    avoidWhen: [
      'Money, stock, permissions: a guessed answer there is a wrong answer. Fail, or accept the request for later.',
      'To hide errors caused by the request itself.',
    ],
    parameters: [
      {
        name: 'Which failures fall back',
        start: 'Connection refused, timeouts, 5xx, 429, open breaker.',
        tradeOff: 'Broader hides more outages from users and also hides bugs; narrower surfaces bugs and shows more errors.',
      },
      {
        name: 'Freshness of cached answers',
        start: 'Minutes to hours, depending on how wrong a stale answer can be.',
        tradeOff: 'Longer keeps the fallback useful through long outages; shorter avoids showing very old data.',
      },
    ],
    mistakes: [
      {
        text: 'A catch-all fallback: the 400 for asking 50 suggestions (the limit is 20) becomes a 200 with bestsellers, and the front-end bug is never noticed.',
        example: 'graceful-failure',
        exercise: 'outages-only',
      },
      {
        text: 'A silent stand-in: the same bestsellers for every product, and nothing in the answer says they are one. Serve the last good answer and flag it as degraded.',
        example: 'graceful-failure',
        exercise: 'cached-fallback',
      },
    ],
    libraries: [
      { library: 'polly', spelling: '`new ResiliencePipelineBuilder<T>().AddFallback(new FallbackStrategyOptions<T> { ShouldHandle, FallbackAction, OnFallback })`; `FallbackAction` is required; `ShouldHandle` defaults to every exception except `OperationCanceledException`.', docs: DOCS.pollyFallback },
      { library: 'cockatiel', spelling: '`fallback(handleType(DatabaseError), () => getStaleData())`; only the errors the policy handles fall back.', docs: DOCS.cockatielFallback },
      { library: 'opossum', spelling: '`breaker.fallback((...args) => value)`: runs on any failure, timeouts and an open breaker included; listen to the `fallback` event to record it.', docs: DOCS.opossum },
    ],
    playground: `\`fallback({ when, whenResult, value })\`: \`when\` is **required**, so a fallback names the errors it is for (Polly and opossum fall back on every failure by default). \`value\` receives what failed. Put it outermost: \`wrap(fallback, retry, breaker, timeout)\`. The trace shows \`fallback.used\`.`,
    related: ['circuit-breaker', 'timeout'],
  },
  {
    ...patternIndexEntry('bulkhead'),
    aliases: ['concurrency limit', 'concurrency limiter', 'isolation', 'semaphore', 'thread pool isolation', 'ThreadPoolBulkhead', 'load shedding', 'cascading failure', "Little's law"],
    summary: 'Give each dependency its own limited share of concurrent calls, so one slow dependency cannot use up everything.',
    problem: `A service has a limited number of connections, threads or request handlers. If one dependency becomes slow, calls to it pile up and take all of them, and the service's other endpoints, which do not even use that dependency, fail too: a **cascading failure**. A slow dependency is worse than a dead one here: a dead one fails fast, a slow one holds on to its caller's resources.

A bulkhead (named after the watertight compartments of a ship) caps the concurrent calls per dependency: when the slow one's compartment is full, its calls are refused at once and the rest keep working. [Cascading failure and bulkheads](#/examples/cascading-failure) shows a catalog whose product pages fail because its recommendations are stuck.`,
    how: `Each dependency gets a limit of concurrent calls and, optionally, a small queue. A call takes a slot or waits in the queue; when both are full it is rejected immediately (and can get a fallback). Slots are released when calls finish.

The resources a dependency's calls hold at once are *arrival rate × time each call holds one* (Little's law). A [timeout](#/patterns/timeout) bounds the second factor and a bulkhead the total, whatever the rate: you need both. A timeout alone still lets a high rate take everything (40 calls a second held 300 ms each need 12 handlers); a bulkhead alone stays full of calls that wait for as long as the slow callee takes.`,
    useWhen: [
      'A service calls several dependencies and one of them can be slow.',
      'Protecting critical endpoints from non-critical ones sharing the same process.',
    ],
    avoidWhen: [
      'A single dependency and nothing else to protect: a timeout and a breaker do the job.',
      'As a rate limiter for incoming traffic: that limits requests per second, a bulkhead limits calls in flight.',
    ],
    parameters: [
      {
        name: 'Maximum concurrent calls',
        start: 'Expected throughput × healthy latency, plus headroom for bursts (40 calls/s × 30 ms is about 1; 5 refuses almost nothing on a good day). The bulkheads together must leave resources for everything else the service does.',
        tradeOff: 'Higher absorbs bursts but lets a slow dependency hold more resources; lower isolates better and rejects more under load.',
      },
      {
        name: 'Queue length (and how long to wait in it)',
        start: '0 to a few calls, waiting no longer than the call timeout.',
        tradeOff: 'A queue smooths short bursts; a long one is just a slower way to fail, and a waiting call holds its caller\'s resources too.',
      },
      {
        name: 'Timeout of each call inside it',
        start: 'Above the slowest answers you want to keep (cache misses included), well below what your own callers wait.',
        tradeOff: 'Shorter frees slots sooner after the callee hangs but cuts off normal slow answers; longer keeps the slots taken.',
      },
    ],
    mistakes: [
      {
        text: 'A timeout and no bulkhead: each stuck call now gives its handler back after 300 ms instead of 5 s, but 40 calls a second still hold 12 handlers at a time, and the product pages are refused again. A timeout bounds how long, not how many.',
        example: 'cascading-failure',
        exercise: 'bulkheads',
        cheat: 'timeout-only',
      },
      {
        text: 'A bulkhead without a timeout: the product pages are safe, but the recommendation slots stay taken by calls that wait 5 s, so recommendations are refused long after the dependency is back. Give every call inside it a timeout (or pass a timeout policy\'s signal on).',
        example: 'cascading-failure',
        exercise: 'bulkheads',
        cheat: 'bulkhead-without-timeout',
      },
      {
        text: 'One bulkhead shared by every dependency: the stuck dependency fills the shared slots and the healthy one\'s calls are refused with them. One compartment per dependency.',
        example: 'cascading-failure',
        exercise: 'bulkheads',
        cheat: 'one-bulkhead-for-all',
      },
    ],
    libraries: [
      { library: 'resilience4j', spelling: '`BulkheadConfig.custom().maxConcurrentCalls(…).maxWaitDuration(…)`: defaults 25 and 0 ms (a semaphore; calls run on the caller\'s thread); rejections throw `BulkheadFullException`. `ThreadPoolBulkhead` runs calls on a pool of its own and returns a `CompletionStage`: `maxThreadPoolSize` = available processors, `coreThreadPoolSize` = processors − 1 (at least 1), `queueCapacity` 100, `keepAliveDuration` 20 ms.', docs: DOCS.r4jBulkhead },
      { library: 'polly', spelling: 'In v8 the bulkhead is replaced by the rate limiter strategy\'s concurrency limiter: `AddConcurrencyLimiter(permitLimit, queueLimit = 0)` from the `Polly.RateLimiting` package; `AddRateLimiter(new RateLimiterStrategyOptions())` without a limiter of your own uses a concurrency limiter of 1000 permits and no queue; rejections throw `RateLimiterRejectedException`.', docs: DOCS.pollyRateLimiter },
      { library: 'cockatiel', spelling: '`bulkhead(limit, queue)`, queue 0 unless given; rejections throw `BulkheadRejectedError`.', docs: DOCS.cockatielBulkhead },
      { library: 'opossum', spelling: 'Option `capacity` (default `Number.MAX_SAFE_INTEGER`): calls beyond it are rejected with code `ESEMLOCKED` and a `semaphoreLocked` event.', docs: DOCS.opossum },
    ],
    playground: `\`bulkhead({ name, maxConcurrent, maxQueue })\`, then \`execute(fn, signal)\`: \`maxConcurrent\` is required (resilience4j defaults to 25, Polly's limiter to 1000), \`maxQueue\` defaults to 0. Queued calls start first come, first served; there is no wait limit of its own (resilience4j's \`maxWaitDuration\`): a queued call leaves the queue when its signal aborts. A rejection is \`BulkheadRejectedError\`, traced as \`bulkhead.rejected\`; the breaker ignores it (it says nothing about the callee) and the retry does not retry it. Order: \`wrap(fallback, retry, breaker, bulkhead, timeout)\`, or a request \`timeout\` inside \`execute\` as in [the example](#/examples/cascading-failure).`,
    related: ['timeout', 'circuit-breaker', 'fallback'],
  },
];
