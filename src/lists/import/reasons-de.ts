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
  [/^name is empty$/, 'Name fehlt'],
  [/^duplicate customer number \(first in row (\d+)\)$/, (row) => `Doppelte Kundennummer (zuerst in Zeile ${row})`],
  [/^customer number is open in another active list of this client$/, 'Kundennummer ist in einer anderen aktiven Liste dieses Mandanten offen'],
  [/^row has no customer number, name or phone/, 'Zeile ohne Kundennummer, Name und Telefon (Summen- oder Bemerkungszeile?)'],
  [/^never callable: (.*)$/, (why) => `Nie anrufbar: ${why}`],
];

/** The German text of a rejection reason; an unknown reason is returned as it is. */
export function germanReason(reason: string): string {
  for (const [pattern, text] of REASONS) {
    const m = pattern.exec(reason);
    if (m) return typeof text === 'string' ? text : text(...m.slice(1).map((g) => g ?? ''));
  }
  return reason;
}
