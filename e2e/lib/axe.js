// axe-core (WCAG 2.0/2.1/2.2 A and AA rules) run inside the page. The portal's CSP forbids
// inline scripts, so axe is evaluated through the DevTools protocol, which the policy does not
// govern, instead of being added as a script tag.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Every state checked, for the report at the end of the run. */
export const checked = [];

/** Runs axe on the page as it is now; fails with each violation and its elements. */
export async function assertAccessible(page, state) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(SOURCE);
  }
  const result = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations'],
  }), TAGS);
  const size = page.viewportSize();
  checked.push(`${state} @ ${size.width}×${size.height}`);
  const lines = result.violations.flatMap((v) => [
    `${v.id} (${v.impact}): ${v.help}`,
    ...v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`),
  ]);
  assert.equal(result.violations.length, 0, `axe on "${state}" at ${size.width}×${size.height}:\n${lines.join('\n')}`);
}
