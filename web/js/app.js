// Start: who is logged in, the header, and the hash routes of the single-page UI.
import { api, SESSION_LOST } from './api.js';
import { h, replace } from './dom.js';
import { loginView } from './login.js';
import { agentView } from './agent/agent-view.js';
import { listsView } from './lead/lists-view.js';
import { listDetailView } from './lead/list-detail.js';
import { leReportView } from './lead/le-report-view.js';
import { teamView } from './lead/team-view.js';
import { usersView } from './admin/users-view.js';
import { clientsView } from './admin/clients-view.js';
import { clientSettingsView } from './client-settings/client-settings-view.js';

/** @typedef {import('./types.js').Me} Me */
/** @typedef {import('./types.js').View} View */

const ROLE_NAMES = { agent: 'Mitarbeiter', lead: 'Gruppenleiter', admin: 'Administrator' };

const root = /** @type {HTMLElement} */ (document.getElementById('app'));
/** @type {Me | null} */
let me = null;
/** @type {View | null} */
let current = null;
/** The address of the page mounted: where a declined „leave?“ keeps the user. */
let shownHash = location.hash;

const UNSAVED = 'Ihre Änderungen sind noch nicht gespeichert und gehen verloren. Seite trotzdem verlassen?';

/** @param {View} view */
function mount(view, withHeader = true) {
  current?.stop?.();
  current = view;
  shownHash = location.hash;
  replace(root, withHeader && me ? header(me) : null, h('main', { class: 'page' }, view.el));
}

/** @param {string | null} [message] */
function showLogin(message = null) {
  me = null;
  current?.stop?.();
  current = loginView((user) => {
    me = user;
    // Back to the page the session ran out on (route sends a page this role cannot open home);
    // a logout cleared the address, so the next user starts at home.
    if (location.hash) route();
    else location.hash = home(user);
  }, message);
  replace(root, current.el);
}

/** @param {Me} user */
const home = (user) => (user.role === 'agent' ? '#/anrufe' : '#/listen');

/** @param {Me} user */
function header(user) {
  /** @type {Array<[string, string]>} */
  const links =
    user.role === 'agent'
      ? [['#/anrufe', 'Anrufe']]
      : [['#/listen', 'Listen'], ['#/team', 'Team'], ['#/le', 'LE-Bericht'], ...(user.role === 'admin' ? /** @type {Array<[string, string]>} */ ([['#/mandanten', 'Mandanten'], ['#/benutzer', 'Benutzer']]) : [])];
  const active = activeSection(user);
  return h(
    'header',
    { class: 'topbar' },
    h('a', { class: 'brand', href: home(user) }, 'Mahnanrufe'),
    h('nav', { 'aria-label': 'Hauptnavigation' }, links.map(([href, text]) => h('a', { href, class: active === href ? 'active' : '' }, text))),
    h(
      'div',
      { class: 'user' },
      h('span', { class: 'user-name' }, user.displayName),
      h('span', { class: 'user-role' }, ROLE_NAMES[user.role]),
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: logout }, 'Abmelden'),
    ),
  );
}

/**
 * The top-level page the current hash belongs to: a list's detail under „Listen“; a client's
 * settings where that role reaches them from (admins: „Mandanten“, leads: „Listen“).
 * @param {Me} user
 */
function activeSection(user) {
  const section = location.hash.split('/').slice(0, 2).join('/');
  if (section === '#/liste') return '#/listen';
  if (section === '#/mandant') return user.role === 'admin' ? '#/mandanten' : '#/listen';
  return section;
}

async function logout() {
  if (current?.holdsCase?.() && !confirm('Der angezeigte Fall wird zurückgegeben (es wird kein Versuch gezählt); was Sie dazu eingetragen und nicht gespeichert haben, geht verloren. Trotzdem abmelden?')) return;
  if (current?.unsaved?.() && !confirm('Ihre Änderungen sind noch nicht gespeichert und gehen verloren. Trotzdem abmelden?')) return;
  await current?.leave?.().catch(() => {});
  current?.stop?.();
  current = null;
  try {
    await api('DELETE', '/api/session');
  } catch {
    // The session may still be valid (shared PCs): say so instead of pretending.
    alert('Abmelden fehlgeschlagen – bitte erneut versuchen.');
    return route();
  }
  history.replaceState(null, '', location.pathname);
  showLogin('Sie wurden abgemeldet.');
}

function route() {
  if (!me) return showLogin();
  const [, page = '', id = ''] = location.hash.split('/');
  const lead = me.role === 'lead' || me.role === 'admin';
  if (me.role === 'agent' && page === 'anrufe') return mount(agentView(me.id));
  if (lead && page === 'listen') return mount(listsView(me));
  if (lead && page === 'liste' && id) return mount(listDetailView(decodeURIComponent(id), me));
  if (lead && page === 'mandant' && id) return mount(clientSettingsView(decodeURIComponent(id), me));
  if (lead && page === 'le') return mount(leReportView());
  if (lead && page === 'team') return mount(teamView(me));
  if (me.role === 'admin' && page === 'benutzer') return mount(usersView());
  if (me.role === 'admin' && page === 'mandanten') return mount(clientsView());
  location.replace(home(me));
}

/** A link or the back button: a page with unsaved edits asks first, and a „no“ stays on it. */
function onHashChange() {
  if (me && location.hash !== shownHash && current?.unsaved?.() && !confirm(UNSAVED)) {
    // Back to the page's address without routing (it stays mounted with its edits).
    history.replaceState(null, '', shownHash || location.pathname);
    return;
  }
  route();
}

window.addEventListener('hashchange', onHashChange);
window.addEventListener(SESSION_LOST, () => {
  if (me && current?.unsaved?.()) reloginInPlace(me);
  else showLogin('Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.');
});

/**
 * The session ran out on a page with unsaved edits (client settings typed for a while): the
 * login comes over the page instead of replacing it, so nothing typed is lost; the same user
 * saves again after it. Another user logging in gets their own start page.
 * @param {Me} before
 */
function reloginInPlace(before) {
  if (document.querySelector('dialog.relogin')) return;
  const dialog = h('dialog', { class: 'relogin', 'aria-label': 'Erneut anmelden' });
  const view = loginView((user) => {
    dialog.close();
    dialog.remove();
    me = user;
    if (user.id !== before.id) route();
  }, 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an – Ihre Eingaben auf dieser Seite bleiben erhalten; danach bitte erneut speichern.');
  // Escape would leave the page without a session: the login stays until it succeeds.
  dialog.addEventListener('cancel', (e) => e.preventDefault());
  dialog.append(view.el);
  document.body.append(dialog);
  dialog.showModal();
}

async function start() {
  try {
    me = await api('GET', '/api/me');
  } catch {
    me = null;
  }
  route();
}
void start();
