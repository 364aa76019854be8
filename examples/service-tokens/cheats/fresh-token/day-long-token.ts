// Cheat: the order service still signs its token once, at startup, but for 24
// hours, so order-2 is paid after the quiet hour without any renewal.
// rejected by: tokens-fresh
import { service, http, sleep, log, serviceTokens, requireServiceToken, type Request, type Response } from 'playground';

const PAYMENT_SERVICE_URL = 'http://payment-service';
// In production this comes from a secret store, never from the code.
const tokens = serviceTokens({ secret: 'shared-secret-of-at-least-32-bytes!!', ttlSeconds: 3600 });

/** A token for `service` acting as `role`, valid for one hour. */
function generateServiceToken(service: string, role: string): Promise<string> {
  return tokens.sign({ service, role });
}

/** Lets a request through only with a valid service token whose role is one of `allowed`. */
function requireRole(...allowed: string[]) {
  return async (req: Request, res: Response, next: () => void) => {
    const token = req.headers.authorization?.substring('Bearer '.length);
    let role: string;
    try {
      role = (await tokens.verify(token ?? '')).role;
    } catch (error) {
      // We do not know who this is: 401 Unauthorized.
      return res.status(401).json({ error: 'Invalid token', reason: (error as Error).message });
    }
    if (!allowed.includes(role)) {
      // We know who this is, and they may not do this: 403 Forbidden.
      return res.status(403).json({ error: `role ${role} may not ${req.method} ${req.path}` });
    }
    next();
  };
}

// --- payment service -------------------------------------------------------
const payments = service('payment-service');
const ledger = new Map<string, { id: string; orderId: string; amount: number }>();

payments.post('/payments', requireRole('payments:write'), (req, res) => {
  const payment = { id: `pay-${ledger.size + 1}`, orderId: req.body.orderId, amount: req.body.amount };
  ledger.set(payment.id, payment);
  res.status(201).json(payment);
});

payments.get('/payments/:id', requireRole('payments:read', 'payments:write'), (req, res) => {
  const payment = ledger.get(req.params.id);
  if (!payment) return res.status(404).json({ error: 'no such payment' });
  res.json(payment);
});

// --- inventory service: the order service reserves stock here, with the same token
const inventory = service('inventory-service');
/** What a careless request log in the inventory service keeps: every caller's Authorization header. */
const inventoryRequestLog: string[] = [];

inventory.post('/reservations', requireServiceToken(tokens), (req, res) => {
  inventoryRequestLog.push(req.headers.authorization ?? '');
  res.status(201).json({ orderId: req.body.orderId, reserved: true });
});

// --- order service: signs its token once, when it starts (like SERVICE_TOKEN in an env var)
const orders = service('order-service');
let SERVICE_TOKEN = '';

async function payForOrder(orderId: string, amount: number) {
  const response = await orders.http.post(
    `${PAYMENT_SERVICE_URL}/payments`,
    { orderId, amount, currency: 'USD' },
    { headers: { Authorization: `Bearer ${SERVICE_TOKEN}` }, validateStatus: () => true },
  );
  return response.status;
}

async function reserveStock(orderId: string) {
  const response = await orders.http.post('http://inventory-service/reservations', { orderId }, { headers: { Authorization: `Bearer ${SERVICE_TOKEN}` }, validateStatus: () => true });
  return response.status;
}

// --- analytics service: only needs to read payments -------------------------
const analytics = service('analytics-service');
let ANALYTICS_TOKEN = '';
const asAnalytics = () => ({ headers: { Authorization: `Bearer ${ANALYTICS_TOKEN}` }, validateStatus: () => true });

export default async function main() {
  // The services start: each signs the token it will use.
  // One token that outlives the quiet hour: no renewal needed... and a day of use for a thief.
  SERVICE_TOKEN = await tokens.sign({ service: 'order-service', role: 'payments:write' }, { ttlSeconds: 24 * 60 * 60 });
  ANALYTICS_TOKEN = await generateServiceToken('analytics-service', 'payments:read');
  // A copy of a token that ended up in a log file that day.
  const leakedToken = await generateServiceToken('order-service', 'payments:write');

  const seen: Record<string, number> = {};
  const note = (what: string, status: number) => {
    seen[what] = status;
    log.info(`${what}: ${status}`);
  };
  const outsider = (token?: string) => ({ headers: token ? { Authorization: `Bearer ${token}` } : undefined, validateStatus: () => true });

  note('order-service reserves stock for order-1', await reserveStock('order-1'));
  note('order-service pays order-1', await payForOrder('order-1', 40));
  note('analytics-service reads pay-1', (await analytics.http.get(`${PAYMENT_SERVICE_URL}/payments/pay-1`, asAnalytics())).status);
  // A buggy analytics job "replays" a payment. Should it be allowed to?
  note('analytics-service creates a payment', (await analytics.http.post(`${PAYMENT_SERVICE_URL}/payments`, { orderId: 'order-1', amount: 40 }, asAnalytics())).status);

  // Someone on the network calls the payment service directly.
  note('no token', (await http.post(`${PAYMENT_SERVICE_URL}/payments`, { orderId: 'x', amount: 1 }, outsider())).status);
  const forger = serviceTokens({ secret: 'a-guessed-secret-that-is-32-bytes!!', ttlSeconds: 3600 });
  const forged = await forger.sign({ service: 'order-service', role: 'service' });
  note('forged token', (await http.post(`${PAYMENT_SERVICE_URL}/payments`, { orderId: 'x', amount: 1 }, outsider(forged))).status);
  // Whoever reads the inventory service's request log (or has broken into it) holds
  // a token the order service sent there. Is it good at the payment service too?
  const replay = { headers: { Authorization: inventoryRequestLog[0] ?? '' }, validateStatus: () => true };
  note('inventory-service replays the token it was sent', (await inventory.http.post(`${PAYMENT_SERVICE_URL}/payments`, { orderId: 'x', amount: 500 }, replay)).status);

  // An hour and a minute later, the next order comes in...
  await sleep(61 * 60 * 1000);
  note('order-service pays order-2, an hour later', await payForOrder('order-2', 25));
  // ...and someone tries the token from the log file.
  note('leaked token, an hour later', (await http.post(`${PAYMENT_SERVICE_URL}/payments`, { orderId: 'x', amount: 1 }, outsider(leakedToken))).status);
  return seen;
}
