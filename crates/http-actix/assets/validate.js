// Field checks in the browser, the same rules as the server's (crates/domain/src/clients): a
// mistake is shown at once, and the server still has the last word.

/** Trimmed, upper-case CIN. */
export function normaliseCin(raw) {
  return String(raw || '').trim().toUpperCase();
}

/** CIN: one or two letters then 3 to 8 digits (`AB123456`, `K98765`). */
export function cin(raw) {
  return /^[A-Z]{1,2}[0-9]{3,8}$/.test(normaliseCin(raw))
    ? null
    : 'Le CIN comporte une ou deux lettres suivies de 3 à 8 chiffres (ex. AB123456).';
}

/** A Moroccan number in E.164 (`+212…`), or null when it is not one. */
export function e164(raw) {
  const compact = String(raw || '').trim().replace(/[\s.\-()]/g, '');
  let national = null;
  if (compact.startsWith('+212')) national = compact.slice(4);
  else if (compact.startsWith('00212')) national = compact.slice(5);
  else if (compact.length === 12 && compact.startsWith('212')) national = compact.slice(3);
  else if (compact.length === 10 && compact.startsWith('0')) national = compact.slice(1);
  if (national === null || !/^[5-8][0-9]{8}$/.test(national)) return null;
  return `+212${national}`;
}

const PHONE_HINT = 'Numéro marocain attendu : 06…, 07…, 05… (10 chiffres) ou +212 suivi de 9 chiffres.';

/** Optional contact phone. */
export function phone(raw) {
  if (!String(raw || '').trim()) return null;
  return e164(raw) ? null : PHONE_HINT;
}

/** Optional e-mail: one `@`, a dot in the domain, no spaces. */
export function email(raw) {
  const value = String(raw || '').trim().toLowerCase();
  if (!value) return null;
  const at = value.split('@');
  const ok = value.length <= 254 && !/\s/.test(value) && at.length === 2 && at[0] !== ''
    && at[1].includes('.') && !at[1].startsWith('.') && !at[1].endsWith('.');
  return ok ? null : 'Adresse e-mail invalide (ex. nom@exemple.ma).';
}

/** A required text field. */
export function required(raw, label) {
  return String(raw || '').trim() ? null : `${label} est obligatoire.`;
}

/** The line identifier, checked for the offer's service type. */
export function serviceIdentifier(raw, serviceType) {
  const value = String(raw || '').trim();
  if (!value) return 'Indiquez la ligne à activer.';
  if (serviceType === 'internet') {
    return /^[A-Za-z0-9._-]{4,32}$/.test(value)
      ? null
      : 'Identifiant de ligne : 4 à 32 lettres, chiffres, « - », « _ » ou « . ».';
  }
  const number = e164(value);
  if (!number) return PHONE_HINT;
  const prefix = number.charAt(4);
  if (serviceType === 'mobile' && prefix !== '6' && prefix !== '7') {
    return 'Un numéro mobile commence par 06 ou 07 (+2126… ou +2127…).';
  }
  if (serviceType === 'landline' && prefix !== '5') {
    return 'Un numéro fixe commence par 05 (+2125…).';
  }
  return null;
}

/** A `YYYY-MM-DD` date that is not before `min`. */
export function startDate(value, min) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value || '')) return 'Choisissez une date de début.';
  if (min && value < min) return 'La date de début ne peut pas être dans le passé.';
  return null;
}

/** Optional birth date in the past. */
export function birthDate(value, today) {
  if (!value) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'Date de naissance invalide.';
  return value < today ? null : 'La date de naissance doit être dans le passé.';
}
