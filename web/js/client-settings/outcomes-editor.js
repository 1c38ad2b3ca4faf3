// The outcomes an agent can record for this client: code, German label, effect.
import { h } from '../dom.js';
import { errorBox, slot } from './field-errors.js';
import { relabel, removeButton } from './inputs.js';

/** @typedef {import('../types.js').Outcome} Outcome */
/** @typedef {import('./field-errors.js').Slots} Slots */
/**
 * @typedef {{ el: HTMLElement, code: HTMLInputElement, label: HTMLInputElement, effect: HTMLSelectElement,
 *   delay: HTMLInputElement, remove: HTMLButtonElement, box: HTMLElement }} OutcomeRow
 */

/** @type {ReadonlyArray<[string, string]>} */
const EFFECTS = [
  ['close', 'Fall abschließen'],
  ['retry', 'später erneut versuchen'],
  ['callback', 'Rückruf vereinbaren'],
  ['wrong_number', 'Nummer falsch – nächste Nummer, sonst abschließen'],
];

/**
 * The delay field only for a retry.
 * @param {OutcomeRow} row
 */
function delayFits(row) {
  row.delay.disabled = row.effect.value !== 'retry';
}

/**
 * @param {Outcome[]} initial
 * @returns {{ el: HTMLElement, read: () => { value: Outcome[], slots: Slots, problems: import('./field-errors.js').Problem[] } }}
 */
export function outcomesEditor(initial) {
  /** @type {OutcomeRow[]} */
  const rows = [];
  const list = h('div', { class: 'outcome-rows' });
  const sectionBox = errorBox();

  const renumber = () =>
    rows.forEach((r, i) => {
      relabel(r.code, `Ergebnis ${i + 1}, Code`);
      relabel(r.label, `Ergebnis ${i + 1}, Bezeichnung`);
      relabel(r.effect, `Ergebnis ${i + 1}, Wirkung`);
      relabel(r.delay, `Ergebnis ${i + 1}, erneut nach Minuten`);
      relabel(r.remove, `Ergebnis ${i + 1} entfernen`);
    });

  /**
   * @param {Outcome} o
   * @param {boolean} saved a saved outcome keeps its code: recorded attempts carry it
   */
  const add = (o, saved) => {
    /** @type {OutcomeRow} */
    const row = {
      el: h('div', { class: 'outcome-row' }),
      code: h('input', { type: 'text', class: 'mono outcome-code', value: o.code, readOnly: saved, maxLength: 40, autocomplete: 'off', spellcheck: 'false', placeholder: 'z. B. ratenzahlung' }),
      label: h('input', { type: 'text', class: 'outcome-label', value: o.label, maxLength: 80 }),
      effect: h('select', { class: 'outcome-effect', onchange: () => delayFits(row) }, EFFECTS.map(([v, t]) => h('option', { value: v, selected: v === o.effect }, t))),
      // Only a retry has a delay of its own; empty: the client's retry delay, with rotation.
      // Not rounded: what is shown is what was stored, so an unchanged form stays unchanged.
      delay: h('input', {
        type: 'number', class: 'outcome-delay', min: 5, max: 10_080, step: 'any', inputMode: 'decimal',
        value: o.retryDelaySeconds ? String(o.retryDelaySeconds / 60) : '', placeholder: 'Standard',
        title: 'Eigener Abstand bis zum nächsten Versuch, in Minuten (leer: der Wiederholungsabstand des Mandanten, mit Tageszeit-Wechsel)',
      }),
      remove: removeButton('', () => {
        // Past attempts keep the code, but the LE report knows only this client's outcomes.
        if (saved && !confirm(`Ergebnis „${o.label || o.code}“ (${o.code}) entfernen? Bisherige Versuche behalten den Code, zählen im LE-Bericht aber als „nicht erreicht“.`)) return;
        rows.splice(rows.indexOf(row), 1);
        row.el.remove();
        renumber();
      }),
      box: errorBox(),
    };
    row.el.append(row.code, row.label, row.effect, row.delay, row.remove, row.box);
    delayFits(row);
    rows.push(row);
    list.append(row.el);
    renumber();
    return row;
  };
  for (const o of initial) add(o, true);

  const el = h(
    'fieldset',
    { class: 'sub outcomes-editor' },
    h('legend', {}, 'Ergebnisse'),
    h(
      'p',
      { class: 'hint' },
      'Was Mitarbeiter nach einem Anruf erfassen. Der Code gespeicherter Ergebnisse bleibt fest, weil bisherige Versuche ihn tragen; die Bezeichnung lässt sich ändern. ',
      'Nötig ist mindestens je ein Ergebnis, das abschließt, eines für einen neuen Versuch und eines für einen Rückruf. ',
      'Ein neuer Versuch kann einen eigenen Abstand haben, z. B. „Besetzt“ nach 15 Minuten; leer gilt der Wiederholungsabstand des Mandanten.',
    ),
    h('div', { class: 'outcome-row outcome-head', 'aria-hidden': 'true' }, h('span', {}, 'Code'), h('span', {}, 'Bezeichnung'), h('span', {}, 'Wirkung'), h('span', {}, 'erneut nach (Min.)')),
    list,
    h('button', { type: 'button', class: 'btn btn-secondary btn-small', onclick: () => add({ code: '', label: '', effect: 'close' }, false).code.focus() }, '+ Ergebnis hinzufügen'),
    sectionBox,
  );

  function read() {
    /** @type {Slots} */
    const slots = new Map([['outcomes', slot(sectionBox, 'Ergebnisse')]]);
    /** @type {import('./field-errors.js').Problem[]} what the server could not see: a delay the browser could not read */
    const problems = [];
    const value = rows.map((r, i) => {
      const label = `Ergebnis ${i + 1}${r.code.value.trim() ? ` „${r.code.value.trim()}“` : ''}`;
      slots.set(`outcomes.${i}`, slot(r.box, label, r.code, r.label, r.effect));
      slots.set(`outcomes.${i}.code`, slot(r.box, `${label}, Code`, r.code));
      slots.set(`outcomes.${i}.label`, slot(r.box, `${label}, Bezeichnung`, r.label));
      slots.set(`outcomes.${i}.effect`, slot(r.box, `${label}, Wirkung`, r.effect));
      slots.set(`outcomes.${i}.retryDelaySeconds`, slot(r.box, `${label}, erneut nach`, r.delay));
      const delayed = r.effect.value === 'retry';
      if (delayed && r.delay.validity.badInput) problems.push({ slot: slots.get(`outcomes.${i}.retryDelaySeconds`) ?? null, message: 'Bitte eine Zahl von Minuten angeben (oder leer lassen).' });
      const minutes = delayed && r.delay.value.trim() !== '' ? Number(r.delay.value) : null;
      return { code: r.code.value.trim(), label: r.label.value.trim(), effect: r.effect.value, ...(minutes === null ? {} : { retryDelaySeconds: Math.round(minutes * 60) }) };
    });
    return { value, slots, problems };
  }
  return { el, read };
}
