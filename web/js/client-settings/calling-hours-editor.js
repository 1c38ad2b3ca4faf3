// Calling hours per weekday: any number of intervals „von–bis“ per day; a day may have none.
import { h } from '../dom.js';
import { errorBox, slot } from './field-errors.js';
import { relabel, removeButton, timeInput } from './inputs.js';

/** @typedef {import('../types.js').CallingHours} CallingHours */
/** @typedef {import('./field-errors.js').Slots} Slots */

/** @type {ReadonlyArray<[keyof CallingHours, string]>} */
const DAYS = [
  ['mon', 'Montag'], ['tue', 'Dienstag'], ['wed', 'Mittwoch'], ['thu', 'Donnerstag'],
  ['fri', 'Freitag'], ['sat', 'Samstag'], ['sun', 'Sonntag'],
];

/** @typedef {{ el: HTMLElement, from: HTMLInputElement, to: HTMLInputElement, remove: HTMLButtonElement, box: HTMLElement }} IntervalRow */

/**
 * @param {CallingHours} initial
 * @returns {{ el: HTMLElement, read: () => { value: CallingHours, slots: Slots } }}
 */
export function callingHoursEditor(initial) {
  const sectionBox = errorBox();
  const days = DAYS.map(([code, name]) => dayRow(code, name, initial[code] ?? []));
  const el = h(
    'fieldset',
    { class: 'sub calling-hours' },
    h('legend', {}, 'Anrufzeiten'),
    h('p', { class: 'hint' }, 'Ortszeit des Mandanten, HH:MM; 24:00 ist das Tagesende. Ein Tag ohne Zeitraum: keine Anrufe. An Feiertagen wird nicht angerufen.'),
    days.map((d) => d.el),
    sectionBox,
  );

  function read() {
    /** @type {Slots} */
    const slots = new Map([['callingHours', slot(sectionBox, 'Anrufzeiten')]]);
    const value = /** @type {CallingHours} */ ({});
    for (const d of days) {
      value[d.code] = d.rows.map((r) => /** @type {[string, string]} */ ([r.from.value.trim(), r.to.value.trim()]));
      slots.set(`callingHours.${d.code}`, slot(d.box, `Anrufzeiten ${d.name}`));
      d.rows.forEach((r, i) => {
        const label = `Anrufzeiten ${d.name}, Zeitraum ${i + 1}`;
        slots.set(`callingHours.${d.code}.${i}`, slot(r.box, label, r.from, r.to));
        slots.set(`callingHours.${d.code}.${i}.0`, slot(r.box, `${label}, von`, r.from));
        slots.set(`callingHours.${d.code}.${i}.1`, slot(r.box, `${label}, bis`, r.to));
      });
    }
    return { value, slots };
  }
  return { el, read };
}

/**
 * @param {keyof CallingHours} code
 * @param {string} name
 * @param {[string, string][]} intervals
 */
function dayRow(code, name, intervals) {
  /** @type {IntervalRow[]} */
  const rows = [];
  const list = h('div', { class: 'ch-intervals' });
  const empty = h('span', { class: 'muted ch-empty' }, 'keine Anrufe');
  const box = errorBox();

  const renumber = () => {
    rows.forEach((r, i) => {
      relabel(r.from, `${name}, Zeitraum ${i + 1}, von`);
      relabel(r.to, `${name}, Zeitraum ${i + 1}, bis`);
      relabel(r.remove, `${name}, Zeitraum ${i + 1} entfernen`);
    });
    empty.hidden = rows.length > 0;
  };

  /** @param {[string, string]} interval */
  const add = ([from, to]) => {
    /** @type {IntervalRow} */
    const row = {
      el: h('div', { class: 'ch-interval' }),
      from: timeInput('', from),
      to: timeInput('', to),
      remove: removeButton('', () => {
        rows.splice(rows.indexOf(row), 1);
        row.el.remove();
        renumber();
      }),
      box: errorBox(),
    };
    row.el.append(row.from, h('span', { 'aria-hidden': 'true' }, '–'), row.to, row.remove, row.box);
    rows.push(row);
    list.append(row.el);
    renumber();
    return row;
  };
  intervals.forEach(add);
  renumber();

  const addButton = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-secondary btn-small',
      'aria-label': `${name}: Zeitraum hinzufügen`,
      // A new interval starts after the day's last one, so it rarely overlaps at once.
      onclick: () => add(rows.length ? [rows[rows.length - 1]?.to.value ?? '', ''] : ['08:00', '20:00']).from.focus(),
    },
    '+ Zeitraum',
  );
  const el = h(
    'div',
    { class: 'ch-day', role: 'group', 'aria-label': `Anrufzeiten ${name}` },
    h('span', { class: 'ch-day-name' }, name),
    h('div', { class: 'ch-day-body' }, list, empty, addButton, box),
  );
  return { code, name, rows, el, box };
}
