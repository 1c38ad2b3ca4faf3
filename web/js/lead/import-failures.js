// Why a list was not imported, in German, by the server's code: the upload's refusals and the
// failures of an import that ran in the background. The server's English detail (it names
// columns, sheets and limits exactly) follows in brackets where shown.

/** @type {Record<string, string>} */
export const IMPORT_FAILURES = {
  not_spreadsheet: 'Die Datei ist keine Tabelle. Bitte eine .xlsx- oder .csv-Datei hochladen.',
  xls_format: 'Das alte Excel-Format (.xls) wird nicht gelesen. Bitte in Excel als .xlsx speichern und erneut hochladen.',
  password_protected: 'Die Datei ist mit einem Kennwort geschützt. Bitte ohne Kennwort speichern und erneut hochladen.',
  corrupt: 'Die Datei ist beschädigt. Bitte in Excel öffnen, neu speichern und erneut hochladen.',
  too_large: 'Die Datei ist zu groß.',
  too_many_rows: 'Die Liste hat zu viele Zeilen. Bitte auf mehrere Dateien aufteilen.',
  zip_bomb: 'Die Datei entpackt sich zu einer unzulässigen Größe und wird nicht gelesen.',
  no_header: 'Keine Kopfzeile gefunden (z. B. „Kundennummer“, „Name“, „Telefon“, „Betrag“).',
  missing_columns: 'Es fehlen Pflichtspalten (Kundennummer, Name, Telefon, Betrag).',
  unclear_amount: 'Unklar, welche Spalte den offenen Betrag enthält. Bitte die Spalte mit dem offenen Betrag in „Offener Betrag“ umbenennen und erneut hochladen.',
  no_data: 'Unter der Kopfzeile stehen keine Daten.',
  none_accepted: 'Keine Zeile konnte übernommen werden; die Gründe stehen im Importbericht.',
  several_lists: 'Mehrere Blätter enthalten Listen mit verschiedenen Kunden. Bitte je Liste eine Datei hochladen (oder alles auf ein Blatt).',
  file_missing: 'Die hochgeladene Datei ist nicht mehr vorhanden. Bitte die Liste erneut hochladen.',
  interrupted: 'Der Import wurde unterbrochen und die Datei ist nicht mehr vorhanden. Bitte die Liste erneut hochladen.',
  stalled: 'Der Import brach mehrmals ab (Datei zu groß oder beschädigt?). Bitte die Datei prüfen und erneut hochladen.',
  internal: 'Interner Fehler beim Import. Bitte die Liste später erneut hochladen oder den Support informieren.',
};

/**
 * A failed list's reason for the lead: the German text of its code, else (a list failed before
 * codes were kept) a general one; the server's detail in brackets.
 * @param {{ error: string | null, errorCode: string | null }} list
 */
export function importFailureText(list) {
  const german = list.errorCode && Object.hasOwn(IMPORT_FAILURES, list.errorCode) ? IMPORT_FAILURES[list.errorCode] : 'Bitte die Datei prüfen und erneut hochladen.';
  return `Es wurde nichts importiert. ${german}${list.error ? ` (Details: ${list.error})` : ''}`;
}

/** The list's fields by the keys the server's details use (src/lists/import/headers.ts), in German. */
const FIELD_NAMES = /** @type {Record<string, string>} */ ({
  customerNo: 'Kundennummer', name: 'Name', phone: 'Telefon', amount: 'Betrag', firstName: 'Vorname', lastName: 'Nachname',
  address: 'Adresse', street: 'Straße', houseNo: 'Hausnummer', postalCode: 'PLZ', city: 'Ort', postalCity: 'PLZ und Ort',
  country: 'Land', currency: 'Währung', language: 'Sprache',
});

/** @param {string[]} items */
const quoted = (items) => items.map((i) => `„${i}“`);
/** @param {string[]} items "a, b und c" */
const listed = (items) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} und ${items.at(-1)}`);

/**
 * The refusal of a list without a required column, from the server's details: which columns
 * are missing, names accepted for them, and what the header row has. Null when the details
 * lack what is needed (the general text is shown then).
 * @param {unknown} details `{ headerRow, missing: string[], found: string[], accepted: Record<string, string[]> }`
 * @returns {string | null}
 */
export function missingColumnsText(details) {
  const d = /** @type {{ headerRow?: unknown, missing?: unknown, found?: unknown, accepted?: Record<string, unknown> } | null} */ (details && typeof details === 'object' ? details : null);
  if (!d || !Array.isArray(d.missing) || d.missing.length === 0 || !Array.isArray(d.found)) return null;
  const missing = d.missing.map(String);
  const names = missing.map((f) => FIELD_NAMES[f] ?? f);
  const what = missing.length > 1 ? `Es fehlen die Pflichtspalten ${listed(quoted(names))}.` : `Es fehlt die Pflichtspalte ${quoted(names).join('')}.`;
  // "Als Kundennummer erkannt werden z. B. „…“; als Name „…“ oder „Vorname“ und „Nachname“."
  const accepted = missing.flatMap((f, i) => {
    const synonyms = d.accepted?.[f];
    if (!Array.isArray(synonyms) || synonyms.length === 0) return [];
    const alone = f === 'name' ? ' oder „Vorname“ und „Nachname“' : '';
    return [{ field: names[i], examples: `${quoted(synonyms.slice(0, 4).map(String)).join(', ')}${alone}` }];
  });
  const found = d.found.map(String);
  const row = typeof d.headerRow === 'number' ? ` (Zeile ${d.headerRow})` : '';
  return [
    what,
    accepted.map((a, i) => (i === 0 ? `Als ${a.field} erkannt werden z. B. ${a.examples}` : `als ${a.field} ${a.examples}`)).join('; ') + (accepted.length ? '.' : ''),
    found.length ? `Die Kopfzeile${row} enthält: ${quoted(found).join(', ')}.` : `Die Kopfzeile${row} ist leer.`,
    `Bitte ${missing.length > 1 ? 'die Spalten' : 'die Spalte'} in der Datei ergänzen oder umbenennen und erneut hochladen.`,
  ].filter(Boolean).join(' ');
}

/**
 * The refusal of a list whose amount column is the gross claim beside one that looks like the
 * amount still open, naming both. Null when the details lack them.
 * @param {unknown} details `{ headerRow, gross: string, open: string[] }`
 * @returns {string | null}
 */
export function unclearAmountText(details) {
  const d = /** @type {{ gross?: unknown, open?: unknown } | null} */ (details && typeof details === 'object' ? details : null);
  if (!d || typeof d.gross !== 'string' || !Array.isArray(d.open) || d.open.length === 0) return null;
  const gross = `„${d.gross}“`;
  return `Unklar, welche Spalte den offenen Betrag enthält: ${gross} ist die Gesamtforderung, ${listed(quoted(d.open.map(String)))} sieht nach dem offenen Betrag aus. ` +
    `Bitte die Spalte mit dem offenen Betrag in „Offener Betrag“ umbenennen (oder ${gross} in „Mahnsumme“, wenn dieser Betrag gemahnt werden soll) und erneut hochladen.`;
}
