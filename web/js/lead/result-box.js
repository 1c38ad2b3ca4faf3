// A list's result list: download (interim while the list runs), the mails sent to the client,
// and "Erneut senden".
import { api, germanError } from '../api.js';
import { field, h, notice, replace } from '../dom.js';
import { formatDateTime } from '../format.js';

/** @typedef {import('../types.js').DunningList} DunningList */
/** @typedef {import('../types.js').Delivery} Delivery */
/** @typedef {import('../types.js').Client} Client */

/** @type {Record<Delivery['status'], [string, string]>} German name and badge style */
const DELIVERY_STATUS = {
  pending: ['wartet auf Versand', 'badge-info'],
  sending: ['wird gesendet', 'badge-info'],
  retrying: ['neuer Versuch folgt', 'badge-warning'],
  sent: ['gesendet', 'badge-success'],
  failed: ['fehlgeschlagen', 'badge-error'],
  unknown: ['unklar – bitte prüfen', 'badge-warning'],
};

const UNKNOWN = 'Versand unterbrochen: ob die Mail angekommen ist, ist unklar. Sie wird nicht von selbst erneut gesendet – bitte beim Empfänger nachfragen oder erneut senden.';

/**
 * @param {string} listId
 * @param {boolean} isAdmin only admins may send a result list to another address
 * @returns {{ el: HTMLElement, update: (list: DunningList, client: Client | null) => Promise<void> }}
 */
export function resultBox(listId, isAdmin) {
  const el = h('section', { class: 'card result-box', 'data-testid': 'results' });
  const message = h('div', { 'aria-live': 'polite' });
  const history = h('div');
  /** @type {HTMLInputElement} */
  const to = h('input', { type: 'email', name: 'to', placeholder: 'andere Adresse (optional)', autocomplete: 'off' });
  let shownFor = '';
  /** @type {string} what the history shows, to fetch it again only when the newest round changed */
  let historyKey = '';

  /** A send is on its way: a second click would mail the list twice. */
  let sending = false;

  /** @param {SubmitEvent} e */
  async function resend(e) {
    e.preventDefault();
    if (sending) return;
    const address = to.value.trim();
    // Customers' data to an address typed here cannot be called back: a typo is checked first.
    if (address && !confirm(`Die Ergebnisliste mit den Kundendaten wird an ${address} gesendet (nicht an die hinterlegte Adresse). Adresse richtig?`)) return;
    sending = true;
    const button = /** @type {HTMLFormElement} */ (e.currentTarget).querySelector('button');
    if (button) button.disabled = true;
    try {
      /** @type {Delivery} */
      const d = await api('POST', `/api/lists/${encodeURIComponent(listId)}/deliveries`, { json: address ? { to: address } : {} });
      replace(message, notice('success', `Ergebnisliste wird an ${d.recipient} gesendet.`));
      to.value = '';
      historyKey = '';
    } catch (err) {
      const text = err instanceof Error && 'code' in err && err.code === 'no_recipient' ? 'Für diesen Mandanten ist keine Empfängeradresse hinterlegt. Bitte eine Adresse angeben.' : germanError(err);
      replace(message, notice('error', `Senden fehlgeschlagen: ${text}`));
    } finally {
      sending = false;
      if (button) button.disabled = false;
    }
  }

  /**
   * @param {DunningList} list
   * @param {Client | null} client
   */
  async function update(list, client) {
    const key = `${list.status}|${list.purgedAt}|${client?.resultEmail}`;
    if (key !== shownFor) {
      shownFor = key;
      replace(el, h('h2', {}, 'Ergebnisliste'), body(list, client), message, history);
    }
    if (list.purgedAt || (list.status !== 'completed' && list.status !== 'cancelled')) return replace(history);
    const newest = list.delivery ? `${list.delivery.id}|${list.delivery.status}|${list.delivery.tries}` : 'none';
    if (newest === historyKey) return;
    /** @type {Delivery[]} */
    const rounds = await api('GET', `/api/lists/${encodeURIComponent(listId)}/deliveries`);
    // Only once shown: a failed fetch is tried again at the next refresh.
    historyKey = newest;
    replace(history, deliveriesTable(rounds));
  }

  /**
   * @param {DunningList} list
   * @param {Client | null} client
   */
  function body(list, client) {
    if (list.purgedAt) {
      return notice('info', `Personenbezogene Daten gelöscht am ${formatDateTime(list.purgedAt)} (Aufbewahrungsfrist). Die Ergebnisliste gibt es nicht mehr; die Zählungen für den LE-Bericht bleiben.`);
    }
    if (list.status === 'importing' || list.status === 'failed') return h('p', { class: 'muted' }, 'Noch keine Ergebnisse.');
    const interim = list.status === 'active' || list.status === 'paused';
    const base = `/api/lists/${encodeURIComponent(listId)}/results`;
    const downloads = h(
      'p',
      { class: 'row' },
      h('a', { class: 'btn btn-primary', href: `${base}.xlsx`, download: '', 'data-testid': 'download-xlsx' }, interim ? 'Zwischenstand herunterladen (Excel)' : 'Ergebnisliste herunterladen (Excel)'),
      h('a', { class: 'btn btn-secondary', href: `${base}.csv`, download: '' }, 'als CSV'),
    );
    if (interim) {
      const state = list.status === 'paused' ? 'Die Liste ist pausiert' : 'Die Liste wird noch bearbeitet';
      return [downloads, h('p', { class: 'hint' }, `${state}: offene Fälle stehen als „Offen“ in der Datei. Ist sie abgeschlossen, geht die Ergebnisliste automatisch an den Mandanten.`)];
    }
    const recipient = client?.resultEmail;
    // Only completed lists are sent by themselves (the sweep): a cancelled one was never sent.
    const cancelled = list.status === 'cancelled';
    const send = h('button', { type: 'submit', class: 'btn btn-secondary' }, recipient && !cancelled ? 'Erneut senden' : 'Senden');
    return [
      downloads,
      cancelled
        ? h('p', {}, `Die Liste wurde abgebrochen: die Ergebnisliste wird nicht automatisch gesendet.${recipient ? ' „Senden“ schickt sie an ' : ''}`, recipient ? h('strong', {}, recipient) : null, recipient ? '.' : null)
        : recipient
          ? h('p', {}, 'Versand an ', h('strong', {}, recipient))
          : notice('warning', `Keine Empfängeradresse – die Ergebnisliste wird nicht automatisch gesendet. Bitte herunterladen${isAdmin ? ' oder unten an eine Adresse senden' : '; eine Adresse hinterlegen kann ein Administrator'}.`),
      // Another address than the client's is for admins only: it sends customer data elsewhere.
      isAdmin
        ? h('form', { class: 'row row-end', onsubmit: resend }, field('Senden an', to, recipient ? 'leer = an die hinterlegte Adresse' : 'E-Mail-Adresse'), send)
        : recipient
          ? h('form', { class: 'row', onsubmit: resend }, send)
          : null,
    ];
  }

  return { el, update };
}

/** @param {Delivery[]} rounds */
function deliveriesTable(rounds) {
  if (rounds.length === 0) return h('p', { class: 'muted' }, 'Noch nicht gesendet.');
  return h(
    'table',
    { class: 'table table-compact', 'data-testid': 'deliveries' },
    h('thead', {}, h('tr', {}, ['Versand', 'Status', 'an', 'gesendet', 'Nachrichten-ID / Antwort des Mailservers'].map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      {},
      rounds.map((d) => {
        const [text, style] = DELIVERY_STATUS[d.status] ?? [d.status, 'badge-neutral'];
        return h(
          'tr',
          {},
          h('td', {}, `${d.round}${d.manual ? ' (von Hand)' : ''}`),
          h('td', {}, h('span', { class: `badge ${style}`, 'data-testid': 'delivery-status' }, text), d.tries > 1 ? h('span', { class: 'hint' }, ` ${d.tries} Versuche`) : null),
          h('td', {}, d.recipient),
          h('td', {}, d.sentAt ? formatDateTime(d.sentAt) : '–'),
          h('td', { class: d.status === 'sent' ? 'mono small' : 'small text-error' }, d.status === 'sent' ? d.messageId : d.status === 'unknown' ? UNKNOWN : (d.lastError ?? '')),
        );
      }),
    ),
  );
}
