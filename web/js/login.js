// Anmeldung.
import { api, ApiError, germanError } from './api.js';
import { field, h, notice, replace } from './dom.js';

/**
 * @param {(me: import('./types.js').Me) => void} onLogin
 * @param {string | null} [message] shown above the form (e.g. after the session ended)
 * @returns {import('./types.js').View}
 */
export function loginView(onLogin, message = null) {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const errorBox = h('div', { 'aria-live': 'assertive' }, message ? notice('info', message) : null);
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, 'Anmelden');

  /** @param {SubmitEvent} e */
  async function login(e) {
    e.preventDefault();
    if (!username.value || !password.value) return replace(errorBox, notice('error', 'Bitte Benutzername und Passwort eingeben.'));
    submit.disabled = true;
    try {
      const res = await api('POST', '/api/session', { json: { username: username.value.trim(), password: password.value } });
      onLogin(res.user);
    } catch (err) {
      password.value = '';
      replace(errorBox, notice('error', loginError(err)));
      password.focus();
    } finally {
      submit.disabled = false;
    }
  }

  const el = h(
    'main',
    { class: 'login' },
    h(
      'form',
      { class: 'card login-card', onsubmit: login, novalidate: true },
      h('h1', {}, 'Mahnanrufe'),
      h('p', { class: 'muted' }, 'Bitte melden Sie sich an.'),
      errorBox,
      field('Benutzername', username),
      field('Passwort', password),
      submit,
    ),
  );
  queueMicrotask(() => username.focus());
  return { el };
}

/** @param {unknown} err */
function loginError(err) {
  if (err instanceof ApiError && err.status === 401) return 'Benutzername oder Passwort falsch.';
  if (err instanceof ApiError && err.status === 429) {
    const s = err.retryAfter;
    return s
      ? `Zu viele Fehlversuche. Bitte in ${s} Sekunden erneut versuchen.`
      : 'Zu viele Fehlversuche. Bitte später erneut versuchen.';
  }
  if (err instanceof ApiError && err.status === 400) return 'Bitte Benutzername und Passwort eingeben.';
  return germanError(err);
}
