// A case's numbers on the agent's screen: the choice of the number dialled in the form.
import { h } from '../dom.js';

/** @typedef {import('../types.js').AgentCase} AgentCase */
/** @typedef {import('../types.js').CasePhone} CasePhone */
/** @typedef {CasePhone & { current: boolean }} ShownPhone */

/**
 * The case's numbers in the file's order, the current one marked. The current one is shown
 * as `case.phone`, the server's current number as delivered (the same text as its `raw`).
 * @param {AgentCase} c
 * @returns {ShownPhone[]}
 */
export function casePhones(c) {
  const phones = c.phones.length ? c.phones : [{ e164: c.phoneE164, raw: c.phone, kind: 'Telefon', status: /** @type {const} */ ('active'), ctiLink: c.ctiLink }];
  return phones.map((p) => {
    const current = p.status === 'active' && p.e164 === c.phoneE164;
    return { ...p, raw: current ? c.phone : p.raw, current };
  });
}

/**
 * The numbers that may be dialled now.
 * @param {AgentCase} c
 */
export const activePhones = (c) => casePhones(c).filter((p) => p.status === 'active');

/**
 * „Gewählte Nummer“: radio buttons for the case's active numbers, the current one checked.
 * With one active number there is nothing to choose: no element, and `value()` is null.
 * @param {AgentCase} c
 * @returns {{ el: HTMLElement | null, value: () => string | null, select: (e164: string) => void }}
 */
export function phoneChoice(c) {
  const active = activePhones(c);
  if (active.length < 2) return { el: null, value: () => null, select: () => {} };
  const radios = active.map((p) => h('input', { type: 'radio', name: 'phone', value: p.e164, checked: p.e164 === c.phoneE164 }));
  // The current number is active by definition; should the two disagree, the first is the default.
  if (radios[0] && !radios.some((r) => r.checked)) radios[0].checked = true;
  const el = h(
    'fieldset',
    { class: 'sub phone-choice' },
    h('legend', {}, 'Gewählte Nummer'),
    active.map((p, i) => h('label', { class: 'check' }, radios[i], h('span', { class: 'phone-kind' }, p.kind), ' ', h('span', { class: 'phone-number' }, p.raw))),
  );
  return {
    el,
    value: () => radios.find((r) => r.checked)?.value ?? null,
    select: (e164) => {
      const radio = radios.find((r) => r.value === e164);
      if (radio) radio.checked = true;
    },
  };
}
