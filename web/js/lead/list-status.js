// A list's status as a German badge, and the import report table.
import { h } from '../dom.js';

/** @typedef {import('../types.js').DunningList} DunningList */

/** @type {Record<DunningList['status'], [string, string]>} German name and badge style */
const STATUS = {
  importing: ['wird importiert', 'badge-info'],
  active: ['aktiv', 'badge-success'],
  completed: ['abgeschlossen', 'badge-neutral'],
  failed: ['fehlgeschlagen', 'badge-error'],
  cancelled: ['abgebrochen', 'badge-warning'],
};

/** @param {DunningList} list */
export function statusBadge(list) {
  const [text, style] = STATUS[list.status] ?? [list.status, 'badge-neutral'];
  return h('span', { class: `badge ${style}`, 'data-testid': 'list-status' }, text);
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
