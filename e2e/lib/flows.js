// User journeys shared by several tests, written the way a person uses the page: by labels,
// roles and visible text.

import { open } from './browser.js';

/** Opens the form on `offer` and fills every step up to the review. */
export async function fillSubscription(page, { offer, cin, line, firstName = 'Youssef', lastName = 'Alaoui' }) {
  await open(page, `#/subscribe?offer=${encodeURIComponent(offer.id)}`);
  await page.getByRole('heading', { name: /Étape 2 sur 5/ }).waitFor();
  await page.getByLabel('Numéro de CIN').fill(cin);
  await page.getByLabel('Prénom', { exact: true }).fill(firstName);
  await page.getByLabel('Nom', { exact: true }).fill(lastName);
  await page.getByLabel('Adresse e-mail').fill('youssef.alaoui@example.ma');
  await page.getByLabel('Téléphone de contact').fill('0612345678');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByRole('heading', { name: /Étape 3 sur 5/ }).waitFor();
  await page.getByLabel('Numéro de mobile à activer').fill(line);
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByRole('heading', { name: /Étape 4 sur 5/ }).waitFor();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByRole('heading', { name: /Étape 5 sur 5/ }).waitFor();
}

/** Proves the CIN in Mon espace and waits for the subscriptions. */
export async function verifyCin(page, cin) {
  await open(page, '#/account');
  await page.getByLabel('Numéro de CIN').fill(cin);
  await page.getByRole('button', { name: 'Accéder à mon espace' }).click();
  await page.getByRole('heading', { name: 'Mes abonnements' }).waitFor();
}

/** Downloads through a link as a person clicking it would; returns the file's bytes. */
export async function download(page, link) {
  const { readFile } = await import('node:fs/promises');
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = await file.path();
  return readFile(path);
}
