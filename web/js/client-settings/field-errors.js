// Error messages shown next to the field they belong to. The server names a field by a dotted
// path (`windows.evening`, `callingHours.mon.0`, `outcomes.2.label`); each editor says which of
// its boxes and inputs answer to which path, and a path without a box of its own goes to the
// nearest enclosing one (`callingHours.mon.0.1` → the interval row `callingHours.mon.0`).
import { h, replace } from '../dom.js';

/**
 * Where a message is shown: `box` next to the field, `inputs` are marked invalid, `label` names
 * the field in the summary at the top of the form (German).
 * @typedef {{ box: HTMLElement, label: string, inputs: HTMLElement[] }} Slot
 * @typedef {Map<string, Slot>} Slots path → slot
 * @typedef {{ slot: Slot | null, message: string, path?: string }} Problem `slot` null: no field found
 */

let nextId = 0;

/** An empty message box to put right after a field (or a row of fields). */
export function errorBox() {
  return h('div', { class: 'field-error', id: `field-error-${++nextId}`, hidden: true });
}

/**
 * A slot; its inputs are described by the box, so a screen reader reads the message with them.
 * @param {HTMLElement} box from {@link errorBox}
 * @param {string} label
 * @param {...HTMLElement} inputs
 * @returns {Slot}
 */
export function slot(box, label, ...inputs) {
  for (const input of inputs) {
    const described = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    if (!described.includes(box.id)) input.setAttribute('aria-describedby', [...described, box.id].join(' '));
  }
  return { box, label, inputs };
}

/**
 * The slot for `path`, or for the longest leading part of it that has one.
 * @param {Slots} slots
 * @param {string} path
 */
export function nearestSlot(slots, path) {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const found = slots.get(parts.slice(0, n).join('.'));
    if (found) return found;
  }
  return null;
}

/** Shows problems at their fields and clears what the previous call showed. */
export function fieldErrors() {
  /** @type {Set<HTMLElement>} */
  let boxes = new Set();
  /** @type {Set<HTMLElement>} */
  let inputs = new Set();

  function clear() {
    for (const box of boxes) {
      replace(box);
      box.hidden = true;
    }
    for (const input of inputs) input.removeAttribute('aria-invalid');
    boxes = new Set();
    inputs = new Set();
  }

  /** @param {Problem[]} problems */
  function show(problems) {
    clear();
    /** @type {Map<HTMLElement, string[]>} */
    const byBox = new Map();
    for (const { slot: s, message } of problems) {
      if (!s) continue;
      byBox.set(s.box, [...(byBox.get(s.box) ?? []), message]);
      for (const input of s.inputs) {
        input.setAttribute('aria-invalid', 'true');
        inputs.add(input);
      }
    }
    for (const [box, messages] of byBox) {
      replace(box, [...new Set(messages)].map((m) => h('div', {}, m)));
      box.hidden = false;
      boxes.add(box);
    }
  }

  return { show, clear };
}
