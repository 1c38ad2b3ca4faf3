// Team lead's overview: per client in scope, the upload and the lists with their status.
import { api, germanError } from '../api.js';
import { h, notice, replace, replaceIfChanged } from '../dom.js';
import { formatDateTime } from '../format.js';
import { importFailureText } from './import-failures.js';
import { importProgressBar, pausedLongDays, refreshFailed, statusBadge } from './list-status.js';
import { uploadForm } from './upload-form.js';

/** @typedef {import('../types.js').Client} Client */
/** @typedef {import('../types.js').DunningList} DunningList */

const FAST_POLL_MS = 1_000; // while a list imports
const SLOW_POLL_MS = 10_000;

/**
 * @param {import('../types.js').Me} me
 * @returns {import('../types.js').View}
 */
export function listsView(me) {
  const el = h('div', { class: 'lists-page' }, h('h1', {}, 'Mahnlisten'), h('p', { class: 'muted' }, 'Wird geladen …'));
  /** @type {Map<string, HTMLElement>} client id → its lists' table container */
  const tables = new Map();
  /** @type {Map<string, Client>} */
  const clientsById = new Map();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let stopped = false;
  /** Says when the last refresh failed; emptied by the next that works. */
  const staleWarning = h('div', { 'aria-live': 'polite' });

  async function load() {
    try {
      /** @type {Client[]} */
      const clients = await api('GET', '/api/clients');
      if (stopped) return;
      replace(
        el,
        h('h1', {}, 'Mahnlisten'),
        staleWarning,
        clients.length === 0
          ? notice('info', me.role === 'admin' ? 'Noch kein Mandant angelegt. Legen Sie unter „Mandanten“ den ersten an.' : 'Ihnen ist noch kein Mandant zugeordnet.')
          : clients.map(clientSection),
      );
      await refresh();
    } catch (err) {
      if (stopped) return;
      replace(el, h('h1', {}, 'Mahnlisten'), notice('error', `${germanError(err)} Neuer Versuch in ${SLOW_POLL_MS / 1000} s …`));
      timer = setTimeout(() => void load(), SLOW_POLL_MS);
    }
  }

  /** @param {Client} client */
  function clientSection(client) {
    const table = h('div', { class: 'lists-table' });
    tables.set(client.id, table);
    clientsById.set(client.id, client);
    return h(
      'section',
      { class: 'card client', 'data-client': client.code },
      h(
        'header',
        { class: 'client-head' },
        h('h2', {}, client.name),
        h('span', { class: 'badge badge-neutral' }, client.code),
        client.active ? null : h('span', { class: 'badge badge-warning' }, 'inaktiv'),
        h('a', { class: 'btn btn-secondary btn-small client-settings-link', href: `#/mandant/${client.id}`, 'aria-label': `Einstellungen ${client.name}` }, 'Einstellungen'),
      ),
      h('h3', {}, 'Neue Liste hochladen'),
      uploadForm(client, () => void refresh()),
      h('h3', {}, 'Listen'),
      table,
    );
  }

  /** Reloads the lists; importing ones individually for their live progress. */
  async function refresh() {
    clearTimeout(timer);
    let importing = false;
    try {
      /** @type {DunningList[]} */
      let lists = await api('GET', '/api/lists');
      importing = lists.some((l) => l.status === 'importing');
      if (importing) lists = await Promise.all(lists.map((l) => (l.status === 'importing' ? api('GET', `/api/lists/${l.id}`) : l)));
      if (stopped) return;
      for (const [clientId, table] of tables) {
        const own = lists.filter((l) => l.clientId === clientId);
        const client = clientsById.get(clientId);
        replaceIfChanged(table, JSON.stringify([own, client?.resultEmail ?? null]), () => listsTable(own, client));
      }
      replace(staleWarning);
    } catch (err) {
      replace(staleWarning, refreshFailed(err));
    }
    if (!stopped) timer = setTimeout(() => void refresh(), importing ? FAST_POLL_MS : SLOW_POLL_MS);
  }

  void load();
  return {
    el,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/**
 * @param {DunningList[]} lists
 * @param {Client | undefined} client
 */
function listsTable(lists, client) {
  if (lists.length === 0) return h('p', { class: 'muted' }, 'Noch keine Liste importiert.');
  return h(
    'table',
    { class: 'table' },
    h('thead', {}, h('tr', {}, ['Liste', 'Datei', 'Status', 'Fortschritt', 'Hochgeladen', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      {},
      lists.map((l) =>
        h(
          'tr',
          { dataset: { listId: l.id } },
          h('td', {}, h('a', { href: `#/liste/${l.id}` }, l.name)),
          h('td', { class: 'muted' }, l.fileName),
          h(
            'td',
            {},
            statusBadge(l),
            l.status === 'importing' ? importProgressBar(l) : null,
            l.status === 'failed' ? h('div', { class: 'text-error small' }, importFailureText(l)) : null,
            // A paused list is never finished, sent or deleted by retention: forgotten, it would stay.
            l.status === 'paused' && l.pausedAt ? pausedSince(l) : null,
          ),
          h('td', {}, progressCell(l, client)),
          h('td', {}, formatDateTime(l.createdAt)),
          h('td', { class: 'right' }, h('a', { class: 'btn btn-secondary btn-small', href: `#/liste/${l.id}` }, 'Fortschritt')),
        ),
      ),
    ),
  );
}

/**
 * @param {DunningList} l
 * @param {Client | undefined} client
 */
function progressCell(l, client) {
  const { total, closed } = l.counts;
  if (total === 0) return h('span', { class: 'muted' }, '–');
  const n = (/** @type {number} */ v) => v.toLocaleString('de-DE');
  return h(
    'div',
    { class: 'list-progress', 'data-testid': 'list-progress' },
    h('progress', { max: total, value: closed, 'aria-label': 'abgeschlossene Fälle' }),
    h('span', { class: 'hint' }, `${n(closed)} von ${n(total)} abgeschlossen`),
    deliveryState(l, client),
    l.purgedAt ? h('div', { class: 'hint' }, `personenbezogene Daten gelöscht am ${formatDateTime(l.purgedAt)}`) : null,
  );
}

/** @type {Record<Exclude<import('../types.js').Delivery['status'], 'sent'>, [string, string]>} German text and badge style */
const DELIVERY_BADGE = {
  pending: ['Versand läuft', 'badge-info'],
  sending: ['Versand läuft', 'badge-info'],
  retrying: ['Versand wird wiederholt', 'badge-warning'],
  failed: ['Versand fehlgeschlagen', 'badge-error'],
  unknown: ['Versand unklar – bitte prüfen', 'badge-warning'],
};

/**
 * Where the result list's mail stands, so that the lead sees a problem without opening every
 * list. Only completed lists are sent by themselves, to the client's result address; a cancelled
 * one only when sent by hand.
 * @param {DunningList} l
 * @param {Client | undefined} client
 */
function deliveryState(l, client) {
  if (l.purgedAt || (l.status !== 'completed' && l.status !== 'cancelled')) return null;
  const d = l.delivery;
  if (d?.status === 'sent') return h('div', { class: 'hint' }, `Ergebnisliste gesendet ${formatDateTime(d.sentAt)}`);
  if (d) {
    const [text, style] = DELIVERY_BADGE[d.status] ?? [d.status, 'badge-neutral'];
    return h('div', {}, h('span', { class: `badge ${style}`, 'data-testid': 'list-delivery' }, text));
  }
  if (l.status === 'cancelled') return h('div', { class: 'hint' }, 'Ergebnisliste wird nicht automatisch gesendet');
  if (client && !client.resultEmail) return h('div', { class: 'hint' }, 'Keine Ergebnisadresse hinterlegt: Ergebnisliste herunterladen oder senden');
  // Completed before the client had its address: the sweep leaves it to the lead.
  if (client?.resultEmailSince && l.completedAt && l.completedAt < client.resultEmailSince) {
    return h('div', { class: 'hint' }, 'Vor der Ergebnisadresse abgeschlossen: wird nicht automatisch gesendet, bitte senden');
  }
  return h('div', {}, h('span', { class: 'badge badge-warning', 'data-testid': 'list-delivery' }, 'noch nicht gesendet'));
}

/**
 * Since when a list is paused; after days, in warning colour and with what to do.
 * @param {DunningList} list
 */
function pausedSince(list) {
  const days = pausedLongDays(list);
  return days === null
    ? h('div', { class: 'hint' }, `seit ${formatDateTime(list.pausedAt)}`)
    : h('div', { class: 'text-warning small', 'data-testid': 'paused-long' }, `seit ${formatDateTime(list.pausedAt)} (${days} Tage): bitte fortsetzen oder abbrechen`);
}
