// Editor for the customer's own calling windows ("nur werktags nach 17 Uhr"), kept on the case.
import { h } from '../dom.js';
import { WEEKDAYS } from '../format.js';

/** @typedef {import('../types.js').PreferredWindow} PreferredWindow */

/**
 * @param {PreferredWindow[]} initial
 * @param {() => void} [onChange] called on every change (also adding or removing a row)
 * @returns {{ el: HTMLElement, dirty: () => boolean, value: () => PreferredWindow[] | string,
 *   rows: () => PreferredWindow[], restore: (windows: PreferredWindow[]) => void }}
 *   `value` is the windows, or a German message saying what is wrong; `rows` the rows as
 *   entered, unchecked (for a draft); `restore` puts such rows back as changed
 */
export function preferredWindowsEditor(initial, onChange = () => {}) {
  let changed = false;
  const rows = h('div', { class: 'pw-rows' });
  const markChanged = () => {
    changed = true;
    onChange();
  };

  /** @param {PreferredWindow} w */
  const addRow = (w) => {
    const boxes = WEEKDAYS.map(([code, name]) =>
      h('label', { class: 'day' }, h('input', { type: 'checkbox', value: code, checked: w.days.includes(code), onchange: markChanged }), name),
    );
    const from = h('input', { type: 'time', value: w.from, 'aria-label': 'von', onchange: markChanged, required: true });
    const to = h('input', { type: 'time', value: w.to, 'aria-label': 'bis', onchange: markChanged, required: true });
    const row = h(
      'div',
      { class: 'pw-row' },
      h('div', { class: 'days' }, boxes),
      h('label', { class: 'inline' }, 'von ', from),
      h('label', { class: 'inline' }, 'bis ', to),
      h('button', { type: 'button', class: 'btn btn-link', onclick: () => { row.remove(); markChanged(); } }, 'Entfernen'),
    );
    rows.append(row);
  };
  initial.forEach(addRow);

  const el = h(
    'details',
    { class: 'pw-editor' },
    h('summary', {}, 'Kundenwunsch-Zeitfenster ändern'),
    h('p', { class: 'hint' }, 'Gilt für alle weiteren Versuche dieses Falls. Keine Zeile = keine Einschränkung.'),
    rows,
    h(
      'button',
      { type: 'button', class: 'btn btn-secondary btn-small', onclick: () => { addRow({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '17:00', to: '20:00' }); markChanged(); } },
      '+ Zeitfenster hinzufügen',
    ),
  );

  /** @returns {PreferredWindow[]} */
  const entered = () =>
    [...rows.querySelectorAll('.pw-row')].map((row) => {
      const days = [...row.querySelectorAll('input[type=checkbox]:checked')].map((b) => /** @type {HTMLInputElement} */ (b).value);
      const [from = '', to = ''] = [...row.querySelectorAll('input[type=time]')].map((i) => /** @type {HTMLInputElement} */ (i).value);
      return { days, from, to };
    });
  const value = () => {
    const out = entered();
    for (const { days, from, to } of out) {
      if (days.length === 0) return 'Kundenwunsch-Zeitfenster: bitte mindestens einen Wochentag wählen.';
      if (!from || !to || from >= to) return 'Kundenwunsch-Zeitfenster: „von“ muss vor „bis“ liegen.';
    }
    return out;
  };
  /** @param {PreferredWindow[]} windows */
  const restore = (windows) => {
    rows.replaceChildren();
    windows.forEach(addRow);
    changed = true;
    /** @type {HTMLDetailsElement} */ (el).open = true;
  };
  return { el, dirty: () => changed, value, rows: entered, restore };
}
