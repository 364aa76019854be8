import type { Example, RunOutcome } from '../types.js';
import type { TraceEventOf } from 'playground';
import { eventsOf, fail, pass, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import roles from './solution-roles.ts?raw';
import freshToken from './solution-fresh-token.ts?raw';
import audience from './solution-audience.ts?raw';
import meta from './meta.js';

/** Wall-clock time that the playground's virtual time 0 stands for (tokens carry wall-clock seconds). */
const EPOCH_MS = Date.UTC(2024, 0, 1);
/** The order service's second payment comes after the first token's lifetime (one hour). */
const AN_HOUR_MS = 60 * 60 * 1000;

type Claims = { service?: string; role?: string; iat?: number; exp?: number; iss?: string; aud?: string | string[] };
type Call = { request: TraceEventOf<'http.request'>; status: number | undefined; claims: Claims | undefined };

/** The claims of the request's bearer token (not verified: the checks only read them). */
function claimsOf(request: TraceEventOf<'http.request'>): Claims | undefined {
  const match = /^Bearer\s+[\w-]+\.([\w-]+)\.[\w-]+$/i.exec(request.headers?.['authorization'] ?? '');
  if (!match) return undefined;
  try {
    const b64 = match[1]!.replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4))) as Claims;
  } catch {
    return undefined;
  }
}

/** Seconds the token had left when the request was sent (negative: expired). */
const secondsLeft = (call: Call) => (call.claims?.exp === undefined ? undefined : call.claims.exp - (EPOCH_MS + call.request.time) / 1000);

/** Every request to payment-service with its status and token claims. */
function paymentCalls(run: RunOutcome): Call[] {
  const status = new Map(eventsOf(run, 'http.response', (e) => e.source === 'payment-service' && !e.late).map((e) => [e.requestId, e.status]));
  return eventsOf(run, 'http.request', (e) => e.target === 'payment-service').map((request) => ({ request, status: status.get(request.requestId), claims: claimsOf(request) }));
}

/** Longest lifetime (exp − iat) of a token the order service may send: the one hour the lesson asks for. */
const MAX_LIFETIME_S = 60 * 60;

/** Every request the order service sent (to any service) with its token's claims. */
function orderServiceRequests(run: RunOutcome) {
  return eventsOf(run, 'http.request', (e) => e.source === 'order-service').map((request) => ({ request, claims: claimsOf(request) }));
}

/** The inventory service presenting at the payment service a token it was sent. */
const replays = (run: RunOutcome) => paymentCalls(run).filter((c) => c.request.source === 'inventory-service' && c.request.method === 'POST');

const from = (source: string, method: string) => (c: Call) => c.request.source === source && c.request.method === method;
const describe = (c: Call) => `${c.request.source} ${c.request.method} ${c.request.path} at ${Math.round(c.request.time)} ms → ${c.status ?? 'no answer'}`;

const example: Example = {
  ...meta,
  summary: 'The payment service accepts only calls with a valid service token. Who gets 401, who gets 403, what happens to a token signed once at startup, and what stops a token sent to one service from opening another?',
  objectives: [
    'Sign and verify service-to-service JWTs, and read their claims (service, role, expiry)',
    'Answer 401 when the caller is not known and 403 when it is known but not allowed',
    'Give each service only the role it needs (least privilege)',
    'Keep tokens short-lived and attach a fresh one instead of signing once at startup',
    'Bind each token to the service it is meant for (aud) and its issuer (iss), and know what a shared secret still allows',
  ],
  lesson,
  code,
  seed: 'tokens-1',
  expected: [
    {
      id: 'outsiders-refused',
      title: 'no token or a forged token gets 401; the order service gets in',
      check: (run) => {
        const calls = paymentCalls(run);
        const outsiders = calls.filter((c) => c.request.source === 'client' && c.request.time < AN_HOUR_MS);
        const first = calls.find(from('order-service', 'POST'));
        return outsiders.length === 2 && outsiders.every((c) => c.status === 401) && first?.status === 201
          ? pass('Outsiders 401, order-service 201.')
          : fail(`Unexpected statuses: ${calls.map(describe).join('; ')}`);
      },
    },
    {
      id: 'flaws-visible',
      title: 'analytics can create payments, the order service is locked out after an hour, and the token sent to the inventory service pays',
      check: (run) => {
        const calls = paymentCalls(run);
        const analyticsPost = calls.find(from('analytics-service', 'POST'));
        const late = calls.find((c) => from('order-service', 'POST')(c) && c.request.time >= AN_HOUR_MS);
        const replay = replays(run)[0];
        return analyticsPost?.status === 201 && late?.status === 401 && replay?.status === 201 ? pass('All three flaws show.') : fail(`Unexpected statuses: ${calls.map(describe).join('; ')}`);
      },
    },
  ],
  exercises: [
    {
      id: 'roles',
      title: 'Least privilege: 403 for the wrong role',
      task: [
        'Every service gets a token with the role `service`, and the payment service accepts that role everywhere. So the analytics service, which only needs to *read* payments, can also *create* them: its buggy replay job just charged order-1 twice.',
        '',
        'Give each service the role it needs: `payments:write` for the order service, `payments:read` for the analytics service. Make `POST /payments` accept only `payments:write`, and `GET /payments/:id` accept both. A valid token with a role that is not allowed gets **403 Forbidden**; a missing, forged or expired token still gets **401 Unauthorized**.',
      ].join('\n'),
      hint: [
        '1. Two separate questions: is the token valid (who is calling?), and may this caller do this (is its role allowed on this route)? A "no" to the first is 401, a "no" to the second is 403.',
        '2. The roles are decided where the tokens are signed: give `generateServiceToken` a `role` parameter, and sign each service\'s token with the narrowest role it needs.',
        '3. Each route must say which roles it accepts, so the middleware needs a parameter: turn `verifyServiceToken` into a function that takes the allowed roles and returns the middleware.',
        '4. Inside, keep only `tokens.verify` in the `try` (its errors are 401), and compare the role after it: `if (!allowed.includes(role)) return res.status(403)…`. Use it as `payments.post(\'/payments\', requireRole(\'payments:write\'), …)`. (Once you have written it, `requireServiceToken(tokens, { roles })` from the playground does the same.)',
      ].join('\n'),
      solution: roles,
      checks: [
        {
          id: 'analytics-cannot-pay',
          title: 'analytics-service may read payments but not create them; order-service still pays',
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const calls = paymentCalls(run);
            const post = calls.filter(from('analytics-service', 'POST'));
            const get = calls.filter(from('analytics-service', 'GET'));
            const pays = calls.filter((c) => from('order-service', 'POST')(c) && c.request.time < AN_HOUR_MS);
            if (post.length === 0 || get.length === 0 || pays.length === 0) return fail('Keep the calls of main(): order-service pays, analytics-service reads and then tries to create a payment.');
            const allowed = post.filter((c) => c.status === undefined || c.status < 400);
            if (allowed.length > 0) return fail(`Expected analytics-service's POST /payments to be refused, but it got ${allowed.map((c) => c.status).join(', ')}: a read-only service created a payment.`, allowed.map((c) => c.request));
            const badGet = get.filter((c) => c.status !== 200);
            if (badGet.length > 0) return fail(`analytics-service must still be able to read payments, but GET got ${badGet.map((c) => c.status).join(', ')}.`, badGet.map((c) => c.request));
            const badPay = pays.filter((c) => c.status !== 201);
            if (badPay.length > 0) return fail(`order-service must still be able to pay, but its POST got ${badPay.map((c) => c.status).join(', ')}.`, badPay.map((c) => c.request));
            return pass('analytics-service reads but cannot pay; order-service pays.');
          },
        },
        {
          id: 'right-status',
          title: 'wrong role → 403; no, forged or expired token → 401',
          check: (run) => {
            const calls = paymentCalls(run);
            const post = calls.filter(from('analytics-service', 'POST'));
            const not403 = post.filter((c) => c.status !== 403);
            if (not403.length > 0)
              return fail(`Expected 403 Forbidden for analytics-service's POST /payments (its token is valid, its role is not allowed), but it got ${not403.map((c) => c.status).join(', ')}.`, not403.map((c) => c.request));
            const unknown = calls.filter((c) => c.request.source === 'client');
            const not401 = unknown.filter((c) => c.status !== 401);
            if (unknown.length === 0) return fail('Keep the calls without a token, with a forged token and with the leaked token.');
            if (not401.length > 0) return fail(`Expected 401 Unauthorized for requests without a valid token, but got: ${not401.map(describe).join('; ')}.`, not401.map((c) => c.request));
            return pass(`Wrong role: 403; ${unknown.length} requests without a valid token: 401.`);
          },
        },
      ],
    },
    {
      id: 'fresh-token',
      title: 'Attach a fresh token',
      task: [
        'The order service signs its token once, when it starts, the way a token in an environment variable works. Tokens live one hour. After a quiet hour the next payment is refused with 401 ("the token has expired") and order-2 is not paid.',
        '',
        'Make the order service attach a token that is still valid to every payment request: keep the token it signed, and sign a new one when the one it holds has 30 s or less to live. Keep the lifetime at one hour: a token that lives a day would also survive the quiet hour, and would serve whoever steals it for a day. Expired tokens, like the leaked one, must still be refused with 401.',
        '',
        'Write the renewal yourself; the playground\'s `withServiceToken` does the same for a whole HTTP client, and is what to reach for once you know what it does.',
      ].join('\n'),
      hint: [
        '1. A token is good until its `exp`. The order service must know when the token it holds runs out, and sign a new one before that moment, not after a 401.',
        '2. Keep the token together with its expiry (`tokens.nowSeconds()` is the current time in the token\'s seconds, `tokens.ttlSeconds` its lifetime).',
        '3. Write a small `currentToken()` that returns the held token while it has more than 30 s left and otherwise signs, stores and returns a new one; call it for the header of every request instead of reading `SERVICE_TOKEN`.',
        '4. Sketch: `if (!held || held.expiresAt - tokens.nowSeconds() <= 30) held = { token: await generateServiceToken(…), expiresAt: tokens.nowSeconds() + tokens.ttlSeconds };` then `` Authorization: \`Bearer ${held.token}\` ``.',
      ].join('\n'),
      solution: freshToken,
      checks: [
        {
          id: 'tokens-fresh',
          title: 'every token the order service sends lives at most an hour, and has at least 30 s left when it is sent',
          check: (run) => {
            const pays = paymentCalls(run).filter(from('order-service', 'POST'));
            if (pays.length === 0) return fail('order-service made no payment.');
            const longLived = orderServiceRequests(run).filter((r) => r.claims?.exp !== undefined && r.claims.iat !== undefined && r.claims.exp - r.claims.iat > MAX_LIFETIME_S);
            if (longLived.length > 0) {
              const c = longLived[0]!.claims!;
              return fail(`The order service sent a token that lives ${Math.round((c.exp! - c.iat!) / 3600)} h: a long lifetime hides the missing renewal and serves a thief just as long. Keep it at one hour and renew it.`, longLived.map((r) => r.request));
            }
            const stale = pays.filter((c) => (secondsLeft(c) ?? -Infinity) < 30);
            return stale.length === 0
              ? pass(`All ${pays.length} payment requests carried a token with at least 30 s left.`)
              : fail(
                  `Expected each payment request to carry a token with at least 30 s left, but ${stale.map((c) => `the one at ${Math.round(c.request.time / 1000)} s ${c.claims ? `had ${Math.round(secondsLeft(c)!)} s left (issued at ${Math.round((c.claims.iat ?? 0) - EPOCH_MS / 1000)} s)` : 'had no token'}`).join('; ')}.`,
                  stale.map((c) => c.request),
                );
          },
        },
        {
          id: 'paid-after-an-hour',
          title: 'order-2 is paid after the quiet hour, and an expired token is still refused',
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const calls = paymentCalls(run);
            const late = calls.filter((c) => from('order-service', 'POST')(c) && c.request.time >= AN_HOUR_MS);
            if (late.length === 0) return fail('order-service made no payment after the hour: keep the second order in main().');
            const refused = late.filter((c) => c.status !== 201);
            if (refused.length > 0) return fail(`Expected order-2's payment to succeed, but it got ${refused.map((c) => c.status).join(', ')} (token ${refused[0]!.claims ? `expired ${Math.round(-secondsLeft(refused[0]!)!)} s earlier` : 'missing'}).`, refused.map((c) => c.request));
            const expired = calls.filter((c) => (secondsLeft(c) ?? 1) <= 0);
            if (expired.length === 0) return fail('No request with an expired token was made: keep the leaked-token call in main().');
            const letIn = expired.filter((c) => c.status !== 401);
            return letIn.length === 0
              ? pass(`order-2 paid; ${expired.length} request(s) with an expired token refused with 401.`)
              : fail(`Requests with an expired token must get 401, but got: ${letIn.map(describe).join('; ')}.`, letIn.map((c) => c.request));
          },
        },
      ],
    },
    {
      id: 'audience',
      title: 'A token for one audience',
      task: [
        'The order service sends the same token to the inventory service (to reserve stock) and to the payment service. The inventory service keeps the headers of its requests in a log, and whoever reads that log (or breaks into the inventory service) can present the order service\'s token to the payment service: in the starting code that creates a payment of 500. Signature and expiry are fine, so the payment service cannot tell.',
        '',
        'Bind every token to the service it is meant for: sign it with an audience (`aud`) naming that service and an issuer (`iss`), and make every service accept only tokens whose audience is itself and whose issuer it trusts. The token replayed from the inventory service must get **401** at the payment service; the order service must still reserve stock and pay.',
      ].join('\n'),
      hint: [
        '1. A token should say where it may be used, and the receiver should check that. That is the `aud` (audience) claim, with `iss` (issuer) saying who minted it.',
        '2. `serviceTokens({ secret, ttlSeconds, issuer, audience })` makes tokens that carry `iss` and `aud`, and its `verify` refuses tokens with another issuer or audience (401). So you need one such object per receiving service.',
        '3. The payment service verifies with the one for `payment-service`, the inventory service with the one for `inventory-service`; a caller signs with the one of the service it is about to call, so the order service now holds two tokens.',
        "4. Sketch: `const tokensFor = (audience: string) => serviceTokens({ secret, ttlSeconds: 3600, issuer: 'shop-token-issuer', audience });` then `tokensFor('payment-service').sign(…)` for payment calls and `requireServiceToken(tokensFor('inventory-service'))` on the inventory route.",
      ].join('\n'),
      solution: audience,
      checks: [
        {
          id: 'replay-refused',
          title: 'the token sent to the inventory service is refused by the payment service (401); the order service still pays',
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            const replayed = replays(run);
            if (replayed.length === 0) return fail('Keep the replay in main(): the inventory service presents the token it was sent to the payment service.');
            const accepted = replayed.filter((c) => c.status !== 401);
            if (accepted.length > 0)
              return fail(`The payment service answered ${accepted.map((c) => c.status ?? 'nothing').join(', ')} to a token that was sent to the inventory service${accepted[0]!.claims?.aud === undefined ? ' (it names no audience)' : ` (its audience: ${JSON.stringify(accepted[0]!.claims!.aud)})`}: expected 401.`, accepted.map((c) => c.request));
            const pays = paymentCalls(run).filter((c) => from('order-service', 'POST')(c) && c.request.time < AN_HOUR_MS);
            const badPay = pays.filter((c) => c.status !== 201);
            if (pays.length === 0 || badPay.length > 0) return fail(`order-service must still pay order-1, but its POST got ${badPay.map((c) => c.status).join(', ') || 'nothing'}.`, badPay.map((c) => c.request));
            return pass('The replayed token got 401; order-service paid.');
          },
        },
        {
          id: 'audience-per-token',
          title: 'every token the order service sends names the service it is sent to (aud) and an issuer (iss)',
          check: (run) => {
            const sent = orderServiceRequests(run);
            if (sent.length === 0) return fail('order-service sent no request.');
            const names = (aud: Claims['aud'], target: string) => aud === target || (Array.isArray(aud) && aud.length === 1 && aud[0] === target);
            const wrong = sent.filter((r) => !r.claims || !names(r.claims.aud, r.request.target ?? '') || typeof r.claims.iss !== 'string');
            return wrong.length === 0
              ? pass(`All ${sent.length} tokens the order service sent name their receiver and an issuer.`)
              : fail(
                  `Expected each token to carry aud = the service it is sent to, and an iss; but ${wrong.map((r) => `the one sent to ${r.request.target} has aud ${JSON.stringify(r.claims?.aud ?? null)}, iss ${JSON.stringify(r.claims?.iss ?? null)}`).join('; ')}.`,
                  wrong.map((r) => r.request),
                );
          },
        },
      ],
    },
  ],
};

export default example;
