// The server's validation messages for a client's settings (English, exact: they name times,
// days and codes) in German, for the lead. The patterns follow src/scheduling/settings.ts,
// src/clients/clients.schemas.ts and src/clients/clients.service.ts; test/settings-messages.test.ts checks that each message those
// produce is translated. One not known here is shown as the server wrote it.

const EFFECTS = /** @type {Record<string, string>} */ ({ close: 'abschließen', retry: 'erneut versuchen', callback: 'Rückruf', wrong_number: 'falsche Nummer' });
/** @param {string} e */
const effect = (e) => `„${EFFECTS[e] ?? e}“`;
const UNITS = /** @type {Record<string, string>} */ ({ attempts: 'Versuchen', seconds: 'Sekunden', minutes: 'Minuten', days: 'Tagen' });

/** @type {Array<[RegExp, (m: RegExpExecArray) => string]>} */
const PATTERNS = [
  [/^end (\S+) lies outside every calling-hours interval$/, (m) => `Das Ende ${m[1]} liegt außerhalb aller Anrufzeiten.`],
  [/^start (\S+) lies outside every calling-hours interval$/, (m) => `Der Beginn ${m[1]} liegt außerhalb aller Anrufzeiten.`],
  [/^(\S+) lies outside the calling hours of every day$/, (m) => `${m[1]} liegt an keinem Tag innerhalb der Anrufzeiten.`],
  [/^(\S+) does not fit inside one calling-hours interval on any day$/, (m) => `${m[1]} passt an keinem Tag in einen zusammenhängenden Anrufzeitraum.`],
  [/^"(.*)" is not a time of day; use HH:MM from 00:00 to 24:00$/, (m) => `„${m[1]}“ ist keine Uhrzeit; bitte HH:MM zwischen 00:00 und 24:00.`],
  [/^start (\S+) is not before end (\S+); an interval cannot cross midnight/, (m) => `Der Beginn ${m[1]} liegt nicht vor dem Ende ${m[2]}; ein Zeitraum geht nicht über Mitternacht (24:00 ist das Tagesende).`],
  [/^(\S+) is not after (\S+); a window cannot cross midnight$/, (m) => `${m[1]} liegt nicht nach ${m[2]}; ein Zeitfenster geht nicht über Mitternacht.`],
  [/^(\S+) overlaps (\S+); merge them$/, (m) => `${m[1]} überschneidet sich mit ${m[2]}; bitte zu einem Zeitraum zusammenfassen.`],
  [/^unknown day (.+); days are /, (m) => `Unbekannter Tag ${m[1]}.`],
  [/^no day has calling hours, so no case could ever be called$/, () => 'An keinem Tag gibt es Anrufzeiten – kein Fall könnte je angerufen werden.'],
  [/^at least one window is needed$/, () => 'Mindestens ein Zeitfenster ist nötig.'],
  [/^at most 12 intervals per day$/, () => 'Höchstens 12 Zeiträume je Tag.'],
  [/^at least one outcome is needed$/, () => 'Mindestens ein Ergebnis ist nötig.'],
  [/^at most 50 outcomes$/, () => 'Höchstens 50 Ergebnisse.'],
  [/^at most 24 windows$/, () => 'Höchstens 24 Zeitfenster.'],
  [/^window name "(.*)" may only hold letters, digits, _ and - \(at most 40\)$/, (m) => `Der Name „${m[1]}“ darf nur Buchstaben, Ziffern, _ und - enthalten (höchstens 40 Zeichen).`],
  [/^"(.*)" is not an IANA time zone/, (m) => `„${m[1]}“ ist keine Zeitzone (z. B. „Europe/Berlin“ oder „Europe/Zurich“).`],
  [/^must be an upper-case ISO 3166 country code/, () => 'Bitte ein Länderkürzel in Großbuchstaben, z. B. „DE“.'],
  [/^must be an upper-case state code/, () => 'Bitte ein Bundesland-Kürzel in Großbuchstaben, z. B. „BW“.'],
  [/^no public-holiday calendar for country "(.*)"$/, (m) => `Für das Land „${m[1]}“ gibt es keinen Feiertagskalender.`],
  [/^"(.*)" is not a state of (\S+); known: (.+)$/, (m) => `„${m[1]}“ ist kein Bundesland/Kanton von ${m[2]}; bekannt: ${m[3]}.`],
  [/^(\S+) has no states in the holiday calendar; leave "state" out$/, (m) => `${m[1]} hat keine Bundesländer im Feiertagskalender; bitte leer lassen.`],
  [/^must be a whole number of (\w+) from (\d+) to (\d+)$/, (m) => `Bitte eine ganze Zahl von ${m[2]} bis ${m[3]} ${UNITS[m[1] ?? ''] ?? m[1]}.`],
  [/^must be a lower-case ISO 639-1 language code/, () => 'Bitte ein Sprachkürzel in Kleinbuchstaben, z. B. „de“.'],
  [/^"(.*)" is used twice/, (m) => `Der Code „${m[1]}“ kommt doppelt vor.`],
  [/^"(.*)" is reserved for the system$/, (m) => `Der Code „${m[1]}“ ist für das System reserviert.`],
  [/^at least one outcome with effect "(\w+)" is needed/, (m) => `Mindestens ein Ergebnis mit der Wirkung ${effect(m[1] ?? '')} ist nötig.`],
  [/^must be lower-case letters, digits and _/, () => 'Nur Kleinbuchstaben, Ziffern und _ (mit einem Buchstaben beginnend, höchstens 40), z. B. „promise_to_pay“.'],
  [/^must not be empty$/, () => 'Darf nicht leer sein.'],
  [/^at most (\d+) characters$/, (m) => `Höchstens ${m[1]} Zeichen.`],
  [/^must be "close", "retry", "callback" or "wrong_number"$/, () => 'Bitte eine der Wirkungen wählen.'],
  [/^at least 300 seconds \(5 minutes\)$/, () => 'Mindestens 5 Minuten.'],
  [/^at most 604800 seconds \(7 days\)$/, () => 'Höchstens 7 Tage (10080 Minuten).'],
  [/^must be (a number of|whole) seconds$/, () => 'Bitte eine ganze Zahl von Minuten.'],
  [/^only an outcome with effect "retry" has its own delay/, () => 'Einen eigenen Abstand hat nur ein Ergebnis mit der Wirkung „später erneut versuchen“.'],
  [/^must be "auto", "rotation" or "learned"$/, () => 'Bitte eine der Strategien wählen.'],
  [/^must be "prefer", "strict" or "off"$/, () => 'Bitte eine der Einstellungen wählen.'],
  [/^letters, digits, _ and - only$/, () => 'Nur Buchstaben, Ziffern, _ und -.'],
  [/^must be an e-mail address$/, () => 'Bitte eine gültige E-Mail-Adresse.'],
  // src/clients/clients.service.ts, the do-not-call list: up to five of the numbers refused, by ", ".
  [/^not a valid phone number: (.+)$/s, (m) => `${(m[1] ?? '').includes(', ') ? 'Keine gültigen Telefonnummern' : 'Keine gültige Telefonnummer'}: ${m[1]}`],
  [/^Too (small|big)/, () => 'Der Wert liegt außerhalb des erlaubten Bereichs.'],
  [/^Invalid /, () => 'Ungültiger Wert.'],
];

/**
 * A server message in German, or the message itself where none is known.
 * @param {string} message
 */
export function germanSettingsMessage(message) {
  for (const [pattern, german] of PATTERNS) {
    const m = pattern.exec(message);
    if (m) return german(m);
  }
  return message;
}
