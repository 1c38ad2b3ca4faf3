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
