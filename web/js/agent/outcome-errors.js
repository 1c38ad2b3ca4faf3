// Why the server refused an outcome, in German: by the `details.cause` of its 400.
import { ApiError, germanError } from '../api.js';

/** @type {Record<string, string>} */
const CAUSES = {
  callback_in_past: 'Der Rückruf liegt in der Vergangenheit. Bitte eine spätere Zeit wählen.',
  callback_too_far: 'Ein Rückruf kann höchstens 12 Monate im Voraus vereinbart werden.',
  outside_calling_hours: 'Die gewählte Zeit liegt außerhalb der Anrufzeiten des Mandanten. Bitte eine andere Zeit wählen.',
  outside_preferred_windows: 'Die vom Kunden genannten Zeitfenster passen nicht zur gewählten Zeit oder nie zu den Anrufzeiten. Bitte eine andere Zeit wählen oder die Zeitfenster des Kunden ändern.',
  holiday: 'An diesem Tag ist ein Feiertag – es wird nicht angerufen. Bitte einen anderen Tag wählen.',
  not_on_requested_date: 'An diesem Datum ist das Zeitfenster nicht möglich: außerhalb der Anrufzeiten (z. B. Sonntag), heute schon vorbei oder zu kurz nach dem Gespräch. Bitte ein anderes Datum wählen oder das Datum leer lassen.',
  no_callable_time: 'In absehbarer Zeit gibt es keine Anrufzeit, die passt. Bitte andere Zeitfenster wählen.',
  unknown_window: 'Dieses Zeitfenster gibt es beim Mandanten nicht mehr. Bitte die Seite neu laden.',
  invalid_date: 'Das Datum ist ungültig.',
  cap_reached: 'Die Höchstzahl der Versuche für diesen Fall ist erreicht.',
  promise_in_past: 'Das Datum der zugesagten Zahlung liegt in der Vergangenheit.',
  promise_too_far: 'Eine Zahlungszusage reicht höchstens 3 Jahre voraus.',
  promise_missing: 'Bitte Betrag und Datum der Zahlungszusage angeben.',
  unknown_outcome: 'Dieses Ergebnis gibt es beim Mandanten nicht mehr. Bitte die Seite neu laden.',
  phone_not_dialable: 'Die gewählte Nummer darf nicht mehr gewählt werden. Bitte die Seite neu laden.',
  right_party_not_reached: '„Richtige Person erreicht“ passt nicht zu einem Ergebnis, bei dem niemand erreicht wurde.',
};

/**
 * The sentence the outcome form shows for a failed save.
 * @param {unknown} err
 */
export function outcomeError(err) {
  if (!(err instanceof ApiError) || err.status !== 400) return germanError(err);
  const cause = typeof err.details === 'object' && err.details !== null ? /** @type {{ cause?: unknown }} */ (err.details).cause : undefined;
  const known = typeof cause === 'string' && Object.hasOwn(CAUSES, cause) ? CAUSES[cause] : undefined;
  // Anything else is a defect of this page or a server it does not know yet: the server's
  // English detail helps the support.
  return known ?? `${germanError(err)} (Technische Angabe: ${err.message})`;
}
