// Small controls the settings editors share.
import { h } from '../dom.js';

/**
 * A time of day as typed text, not `<input type=time>`: that cannot hold `24:00`, the end of a
 * day the server accepts (`["00:00","24:00"]` = all day).
 * @param {string} label accessible name, e.g. „Montag, Zeitraum 1, von“
 * @param {string} value `HH:MM`
 */
export function timeInput(label, value) {
  return h('input', {
    type: 'text', class: 'time-input', value, 'aria-label': label, inputmode: 'numeric', maxLength: 5,
    placeholder: 'HH:MM', autocomplete: 'off', spellcheck: 'false',
  });
}

/**
 * A small „Entfernen“ button whose accessible name says what it removes.
 * @param {string} label e.g. „Zeitfenster 2 entfernen“
 * @param {() => void} onclick
 */
export function removeButton(label, onclick) {
  return h('button', { type: 'button', class: 'btn btn-link btn-remove', 'aria-label': label, title: label, onclick }, 'Entfernen');
}

/**
 * Sets the accessible name of a control (after rows were renumbered).
 * @param {HTMLElement} el
 * @param {string} label
 */
export function relabel(el, label) {
  el.setAttribute('aria-label', label);
  if (el instanceof HTMLButtonElement) el.title = label;
}
