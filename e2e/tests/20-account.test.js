// P9 and P13 in the browser: CIN verification, subscriptions with upgrade/downgrade choices,
// a plan change with its new PDF, invoices and credit notes with their PDFs, and refused or
// limited lookups.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, open, shot, plain, DESKTOP } from '../lib/browser.js';
import { seedCatalog, seedClient, billingRun, call, contractsOf } from '../lib/api.js';
import { verifyCin, download } from '../lib/flows.js';

process.env.E2E_FILE_TAG = 'account';
let browser;
let catalog;
let client;
before(async () => {
  browser = await launch();
  catalog = await seedCatalog();
  client = await seedClient(catalog.middle, { backdated: true });
});
after(async () => { await browser?.close(); });

const isPdf = (bytes) => Buffer.from(bytes).subarray(0, 4).toString('latin1') === '%PDF';
const frDate = (iso) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

test('a client sees subscriptions with upgrade and downgrade offers and changes plan', async () => {
  await withPage(browser, 'plan-change', async (page) => {
    await open(page, '#/account');
    await shot(page, 'verify-cin');
    await verifyCin(page, client.cin.toLowerCase());
    assert.equal(await page.locator('#hello').innerText(), 'Bonjour Salma B.');
    const card = page.locator('li.subscription').filter({ hasText: catalog.middle.name });
    const facts = await card.innerText();
    assert.match(facts, /Actif/);
    assert.match(facts, /•/, 'the line is masked');
    assert.ok(!facts.includes(client.line.slice(2)), 'the full line is not shown');
    await card.getByRole('button', { name: 'Changer d’offre' }).click();
    assert.equal(await card.getByRole('button', { name: 'Changer d’offre' }).getAttribute('aria-expanded'), 'true');
    const up = card.getByLabel(new RegExp(catalog.premium.name));
    const down = card.getByLabel(new RegExp(catalog.basic.name));
    assert.match(await card.locator('label', { hasText: catalog.premium.name }).innerText(), /Montée en gamme/);
    assert.match(await card.locator('label', { hasText: catalog.basic.name }).innerText(), /Offre inférieure/);
    assert.equal(await card.getByLabel(new RegExp(catalog.fibre.name)).count(), 0, 'other services are not offered');
    await shot(page, 'subscriptions');

    await up.check();
    assert.equal(await down.isChecked(), false);
    await card.getByRole('button', { name: 'Confirmer le changement' }).click();
    const done = page.locator('#plan-change-done');
    await done.waitFor();
    const message = await done.innerText();
    assert.match(message, /Montée en gamme enregistrée/);
    assert.match(message, new RegExp(catalog.premium.name));
    assert.match(message, /version 2/);
    await shot(page, 'plan-changed');
    const link = page.getByRole('link', { name: 'Télécharger le nouveau contrat (PDF)' });
    const response = await page.request.get(await link.getAttribute('href'));
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /^application\/pdf/);
    assert.ok(isPdf(await download(page, link)));

    const { contracts } = await contractsOf(client.cin);
    assert.equal(contracts[0].offer_id, catalog.premium.id);
    assert.equal(contracts[0].document_version, 2);
  });
});

test('a client downloads an invoice PDF with its amounts, status and dates', async () => {
  await withPage(browser, 'invoices', async (page) => {
    const run = await billingRun(client.period);
    assert.ok(run.invoice_ids.length >= 1);
    await page.setViewportSize(DESKTOP);
    await verifyCin(page, client.cin);
    // The run bills every billable contract; this client's invoice is the one shown.
    const { client: owner } = await contractsOf(client.cin);
    const listed = await call('GET', `/api/v1/invoices?client_id=${owner.id}`);
    assert.equal(listed.items.length, 1);
    const invoice = await call('GET', `/api/v1/invoices/${listed.items[0].id}`);
    const row = page.locator('tr', { hasText: invoice.invoice_number });
    await row.waitFor();
    const text = plain(await row.innerText());
    const euros = (c) => `${Math.floor(c / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ' ')},${String(c % 100).padStart(2, '0')} MAD`;
    assert.ok(text.includes(euros(invoice.total_incl_tax)), `${text} shows ${euros(invoice.total_incl_tax)}`);
    assert.ok(text.includes(frDate(invoice.issue_date)));
    assert.ok(text.includes(frDate(invoice.due_date)));
    assert.match(text, /À payer|Partiellement payée|Payée/);
    await shot(page, 'invoices');
    const link = row.getByRole('link', { name: `Télécharger la facture ${invoice.invoice_number} (PDF)` });
    const response = await page.request.get(await link.getAttribute('href'));
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /^application\/pdf/);
    assert.ok(isPdf(await download(page, link)));
  });
});

test('a credit note is listed beside its invoice and downloads as its own PDF', async () => {
  await withPage(browser, 'credit-note', async (page) => {
    await page.setViewportSize(DESKTOP);
    // Billed by the test above: a partial credit note of 10.00 MAD excl. tax on that invoice.
    const { client: owner } = await contractsOf(client.cin);
    const listed = await call('GET', `/api/v1/invoices?client_id=${owner.id}`);
    const invoice = listed.items[0];
    const note = await call('POST', `/api/v1/invoices/${invoice.id}/credit-notes`, {
      body: { reason: 'Geste commercial', lines: [{ position: 1, amount_excl_tax: 1000 }] },
      key: `e2e-note-${invoice.id}`,
      expect: 201,
    });
    await verifyCin(page, client.cin);
    const row = page.locator('tr', { hasText: note.credit_note_number });
    await row.waitFor();
    const text = plain(await row.innerText());
    assert.match(text, new RegExp(`Avoir sur ${invoice.invoice_number}`));
    assert.match(text, /− 12,00 MAD/);
    assert.ok(text.includes(frDate(note.issue_date)));
    await shot(page, 'credit-note');
    const link = row.getByRole('link', { name: `Télécharger l’avoir ${note.credit_note_number} (PDF)` });
    const response = await page.request.get(await link.getAttribute('href'));
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /^application\/pdf/);
    assert.ok(isPdf(await download(page, link)));
  });
});

test('a tampered lookup token sends the client back to the CIN check', async () => {
  await withPage(browser, 'expired-token', async (page) => {
    await open(page, '#/');
    await page.evaluate((cin) => {
      sessionStorage.setItem('mtf.lookup', JSON.stringify({
        cin, lookup_token: 'garbage.token.value', expires_at: new Date(Date.now() + 600000).toISOString(), client: { first_name: 'Salma' },
      }));
    }, client.cin);
    const refused = page.waitForResponse((r) => r.url().includes('/subscriptions?') && r.status() === 403);
    await page.getByRole('link', { name: 'Mon espace' }).click();
    await refused;
    await page.getByRole('alert').filter({ hasText: 'Vérifiez à nouveau votre CIN' }).waitFor();
    await page.getByLabel('Numéro de CIN').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('mtf.lookup')), null);
    await shot(page, 'expired-token');
    await page.getByLabel('Numéro de CIN').fill(client.cin);
    await page.getByRole('button', { name: 'Accéder à mon espace' }).click();
    await page.getByRole('heading', { name: 'Mes factures' }).waitFor();
  });
});

test('an unknown CIN is refused beside the field', async () => {
  await withPage(browser, 'unknown-cin', async (page) => {
    await open(page, '#/account');
    await page.getByLabel('Numéro de CIN').fill('ZZ9999999');
    await page.getByRole('button', { name: 'Accéder à mon espace' }).click();
    await page.locator('#cin-error').filter({ hasText: 'Aucun client ne correspond à ce CIN' }).waitFor();
    assert.equal(await page.getByLabel('Numéro de CIN').getAttribute('aria-invalid'), 'true');
  });
});

test('too many attempts say when to try again (429 with Retry-After)', async () => {
  await withPage(browser, 'rate-limited', async (page) => {
    // Stubbed: the test server's limit is raised so the other tests never meet it.
    await page.route('**/api/v1/landing/clients/verify-cin', (route) => route.fulfill({
      status: 429,
      headers: { 'Retry-After': '42', 'Content-Type': 'application/problem+json' },
      body: JSON.stringify({ type: 'about:blank', title: 'Too many requests', status: 429, code: 'rate_limited' }),
    }));
    await open(page, '#/account');
    await page.getByLabel('Numéro de CIN').fill(client.cin);
    const button = page.getByRole('button', { name: 'Accéder à mon espace' });
    await button.click();
    const alert = page.locator('#rate-limited');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Réessayez dans 4[12] secondes/);
    assert.equal(await button.isDisabled(), true);
    await shot(page, 'rate-limited');
  });
});
