// The case an agent is calling: who, which number, how much, and what happened before.
import { h, notice } from '../dom.js';
import { languageName } from '../language-gaps.js';
import { formatMoney, formatPercent, formatShortDateTime, preferredWindowLabel, windowLabel } from '../format.js';
import { dialledText, phoneFact } from './phone-list.js';

/** @typedef {import('../types.js').AgentCase} AgentCase */
/** @typedef {import('../types.js').HistoryEntry} HistoryEntry */

/** @type {Record<string, string>} final states the system sets itself */
const SYSTEM_OUTCOMES = {
  max_attempts: 'Höchstzahl der Versuche erreicht',
  cancelled: 'Liste abgebrochen',
  do_not_call: 'Sperrliste – nicht angerufen',
  no_callable_time: 'Keine erlaubte Anrufzeit mehr',
};

/**
 * German label of an outcome code, from the client's settings.
 * @param {string} code
 * @param {import('../types.js').Outcome[]} outcomes
 */
export function outcomeLabel(code, outcomes) {
  return outcomes.find((o) => o.code === code)?.label ?? SYSTEM_OUTCOMES[code] ?? code;
}

/**
 * @param {AgentCase} c
 * @param {HistoryEntry[]} history
 * @param {(e164: string) => void} onDial a number's dial link was clicked
 * @param {(e164: string) => void} [dialThrough] click-to-dial through the phone system, when configured
 */
export function caseCard(c, history, onDial, dialThrough) {
  const lastTry = c.attemptNo >= c.maxAttempts;
  return h(
    'article',
    { class: 'card case-card', 'aria-labelledby': 'case-name' },
    h(
      'header',
      { class: 'case-head' },
      h('div', { class: 'case-client' }, h('span', { class: 'muted' }, 'Mandant '), h('strong', { 'data-testid': 'case-client' }, c.clientName)),
      h('span', { class: `badge ${lastTry ? 'badge-warning' : 'badge-neutral'}`, 'data-testid': 'attempt' }, `Versuch ${c.attemptNo} von ${c.maxAttempts}`),
    ),
    h('h2', { id: 'case-name', class: 'case-name', 'data-testid': 'case-name' }, c.name),
    c.languageNote ? notice('warning', h('strong', { 'data-testid': 'language-note' }, c.languageNote)) : null,
    h('p', { class: 'case-customer-no' }, h('span', { class: 'muted' }, 'Kundennummer '), h('strong', {}, c.customerNo)),
    h(
      'div',
      { class: 'key-facts' },
      phoneFact(c, onDial, c.dial ? dialThrough : undefined),
      h(
        'div',
        { class: 'fact fact-amount' },
        h('span', { class: 'fact-label' }, 'Mahnsumme'),
        h('span', { class: 'amount', 'data-testid': 'amount' }, formatMoney(c.amountCents, c.currency)),
      ),
    ),
    h(
      'dl',
      { class: 'case-details' },
      h('dt', {}, 'Adresse'),
      h('dd', {}, c.address || '–'),
      h('dt', {}, 'Sprache'),
      h('dd', { 'data-testid': 'case-language' }, [c.language, c.secondLanguage].filter((l) => !!l).map((l) => languageName(/** @type {string} */ (l))).join(' / ')),
      h('dt', {}, 'Kundenwunsch-Zeitfenster'),
      h('dd', { 'data-testid': 'preferred-windows' }, c.preferredWindows.length ? c.preferredWindows.map(preferredWindowLabel).join('; ') : 'keine Einschränkung'),
      Object.entries(c.extra).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v || '–')]),
    ),
    retryChoiceText(c),
    historyTable(history, c),
  );
}

/**
 * Why this retry is now (learned strategy): „Abend: hier erreicht 41 % der Kunden, Mittag 18 %“.
 * @param {AgentCase} c
 */
function retryChoiceText(c) {
  const choice = c.retryChoice;
  if (!choice) return null;
  const others = choice.others.slice(0, 2).map((o) => `, ${windowLabel(o.window)} ${formatPercent(o.rate)}`).join('');
  const rates = `hier erreicht ${formatPercent(choice.rate)} der Kunden${others}`;
  const why = {
    rates: `${windowLabel(choice.window)}: ${rates}`,
    customer: `${windowLabel(choice.window)}: Kunde wurde in diesem Zeitfenster schon erreicht (${rates})`,
    exploration: `${windowLabel(choice.window)}: zur Probe, damit jedes Zeitfenster gemessen wird (${rates})`,
  }[choice.basis];
  return h('p', { class: 'retry-choice', 'data-testid': 'retry-choice' }, h('span', { class: 'muted' }, 'Warum jetzt: '), why);
}

/**
 * Earlier attempts; with several numbers also the number each one dialled.
 * @param {HistoryEntry[]} history
 * @param {AgentCase} c
 */
function historyTable(history, c) {
  if (history.length === 0) return h('p', { class: 'muted history-empty' }, 'Noch keine früheren Versuche.');
  const withNumber = c.phones.length > 1;
  const yesNo = (/** @type {boolean | null} */ v) => (v === null ? '–' : v ? 'ja' : 'nein');
  // Nobody answered („Kunde nicht erreicht“): a „nein“ would read as somebody else answering.
  const reachedNobody = (/** @type {string} */ code) => c.outcomes.find((o) => o.code === code)?.effect === 'retry';
  const titles = ['Nr.', 'Zeitpunkt', 'Mitarbeiter', withNumber && 'Nummer', 'Ergebnis', 'Person erreicht', 'Notiz'];
  const head = titles.map((t) => t && h('th', { scope: 'col' }, t));
  const rows = history.map((e) =>
    h(
      'tr',
      {},
      h('td', { class: 'num' }, e.attemptNo),
      h('td', { class: 'nowrap' }, formatShortDateTime(e.at)),
      h('td', {}, e.agent ?? '–'),
      withNumber && h('td', { class: 'nowrap', 'data-testid': 'history-phone' }, dialledText(c, e.phone)),
      h('td', {}, outcomeLabel(e.outcome, c.outcomes)),
      h('td', {}, e.rightParty !== true && reachedNobody(e.outcome) ? '–' : yesNo(e.rightParty)),
      h('td', { class: 'note' }, e.note ?? ''),
    ),
  );
  return h(
    'section',
    { class: 'history' },
    h('h3', {}, 'Frühere Versuche'),
    h('div', { class: 'table-scroll' }, h('table', { class: 'table' }, h('thead', {}, h('tr', {}, head)), h('tbody', {}, rows))),
  );
}
