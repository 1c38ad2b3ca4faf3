import { describe, expect, it } from 'vitest';
import { IMPORT_FILE_ERROR_CODES } from '../src/lists/import/import-file-error.js';
import { IMPORT_JOB_FAILURE_CODES } from '../src/lists/run-import.js';
// @ts-expect-error plain JS module of the browser UI, checked by `tsc -p web`
import { IMPORT_FAILURES, importFailureText } from '../web/js/lead/import-failures.js';

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
