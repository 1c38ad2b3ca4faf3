/**
 * Reading and validating a client's list (DESIGN.md section 7). Typical use in the import job:
 *
 *   const kind = detectFileKind(head, filename);               // throws ImportFileError
 *   const report = await readList({ path }, kind, limits, { defaultCountry: 'DE' }, (c) => batch.add(c));
 *
 * (`readList` = `openWorkbook` + `chooseListSheet` + `parseList`.)
 *
 * Every refusal of a whole file is an `ImportFileError` with `code`, `status` and an English
 * message; bad rows end up in `report.rejected`. Rules and decisions: docs/import.md.
 */
export { detectFileKind, SNIFF_BYTES, type FileKind } from './file-kind.js';
export { ImportFileError, type ImportFileErrorCode } from './import-file-error.js';
export { openWorkbook, DEFAULT_READ_LIMITS, type ReadLimits, type RawRow, type Sheet } from './read-sheet.js';
export { chooseListSheet, type SheetChoice, type SkippedSheet } from './choose-sheet.js';
export { readList } from './read-list.js';
export { findHeaderRow, matchHeaders, normaliseHeader, HEADER_SEARCH_ROWS, HEADER_SYNONYMS, REQUIRED_FIELDS, type CaseField, type HeaderRow } from './headers.js';
export { parseList, MAX_REPORTED_REJECTIONS, type ImportReport, type ParseListOptions, type ParsedCase, type Rejection, type RejectedRow } from './parse-list.js';
export { displayText, toSourceCell, type SourceCell, type SourceColumn } from './source-cells.js';
export { parseAmountCents, normalisePhone, countryFromAddress, cleanText, languageCode, currencyCode } from './normalise.js';
export { cellText, cellValue } from './cell-text.js';
