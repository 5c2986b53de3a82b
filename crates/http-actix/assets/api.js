// The landing API (P7–P10, P13) as plain functions, and the problem+json errors it answers.

const BASE = '/api/v1/landing';

/** A failed call: an HTTP problem (RFC 9457) or a network failure (`status` 0). */
export class ApiProblem extends Error {
  constructor({ status, code, title, detail, errors, retryAfter, requestId, attemptsLeft }) {
    super(detail || title || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || '';
    this.title = title || '';
    this.detail = detail || '';
    this.errors = Array.isArray(errors) ? errors : [];
    this.retryAfter = retryAfter;
    this.requestId = requestId || '';
    // One-time code refused: how many tries remain (absent on other problems).
    this.attemptsLeft = Number.isInteger(attemptsLeft) ? attemptsLeft : undefined;
  }

  /** Whether the request may not have reached the server, or failed there transiently. */
  get retriable() {
    return this.status === 0 || this.status >= 500 || this.code === 'idempotency_key_in_use';
  }
}

/** `Retry-After` as seconds (delta-seconds or an HTTP date), or undefined. */
function retryAfterSeconds(value) {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

async function request(method, path, { body, headers = {}, preloaded = false } = {}) {
  const init = preloaded
    // The same request as the page's `<link rel="preload" as="fetch">`, so the browser hands
    // over the answer it already has instead of asking again.
    ? { method, credentials: 'same-origin' }
    : {
      method,
      headers: { Accept: 'application/json, application/problem+json', ...headers },
      credentials: 'same-origin',
      cache: 'no-store',
    };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`${BASE}${path}`, init);
  } catch {
    throw new ApiProblem({ status: 0, code: 'network_error' });
  }
  if (response.ok) {
    return response.status === 204 ? null : response.json();
  }
  let problem = {};
  try {
    problem = await response.json();
  } catch {
    // A proxy's HTML error page: keep the status only.
  }
  throw new ApiProblem({
    status: response.status,
    code: problem.code,
    title: problem.title,
    detail: problem.detail,
    errors: problem.errors,
    retryAfter: retryAfterSeconds(response.headers.get('Retry-After')),
    requestId: problem.request_id || response.headers.get('X-Request-Id'),
    attemptsLeft: problem.attempts_left,
  });
}

/** A random UUID v4; `crypto.randomUUID` only exists on secure origins, hence the fallback. */
export function newKey() {
  if (globalThis.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One submission attempt: the same body keeps the same Idempotency-Key (so a retry, a double
 * click or a reload can never create a second contract); a changed body gets a new key (the
 * server would answer 422 `idempotency_key_reused` otherwise). The pair is kept in
 * sessionStorage under `storageKey` so it survives a reload.
 */
export class Attempt {
  constructor(storageKey) {
    this.storageKey = storageKey;
  }

  /** The last attempt's `{key, body}` if one was made, to replay it after a reload. */
  last() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(this.storageKey) || 'null');
      return saved && saved.key ? { key: saved.key, body: JSON.parse(saved.fingerprint) } : null;
    } catch {
      return null;
    }
  }

  keyFor(body) {
    const fingerprint = JSON.stringify(body);
    let saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(this.storageKey) || 'null');
    } catch {
      saved = null;
    }
    if (saved && saved.fingerprint === fingerprint && saved.key) return saved.key;
    const key = newKey();
    sessionStorage.setItem(this.storageKey, JSON.stringify({ key, fingerprint }));
    return key;
  }
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** POSTs an idempotent write, retrying transient failures with the same key. */
async function idempotentPost(path, body, attempt) {
  const key = attempt.keyFor(body);
  const delays = [400, 1200, 2500];
  for (let i = 0; ; i += 1) {
    try {
      return await request('POST', path, { body, headers: { 'Idempotency-Key': key } });
    } catch (problem) {
      if (!(problem instanceof ApiProblem) || !problem.retriable || i >= delays.length) throw problem;
      await sleep(delays[i]);
    }
  }
}

/** P7: active offers and form metadata. */
export const bootstrap = () => request('GET', '/bootstrap', { preloaded: true });
/** P7: saves a new draft. */
export const createDraft = (payload) => request('POST', '/drafts', { body: { payload } });
/** P7: restores a draft (404 when expired or unknown). */
export const getDraft = (id) => request('GET', `/drafts/${encodeURIComponent(id)}`);
/** P7: updates a draft. */
export const updateDraft = (id, payload) =>
  request('PUT', `/drafts/${encodeURIComponent(id)}`, { body: { payload } });
/** P8: subscribes (idempotent). */
export const submitNew = (body, attempt) => idempotentPost('/submit/new', body, attempt);
/** P8/P10: a fresh contract document link for the owner's CIN. */
export const documentLink = (contractId, cin) =>
  request('POST', `/contracts/${encodeURIComponent(contractId)}/document-link`, { body: { cin } });
/**
 * P9/P13: proves the CIN. Answers the lookup token at once, or, when the server asks for a
 * second factor, a challenge `{challenge_id, channel, masked_destination}` to confirm.
 */
export const verifyCin = (cin) => request('POST', '/clients/verify-cin', { body: { cin } });
/** Confirms a verification challenge with the code the client received; answers as verifyCin. */
export const confirmCode = (challengeId, code) =>
  request('POST', '/clients/verify-cin/confirm', { body: { challenge_id: challengeId, code } });
/** P9: the client's subscriptions with their eligible offers. */
export const subscriptions = (cin, token) =>
  request('GET', `/clients/${encodeURIComponent(cin)}/subscriptions?lookup_token=${encodeURIComponent(token)}`);
/** P9: upgrade or downgrade (idempotent). */
export const planChange = (body, attempt) => idempotentPost('/submit/plan-change', body, attempt);
/** P13: the client's invoices with their download links (the 120 newest: ten years monthly). */
export const invoices = (cin, token) =>
  request('GET', `/clients/${encodeURIComponent(cin)}/invoices?lookup_token=${encodeURIComponent(token)}&limit=120`);
/** Issue #21: the client's usage this month, contract by contract. */
export const usage = (cin, token) =>
  request('GET', `/clients/${encodeURIComponent(cin)}/usage?lookup_token=${encodeURIComponent(token)}`);
