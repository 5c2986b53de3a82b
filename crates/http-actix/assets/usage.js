// Mon espace, issue #21: each contract's usage this month as bars (used / included), in human
// units, with "illimité" when the plan has no limit and the overage so far. The bars are
// <progress> elements: no inline style is needed to size them (the CSP forbids it).

import { h } from './dom.js';
import { money, period, usageAmount } from './format.js';

const KIND_LABELS = { voice: 'Appels', sms: 'SMS', data: 'Internet' };

/** The usage block of one contract, from an item of `/landing/clients/{cin}/usage`. */
export function usagePanel(usage) {
  const kinds = Array.isArray(usage.kinds) ? usage.kinds : [];
  const title = `Consommation de ${period(usage.period)}`;
  if (!usage.rated) {
    return h('div', { class: 'usage' },
      h('h4', { text: title }),
      h('p', { class: 'small muted', text: 'Votre offre ne comprend pas de forfait de consommation : rien n’est facturé en plus.' }),
      h('ul', { class: 'usage-list', role: 'list' }, kinds.map((k) => h('li', {
        class: 'usage-kind', dataset: { kind: k.kind },
        text: `${KIND_LABELS[k.kind] || k.kind} : ${usageAmount(k.kind, k.used)}`,
      }))));
  }
  const overage = Number(usage.overage_excl_tax) || 0;
  return h('div', { class: 'usage' },
    h('h4', { text: title }),
    h('ul', { class: 'usage-list', role: 'list' }, kinds.map(kindRow)),
    h('p', { class: `usage-overage${overage > 0 ? ' over' : ''}`, dataset: { overage: String(overage) } },
      overage > 0
        ? `Hors forfait à ce jour : ${money(overage)} HT (ajouté à votre prochaine facture).`
        : 'Hors forfait à ce jour : aucun.'));
}

/** One kind: its bar and "used sur included", or "illimité". */
function kindRow(k) {
  const label = KIND_LABELS[k.kind] || k.kind;
  const used = usageAmount(k.kind, k.used);
  if (k.included === null || k.included === undefined) {
    return h('li', { class: 'usage-kind', dataset: { kind: k.kind } },
      h('span', { class: 'usage-label', text: label }),
      h('span', { class: 'usage-figures', text: `Illimité · ${used} à ce jour` }));
  }
  const included = Math.max(0, Number(k.included) || 0);
  const value = Math.max(0, Number(k.used) || 0);
  const over = value > included;
  const text = `${used} sur ${usageAmount(k.kind, included)}`;
  // A zero allowance shows full as soon as something is used.
  const max = included > 0 ? included : 1;
  const bar = h('progress', {
    class: over ? 'usage-bar over' : 'usage-bar',
    max: String(max),
    value: String(Math.min(value, max)),
    'aria-label': `${label} : ${text}`,
  });
  const detail = over
    ? `Dépassement : ${usageAmount(k.kind, value - included)}, soit ${money(k.overage_excl_tax)} HT`
    : `Reste : ${usageAmount(k.kind, k.remaining ?? included - value)}`;
  return h('li', { class: 'usage-kind', dataset: { kind: k.kind } },
    h('span', { class: 'usage-label', text: label }),
    bar,
    h('span', { class: 'usage-figures', text }),
    h('span', { class: `usage-detail small${over ? ' over' : ''}`, text: detail }));
}
