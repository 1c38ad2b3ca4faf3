// The one-value settings of a client: identity, calling rules, the do-not-call numbers.
import { h } from '../dom.js';
import { errorBox, slot } from './field-errors.js';

/** @typedef {import('../types.js').Client} Client */
/** @typedef {import('./field-errors.js').Slots} Slots */
/** @typedef {import('./field-errors.js').Problem} Problem */

let nextId = 0;

/** @type {ReadonlyArray<[string, string]>} `retryStrategy` values and their German names */
const STRATEGIES = [
  ['auto', 'automatisch (gelernt ab 200 Versuchen)'],
  ['learned', 'gelernt (beste Erreichbarkeit)'],
  ['rotation', 'wechselnde Tageszeit'],
];

/** The client's `languageRouting` choices as a lead reads them. */
const ROUTING_LABELS = {
  prefer: 'bevorzugt: zuerst Mitarbeiter mit der Sprache, nach der Wartezeit alle',
  strict: 'nur Mitarbeiter mit der Sprache',
  off: 'aus: alle Mitarbeiter, Sprache nur anzeigen',
};

/**
 * @param {Client} client
 * @param {boolean} [isAdmin] only admins may change where result lists go
 * @returns {{ identity: HTMLElement, rules: HTMLElement, doNotCall: HTMLElement,
 *   read: () => { value: Record<string, unknown>, slots: Slots, problems: Problem[] } }}
 */
export function plainFields(client, isAdmin = false) {
  /** @type {Slots} */
  const slots = new Map();
  /**
   * A labelled control with its hint and error box, registered under `path`.
   * @param {string} path
   * @param {string} text
   * @param {HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement} control
   * @param {string} [hint]
   */
  const labelled = (path, text, control, hint) => {
    control.id = `client-setting-${++nextId}`;
    const hintEl = hint ? h('small', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
    if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
    const box = errorBox();
    slots.set(path, slot(box, text, control));
    return h('div', { class: 'field' }, h('label', { class: 'field-label', for: control.id }, text), control, hintEl, box);
  };
  /** @param {Record<string, unknown>} props */
  const input = (props) => h('input', { type: 'text', autocomplete: 'off', ...props });
  /**
   * @param {number} value
   * @param {number | 'any'} [step]
   */
  const number = (value, step = 1) => h('input', { type: 'number', class: 'short', value: String(value), step: String(step), min: '0' });

  const code = input({ value: client.code, maxLength: 20 });
  const name = input({ value: client.name, maxLength: 200 });
  const active = h('input', { type: 'checkbox', checked: client.active });
  const activeBox = errorBox();
  slots.set('active', slot(activeBox, 'Aktiv', active));
  // Where result lists (customer data) go is for admins to say.
  const resultEmail = input({ type: 'email', value: client.resultEmail ?? '', readOnly: !isAdmin });
  const identity = h(
    'fieldset',
    { class: 'sub' },
    h('legend', {}, 'Mandant'),
    h(
      'div',
      { class: 'row' },
      labelled('code', 'Kürzel', code, 'Buchstaben, Ziffern, _ und -'),
      labelled('name', 'Name', name),
      labelled('resultEmail', 'Ergebnisliste an (E-Mail)', resultEmail, isAdmin ? 'leer: keine E-Mail' : 'ändern nur Administratoren'),
    ),
    h('label', { class: 'check' }, active, ' Aktiv'),
    h('small', { class: 'hint' }, 'Inaktiv: Mitarbeiter erhalten keine Fälle dieses Mandanten (auch keine persönlichen Rückrufe), bis er wieder aktiv ist. Listen können weiter hochgeladen, Ergebnislisten heruntergeladen und versendet werden.'),
    activeBox,
  );

  const timezone = input({ value: client.timezone, list: 'client-settings-zones', spellcheck: 'false' });
  const zones = h('datalist', { id: 'client-settings-zones' }, Intl.supportedValuesOf('timeZone').map((z) => h('option', { value: z })));
  const country = input({ value: client.holidays?.country ?? '', maxLength: 2, class: 'short' });
  const state = input({ value: client.holidays?.state ?? '', maxLength: 3, class: 'short' });
  const maxAttempts = number(client.maxAttempts);
  const maxAttemptsPerDay = number(client.maxAttemptsPerDay);
  // Minutes, not seconds: how leads think of it; seconds stay possible as fractions (0,5).
  const retryMinutes = number(client.retryDelaySeconds / 60, 'any');
  const grace = number(client.personalCallbackGraceMinutes);
  const defaultCountry = input({ value: client.defaultCountry, maxLength: 2, class: 'short' });
  const defaultLanguage = input({ value: client.defaultLanguage, maxLength: 2, class: 'short' });
  const retryStrategy = h(
    'select',
    {},
    STRATEGIES.map(([value, text]) => h('option', { value, selected: client.retryStrategy === value }, text)),
  );
  const learningDays = number(client.learningDays);
  const languageRouting = h(
    'select',
    {},
    Object.entries(ROUTING_LABELS).map(([value, label]) => h('option', { value, selected: client.languageRouting === value }, label)),
  );
  const fallback = number(client.languageFallbackMinutes);
  const rules = h(
    'fieldset',
    { class: 'sub' },
    h('legend', {}, 'Anrufregeln'),
    h(
      'div',
      { class: 'row' },
      labelled('timezone', 'Zeitzone', timezone, 'z. B. Europe/Berlin; Anrufzeiten und Zeitfenster gelten in dieser Zone'),
      labelled('holidays.country', 'Feiertage: Land', country, 'z. B. DE; leer: keine Feiertage beachten'),
      labelled('holidays.state', 'Feiertage: Bundesland/Kanton', state, 'optional, z. B. BW; Kunden in DE und CH haben die Feiertage ihres Wohnorts laut PLZ, diese Angabe gilt nur ohne lesbare PLZ'),
      zones,
    ),
    h(
      'div',
      { class: 'row' },
      labelled('maxAttempts', 'Versuche je Fall', maxAttempts, 'höchstens; danach wird der Fall geschlossen'),
      labelled('maxAttemptsPerDay', 'Versuche je Fall und Tag', maxAttemptsPerDay, 'höchstens; weitere am nächsten Tag'),
      labelled('retryDelaySeconds', 'Wartezeit (Minuten)', retryMinutes, 'bis zum nächsten Versuch, wenn niemand erreicht wurde (außer bei Ergebnissen mit eigenem Abstand)'),
      labelled('personalCallbackGraceMinutes', 'Rückruf-Vorrang (Minuten)', grace, 'so lange gehört ein persönlicher Rückruf nur seinem Mitarbeiter, danach allen'),
    ),
    h(
      'div',
      { class: 'row' },
      labelled('retryStrategy', 'Zeitpunkt nach „nicht erreicht“', retryStrategy, 'gelernt: in das Zeitfenster, in dem dieser Mandant seine Kunden am häufigsten erreicht'),
      labelled('learningDays', 'Lernzeitraum (Tage)', learningDays, 'Anrufversuche so vieler Tage zählen für die Erreichbarkeit'),
    ),
    h(
      'div',
      { class: 'row' },
      labelled('defaultCountry', 'Land für Nummern ohne Vorwahl', defaultCountry, 'z. B. DE'),
      labelled('defaultLanguage', 'Sprache, wenn die Liste keine nennt', defaultLanguage, 'z. B. de'),
    ),
    h(
      'div',
      { class: 'row' },
      labelled('languageRouting', 'Sprachzuteilung', languageRouting, 'wer Fälle in einer Sprache bekommt, die er nicht spricht'),
      labelled('languageFallbackMinutes', 'Sprach-Vorrang (Minuten)', fallback, 'bei „bevorzugt“: so lange warten Fälle auf einen Mitarbeiter mit ihrer Sprache, danach gehen sie an alle'),
    ),
  );
  // A message about the region as a whole (`holidays`) goes under the country.
  const countrySlot = /** @type {import('./field-errors.js').Slot} */ (slots.get('holidays.country'));
  slots.set('holidays', slot(countrySlot.box, 'Feiertage', country, state));

  const doNotCallText = h('textarea', { rows: 6, class: 'mono', spellcheck: 'false' }, client.doNotCall.join('\n'));
  const doNotCall = h(
    'fieldset',
    { class: 'sub' },
    h('legend', {}, 'Sperrliste'),
    labelled('doNotCall', 'Nicht anrufen (eine Nummer je Zeile)', doNotCallText, 'Fälle mit diesen Nummern werden nicht angerufen, auch bereits importierte.'),
  );

  function read() {
    /** @type {Problem[]} */
    const problems = [];
    /**
     * @param {string} path
     * @param {HTMLInputElement} el
     * @param {number} [factor]
     */
    const numberOf = (path, el, factor = 1) => {
      if (el.value.trim() === '') problems.push({ slot: slots.get(path) ?? null, message: 'Bitte eine Zahl angeben.' });
      // Only a unit conversion rounds; a fraction of attempts goes to the server, which says why not.
      return factor === 1 ? Number(el.value) : Math.round(Number(el.value) * factor);
    };
    const holidayCountry = country.value.trim().toUpperCase();
    const holidayState = state.value.trim().toUpperCase();
    if (!holidayCountry && holidayState) problems.push({ slot: slots.get('holidays.country') ?? null, message: 'Bitte auch das Land angeben.' });
    const value = {
      code: code.value.trim(),
      name: name.value.trim(),
      active: active.checked,
      resultEmail: resultEmail.value.trim() || null,
      timezone: timezone.value.trim(),
      holidays: holidayCountry ? { country: holidayCountry, ...(holidayState ? { state: holidayState } : {}) } : null,
      maxAttempts: numberOf('maxAttempts', maxAttempts),
      maxAttemptsPerDay: numberOf('maxAttemptsPerDay', maxAttemptsPerDay),
      retryDelaySeconds: numberOf('retryDelaySeconds', retryMinutes, 60),
      personalCallbackGraceMinutes: numberOf('personalCallbackGraceMinutes', grace),
      retryStrategy: retryStrategy.value,
      learningDays: numberOf('learningDays', learningDays),
      defaultCountry: defaultCountry.value.trim().toUpperCase(),
      defaultLanguage: defaultLanguage.value.trim().toLowerCase(),
      languageRouting: languageRouting.value,
      languageFallbackMinutes: numberOf('languageFallbackMinutes', fallback),
      doNotCall: doNotCallText.value.split('\n').map((l) => l.trim()).filter(Boolean),
    };
    return { value, slots, problems };
  }
  return { identity, rules, doNotCall, read };
}
