/**
 * The libraries' documentation pages the reference links to, in one place:
 * each on the library's own site (the unit test checks the hosts).
 */
export const DOCS = {
  r4jBreaker: 'https://resilience4j.readme.io/docs/circuitbreaker',
  r4jRetry: 'https://resilience4j.readme.io/docs/retry',
  r4jBulkhead: 'https://resilience4j.readme.io/docs/bulkhead',
  r4jTimeLimiter: 'https://resilience4j.readme.io/docs/timeout',
  pollyBreaker: 'https://www.pollydocs.org/strategies/circuit-breaker',
  pollyRetry: 'https://www.pollydocs.org/strategies/retry',
  pollyTimeout: 'https://www.pollydocs.org/strategies/timeout',
  pollyFallback: 'https://www.pollydocs.org/strategies/fallback',
  pollyRateLimiter: 'https://www.pollydocs.org/strategies/rate-limiter',
  cockatielRetry: 'https://github.com/connor4312/cockatiel#retrypolicy-options',
  cockatielBreaker: 'https://github.com/connor4312/cockatiel#circuitbreakerpolicy--halfopenafter-breaker-initialstate-',
  cockatielTimeout: 'https://github.com/connor4312/cockatiel#timeoutduration-strategy',
  cockatielBulkhead: 'https://github.com/connor4312/cockatiel#bulkheadlimit-queue',
  cockatielFallback: 'https://github.com/connor4312/cockatiel#fallbackpolicy-valueorfactory',
  opossum: 'https://nodeshift.dev/opossum/',
  amqplib: 'https://amqp-node.github.io/amqplib/channel_api.html',
  rabbitConfirms: 'https://www.rabbitmq.com/docs/confirms',
  rabbitPublishers: 'https://www.rabbitmq.com/docs/publishers',
  rabbitPrefetch: 'https://www.rabbitmq.com/docs/consumer-prefetch',
  rabbitDlx: 'https://www.rabbitmq.com/docs/dlx',
  rabbitQuorumPoison: 'https://www.rabbitmq.com/docs/quorum-queues#poison-message-handling',
  rabbitExchanges: 'https://www.rabbitmq.com/docs/exchanges',
  esdbAppend: 'https://docs.kurrent.io/clients/node/legacy/v6.2/appending-events',
  esdbSubscriptions: 'https://docs.kurrent.io/clients/node/legacy/v6.2/subscriptions.html',
  esdbClient: 'https://github.com/EventStore/EventStore-Client-NodeJS',
  jose: 'https://github.com/panva/jose',
  awsRetry: 'https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html',
} as const;
