// French formatting of the API's values: integer centimes, ISO dates, service and status names.

// A no-break space keeps "1 234,56 MAD" on one line.
const NBSP = '\u00a0';

/** `123456` centimes → `1 234,56 MAD` (thousands grouped, comma decimal). */
export function money(centimes, currency = 'MAD') {
  const value = Number(centimes);
  if (!Number.isFinite(value)) return '—';
  const negative = value < 0;
  const abs = Math.round(Math.abs(value));
  const units = Math.floor(abs / 100).toString();
  const cents = (abs % 100).toString().padStart(2, '0');
  const grouped = units.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  return `${negative ? '-' : ''}${grouped},${cents}${NBSP}${currency || 'MAD'}`;
}

/** `2026-03-10` (or an RFC 3339 instant) → `10/03/2026`; anything else unchanged. */
export function date(iso) {
  if (typeof iso !== 'string') return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** An instant → `10/03/2026 à 09:15` in the browser's time zone. */
export function dateTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} à ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `2026-03` → `mars 2026`. */
export function period(value) {
  const m = /^(\d{4})-(\d{2})$/.exec(value || '');
  if (!m) return value || '—';
  const months = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août',
    'septembre', 'octobre', 'novembre', 'décembre'];
  return `${months[Number(m[2]) - 1] || m[2]} ${m[1]}`;
}

/** Today in the browser's time zone as `YYYY-MM-DD`. */
export function todayIso() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const SERVICE_LABELS = { mobile: 'Mobile', internet: 'Internet', landline: 'Téléphone fixe' };

/** French name of a service type. */
export function serviceLabel(type) {
  return SERVICE_LABELS[type] || type;
}

/** Engagement text for a number of months. */
export function commitment(months) {
  const n = Number(months || 0);
  return n > 0 ? `Engagement ${n} mois` : 'Sans engagement';
}

const CONTRACT_STATUS = {
  pending: 'En attente', active: 'Actif', suspended: 'Suspendu', terminated: 'Résilié',
  cancelled: 'Annulé',
};
/** French name of a contract status. */
export function contractStatus(status) {
  return CONTRACT_STATUS[status] || status;
}

const INVOICE_STATUS = {
  issued: 'À payer', partially_paid: 'Partiellement payée', paid: 'Payée', void: 'Annulée',
};
/** French name of an invoice status. */
export function invoiceStatus(status) {
  return INVOICE_STATUS[status] || status;
}

/** French name of a plan-change direction. */
export function direction(dir) {
  if (dir === 'upgrade') return 'Montée en gamme';
  if (dir === 'downgrade') return 'Offre inférieure';
  return dir === 'lateral' ? 'Offre au même prix' : dir;
}

/** Seconds of calls → `2 h 05 min`, `37 min` or `45 s` (a started minute shows as such). */
export function duration(seconds) {
  const s = Math.max(0, Math.round(Number(seconds) || 0));
  if (s > 0 && s < 60) return `${s}${NBSP}s`;
  const minutes = Math.floor(s / 60);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest}${NBSP}min`;
  return rest === 0 ? `${hours}${NBSP}h` : `${hours}${NBSP}h${NBSP}${String(rest).padStart(2, '0')}${NBSP}min`;
}

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** Bytes → `350 Mo` or `2,5 Go` (binary units, as the invoice's started MB). */
export function dataSize(bytes) {
  const b = Math.max(0, Number(bytes) || 0);
  if (b >= GIB) {
    const go = Math.round((b / GIB) * 10) / 10;
    return `${String(go).replace('.', ',')}${NBSP}Go`;
  }
  return `${Math.round(b / MIB)}${NBSP}Mo`;
}

/** An amount of usage of `kind` (voice seconds, SMS, data bytes) in human units. */
export function usageAmount(kind, value) {
  if (kind === 'voice') return duration(value);
  if (kind === 'data') return dataSize(value);
  const n = Math.max(0, Math.round(Number(value) || 0));
  return `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP)}${NBSP}SMS`;
}
