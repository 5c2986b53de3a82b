// The subscription journey (P7–P8): a step-by-step form saved as a draft after every change
// (its id in the URL, so a reload or a shared link restores it), the server's field errors
// shown beside the fields, and one idempotent submission that ends with the contract PDF.

import { h, replace, focus, announce, alertBox, setTitle } from './dom.js';
import * as api from './api.js';
import * as session from './session.js';
import { normaliseCin } from './validate.js';
import { isChallenge, codeForm, sentTo } from './otp.js';
import { loadCatalog } from './catalog.js';
import { date, dateTime, contractStatus, todayIso } from './format.js';
import { describe, CODE_FIELDS } from './messages.js';
import {
  STEPS, emptyPayload, restorePayload, setPath, stepOf, validateField, renderFields, submitBody,
  chosenOffer,
} from './subscribe-steps.js';

const SAVE_DELAY_MS = 600;
const resultKey = (draftId) => `mtf.result.${draftId}`;

/** Renders the subscription view; returns its cleanup. */
export async function renderSubscribe(root, route) {
  const heading = h('h1', { text: 'Souscrire en ligne' });
  const body = h('div', { class: 'subscribe' }, h('p', { class: 'loading', text: 'Chargement…' }));
  replace(root, heading, body);

  const ctx = {
    draftId: /^drf_/.test(route.param) ? route.param : null,
    payload: emptyPayload(),
    errors: {},
    generalErrors: [],
    catalog: null,
    saveTimer: null,
    saveChain: Promise.resolve(),
    inFlight: false,
    status: h('p', { class: 'save-status small muted', id: 'save-status' }),
  };

  try {
    ctx.catalog = await loadCatalog();
  } catch (problem) {
    replace(body, alertBox('error', `Impossible de charger les offres. ${describe(problem)}`,
      h('button', { type: 'button', class: 'button secondary', text: 'Réessayer', onClick: () => renderSubscribe(root, route) })));
    return null;
  }

  if (ctx.draftId) {
    const done = sessionStorage.getItem(resultKey(ctx.draftId));
    if (done) {
      showConfirmation(body, ctx, JSON.parse(done));
      return null;
    }
    try {
      const draft = await api.getDraft(ctx.draftId);
      ctx.payload = restorePayload(draft.payload);
      ctx.draftExpires = draft.expires_at;
      if (draft.status === 'submitted') {
        await showSubmitted(body, ctx);
        return null;
      }
    } catch (problem) {
      const message = problem.status === 404
        ? 'Ce brouillon n’existe plus : il a expiré ou le lien est incorrect.'
        : describe(problem);
      replace(body, alertBox('error', message,
        h('a', { class: 'button', href: '#/subscribe', text: 'Commencer une nouvelle souscription' })));
      return null;
    }
  } else {
    const offerId = route.query.get('offer');
    const offer = ctx.catalog.offers.find((o) => o.id === offerId);
    if (offer) {
      ctx.payload.offer_id = offer.id;
      ctx.payload.commitment_months = offer.commitment_months ?? null;
      ctx.payload.step = 'identity';
      queueSave(ctx);
    }
  }
  if (!ctx.payload.contract_start_date) ctx.payload.contract_start_date = todayIso();

  ctx.onInput = (path, value) => {
    setPath(ctx.payload, path, value);
    if (path === 'offer_id') {
      const offer = chosenOffer(ctx);
      if (offer) ctx.payload.commitment_months = offer.commitment_months ?? null;
      const select = body.querySelector('#f-commitment_months');
      if (select && offer) select.value = String(offer.commitment_months ?? '');
    }
    clearFieldError(body, ctx, path);
    scheduleSave(ctx);
  };
  ctx.goTo = (step) => {
    ctx.payload.step = step;
    queueSave(ctx);
    drawStep(body, ctx);
    focus(body.querySelector('h2'));
  };
  drawStep(body, ctx);
  return () => {
    // Leaving the view: save what was typed in the last moments.
    if (ctx.saveTimer) {
      clearTimeout(ctx.saveTimer);
      queueSave(ctx);
    }
  };
}

function scheduleSave(ctx) {
  clearTimeout(ctx.saveTimer);
  ctx.saveTimer = setTimeout(() => queueSave(ctx), SAVE_DELAY_MS);
}

/** Saves after any save in progress, so the first save's POST is never sent twice. */
function queueSave(ctx) {
  clearTimeout(ctx.saveTimer);
  ctx.saveTimer = null;
  ctx.saveChain = ctx.saveChain.then(() => saveDraft(ctx));
  return ctx.saveChain;
}

async function saveDraft(ctx) {
  const payload = JSON.parse(JSON.stringify(ctx.payload));
  try {
    let draft;
    if (ctx.draftId) {
      try {
        draft = await api.updateDraft(ctx.draftId, payload);
      } catch (problem) {
        if (problem.code === 'draft_already_submitted') {
          setStatus(ctx, 'Ce brouillon a déjà été envoyé : il n’est plus modifié.', false);
          return;
        }
        if (problem.status !== 404) throw problem;
        draft = await api.createDraft(payload); // expired meanwhile: start a new one
      }
    } else {
      draft = await api.createDraft(payload);
    }
    if (draft.draft_id !== ctx.draftId) {
      ctx.draftId = draft.draft_id;
      // replaceState changes the link without a hashchange (the view stays as it is); only
      // while the form is still on screen.
      if (window.location.hash.startsWith('#/subscribe')) {
        window.history.replaceState(null, '', `#/subscribe/${encodeURIComponent(ctx.draftId)}`);
      }
    }
    ctx.draftExpires = draft.expires_at;
    setStatus(ctx, `Brouillon enregistré. Reprenez-le avec ce lien jusqu’au ${date(draft.expires_at)}.`, true);
  } catch (problem) {
    setStatus(ctx, `Brouillon non enregistré : ${describe(problem)}`, false);
  }
}

function setStatus(ctx, text, withLink) {
  const link = withLink && ctx.draftId
    ? h('a', { href: `#/subscribe/${ctx.draftId}`, class: 'draft-link', text: 'Lien du brouillon' })
    : null;
  replace(ctx.status, text, link ? ' ' : null, link);
  ctx.status.dataset.saved = withLink ? 'true' : 'false';
}

function progress(ctx) {
  const current = STEPS.findIndex((s) => s.id === ctx.payload.step);
  return h('ol', { class: 'steps', 'aria-label': 'Étapes de la souscription' },
    STEPS.map((s, i) => {
      const label = `${i + 1}. ${s.title}`;
      if (i === current) return h('li', { class: 'current', 'aria-current': 'step', text: label });
      if (i < current) {
        return h('li', { class: 'done' },
          h('button', { type: 'button', class: 'link', onClick: () => ctx.goTo(s.id), text: label }));
      }
      return h('li', { text: label });
    }));
}

function errorSummary(ctx, fields) {
  const own = fields.filter((f) => ctx.errors[f]);
  const items = [
    ...own.map((f) => h('li', {}, h('a', { href: '#', onClick: (e) => { e.preventDefault(); focusField(f); }, text: ctx.errors[f] }))),
    ...ctx.generalErrors.map((m) => h('li', { text: m })),
  ];
  if (items.length === 0) return null;
  return h('div', { class: 'notice notice-error error-summary', role: 'alert', tabindex: '-1' },
    h('p', {}, h('strong', { text: items.length > 1 ? `${items.length} points à corriger :` : 'Un point à corriger :' })),
    h('ul', {}, items));
}

function focusField(path) {
  const el = document.querySelector(`[data-field="${CSS.escape(path)}"]:checked`)
    || document.querySelector(`[data-field="${CSS.escape(path)}"]`);
  focus(el);
}

function clearFieldError(body, ctx, path) {
  if (!ctx.errors[path]) return;
  delete ctx.errors[path];
  const inputs = [...body.querySelectorAll(`[data-field="${CSS.escape(path)}"]`)];
  if (inputs.length === 0) return;
  for (const el of inputs) {
    el.removeAttribute('aria-invalid');
    if (path === 'offer_id') el.removeAttribute('aria-describedby');
  }
  if (path === 'offer_id') body.querySelector('#offer-error')?.remove();
  const wrapper = inputs[0].closest('.field');
  if (wrapper) {
    wrapper.classList.remove('has-error');
    const message = wrapper.querySelector('.field-error');
    if (message) message.remove();
  }
}

function drawStep(body, ctx) {
  const index = STEPS.findIndex((s) => s.id === ctx.payload.step);
  const step = STEPS[index];
  const isReview = step.id === 'review';
  const submit = h('button', {
    type: 'submit', class: 'button', id: isReview ? 'submit-subscription' : 'next-step',
    text: isReview ? 'Confirmer la souscription' : 'Continuer',
  });
  const form = h('form', {
    class: 'step', novalidate: true, 'aria-labelledby': 'step-title',
    onSubmit: (e) => {
      e.preventDefault();
      if (isReview) submitSubscription(body, ctx, submit);
      else next(body, ctx, step);
    },
  },
  h('h2', { id: 'step-title', text: `Étape ${index + 1} sur ${STEPS.length} : ${step.title}` }),
  errorSummary(ctx, isReview ? [] : step.fields),
  renderFields(step.id, ctx),
  h('div', { class: 'actions' },
    index > 0 ? h('button', { type: 'button', class: 'button secondary', onClick: () => ctx.goTo(STEPS[index - 1].id), text: 'Précédent' }) : null,
    submit));
  replace(body, progress(ctx), form, ctx.status);
  setTitle(`Étape ${index + 1} sur ${STEPS.length} : ${step.title} — Souscrire en ligne`);
}

function next(body, ctx, step) {
  ctx.generalErrors = [];
  for (const f of step.fields) {
    const error = validateField(f, ctx);
    if (error) ctx.errors[f] = error;
    else delete ctx.errors[f];
  }
  const invalid = step.fields.filter((f) => ctx.errors[f]);
  if (invalid.length > 0) {
    drawStep(body, ctx);
    announce(`${invalid.length} champ${invalid.length > 1 ? 's' : ''} à corriger.`);
    focusField(invalid[0]);
    return;
  }
  ctx.goTo(STEPS[STEPS.findIndex((s) => s.id === step.id) + 1].id);
}

/** Shows errors (from the browser or the server) on the first step that has one. */
function showErrors(body, ctx, errors, general = []) {
  ctx.errors = {};
  for (const e of errors) ctx.errors[e.field] = e.message;
  const known = STEPS.flatMap((s) => s.fields);
  ctx.generalErrors = [
    ...general,
    ...errors.filter((e) => !known.includes(e.field)).map((e) => `${e.field} : ${e.message}`),
  ];
  const firstStep = STEPS.find((s) => s.fields.some((f) => ctx.errors[f]));
  ctx.payload.step = firstStep ? firstStep.id : 'review';
  drawStep(body, ctx);
  const summary = body.querySelector('.error-summary');
  const firstField = firstStep && firstStep.fields.find((f) => ctx.errors[f]);
  if (firstField) focusField(firstField);
  else focus(summary);
}

async function submitSubscription(body, ctx, button) {
  if (ctx.inFlight) return; // a second click while the first is running does nothing
  const local = STEPS.flatMap((s) => s.fields)
    .map((field) => ({ field, message: validateField(field, ctx) }))
    .filter((e) => e.message);
  if (local.length > 0) {
    showErrors(body, ctx, local);
    announce('Certains champs sont à corriger.');
    return;
  }
  ctx.inFlight = true;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = 'Envoi en cours…';
  announce('Envoi de votre souscription…');
  try {
    clearTimeout(ctx.saveTimer);
    await queueSave(ctx);
    const attempt = new api.Attempt(`mtf.attempt.${ctx.draftId || 'new'}`);
    const result = await api.submitNew(withLookup(submitBody(ctx)), attempt);
    if (ctx.draftId) sessionStorage.setItem(resultKey(ctx.draftId), JSON.stringify(result));
    showConfirmation(body, ctx, result);
  } catch (problem) {
    const field = CODE_FIELDS[problem.code];
    if (problem.code === 'client_exists_verify_cin' || problem.status === 403) {
      // The CIN belongs to a client: only that client, proven by the CIN check, may add a
      // line to it. A refused token (403) is dropped and the check starts again.
      if (problem.status === 403) session.clear();
      showIdentityCheck(body, ctx);
      return;
    }
    if (problem.errors && problem.errors.length > 0) {
      showErrors(body, ctx, problem.errors, [describe(problem)]);
    } else if (field) {
      showErrors(body, ctx, [{ field, message: describe(problem) }]);
    } else {
      ctx.generalErrors = [describe(problem)];
      drawStep(body, ctx);
      focus(body.querySelector('.error-summary'));
    }
    announce(describe(problem));
  } finally {
    ctx.inFlight = false;
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = 'Confirmer la souscription';
  }
}

/** The body with the lookup token of a CIN check made in this tab for the same CIN, if any. */
function withLookup(body) {
  const lookup = session.load();
  if (lookup && lookup.cin === body.client.cin) return { ...body, lookup_token: lookup.lookup_token };
  return body;
}

/**
 * The CIN of the form already belongs to a client: the client proves it (`verify-cin`, and the
 * code when the server asks for one), then the subscription is sent again with the lookup token.
 */
function showIdentityCheck(body, ctx) {
  const cin = normaliseCin(ctx.payload.client.cin);
  const area = h('div', { class: 'identity-check' });
  const title = h('h2', { id: 'identity-title', text: 'Confirmez votre identité' });
  const verified = (answer) => {
    session.save(cin, answer);
    drawStep(body, ctx);
    announce('Identité confirmée.');
    submitSubscription(body, ctx, body.querySelector('#submit-subscription'));
  };
  const start = () => {
    const alerts = h('div', { class: 'alerts' });
    const go = h('button', {
      type: 'button', class: 'button', id: 'identity-start', text: 'Vérifier mon CIN',
      onClick: async () => {
        if (go.disabled) return;
        go.disabled = true;
        replace(alerts);
        try {
          const answer = await api.verifyCin(cin);
          if (!isChallenge(answer)) {
            verified(answer);
            return;
          }
          const form = codeForm({ challenge: answer, onVerified: verified, onRestart: start });
          replace(area, form);
          setTitle('Code de vérification — Souscrire en ligne');
          announce(sentTo(answer));
          focus(form.querySelector('input'));
          return;
        } catch (problem) {
          const box = alertBox('error', describe(problem, 'Aucun client ne correspond à ce CIN.'));
          replace(alerts, box);
          focus(box);
        }
        go.disabled = false;
      },
    });
    replace(area, alerts, h('div', { class: 'actions' },
      go,
      h('button', {
        type: 'button', class: 'button secondary', text: 'Modifier le CIN',
        onClick: () => ctx.goTo('identity'),
      })));
  };
  start();
  const box = h('section', { class: 'card', 'aria-labelledby': 'identity-title' },
    title,
    h('p', { text: `Le CIN ${cin} correspond déjà à un client. Pour ajouter une ligne à ce compte, vérifiez qu’il s’agit bien de vous : c’est la même vérification que dans Mon espace.` }),
    area);
  replace(body, progress(ctx), box, ctx.status);
  setTitle('Confirmez votre identité — Souscrire en ligne');
  announce(describe({ status: 409, code: 'client_exists_verify_cin' }));
  focus(title);
}

/**
 * A draft already used by a subscription. If this tab made the attempt (its answer lost, then
 * a reload), the same request is sent again with the same Idempotency-Key: the server replays
 * the original answer, so the client gets the contract and its PDF without a second contract.
 */
async function showSubmitted(body, ctx) {
  const previous = new api.Attempt(`mtf.attempt.${ctx.draftId}`).last();
  if (previous) {
    try {
      const result = await api.submitNew(previous.body, new api.Attempt(`mtf.attempt.${ctx.draftId}`));
      sessionStorage.setItem(resultKey(ctx.draftId), JSON.stringify(result));
      showConfirmation(body, ctx, result);
      return;
    } catch {
      // Fall through to the plain notice.
    }
  }
  replace(body, alertBox('info', 'Cette souscription a déjà été envoyée. Retrouvez votre contrat dans Mon espace.',
    h('div', { class: 'actions' },
      h('a', { class: 'button', href: '#/account', text: 'Aller à Mon espace' }),
      h('a', { class: 'button secondary', href: '#/subscribe', text: 'Nouvelle souscription' }))));
}

function downloadLink(url, label) {
  return h('a', { class: 'button', href: url, id: 'contract-download', download: '', type: 'application/pdf', text: label });
}

function showConfirmation(body, ctx, result) {
  const cin = ctx.payload.client.cin;
  const linkArea = h('div', { class: 'actions' });
  if (result.document_download_url) {
    linkArea.append(downloadLink(result.document_download_url, 'Télécharger mon contrat (PDF)'));
  } else {
    const refresh = h('button', {
      type: 'button', class: 'button', text: 'Obtenir le lien du contrat',
      onClick: async () => {
        refresh.disabled = true;
        try {
          const link = await api.documentLink(result.contract_id, cin);
          refresh.replaceWith(downloadLink(link.document_download_url, 'Télécharger mon contrat (PDF)'));
        } catch (problem) {
          refresh.disabled = false;
          announce(describe(problem));
        }
      },
    });
    linkArea.append(refresh);
  }
  const box = h('section', { class: 'confirmation card', 'aria-labelledby': 'confirm-title', tabindex: '-1' },
    h('h2', { id: 'confirm-title', text: 'Souscription enregistrée' }),
    h('p', {}, 'Votre contrat n° ', h('strong', { id: 'contract-number', text: result.contract_number }), ' est enregistré.'),
    h('p', { text: `Statut : ${contractStatus(result.status)}.` }),
    linkArea,
    result.document_expires_at
      ? h('p', { class: 'small muted', text: `Lien de téléchargement valable jusqu’au ${dateTime(result.document_expires_at)}.` })
      : null,
    h('p', {}, h('a', { href: '#/account', text: 'Suivre mes abonnements et factures dans Mon espace' })));
  replace(body, box);
  setTitle('Souscription enregistrée — Souscrire en ligne');
  announce(`Souscription enregistrée. Contrat numéro ${result.contract_number}.`);
  focus(box);
}
