// Whether the right person was reached (the identity check before the debt is discussed), asked
// after every call that reached somebody: a checkbox left unticked read „nein“ in the client's
// result list and was missing from the right-party count of the LE report.
import { h } from '../dom.js';

/** @typedef {'yes' | 'no' | null} Answer */

export function rightPartyChoice() {
  const yes = h('input', { type: 'radio', name: 'rightParty', value: 'yes', 'aria-label': 'Richtige Person erreicht: ja' });
  const no = h('input', { type: 'radio', name: 'rightParty', value: 'no', 'aria-label': 'Richtige Person erreicht: nein' });
  /** The answer given before an outcome that reached nobody took it away: back when one that did is chosen. */
  /** @type {Answer} */
  let before = null;
  const el = h(
    'fieldset',
    { class: 'check-strong right-party' },
    h('legend', {}, 'Richtige Person erreicht (Identität geprüft)?'),
    h('label', { class: 'check' }, yes, ' Ja', h('kbd', {}, 'J')),
    h('label', { class: 'check' }, no, ' Nein, jemand anderes', h('kbd', {}, 'N')),
  );
  /** @returns {Answer} */
  const answer = () => (yes.checked ? 'yes' : no.checked ? 'no' : null);
  /** @param {Answer} a */
  const set = (a) => {
    yes.checked = a === 'yes';
    no.checked = a === 'no';
  };
  return {
    el,
    answer,
    set,
    /** @param {boolean} somebody whether the outcome chosen reached somebody; if not, there is nothing to answer */
    reached(somebody) {
      if (!somebody && !yes.disabled) {
        before = answer();
        set(null);
      } else if (somebody && yes.disabled) set(before);
      yes.disabled = no.disabled = !somebody;
    },
    /**
     * The keys J and N answer (outside text fields); true when the key was one of them.
     * @param {string} key
     */
    key(key) {
      if (yes.disabled || !/^[jn]$/i.test(key)) return false;
      set(key.toLowerCase() === 'j' ? 'yes' : 'no');
      return true;
    },
  };
}
