// Debian's Chromium driven by playwright-core: one fresh profile per test file, screenshots of
// each step (and of failures) under target/e2e-screenshots/, and a watch on page errors and
// Content-Security-Policy violations.

import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHOTS = join(ROOT, 'target', 'e2e-screenshots');
export const BASE = process.env.E2E_BASE_URL || 'http://127.0.0.1:8080';
const EXECUTABLE = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

/** A phone-sized viewport: the portal is designed mobile first. */
export const PHONE = { width: 390, height: 844 };
/** A laptop-sized viewport, for tables. */
export const DESKTOP = { width: 1280, height: 900 };

/** Launches Chromium with a fresh user-data-dir; `close()` also removes the profile. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'mtf-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: EXECUTABLE,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--lang=fr-FR',
    ],
    // A French browser (chromium-l10n): date inputs read jj/mm/aaaa as a client's would.
    env: { ...process.env, LANGUAGE: 'fr', LANG: 'fr_FR.UTF-8' },
    viewport: PHONE,
    locale: 'fr-MA',
    timezoneId: 'Africa/Casablanca',
    acceptDownloads: true,
    baseURL: BASE,
  });
  context.setDefaultTimeout(15000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** Saves a full-page screenshot as `NN-name.png`; returns its path. */
export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  counter += 1;
  const file = join(SHOTS, `${process.env.E2E_FILE_TAG || 'x'}-${String(counter).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Runs `body(page)` on a new page of `browser`: page errors and CSP violations fail the test;
 * a failure leaves a `FAILED-<name>.png` screenshot.
 */
export async function withPage(browser, name, body) {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    // Chromium logs every non-2xx fetch as "Failed to load resource"; tests expect some.
    if (message.type() === 'error' && !text.startsWith('Failed to load resource')) {
      problems.push(`console error: ${text}`);
    }
  });
  try {
    await body(page);
    if (problems.length > 0) throw new Error(problems.join('\n'));
  } catch (error) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `FAILED-${name}.png`), fullPage: true }).catch(() => {});
    throw error;
  } finally {
    await page.close();
  }
}

/** Opens a portal route (e.g. `#/account`) and waits for the first view. */
export async function open(page, hash = '#/') {
  await page.goto(`/${hash}`);
  await page.waitForSelector('html[data-ready="true"]');
}

/** Text with no-break spaces made plain, for comparing formatted amounts. */
export function plain(text) {
  return String(text).replace(/[\u00a0\u202f]/g, ' ');
}
