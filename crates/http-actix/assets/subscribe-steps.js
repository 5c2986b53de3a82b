// The steps of the subscription form: their fields, their checks (validate.js), and how each
// step is drawn. Field names are the request paths of `POST /landing/submit/new`, so the
// server's `errors[].field` lands beside the right input.

import { h, fieldError } from './dom.js';
import * as check from './validate.js';
import { money, date, serviceLabel, commitment, todayIso } from './format.js';
import { priceInclTax } from './catalog.js';

/** The steps in order, with the fields each one owns. */
export const STEPS = [
  { id: 'offer', title: 'Offre', fields: ['offer_id', 'commitment_months'] },
  {
    id: 'identity',
    title: 'Identité',
    fields: ['client.cin', 'client.first_name', 'client.last_name', 'client.email', 'client.phone',
      'client.birth_date', 'client.address', 'client.city'],
  },
  { id: 'line', title: 'Ligne', fields: ['subscriber.service_identifier'] },
  { id: 'start', title: 'Date de début', fields: ['contract_start_date'] },
  { id: 'review', title: 'Récapitulatif', fields: [] },
];

/** The form's initial content (also the shape of a draft's payload). */
export function emptyPayload() {
  return {
    step: 'offer',
    offer_id: '',
    commitment_months: null,
    client: {
      cin: '', first_name: '', last_name: '', email: '', phone: '', birth_date: '', address: '', city: '',
    },
    subscriber: { service_identifier: '' },
    contract_start_date: '',
  };
}

/** A restored draft payload merged over the empty form (unknown keys are dropped). */
export function restorePayload(saved) {
  const base = emptyPayload();
  if (!saved || typeof saved !== 'object') return base;
  const text = (v) => (typeof v === 'string' ? v : '');
  for (const key of Object.keys(base.client)) base.client[key] = text(saved.client && saved.client[key]);
  base.subscriber.service_identifier = text(saved.subscriber && saved.subscriber.service_identifier);
  base.offer_id = text(saved.offer_id);
  base.contract_start_date = text(saved.contract_start_date);
  base.commitment_months = Number.isFinite(saved.commitment_months) ? saved.commitment_months : null;
  base.step = STEPS.some((s) => s.id === saved.step) ? saved.step : 'offer';
  return base;
}

/** The value at a dotted path. */
export function getPath(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

/** Sets the value at a dotted path of the form. */
export function setPath(obj, path, value) {
  const keys = path.split('.');
  const last = keys.pop();
  const target = keys.reduce((o, k) => o[k], obj);
  target[last] = value;
}

/** The step that shows a field (server paths included); the review step for anything else. */
export function stepOf(field) {
  const exact = STEPS.find((s) => s.fields.includes(field));
  if (exact) return exact.id;
  if (field.startsWith('client.')) return 'identity';
  if (field.startsWith('subscriber.')) return 'line';
  return 'review';
}

/** The offer chosen in the form, if it is in the catalog. */
export function chosenOffer(ctx) {
  return ctx.catalog.offers.find((o) => o.id === ctx.payload.offer_id) || null;
}

/** The browser's check of one field, or null when it passes. */
export function validateField(path, ctx) {
  const p = ctx.payload;
  const v = getPath(p, path);
  switch (path) {
    case 'offer_id': return chosenOffer(ctx) ? null : 'Choisissez une offre.';
    case 'client.cin': return check.cin(v);
    case 'client.first_name': return check.required(v, 'Le prénom');
    case 'client.last_name': return check.required(v, 'Le nom');
    case 'client.email': return check.email(v);
    case 'client.phone': return check.phone(v);
    case 'client.birth_date': return check.birthDate(v, todayIso());
    case 'subscriber.service_identifier': {
      const offer = chosenOffer(ctx);
      return check.serviceIdentifier(v, offer ? offer.service_type : 'mobile');
    }
    case 'contract_start_date': return check.startDate(v, todayIso());
    default: return null;
  }
}

const domId = (path) => `f-${path.replace(/[^a-z0-9]+/gi, '-')}`;

/** Label, input, hint and error message of one field, wired for assistive technology. */
function field(ctx, path, { label, type = 'text', required = false, hint, ...attrs }) {
  const id = domId(path);
  const error = ctx.errors[path];
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const input = h('input', {
    id,
    name: path,
    type,
    value: getPath(ctx.payload, path) || '',
    required,
    'aria-required': required ? 'true' : null,
    'aria-invalid': error ? 'true' : null,
    'aria-describedby': [hintId, error ? errorId : null].filter(Boolean).join(' ') || null,
    dataset: { field: path },
    onInput: (e) => ctx.onInput(path, e.target.value),
    ...attrs,
  });
  return h('div', { class: `field${error ? ' has-error' : ''}` },
    // Optional fields say "Facultatif" in their hint; required ones carry no marker to read.
    h('label', { for: id, text: label }),
    hint ? h('p', { id: hintId, class: 'hint', text: hint }) : null,
    error ? fieldError(errorId, error) : null,
    input);
}

function offerStep(ctx) {
  const error = ctx.errors.offer_id;
  const groups = ctx.catalog.groups.map((group) => h('fieldset', { class: 'choices' },
    h('legend', { text: group.label }),
    group.offers.map((offer) => {
      const id = `o-${offer.id}`;
      return h('div', { class: 'choice' },
        h('input', {
          type: 'radio', id, name: 'offer_id', value: offer.id, dataset: { field: 'offer_id' },
          checked: ctx.payload.offer_id === offer.id,
          'aria-invalid': error ? 'true' : null,
          'aria-describedby': error ? 'offer-error' : null,
          onChange: () => ctx.onInput('offer_id', offer.id),
        }),
        h('label', { for: id },
          h('strong', { text: offer.name }),
          h('span', { class: 'choice-detail', text: `${money(priceInclTax(offer), offer.currency)} / mois TTC · ${commitment(offer.commitment_months)}` })));
    })));
  const options = ctx.catalog.commitmentOptions;
  const current = ctx.payload.commitment_months;
  const commitmentField = options.length === 0 ? null : h('div', { class: 'field' },
    h('label', { for: 'f-commitment_months', text: 'Durée d’engagement' }),
    h('select', {
      id: 'f-commitment_months', name: 'commitment_months', dataset: { field: 'commitment_months' },
      onChange: (e) => ctx.onInput('commitment_months', Number(e.target.value)),
    }, options.map((m) => h('option', { value: String(m), selected: current === m, text: commitment(m) }))));
  return [
    error ? fieldError('offer-error', error) : null,
    groups,
    commitmentField,
  ];
}

function identityStep(ctx) {
  return [
    field(ctx, 'client.cin', { label: 'Numéro de CIN', required: true, hint: 'Une ou deux lettres puis des chiffres, ex. AB123456.', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' }),
    h('div', { class: 'row' },
      field(ctx, 'client.first_name', { label: 'Prénom', required: true, autocomplete: 'given-name' }),
      field(ctx, 'client.last_name', { label: 'Nom', required: true, autocomplete: 'family-name' })),
    field(ctx, 'client.email', { label: 'Adresse e-mail', type: 'email', autocomplete: 'email', hint: 'Facultatif.' }),
    field(ctx, 'client.phone', { label: 'Téléphone de contact', type: 'tel', autocomplete: 'tel', inputmode: 'tel', hint: 'Facultatif. Ex. 0612345678 ou +212612345678.' }),
    field(ctx, 'client.birth_date', { label: 'Date de naissance', type: 'date', autocomplete: 'bday', hint: 'Facultatif.' }),
    field(ctx, 'client.address', { label: 'Adresse', autocomplete: 'street-address', hint: 'Facultatif.' }),
    field(ctx, 'client.city', { label: 'Ville', autocomplete: 'address-level2', hint: 'Facultatif.' }),
  ];
}

function lineStep(ctx) {
  const offer = chosenOffer(ctx);
  const type = offer ? offer.service_type : 'mobile';
  const spec = {
    mobile: { label: 'Numéro de mobile à activer', type: 'tel', inputmode: 'tel', hint: 'Ex. 0612345678 ou +212612345678.' },
    landline: { label: 'Numéro de ligne fixe', type: 'tel', inputmode: 'tel', hint: 'Ex. 0537123456 ou +212537123456.' },
    internet: { label: 'Identifiant de la ligne Internet', hint: 'Indiqué sur votre box ou votre bon d’installation (4 à 32 caractères).' },
  }[type] || { label: 'Ligne' };
  return [
    offer ? h('p', { class: 'muted', text: `Offre ${offer.name} (${serviceLabel(offer.service_type)}).` }) : null,
    field(ctx, 'subscriber.service_identifier', { ...spec, required: true, autocomplete: 'off' }),
  ];
}

function startStep(ctx) {
  return [
    field(ctx, 'contract_start_date', { label: 'Date de début du contrat', type: 'date', required: true, min: todayIso(), hint: 'Au plus tôt aujourd’hui (jj/mm/aaaa).' }),
  ];
}

function reviewStep(ctx) {
  const p = ctx.payload;
  const offer = chosenOffer(ctx);
  const months = p.commitment_months ?? (offer ? offer.commitment_months : 0);
  const edit = (step, what) => h('button', {
    type: 'button', class: 'link', onClick: () => ctx.goTo(step), text: 'Modifier', 'aria-label': `Modifier ${what}`,
  });
  const row = (term, value) => [h('dt', { text: term }), h('dd', { text: value || '—' })];
  return [
    h('section', { class: 'review', 'aria-labelledby': 'rv-offer' },
      h('h3', { id: 'rv-offer' }, 'Offre ', edit('offer', 'l’offre')),
      h('dl', {},
        row('Offre', offer ? offer.name : '—'),
        row('Prix mensuel', offer ? `${money(priceInclTax(offer), offer.currency)} TTC` : '—'),
        row('Engagement', commitment(months)))),
    h('section', { class: 'review', 'aria-labelledby': 'rv-id' },
      h('h3', { id: 'rv-id' }, 'Identité ', edit('identity', 'l’identité')),
      h('dl', {},
        row('Nom', `${p.client.first_name} ${p.client.last_name}`.trim()),
        row('CIN', check.normaliseCin(p.client.cin)),
        row('E-mail', p.client.email),
        row('Téléphone', p.client.phone),
        row('Date de naissance', p.client.birth_date ? date(p.client.birth_date) : ''),
        row('Adresse', [p.client.address, p.client.city].filter(Boolean).join(', ')))),
    h('section', { class: 'review', 'aria-labelledby': 'rv-line' },
      h('h3', { id: 'rv-line' }, 'Ligne et date ', edit('line', 'la ligne')),
      h('dl', {},
        row('Ligne', p.subscriber.service_identifier),
        row('Début du contrat', date(p.contract_start_date)))),
  ];
}

/** The inputs of a step. */
export function renderFields(stepId, ctx) {
  switch (stepId) {
    case 'offer': return offerStep(ctx);
    case 'identity': return identityStep(ctx);
    case 'line': return lineStep(ctx);
    case 'start': return startStep(ctx);
    default: return reviewStep(ctx);
  }
}

/** The body of `POST /landing/submit/new` from the form (empty optional fields left out). */
export function submitBody(ctx) {
  const p = ctx.payload;
  const offer = chosenOffer(ctx);
  const client = { cin: check.normaliseCin(p.client.cin) };
  for (const key of ['first_name', 'last_name', 'email', 'phone', 'address', 'city', 'birth_date']) {
    const value = String(p.client[key] || '').trim();
    if (value) client[key] = value;
  }
  const body = {
    client,
    offer_id: p.offer_id,
    contract_start_date: p.contract_start_date,
    commitment_months: p.commitment_months ?? (offer ? offer.commitment_months : undefined),
    subscriber: { service_identifier: String(p.subscriber.service_identifier || '').trim() },
  };
  if (ctx.draftId) body.draft_id = ctx.draftId;
  return body;
}
