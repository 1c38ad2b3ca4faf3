import { chooseListSheet } from './choose-sheet.js';
import type { FileKind } from './file-kind.js';
import { HEADER_SEARCH_ROWS } from './headers.js';
import { parseList, type ImportReport, type ParsedCase, type ParseListOptions, type RejectedRow } from './parse-list.js';
import { openWorkbook, type ReadLimits } from './read-sheet.js';
import type { RawRow } from './read-xlsx.js';

/**
 * Reads a client's list from a stored file: opens it, chooses the sheet that holds the list
 * (`chooseListSheet`), and parses that sheet (`parseList`), calling `onRow` per accepted case
 * and `onReject` per refused row. The report names the sheet used and the ones skipped.
 * `headOnly` stops after the header and the first data row (the upload's quick check).
 */
export async function readList(
  input: { path: string },
  kind: FileKind,
  limits: ReadLimits,
  options: ParseListOptions & { headOnly?: boolean },
  onRow: (row: ParsedCase) => void | Promise<void>,
  onReject?: (row: RejectedRow) => void | Promise<void>,
): Promise<ImportReport> {
  const choice = await chooseListSheet(await openWorkbook(input, kind, limits, options.headOnly));
  const rows = options.headOnly ? take(choice.sheet.rows(), HEADER_SEARCH_ROWS + 1) : choice.sheet.rows();
  const report = await parseList(rows, options, onRow, onReject);
  return { ...report, sheet: kind === 'xlsx' ? { name: choice.sheet.name, skipped: choice.skipped } : null };
}

async function* take(rows: AsyncIterable<RawRow>, n: number): AsyncGenerator<RawRow> {
  let i = 0;
  for await (const row of rows) {
    yield row;
    if (++i >= n) return;
  }
}
