// Issue 23: the skip link keeps the view, focus and announcements after the CIN check, page
// titles, 44 px touch targets, errors tied to their fields, and visible focus rings.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, open, shot, PHONE, DESKTOP } from '../lib/browser.js';
import { seedCatalog, seedClient, billingRun, uniqueCin, uniqueMobile } from '../lib/api.js';
import { fillSubscription, verifyCin } from '../lib/flows.js';

process.env.E2E_FILE_TAG = 'keyboard';
let browser;
let catalog;
let client;
before(async () => {
  browser = await launch();
  catalog = await seedCatalog();
  client = await seedClient(catalog.middle, { backdated: true });
  await billingRun(client.period).catch(() => {});
});
after(async () => { await browser?.close(); });

const active = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return { tag: el.tagName, id: el.id, text: (el.textContent || '').trim().slice(0, 80) };
});

/** Back to the skip link (the stop before the brand link), then follow it with Enter. */
async function skip(page) {
  await page.evaluate(() => document.querySelector('.brand').focus());
  await page.keyboard.press('Shift+Tab');
  assert.equal((await active(page)).text, 'Aller au contenu');
  await page.keyboard.press('Enter');
}

test('the skip link moves focus into the form without leaving the subscription step', async () => {
  await withPage(browser, 'skip-link-subscribe', async (page) => {
    await open(page, `#/subscribe?offer=${encodeURIComponent(catalog.basic.id)}`);
    await page.getByRole('heading', { name: /Étape 2 sur 5/ }).waitFor();
    await page.getByLabel('Prénom', { exact: true }).fill('Karim');
    await page.waitForURL(/#\/subscribe\/drf_/);
    const before = page.url();
    await skip(page);
    assert.equal((await active(page)).id, 'main', 'focus is on the main content');
    assert.equal(page.url(), before, 'the address still names the draft');
    await page.getByRole('heading', { name: /Étape 2 sur 5/ }).waitFor({ timeout: 1000 });
    assert.equal(await page.getByLabel('Prénom', { exact: true }).inputValue(), 'Karim');
    // The next Tab goes on inside the main content.
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.getElementById('main').contains(document.activeElement)));
    await shot(page, 'skip-link-kept-step');
  });
});

test('the skip link keeps Mon espace, and an in-page anchor typed in the address is not a route', async () => {
  await withPage(browser, 'skip-link-account', async (page) => {
    await verifyCin(page, client.cin);
    await skip(page);
    assert.equal((await active(page)).id, 'main');
    assert.match(page.url(), /#\/account$/);
    await page.getByRole('heading', { name: 'Mes abonnements' }).waitFor({ timeout: 1000 });
    // Following `#main` as a plain link (no script on the click) keeps the view too.
    await page.evaluate(() => { window.location.hash = '#main'; });
    await page.waitForFunction(() => window.location.hash === '#/account');
    await page.getByRole('heading', { name: 'Mes abonnements' }).waitFor({ timeout: 1000 });
    assert.equal((await active(page)).id, 'main');
  });
});

test('after the CIN check, focus lands on the greeting, which is announced; stale errors are gone', async () => {
  await withPage(browser, 'focus-after-check', async (page) => {
    await open(page, '#/account');
    assert.equal(await page.title(), 'Vérifiez votre identité — Mon espace — MT Télécom');
    await page.getByLabel('Numéro de CIN').fill('ZZ9999999');
    await page.getByRole('button', { name: 'Accéder à mon espace' }).click();
    await page.waitForFunction(() => document.getElementById('announcer').textContent.includes('Aucun client'));
    await page.getByLabel('Numéro de CIN').fill(client.cin);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Mes abonnements' }).waitFor();
    const focused = await active(page);
    assert.equal(focused.id, 'hello', `focus is on ${JSON.stringify(focused)}`);
    assert.match(focused.text, /^Bonjour Salma B\./);
    await page.waitForFunction(() => document.getElementById('announcer').textContent.startsWith('Bonjour'));
    const said = await page.locator('#announcer').textContent();
    assert.doesNotMatch(said, /Aucun client/);
    assert.match(said, /abonnements/);
    assert.equal(await page.title(), 'Mes abonnements — Mon espace — MT Télécom');
    // The greeting's focus ring is visible against the page.
    const ring = await ringContrast(page, '#hello');
    assert.ok(ring >= 3, `greeting focus ring contrast ${ring.toFixed(2)}:1`);
    await shot(page, 'focus-greeting');
  });
});

test('each step and the confirmation have their own page title', async () => {
  await withPage(browser, 'titles', async (page) => {
    await open(page, '#/');
    await page.locator('li.offer').first().waitFor();
    assert.equal(await page.title(), 'Nos offres — MT Télécom');
    await fillSubscription(page, { offer: catalog.basic, cin: uniqueCin(), line: uniqueMobile() });
    assert.equal(await page.title(), 'Étape 5 sur 5 : Récapitulatif — Souscrire en ligne — MT Télécom');
    await page.getByRole('button', { name: 'Précédent' }).click();
    assert.equal(await page.title(), 'Étape 4 sur 5 : Date de début — Souscrire en ligne — MT Télécom');
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByRole('button', { name: 'Confirmer la souscription' }).click();
    await page.locator('#contract-number').waitFor();
    assert.equal(await page.title(), 'Souscription enregistrée — Souscrire en ligne — MT Télécom');
    // The confirmation card is focused and its ring is at least 3:1 against the page.
    assert.ok(await page.evaluate(() => document.activeElement.classList.contains('confirmation')));
    const ring = await ringContrast(page, '.confirmation');
    assert.ok(ring >= 3, `confirmation focus ring contrast ${ring.toFixed(2)}:1`);
  });
});

/** Height of each element matched, as `[{text, height}]`. */
function heights(page, selector) {
  return page.locator(selector).evaluateAll((els) => els.map((el) => ({
    text: (el.textContent || '').trim().slice(0, 40), height: el.getBoundingClientRect().height,
  })));
}

function assertTall(list, what) {
  assert.ok(list.length > 0, `${what}: none found`);
  for (const { text, height } of list) {
    assert.ok(height >= 44, `${what} "${text}" is ${height.toFixed(1)} px tall`);
  }
}

for (const size of [PHONE, DESKTOP]) {
  test(`touch targets are at least 44 px tall (${size.width} px wide)`, async () => {
    await withPage(browser, `targets-${size.width}`, async (page) => {
      await page.setViewportSize(size);
      await open(page, `#/subscribe?offer=${encodeURIComponent(catalog.basic.id)}`);
      await page.getByRole('heading', { name: /Étape 2 sur 5/ }).waitFor();
      assertTall(await heights(page, '.brand'), 'brand link');
      assertTall(await heights(page, '.steps li'), 'progress step');
      assertTall(await heights(page, '.steps button'), 'progress step button');
      await page.locator('.draft-link').waitFor();
      assertTall(await heights(page, '.draft-link'), 'draft link');
      await page.getByRole('button', { name: 'Continuer' }).click();
      await page.locator('.error-summary').waitFor();
      assertTall(await heights(page, '.error-summary a'), 'error-summary link');

      await page.goto('/#/');
      await verifyCin(page, client.cin);
      await page.locator('.invoice-download').first().waitFor();
      assertTall(await heights(page, '.invoice-download'), 'invoice download');
    });
  });
}

test('offer and plan-change errors are tied to their fields; the warning sign is not read', async () => {
  await withPage(browser, 'errors-tied', async (page) => {
    await open(page, '#/subscribe');
    await page.getByRole('heading', { name: /Étape 1 sur 5/ }).waitFor();
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.locator('#offer-error').waitFor();
    const radios = page.locator('input[name="offer_id"]');
    for (const radio of await radios.all()) {
      assert.equal(await radio.getAttribute('aria-invalid'), 'true');
      assert.equal(await radio.getAttribute('aria-describedby'), 'offer-error');
    }
    assert.equal(await page.locator('#offer-error .field-error-sign').getAttribute('aria-hidden'), 'true');
    assert.equal(await page.locator('#offer-error .field-error-sign').textContent(), '⚠ ');
    // Choosing an offer clears the error from every radio.
    await page.getByLabel(new RegExp(catalog.basic.name)).check();
    assert.equal(await radios.first().getAttribute('aria-invalid'), null);
    assert.equal(await page.locator('#offer-error').count(), 0);

    await page.goto('/#/');
    await verifyCin(page, client.cin);
    const card = page.locator('li.subscription').first();
    await card.getByRole('button', { name: 'Changer d’offre' }).click();
    const date = card.getByLabel('Date d’effet (début du nouveau contrat)');
    await date.fill('2001-01-01');
    await card.getByRole('button', { name: 'Confirmer le changement' }).click();
    const offerError = card.locator('fieldset .field-error');
    await offerError.waitFor();
    assert.match(await offerError.textContent(), /Choisissez la nouvelle offre/);
    const errorId = await offerError.getAttribute('id');
    for (const radio of await card.locator('input[type=radio]').all()) {
      assert.equal(await radio.getAttribute('aria-invalid'), 'true');
      assert.equal(await radio.getAttribute('aria-describedby'), errorId);
    }
    assert.equal(await date.getAttribute('aria-invalid'), 'true');
    const dateErrorId = await date.getAttribute('aria-describedby');
    assert.match(await page.locator(`#${dateErrorId}`).textContent(), /date/);
    assert.equal(await card.locator('.alerts .notice').count(), 0, 'no separate error box');
    assert.equal(await card.locator('input[type=radio]').first().evaluate((el) => el === document.activeElement), true);
    await shot(page, 'plan-change-errors');
  });
});

test('the date field and its calendar button keep the portal’s focus ring', async () => {
  await withPage(browser, 'date-ring', async (page) => {
    await open(page, `#/subscribe?offer=${encodeURIComponent(catalog.basic.id)}`);
    await page.getByRole('heading', { name: /Étape 2 sur 5/ }).waitFor();
    await page.getByLabel('Date de naissance').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Shift+Tab');
    const style = await page.evaluate(() => {
      const el = document.activeElement;
      const s = getComputedStyle(el);
      return { type: el.type, outline: s.outlineStyle, color: s.outlineColor, width: s.outlineWidth };
    });
    assert.equal(style.type, 'date');
    assert.equal(style.outline, 'solid');
    assert.equal(style.width, '3px');
    // The calendar button is a part of the input: its ring is a rule of its own, read from
    // the style sheet (a script cannot focus the button itself).
    const button = await page.evaluate(() => {
      for (const sheet of document.styleSheets) {
        for (const rule of sheet.cssRules) {
          if ((rule.selectorText || '').includes('::-webkit-calendar-picker-indicator:focus-visible')) {
            // Shorthands with var() keep their longhands unresolved: read the declaration text.
            return rule.style.cssText;
          }
        }
      }
      return null;
    });
    assert.ok(button, 'a focus rule for the calendar button');
    assert.match(button, /outline: 3px solid var\(--focus\)/);
    assert.match(button, /box-shadow: 0 0 0 5px var\(--ink\)/);
  });
});

/**
 * Contrast between the focus outline of `selector` (focused) and the background around it
 * (the first ancestor with an opaque background).
 */
function ringContrast(page, selector) {
  return page.locator(selector).first().evaluate((el) => {
    const rgb = (text) => (text.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const c = [r, g, b].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const style = getComputedStyle(el);
    if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) return 0;
    let around = el.parentElement;
    while (around && rgb(getComputedStyle(around).backgroundColor)[3] === 0) around = around.parentElement;
    const bg = around ? rgb(getComputedStyle(around).backgroundColor) : [255, 255, 255];
    const [a, b] = [lum(rgb(style.outlineColor)), lum(bg)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  });
}
