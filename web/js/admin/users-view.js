// Admin: users with role, clients and languages.
import { api, germanError } from '../api.js';
import { field, h, notice, replace } from '../dom.js';

/** @typedef {import('../types.js').User} User */
/** @typedef {import('../types.js').Client} Client */

const ROLES = /** @type {const} */ ([['agent', 'Mitarbeiter'], ['lead', 'Gruppenleiter'], ['admin', 'Administrator']]);

/** @returns {import('../types.js').View} */
export function usersView() {
  const el = h('div', { class: 'users-page' }, h('h1', {}, 'Benutzer'));
  const table = h('div', { class: 'card' });
  const formBox = h('div');
  el.append(formBox, table);

  let formShown = false;
  async function load() {
    try {
      /** @type {[User[], Client[]]} */
      const [users, clients] = await Promise.all([api('GET', '/api/users'), api('GET', '/api/clients')]);
      if (!formShown) replace(formBox, createForm(clients, () => void load()));
      formShown = true;
      replace(table, h('h2', {}, 'Alle Benutzer'), usersTable(users, clients));
    } catch (err) {
      replace(table, notice('error', germanError(err)));
    }
  }
  void load();
  return { el };
}

/**
 * @param {User[]} users
 * @param {Client[]} clients
 */
function usersTable(users, clients) {
  const clientName = new Map(clients.map((c) => [c.id, c.code]));
  return h(
    'table',
    { class: 'table' },
    h('thead', {}, h('tr', {}, ['Benutzername', 'Name', 'Rolle', 'Mandanten', 'Sprachen', 'Nebenstelle', 'Status'].map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      {},
      users.map((u) =>
        h(
          'tr',
          {},
          h('td', { class: 'mono' }, u.username),
          h('td', {}, u.displayName),
          h('td', {}, ROLES.find(([r]) => r === u.role)?.[1] ?? u.role),
          h('td', {}, u.role === 'admin' ? 'alle' : u.clientIds.map((id) => clientName.get(id) ?? '?').join(', ') || '–'),
          h('td', {}, u.languages.join(', ').toUpperCase()),
          h('td', {}, extensionEditor(u)),
          h('td', {}, u.active ? h('span', { class: 'badge badge-success' }, 'aktiv') : h('span', { class: 'badge badge-neutral' }, 'gesperrt')),
        ),
      ),
    ),
  );
}

/**
 * The user's phone extension for click-to-dial, editable in place.
 * @param {User} u
 */
function extensionEditor(u) {
  const input = h('input', { class: 'short', value: u.extension ?? '', 'aria-label': `Nebenstelle von ${u.username}`, maxLength: 40 });
  const status = h('span', { class: 'muted', 'aria-live': 'polite' });
  /** @param {SubmitEvent} e */
  const save = async (e) => {
    e.preventDefault();
    try {
      const saved = /** @type {User} */ (await api('PATCH', `/api/users/${u.id}`, { json: { extension: input.value.trim() || null } }));
      input.value = saved.extension ?? '';
      replace(status, ' gespeichert');
    } catch (err) {
      replace(status, ` ${germanError(err)}`);
    }
  };
  return h('form', { class: 'inline', onsubmit: save }, input, ' ', h('button', { type: 'submit', class: 'btn btn-small' }, 'Speichern'), status);
}

/**
 * @param {Client[]} clients
 * @param {() => void} onCreated
 */
function createForm(clients, onCreated) {
  const username = h('input', { name: 'username', required: true, autocomplete: 'off' });
  const displayName = h('input', { name: 'displayName', required: true });
  const password = h('input', { name: 'password', type: 'password', required: true, minLength: 10, autocomplete: 'new-password' });
  const role = h('select', { name: 'role' }, ROLES.map(([v, t]) => h('option', { value: v }, t)));
  const languages = h('input', { name: 'languages', value: 'de', placeholder: 'de, fr' });
  const extension = h('input', { name: 'extension', autocomplete: 'off', maxLength: 40 });
  const boxes = clients.map((c) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: c.id }), ` ${c.name} (${c.code})`));
  const result = h('div', { 'aria-live': 'polite' });

  /** @param {SubmitEvent} e */
  const submit = async (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.currentTarget);
    const body = {
      username: username.value.trim(),
      displayName: displayName.value.trim(),
      password: password.value,
      role: role.value,
      clientIds: boxes.map((b) => /** @type {HTMLInputElement} */ (b.querySelector('input'))).filter((i) => i.checked).map((i) => i.value),
      languages: languages.value.split(/[\s,;]+/).map((l) => l.trim().toLowerCase()).filter(Boolean),
      extension: extension.value.trim() || null,
    };
    if (body.password.length < 10) return replace(result, notice('error', 'Das Passwort braucht mindestens 10 Zeichen.'));
    try {
      await api('POST', '/api/users', { json: body });
      form.reset();
      replace(result, notice('success', `Benutzer ${body.username} angelegt.`));
      onCreated();
    } catch (err) {
      replace(result, notice('error', `${germanError(err)}${err instanceof Error ? ` (Details: ${err.message})` : ''}`));
    }
  };

  return h(
    'form',
    { class: 'card', onsubmit: submit, novalidate: true },
    h('h2', {}, 'Benutzer anlegen'),
    h('div', { class: 'row' }, field('Benutzername', username), field('Anzeigename', displayName), field('Passwort', password, 'mindestens 10 Zeichen')),
    h('div', { class: 'row' }, field('Rolle', role), field('Sprachen', languages, 'Kürzel, durch Komma getrennt'), field('Nebenstelle', extension, 'für das Wählen über die Telefonanlage')),
    h('fieldset', { class: 'sub' }, h('legend', {}, 'Mandanten'), boxes.length ? boxes : h('p', { class: 'muted' }, 'Noch keine Mandanten.')),
    result,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Benutzer anlegen')),
  );
}
