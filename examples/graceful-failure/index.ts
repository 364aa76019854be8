import type { Example, Check, RunOutcome } from '../types.js';
import type { TraceEventOf } from 'playground';
import { fail, pass, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import cachedFallback from './solution-cached-fallback.ts?raw';
import outagesOnly from './solution-outages-only.ts?raw';
import meta from './meta.js';

/** recommendation-service is down in this window (fault plan). */
const DOWN_FROM = 3000;
const DOWN_TO = 9000;

type Page = {
  request: TraceEventOf<'http.request'>;
  response: TraceEventOf<'http.response'> | undefined;
  /** The product service's calls to the recommendation service while it served this page, with their answers. */
  inner: { request: TraceEventOf<'http.request'>; response: TraceEventOf<'http.response'> | undefined }[];
};

type PageBody = { recommendations?: unknown; degraded?: unknown };
const bodyOf = (page: Page): PageBody => (typeof page.response?.body === 'object' && page.response.body !== null ? (page.response.body as PageBody) : {});
const productOf = (page: Page) => page.request.path.split('/').pop() ?? '';
const requestedLimit = (page: Page) => Number(/[?&]recommendations=(\d+)/.exec(page.request.url)?.[1] ?? 3);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Product pages the shopper asked for (one at a time), with the calls made to serve each. */
function pages(run: RunOutcome): Page[] {
  const out: Page[] = [];
  const byId = new Map<string, Page>();
  const inner = new Map<string, Page['inner'][number]>();
  let current: Page | undefined;
  for (const e of run.events) {
    if (e.kind === 'http.request' && e.source === 'client' && e.target === 'product-service') {
      current = { request: e, response: undefined, inner: [] };
      out.push(current);
      byId.set(e.requestId, current);
    } else if (e.kind === 'http.request' && e.source === 'product-service' && e.target === 'recommendation-service' && current) {
      const call = { request: e, response: undefined };
      current.inner.push(call);
      inner.set(e.requestId, call);
    } else if (e.kind === 'http.response' && !e.late) {
      const page = byId.get(e.requestId);
      if (page) page.response = e;
      const call = inner.get(e.requestId);
      if (call) call.response = e;
    }
  }
  return out;
}

const duringOutage = (p: Page) => p.request.time >= DOWN_FROM && p.request.time < DOWN_TO;
const isBadLimit = (p: Page) => requestedLimit(p) > 20;
const recommenderAnswered = (p: Page) => p.inner.some((c) => c.response?.status === 200);

const degradedDuringOutage: Check = {
  id: 'degraded-during-outage',
  title: 'during the outage every page is 200 with suggestions and marked degraded: true; other pages are not marked degraded',
  check: (run) => {
    const failed = runFailed(run);
    if (failed) return failed;
    const all = pages(run).filter((p) => !isBadLimit(p));
    const outage = all.filter(duringOutage);
    if (outage.length === 0) return fail('No product page was requested while recommendation-service was down.');
    const broken = outage.filter((p) => p.response?.status !== 200 || !Array.isArray(bodyOf(p).recommendations) || (bodyOf(p).recommendations as unknown[]).length === 0);
    if (broken.length > 0)
      return fail(`Expected every page between ${DOWN_FROM} and ${DOWN_TO} ms to be 200 with a list of suggestions, but ${broken.length} were not (first: status ${broken[0]!.response?.status ?? 'none'}).`, broken.map((p) => p.response ?? p.request));
    const unflagged = outage.filter((p) => bodyOf(p).degraded !== true);
    if (unflagged.length > 0)
      return fail(
        `Expected the ${outage.length} pages served while recommendation-service was down to say \`degraded: true\`, but ${unflagged.length} did not: the shop cannot tell fallback suggestions from real ones.`,
        unflagged.map((p) => p.response!),
      );
    const falseAlarms = all.filter((p) => recommenderAnswered(p) && bodyOf(p).degraded === true);
    if (falseAlarms.length > 0)
      return fail(`${falseAlarms.length} pages say \`degraded: true\` although recommendation-service answered them.`, falseAlarms.map((p) => p.response!));
    return pass(`${outage.length} pages served during the outage, all 200 and marked degraded; the others are not.`);
  },
};

const lastGoodServed: Check = {
  id: 'last-good-served',
  title: 'a degraded page shows the last suggestions that came back for that product (bestsellers only when there are none)',
  check: (run) => {
    const lastGood = new Map<string, unknown>();
    const wrong: { page: Page; expected: unknown }[] = [];
    let fromCache = 0;
    for (const page of pages(run)) {
      const body = bodyOf(page);
      if (body.degraded === true && duringOutage(page)) {
        const expected = lastGood.get(productOf(page));
        if (expected !== undefined) {
          if (same(body.recommendations, expected)) fromCache++;
          else wrong.push({ page, expected });
        }
      }
      for (const call of page.inner) if (call.response?.status === 200) lastGood.set(productOf(page), (call.response.body as { items?: unknown })?.items);
    }
    if (wrong.length > 0) {
      const w = wrong[0]!;
      return fail(
        `Expected a degraded page for ${productOf(w.page)} at ${Math.round(w.page.request.time)} ms to show the last suggestions that came back for it, ${JSON.stringify(w.expected)}, ` +
          `but it showed ${JSON.stringify(bodyOf(w.page).recommendations)} (${wrong.length} such page(s)).`,
        wrong.map((x) => x.page.response!),
      );
    }
    return fromCache > 0 ? pass(`${fromCache} degraded pages showed the last good suggestions for their product.`) : fail('No degraded page during the outage showed cached suggestions: mark fallback pages `degraded: true` and serve the last good suggestions.');
  },
};

const badRequestNotHidden: Check = {
  id: 'bad-request-not-hidden',
  title: 'a page asking for too many suggestions gets 400, not a fallback',
  check: (run) => {
    const bad = pages(run).filter(isBadLimit);
    if (bad.length === 0) return fail('No page asked for more than 20 suggestions.');
    const hidden = bad.filter((p) => p.response?.status !== 400);
    if (hidden.length > 0) {
      const refusals = hidden.flatMap((p) => p.inner.map((c) => c.response).filter((r): r is TraceEventOf<'http.response'> => r !== undefined && r.status >= 400 && r.status < 500));
      return fail(
        `Expected 400 for the ${bad.length} page(s) that asked for ${requestedLimit(bad[0]!)} suggestions (the recommender allows 20), but they got ${hidden.map((p) => p.response?.status ?? 'no answer').join(', ')}` +
          (refusals.length > 0 ? `: the recommender said 400 and the fallback covered it up.` : '.'),
        [...hidden.map((p) => p.response ?? p.request), ...refusals],
      );
    }
    return pass(`All ${bad.length} bad request(s) got 400.`);
  },
};

/** The recommender answers 429 (over its rate limit) from 10 s to 10.5 s. */
const THROTTLED_FROM = 10_000;
const THROTTLED_TO = 10_500;
const throttled = (p: Page) => p.inner.some((c) => c.response?.status === 429);

const throttledDegraded: Check = {
  id: 'throttled-degraded',
  title: 'a 429 from the recommender (too many requests, try later) is a passing overload: degraded fallback, not passed on',
  check: (run) => {
    const failed = runFailed(run);
    if (failed) return failed;
    const hit = pages(run).filter(throttled);
    if (hit.length === 0) return fail(`No page met the recommender's 429 (it answers 429 from ${THROTTLED_FROM} to ${THROTTLED_TO} ms): keep the shopper's visits and the recommender as they are.`);
    const wrong = hit.filter((p) => p.response?.status !== 200 || bodyOf(p).degraded !== true);
    return wrong.length === 0
      ? pass(`${hit.length} page(s) met a 429 and were served degraded.`)
      : fail(
          `The recommender answered 429 ("too many requests, try again later"), and the page got ${wrong.map((p) => p.response?.status ?? 'no answer').join(', ')}${wrong.some((p) => p.response?.status === 200) ? ' without `degraded: true`' : ''}. A 429, like a 408, is transient: the shopper did nothing wrong, so fall back and mark the page degraded.`,
          wrong.map((p) => p.response ?? p.request),
        );
  },
};

const example: Example = {
  ...meta,
  summary: 'The recommendation service goes down. The product page should keep working, say that it is degraded, and not hide the errors a fallback is not meant for.',
  objectives: [
    'Keep a page working when an optional dependency is down, with a cached or default answer',
    'Mark a degraded answer so callers and dashboards can tell it from a real one',
    'Fall back only for outages (down, timeout, 5xx, 408, 429), never for a 4xx that says the shopper\'s request is wrong, and never pass on a 401/403 that concerns your own credentials',
    'Decide which dependencies are optional and which must fail the request',
  ],
  lesson,
  code,
  seed: 'graceful-1',
  faults: { services: { 'recommendation-service': { down: [{ from: DOWN_FROM, to: DOWN_TO }] } } },
  expected: [
    {
      id: 'page-survives',
      title: 'the catch-all fallback keeps every product page at 200 during the outage',
      check: (run) => {
        const outage = pages(run).filter(duringOutage);
        const ok = outage.filter((p) => p.response?.status === 200);
        return outage.length > 0 && ok.length === outage.length ? pass(`${ok.length} pages during the outage, all 200.`) : fail(`${ok.length} of ${outage.length} pages during the outage were 200.`);
      },
    },
    {
      id: 'hides-400',
      title: 'the catch-all fallback also hides the recommender’s 400',
      check: (run) => {
        const bad = pages(run).filter(isBadLimit);
        return bad.length > 0 && bad.every((p) => p.response?.status === 200) ? pass('The bad requests got 200 with bestsellers.') : fail('Expected the bad requests to be hidden behind 200.');
      },
    },
  ],
  exercises: [
    {
      id: 'cached-fallback',
      title: 'Serve the last good suggestions, and say so',
      task: [
        'While recommendation-service is down (3–9 s) every product page shows the same three bestsellers, and nothing in the answer says they are a stand-in.',
        '',
        'Keep the last suggestions that came back for each product. When the recommendation service cannot answer, show those (the bestsellers only for a product with none yet), and add `degraded: true` to the page. Pages with real suggestions have no `degraded` flag.',
      ].join('\n'),
      hint: [
        '1. A good fallback for slowly changing data is the last good answer, and a fallback must say that it is one.',
        '2. So the product service needs a memory of the last suggestions per product, written whenever the recommender answers, and read when it does not.',
        '3. In the `catch`, use that memory for this product (the bestsellers only if there is nothing yet), and remember that this page is degraded.',
        '4. In code: `const lastGood = new Map<string, string[]>()`; `lastGood.set(id, items)` after a successful call; `lastGood.get(id) ?? BESTSELLERS` in the `catch`; and `...(degraded ? { degraded: true } : {})` in the JSON.',
      ].join('\n'),
      solution: cachedFallback,
      checks: [degradedDuringOutage, lastGoodServed],
    },
    {
      id: 'outages-only',
      title: 'Fall back for outages only',
      task: [
        "Twice, the shop's front end asks for 50 suggestions (`?recommendations=50`). The recommendation service answers **400**: it allows at most 20. The catch-all `catch` turns that into a 200 with bestsellers, so the bug in the front end is never noticed.",
        '',
        'Use the fallback only when the recommendation service *could not answer now*: it is down (refused connection), timed out, failed with a 5xx, or asked to be called later (408 Request Timeout, 429 Too Many Requests: it answers 429 for half a second at 10 s). When it says the *shopper\'s* request is wrong (the 400 here), answer the page request with that status instead. Keep the degraded fallback for the outage.',
        '',
        'Not every 4xx is the shopper\'s: a 401 or 403 would mean the product service\'s own credentials were refused. Passing that on would ask the shopper to log in; it is the product service\'s own failure (a 500, and an alert).',
      ].join('\n'),
      hint: [
        '1. The `catch` must ask *why* the call failed before it decides. Three answers: the recommender could not answer now (fall back), the shopper asked for something wrong (pass it on), or the product service itself is misconfigured (its own error).',
        "2. Refused connections and timeouts are other error classes than an answer with a status; an answer with an error status is an `HttpStatusError` (import it from 'playground') with `error.status`.",
        '3. Sort the statuses: 5xx, 408 and 429 mean "not now" (outage); 401 and 403 are about the product service\'s credentials (500 for the page); the other 4xx, here the 400, are the shopper\'s (answer with that status).',
        '4. In code: a small `classify(error)` returning `\'outage\' | \'bad-request\' | \'our-fault\'`, and in the `catch`: `if (kind === \'bad-request\') return res.status(error.status).json(…)`, then the existing degraded fallback for outages.',
      ].join('\n'),
      solution: outagesOnly,
      checks: [badRequestNotHidden, throttledDegraded, degradedDuringOutage],
    },
  ],
};

export default example;
