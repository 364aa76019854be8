import type { RequestHandler } from 'express';
import { inWindows, sampleLatency, statusText, type FaultPlan, type TimeWindow } from '../sim/index.js';
import type { RealNetwork } from './real-network.js';
import { exchangeOf } from './server-exchange.js';

/** True when a plan has faults that only the simulated broker can apply. */
export function hasBrokerFaults(plan: FaultPlan): boolean {
  return Object.keys(plan.queues ?? {}).length > 0 || plan.broker !== undefined;
}

/**
 * Middleware that applies the fault plan's HTTP faults of `service` to a
 * request reaching one of its routes (`pattern`, or none for a path no
 * route matches), before any handler: the extra latency first, then the
 * error rate, which answers `errorStatus` instead of the handler. Draws come
 * from the run's seeded forks, as in the simulated network, and each fault is
 * a `fault` trace event.
 *
 * @example
 * router.post('/payments', httpFaults('payment-service', network, '/payments'), ...handlers);
 */
export function httpFaults(service: string, network: RealNetwork, pattern: string | undefined): RequestHandler {
  const { trace, clock, faults } = network.options;
  return (_xreq, xres, next) => {
    const x = exchangeOf(xres);
    if (x.faulted) return next();
    x.faulted = true;
    const { req } = x;
    const own = faults.services?.[service];
    const route = faults.routes?.find(
      (r) => r.service === service && (r.method === undefined || r.method.toUpperCase() === req.method) && (r.path === req.path || r.path === pattern),
    );
    const errorRate = route?.errorRate ?? own?.errorRate ?? 0;
    const latency = route?.latency ?? own?.latency;
    const extra = latency ? sampleLatency(latency, network.latencyRng) : 0;
    const cause = { correlationId: req.correlationId, requestId: req.requestId };
    const proceed = () => {
      if (!(errorRate > 0 && network.faultRng.chance(errorRate))) return next();
      const status = route?.errorStatus ?? own?.errorStatus ?? 500;
      trace.record('fault', { source: service, target: req.from, ...cause, fault: 'error', detail: `${service} answers ${status} (injected)` });
      x.res.status(status).json({ error: `${statusText(status) || 'Error'} (injected fault)` });
    };
    if (extra <= 0) return proceed();
    trace.record('fault', { source: service, ...cause, fault: 'latency', detail: `${service} slowed by ${Math.round(extra)} ms` });
    clock.after(extra, proceed);
  };
}

/**
 * Calls `setDown(true)` when a down window of the plan opens and
 * `setDown(false)` when it closes (overlapping windows count as one), on
 * the run's clock. Returns whether the service is down now.
 */
export function followDownWindows(windows: readonly TimeWindow[] | undefined, network: RealNetwork, setDown: (down: boolean) => void): boolean {
  if (!windows?.length) return false;
  const { clock } = network.options;
  const now = clock.now();
  for (const edge of windows.flatMap((w) => [w.from, w.to])) {
    // Judged at the edge's own time, not at the moment the timer fires (which is a little later).
    if (edge > now) clock.after(edge - now, () => setDown(inWindows(edge, windows)));
  }
  return inWindows(now, windows);
}
