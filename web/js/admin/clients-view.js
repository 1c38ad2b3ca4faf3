// Admin: clients (code, name, result e-mail); each row links to the client's full settings.
import { api, germanError } from '../api.js';
import { field, h, notice, replace } from '../dom.js';

/** @typedef {import('../types.js').Client} Client */

/** @returns {import('../types.js').View} */
export function clientsView() {
  const table = h('div', { class: 'card' });
  const el = h('div', { class: 'clients-page' }, h('h1', {}, 'Mandanten'), createForm(() => void load()), table);

  async function load() {
    try {
      /** @type {Client[]} */
      const clients = await api('GET', '/api/clients');
      replace(
        table,
        h('h2', {}, 'Alle Mandanten'),
        clients.length
          ? h(
              'table',
              { class: 'table' },
              h('thead', {}, h('tr', {}, ['Kürzel', 'Name', 'Ergebnisliste an', 'Status', ''].map((t) => h('th', { scope: 'col' }, t)))),
              h('tbody', {}, clients.map(clientRow)),
            )
          : h('p', { class: 'muted' }, 'Noch keine Mandanten.'),
      );
    } catch (err) {
      replace(table, notice('error', germanError(err)));
    }
  }
  void load();
  return { el };
}

/** @param {Client} c */
function clientRow(c) {
  return h(
    'tr',
    {},
    h('td', { class: 'mono' }, c.code),
    h('td', {}, c.name),
    h('td', {}, c.resultEmail ?? '–'),
    h('td', {}, c.active ? 'aktiv' : 'inaktiv'),
    h('td', { class: 'right' }, h('a', { class: 'btn btn-secondary btn-small', href: `#/mandant/${c.id}`, 'aria-label': `Einstellungen ${c.name}` }, 'Einstellungen')),
  );
}

/** @param {() => void} onCreated */
function createForm(onCreated) {
  const code = h('input', { name: 'code', required: true, maxLength: 20, placeholder: 'SWM', autocomplete: 'off' });
  const name = h('input', { name: 'name', required: true, maxLength: 200, placeholder: 'Stadtwerke Muster' });
  const email = h('input', { name: 'resultEmail', type: 'email', placeholder: 'forderung@example.de' });
  const result = h('div', { 'aria-live': 'polite' });

  /** @param {SubmitEvent} e */
  const submit = async (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.currentTarget);
    if (!code.value.trim() || !name.value.trim()) return replace(result, notice('error', 'Bitte Kürzel und Name angeben.'));
    try {
      await api('POST', '/api/clients', { json: { code: code.value.trim(), name: name.value.trim(), resultEmail: email.value.trim() || null } });
      replace(result, notice('success', `Mandant ${name.value.trim()} angelegt. Anrufzeiten, Zeitfenster und Ergebnisse haben die Standardwerte.`));
      form.reset();
      onCreated();
    } catch (err) {
      replace(result, notice('error', `${germanError(err)}${err instanceof Error ? ` (Details: ${err.message})` : ''}`));
    }
  };

  return h(
    'form',
    { class: 'card', onsubmit: submit, novalidate: true },
    h('h2', {}, 'Mandant anlegen'),
    h('div', { class: 'row row-end' }, field('Kürzel', code, 'Buchstaben, Ziffern, _ und -'), field('Name', name), field('Ergebnisliste an (E-Mail)', email), h('button', { type: 'submit', class: 'btn btn-primary' }, 'Anlegen')),
    result,
  );
}
