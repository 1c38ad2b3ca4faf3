// A client's settings, for admins (every client) and leads (their clients; the API checks it).
// Saving sends only what changed, and the server validates the merged whole: its messages
// (in German where known, `german-messages.js`) are shown at the field they name, with a summary
// at the top; the form keeps what was typed until a save succeeds.
import { ApiError, api, germanError } from '../api.js';
import { h, notice, replace } from '../dom.js';
import { callingHoursEditor } from './calling-hours-editor.js';
import { fieldErrors, nearestSlot } from './field-errors.js';
import { germanSettingsMessage } from './german-messages.js';
import { outcomesEditor } from './outcomes-editor.js';
import { plainFields } from './plain-fields.js';
import { reachHeatmap } from './reach-heatmap.js';
import { windowsEditor } from './windows-editor.js';

/** @typedef {import('../types.js').Client} Client */
/** @typedef {import('./field-errors.js').Problem} Problem */
/** @typedef {import('./field-errors.js').Slots} Slots */

/**
 * @param {string} clientId
 * @param {import('../types.js').Me} me
 * @returns {import('../types.js').View}
 */
export function clientSettingsView(clientId, me) {
  const back = () =>
    me.role === 'admin' ? h('a', { class: 'back', href: '#/mandanten' }, '← Mandanten') : h('a', { class: 'back', href: '#/listen' }, '← Mahnlisten');
  const el = h('div', { class: 'client-settings-page' }, back(), h('h1', {}, 'Einstellungen'), h('p', { class: 'muted' }, 'Wird geladen …'));
  let stopped = false;
  const heatmap = reachHeatmap(clientId);
  /** @type {{ unsaved: () => boolean } | null} the form shown, once the client is loaded */
  let shown = null;
  // Closing the tab or reloading with edits not saved would lose them: the browser asks first
  // (leaving by a link asks in app.js, through `unsaved`).
  /** @param {BeforeUnloadEvent} e */
  const onUnload = (e) => {
    if (!shown?.unsaved()) return;
    e.preventDefault();
    e.returnValue = '';
  };
  window.addEventListener('beforeunload', onUnload);

  /**
   * @param {Client} client
   * @param {HTMLElement | null} message shown above the form
   */
  const show = (client, message) => {
    const form = settingsForm(
      client,
      message,
      (saved) => {
        if (!stopped) show(saved, notice('success', 'Einstellungen gespeichert.'));
      },
      me.role === 'admin',
    );
    shown = form;
    replace(el, back(), h('h1', {}, `Einstellungen: ${client.name}`), form.el, heatmap);
    // Saved from the button at the bottom: bring the confirmation into view.
    if (message) form.status.focus();
  };

  (async () => {
    try {
      /** @type {Client} */
      const client = await api('GET', `/api/clients/${encodeURIComponent(clientId)}`);
      if (!stopped) show(client, null);
    } catch (err) {
      if (!stopped) replace(el, back(), h('h1', {}, 'Einstellungen'), notice('error', germanError(err)));
    }
  })();
  return {
    el,
    unsaved: () => shown?.unsaved() ?? false,
    stop: () => {
      stopped = true;
      window.removeEventListener('beforeunload', onUnload);
    },
  };
}

/**
 * @param {Client} client
 * @param {HTMLElement | null} message
 * @param {(saved: Client) => void} onSaved
 * @param {boolean} isAdmin
 */
function settingsForm(client, message, onSaved, isAdmin) {
  const status = h('div', { class: 'settings-status', tabindex: '-1', 'aria-live': 'polite' }, message);
  const plain = plainFields(client, isAdmin);
  const hours = callingHoursEditor(client.callingHours);
  const windows = windowsEditor(client.windows);
  const outcomes = outcomesEditor(client.outcomes);
  const errors = fieldErrors();
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Speichern');
  let busy = false;

  /** @param {Problem[]} problems */
  const showProblems = (problems) => {
    errors.show(problems);
    const lines = problems.map((p) => (p.slot ? `${p.slot.label}: ${p.message}` : p.path ? `${p.path}: ${p.message}` : p.message));
    replace(status, notice('error', h('strong', {}, 'Bitte prüfen:'), h('ul', { class: 'problems' }, lines.map((l) => h('li', {}, l)))));
    status.focus();
  };

  /** What the form holds now, as the PATCH body would carry it (before the server checks it). */
  const body = () => ({ ...plain.read().value, callingHours: hours.read().value, windows: windows.read().value, outcomes: outcomes.read().value });

  /** @param {SubmitEvent} e */
  const submit = async (e) => {
    e.preventDefault();
    if (busy) return;
    const [p, c, w, o] = [plain.read(), hours.read(), windows.read(), outcomes.read()];
    /** @type {Slots} */
    const slots = new Map([...p.slots, ...c.slots, ...w.slots, ...o.slots]);
    const problems = [...p.problems, ...w.problems, ...o.problems];
    if (problems.length) return showProblems(problems);
    const patch = changed(client, { ...p.value, callingHours: c.value, windows: w.value, outcomes: o.value });
    errors.clear();
    if (Object.keys(patch).length === 0) return replace(status, notice('info', 'Keine Änderungen – nichts zu speichern.'));

    busy = true;
    save.disabled = true;
    replace(status, notice('info', 'Wird gespeichert …'));
    try {
      onSaved(await api('PATCH', `/api/clients/${encodeURIComponent(client.id)}`, { json: patch }));
    } catch (err) {
      const atFields = serverProblems(err, slots);
      if (atFields.length) showProblems(atFields);
      else {
        replace(status, notice('error', `Nicht gespeichert: ${germanError(err)}${err instanceof Error ? ` (Details: ${err.message})` : ''}`));
        status.focus();
      }
    } finally {
      busy = false;
      save.disabled = false;
    }
  };

  const el = h(
    'form',
    { class: 'card client-settings', 'aria-label': 'Einstellungen des Mandanten', novalidate: true, onsubmit: submit },
    status,
    plain.identity,
    plain.rules,
    hours.el,
    windows.el,
    outcomes.el,
    plain.doNotCall,
    h('div', { class: 'actions' }, save),
  );
  return { el, status, unsaved: () => Object.keys(changed(client, body())).length > 0 };
}

/**
 * The fields of `body` that differ from `client`: a PATCH leaves the rest as it is, so two
 * people changing different settings do not undo each other.
 * @param {Client} client
 * @param {Record<string, unknown>} body
 */
function changed(client, body) {
  const before = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (client));
  return Object.fromEntries(Object.entries(body).filter(([key, value]) => !same(before[key], value)));
}

/**
 * Deep equality that ignores key order (the database returns JSON objects in its own order).
 * @param {unknown} a
 * @param {unknown} b
 * @returns {boolean}
 */
function same(a, b) {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const rb = /** @type {Record<string, unknown>} */ (b);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && same(/** @type {Record<string, unknown>} */ (a)[k], rb[k]));
  }
  return a === b;
}

/**
 * The server's refusal as problems at fields: validation details carry a path; a taken code
 * names no field; other refusals name theirs only in the message („doNotCall: not a valid …“).
 * @param {unknown} err
 * @param {Slots} slots
 * @returns {Problem[]}
 */
function serverProblems(err, slots) {
  if (!(err instanceof ApiError)) return [];
  if (Array.isArray(err.details)) {
    return err.details.map((/** @type {{ path?: unknown, message?: unknown }} */ d) => {
      const path = String(d.path ?? '');
      return { slot: nearestSlot(slots, path), message: germanSettingsMessage(String(d.message ?? '')), path };
    });
  }
  if (err.code === 'code_taken') return [{ slot: slots.get('code') ?? null, message: 'Dieses Kürzel hat schon ein anderer Mandant.' }];
  const named = /^([A-Za-z][\w.]*): (.+)$/s.exec(err.message);
  const at = named ? nearestSlot(slots, named[1] ?? '') : null;
  return at ? [{ slot: at, message: germanSettingsMessage(named?.[2] ?? err.message) }] : [];
}
