// LE report (Leistungseinheiten): every recorded call attempt per client and day or per agent,
// as a table and as the same report for download (.xlsx).
import { api, germanError } from '../api.js';
import { field, h, notice, replace } from '../dom.js';
import { formatCalendarDay, formatMoney } from '../format.js';

/** @typedef {import('../types.js').Client} Client */
/** @typedef {import('../types.js').LeReport} LeReport */
/** @typedef {import('../types.js').LeClient} LeClient */
/** @typedef {import('../types.js').LeCounts} LeCounts */
/** @typedef {import('../types.js').LeRow} LeRow */

const MAX_DAYS = 366; // as the API allows

/** @returns {import('../types.js').View} */
export function leReportView() {
  const [monthStart, monthEnd] = thisMonth(new Date());
  const client = h('select', { name: 'clientId' }, h('option', { value: '' }, 'Alle Mandanten'));
  const from = h('input', { type: 'date', name: 'from', required: true, value: monthStart });
  const to = h('input', { type: 'date', name: 'to', required: true, value: monthEnd });
  const groupBy = h('select', { name: 'groupBy' }, h('option', { value: 'day' }, 'je Tag'), h('option', { value: 'agent' }, 'je Mitarbeiter'));
  const download = h('a', { class: 'btn btn-secondary', download: '', hidden: true }, 'Als Excel herunterladen (.xlsx)');
  const result = h('div', { 'aria-live': 'polite' });
  let stopped = false;
  let latest = 0;

  const form = h(
    'form',
    { class: 'card le-form', novalidate: true, onsubmit: (/** @type {SubmitEvent} */ e) => (e.preventDefault(), void load()), onchange: () => void load() },
    h(
      'div',
      { class: 'row row-end' },
      field('Mandant', client),
      field('Von', from),
      field('Bis', to),
      field('Gruppierung', groupBy),
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Anzeigen'),
    ),
    h('div', { class: 'actions' }, download),
    h(
      'p',
      { class: 'hint' },
      'Jeder erfasste Anrufversuch ist eine Leistungseinheit (LE). „Erreicht“: alle Versuche außer denen, deren Ergebnis eine Wiederholung plant ',
      '(wie „Kunde nicht erreicht“); ein vereinbarter Rückruf zählt als erreicht. Tage zählen in der Zeitzone des jeweiligen Mandanten.',
    ),
  );
  const el = h('div', { class: 'le-page' }, h('h1', {}, 'LE-Bericht'), form, result);

  async function loadClients() {
    try {
      /** @type {Client[]} */
      const clients = await api('GET', '/api/clients');
      if (!stopped) client.append(...clients.map((c) => h('option', { value: c.id }, `${c.name} (${c.code})`)));
    } catch (err) {
      if (!stopped) replace(result, notice('error', `Mandanten konnten nicht geladen werden: ${germanError(err)}`));
    }
  }

  async function load() {
    // Counted before the check: an answer still on its way for an earlier form must not replace
    // the message about this one's period.
    const mine = ++latest;
    const problem = checkPeriod(from.value, to.value);
    if (problem) {
      download.hidden = true;
      return replace(result, notice('error', problem));
    }
    const query = new URLSearchParams({ from: from.value, to: to.value, groupBy: groupBy.value });
    if (client.value) query.set('clientId', client.value);
    replace(result, h('p', { class: 'muted' }, 'Wird geladen …'));
    try {
      /** @type {LeReport} */
      const report = await api('GET', `/api/reports/le?${query}`);
      if (stopped || mine !== latest) return; // a later request answers for the current form
      // The download is the report on screen: same parameters, offered only once they were valid.
      download.setAttribute('href', `/api/reports/le.xlsx?${query}`);
      download.hidden = false;
      replace(result, reportView(report));
    } catch (err) {
      if (stopped || mine !== latest) return;
      download.hidden = true;
      replace(result, notice('error', `${germanError(err)}${err instanceof Error ? ` (Details: ${err.message})` : ''}`));
    }
  }

  void loadClients();
  void load();
  return { el, stop: () => (stopped = true) };
}

/**
 * First and last day of the month of `today` (the browser's calendar), as `YYYY-MM-DD`.
 * @param {Date} today
 * @returns {[string, string]}
 */
function thisMonth(today) {
  const y = today.getFullYear();
  const m = today.getMonth();
  const last = new Date(y, m + 1, 0).getDate();
  const iso = (/** @type {number} */ d) => `${y}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return [iso(1), iso(last)];
}

/**
 * A German message when the period cannot be asked for, else null.
 * @param {string} from
 * @param {string} to
 */
function checkPeriod(from, to) {
  if (!from || !to) return 'Bitte „Von“ und „Bis“ als Datum angeben.';
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (!Number.isFinite(days)) return 'Bitte „Von“ und „Bis“ als Datum angeben.';
  if (days < 1) return '„Von“ liegt nach „Bis“.';
  if (days > MAX_DAYS) return `Der Zeitraum ist zu lang: höchstens ${MAX_DAYS} Tage je Bericht.`;
  return null;
}

const n = (/** @type {number} */ v) => v.toLocaleString('de-DE');

/**
 * Promised sums by currency, each in its own (francs never add to euros); `–` without any.
 * @param {Record<string, number>} byCurrency
 */
const promised = (byCurrency) =>
  Object.keys(byCurrency)
    .sort()
    .map((cur) => formatMoney(byCurrency[cur] ?? 0, cur))
    .join(' · ') || '–';

/** @param {LeReport} report */
function reportView(report) {
  if (report.clients.length === 0) return notice('info', 'Keine Anrufversuche im gewählten Zeitraum.');
  const t = report.totals;
  /** @type {Array<[string, string, string]>} */
  const tiles = [
    ['Versuche (LE)', n(t.attempts), 'tile-primary'],
    ['Erreicht', n(t.reached), ''],
    ['Richtige Person', n(t.rightParty), ''],
    ['Zusagen', n(t.promises), ''],
    ['Zusagen Summe', promised(t.promiseAmountsCents), 'tile-success'],
  ];
  return h(
    'div',
    { class: 'le-report' },
    h('div', { class: 'tiles', 'data-testid': 'le-totals' }, tiles.map(([label, value, style]) => h('div', { class: `tile ${style}` }, h('span', { class: 'tile-value' }, value), h('span', { class: 'tile-label' }, label)))),
    report.clients.map((c) => clientSection(c, report.groupBy)),
  );
}

/**
 * One client's table; outcome columns only for outcomes that occur (the download has all).
 * @param {LeClient} client
 * @param {LeReport['groupBy']} groupBy
 */
function clientSection(client, groupBy) {
  const used = client.outcomes.filter((o) => (client.totals.byOutcome[o.code] ?? 0) > 0);
  /** @param {LeCounts} c */
  const cells = (c) =>
    [n(c.attempts), n(c.reached), n(c.rightParty), n(c.promises), promised(c.promiseAmountsCents), ...used.map((o) => n(c.byOutcome[o.code] ?? 0))].map((v) => h('td', { class: 'num' }, v));
  const head = [groupBy === 'agent' ? 'Mitarbeiter' : 'Datum', 'Versuche (LE)', 'Erreicht', 'Richtige Person', 'Zusagen', 'Zusagen Summe'];
  return h(
    'section',
    { class: 'card', 'data-client': client.code },
    h('header', { class: 'client-head' }, h('h2', {}, client.name), h('span', { class: 'badge badge-neutral' }, client.code), h('span', { class: 'hint' }, `Zeitzone ${client.timezone}`)),
    client.rows.length === 0
      ? h('p', { class: 'muted' }, 'Keine Anrufversuche im Zeitraum.')
      : h(
          'div',
          { class: 'table-scroll' },
          h(
            'table',
            { class: 'table le-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                head.map((text, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, text)),
                used.map((o) => h('th', { scope: 'col', class: 'num', title: o.effect ? null : 'Ergebnis ist nicht mehr in den Einstellungen des Mandanten' }, o.label)),
              ),
            ),
            h('tbody', {}, client.rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, rowLabel(r)), cells(r)))),
            h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, 'Summe'), cells(client.totals))),
          ),
        ),
  );
}

/** @param {LeRow} row */
function rowLabel(row) {
  if (row.date) return formatCalendarDay(row.date);
  if (!row.agent) return h('span', { class: 'muted' }, 'ohne Mitarbeiter');
  return [row.agent.displayName, ' ', h('span', { class: 'muted small' }, `(${row.agent.username})`)];
}
