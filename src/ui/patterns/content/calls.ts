import { patternIndexEntry } from '../pattern-index.js';
import type { PatternEntry } from '../pattern-types.js';
import { DOCS } from './docs-links.js';

/** Synchronous calls: the call with a timeout, 202 and events, service tokens, the timeout itself. */
export const CALL_PATTERNS: readonly PatternEntry[] = [
  {
    ...patternIndexEntry('sync-call-timeout'),
    aliases: ['request-response', 'REST call', 'HTTP client timeout', 'blocking call', 'axios timeout'],
    summary: 'Ask another service and wait for its answer, but never for longer than you can afford.',
    problem: `A caller that waits for an answer without a limit is only as fast as its slowest dependency. When the callee hangs, every request that reaches it hangs too: the caller's connections, memory and its own callers' patience run out, and one slow service turns into an outage of everything upstream.

A timeout bounds the wait. It prevents the **pile-up** of stuck requests and gives the caller back control: it can answer its own caller, try again later, or degrade.`,
    how: `The caller sends the request with a time limit (a client timeout, or an \`AbortSignal\` that fires after the limit). If no answer has come when the limit passes, the caller stops waiting, frees what the request held and reports the outcome upward.

A timeout says *"I do not know"*, not *"it failed"*: the callee may still finish the work and answer after the caller has left (a **late response**). Record such outcomes as unknown, and make the call safe to repeat ([idempotency key](#/patterns/idempotency-key)) before retrying it.`,
    useWhen: [
      'The caller needs the answer to continue, now: a price, a stock check, a login.',
      'The callee is normally fast and its work is short.',
      'Reads, which are safe to abandon and to repeat.',
    ],
    avoidWhen: [
      'The work is long or the callee is often slow: accept the request and report later (202 and events).',
      'A chain of several synchronous hops: latencies add up and the availabilities multiply (three services at 99 % give 97 %).',
      'The caller does not need the result to answer: publish an event instead.',
    ],
    parameters: [
      {
        name: 'Response timeout',
        start: "A little above the callee's healthy p99 latency (p99 of 300 ms: start at about 1 s), and always below the caller's own deadline.",
        tradeOff: 'Shorter fails fast and holds fewer resources, but cuts off slow-but-healthy calls (more unknown outcomes, more retries). Longer gives up less often but lets requests pile up while the callee is sick.',
      },
      {
        name: 'Connect timeout',
        start: 'Short: 0.5–2 s. Establishing a connection on a healthy network takes milliseconds.',
        tradeOff: 'Too short fails on a busy network; too long waits for a host that is gone.',
      },
    ],
    mistakes: [
      {
        text: 'No timeout at all. HTTP clients usually wait forever by default (axios: `timeout: 0`), so a slow inventory service makes every customer wait with it.',
        example: 'timeouts',
        exercise: 'request-timeout',
      },
      {
        text: 'Treating a timeout as a failure. The payment service may charge the card after the caller gave up: marking the order `failed` is then a lie. Mark it unknown.',
        example: 'sync-rest-timeout',
        exercise: 'bound-the-wait',
      },
      {
        text: "A timeout longer than what the caller's own caller allows: the work goes on after everyone upstream has given up. Pass the deadline along with the request.",
        example: 'deadlines',
        exercise: 'propagate-deadline',
      },
    ],
    libraries: [
      { library: 'resilience4j', spelling: '`TimeLimiter` with `timeoutDuration` (default 1 s) around a `CompletableFuture`.', docs: DOCS.r4jTimeLimiter },
      { library: 'polly', spelling: '`AddTimeout(TimeSpan)`; `TimeoutStrategyOptions.Timeout` defaults to 30 s.', docs: DOCS.pollyTimeout },
      { library: 'cockatiel', spelling: '`timeout(ms, TimeoutStrategy.Cooperative)`; the executed function gets `{ signal }` to pass to `fetch`.', docs: DOCS.cockatielTimeout },
      { library: 'opossum', spelling: 'The breaker times calls out itself: option `timeout` (default 10 000 ms, `false` disables it); a timeout counts as a failure.', docs: DOCS.opossum },
    ],
    playground: `The HTTP client is shaped like axios: \`http.get(url, { timeout: 1000 })\`. As in axios, \`timeout: 0\` (the default) waits forever. A timed-out request rejects with \`HttpTimeoutError\` (code \`ECONNABORTED\`) and the trace shows \`http.timeout\`, then any late answer. A \`signal\` option cancels a request, which is how [timeout policies](#/patterns/timeout) stop it.`,
    related: ['timeout', 'async-request-reply', 'retry-backoff-jitter'],
  },
  {
    ...patternIndexEntry('async-request-reply'),
    aliases: ['202 Accepted', 'asynchronous request-reply', 'status URL', 'polling', 'fire and forget', 'event-driven request'],
    summary: 'Accept the request at once, do the work behind a queue or an event, and let the client learn the result later.',
    problem: `When handling a request means calling other services one after the other, the client waits for all of them, and the request fails whenever any of them is down or slow. Accepting an order then depends on the payment service being up.

Answering **202 Accepted** as soon as the request is recorded decouples the two: the client gets an answer in milliseconds, and a slow or failing downstream service delays the result instead of refusing the request.`,
    how: `The receiving service validates the request, stores it (status \`pending\`), publishes an event such as \`OrderCreated\`, and answers \`202\` with where to look for the result (a status URL, or an id the client can poll or be notified about). Other services react to the event, do their part and publish their own events (\`OrderPaid\`), which move the stored status on.

The client then polls the status URL, or gets a callback or a push message.`,
    useWhen: [
      'The work takes longer than a client should wait, or involves several services.',
      'Accepting the request must not depend on every downstream service being up.',
      'Load comes in bursts: a queue absorbs them and workers catch up.',
    ],
    avoidWhen: [
      'The client needs the answer to continue (a price, an authorisation): use a synchronous call.',
      'The work is a fast read: polling adds round trips and states to keep.',
      'Nobody will ever look at the status: then it is plain fire-and-forget, and failures go unnoticed.',
    ],
    parameters: [
      {
        name: 'Poll interval (Retry-After on the status answer)',
        start: 'About the typical processing time, e.g. 1–2 s; the status answer can say so with a `Retry-After` header.',
        tradeOff: 'Shorter gives fresher results at the cost of more requests; longer saves load but the client learns late.',
      },
      {
        name: 'How long a pending request may stay pending',
        start: 'A few times the normal processing time; after that, time it out (and compensate) rather than leave it pending.',
        tradeOff: 'Short gives up on work that was only slow; long leaves customers waiting on work that will never finish.',
      },
    ],
    mistakes: [
      {
        text: 'Answering 202 only after the downstream call: the client still waits for the payment service, and accepting depends on it being up.',
        example: 'sync-vs-async',
        exercise: 'answer-at-once',
      },
      {
        text: 'Leaving requests pending for ever when a later step fails: nobody handles the failure event, and the status never moves.',
        example: 'choreography-saga',
        exercise: 'handle-payment-failed',
      },
      {
        text: 'Saving the request and publishing its event as two separate writes: a crash in between leaves an accepted request that nothing will ever process.',
        example: 'publisher-reliability',
        exercise: 'outbox',
      },
      {
        text: 'Running the whole order inside the request and answering when it is finished: the client waits for the payment provider, its retries and all. Record the order, answer 202 with a status URL, and run the rest in the background.',
        example: 'capstone',
        exercise: 'order-system',
        cheat: 'answers-200-when-done',
      },
    ],
    libraries: [
      { library: 'amqplib', spelling: 'Publish the event with `channel.publish(exchange, routingKey, content, { persistent: true, messageId })` on a confirm channel (`createConfirmChannel`).', docs: DOCS.amqplib },
      { library: 'rabbitmq', spelling: 'Publisher confirms tell the service that the broker has the event before it answers 202.', docs: DOCS.rabbitPublishers },
      { library: 'eventstoredb', spelling: '`appendToStream(stream, events)` records the request as an event; readers catch up with `subscribeToStream` / `subscribeToAll`.', docs: DOCS.esdbAppend },
    ],
    playground: `The example **Synchronous chain or 202 and events** has both flows side by side: \`POST /orders/sync\` waits for payment, \`POST /orders/async\` answers \`202\` and the payment service reacts to \`OrderCreated\` on the event bus. The Sequence view shows how much earlier the 202 arrives. In [the capstone](#/examples/capstone) the order service answers \`202\` with a \`statusUrl\` and the client asks there until the order is finished.`,
    related: ['publish-subscribe', 'outbox', 'choreography-saga'],
  },
  {
    ...patternIndexEntry('service-tokens'),
    aliases: ['JWT', 'bearer token', 'service-to-service authentication', 'machine-to-machine', 'zero trust', 'audience'],
    summary: 'Every call between services carries a short-lived signed token that says who calls, for which service, and what it may do.',
    problem: `Inside the network, any service (or anyone who gets into one) can call any other. Without credentials, a read-only analytics job can create payments, and a token leaked from one service's logs can be replayed against another.

Signed tokens with a role, an audience and an expiry let each service refuse calls from callers that should not make them, and limit what a stolen token is worth.`,
    how: `A caller obtains a token (from an identity provider, or signs it with a shared key) whose claims name the caller, the role it has (\`payments:write\`), the service it is meant for (\`aud\`) and when it expires (\`exp\`). It sends it as \`Authorization: Bearer <token>\`.

The callee checks the signature, the expiry, the issuer and that the audience is itself, then the role against the route: **401** when the token is missing or invalid, **403** when it is valid but not allowed here. Callers reuse a token and get a new one shortly before it expires.`,
    useWhen: [
      'Services call each other over a network you do not fully trust (every production network).',
      'Different callers need different rights on the same service.',
    ],
    avoidWhen: [
      'As the only protection: combine it with TLS (or mTLS) so tokens cannot be read on the wire.',
      'Long-lived tokens pasted into configuration: that is a password with extra steps.',
    ],
    parameters: [
      {
        name: 'Token lifetime',
        start: '5–15 minutes.',
        tradeOff: 'Shorter limits what a leaked token is worth but means more signing; longer means fewer round trips to the issuer and a longer window for abuse.',
      },
      {
        name: 'Refresh margin',
        start: 'Get a new token when the one held has about 30 s (or 10 % of its lifetime) left.',
        tradeOff: 'Too small and a request leaves with a token that expires on the way (401); too large and you sign more often than needed.',
      },
      {
        name: 'Clock tolerance',
        start: 'A few seconds at most.',
        tradeOff: 'Absorbs clock skew between services; every second of it extends the life of an expired token.',
      },
    ],
    mistakes: [
      {
        text: 'One role for every service: a read-only service can also write. Give each caller the least privilege it needs, and answer 403 otherwise.',
        example: 'service-tokens',
        exercise: 'roles',
      },
      {
        text: 'Signing the token once at start-up: after its lifetime every call is refused with 401. Refresh before expiry.',
        example: 'service-tokens',
        exercise: 'fresh-token',
      },
      {
        text: 'One token for every callee: whoever reads it in one service can replay it against another. Give each token one audience and check it.',
        example: 'service-tokens',
        exercise: 'audience',
      },
    ],
    libraries: [
      { library: 'jose', spelling: '`new SignJWT(claims).setAudience(aud).setExpirationTime("5m").sign(key)`; `jwtVerify(token, key, { audience, issuer, clockTolerance })` (no tolerance unless set).', docs: DOCS.jose },
    ],
    playground: `\`serviceTokens({ secret, ttlSeconds, audience })\` signs and verifies HS256 JWTs on the run's virtual clock (default lifetime 300 s, no clock tolerance). \`withServiceToken(http, tokens, { role })\` adds the header and signs a new token when the one it holds has less than 30 s left (\`refreshBeforeSeconds\`). resilience4j, Polly, cockatiel and opossum have no token support: this is the job of a JWT library or an identity provider.`,
    related: ['sync-call-timeout'],
  },
  {
    ...patternIndexEntry('timeout'),
    aliases: ['deadline', 'time limit', 'TimeLimiter', 'AbortSignal', 'cancellation', 'deadline propagation'],
    summary: 'Bound how long one attempt (or a whole request, retries included) may take, and tell the work to stop.',
    problem: `A call that never ends holds everything it touched: a connection, a slot in a pool, a customer on a spinning page. With enough of them the caller itself stops answering. A timeout policy bounds each call, and a **deadline** that travels with a request stops services further down from working for a caller who has already given up.`,
    how: `A timer starts with the call. When it fires, the policy aborts the call's signal and rejects with a timeout error. **Cooperative** timeouts wait for the callee to notice the signal and stop; **aggressive** ones return at once and leave the work running in the background.

For a chain of calls, the first service sets an absolute deadline and passes what is left of it on with each request (for example as a header); each hop uses the smaller of its own timeout and the time left, and does not start work that cannot finish in time.`,
    useWhen: [
      'Around every call to another process: HTTP, database, broker.',
      'Per attempt inside a retry, plus one overall limit (or deadline) around all attempts.',
    ],
    avoidWhen: [
      'On work that cannot be abandoned halfway without a compensation: bound the wait, but know what state the work is left in.',
      'As a fix for a callee that is slow for everyone: it bounds the damage, the callee still needs fixing (or a bulkhead).',
    ],
    parameters: [
      {
        name: 'Per-attempt timeout',
        start: "Just above the callee's healthy p99 latency.",
        tradeOff: 'See the synchronous call: shorter fails fast but cuts off slow successes.',
      },
      {
        name: 'Overall limit / deadline',
        start: 'What the edge promises its client (e.g. 2 s for a page), shared down the chain.',
        tradeOff: 'It caps the total wait but leaves less time for retries deeper in the chain.',
      },
      {
        name: 'Strategy (cooperative or aggressive)',
        start: 'Cooperative, and make the callee honour the signal.',
        tradeOff: 'Aggressive answers on time even when the callee ignores the signal, at the price of work that goes on unseen.',
      },
    ],
    mistakes: [
      {
        text: 'Not passing the signal on: the policy gives up but the HTTP request keeps running (an orphan), still holding its connection.',
        example: 'timeouts',
        exercise: 'timeout-policy',
      },
      {
        text: 'Each service with its own fixed timeout and no shared deadline: the caller has answered 504, yet the work finishes downstream and the customer gets a confirmation.',
        example: 'deadlines',
        exercise: 'propagate-deadline',
      },
      {
        text: 'No timeout around a slow dependency: requests pile up behind it.',
        example: 'timeouts',
        exercise: 'request-timeout',
      },
      {
        text: 'Counting on a timeout alone to protect the caller: 40 calls a second that each wait 300 ms still hold 12 handlers at a time. The timeout bounds how long each call holds one; a bulkhead bounds how many.',
        example: 'cascading-failure',
        exercise: 'bulkheads',
        cheat: 'timeout-only',
      },
    ],
    libraries: [
      { library: 'resilience4j', spelling: '`TimeLimiterConfig.custom().timeoutDuration(…).cancelRunningFuture(true)`; defaults: 1 s, cancel = true.', docs: DOCS.r4jTimeLimiter },
      { library: 'polly', spelling: '`new ResiliencePipelineBuilder().AddTimeout(TimeSpan.FromSeconds(3))`; throws `TimeoutRejectedException`; default `Timeout` 30 s; the callback must honour the `CancellationToken` it gets.', docs: DOCS.pollyTimeout },
      { library: 'cockatiel', spelling: '`timeout(2000, TimeoutStrategy.Cooperative)` or `TimeoutStrategy.Aggressive`; throws `TaskCancelledError`.', docs: DOCS.cockatielTimeout },
      { library: 'opossum', spelling: 'Option `timeout` of the breaker (default 10 000 ms); pass an `abortController` to cancel the request when it fires.', docs: DOCS.opossum },
    ],
    playground: `\`timeoutPolicy({ timeoutMs, strategy })\` with \`strategy: 'cooperative'\` (default) or \`'aggressive'\`; it hands your function a \`signal\` to pass to \`http.get\`. It rejects with \`TimeoutRejectedError\` and traces \`timeout.fired\`; an aggressive timeout whose callee ignored the signal traces \`timeout.orphan\` when it finally ends. \`retryPolicy({ deadlineMs })\` is the overall limit around all attempts. Unlike resilience4j (1 s), Polly (30 s) and opossum (10 s), there is no default limit: \`timeoutMs\` is required.`,
    related: ['sync-call-timeout', 'retry-backoff-jitter', 'bulkhead', 'circuit-breaker'],
  },
];
