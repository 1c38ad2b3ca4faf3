// A list's status as a German badge, the import report table, the warning of a failed refresh and
// that of a list paused for days.
import { germanError, serverNow } from '../api.js';
import { h, notice } from '../dom.js';
import { formatTime } from '../format.js';

/**
 * A page's live refresh failed: when, why, and that it goes on trying (replaced, not added to).
 * @param {unknown} err
 */
export const refreshFailed = (err) => notice('warning', `Aktualisierung um ${formatTime(new Date().toISOString())} Uhr fehlgeschlagen: ${germanError(err)} Neuer Versuch läuft …`);

/** @typedef {import('../types.js').DunningList} DunningList */

/** @type {Record<DunningList['status'], [string, string]>} German name and badge style */
const STATUS = {
  importing: ['wird importiert', 'badge-info'],
  active: ['aktiv', 'badge-success'],
  paused: ['pausiert', 'badge-info'],
  completed: ['abgeschlossen', 'badge-neutral'],
  failed: ['fehlgeschlagen', 'badge-error'],
  cancelled: ['abgebrochen', 'badge-warning'],
};

/** @param {DunningList} list */
export function statusBadge(list) {
  const [text, style] = STATUS[list.status] ?? [list.status, 'badge-neutral'];
  return h('span', { class: `badge ${style}`, 'data-testid': 'list-status' }, text);
}

/**
 * Paused this long, a list is likely forgotten: a paused list is never completed, so its client
 * gets no result list and retention never deletes it. Three days let a list paused on Friday
 * evening pass the weekend unremarked (docs/decisions.md).
 */
const PAUSED_LONG_DAYS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whole days a paused list has been paused, when that is `PAUSED_LONG_DAYS` or more; else null.
 * @param {DunningList} list
 */
export function pausedLongDays(list) {
  if (list.status !== 'paused' || !list.pausedAt) return null;
  const days = Math.floor((serverNow() - Date.parse(list.pausedAt)) / DAY_MS);
  return days >= PAUSED_LONG_DAYS ? days : null;
}

/** @param {DunningList} list */
export function pausedLongNotice(list) {
  const days = pausedLongDays(list);
  if (days === null) return null;
  return notice(
    'warning',
    `Diese Liste ist seit ${days} Tagen pausiert. Solange sie pausiert ist, wird sie nicht zu Ende telefoniert: Der Mandant erhält keine Ergebnisliste, und die Daten werden nicht nach der Aufbewahrungsfrist gelöscht. Bitte fortsetzen oder abbrechen.`,
  );
}

/** @param {DunningList} list */
export function importProgressBar(list) {
  const p = list.importProgress;
  const percent = Math.max(0, Math.min(100, Math.round(p?.percent ?? 0)));
  return h(
    'div',
    { class: 'import-progress' },
    h('progress', { max: 100, value: percent, 'aria-label': 'Importfortschritt' }),
    h('span', { class: 'hint' }, `${percent} %${p ? ` · ${p.rows.toLocaleString('de-DE')} Zeilen` : ''}`),
  );
}

/**
 * "Zeile, Spalte, Wert, Grund" of every rejected row.
 * @param {import('../types.js').Report} report
 */
export function reportView(report) {
  const n = (/** @type {number} */ v) => v.toLocaleString('de-DE');
  return h(
    'div',
    { class: 'report', 'data-testid': 'report' },
    h(
      'p',
      { class: 'report-summary' },
      h('strong', {}, `${n(report.accepted)} Fälle übernommen`),
      report.rejectedRows ? [', ', h('strong', { class: 'text-error' }, `${n(report.rejectedRows)} Zeilen abgelehnt`)] : ', keine Zeile abgelehnt',
      ` · ${n(report.dataRows)} Datenzeilen, Kopfzeile in Zeile ${report.headerRow}`,
    ),
    report.sheet ? h('p', { class: 'hint', 'data-testid': 'report-sheet' }, sheetText(report.sheet)) : null,
    report.countries && Object.keys(report.countries).length
      ? h('ul', { class: 'report-countries', 'data-testid': 'report-countries' }, Object.entries(report.countries).sort(([, a], [, b]) => b.rows - a.rows).map(([c, v]) => h('li', {}, countryText(c, v))))
      : null,
    report.extraColumns.length ? h('p', { class: 'hint' }, `Zusätzliche Spalten (werden übernommen): ${report.extraColumns.join(', ')}`) : null,
    report.rejected.length
      ? h(
          'table',
          { class: 'table table-compact' },
          h('thead', {}, h('tr', {}, ['Zeile', 'Spalte', 'Wert', 'Grund'].map((t) => h('th', { scope: 'col' }, t)))),
          h(
            'tbody',
            {},
            report.rejected.map((r) => h('tr', {}, h('td', { class: 'num' }, r.row), h('td', {}, r.column), h('td', { class: 'mono' }, r.value), h('td', {}, r.reasonDe ?? r.reason))),
          ),
        )
      : null,
    report.rejectedTruncated ? h('p', { class: 'hint' }, `Gezeigt werden die ersten ${n(report.rejected.length)} abgelehnten Zeilen.`) : null,
  );
}

/** @type {Record<string, string>} */
const SKIPPED = { no_header: 'keine Kopfzeile', missing_columns: 'Pflichtspalten fehlen', fewer_rows: 'weniger Zeilen' };

/** @param {NonNullable<import('../types.js').Report['sheet']>} sheet */
function sheetText(sheet) {
  const skipped = sheet.skipped.map((s) => `„${s.name}“ (${SKIPPED[s.code] ?? s.code}${s.rows !== undefined ? `: ${s.rows.toLocaleString('de-DE')}` : ''})`);
  return `Gelesen aus Blatt „${sheet.name}“${skipped.length ? ` – übersprungen: ${skipped.join(', ')}` : ''}.`;
}

/** @type {Record<string, string>} how a country was found */
const FOUND_BY = {
  column: 'an der Spalte Land',
  postalPrefix: 'am Länderkürzel der PLZ',
  address: 'am Land in der Adresse',
  postcode: 'an der PLZ',
  postcodeTown: 'an PLZ und Ort',
  phone: 'an der Telefonnummer',
  postcodeWithoutZero: 'an der 4-stelligen PLZ, als deutsche ohne führende 0 gelesen (bitte prüfen: österreichische Kunden ohne Land sehen genauso aus)',
  default: 'Standard des Mandanten, nichts in der Zeile sagte es',
};
const REGION = new Intl.DisplayNames(['de'], { type: 'region' });

/**
 * „31 Zeilen Schweiz, erkannt an PLZ und Ort“.
 * @param {string} country
 * @param {{ rows: number, by: Record<string, number> }} v
 */
function countryText(country, v) {
  const name = REGION.of(country) ?? country;
  const ways = Object.entries(v.by).sort(([, a], [, b]) => b - a);
  const how = ways.length === 1 ? FOUND_BY[ways[0]?.[0] ?? ''] : ways.map(([k, n]) => `${n.toLocaleString('de-DE')} ${FOUND_BY[k] ?? k}`).join(', ');
  return `${v.rows.toLocaleString('de-DE')} ${v.rows === 1 ? 'Zeile' : 'Zeilen'} ${name}, erkannt ${how ?? ''}`;
}
