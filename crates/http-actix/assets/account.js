// Mon espace (P9, P13, issue #21): the client proves their CIN, then sees their subscriptions
// (with the offers they may move to and their usage this month), changes plan, and downloads
// their invoices. A refused lookup token (403: expired, tampered, other CIN) sends them back to
// the CIN check.

import { h, replace, focus, announce, alertBox, nextId, fieldError, setTitle } from './dom.js';
import * as api from './api.js';
import * as session from './session.js';
import * as check from './validate.js';
import {
  money, date, serviceLabel, contractStatus, invoiceStatus, direction, period, todayIso, commitment,
} from './format.js';
import { describe, delay } from './messages.js';
import { priceInclTax, loadCatalog } from './catalog.js';
import { isChallenge, codeForm, sentTo } from './otp.js';
import { usagePanel } from './usage.js';

/** Renders the client space; returns its cleanup. */
export async function renderAccount(root) {
  const container = h('div', { class: 'account' });
  replace(root, h('h1', { text: 'Mon espace' }), container);
  const state = { timers: [] };
  const saved = session.load();
  if (saved) showDashboard(container, state, saved);
  else showVerify(container, state);
  return () => state.timers.forEach(clearInterval);
}

function showVerify(container, state, notice) {
  setTitle('Vérifiez votre identité — Mon espace');
  const error = fieldError('cin-error', '', { hidden: true });
  const input = h('input', {
    id: 'verify-cin', name: 'cin', type: 'text', required: true, autocomplete: 'off',
    autocapitalize: 'characters', spellcheck: 'false', 'aria-describedby': 'cin-hint',
  });
  const button = h('button', { type: 'submit', class: 'button', text: 'Accéder à mon espace' });
  const alerts = h('div', { class: 'alerts' });
  const secondFactorNote = h('p', { class: 'hint', hidden: true, text: 'Un code de vérification vous sera ensuite envoyé par SMS ou par e-mail.' });
  loadCatalog().then((c) => { secondFactorNote.hidden = !c.otp; }, () => {});
  const setError = (message) => {
    error.querySelector('.field-error-text').textContent = message || '';
    error.hidden = !message;
    if (message) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'cin-hint cin-error');
    } else {
      input.removeAttribute('aria-invalid');
      input.setAttribute('aria-describedby', 'cin-hint');
    }
  };
  const form = h('form', {
    class: 'card narrow', novalidate: true, 'aria-labelledby': 'verify-title',
    onSubmit: async (e) => {
      e.preventDefault();
      if (button.disabled) return;
      replace(alerts);
      const cin = check.normaliseCin(input.value);
      const invalid = check.cin(cin);
      setError(invalid);
      if (invalid) {
        announce(invalid);
        focus(input);
        return;
      }
      button.disabled = true;
      try {
        const answer = await api.verifyCin(cin);
        if (isChallenge(answer)) showCode(container, state, cin, answer);
        else signedIn(container, state, cin, answer);
        return;
      } catch (problem) {
        if (problem.status === 404 || problem.status === 422) {
          setError(problem.status === 404
            ? 'Aucun client ne correspond à ce CIN. Vérifiez la saisie.'
            : (problem.errors[0] && problem.errors[0].message) || describe(problem));
          announce(error.querySelector('.field-error-text').textContent);
          focus(input);
        } else if (problem.status === 429) {
          countdown(alerts, state, button, problem.retryAfter ?? 60);
          return;
        } else {
          replace(alerts, alertBox('error', describe(problem)));
        }
      }
      button.disabled = false;
    },
  },
  h('h2', { id: 'verify-title', text: 'Vérifiez votre identité' }),
  h('p', { text: 'Saisissez le numéro de la carte d’identité nationale (CIN) utilisé lors de votre souscription pour voir vos abonnements et vos factures.' }),
  secondFactorNote,
  h('div', { class: 'field' },
    h('label', { for: 'verify-cin', text: 'Numéro de CIN' }),
    h('p', { id: 'cin-hint', class: 'hint', text: 'Ex. AB123456.' }),
    error,
    input),
  h('div', { class: 'actions' }, button));
  replace(container,
    notice ? alertBox('error', notice) : null,
    alerts,
    form);
  focus(notice ? container.querySelector('.notice') : input);
}

/** The code step of a two-factor check; a confirmed code opens the client space. */
function showCode(container, state, cin, challenge) {
  setTitle('Code de vérification — Mon espace');
  const form = codeForm({
    challenge,
    onVerified: (answer) => signedIn(container, state, cin, answer),
    onRestart: () => showVerify(container, state),
  });
  replace(container, form);
  announce(sentTo(challenge));
  focus(form.querySelector('input'));
}

/** A verified CIN: keep its lookup, show the client space and say so. */
function signedIn(container, state, cin, answer) {
  session.save(cin, answer);
  showDashboard(container, state, session.load(), { arrived: true });
}

/** Forgets everything stored in this tab, then shows `next`. */
function forget(next) {
  session.clearAll();
  next();
}

/** "Réessayez dans N secondes", counting down; the button comes back at zero. */
function countdown(alerts, state, button, seconds) {
  let left = Math.max(1, Math.ceil(seconds));
  const text = h('p');
  const render = () => { text.textContent = `Trop de tentatives. Réessayez dans ${delay(left)}.`; };
  render();
  replace(alerts, h('div', { class: 'notice notice-error', role: 'alert', id: 'rate-limited' }, text));
  announce(text.textContent);
  button.disabled = true;
  const timer = setInterval(() => {
    left -= 1;
    if (left <= 0) {
      clearInterval(timer);
      replace(alerts);
      button.disabled = false;
      return;
    }
    render();
  }, 1000);
  state.timers.push(timer);
}

function showDashboard(container, state, lookup, { arrived = false } = {}) {
  setTitle('Mes abonnements — Mon espace');
  const client = lookup.client || {};
  const initial = String(client.last_name_initial || '');
  const name = [client.first_name, initial && !initial.endsWith('.') ? `${initial}.` : initial]
    .filter(Boolean).join(' ');
  const subs = h('div', { class: 'subs' }, h('p', { class: 'loading', text: 'Chargement des abonnements…' }));
  const bills = h('div', { class: 'bills' }, h('p', { class: 'loading', text: 'Chargement des factures…' }));
  let expired = false;
  const onExpired = () => {
    if (expired) return;
    expired = true;
    session.clear();
    showVerify(container, state, describe({ status: 403 }));
  };
  const ctx = { lookup, onExpired, subs };
  replace(container,
    h('div', { class: 'hello' },
      h('p', { id: 'hello', text: name ? `Bonjour ${name}${name.endsWith('.') ? '' : '.'}` : 'Bonjour et bienvenue.' }),
      h('div', { class: 'hello-actions' },
        h('button', {
          type: 'button', class: 'button secondary', text: 'Changer de CIN',
          onClick: () => forget(() => {
            showVerify(container, state);
            announce('Vos informations ont été effacées de ce navigateur.');
          }),
        }),
        h('button', {
          type: 'button', class: 'button secondary', id: 'sign-out', text: 'Se déconnecter',
          onClick: () => forget(() => { window.location.hash = '#/'; }),
        }))),
    h('section', { 'aria-labelledby': 'subs-title' },
      h('h2', { id: 'subs-title', text: 'Mes abonnements' }),
      h('div', { id: 'plan-change-result' }),
      subs),
    h('section', { 'aria-labelledby': 'bills-title' },
      h('h2', { id: 'bills-title', text: 'Mes factures' }),
      bills));
  loadSubscriptions(ctx);
  loadInvoices(bills, ctx);
  if (arrived) {
    // After the check, the form is gone: land on the greeting and say where the client is,
    // replacing whatever the live region said before (e.g. an earlier "unknown CIN").
    const hello = document.getElementById('hello');
    focus(hello);
    announce(`${hello.textContent} Vos abonnements et vos factures sont affichés.`);
  }
}

async function loadSubscriptions(ctx) {
  const { lookup, subs } = ctx;
  try {
    const answer = await api.subscriptions(lookup.cin, lookup.lookup_token);
    const items = Array.isArray(answer.items) ? answer.items : [];
    if (items.length === 0) {
      replace(subs, h('p', { text: 'Aucun abonnement pour le moment.' }), h('a', { href: '#/', text: 'Découvrir nos offres' }));
      return;
    }
    replace(subs, h('ul', { class: 'cards', role: 'list' }, items.map((item) => subscriptionCard(item, ctx))));
    loadUsage(ctx);
  } catch (problem) {
    if (problem.status === 403) ctx.onExpired();
    else replace(subs, alertBox('error', describe(problem, 'Aucun client ne correspond à ce CIN.')));
  }
}

function subscriptionCard(item, ctx) {
  const offer = item.offer || {};
  const eligible = Array.isArray(item.eligible_offers) ? item.eligible_offers : [];
  const titleId = nextId('sub');
  const panelId = nextId('change');
  const row = (term, value) => [h('dt', { text: term }), h('dd', { text: value || '—' })];
  const panel = h('div', { id: panelId, class: 'change-panel', hidden: true });
  const toggle = h('button', {
    type: 'button', class: 'button secondary', 'aria-expanded': 'false', 'aria-controls': panelId,
    text: 'Changer d’offre',
    onClick: () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      panel.hidden = !open;
      if (open) {
        replace(panel, planChangeForm(item, eligible, ctx));
        focus(panel.querySelector('input'));
      }
    },
  });
  return h('li', { class: 'card subscription', 'aria-labelledby': titleId, dataset: { contractId: item.contract_id } },
    h('h3', { id: titleId, text: offer.name || 'Abonnement' }),
    h('dl', { class: 'facts' },
      item.contract_number ? row('Contrat', item.contract_number) : null,
      row('Service', serviceLabel(offer.service_type)),
      row('Ligne', item.service_identifier_masked),
      row('Statut', contractStatus(item.status)),
      row('Prix mensuel', Number.isFinite(offer.monthly_price) || Number.isFinite(offer.monthly_price_incl_tax) ? `${money(priceInclTax(offer), offer.currency)} TTC` : ''),
      row('Début du contrat', date(item.contract_start_date)),
      row('Fin d’engagement', item.commitment_end_date ? date(item.commitment_end_date) : commitment(0))),
    h('div', { class: 'usage-slot', dataset: { usageFor: item.contract_id } }),
    eligible.length > 0
      ? [h('div', { class: 'actions' }, toggle), panel]
      : h('p', { class: 'small muted', text: 'Aucune autre offre n’est disponible pour cette ligne.' }));
}

/** Fills each card's usage slot with its contract's usage this month (issue #21). */
async function loadUsage(ctx) {
  const { lookup, subs } = ctx;
  const slots = [...subs.querySelectorAll('.usage-slot')];
  if (slots.length === 0) return;
  try {
    const answer = await api.usage(lookup.cin, lookup.lookup_token);
    const items = Array.isArray(answer.items) ? answer.items : [];
    for (const slot of slots) {
      const item = items.find((u) => u.contract_id === slot.dataset.usageFor);
      // A pending contract has no day of service yet: nothing to show.
      if (item) replace(slot, usagePanel(item));
    }
  } catch (problem) {
    if (problem.status === 403) ctx.onExpired();
    else slots.forEach((slot) => replace(slot, h('p', { class: 'small muted', text: 'Consommation indisponible pour le moment.' })));
  }
}

function planChangeForm(item, eligible, ctx) {
  const errors = h('div', { class: 'alerts' });
  const dateId = nextId('start');
  const group = nextId('target');
  // Each message sits beside its field and is tied to it (aria-describedby, aria-invalid).
  const offerError = fieldError(`${group}-error`, '', { hidden: true });
  const dateError = fieldError(`${dateId}-error`, '', { hidden: true });
  // The new offer starts today at the earliest, and not before the contract itself starts.
  const earliest = [todayIso(), item.contract_start_date || ''].sort().pop();
  const dateInput = h('input', { id: dateId, type: 'date', required: true, min: earliest, value: earliest, dataset: { field: 'contract_start_date' } });
  const button = h('button', { type: 'submit', class: 'button', text: 'Confirmer le changement' });
  const choices = eligible.map(({ offer, direction: dir }, i) => {
    const id = `${group}-${i}`;
    return h('div', { class: 'choice' },
      h('input', { type: 'radio', id, name: group, value: offer.id, dataset: { field: 'target_offer_id' } }),
      h('label', { for: id },
        h('strong', { text: offer.name }),
        h('span', { class: `tag tag-${dir}`, text: direction(dir) }),
        h('span', { class: 'choice-detail', text: `${money(priceInclTax(offer), offer.currency)} / mois TTC · ${commitment(offer.commitment_months)}` })));
  });
  const form = h('form', {
    class: 'plan-change', novalidate: true,
    onSubmit: async (e) => {
      e.preventDefault();
      if (button.disabled) return;
      replace(errors);
      const chosen = form.querySelector('input[type=radio]:checked');
      const local = {
        target_offer_id: chosen ? null : 'Choisissez la nouvelle offre.',
        contract_start_date: check.startDate(dateInput.value, earliest),
      };
      if (showFieldErrors(local)) return;
      const body = {
        cin: ctx.lookup.cin,
        lookup_token: ctx.lookup.lookup_token,
        contract_id: item.contract_id,
        offer_id: chosen.value,
        contract_start_date: dateInput.value,
      };
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
      button.textContent = 'Envoi en cours…';
      try {
        const result = await api.planChange(body, new api.Attempt(`mtf.attempt.plan.${item.contract_id}`));
        const target = eligible.find((x) => x.offer.id === result.offer_id);
        showPlanChanged(ctx, result, target ? target.offer : null);
        loadSubscriptions(ctx);
        return;
      } catch (problem) {
        if (problem.status === 403) {
          ctx.onExpired();
          return;
        }
        const byField = { target_offer_id: null, contract_start_date: null };
        const others = [];
        for (const x of problem.errors) {
          // The API names the target `offer_id`; the form's field is the offer choice.
          const key = x.field === 'offer_id' ? 'target_offer_id' : x.field;
          if (key in byField) byField[key] = x.message;
          else others.push(h('li', { text: `${x.field} : ${x.message}` }));
        }
        const field = FIELD_OF_CODE[problem.code];
        if (field && !byField[field]) byField[field] = describe(problem);
        if (!showFieldErrors(byField) || others.length > 0) {
          const box = alertBox('error', describe(problem), others.length ? h('ul', {}, others) : null);
          replace(errors, box);
          if (!byField.target_offer_id && !byField.contract_start_date) focus(box);
        }
      }
      button.disabled = false;
      button.removeAttribute('aria-busy');
      button.textContent = 'Confirmer le changement';
    },
  },
  errors,
  h('fieldset', { class: 'choices' }, h('legend', { text: 'Nouvelle offre' }), offerError, choices),
  h('div', { class: 'field' },
    h('label', { for: dateId, text: 'Date d’effet (début du nouveau contrat)' }),
    dateError,
    dateInput),
  h('div', { class: 'actions' }, button));

  /** Shows `{field: message|null}` beside the fields; focuses the first; false when none. */
  function showFieldErrors(messages) {
    const radios = [...form.querySelectorAll('input[type=radio]')];
    const set = (targets, error, message) => {
      error.querySelector('.field-error-text').textContent = message || '';
      error.hidden = !message;
      for (const el of targets) {
        if (message) {
          el.setAttribute('aria-invalid', 'true');
          el.setAttribute('aria-describedby', error.id);
        } else {
          el.removeAttribute('aria-invalid');
          el.removeAttribute('aria-describedby');
        }
      }
    };
    set(radios, offerError, messages.target_offer_id);
    set([dateInput], dateError, messages.contract_start_date);
    const first = messages.target_offer_id ? (radios.find((r) => r.checked) || radios[0])
      : messages.contract_start_date ? dateInput : null;
    if (!first) return false;
    announce([messages.target_offer_id, messages.contract_start_date].filter(Boolean).join(' '));
    focus(first);
    return true;
  }
  return form;
}

/** Problem codes of a plan change that concern one of its fields. */
const FIELD_OF_CODE = {
  same_offer: 'target_offer_id',
  offer_not_found: 'target_offer_id',
  offer_retired: 'target_offer_id',
  service_type_mismatch: 'target_offer_id',
  effective_date_too_early: 'contract_start_date',
};

function showPlanChanged(ctx, result, offer) {
  const area = document.getElementById('plan-change-result');
  if (!area) return;
  const box = h('div', { class: 'notice notice-success', role: 'status', tabindex: '-1', id: 'plan-change-done' },
    h('p', {}, h('strong', { text: `${direction(result.direction)} enregistrée.` }),
      ` Nouvelle offre : ${offer ? offer.name : result.offer_id}, à partir du ${date(result.contract_start_date)}.`),
    h('p', { text: `Fin d’engagement : ${result.commitment_end_date ? date(result.commitment_end_date) : '—'} · version ${result.document_version} du contrat.` }),
    result.document_download_url
      ? h('p', {}, h('a', { class: 'button', id: 'plan-change-download', href: result.document_download_url, download: '', text: 'Télécharger le nouveau contrat (PDF)' }))
      : null);
  replace(area, box);
  announce(box.textContent);
  focus(box);
}

async function loadInvoices(bills, ctx) {
  const { lookup } = ctx;
  try {
    const answer = await api.invoices(lookup.cin, lookup.lookup_token);
    const items = Array.isArray(answer.items) ? answer.items : [];
    if (items.length === 0) {
      replace(bills, h('p', { text: 'Aucune facture pour le moment.' }));
      return;
    }
    replace(bills, invoiceTable(items));
  } catch (problem) {
    if (problem.status === 403) ctx.onExpired();
    else replace(bills, alertBox('error', describe(problem)));
  }
}

function invoiceTable(items) {
  const today = todayIso();
  const head = ['Facture', 'Période', 'Émise le', 'Échéance', 'Montant TTC', 'Reste à payer', 'Statut', 'PDF'];
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'invoices' },
      h('caption', { class: 'visually-hidden', text: 'Vos factures, de la plus récente à la plus ancienne' }),
      h('thead', {}, h('tr', {}, head.map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, [...items].sort((a, b) => String(b.issue_date).localeCompare(String(a.issue_date))).map((inv) => {
        if (inv.kind === 'credit_note') return creditNoteRow(inv, items);
        const number = inv.invoice_number || inv.id || inv.invoice_id;
        const outstanding = inv.outstanding ?? inv.amount_due ?? 0;
        const overdue = inv.overdue === true
          || (outstanding > 0 && inv.due_date && inv.due_date < today && inv.status !== 'paid' && inv.status !== 'void');
        const cell = (label, value, extra = {}) => h('td', { 'data-label': label, ...extra }, value);
        return h('tr', { dataset: { invoice: number } },
          h('th', { scope: 'row', 'data-label': 'Facture', text: number }),
          cell('Période', period(inv.period)),
          cell('Émise le', date(inv.issue_date)),
          cell('Échéance', date(inv.due_date)),
          cell('Montant TTC', money(inv.total_incl_tax, inv.currency), { class: 'num' }),
          cell('Reste à payer', money(outstanding, inv.currency), { class: 'num' }),
          cell('Statut', h('span', { class: `tag ${overdue ? 'tag-late' : `tag-${inv.status}`}`, text: overdue ? `${invoiceStatus(inv.status)} · en retard` : invoiceStatus(inv.status) })),
          cell('PDF', inv.document_download_url
            ? h('a', { href: inv.document_download_url, download: '', class: 'invoice-download', 'aria-label': `Télécharger la facture ${number} (PDF)`, text: 'Télécharger' })
            : '—'));
      }))));
}

// A credit note (facture d'avoir) in the same table: it names the invoice it corrects and
// shows its amount as a deduction; it has no due date and nothing to pay.
function creditNoteRow(note, items) {
  const number = note.credit_note_number;
  const corrected = items.find((i) => i.kind !== 'credit_note' && i.invoice_id === note.invoice_id);
  const label = `Avoir sur ${corrected ? corrected.invoice_number : 'facture'}`;
  const cell = (title, value, extra = {}) => h('td', { 'data-label': title, ...extra }, value);
  return h('tr', { dataset: { creditNote: number } },
    h('th', { scope: 'row', 'data-label': 'Facture', text: number }),
    cell('Période', label),
    cell('Émise le', date(note.issue_date)),
    cell('Échéance', '—'),
    cell('Montant TTC', `− ${money(note.total_incl_tax, note.currency)}`, { class: 'num' }),
    cell('Reste à payer', '—', { class: 'num' }),
    cell('Statut', h('span', { class: 'tag tag-credit', text: 'Avoir' })),
    cell('PDF', note.document_download_url
      ? h('a', { href: note.document_download_url, download: '', class: 'invoice-download', 'aria-label': `Télécharger l’avoir ${number} (PDF)`, text: 'Télécharger' })
      : '—'));
}
