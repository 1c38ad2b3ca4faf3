// German formatting of amounts, dates and windows; parsing of German number input.

const TZ = 'Europe/Berlin';

/** @type {Map<string, Intl.NumberFormat>} */
const moneyFormats = new Map();

/** Francs as the Swiss write them (`CHF 1’234.50`), everything else as in Germany. @param {string} currency */
const moneyLocale = (currency) => (currency === 'CHF' ? 'de-CH' : 'de-DE');

/**
 * `123456, 'EUR'` → `1.234,56 €`; `123456, 'CHF'` → `CHF 1’234.56`.
 * @param {number} cents
 * @param {string} [currency]
 */
export function formatMoney(cents, currency = 'EUR') {
  let f = moneyFormats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat(moneyLocale(currency), { style: 'currency', currency });
    moneyFormats.set(currency, f);
  }
  return f.format(cents / 100);
}

/**
 * `1234.5` → `1.234,50` (`1’234.50` for francs), no currency sign, for prefilling an amount field.
 * @param {number} cents
 * @param {string} [currency]
 */
export const formatAmountInput = (cents, currency = 'EUR') =>
  new Intl.NumberFormat(moneyLocale(currency), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100);

/** The signs of an amount's currency an agent may type with it. */
const CURRENCY_SIGNS = { EUR: /^(?:€|EUR)|(?:€|EUR)$/i, CHF: /^(?:S?Fr\.|CHF)|(?:S?Fr\.|CHF)$/i };

/**
 * Typed amount → cents, in German notation (`1.234,56`, `1234,5`, `50`, `50 €`, also `1234.56`)
 * or Swiss (`1'234.50`, `CHF 50`, `Fr. 50.–`). A sign of another currency than the case's is
 * refused: a promise in euros is not one in francs.
 * @param {string} text
 * @param {string} [currency] the case's currency
 * @returns {number | null} null when it is not a positive amount
 */
export function parseGermanAmount(text, currency = 'EUR') {
  let s = text.replace(/[\s\u00a0]/g, '');
  const own = CURRENCY_SIGNS[/** @type {keyof typeof CURRENCY_SIGNS} */ (currency)];
  if (own) s = s.replace(own, '');
  if (/[€]|EUR|CHF|S?Fr\./i.test(s)) return null;
  s = s.replace(/\.[-–—]$/, ''); // Swiss whole francs: 50.–
  if (/^\d{1,3}(['’]\d{3})+(\.\d{1,2})?$/.test(s)) s = s.replace(/['’]/g, '');
  else if (s.includes(',')) s = s.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, ''); // 1.234 = one thousand
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return null;
  const cents = Math.round(Number(s) * 100);
  return cents > 0 ? cents : null;
}

const dateTime = new Intl.DateTimeFormat('de-DE', {
  timeZone: TZ, weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
});
const shortDateTime = new Intl.DateTimeFormat('de-DE', { timeZone: TZ, day: '2-digit', month: '2-digit', year: '2-digit', hour: '2-digit', minute: '2-digit' });
const timeOnly = new Intl.DateTimeFormat('de-DE', { timeZone: TZ, hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateOnly = new Intl.DateTimeFormat('de-DE', { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric' });

/** `Mi., 25.11.2026, 09:00` in Europe/Berlin. @param {string | null | undefined} iso */
export const formatDateTime = (iso) => (iso ? dateTime.format(new Date(iso)) : '–');
/** `25.11.26, 09:00`, for tables. @param {string} iso */
export const formatShortDateTime = (iso) => shortDateTime.format(new Date(iso));
/** @param {string} iso */
export const formatTime = (iso) => timeOnly.format(new Date(iso));
/** @param {string | null | undefined} iso */
export const formatDate = (iso) => (iso ? dateOnly.format(new Date(iso)) : '–');

const calendarDay = new Intl.DateTimeFormat('de-DE', { timeZone: 'UTC', weekday: 'short', day: '2-digit', month: '2-digit', year: 'numeric' });

/**
 * A calendar day `2026-11-02` → `Mo., 02.11.2026`, as it is: no time zone moves it.
 * @param {string} isoDate
 */
export function formatCalendarDay(isoDate) {
  const [y, m, d] = isoDate.split('-').map(Number);
  return calendarDay.format(new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1)));
}

/** @type {ReadonlyArray<[string, string]>} code and German short name, Monday first */
export const WEEKDAYS = [
  ['mon', 'Mo'], ['tue', 'Di'], ['wed', 'Mi'], ['thu', 'Do'], ['fri', 'Fr'], ['sat', 'Sa'], ['sun', 'So'],
];

/** @type {Record<string, string>} German names of the default windows; others keep their own name */
const WINDOW_NAMES = { morning: 'Vormittag', midday: 'Mittag', afternoon: 'Nachmittag', evening: 'Abend', ganztags: 'Ganztags' };

/**
 * `evening, ['17:00','20:00']` → `Abend (17:00–20:00)`.
 * @param {string} name
 * @param {readonly [string, string]} [range]
 */
export function windowLabel(name, range) {
  const label = WINDOW_NAMES[name] ?? name;
  return range ? `${label} (${range[0]}–${range[1]})` : label;
}

/**
 * `{days:['mon',…,'fri'], from:'17:00', to:'20:00'}` → `Mo–Fr 17:00–20:00`.
 * @param {{days: string[], from: string, to: string}} w
 */
export function preferredWindowLabel(w) {
  const idx = w.days.map((d) => WEEKDAYS.findIndex(([code]) => code === d)).filter((i) => i >= 0).sort((a, b) => a - b);
  const consecutive = idx.length > 2 && idx.every((v, i) => i === 0 || v === (idx[i - 1] ?? -2) + 1);
  const name = (/** @type {number} */ i) => WEEKDAYS[i]?.[1] ?? '';
  const days = consecutive ? `${name(idx[0] ?? 0)}–${name(idx[idx.length - 1] ?? 0)}` : idx.map(name).join(', ');
  return `${days} ${w.from}–${w.to}`;
}

/**
 * How far `timeZone`'s wall clock is ahead of UTC at instant `ms`.
 * @param {number} ms
 * @param {string} timeZone
 */
function zoneOffsetMs(ms, timeZone) {
  const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  /** @type {Record<string, number>} */
  const p = {};
  for (const part of f.formatToParts(new Date(ms))) p[part.type] = Number(part.value);
  return Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0) - Math.floor(ms / 1000) * 1000;
}

/**
 * A `datetime-local` value meant in `timeZone` (the client's, not the PC's) → ISO with that
 * zone's offset at that moment, `2026-11-27T15:30:00+01:00`.
 * @param {string} local `YYYY-MM-DDTHH:MM`
 * @param {string} timeZone IANA zone, e.g. Europe/Berlin
 * @returns {string | null}
 */
export function zonedToIsoWithOffset(local, timeZone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  // Two passes find the offset valid at the resulting instant, also next to a DST switch.
  const first = wall - zoneOffsetMs(wall, timeZone);
  const off = Math.round(zoneOffsetMs(wall - zoneOffsetMs(first, timeZone), timeZone) / 60_000);
  const sign = off >= 0 ? '+' : '-';
  const pad = (/** @type {number} */ n) => String(Math.abs(n)).padStart(2, '0');
  return `${local.slice(0, 16)}:00${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
}

/** Today as `YYYY-MM-DD` in the browser's zone (for `min` of date inputs). */
export function todayIso() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * A share 0..1 as a German percentage: `0.413` → `41 %`.
 * @param {number} share
 */
export const formatPercent = (share) => `${Math.round(share * 100)} %`;

/**
 * A client's windows by start time, then name: the stored order is the database's (jsonb
 * sorts keys by length), which put „Mittag“ before „Vormittag“.
 * @param {Record<string, [string, string]>} windows
 * @returns {string[]}
 */
export function windowsByStart(windows) {
  return Object.entries(windows)
    .sort(([an, [af]], [bn, [bf]]) => af.localeCompare(bf) || an.localeCompare(bn))
    .map(([name]) => name);
}
