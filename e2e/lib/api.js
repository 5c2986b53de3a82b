// Seeding and inspection through the server's own HTTP API (the admin token passes every
// role), so the tests need no database access.

import { randomUUID } from 'node:crypto';
import { BASE } from './browser.js';

const ADMIN = process.env.E2E_ADMIN_TOKEN || '';

/**
 * A JSON call; throws with the status and body when the answer is not `expect`. `server`
 * (`{base, token}`) targets another server than the suite's.
 */
export async function call(method, path, { body, expect = 200, admin = true, key, server } = {}) {
  const headers = { Accept: 'application/json' };
  if (admin) headers.Authorization = `Bearer ${server ? server.token : ADMIN}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (key) headers['Idempotency-Key'] = key;
  const response = await fetch(`${server ? server.base : BASE}${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== expect) {
    throw new Error(`${method} ${path} answered ${response.status}, expected ${expect}: ${text.slice(0, 600)}`);
  }
  return text ? JSON.parse(text) : null;
}

/** A short unique tag for codes, CINs and lines of one test run. */
export function tag() {
  return randomUUID().replace(/-/g, '').slice(0, 6).toUpperCase();
}

/** A valid CIN no other test uses. */
export function uniqueCin() {
  return `E${Math.floor(100000 + Math.random() * 899999)}${Math.floor(Math.random() * 10)}`;
}

/** A mobile number no other test uses, national form (06…). */
export function uniqueMobile() {
  return `06${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

/** Creates an active offer (P1). */
export async function createOffer({ code, name, serviceType = 'mobile', price, commitment = 12, server }) {
  return call('POST', '/api/v1/offers', {
    expect: 201,
    server,
    body: {
      code, name, description: `${name} (test e2e)`, service_type: serviceType,
      monthly_price: price, commitment_months: commitment,
    },
  });
}

/** Three mobile offers (cheap, middle, premium) and one internet offer, tagged. */
export async function seedCatalog(t = tag()) {
  const basic = await createOffer({ code: `E2E-MOB-S-${t}`, name: `Mobile Essentiel ${t}`, price: 4900, commitment: 0 });
  const middle = await createOffer({ code: `E2E-MOB-M-${t}`, name: `Mobile Confort ${t}`, price: 9900 });
  const premium = await createOffer({ code: `E2E-MOB-L-${t}`, name: `Mobile Premium ${t}`, price: 19900, commitment: 24 });
  const fibre = await createOffer({ code: `E2E-FIB-${t}`, name: `Fibre 100 ${t}`, serviceType: 'internet', price: 34900 });
  return { tag: t, basic, middle, premium, fibre };
}

/** `YYYY-MM-DD` of today plus `days`, in UTC. */
export function isoDay(days = 0) {
  const d = new Date(Date.now() + days * 86400000);
  return d.toISOString().slice(0, 10);
}

/** First day of the previous month, and that month as `YYYY-MM`. */
export function previousMonth() {
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const iso = first.toISOString().slice(0, 10);
  return { firstDay: iso, period: iso.slice(0, 7) };
}

/**
 * A client with one mobile contract: subscribed through the public API starting today, or,
 * when `backdated` is set, provisioned by the back office from the first day of last month
 * (so that last month can be billed).
 */
export async function seedClient(offer, { backdated = false, server } = {}) {
  const cin = uniqueCin();
  const line = uniqueMobile();
  const { firstDay, period } = previousMonth();
  const client = { cin, first_name: 'Salma', last_name: 'Berrada', email: 'salma@example.ma', phone: '0661000000' };
  let created;
  if (backdated) {
    // Last month must be billable: the back office may back-date a contract (P3, P4).
    const customer = await call('POST', '/api/v1/customers', { expect: 201, body: client });
    created = await call('POST', '/api/v1/contracts/provision', {
      expect: 201,
      body: {
        offer_id: offer.id, client_id: customer.id, contract_start_date: firstDay,
        subscriber: { service_identifier: line }, provisioning_intent: 'auto',
      },
    });
  } else {
    created = await call('POST', '/api/v1/landing/submit/new', {
      expect: 201,
      admin: false,
      server,
      key: randomUUID(),
      body: { client, offer_id: offer.id, contract_start_date: isoDay(), subscriber: { service_identifier: line } },
    });
  }
  return { cin, line, created, period };
}

/** Bills a month (P11) and returns the run. */
export async function billingRun(period) {
  return call('POST', '/api/v1/billing/runs', {
    expect: 201, key: randomUUID(), body: { period, issue_date: isoDay() },
  });
}

/** The client with this CIN and its contracts (admin view). */
export async function contractsOf(cin) {
  const clients = await call('GET', `/api/v1/customers?cin=${encodeURIComponent(cin)}`);
  const client = clients.items[0];
  if (!client) return { client: null, contracts: [] };
  const contracts = await call('GET', `/api/v1/contracts?client_id=${encodeURIComponent(client.id)}`);
  return { client, contracts: contracts.items };
}
