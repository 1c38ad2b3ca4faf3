/**
 * Rejection reasons are English in the API (`reason`, stable for API clients); team leads and
 * the client's result list read German. Unknown reasons stay as they are.
 */
const REASONS: Array<[RegExp, string | ((...groups: string[]) => string)]> = [
  [/^phone number is empty$/, 'Telefonnummer fehlt'],
  [/^phone number too short$/, 'Telefonnummer zu kurz'],
  [/^phone number too long$/, 'Telefonnummer zu lang'],
  [/^not a phone number \(contains text\)$/, 'Keine Telefonnummer (enthält Text)'],
  [/^not a phone number \(no digits\)$/, 'Keine Telefonnummer (keine Ziffern)'],
  [/^not a phone number$/, 'Keine Telefonnummer (Zahl mit Nachkommastellen)'],
  [/^not a valid phone number for (\w+)$/, (r) => `Keine gültige Telefonnummer für ${r}`],
  [/^not a valid phone number$/, 'Keine gültige Telefonnummer'],
  [/^amount is empty$/, 'Betrag fehlt'],
  [/^amount is zero$/, 'Betrag ist null'],
  [/^amount is negative/, 'Betrag ist negativ (Guthaben, keine Forderung)'],
  [/^amount too large$/, 'Betrag zu groß'],
  [/^amount above 1,000,000,000\.00/, 'Betrag über 1.000.000.000,00 (falsche Spalte?)'],
  [/^not an amount \(digits separated by spaces\)$/, 'Kein Betrag (Ziffern durch Leerzeichen getrennt)'],
  [/^not an amount|^not a number$/, 'Kein Betrag (erwartet z. B. 1.234,56 oder 1234.56)'],
  [/^unclear number format/, 'Unklares Zahlenformat (erwartet z. B. 1.234,56 oder 1234.56)'],
  [/^two different currencies in one amount$/, 'Zwei verschiedene Währungen in einem Betrag'],
  [/^unknown currency/, 'Unbekannte Währung (erwartet z. B. EUR oder CHF)'],
  [/^amount is in (\w+) but the currency column says (\w+)$/, (a, b) => `Betrag in ${a}, Währungsspalte sagt ${b}`],
  [/^customer number is empty$/, 'Kundennummer fehlt'],
  [/^customer number longer than (\d+) characters$/, (n) => `Kundennummer länger als ${n} Zeichen`],
  [/^name is empty$/, 'Name fehlt'],
  [/^name longer than (\d+) characters$/, (n) => `Name länger als ${n} Zeichen`],
  [/^country unclear: the town is not in the Swiss directory/, 'Land unklar: Ort passt nicht zur Schweizer PLZ, und die Nummer gilt in der Schweiz wie in Österreich – bitte Land angeben oder Nummer mit +41/+43 schreiben'],
  [/^formula without a saved result, or with a result of 0 or empty/, 'Formel ohne Ergebnis oder mit Ergebnis 0: Betrag als Wert statt als Formel eintragen'],
  [/^formula without a saved result/, 'Formel ohne gespeichertes Ergebnis: Datei in Excel öffnen, speichern und erneut hochladen'],
  [/^duplicate customer number \(first in row (\d+)\)$/, (row) => `Doppelte Kundennummer (zuerst in Zeile ${row})`],
  [/^customer number is open in another active list of this client$/, 'Kundennummer ist in einer anderen offenen (laufenden oder pausierten) Liste dieses Mandanten offen'],
  [/^row has no customer number, name or phone/, 'Zeile ohne Kundennummer, Name und Telefon (Summen- oder Bemerkungszeile?)'],
  [/^never callable: (.*)$/, (why) => `Nie anrufbar: ${neverCallable(why)}`],
];

/**
 * The scheduler's explanation of a case that can never be called (`explanation` of `never(…)`
 * in src/scheduling, which itself starts with "Never callable: "), in German.
 */
const NEVER: Array<[RegExp, (...groups: string[]) => string]> = [
  [/^(.+) never lies inside the calling hours$/, (what) => `${requested(what)} liegt nie in den Anrufzeiten`],
  [/^the customer's preferred windows never overlap the calling hours$/, () => 'die Wunschzeiten des Kunden liegen nie in den Anrufzeiten'],
  [/^the customer's preferred windows never overlap (.+) within the calling hours$/, (what) => `die Wunschzeiten des Kunden treffen ${requested(what)} nie in den Anrufzeiten`],
  [/^no callable time within (\d+) days/, (days) => `keine erlaubte Anrufzeit in den nächsten ${days} Tagen (Feiertage und die Höchstzahl Versuche pro Tag lassen keine übrig)`],
  [/^all (\d+) attempts are used/i, (n) => `alle ${n} Versuche sind verbraucht`],
];

function neverCallable(explanation: string): string {
  const why = explanation.replace(/^never callable[:.]?\s*/i, '').replace(/\.$/, '');
  for (const [pattern, text] of NEVER) {
    const m = pattern.exec(why);
    if (m) return text(...m.slice(1).map((g) => g ?? ''));
  }
  return 'keine erlaubte Anrufzeit';
}

/** `the requested time` or `window "evening" (17:00–20:00)`. */
function requested(what: string): string {
  const window = /^window "(.+)" \((.+)\)$/.exec(what);
  if (window) return `das Zeitfenster „${window[1]}“ (${window[2]})`;
  return what === 'the requested time' ? 'die gewünschte Zeit' : what;
}

/** The German text of a rejection reason; an unknown reason is returned as it is. */
export function germanReason(reason: string): string {
  for (const [pattern, text] of REASONS) {
    const m = pattern.exec(reason);
    if (m) return typeof text === 'string' ? text : text(...m.slice(1).map((g) => g ?? ''));
  }
  return reason;
}
