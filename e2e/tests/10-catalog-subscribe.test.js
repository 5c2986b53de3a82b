// P7–P8 in the browser: catalog, the step-by-step form with its draft, field errors from the
// browser and from the server, an idempotent submission, and the contract PDF.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, open, shot, plain } from '../lib/browser.js';
import { seedCatalog, seedClient, uniqueCin, uniqueMobile, contractsOf, call } from '../lib/api.js';
import { fillSubscription, download } from '../lib/flows.js';

process.env.E2E_FILE_TAG = 'subscribe';
let browser;
let catalog;
before(async () => {
  browser = await launch();
  catalog = await seedCatalog();
});
after(async () => { await browser?.close(); });

function isPdf(bytes) {
  return Buffer.from(bytes).subarray(0, 4).toString('latin1') === '%PDF';
}

test('the catalog groups offers by service with prices incl. tax and commitment', async () => {
  await withPage(browser, 'catalog', async (page) => {
    await open(page, '#/');
    await page.getByRole('heading', { level: 2, name: 'Mobile' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Internet' }).waitFor();
    const card = page.locator('li.offer').filter({ has: page.getByRole('heading', { name: catalog.middle.name }) });
    const text = plain(await card.innerText());
    assert.match(text, /118,80 MAD \/ mois TTC/); // 99,00 HT + 20 % TVA
    assert.match(text, /99,00 MAD HT/);
    assert.match(text, /Engagement 12 mois/);
    const basic = plain(await page.locator('li.offer').filter({ hasText: catalog.basic.name }).innerText());
    assert.match(basic, /58,80 MAD/);
    assert.match(basic, /Sans engagement/);
    await shot(page, 'catalog');
  });
});

test('the form works with the keyboard alone, with a visible focus, down to 320 px wide', async () => {
  await withPage(browser, 'keyboard', async (page) => {
    await page.setViewportSize({ width: 320, height: 640 });
    await open(page, '#/subscribe');
    await page.getByRole('heading', { name: /Étape 1 sur 5/ }).waitFor();
    const noSideScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.ok(await noSideScroll(), 'no horizontal scrolling at 320 px');
    // Tab from the top of the page to the first offer, choose it with the arrow keys.
    let active = '';
    for (let i = 0; i < 30 && active !== 'radio'; i += 1) {
      await page.keyboard.press('Tab');
      active = await page.evaluate(() => document.activeElement.type || '');
    }
    assert.equal(active, 'radio', 'the offers are reachable with Tab');
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.equal(ring, 'solid', 'the focused control shows its focus ring');
    await page.keyboard.press('ArrowDown');
    const chosen = await page.evaluate(() => document.activeElement.checked);
    assert.equal(chosen, true);
    await page.getByRole('button', { name: 'Continuer' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Étape 2 sur 5/ }).waitFor();
    // The new step takes the focus, so a screen reader announces it.
    assert.match(await page.evaluate(() => document.activeElement.textContent), /Étape 2 sur 5/);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-client-cin');
    await page.keyboard.press('Enter'); // nothing typed yet: errors, focus on the first field
    await page.locator('.error-summary').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-client-cin');
    assert.ok(await noSideScroll());
    await shot(page, 'keyboard-320px');
  });
});

test('a visitor subscribes step by step and downloads the contract PDF', async () => {
  await withPage(browser, 'subscribe-full', async (page) => {
    const cin = uniqueCin();
    const line = uniqueMobile();
    await open(page, '#/');
    await page.getByRole('link', { name: `Souscrire à ${catalog.middle.name}` }).click();
    await page.getByRole('heading', { name: /Étape 2 sur 5 : Identité/ }).waitFor();
    await page.waitForURL(/#\/subscribe\/drf_/);

    // A mistake is shown beside its field, named for assistive technology, before any call.
    await page.getByLabel('Numéro de CIN').fill('12345');
    await page.getByRole('button', { name: 'Continuer' }).click();
    const cinInput = page.getByLabel('Numéro de CIN');
    assert.equal(await cinInput.getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('#f-client-cin-error').innerText(), /une ou deux lettres/);
    assert.match(await cinInput.getAttribute('aria-describedby'), /f-client-cin-error/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'f-client-cin');
    await shot(page, 'identity-errors');

    await page.getByLabel('Numéro de CIN').fill(cin.toLowerCase());
    await page.getByLabel('Prénom', { exact: true }).fill('Youssef');
    await page.getByLabel('Nom', { exact: true }).fill('Alaoui');
    await page.getByLabel('Adresse e-mail').fill('youssef@example.ma');
    await page.getByLabel('Ville').fill('Casablanca');
    await shot(page, 'identity');
    await page.getByRole('button', { name: 'Continuer' }).click();

    await page.getByRole('heading', { name: /Étape 3 sur 5 : Ligne/ }).waitFor();
    await page.getByLabel('Numéro de mobile à activer').fill('0537000000');
    await page.getByRole('button', { name: 'Continuer' }).click();
    assert.match(await page.locator('#f-subscriber-service-identifier-error').innerText(), /06 ou 07/);
    await page.getByLabel('Numéro de mobile à activer').fill(line);
    await shot(page, 'line');
    await page.getByRole('button', { name: 'Continuer' }).click();

    await page.getByRole('heading', { name: /Étape 4 sur 5 : Date de début/ }).waitFor();
    await shot(page, 'start-date');
    await page.getByRole('button', { name: 'Continuer' }).click();

    await page.getByRole('heading', { name: /Étape 5 sur 5 : Récapitulatif/ }).waitFor();
    const review = plain(await page.locator('form.step').innerText());
    assert.match(review, new RegExp(cin));
    assert.match(review, /Youssef Alaoui/);
    assert.match(review, /118,80 MAD TTC/);
    assert.match(review, /\d{2}\/\d{2}\/\d{4}/);
    await shot(page, 'review');
    await page.getByRole('button', { name: 'Confirmer la souscription' }).click();

    const number = await page.locator('#contract-number').innerText();
    assert.ok(number.length > 0);
    await shot(page, 'confirmation');
    const link = page.getByRole('link', { name: 'Télécharger mon contrat (PDF)' });
    const response = await page.request.get(await link.getAttribute('href'));
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /^application\/pdf/);
    assert.ok(isPdf(await response.body()), 'the link serves a PDF');
    assert.ok(isPdf(await download(page, link)), 'clicking the link downloads a PDF');

    const { contracts } = await contractsOf(cin);
    assert.equal(contracts.length, 1);
    assert.equal(contracts[0].contract_number, number);
    assert.equal(contracts[0].offer_id, catalog.middle.id);
  });
});

test('reloading the page or opening the shared link restores the draft', async () => {
  await withPage(browser, 'draft-restore', async (page) => {
    await open(page, '#/subscribe');
    await page.getByRole('heading', { name: /Étape 1 sur 5 : Offre/ }).waitFor();
    await page.getByLabel(new RegExp(catalog.premium.name)).check();
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByRole('heading', { name: /Étape 2 sur 5/ }).waitFor();
    await page.waitForURL(/#\/subscribe\/drf_/);
    const saved = page.waitForResponse((r) => r.url().includes('/landing/drafts/') && r.request().method() === 'PUT');
    await page.getByLabel('Numéro de CIN').fill('BK123456');
    await page.getByLabel('Prénom', { exact: true }).fill('Nadia');
    await saved;
    await page.locator('#save-status[data-saved="true"]').waitFor();
    await shot(page, 'draft-saved');
    const link = page.url();
    const draftId = /drf_[0-9A-Za-z]+/.exec(link)[0];

    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    await page.getByRole('heading', { name: /Étape 2 sur 5/ }).waitFor();
    assert.equal(await page.getByLabel('Numéro de CIN').inputValue(), 'BK123456');
    assert.equal(await page.getByLabel('Prénom', { exact: true }).inputValue(), 'Nadia');
    await shot(page, 'draft-reloaded');

    // The same link in another browser tab, as when shared.
    const other = await browser.context.newPage();
    await other.goto(link);
    await other.getByRole('heading', { name: /Étape 2 sur 5/ }).waitFor();
    assert.equal(await other.getByLabel('Prénom', { exact: true }).inputValue(), 'Nadia');
    await other.getByRole('button', { name: 'Précédent' }).click();
    assert.equal(await other.getByLabel(new RegExp(catalog.premium.name)).isChecked(), true);
    await other.close();

    const draft = await call('GET', `/api/v1/landing/drafts/${draftId}`, { admin: false });
    assert.equal(draft.payload.client.first_name, 'Nadia');
    assert.equal(draft.payload.offer_id, catalog.premium.id);
  });
});

test('an unknown draft link says so and offers a new start', async () => {
  await withPage(browser, 'draft-unknown', async (page) => {
    await open(page, '#/subscribe/drf_01JZZZZZZZZZZZZZZZZZZZZZZZ');
    await page.getByText('Ce brouillon n’existe plus').waitFor();
    await page.getByRole('link', { name: 'Commencer une nouvelle souscription' }).waitFor();
  });
});

test('a double click and a lost answer still create one contract', async () => {
  await withPage(browser, 'double-submit', async (page) => {
    const cin = uniqueCin();
    await fillSubscription(page, { offer: catalog.basic, cin, line: uniqueMobile() });
    const keys = [];
    const statuses = [];
    const replayed = [];
    let first = true;
    // The first attempt reaches the server, but its answer is lost on the way back.
    await page.route('**/api/v1/landing/submit/new', async (route) => {
      keys.push(route.request().headers()['idempotency-key']);
      if (first) {
        first = false;
        const answer = await route.fetch();
        statuses.push(answer.status());
        await route.abort('connectionreset');
        return;
      }
      const answer = await route.fetch();
      statuses.push(answer.status());
      replayed.push(answer.headers()['idempotent-replayed']);
      await route.fulfill({ response: answer });
    });
    await page.getByRole('button', { name: 'Confirmer la souscription' }).dblclick();
    await page.locator('#contract-number').waitFor();
    await shot(page, 'double-submit-confirmation');
    assert.deepEqual(statuses, [201, 201], 'created, then replayed');
    assert.equal(keys.length, 2, 'one click is ignored; the lost answer is retried once');
    assert.match(keys[0], /^[0-9a-f-]{36}$/);
    assert.equal(keys[1], keys[0], 'the retry reuses the Idempotency-Key');
    assert.deepEqual(replayed, ['true']);
    const { contracts } = await contractsOf(cin);
    assert.equal(contracts.length, 1);
  });
});

test('the server’s refusals are shown beside the fields they name', async () => {
  await withPage(browser, 'server-errors', async (page) => {
    // A line already held by a live contract is refused by the server only.
    const holder = await seedClient(catalog.basic);
    await fillSubscription(page, { offer: catalog.basic, cin: uniqueCin(), line: holder.line });
    await page.getByRole('button', { name: 'Confirmer la souscription' }).click();
    await page.getByRole('heading', { name: /Étape 3 sur 5 : Ligne/ }).waitFor();
    const lineInput = page.getByLabel('Numéro de mobile à activer');
    assert.equal(await lineInput.getAttribute('aria-invalid'), 'true');
    assert.ok((await page.locator('#f-subscriber-service-identifier-error').innerText()).length > 0);
    await shot(page, 'server-line-in-use');

    // A validation problem naming two fields (answer stubbed: the browser checks would stop
    // these values before the server sees them).
    await page.route('**/api/v1/landing/submit/new', (route) => route.fulfill({
      status: 422,
      contentType: 'application/problem+json',
      body: JSON.stringify({
        type: 'https://mt-facturation.ma/problems/validation_failed',
        title: 'Validation failed', status: 422, code: 'validation_failed', detail: '2 fields',
        errors: [
          { field: 'client.email', message: 'must be an e-mail address such as name@example.ma' },
          { field: 'contract_start_date', message: 'must not be in the past' },
        ],
      }),
    }));
    await lineInput.fill(uniqueMobile());
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByRole('button', { name: 'Confirmer la souscription' }).click();
    await page.getByRole('heading', { name: /Étape 2 sur 5 : Identité/ }).waitFor();
    assert.match(await page.locator('#f-client-email-error').innerText(), /e-mail address/);
    assert.equal(await page.getByLabel('Adresse e-mail').getAttribute('aria-invalid'), 'true');
    const summary = page.getByRole('alert').filter({ hasText: 'à corriger' });
    assert.match(await summary.innerText(), /Certains champs sont à corriger/);
    await shot(page, 'server-validation');
  });
});
