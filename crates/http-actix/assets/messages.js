// French messages for the API's problems, by status and stable `code`.

const BY_CODE = {
  network_error: 'Connexion au serveur impossible. Vérifiez votre connexion puis réessayez.',
  draft_not_found: 'Ce brouillon n’existe plus : il a expiré ou le lien est incorrect.',
  client_not_found: 'Aucun client ne correspond à ce CIN. Vérifiez la saisie.',
  offer_not_found: 'Cette offre n’est plus disponible. Choisissez-en une autre.',
  contract_not_found: 'Contrat introuvable.',
  invoice_not_found: 'Facture introuvable.',
  service_identifier_in_use: 'Cette ligne est déjà utilisée par un contrat en cours.',
  idempotency_key_in_use: 'Votre demande est déjà en cours de traitement. Patientez un instant.',
  idempotency_key_reused: 'La demande a changé depuis le premier envoi. Renvoyez-la.',
  validation_failed: 'Certains champs sont à corriger.',
  draft_already_submitted: 'Cette souscription a déjà été envoyée.',
  draft_too_large: 'Le brouillon est trop volumineux pour être enregistré.',
  service_identifier_exists: 'Cette ligne appartient déjà à un autre client.',
  offer_retired: 'Cette offre n’est plus commercialisée. Choisissez-en une autre.',
  service_type_mismatch: 'Cette offre ne correspond pas au type de la ligne.',
  same_offer: 'C’est déjà votre offre actuelle.',
  contract_not_active: 'Ce contrat n’est pas actif : son offre ne peut pas être changée en ligne.',
  client_inactive: 'Votre compte client est inactif. Contactez votre agence.',
  effective_date_too_early: 'La date d’effet est trop tôt.',
  client_exists_verify_cin: 'Ce CIN appartient déjà à un client. Confirmez votre identité pour souscrire une nouvelle ligne.',
  otp_expired: 'Ce code a expiré. Demandez un nouveau code.',
  otp_invalid: 'Code incorrect.',
};

/** Seconds → "30 secondes" / "2 minutes". */
export function delay(seconds) {
  const s = Math.max(1, Number(seconds) || 1);
  if (s < 90) return `${s} seconde${s > 1 ? 's' : ''}`;
  const m = Math.ceil(s / 60);
  return `${m} minute${m > 1 ? 's' : ''}`;
}

/** The message to show for a problem; `context404` names what was not found. */
export function describe(problem, context404) {
  if (!problem || typeof problem.status !== 'number') {
    return 'Une erreur inattendue est survenue. Réessayez.';
  }
  if (problem.status === 429) {
    return problem.retryAfter !== undefined
      ? `Trop de tentatives. Réessayez dans ${delay(problem.retryAfter)}.`
      : 'Trop de tentatives. Réessayez dans un instant.';
  }
  if (problem.status === 403) {
    return 'Votre vérification a expiré ou n’est plus valable. Vérifiez à nouveau votre CIN.';
  }
  if (BY_CODE[problem.code]) return BY_CODE[problem.code];
  if (problem.status === 404) return context404 || 'Élément introuvable.';
  if (problem.status >= 500) {
    const ref = problem.requestId ? ` (référence ${problem.requestId})` : '';
    return `Le service est momentanément indisponible. Réessayez plus tard${ref}.`;
  }
  if (problem.status === 409 || problem.status === 422 || problem.status === 400) {
    return problem.detail ? `Demande refusée : ${problem.detail}` : 'Demande refusée.';
  }
  return `Erreur ${problem.status}. Réessayez.`;
}

/** Problem codes that concern one field even without an `errors` list. */
export const CODE_FIELDS = {
  service_identifier_in_use: 'subscriber.service_identifier',
  offer_not_found: 'offer_id',
  offer_not_active: 'offer_id',
  offer_retired: 'offer_id',
  cin_already_exists: 'client.cin',
  service_identifier_exists: 'subscriber.service_identifier',
  service_type_mismatch: 'offer_id',
  effective_date_too_early: 'contract_start_date',
};
