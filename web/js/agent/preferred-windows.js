// Editor for the customer's own calling windows ("nur werktags nach 17 Uhr"), kept on the case.
import { h } from '../dom.js';
import { WEEKDAYS } from '../format.js';

/** @typedef {import('../types.js').PreferredWindow} PreferredWindow */

/**
 * @param {PreferredWindow[]} initial
 * @returns {{ el: HTMLElement, dirty: () => boolean, value: () => PreferredWindow[] | string }}
 *   `value` is the windows, or a German message saying what is wrong
 */
export function preferredWindowsEditor(initial) {
  let changed = false;
  const rows = h('div', { class: 'pw-rows' });
  const markChanged = () => {
    changed = true;
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

  const value = () => {
    /** @type {PreferredWindow[]} */
    const out = [];
    for (const row of rows.querySelectorAll('.pw-row')) {
      const days = [...row.querySelectorAll('input[type=checkbox]:checked')].map((b) => /** @type {HTMLInputElement} */ (b).value);
      const [from, to] = [...row.querySelectorAll('input[type=time]')].map((i) => /** @type {HTMLInputElement} */ (i).value);
      if (days.length === 0) return 'Kundenwunsch-Zeitfenster: bitte mindestens einen Wochentag wählen.';
      if (!from || !to || from >= to) return 'Kundenwunsch-Zeitfenster: „von“ muss vor „bis“ liegen.';
      out.push({ days, from, to });
    }
    return out;
  };
  return { el, dirty: () => changed, value };
}
