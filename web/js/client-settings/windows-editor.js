// Named windows („evening“ 17:00–20:00) for callbacks and day-part rotation: add, remove, rename.
import { h } from '../dom.js';
import { windowsByStart } from '../format.js';
import { errorBox, slot } from './field-errors.js';
import { relabel, removeButton, timeInput } from './inputs.js';

/** @typedef {import('./field-errors.js').Slots} Slots */
/** @typedef {import('./field-errors.js').Problem} Problem */
/** @typedef {{ el: HTMLElement, name: HTMLInputElement, from: HTMLInputElement, to: HTMLInputElement, remove: HTMLButtonElement, box: HTMLElement }} WindowRow */

/**
 * @param {Record<string, [string, string]>} initial
 * @returns {{ el: HTMLElement, read: () => { value: Record<string, [string, string]>, slots: Slots, problems: Problem[] } }}
 *   `problems`: what the server could not see (two rows with one name collapse into one key)
 */
export function windowsEditor(initial) {
  /** @type {WindowRow[]} */
  const rows = [];
  const list = h('div', { class: 'win-rows' });
  const sectionBox = errorBox();

  const renumber = () =>
    rows.forEach((r, i) => {
      relabel(r.name, `Zeitfenster ${i + 1}, Name`);
      relabel(r.from, `Zeitfenster ${i + 1}, von`);
      relabel(r.to, `Zeitfenster ${i + 1}, bis`);
      relabel(r.remove, `Zeitfenster ${i + 1} entfernen`);
    });

  /**
   * @param {string} name
   * @param {[string, string]} range
   */
  const add = (name, [from, to]) => {
    /** @type {WindowRow} */
    const row = {
      el: h('div', { class: 'win-row' }),
      name: h('input', { type: 'text', class: 'win-name', value: name, maxLength: 40, autocomplete: 'off', spellcheck: 'false' }),
      from: timeInput('', from),
      to: timeInput('', to),
      remove: removeButton('', () => {
        rows.splice(rows.indexOf(row), 1);
        row.el.remove();
        renumber();
      }),
      box: errorBox(),
    };
    row.el.append(row.name, row.from, h('span', { 'aria-hidden': 'true' }, '–'), row.to, row.remove, row.box);
    rows.push(row);
    list.append(row.el);
    renumber();
    return row;
  };
  // By start time: the stored order is the database's (jsonb sorts keys), not the user's.
  for (const name of windowsByStart(initial)) add(name, initial[name]);

  const el = h(
    'fieldset',
    { class: 'sub windows' },
    h('legend', {}, 'Zeitfenster'),
    h(
      'p',
      { class: 'hint' },
      'Für Rückrufe und den Wechsel der Tageszeit bei neuen Versuchen; jedes muss in die Anrufzeiten mindestens eines Tages passen. ',
      'Name: Buchstaben, Ziffern, _ und -. morning, midday, afternoon und evening heißen beim Mitarbeiter Vormittag, Mittag, Nachmittag und Abend.',
    ),
    list,
    h('button', { type: 'button', class: 'btn btn-secondary btn-small', onclick: () => add('', ['', '']).name.focus() }, '+ Zeitfenster hinzufügen'),
    sectionBox,
  );

  function read() {
    // No prototype: a window named "__proto__" (a valid name) must stay an own key.
    const value = /** @type {Record<string, [string, string]>} */ (Object.create(null));
    /** @type {Slots} */
    const slots = new Map([['windows', slot(sectionBox, 'Zeitfenster')]]);
    /** @type {Problem[]} */
    const problems = [];
    rows.forEach((r, i) => {
      const name = r.name.value.trim();
      const label = `Zeitfenster ${i + 1}${name ? ` „${name}“` : ''}`;
      const rowSlot = slot(r.box, label, r.name, r.from, r.to);
      if (!name) return problems.push({ slot: slot(r.box, label, r.name), message: 'Bitte einen Namen angeben.' });
      if (Object.hasOwn(value, name)) return problems.push({ slot: slot(r.box, label, r.name), message: `Der Name „${name}“ ist schon vergeben.` });
      value[name] = [r.from.value.trim(), r.to.value.trim()];
      slots.set(`windows.${name}`, rowSlot);
      slots.set(`windows.${name}.0`, slot(r.box, `${label}, von`, r.from));
      slots.set(`windows.${name}.1`, slot(r.box, `${label}, bis`, r.to));
    });
    return { value, slots, problems };
  }
  return { el, read };
}
