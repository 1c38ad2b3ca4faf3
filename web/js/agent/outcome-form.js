// What happened on the call: outcome, callback time or payment promise, right party, note.
import { field, h, replace, notice } from '../dom.js';
import { formatAmountInput, parseGermanAmount, todayIso, windowLabel, windowsByStart, zonedToIsoWithOffset } from '../format.js';
import { activePhones, phoneChoice } from './phone-list.js';
import { preferredWindowsEditor } from './preferred-windows.js';
import { rightPartyChoice } from './right-party.js';

/** @typedef {import('../types.js').AgentCase} AgentCase */
/** @typedef {import('../types.js').Outcome} Outcome */

const NOTE_MAX = 2000;

/** @param {Outcome} o whether it says nobody was reached: no identity check to answer */
const reachedNobody = (o) => o.effect === 'retry' || o.effect === 'wrong_number';

/** What "Falsche Nummer" does to the case, with another number left and without. */
const WRONG_NUMBER_NEXT = 'Die Nummer wird als falsch markiert; der Fall kommt mit der nächsten Nummer wieder.';
const WRONG_NUMBER_LAST = 'Keine weitere Nummer – der Fall wird abgeschlossen.';

/** The attempt cap is reached with this attempt: whatever does not close the case closes it as max_attempts. */
const LAST_TRY = 'Letzter Versuch: Der Fall wird nach diesem Ergebnis abgeschlossen (Höchstzahl der Versuche erreicht). Es folgt kein weiterer Anruf – auch kein Rückruf. Bitte dem Kunden keinen Rückruf zusagen.';
const LAST_TRY_SAVED = 'letzter Versuch, Fall abgeschlossen';

/** How far ahead the server takes a callback (months) and a promised payment (years). */
const CALLBACK_MONTHS = 12;
const PROMISE_YEARS = 3;
const TOO_FAR = `Ein Rückruf kann höchstens ${CALLBACK_MONTHS} Monate im Voraus vereinbart werden.`;

/**
 * The least time between the call and a window callback without a date: the server's
 * CALLBACK_MIN_GAP_MS (src/scheduling/callback.ts), or the client's retry delay when that is
 * shorter (the form does not know it).
 */
export const CALLBACK_GAP_MINUTES = 30;
const WINDOW_DATE_HINT = `leer = nächstes passendes Zeitfenster, frühestens ${CALLBACK_GAP_MINUTES} Minuten nach dem Gespräch – oder nach der Wartezeit bis zum nächsten Versuch, falls diese kürzer ist`;
const NO_WINDOW = 'Bitte ein Zeitfenster für den Rückruf wählen.';


/**
 * What the agent entered, kept so a lost lock, an ended session or a reload loses none of it.
 * @typedef {{ code: string | null, note: string, rightParty: 'yes' | 'no' | null | boolean, phone: string | null,
 *   exact: boolean, window: string, windowDate: string, at: string, onlyMe: boolean,
 *   amount: string, promiseDate: string, preferredWindows: import('../types.js').PreferredWindow[] | null }} Draft
 */

/**
 * @param {AgentCase} c
 * @param {{ submit: (body: Record<string, unknown>, label: string) => Promise<void>, release: () => Promise<void> }} actions
 */
export function outcomeForm(c, actions) {
  /** @type {Outcome | null} */
  let chosen = null;
  const errorBox = h('div', { class: 'form-error', 'aria-live': 'assertive' });
  const extras = h('div', { class: 'outcome-extras' });
  // With several numbers the agent says which one was dialled ("Falsche Nummer" marks that one).
  const phone = phoneChoice(c);
  const wrongNumberHint = activePhones(c).length > 1 ? notice('info', WRONG_NUMBER_NEXT) : notice('warning', WRONG_NUMBER_LAST);
  const lastTry = c.attemptNo >= c.maxAttempts;
  const lastTryHint = h('div', { 'data-testid': 'last-try' }, notice('warning', LAST_TRY));
  /** @param {Outcome} o the case stays open after it, unless this is the last attempt */
  const keepsOpen = (o) => o.effect !== 'close' && !(o.effect === 'wrong_number' && activePhones(c).length <= 1);
  /**
   * @param {Outcome} o the server closes the case as max_attempts after it: the cap wins over
   *   "Falsche Nummer" with another number left (src/dispatch/outcome-decision.ts)
   */
  const closesAtCap = (o) => lastTry && keepsOpen(o);

  const buttons = c.outcomes.map((o, i) =>
    h(
      'button',
      {
        type: 'button',
        class: `outcome outcome-${o.effect}`,
        'aria-pressed': 'false',
        dataset: { code: o.code },
        onclick: () => choose(o),
        title: i < 9 ? `Taste ${i + 1}` : undefined,
      },
      i < 9 ? h('kbd', {}, String(i + 1)) : null,
      h('span', {}, o.label),
    ),
  );

  // Callback: a named window (optionally on a date) or an exact time; personal or for anyone.
  // No window is preselected: a key pressed and Ctrl+Enter would book one the customer never named.
  const windowNames = windowsByStart(c.windows);
  const windowError = h('small', { class: 'field-error', id: 'callback-window-error', role: 'alert', hidden: true });
  const windowSelect = h(
    'select',
    { name: 'window', id: 'callback-window', onchange: () => windowProblem(null) },
    h('option', { value: '' }, '– Zeitfenster wählen –'),
    windowNames.map((n) => h('option', { value: n }, windowLabel(n, c.windows[n]))),
  );
  /** @param {string | null} message why the window cannot be taken, next to it; null clears it */
  const windowProblem = (message) => {
    replace(windowError, message);
    windowError.hidden = !message;
    if (message) {
      windowSelect.setAttribute('aria-invalid', 'true');
      windowSelect.setAttribute('aria-describedby', windowError.id);
    } else {
      windowSelect.removeAttribute('aria-invalid');
      windowSelect.removeAttribute('aria-describedby');
    }
  };
  const windowDate = h('input', { type: 'date', name: 'windowDate', min: todayIso() });
  const exactAt = h('input', { type: 'datetime-local', name: 'at' });
  const modeWindow = h('input', { type: 'radio', name: 'cbmode', value: 'window', checked: true, onchange: () => syncMode() });
  const modeExact = h('input', { type: 'radio', name: 'cbmode', value: 'exact', onchange: () => syncMode() });
  const onlyMe = h('input', { type: 'checkbox', name: 'onlyMe' });
  // Not `field()`: the message is no part of the select's name, it describes it.
  const windowField = h('div', { class: 'field' }, h('label', { class: 'field-label', for: windowSelect.id }, 'Zeitfenster'), windowSelect, windowError);
  const windowFields = h('div', { class: 'row' }, windowField, field('Datum (optional)', windowDate, WINDOW_DATE_HINT));
  const exactFields = h('div', { class: 'row', hidden: true }, field('Datum und Uhrzeit', exactAt, `Ortszeit des Mandanten (${c.timezone})`));
  const syncMode = () => {
    windowFields.hidden = !modeWindow.checked;
    exactFields.hidden = !modeExact.checked;
    windowProblem(null);
  };
  const callbackBox = h(
    'fieldset',
    { class: 'sub' },
    h('legend', {}, 'Rückruf'),
    h('div', { class: 'segmented' }, h('label', {}, modeWindow, ' Zeitfenster'), h('label', {}, modeExact, ' Genaue Uhrzeit')),
    windowFields,
    exactFields,
    h('label', { class: 'check' }, onlyMe, ' Nur für mich (persönlicher Rückruf)'),
  );

  // Promise to pay: amount in German notation and the date.
  const amount = h('input', { type: 'text', inputmode: 'decimal', name: 'amount', value: formatAmountInput(c.amountCents, c.currency), autocomplete: 'off' });
  const promiseDate = h('input', { type: 'date', name: 'promiseDate', min: todayIso() });
  const promiseBox = h(
    'fieldset',
    { class: 'sub' },
    h('legend', {}, 'Zahlungszusage'),
    h('div', { class: 'row' }, field(`Betrag in ${c.currency === 'EUR' ? '€' : c.currency}`, amount, 'z. B. 1.234,56'), field('Zahlung bis', promiseDate)),
  );

  const rightParty = rightPartyChoice();
  const note = h('textarea', { name: 'note', rows: 3, maxLength: NOTE_MAX, placeholder: 'Was wurde besprochen?' });
  const counter = h('small', { class: 'hint counter' }, `0 / ${NOTE_MAX}`);
  note.addEventListener('input', () => replace(counter, `${note.value.length} / ${NOTE_MAX}`));
  const windowsEditor = preferredWindowsEditor(c.preferredWindows, () => changed());

  const save = h('button', { type: 'submit', class: 'btn btn-primary btn-large', disabled: true }, 'Ergebnis speichern');
  const giveBack = h('button', { type: 'button', class: 'btn btn-secondary', onclick: () => giveBackAsked() }, 'Zurückgeben');
  /** Giving back discards what was entered: asked first when there is something. */
  const giveBackAsked = () => {
    if (busy) return;
    if ((chosen || note.value.trim()) && !confirm('Der Fall wird ohne Ergebnis zurückgegeben; Ihre Eingaben gehen verloren. Trotzdem zurückgeben?')) return;
    void run(actions.release);
  };
  /** @type {Array<() => void>} */
  const changeListeners = [];
  const changed = () => changeListeners.forEach((f) => f());

  /** A save or release is on its way: nothing may change or send the form meanwhile. */
  let busy = false;

  /** @param {Outcome} o */
  function choose(o) {
    if (busy) return;
    chosen = o;
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.code === o.code));
    replace(
      extras,
      closesAtCap(o) ? lastTryHint : null,
      o.effect === 'callback' ? callbackBox : o.code === 'promise_to_pay' ? promiseBox : o.effect === 'wrong_number' && !closesAtCap(o) ? wrongNumberHint : null,
    );
    // Nobody reached ("nicht erreicht", "falsche Nummer"): no identity check to record. An answer
    // given is kept aside and comes back if the agent chooses an outcome with somebody on the line.
    rightParty.reached(!reachedNobody(o));
    save.disabled = false;
    replace(errorBox);
    windowProblem(null);
    changed();
  }

  /** @returns {Record<string, unknown> | string} the request body, or what is missing (German) */
  function body() {
    if (!chosen) return 'Bitte zuerst ein Ergebnis wählen.';
    const answer = rightParty.answer();
    if (answer === null && !reachedNobody(chosen)) return 'Bitte angeben, ob die richtige Person erreicht wurde (Ja oder Nein).';
    /** @type {Record<string, unknown>} */
    const b = { outcome: chosen.code, rightParty: answer === 'yes' };
    if (note.value.trim()) b.note = note.value.trim();
    const dialled = phone.value();
    if (dialled) b.phone = dialled;
    if (chosen.effect === 'callback') {
      const owner = onlyMe.checked ? 'me' : 'anyone';
      if (modeExact.checked) {
        const at = zonedToIsoWithOffset(exactAt.value, c.timezone);
        if (!at) return 'Bitte Datum und Uhrzeit des Rückrufs angeben.';
        if (new Date(at).getTime() <= Date.now()) return 'Der Rückruf muss in der Zukunft liegen.';
        if (at.slice(0, 10) > isoAhead(CALLBACK_MONTHS, 0)) return TOO_FAR;
        b.callback = { at, owner };
      } else {
        if (!windowSelect.value) return NO_WINDOW;
        if (windowDate.value && windowDate.value < todayIso()) return 'Das Datum des Rückrufs liegt in der Vergangenheit.';
        if (windowDate.value > isoAhead(CALLBACK_MONTHS, 0)) return TOO_FAR;
        b.callback = { window: windowSelect.value, ...(windowDate.value ? { date: windowDate.value } : {}), owner };
      }
    }
    if (chosen.code === 'promise_to_pay') {
      const cents = parseGermanAmount(amount.value, c.currency);
      if (cents === null) return `Bitte einen gültigen Betrag in ${c.currency === 'EUR' ? '€' : c.currency} eingeben, z. B. ${c.currency === 'CHF' ? "1'234.50 oder " : ''}1.234,56.`;
      if (!promiseDate.value) return 'Bitte das Datum der zugesagten Zahlung angeben.';
      if (promiseDate.value < todayIso()) return 'Das Datum der zugesagten Zahlung liegt in der Vergangenheit.';
      if (promiseDate.value > isoAhead(0, PROMISE_YEARS)) return `Eine Zahlungszusage reicht höchstens ${PROMISE_YEARS} Jahre voraus.`;
      b.promise = { amountCents: cents, date: promiseDate.value };
    }
    if (windowsEditor.dirty()) {
      const pw = windowsEditor.value();
      if (typeof pw === 'string') return pw;
      b.preferredWindows = pw;
    }
    return b;
  }

  /** @param {() => Promise<void>} action */
  async function run(action) {
    if (busy) return; // Ctrl+Enter submits even with the button disabled
    busy = true;
    save.disabled = true;
    giveBack.disabled = true;
    try {
      await action();
    } catch (err) {
      // What the agent entered stays in the form; they can send it again.
      replace(errorBox, notice('error', err instanceof Error ? err.message : String(err)));
      save.disabled = !chosen;
      giveBack.disabled = false;
    } finally {
      busy = false;
    }
  }

  const el = h(
    'form',
    {
      class: 'card outcome-form',
      'aria-label': 'Ergebnis erfassen',
      novalidate: true,
      oninput: changed,
      onchange: changed,
      // Enter in a field would submit the form before the rest is filled in: only the button
      // and Ctrl+Enter save.
      onkeydown: (/** @type {KeyboardEvent} */ e) => {
        const target = /** @type {HTMLElement} */ (e.target);
        if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && target instanceof HTMLInputElement) e.preventDefault();
      },
      onsubmit: (/** @type {SubmitEvent} */ e) => {
        e.preventDefault();
        windowProblem(null);
        const b = body();
        if (b === NO_WINDOW) {
          // Said next to the select, which gets the focus: the error box down here stays empty.
          replace(errorBox);
          windowProblem(b);
          windowSelect.focus();
        } else if (typeof b === 'string') replace(errorBox, notice('error', b));
        else if (chosen) {
          const label = closesAtCap(chosen) ? `${chosen.label} (${LAST_TRY_SAVED})` : chosen.label;
          void run(() => actions.submit(b, label));
        }
      },
    },
    h('h2', {}, 'Ergebnis erfassen'),
    phone.el,
    h('div', { class: 'outcomes', role: 'group', 'aria-label': 'Ergebnis' }, buttons),
    extras,
    rightParty.el,
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Notiz'), note, counter),
    windowsEditor.el,
    errorBox,
    h('div', { class: 'actions' }, save, giveBack),
  );

  /**
   * Keyboard: 1–9 choose an outcome, J/N answer „Richtige Person“ (outside text fields), Ctrl+Enter saves.
   * @param {KeyboardEvent} e
   */
  function onKey(e) {
    const target = /** @type {HTMLElement | null} */ (e.target);
    const typing = target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && !(target instanceof HTMLInputElement && /^(checkbox|radio)$/.test(target.type));
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      el.requestSubmit();
    } else if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey && /^[1-9]$/.test(e.key)) {
      const o = c.outcomes[Number(e.key) - 1];
      if (o) {
        choose(o);
        buttons[Number(e.key) - 1]?.focus();
      }
    } else if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey && !busy && rightParty.key(e.key)) changed();
  }
  /**
   * A number's dial link on the card was clicked: that is the number dialled.
   * @param {string} e164
   */
  const selectPhone = (e164) => {
    if (busy) return;
    phone.select(e164);
    changed();
  };

  /** @returns {Draft} */
  const draft = () => ({
    code: chosen?.code ?? null,
    note: note.value,
    rightParty: rightParty.answer(),
    phone: phone.value(),
    exact: modeExact.checked,
    window: windowSelect.value,
    windowDate: windowDate.value,
    at: exactAt.value,
    onlyMe: onlyMe.checked,
    amount: amount.value,
    promiseDate: promiseDate.value,
    preferredWindows: windowsEditor.dirty() ? windowsEditor.rows() : null,
  });
  /** @param {Partial<Draft>} d a draft kept earlier (fields it lacks stay as they are) */
  const restore = (d) => {
    if (typeof d.note === 'string') {
      note.value = d.note;
      replace(counter, `${note.value.length} / ${NOTE_MAX}`);
    }
    // A draft of the checkbox's days: a tick is a yes, no tick no answer.
    if (typeof d.rightParty === 'boolean') rightParty.set(d.rightParty ? 'yes' : null);
    else if (d.rightParty === 'yes' || d.rightParty === 'no') rightParty.set(d.rightParty);
    if (typeof d.phone === 'string') phone.select(d.phone);
    if (typeof d.exact === 'boolean') (d.exact ? modeExact : modeWindow).checked = true;
    if (typeof d.window === 'string' && windowNames.includes(d.window)) windowSelect.value = d.window;
    if (typeof d.windowDate === 'string') windowDate.value = d.windowDate;
    if (typeof d.at === 'string') exactAt.value = d.at;
    if (typeof d.onlyMe === 'boolean') onlyMe.checked = d.onlyMe;
    if (typeof d.amount === 'string') amount.value = d.amount;
    if (typeof d.promiseDate === 'string') promiseDate.value = d.promiseDate;
    if (Array.isArray(d.preferredWindows)) {
      windowsEditor.restore(d.preferredWindows.filter((w) => Array.isArray(w?.days) && typeof w.from === 'string' && typeof w.to === 'string'));
    }
    syncMode();
    const o = c.outcomes.find((x) => x.code === d.code);
    if (o) choose(o);
  };
  /** @param {() => void} f called whenever what was entered changes */
  const onChange = (f) => void changeListeners.push(f);
  return { el, onKey, selectPhone, draft, restore, onChange };
}

/**
 * The calendar day `months` and `years` from today, as `YYYY-MM-DD` (this computer's day).
 * @param {number} months
 * @param {number} years
 */
function isoAhead(months, years) {
  const [y, m, d] = todayIso().split('-').map(Number);
  const day = new Date(Date.UTC(y + years, m - 1 + months, d));
  return day.toISOString().slice(0, 10);
}
