// Issue 23: axe-core (WCAG 2.1 AA and 2.2 AA) on every state of the portal, on a phone and on
// a laptop: the catalog, each subscription step with and without errors, the review, the
// confirmation, the identity check of an existing CIN, Mon espace (CIN check, its error, the
// one-time code, the client space with invoices), and a plan change (open, refused, done).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, open, PHONE } from '../lib/browser.js';
import { seedCatalog, seedClient, billingRun, uniqueCin, uniqueMobile } from '../lib/api.js';
import { fillSubscription, verifyCin } from '../lib/flows.js';
import { assertAccessible, checked } from '../lib/axe.js';

process.env.E2E_FILE_TAG = 'a11y';
/** The audit's two sizes. */
const LAPTOP = { width: 1280, height: 800 };
let browser;
let catalog;
let client;
before(async () => {
  browser = await launch();
  catalog = await seedCatalog();
  client = await seedClient(catalog.middle, { backdated: true });
  // Invoices for the client space; another test file may already have billed that month.
  await billingRun(client.period).catch(() => {});
});
after(async () => {
  await browser?.close();
  process.stdout.write(`# axe-core states checked (${checked.length}): ${checked.join('; ')}\n`);
});

const CHALLENGE = { challenge_id: 'chl_e2e_a11y', channel: 'sms', masked_destination: '06•••••12' };

for (const size of [PHONE, LAPTOP]) {
  const where = `${size.width}x${size.height}`;

  test(`every subscription state has no axe violation (${where})`, async () => {
    await withPage(browser, `a11y-subscribe-${where}`, async (page) => {
      await page.setViewportSize(size);
      await open(page, '#/');
      await page.locator('li.offer').first().waitFor();
      await assertAccessible(page, 'catalog');

      await open(page, '#/subscribe');
      await page.getByRole('heading', { name: /Étape 1 sur 5/ }).waitFor();
      await assertAccessible(page, 'step 1 offer');
      await page.getByRole('button', { name: 'Continuer' }).click();
      await page.locator('#offer-error').waitFor();
      await assertAccessible(page, 'step 1 offer, error');
      await page.getByLabel(new RegExp(catalog.basic.name)).check();
      await page.getByRole('button', { name: 'Continuer' }).click();

      await page.getByRole('heading', { name: /Étape 2 sur 5/ }).waitFor();
      await assertAccessible(page, 'step 2 identity');
      await page.getByRole('button', { name: 'Continuer' }).click();
      await page.locator('.error-summary').waitFor();
      await assertAccessible(page, 'step 2 identity, errors');
      await page.getByLabel('Numéro de CIN').fill(uniqueCin());
      await page.getByLabel('Prénom', { exact: true }).fill('Amina');
      await page.getByLabel('Nom', { exact: true }).fill('Tazi');
      await page.getByRole('button', { name: 'Continuer' }).click();

      await page.getByRole('heading', { name: /Étape 3 sur 5/ }).waitFor();
      await assertAccessible(page, 'step 3 line');
      await page.getByLabel('Numéro de mobile à activer').fill('0512');
      await page.getByRole('button', { name: 'Continuer' }).click();
      await page.locator('.error-summary').waitFor();
      await assertAccessible(page, 'step 3 line, error');
      await page.getByLabel('Numéro de mobile à activer').fill(uniqueMobile());
      await page.getByRole('button', { name: 'Continuer' }).click();

      await page.getByRole('heading', { name: /Étape 4 sur 5/ }).waitFor();
      await assertAccessible(page, 'step 4 start date');
      await page.getByLabel('Date de début du contrat').fill('2000-01-01');
      await page.getByRole('button', { name: 'Continuer' }).click();
      await page.locator('.error-summary').waitFor();
      await assertAccessible(page, 'step 4 start date, error');
      await page.getByLabel('Date de début du contrat').fill(new Date().toISOString().slice(0, 10));
      await page.getByRole('button', { name: 'Continuer' }).click();

      await page.getByRole('heading', { name: /Étape 5 sur 5/ }).waitFor();
      await assertAccessible(page, 'step 5 review');
      await page.getByRole('button', { name: 'Confirmer la souscription' }).click();
      await page.locator('#contract-number').waitFor();
      await assertAccessible(page, 'confirmation');
    });
  });

  test(`the identity check of an existing CIN has no axe violation (${where})`, async () => {
    await withPage(browser, `a11y-identity-${where}`, async (page) => {
      await page.setViewportSize(size);
      // Stubbed: the answer the server gives a subscription on a client's CIN without proof.
      await page.route('**/api/v1/landing/submit/new', (route) => route.fulfill({
        status: 409,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Conflict', status: 409, code: 'client_exists_verify_cin', detail: 'verify the CIN first' }),
      }));
      await page.route('**/api/v1/landing/clients/verify-cin', (route) => route.fulfill({
        status: 200, contentType: 'application/json', body: JSON.stringify(CHALLENGE),
      }));
      await fillSubscription(page, { offer: catalog.basic, cin: client.cin, line: uniqueMobile() });
      await page.getByRole('button', { name: 'Confirmer la souscription' }).click();
      await page.getByRole('heading', { name: 'Confirmez votre identité' }).waitFor();
      await assertAccessible(page, 'identity check');
      await page.getByRole('button', { name: 'Vérifier mon CIN' }).click();
      await page.getByLabel('Code de vérification (6 chiffres)').waitFor();
      await assertAccessible(page, 'identity check, code');
    });
  });

  test(`every state of Mon espace has no axe violation (${where})`, async () => {
    await withPage(browser, `a11y-account-${where}`, async (page) => {
      await page.setViewportSize(size);
      await open(page, '#/account');
      await page.getByLabel('Numéro de CIN').waitFor();
      await assertAccessible(page, 'Mon espace, CIN check');
      await page.getByLabel('Numéro de CIN').fill('ZZ9999999');
      await page.getByRole('button', { name: 'Accéder à mon espace' }).click();
      await page.locator('#cin-error:not([hidden])').waitFor();
      await assertAccessible(page, 'Mon espace, unknown CIN');

      // The code step, stubbed: this server runs without the second factor.
      await page.route('**/api/v1/landing/clients/verify-cin', (route) => route.fulfill({
        status: 200, contentType: 'application/json', body: JSON.stringify(CHALLENGE),
      }));
      await page.route('**/api/v1/landing/clients/verify-cin/confirm', (route) => route.fulfill({
        status: 422,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Invalid code', status: 422, code: 'otp_invalid', attempts_left: 2 }),
      }));
      await page.getByLabel('Numéro de CIN').fill(client.cin);
      await page.getByRole('button', { name: 'Accéder à mon espace' }).click();
      await page.getByLabel('Code de vérification (6 chiffres)').waitFor();
      await assertAccessible(page, 'Mon espace, one-time code');
      await page.getByLabel('Code de vérification (6 chiffres)').fill('123456');
      await page.getByRole('button', { name: 'Valider le code' }).click();
      await page.locator('#otp-error:not([hidden])').waitFor();
      await assertAccessible(page, 'Mon espace, wrong code');
      await page.unrouteAll();

      await page.reload();
      await verifyCin(page, client.cin);
      await page.locator('li.subscription').first().waitFor();
      await page.locator('table.invoices, .bills p').first().waitFor();
      await assertAccessible(page, 'Mon espace, subscriptions and invoices');
      const card = page.locator('li.subscription').first();
      await card.getByRole('button', { name: 'Changer d’offre' }).click();
      await assertAccessible(page, 'plan change, open');
      await card.getByRole('button', { name: 'Confirmer le changement' }).click();
      await card.locator('.field-error:not([hidden])').first().waitFor();
      await assertAccessible(page, 'plan change, errors');
      await card.locator('input[type=radio]').first().check();
      await card.getByRole('button', { name: 'Confirmer le changement' }).click();
      await page.locator('#plan-change-done').waitFor();
      await assertAccessible(page, 'plan change, done');
    });
  });
}

test('the check fails on a page with a violation', async () => {
  await withPage(browser, 'a11y-self-check', async (page) => {
    await open(page, '#/');
    await page.evaluate(() => {
      const input = document.createElement('input'); // no label
      document.getElementById('main').append(input);
    });
    await assert.rejects(assertAccessible(page, 'planted unlabelled input'), /label/);
    checked.pop();
  });
});

test('the audit ran on every listed state', () => {
  // Guards against a state silently dropped from the loops above.
  assert.ok(checked.length >= 2 * 20, `${checked.length} runs`);
});
