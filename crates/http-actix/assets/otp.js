// The second factor of the CIN check. When the operator turns it on, `verify-cin` answers a
// challenge instead of a lookup token; the client types the 6-digit code sent by SMS or e-mail
// and `verify-cin/confirm` answers what `verify-cin` would have. The page detects the mode from
// the answer itself (a `challenge_id`), so it works with either server setting.

import { h, replace, focus, announce, alertBox, fieldError } from './dom.js';
import * as api from './api.js';
import { describe } from './messages.js';

/** Whether a `verify-cin` answer asks for a code rather than granting access. */
export function isChallenge(answer) {
  return Boolean(answer) && typeof answer.challenge_id === 'string' && !answer.lookup_token;
}

/** "Code reçu par SMS au 06•••••12." */
export function sentTo(challenge) {
  const where = challenge.masked_destination || '';
  if (challenge.channel === 'email') return `Code reçu par e-mail à ${where}.`;
  return `Code reçu par SMS au ${where}.`;
}

/** Why a confirmation was refused, and whether another try with the same challenge can work. */
function refusal(problem) {
  if (problem.code === 'otp_invalid') {
    const left = problem.attemptsLeft;
    if (left === 0) return { message: 'Code incorrect. Plus aucun essai : demandez un nouveau code.', final: true };
    const tries = left === undefined ? '' : ` Il vous reste ${left} essai${left > 1 ? 's' : ''}.`;
    return { message: `Code incorrect.${tries}`, final: false };
  }
  if (problem.code === 'otp_expired' || problem.status === 404 || problem.status === 410) {
    return { message: 'Ce code a expiré ou n’est plus valable. Demandez un nouveau code.', final: true };
  }
  return null;
}

/**
 * The code form. `onVerified(answer)` gets the confirmed answer (lookup token and greeting);
 * `onRestart()` asks for a new code (back to the CIN step).
 */
export function codeForm({ challenge, onVerified, onRestart }) {
  const input = h('input', {
    id: 'otp-code', name: 'code', type: 'text', inputmode: 'numeric', autocomplete: 'one-time-code',
    maxlength: '6', required: true, spellcheck: 'false', 'aria-describedby': 'otp-hint',
  });
  const error = fieldError('otp-error', '', { hidden: true });
  const button = h('button', { type: 'submit', class: 'button', text: 'Valider le code' });
  const restart = h('button', {
    type: 'button', class: 'button secondary', text: 'Recevoir un nouveau code', onClick: () => onRestart(),
  });
  const alerts = h('div', { class: 'alerts' });
  const setError = (message) => {
    error.querySelector('.field-error-text').textContent = message || '';
    error.hidden = !message;
    if (message) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'otp-hint otp-error');
    } else {
      input.removeAttribute('aria-invalid');
      input.setAttribute('aria-describedby', 'otp-hint');
    }
  };
  const form = h('form', {
    class: 'card narrow otp', novalidate: true, 'aria-labelledby': 'otp-title',
    onSubmit: async (e) => {
      e.preventDefault();
      if (button.disabled) return;
      replace(alerts);
      const code = input.value.replace(/\s+/g, '');
      if (!/^[0-9]{6}$/.test(code)) {
        setError('Le code comporte 6 chiffres.');
        announce('Le code comporte 6 chiffres.');
        focus(input);
        return;
      }
      setError('');
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
      try {
        const answer = await api.confirmCode(challenge.challenge_id, code);
        onVerified(answer);
        return;
      } catch (problem) {
        const refused = refusal(problem);
        if (refused) {
          setError(refused.message);
          announce(refused.message);
          if (refused.final) {
            input.disabled = true;
            button.removeAttribute('aria-busy');
            focus(restart);
            return;
          }
          input.select();
          focus(input);
        } else {
          const box = alertBox('error', describe(problem));
          replace(alerts, box);
          focus(box);
        }
      }
      button.disabled = false;
      button.removeAttribute('aria-busy');
    },
  },
  h('h2', { id: 'otp-title', text: 'Saisissez le code reçu' }),
  h('div', { class: 'field' },
    h('label', { for: 'otp-code', text: 'Code de vérification (6 chiffres)' }),
    h('p', { id: 'otp-hint', class: 'hint', text: sentTo(challenge) }),
    error,
    input),
  alerts,
  h('div', { class: 'actions' }, button, restart));
  return form;
}
