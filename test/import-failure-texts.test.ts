import { describe, expect, it } from 'vitest';
import { findHeaderRow } from '../src/lists/import/headers.js';
import { IMPORT_FILE_ERROR_CODES, ImportFileError } from '../src/lists/import/import-file-error.js';
import { IMPORT_JOB_FAILURE_CODES } from '../src/lists/run-import.js';
// @ts-expect-error plain JS module of the browser UI, checked by `tsc -p web`
import { IMPORT_FAILURES, importFailureText, missingColumnsText, unclearAmountText } from '../web/js/lead/import-failures.js';

/** The lead reads why a list was not imported in German: every code the server keeps has its text. */
describe('the German texts of import failures', () => {
  const shown = [...IMPORT_FILE_ERROR_CODES, ...IMPORT_JOB_FAILURE_CODES.filter((code) => code !== 'cancelled')];

  it('has a text for every code a failed list or a refused upload carries, and none for a code that does not exist', () => {
    expect(Object.keys(IMPORT_FAILURES).sort()).toEqual([...shown].sort());
  });

  it.each(shown)('%s says once that nothing was imported, then what to do', (code) => {
    const text: string = importFailureText({ errorCode: code, error: 'detail' });
    expect(text.match(/nichts importiert/g)).toHaveLength(1);
    expect(text).toMatch(/^Es wurde nichts importiert\. .+ \(Details: detail\)$/);
  });

  it('a list failed before codes were kept gets the general advice', () => {
    expect(importFailureText({ errorCode: null, error: null })).toBe('Es wurde nichts importiert. Bitte die Datei prüfen und erneut hochladen.');
    expect(importFailureText({ errorCode: 'unknown_code', error: 'x' })).toBe('Es wurde nichts importiert. Bitte die Datei prüfen und erneut hochladen. (Details: x)');
  });
});

/** The details the server sends with `missing_columns` for a list whose header row is `header` (row 3: two title rows above). */
function refusalDetails(header: string[]): unknown {
  try {
    findHeaderRow([{ rowNumber: 1, cells: ['Mahnlauf November'] }, { rowNumber: 2, cells: [] }, { rowNumber: 3, cells: header }]);
  } catch (err) {
    if (err instanceof ImportFileError && err.code === 'missing_columns') return err.details;
    throw err;
  }
  throw new Error('the header was accepted');
}

describe('a list refused for a missing column says in German which, from the server\'s details', () => {
  it('one column: names it, names accepted for it, and the headers found', () => {
    expect(missingColumnsText(refusalDetails(['Kundennummer', 'Name', 'Mahnsumme', 'Bemerkung']))).toBe(
      'Es fehlt die Pflichtspalte „Telefon“. Als Telefon erkannt werden z. B. „Telefon“, „Telefonnummer“, „Tel.“, „Tel.-Nr.“. ' +
        'Die Kopfzeile (Zeile 3) enthält: „Kundennummer“, „Name“, „Mahnsumme“, „Bemerkung“. ' +
        'Bitte die Spalte in der Datei ergänzen oder umbenennen und erneut hochladen.',
    );
  });

  it('several columns: all of them, the name also as first and last name', () => {
    const text: string = missingColumnsText(refusalDetails(['Ort', 'Tel', 'Telefon']));
    expect(text).toMatch(/^Es fehlen die Pflichtspalten „Kundennummer“, „Name“ und „Betrag“\. Als Kundennummer erkannt werden z\. B\. „Kundennummer“, .+; als Name „Name“, .+ oder „Vorname“ und „Nachname“; als Betrag „Mahnsumme“, .+\. Die Kopfzeile/);
    expect(text).toContain('Die Kopfzeile (Zeile 3) enthält: „Ort“, „Tel“, „Telefon“. Bitte die Spalten in der Datei ergänzen');
    expect(text).not.toMatch(/[Cc]ustomer|missing|amount/);
  });

  it('details without what is needed: none (the general text is shown)', () => {
    expect(missingColumnsText(undefined)).toBeNull();
    expect(missingColumnsText({ accepted: {} })).toBeNull();
  });
});

describe('a list refused for an unclear amount says in German which two columns, from the server\'s details', () => {
  it('names the gross column and the open-looking one, and what to rename', () => {
    let details: unknown;
    try {
      findHeaderRow([{ rowNumber: 1, cells: ['Kundennummer', 'Name', 'Telefon', 'Forderung', 'Restsumme offen lt. Buchhaltung'] }, { rowNumber: 2, cells: ['K1', 'Anna', '0721 1234567', 1050, 250] }]);
    } catch (err) {
      if (err instanceof ImportFileError && err.code === 'unclear_amount') details = err.details;
    }
    expect(unclearAmountText(details)).toBe(
      'Unklar, welche Spalte den offenen Betrag enthält: „Forderung“ ist die Gesamtforderung, „Restsumme offen lt. Buchhaltung“ sieht nach dem offenen Betrag aus. ' +
        'Bitte die Spalte mit dem offenen Betrag in „Offener Betrag“ umbenennen (oder „Forderung“ in „Mahnsumme“, wenn dieser Betrag gemahnt werden soll) und erneut hochladen.',
    );
    expect(unclearAmountText({ gross: 'Forderung' })).toBeNull();
  });
});
