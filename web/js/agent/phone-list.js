// A case's numbers on the agent's screen: the one to dial first, large; every other one with
// its kind and whether it may still be dialled; the choice of the number dialled in the form.
// Every number is shown in its international form (`+41 79 555 12 34`, `international` from the
// server): an agent dialling by hand from a German desk phone must not ring a German number with
// a Swiss mobile's national digits. The number as the list wrote it follows in small print.
import { h } from '../dom.js';

/** @typedef {import('../types.js').AgentCase} AgentCase */
/** @typedef {import('../types.js').CasePhone} CasePhone */
/** @typedef {CasePhone & { current: boolean }} ShownPhone */

/** Why a number may not be dialled, as the card says it. */
const STATUS_LABELS = { wrong: 'falsch', do_not_call: 'gesperrt' };

/**
 * The number as the list gave it, when it reads differently from the international form
 * (`079 555 12 34`); null when it is that form, with or without spaces.
 * @param {string} e164
 * @param {string} raw
 */
export function listedNumber(e164, raw) {
  const text = raw.trim();
  if (!text || text.replace(/[^\d+]/g, '') === e164) return null;
  return text;
}

/**
 * The number large as the agent dials it, the list's writing small after it.
 * @param {string} e164
 * @param {string} raw
 */
const listedSub = (e164, raw) => {
  const listed = listedNumber(e164, raw);
  return listed ? h('span', { class: 'fact-sub phone-listed', title: 'So stand die Nummer in der Liste' }, listed) : null;
};

/**
 * The case's numbers in the file's order, the current one marked. The current one is shown
 * as `case.phone`, the server's current number as delivered (the same text as its `raw`).
 * @param {AgentCase} c
 * @returns {ShownPhone[]}
 */
export function casePhones(c) {
  const phones = c.phones.length
    ? c.phones
    : [{ e164: c.phoneE164, raw: c.phone, international: c.phoneInternational, kind: 'Telefon', status: /** @type {const} */ ('active'), ctiLink: c.ctiLink }];
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
 * The number of a history entry as the case shows it: international, grouped.
 * @param {AgentCase} c
 * @param {string | null} e164
 */
export function dialledText(c, e164) {
  if (!e164) return '–';
  return casePhones(c).find((p) => p.e164 === e164)?.international ?? e164;
}

/**
 * A number's click: it selects the number in the form, and with click-to-dial configured
 * (`dialThrough`) asks the phone system instead of following the `tel:`/`sip:` link.
 * @param {string} e164
 * @param {(e164: string) => void} onDial
 * @param {((e164: string) => void) | undefined} dialThrough
 */
const dialClick = (e164, onDial, dialThrough) => (/** @type {MouseEvent} */ e) => {
  onDial(e164);
  if (!dialThrough) return;
  e.preventDefault();
  dialThrough(e164);
};

/**
 * The phone fact of the case card: the current number large (one number: as it always
 * looked), and with several numbers every other one below it with its kind.
 * @param {AgentCase} c
 * @param {(e164: string) => void} onDial called when a dial link is clicked
 * @param {(e164: string) => void} [dialThrough] dials through the phone system (click-to-dial configured)
 */
export function phoneFact(c, onDial, dialThrough) {
  const phones = casePhones(c);
  const several = phones.length > 1;
  const others = phones.filter((p) => !p.current);
  const kind = phones.find((p) => p.current)?.kind ?? 'Telefon';
  return h(
    'div',
    { class: 'fact fact-phone' },
    h('span', { class: 'fact-label' }, several ? [kind, ' ', h('span', { class: 'badge dial-first' }, 'zuerst wählen')] : 'Telefon'),
    h(
      'a',
      { class: 'phone', href: c.ctiLink, 'data-testid': 'phone', title: dialTitle(c.phoneE164, dialThrough), onclick: dialClick(c.phoneE164, onDial, dialThrough) },
      c.phoneInternational ?? c.phoneE164,
    ),
    listedSub(c.phoneE164, c.phone),
    others.length
      ? h('ul', { class: 'phone-others', 'aria-label': 'Weitere Nummern', 'data-testid': 'other-phones' }, others.map((p) => otherPhone(p, onDial, dialThrough)))
      : null,
  );
}

/**
 * @param {string} e164
 * @param {unknown} dialThrough
 */
const dialTitle = (e164, dialThrough) => (dialThrough ? `Über die Telefonanlage wählen: ${e164}` : `Wählen: ${e164}`);

/**
 * @param {ShownPhone} p
 * @param {(e164: string) => void} onDial
 * @param {((e164: string) => void) | undefined} dialThrough
 */
function otherPhone(p, onDial, dialThrough) {
  const kind = h('span', { class: 'phone-kind' }, p.kind);
  if (p.status === 'active') {
    return h(
      'li',
      { class: 'phone-other' },
      kind,
      h('a', { class: 'phone-alt phone-value', href: p.ctiLink, title: dialTitle(p.e164, dialThrough), onclick: dialClick(p.e164, onDial, dialThrough) }, p.international ?? p.e164),
      listedSub(p.e164, p.raw),
    );
  }
  // Wrong or on the do-not-call list: shown, so the agent knows it, but not dialable.
  return h(
    'li',
    { class: `phone-other phone-${p.status}` },
    kind,
    h(
      'span',
      { class: 'phone-value' },
      h('s', { class: 'phone-struck' }, p.international ?? p.e164),
      ' ',
      h('span', { class: `badge ${p.status === 'wrong' ? 'badge-error' : 'badge-warning'}` }, STATUS_LABELS[p.status]),
    ),
    listedSub(p.e164, p.raw),
  );
}

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
    active.map((p, i) => {
      const listed = listedNumber(p.e164, p.raw);
      return h(
        'label',
        { class: 'check' },
        radios[i],
        h('span', { class: 'phone-kind' }, p.kind),
        ' ',
        h('span', { class: 'phone-number' }, p.international ?? p.e164),
        listed ? [' ', h('span', { class: 'fact-sub phone-listed' }, `(${listed})`)] : null,
      );
    }),
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
