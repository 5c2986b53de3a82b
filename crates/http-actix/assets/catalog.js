// The catalog: active offers from the bootstrap, grouped by service type, prices incl. tax.

import { h, replace, alertBox } from './dom.js';
import * as api from './api.js';
import { money, serviceLabel, commitment } from './format.js';
import { describe } from './messages.js';

let cached = null;

/** Offer price incl. tax, in centimes (computed from the excl.-tax price if absent). */
export function priceInclTax(offer) {
  if (Number.isFinite(offer.monthly_price_incl_tax)) return offer.monthly_price_incl_tax;
  const rate = Number.isFinite(offer.tax_rate_bp) ? offer.tax_rate_bp : 2000;
  return Math.round((offer.monthly_price * (10000 + rate)) / 10000);
}

/**
 * The bootstrap, normalised: `{currency, offers, groups: [{type, label, offers}],
 * commitmentOptions, otp}`. Loaded once per page; a failure is not cached.
 */
export function loadCatalog() {
  if (!cached) {
    cached = api.bootstrap().then((b) => {
      const offers = Array.isArray(b.offers) ? b.offers : [];
      const declared = (Array.isArray(b.service_types) ? b.service_types : [])
        .map((t) => (typeof t === 'string' ? { type: t } : { type: t.service_type || t.code || t.id, label: t.label }));
      for (const offer of offers) {
        if (!declared.some((t) => t.type === offer.service_type)) declared.push({ type: offer.service_type });
      }
      const groups = declared
        .map((t) => ({
          type: t.type,
          label: serviceLabel(t.type) !== t.type ? serviceLabel(t.type) : (t.label || t.type),
          offers: offers
            .filter((o) => o.service_type === t.type)
            .sort((a, b2) => priceInclTax(a) - priceInclTax(b2)),
        }))
        .filter((g) => g.offers.length > 0);
      const commitmentOptions = (Array.isArray(b.commitment_options) ? b.commitment_options : [])
        .map((c) => (typeof c === 'number' ? c : Number(c.months ?? c.commitment_months ?? c)))
        .filter((n) => Number.isFinite(n));
      // `otp`: whether the CIN check asks for a one-time code (the answer itself decides).
      return { currency: b.currency || 'MAD', offers, groups, commitmentOptions, otp: b.otp === true };
    });
    cached.catch(() => { cached = null; });
  }
  return cached;
}

function offerCard(offer, currency) {
  const price = priceInclTax(offer);
  const titleId = `offer-${offer.id}`;
  return h('li', { class: 'card offer', 'aria-labelledby': titleId },
    h('h3', { id: titleId, text: offer.name }),
    offer.description ? h('p', { class: 'muted', text: offer.description }) : null,
    h('p', { class: 'price' },
      h('span', { class: 'amount', text: money(price, offer.currency || currency) }),
      h('span', { class: 'per', text: ' / mois TTC' })),
    h('p', { class: 'small muted', text: `soit ${money(offer.monthly_price, offer.currency || currency)} HT` }),
    h('p', { class: 'badge', text: commitment(offer.commitment_months) }),
    h('a', {
      class: 'button',
      href: `#/subscribe?offer=${encodeURIComponent(offer.id)}`,
      'aria-label': `Souscrire à ${offer.name}`,
      text: 'Souscrire',
    }));
}

/** Renders the catalog view into `root`. */
export async function renderCatalog(root) {
  const status = h('p', { class: 'loading', text: 'Chargement des offres…' });
  replace(root,
    h('h1', { text: 'Nos offres' }),
    h('p', { class: 'lead', text: 'Mobile, Internet et téléphone fixe : prix mensuels TVA comprise.' }),
    status);
  let catalog;
  try {
    catalog = await loadCatalog();
  } catch (problem) {
    status.replaceWith(alertBox('error', `Impossible de charger les offres. ${describe(problem)}`,
      h('button', { type: 'button', class: 'button secondary', onClick: () => renderCatalog(root), text: 'Réessayer' })));
    return;
  }
  if (catalog.groups.length === 0) {
    status.replaceWith(alertBox('info', 'Aucune offre n’est disponible pour le moment. Revenez bientôt.'));
    return;
  }
  status.replaceWith(...catalog.groups.map((group) => h('section', { class: 'group', 'aria-labelledby': `group-${group.type}` },
    h('h2', { id: `group-${group.type}`, text: group.label }),
    h('ul', { class: 'cards', role: 'list' }, group.offers.map((o) => offerCard(o, catalog.currency))))));
}
