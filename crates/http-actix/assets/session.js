// The verified CIN and its lookup token, kept in sessionStorage: gone when the tab closes,
// never sent anywhere but the landing API.

const KEY = 'mtf.lookup';

/** The stored lookup `{cin, lookup_token, expires_at, client}`, or null when absent/expired. */
export function load() {
  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(KEY) || 'null');
  } catch {
    return null;
  }
  if (!saved || typeof saved.cin !== 'string' || typeof saved.lookup_token !== 'string') return null;
  const expires = Date.parse(saved.expires_at || '');
  if (!Number.isNaN(expires) && expires <= Date.now()) {
    clear();
    return null;
  }
  return saved;
}

/** Keeps a `verify-cin` answer for the CIN it was issued for. */
export function save(cin, answer) {
  sessionStorage.setItem(KEY, JSON.stringify({
    cin,
    lookup_token: answer.lookup_token,
    expires_at: answer.expires_at,
    client: answer.client || {},
  }));
}

/** Forgets the lookup (the server refused the token). */
export function clear() {
  sessionStorage.removeItem(KEY);
}

/**
 * Forgets everything the portal stored in this tab (sign-out, CIN change): the lookup token,
 * submission attempts (full request bodies with the client's identity) and their answers
 * (contract document links). Another person using the tab afterwards finds nothing.
 */
export function clearAll() {
  for (const store of [sessionStorage, localStorage]) {
    const keys = [];
    for (let i = 0; i < store.length; i += 1) {
      const key = store.key(i);
      if (key && key.startsWith('mtf.')) keys.push(key);
    }
    keys.forEach((key) => store.removeItem(key));
  }
}
