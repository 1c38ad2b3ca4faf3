// Team: the agents of the lead's clients now — in a call (which list, since when), logged in, or
// called today — with today's figures; a case held too long is freed from here.
import { api } from '../api.js';
import { h, replace, replaceIfChanged } from '../dom.js';
import { formatDate, formatShortDateTime, formatTime } from '../format.js';
import { refreshFailed } from './list-status.js';
import { freeButton } from './free-case.js';

/** @typedef {import('../types.js').TeamMember} TeamMember */

const POLL_MS = 5_000;
/** A case held longer than this is marked: a long call, or an agent gone with it on screen. */
const LONG_HOLD_MINUTES = 15;

/** @type {Record<TeamMember['state'], [string, string]>} German name and badge style */
const STATE = {
  in_call: ['Im Gespräch', 'badge-info'],
  at_work: ['Anwesend', 'badge-success'],
  away: ['Nicht anwesend', 'badge-neutral'],
};

/**
 * @param {import('../types.js').Me} me
 * @returns {import('../types.js').View}
 */
export function teamView(me) {
  const table = h('div', {}, h('p', { class: 'muted' }, 'Wird geladen …'));
  const message = h('div');
  const staleWarning = h('div', { 'aria-live': 'polite' });
  const asOf = h('p', { class: 'hint right' });
  const el = h(
    'div',
    { class: 'team-page' },
    h('h1', {}, 'Team'),
    h(
      'p',
      { class: 'hint' },
      `Mitarbeiter ${me.role === 'admin' ? 'aller Mandanten' : 'Ihrer Mandanten'}, die gerade telefonieren, anwesend sind (angemeldet und in der letzten Stunde aktiv) oder heute angerufen haben. `,
      `„Heute“ zählt die Anrufversuche ${me.role === 'admin' ? '' : 'für Ihre Mandanten '}seit Mitternacht deutscher Zeit; „erreicht“: jemand hat abgenommen, wie im LE-Bericht.`,
    ),
    staleWarning,
    message,
    h('section', { class: 'card' }, table, asOf),
  );
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let stopped = false;

  async function refresh() {
    clearTimeout(timer);
    try {
      /** @type {TeamMember[]} */
      const team = await api('GET', '/api/team');
      if (stopped) return;
      replaceIfChanged(table, JSON.stringify(team), () => teamTable(team, { message, refresh }));
      replace(asOf, `Stand ${formatTime(new Date().toISOString())} · aktualisiert alle ${POLL_MS / 1000} s`);
      replace(staleWarning);
    } catch (err) {
      if (!stopped) replace(staleWarning, refreshFailed(err));
    }
    if (!stopped) timer = setTimeout(() => void refresh(), POLL_MS);
  }

  void refresh();
  return {
    el,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/** A time today as the time, an earlier one with its date. @param {string} iso */
const when = (iso) => (formatDate(iso) === formatDate(new Date().toISOString()) ? formatTime(iso) : formatShortDateTime(iso));

/**
 * @param {TeamMember[]} team
 * @param {import('./free-case.js').FreeingPage} page where freeing a case says how it went
 */
function teamTable(team, page) {
  if (team.length === 0) return h('p', { class: 'muted' }, 'Niemand angemeldet, und heute hat noch niemand angerufen.');
  const n = (/** @type {number} */ v) => v.toLocaleString('de-DE');
  return h(
    'table',
    { class: 'table', 'data-testid': 'team' },
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, 'Mitarbeiter'), h('th', {}, 'Status'), h('th', {}, 'Mandant · Liste'), h('th', { class: 'num' }, 'Anrufe heute'), h('th', { class: 'num' }, 'erreicht'), h('th', { class: 'num' }, 'Zusagen'), h('th', {}, 'Letztes Ergebnis'), h('th', { 'aria-label': 'Aktion' })),
    ),
    h(
      'tbody',
      {},
      team.map((m) => {
        const [label, usual] = STATE[m.state];
        const long = m.call !== null && Date.now() - Date.parse(m.call.since) > LONG_HOLD_MINUTES * 60_000;
        const style = long ? 'badge-warning' : usual;
        const since = m.state === 'in_call' && m.call ? ` seit ${when(m.call.since)}` : m.state !== 'in_call' && m.lastActiveAt ? `, zuletzt aktiv ${when(m.lastActiveAt)}` : '';
        return h(
          'tr',
          {},
          h('td', {}, m.displayName),
          h('td', {}, h('span', { class: `badge ${style}` }, label), since, long ? ` – über ${LONG_HOLD_MINUTES} Min.` : ''),
          h('td', {}, m.call ? h('a', { href: `#/liste/${encodeURIComponent(m.call.listId)}` }, `${m.call.clientName} · ${m.call.listName}`) : m.state === 'in_call' ? h('span', { class: 'muted' }, 'anderer Mandant') : '–'),
          h('td', { class: 'num' }, n(m.today.attempts)),
          h('td', { class: 'num' }, n(m.today.reached)),
          h('td', { class: 'num' }, n(m.today.promises)),
          h('td', {}, m.today.lastAt ? when(m.today.lastAt) : '–'),
          h('td', {}, m.call ? freeButton(m.displayName, m.call.assignmentId, page) : null),
        );
      }),
    ),
  );
}
