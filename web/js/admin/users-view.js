// Admin: users with role, clients and languages; created and changed (also locked out) here.
import { api, ApiError, germanError } from '../api.js';
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

  /** @type {ReturnType<typeof userForm> | undefined} */
  let form;
  async function load() {
    try {
      /** @type {[User[], Client[]]} */
      const [users, clients] = await Promise.all([api('GET', '/api/users'), api('GET', '/api/clients')]);
      form ??= userForm(clients, () => void load());
      replace(formBox, form.el);
      replace(table, h('h2', {}, 'Alle Benutzer'), usersTable(users, clients, form.edit));
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
 * @param {(u: User) => void} edit
 */
function usersTable(users, clients, edit) {
  const clientName = new Map(clients.map((c) => [c.id, c.code]));
  return h(
    'table',
    { class: 'table' },
    h('thead', {}, h('tr', {}, ['Benutzername', 'Name', 'Rolle', 'Mandanten', 'Sprachen', 'Nebenstelle', 'Status', ''].map((t) => h('th', { scope: 'col' }, t)))),
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
          h('td', {}, h('button', { type: 'button', class: 'btn btn-small btn-secondary', 'aria-label': `${u.username} bearbeiten`, onclick: () => edit(u) }, 'Bearbeiten')),
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
      replace(status, ` ${userError(err, {})}`);
    }
  };
  return h('form', { class: 'inline', onsubmit: save }, input, ' ', h('button', { type: 'submit', class: 'btn btn-small' }, 'Speichern'), status);
}

/**
 * Creating a user, or changing one chosen in the table ("Bearbeiten"): name, role, clients,
 * languages, extension, a new password (empty: unchanged) and whether the account is active.
 * @param {Client[]} clients
 * @param {() => void} onSaved
 */
function userForm(clients, onSaved) {
  /** @type {User | null} the user being changed; null: a new one */
  let editing = null;
  const title = h('h2', {}, 'Benutzer anlegen');
  const username = h('input', { name: 'username', required: true, autocomplete: 'off' });
  const displayName = h('input', { name: 'displayName', required: true });
  const password = h('input', { name: 'password', type: 'password', required: true, minLength: 10, autocomplete: 'new-password' });
  const passwordHint = h('small', { class: 'hint' }, 'mindestens 10 Zeichen');
  const role = h('select', { name: 'role' }, ROLES.map(([v, t]) => h('option', { value: v }, t)));
  const languages = h('input', { name: 'languages', value: 'de', placeholder: 'de, fr' });
  const extension = h('input', { name: 'extension', autocomplete: 'off', maxLength: 40 });
  const active = h('input', { type: 'checkbox', name: 'active', checked: true });
  const activeBox = h('label', { class: 'check', hidden: true }, active, ' Aktiv (gesperrt: kann sich nicht anmelden und wird sofort abgemeldet)');
  const boxes = clients.map((c) => h('label', { class: 'check' }, h('input', { type: 'checkbox', value: c.id }), ` ${c.name} (${c.code})`));
  const checks = () => boxes.map((b) => /** @type {HTMLInputElement} */ (b.querySelector('input')));
  const result = h('div', { 'aria-live': 'polite' });
  const submitButton = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Benutzer anlegen');
  const cancel = h('button', { type: 'button', class: 'btn btn-secondary', hidden: true, onclick: () => reset() }, 'Abbrechen');

  const reset = () => {
    editing = null;
    el.reset();
    username.readOnly = false;
    activeBox.hidden = true;
    cancel.hidden = true;
    replace(title, 'Benutzer anlegen');
    replace(submitButton, 'Benutzer anlegen');
    replace(passwordHint, 'mindestens 10 Zeichen');
  };

  /** @param {User} u */
  const edit = (u) => {
    editing = u;
    username.value = u.username;
    username.readOnly = true;
    displayName.value = u.displayName;
    password.value = '';
    role.value = u.role;
    languages.value = u.languages.join(', ');
    extension.value = u.extension ?? '';
    active.checked = u.active;
    for (const c of checks()) c.checked = u.clientIds.includes(c.value);
    activeBox.hidden = false;
    cancel.hidden = false;
    replace(title, `Benutzer ${u.username} ändern`);
    replace(submitButton, 'Änderungen speichern');
    replace(passwordHint, 'leer lassen: Passwort bleibt; sonst mindestens 10 Zeichen');
    replace(result);
    el.scrollIntoView({ block: 'start' });
    displayName.focus();
  };

  /** @param {SubmitEvent} e */
  const submit = async (e) => {
    e.preventDefault();
    const common = {
      displayName: displayName.value.trim(),
      role: role.value,
      clientIds: checks().filter((i) => i.checked).map((i) => i.value),
      languages: languages.value.split(/[\s,;]+/).map((l) => l.trim().toLowerCase()).filter(Boolean),
      extension: extension.value.trim() || null,
    };
    if ((!editing || password.value) && password.value.length < 10) return replace(result, notice('error', 'Das Passwort braucht mindestens 10 Zeichen.'));
    const user = editing;
    if (user?.active && !active.checked && !confirm(`Benutzer ${user.username} sperren? Er wird sofort abgemeldet; ein angezeigter Fall geht zurück in die Warteschlange, sobald seine Sperre abläuft.`)) return;
    const name = username.value.trim();
    try {
      if (user) {
        await api('PATCH', `/api/users/${user.id}`, { json: { ...common, active: active.checked, ...(password.value ? { password: password.value } : {}) } });
        reset();
        replace(result, notice('success', `Benutzer ${user.username} geändert.`));
      } else {
        await api('POST', '/api/users', { json: { ...common, username: name, password: password.value } });
        reset();
        replace(result, notice('success', `Benutzer ${name} angelegt.`));
      }
      onSaved();
    } catch (err) {
      replace(result, notice('error', userError(err, { username: name, languages: common.languages })));
    }
  };

  const el = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { class: 'card', onsubmit: submit, novalidate: true },
      title,
      h('div', { class: 'row' }, field('Benutzername', username), field('Anzeigename', displayName), h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Passwort'), password, passwordHint)),
      h('div', { class: 'row' }, field('Rolle', role), field('Sprachen', languages, 'Kürzel, durch Komma getrennt'), field('Nebenstelle', extension, 'für das Wählen über die Telefonanlage')),
      h('fieldset', { class: 'sub' }, h('legend', {}, 'Mandanten'), boxes.length ? boxes : h('p', { class: 'muted' }, 'Noch keine Mandanten.')),
      activeBox,
      result,
      h('div', { class: 'actions' }, submitButton, cancel),
    )
  );
  return { el, edit };
}

/** What each field of a user allows (src/users/users.schemas.ts), said when the server refuses it. */
const FIELD_RULES = /** @type {Record<string, string>} */ ({
  username: 'Benutzername: 2 bis 64 Zeichen, nur Buchstaben, Ziffern und . _ @ -',
  password: 'Passwort: 10 bis 256 Zeichen',
  displayName: 'Anzeigename: darf nicht leer sein, höchstens 120 Zeichen',
  role: 'Rolle: bitte Mitarbeiter, Gruppenleiter oder Administrator wählen',
  clientIds: 'Mandanten: ein gewählter Mandant ist ungültig; bitte die Seite neu laden',
  extension: 'Nebenstelle: nur Buchstaben, Ziffern und * # + . _ - (höchstens 40 Zeichen), z. B. 221',
});

/**
 * The server's refusal of a user or a change in German, by its code (src/users/users.service.ts)
 * and, for a refused input, by the fields its details name. A code not known here keeps the
 * general text with the server's words as detail.
 * @param {unknown} err
 * @param {{ username?: string, languages?: string[] }} sent what the form sent, to name it
 */
function userError(err, sent) {
  if (!(err instanceof ApiError)) return germanError(err);
  const details = /** @type {any} */ (err.details);
  switch (err.code) {
    case 'username_taken':
      return `Den Benutzernamen „${details?.username ?? sent.username ?? ''}“ gibt es schon (Groß-/Kleinschreibung zählt nicht). Bitte einen anderen wählen.`;
    case 'last_admin':
      return 'Das ist der einzige aktive Administrator: Er kann weder gesperrt noch herabgestuft werden. Bitte zuerst einen anderen Benutzer zum Administrator machen.';
    case 'not_found':
      return 'Diesen Benutzer gibt es nicht mehr. Bitte die Seite neu laden.';
    case 'bad_request':
      if (Array.isArray(details?.clientIds)) return 'Ein gewählter Mandant existiert nicht mehr. Bitte die Seite neu laden.';
      break;
    case 'validation':
      if (Array.isArray(details)) return `Bitte prüfen: ${[...new Set(details.map((d) => fieldProblem(String(d?.path ?? ''), sent)))].join(' ')}`;
      break;
  }
  return `${germanError(err)} (Details: ${err.message})`;
}

/**
 * One refused field in German, from its path in the server's validation details.
 * @param {string} path e.g. `username`, `languages.1`
 * @param {{ languages?: string[] }} sent
 */
function fieldProblem(path, sent) {
  const [field, index] = path.split('.');
  if (field === 'languages') {
    const typed = index === undefined ? undefined : sent.languages?.[Number(index)];
    if (typed !== undefined) return `Sprachen: „${typed}“ ist kein Sprachkürzel; bitte zwei Kleinbuchstaben wie de, fr, it.`;
    return sent.languages?.length ? 'Sprachen: höchstens 10.' : 'Sprachen: bitte mindestens eine angeben, z. B. de.';
  }
  const rule = FIELD_RULES[field ?? ''];
  return rule ? `${rule}.` : 'Die Eingabe ist ungültig.';
}
