// The agent's start screen when nothing is due: why the cases wait, when the next one is due,
// and what no waiting will change (no active client, a language nobody at work speaks).
import { h, notice } from '../dom.js';
import { formatDateTime } from '../format.js';
import { languageGapNotices } from '../language-gaps.js';

/** @typedef {import('../types.js').Waiting} Waiting */

/** @type {Array<[keyof Waiting, string]>} why cases wait, in German */
const WAITING_LABELS = [
  ['callbackWindow', 'Rückrufzeitfenster'],
  ['retryDelay', 'Wiederholungsabstand'],
  ['callingHours', 'außerhalb der Anrufzeiten'],
  ['holiday', 'Feiertag'],
  ['perDayCap', 'Tageslimit'],
  ['preferredWindow', 'Kundenwunsch-Zeitfenster'],
  ['language', 'Sprache'],
  ['personalCallback', 'persönliche Rückrufe anderer'],
  ['listPaused', 'pausierter Liste (Teamleitung)'],
];

/**
 * "Gerade kein Anruf fällig", with the counts of why the agent's cases wait and when the next is due.
 * @param {string | null} nextDueAt
 * @param {Waiting} waiting
 * @param {import('../types.js').LanguageGap[]} [languageGaps]
 * @param {{ assigned: number, active: number }} [clients]
 */
export function emptyQueue(nextDueAt, waiting, languageGaps, clients) {
  const rows = WAITING_LABELS.filter(([key]) => (waiting[key] ?? 0) > 0);
  return h(
    'section',
    { class: 'card empty-queue', 'data-testid': 'empty-queue' },
    h('h2', {}, 'Gerade kein Anruf fällig'),
    // Not "no open cases": nothing will ever come until somebody changes the set-up.
    clients && clients.active === 0
      ? notice(
          'warning',
          clients.assigned === 0
            ? 'Ihnen ist kein Mandant zugeordnet, daher bekommen Sie keine Fälle. Bitte die Teamleitung ansprechen.'
            : 'Ihre Mandanten sind zurzeit inaktiv (pausiert): es werden keine Fälle ausgegeben. Bitte die Teamleitung ansprechen.',
        )
      : clients && clients.active < clients.assigned
        ? notice('info', `${clients.assigned - clients.active} Ihrer ${clients.assigned} Mandanten ${clients.assigned - clients.active === 1 ? 'ist zurzeit pausiert; dessen' : 'sind zurzeit pausiert; deren'} Fälle werden nicht ausgegeben.`)
        : null,
    h(
      'p',
      { class: 'next-due' },
      nextDueAt ? ['Nächster Fall voraussichtlich fällig: ', h('strong', { 'data-testid': 'next-due' }, `${formatDateTime(nextDueAt)} Uhr`)] : 'Keine weiteren Fälle geplant.',
    ),
    rows.length
      ? [
          h('h3', {}, 'Offene Fälle warten wegen'),
          h('table', { class: 'table table-compact' }, h('tbody', {}, rows.map(([key, label]) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', { class: 'num' }, waiting[key]))))),
        ]
      : h('p', { class: 'muted' }, `Für Ihre ${clients && clients.active < clients.assigned ? 'aktiven ' : ''}Mandanten und Sprachen sind keine offenen Fälle vorhanden.`),
    languageGapNotices(languageGaps),
  );
}
