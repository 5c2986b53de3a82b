// Infrastructure: the server serves the portal, Chromium runs it under the page's CSP, and the
// catalog renders (offers, or a clear message when there are none or the API fails).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, open, shot, BASE } from '../lib/browser.js';

process.env.E2E_FILE_TAG = 'smoke';
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the page and its assets come with the security headers', async () => {
  const page = await fetch(`${BASE}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  assert.match(page.headers.get('content-security-policy'), /script-src 'self'; style-src 'self'/);
  assert.equal(page.headers.get('x-frame-options'), 'DENY');
  const script = await fetch(`${BASE}/assets/app.js`);
  assert.match(script.headers.get('content-type'), /^text\/javascript/);
  assert.equal((await fetch(`${BASE}/assets/missing.js`)).status, 404);
});

test('Chromium renders the catalog view without script errors or CSP violations', async () => {
  await withPage(browser, 'smoke-catalog', async (page) => {
    await open(page, '#/');
    await page.getByRole('heading', { level: 1, name: 'Nos offres' }).waitFor();
    // Either offer cards, or a message saying why there are none.
    await page.locator('.offer, .notice').first().waitFor();
    const cards = await page.locator('.offer').count();
    if (cards === 0) {
      const message = await page.locator('.notice').first().innerText();
      assert.match(message, /Aucune offre|Impossible de charger les offres/);
    }
    await shot(page, 'catalog');
    // Keyboard: the skip link is the first stop and is visible when focused.
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent);
    assert.equal(focused, 'Aller au contenu');
  });
});
