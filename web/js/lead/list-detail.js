// One list: status, live progress (who is calling, outcomes, ETA), import report, cancel.
import { api, ApiError, germanError } from '../api.js';
import { h, notice, replace, replaceIfChanged } from '../dom.js';
import { formatDate, formatDateTime, formatShortDateTime, formatTime } from '../format.js';
import { outcomeLabel } from '../agent/case-card.js';
import { importFailureText } from './import-failures.js';
import { importProgressBar, pausedLongDays, pausedLongNotice, refreshFailed, reportView, statusBadge } from './list-status.js';
import { languageGapNotices } from '../language-gaps.js';
import { resultBox } from './result-box.js';
import { freeButton } from './free-case.js';

/** @typedef {import('../types.js').DunningList} DunningList */
/** @typedef {import('../types.js').Progress} Progress */
/** @typedef {import('../types.js').Outcome} Outcome */

const POLL_MS = 3_000;
const IMPORT_POLL_MS = 1_000;

/**
 * @param {string} listId
 * @param {import('../types.js').Me} me
 * @returns {import('../types.js').View}
 */
export function listDetailView(listId, me) {
  const el = h('div', { class: 'list-detail' }, h('p', { class: 'muted' }, 'Wird geladen …'));
  const head = h('div');
  // Not a live region: read out whole every few seconds, it would drown everything else.
  const progressBox = h('section', { class: 'card progress-card' });
  const reportBox = h('div');
  /** When the progress shown was read: updated at every poll, the progress only when it changed. */
  const asOf = h('p', { class: 'hint right' });
  const message = h('div');
  /** Says when the last refresh failed; emptied by the next that works. */
  const staleWarning = h('div', { 'aria-live': 'polite' });
  const results = resultBox(listId, me.role === 'admin');
  /** @type {import('../types.js').Client | null} */
  let client = null;
  /** @type {Outcome[]} */
  let outcomes = [];
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let stopped = false;
  let progressMissing = false;
  let reportShown = false;
  /** @type {string | null} */
  let clientId = null;

  async function refresh() {
    clearTimeout(timer);
    /** @type {DunningList | null} */
    let list = null;
    try {
      list = await api('GET', `/api/lists/${encodeURIComponent(listId)}`);
      if (stopped || !list) return;
      if (clientId === null) {
        clientId = list.clientId;
        replace(el, h('p', {}, h('a', { href: '#/listen' }, '← Alle Listen')), head, staleWarning, message, progressBox, results.el, reportBox);
      }
      // Its outcome labels and result address; asked again at the next refresh until it answers.
      if (client === null) {
        client = await api('GET', `/api/clients/${list.clientId}`).catch(() => null);
        outcomes = client?.outcomes ?? [];
      }
      const shown = list;
      replaceIfChanged(head, JSON.stringify([list.name, list.status, list.fileName, list.createdAt, list.completedAt, list.pausedAt, pausedLongDays(list)]), () => header(shown, act));
      await results.update(list, client);
      if (list.report && !reportShown) {
        reportShown = true;
        replace(reportBox, h('section', { class: 'card' }, h('h2', {}, 'Importbericht'), reportView(list.report)));
      }
      await showProgress(list);
      replace(staleWarning);
    } catch (err) {
      if (stopped) return;
      if (clientId === null) replace(el, h('p', {}, h('a', { href: '#/listen' }, '← Alle Listen')), notice('error', germanError(err)));
      else replace(staleWarning, refreshFailed(err));
    }
    if (!stopped) timer = setTimeout(() => void refresh(), list?.status === 'importing' ? IMPORT_POLL_MS : POLL_MS);
  }

  /** @param {DunningList} list */
  async function showProgress(list) {
    if (list.status === 'importing') return replaceIfChanged(progressBox, JSON.stringify(['importing', list.importProgress]), () => [h('h2', {}, 'Import läuft'), importProgressBar(list)]);
    if (list.status === 'failed') {
      return replaceIfChanged(progressBox, JSON.stringify(['failed', list.errorCode, list.error]), () => [h('h2', {}, 'Import fehlgeschlagen'), notice('error', importFailureText(list))]);
    }
    if (progressMissing) return;
    try {
      /** @type {Progress} */
      const p = await api('GET', `/api/lists/${encodeURIComponent(listId)}/progress`);
      if (stopped) return;
      const paused = list.status === 'paused';
      replaceIfChanged(progressBox, JSON.stringify([paused, p]), () => [progressView(p, outcomes, { message, refresh }, paused), asOf]);
      replace(asOf, `Stand ${formatTime(new Date().toISOString())} · aktualisiert alle ${POLL_MS / 1000} s`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        progressMissing = true; // this server has no progress endpoint (yet)
        replace(progressBox, h('h2', {}, 'Fortschritt'), h('p', { class: 'muted' }, 'Die Fortschrittsanzeige ist auf diesem Server noch nicht verfügbar.'));
      } else throw err;
    }
  }

  /**
   * Cancels, pauses or resumes the list, asked first.
   * @param {'cancel' | 'pause' | 'resume'} action
   */
  async function act(action) {
    const { ask, done, failed } = ACTIONS[action];
    if (!window.confirm(ask)) return;
    try {
      /** @type {DunningList} */
      const after = await api('POST', `/api/lists/${encodeURIComponent(listId)}/${action}`);
      // Resumed with no open case left (its last one closed while it was paused): completed.
      replace(message, notice('success', after.status === 'completed' ? 'Die Liste hat keine offenen Fälle mehr und ist jetzt abgeschlossen.' : done));
    } catch (err) {
      replace(message, notice('error', `${failed}: ${germanError(err)}`));
    }
    await refresh();
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

/** What the list's buttons ask first and say after. */
const ACTIONS = {
  cancel: {
    ask: 'Liste wirklich abbrechen? Alle offenen Fälle werden geschlossen und nicht mehr angerufen. Das lässt sich nicht rückgängig machen.',
    done: 'Liste abgebrochen. Offene Fälle wurden geschlossen.',
    failed: 'Abbrechen fehlgeschlagen',
  },
  pause: {
    ask: 'Liste pausieren? Die Fälle der Liste werden nicht mehr ausgegeben, bis Sie die Liste fortsetzen; laufende Gespräche werden zu Ende geführt. Die anderen Listen des Mandanten laufen weiter.',
    done: 'Liste pausiert. Die Fälle der Liste werden nicht mehr ausgegeben.',
    failed: 'Pausieren fehlgeschlagen',
  },
  resume: {
    ask: 'Liste fortsetzen? Die offenen Fälle der Liste werden wieder ausgegeben, sobald sie fällig sind.',
    done: 'Liste fortgesetzt. Die Fälle der Liste werden wieder ausgegeben.',
    failed: 'Fortsetzen fehlgeschlagen',
  },
};

/**
 * @param {DunningList} list
 * @param {(action: keyof typeof ACTIONS) => Promise<void>} act
 */
function header(list, act) {
  const open = list.status === 'importing' || list.status === 'active' || list.status === 'paused';
  /** @param {keyof typeof ACTIONS} action @param {string} label @param {string} style */
  const button = (action, label, style) => h('button', { type: 'button', class: `btn ${style}`, onclick: () => void act(action) }, label);
  const head = h(
    'header',
    { class: 'page-head' },
    h('div', {}, h('h1', {}, list.name, ' ', statusBadge(list)), h('p', { class: 'muted' }, `Datei ${list.fileName} · hochgeladen ${formatDateTime(list.createdAt)}${list.pausedAt ? ` · pausiert seit ${formatDateTime(list.pausedAt)}` : ''}${list.completedAt ? ` · beendet ${formatDateTime(list.completedAt)}` : ''}`)),
    h(
      'div',
      { class: 'row' },
      list.status === 'active' ? button('pause', 'Liste pausieren', 'btn-secondary') : null,
      list.status === 'paused' ? button('resume', 'Liste fortsetzen', 'btn-primary') : null,
      open ? button('cancel', 'Liste abbrechen', 'btn-danger') : null,
    ),
  );
  const warning = pausedLongNotice(list);
  return warning ? h('div', {}, head, warning) : head;
}

/**
 * Background work of this list that failed for good: the lead must know an outcome was not
 * stored (the case stays open), which customer's it was (the case id means nothing to a lead)
 * and whom to ask. The reason stays as the server gives it (English) after a German sentence.
 * @param {import('../types.js').ListFailedJob[] | undefined} jobs
 */
function failedJobNotices(jobs) {
  if (!jobs?.length) return null;
  return h(
    'div',
    { 'data-testid': 'failed-jobs' },
    jobs.map((j) =>
      notice(
        'error',
        h('strong', {}, j.queue === 'imports' ? 'Der Import konnte nicht abgeschlossen werden.' : `Ein Anrufergebnis konnte nicht gespeichert werden: ${j.customerNo ? `Kunde ${j.customerName ?? '?'} (Kd.-Nr. ${j.customerNo})` : `Fall ${j.caseId ?? '?'}`}.`),
        j.queue === 'imports' ? '' : ' Das Ergebnis ist nicht gespeichert, der Fall bleibt offen.',
        ` ${j.permanent ? 'Ein erneuter Versuch hilft nicht' : 'Alle Versuche sind fehlgeschlagen'}. Bitte einen Administrator informieren: Er sieht den Auftrag in der Warteschlangen-Übersicht (/admin/queues, Warteschlange „${j.queue}“, fehlgeschlagen).`,
        h('div', { class: 'small' }, `Meldung des Systems: ${j.reason}`),
      ),
    ),
  );
}

/**
 * Since when an agent holds a case: the time today, the date with it before (a case held since
 * yesterday is one to free, not a long call).
 * @param {string} iso
 */
const sinceText = (iso) => (formatDate(iso) === formatDate(new Date().toISOString()) ? formatTime(iso) : formatShortDateTime(iso));

/**
 * @param {Progress} p
 * @param {Outcome[]} outcomes
 * @param {import('./free-case.js').FreeingPage} page where freeing a case says how it went
 * @param {boolean} paused the list (its due cases wait for it to be resumed)
 */
function progressView(p, outcomes, page, paused) {
  const n = (/** @type {number} */ v) => v.toLocaleString('de-DE');
  // Down, not to the nearest: 296 of 297 closed is not „100 % abgeschlossen“.
  const done = p.total ? Math.floor((p.closed / p.total) * 100) : 0;
  /** @type {Array<[string, number, string]>} */
  const tiles = [
    ['Gesamt', p.total, ''],
    // Outside calling hours the due cases wait for them, and a paused client's for it: not "callable now".
    !p.clientActive
      ? ['Fällig, Mandant pausiert', p.callableNow, '']
      : paused
        ? ['Fällig, Liste pausiert', p.callableNow, '']
        : p.callingHoursNow
        ? ['Jetzt anrufbar', p.callableNow, 'tile-primary']
        : [`Fällig, Anrufzeit ab ${p.callingResumesAt ? `${formatDateTime(p.callingResumesAt)} Uhr` : '–'}`, p.callableNow, ''],
    ['Geplant', p.scheduled, ''],
    ['Im Gespräch', p.inCall, 'tile-info'],
    ['Abgeschlossen', p.closed, 'tile-success'],
  ];
  const histogram = Object.entries(p.attemptsHistogram).sort(([a], [b]) => Number(a) - Number(b));
  return h(
    'div',
    { class: 'progress-view', 'data-testid': 'progress' },
    h('h2', {}, 'Fortschritt'),
    !p.clientActive
      ? notice('warning', 'Der Mandant ist pausiert (nicht „Aktiv“): seine Fälle werden nicht ausgegeben. Fortsetzen in den Einstellungen des Mandanten.')
      : paused
        ? notice('warning', 'Die Liste ist pausiert: ihre Fälle werden nicht ausgegeben, bis die Liste fortgesetzt wird („Liste fortsetzen“ oben).')
        : languageGapNotices(p.languageGaps),
    failedJobNotices(p.failedJobs),
    h('div', { class: 'tiles' }, tiles.map(([label, value, style]) => h('div', { class: `tile ${style}` }, h('span', { class: 'tile-value' }, n(value)), h('span', { class: 'tile-label' }, label)))),
    h('div', { class: 'done-bar' }, h('progress', { max: 100, value: done, 'aria-label': 'abgeschlossen' }), h('span', {}, `${done} % abgeschlossen`)),
    h(
      'dl',
      { class: 'facts-inline' },
      h('dt', {}, 'Nächster fälliger Fall'),
      h('dd', {}, p.nextDueAt ? formatDateTime(p.nextDueAt) : '–'),
      h('dt', {}, 'Anrufe letzte Stunde'),
      h('dd', {}, n(p.throughputLastHour)),
      h('dt', {}, 'Voraussichtlich fertig'),
      h('dd', {}, p.etaAt ? formatDateTime(p.etaAt) : '–'),
    ),
    h(
      'div',
      { class: 'columns' },
      h(
        'section',
        {},
        h('h3', {}, 'Abgeschlossen nach Ergebnis'),
        Object.keys(p.byOutcome).length
          ? h('table', { class: 'table table-compact' }, h('tbody', {}, Object.entries(p.byOutcome).sort(([, a], [, b]) => b - a).map(([code, v]) => h('tr', {}, h('th', { scope: 'row' }, outcomeLabel(code, outcomes)), h('td', { class: 'num' }, n(v))))))
          : h('p', { class: 'muted' }, 'Noch kein Fall abgeschlossen.'),
      ),
      h(
        'section',
        {},
        h('h3', {}, 'Fälle nach Anzahl Versuche'),
        h('table', { class: 'table table-compact' }, h('tbody', {}, histogram.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k === '0' ? 'noch nicht angerufen' : `${k} Versuch${k === '1' ? '' : 'e'}`), h('td', { class: 'num' }, n(v)))))),
      ),
      h(
        'section',
        {},
        h('h3', {}, 'Gerade im Gespräch'),
        p.inCallBy.length
          ? h(
              'table',
              { class: 'table table-compact' },
              h('thead', {}, h('tr', {}, h('th', {}, 'Mitarbeiter'), h('th', {}, 'seit'), h('th', { 'aria-label': 'Aktion' }))),
              h('tbody', {}, p.inCallBy.map((a) => h('tr', {}, h('td', {}, a.agent), h('td', {}, a.since ? sinceText(a.since) : '–'), h('td', {}, freeButton(a.agent, a.assignmentId, page))))),
            )
          : h('p', { class: 'muted' }, 'Niemand.'),
      ),
    ),
  );
}
