import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../lists/import/load-exceljs.js';
import type { LeClient, LeCounts, LeReport } from './le.schemas.js';
import { neutralise } from '../results/neutralise.js';

/**
 * The LE report as a workbook (names and labels neutralised like the result list's, see
 * `neutralise`): one sheet per client (its code as the name, since each client has
 * its own outcome columns), and an overview sheet first when there are several. Counts and sums
 * are values, not formulas: a viewer that does not recalculate shows them right too. Amounts are
 * numbers with a currency format, days are date cells, so the billing clerk can calculate on.
 */

const TITLE_ROW = 1;
const PERIOD_ROW = 2;
const HEADER_ROW = 4;

const DATE_FORMAT = 'dd.mm.yyyy';

type CountColumn = [header: string, value: (c: LeCounts) => number, format?: string];

/**
 * The count columns, in the order the billing sheet shows them: the promised sums one column
 * per currency the sheet's promises are in (a Swiss case's francs never add to euros).
 */
function countColumns(currencies: readonly string[]): CountColumn[] {
  return [
    ['Versuche (LE)', (c) => c.attempts],
    ['Erreicht', (c) => c.reached],
    ['Richtige Person', (c) => c.rightParty],
    ['Zusagen', (c) => c.promises],
    ...currencies.map((cur): CountColumn => [`Zusagen Summe ${cur}`, (c) => (c.promiseAmountsCents[cur] ?? 0) / 100, `#,##0.00 "${cur === 'EUR' ? '€' : cur}"`]),
  ];
}

const currenciesOf = (c: LeCounts) => Object.keys(c.promiseAmountsCents).sort();

export async function leWorkbook(report: LeReport, createdAt: Date): Promise<Buffer> {
  const { Workbook } = await loadExcelJS();
  const wb = new Workbook();
  wb.creator = 'Mahnanrufe';
  wb.created = createdAt;
  wb.modified = createdAt;
  const names = new SheetNames();
  if (report.clients.length === 0) {
    const ws = wb.addWorksheet('LE-Bericht');
    heading(ws, 'LE-Bericht', periodText(report));
    ws.getCell(HEADER_ROW, 1).value = 'Keine Versuche im Zeitraum.';
  }
  if (report.clients.length > 1) overviewSheet(wb.addWorksheet(names.take('Übersicht')), report);
  for (const client of report.clients) clientSheet(wb.addWorksheet(names.take(client.code)), report, client);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** `LE-Bericht_SWM_2026-11-01_2026-11-30.xlsx`; `alle` for every client in scope. */
export function leFileName(report: LeReport, clientCode: string | null): string {
  return `LE-Bericht_${clientCode ?? 'alle'}_${report.from}_${report.to}.xlsx`;
}

function overviewSheet(ws: ExcelJS.Worksheet, report: LeReport): void {
  heading(ws, 'LE-Bericht – alle Mandanten', periodText(report));
  const counts = countColumns(currenciesOf(report.totals));
  header(ws, ['Mandant', 'Kürzel', ...counts.map(([h]) => h)]);
  for (const c of report.clients) countRow(ws, counts, [c.name, c.code], c.totals);
  total(countRow(ws, counts, ['Summe', null], report.totals));
  columns(ws, [30, 12], counts.length);
}

function clientSheet(ws: ExcelJS.Worksheet, report: LeReport, client: LeClient): void {
  heading(ws, `LE-Bericht ${client.name} (${client.code})`, `${periodText(report)} · Zeitzone ${client.timezone}`);
  const byAgent = report.groupBy === 'agent';
  const keyHeaders = byAgent ? ['Mitarbeiter', 'Benutzername'] : ['Datum'];
  const counts = countColumns(currenciesOf(client.totals));
  header(ws, [...keyHeaders, ...counts.map(([h]) => h), ...client.outcomes.map((o) => o.label)]);
  const outcomeCounts = (c: LeCounts) => client.outcomes.map((o) => c.byOutcome[o.code] ?? 0);
  for (const r of client.rows) {
    const key = byAgent ? [r.agent?.displayName ?? 'ohne Mitarbeiter', r.agent?.username ?? null] : [r.date ? excelDate(r.date) : null];
    const row = countRow(ws, counts, key, r, outcomeCounts(r));
    if (!byAgent) row.getCell(1).numFmt = DATE_FORMAT;
  }
  total(countRow(ws, counts, byAgent ? ['Summe', null] : ['Summe'], client.totals, outcomeCounts(client.totals)));
  columns(ws, byAgent ? [28, 16] : [12], counts.length + client.outcomes.length);
}

function heading(ws: ExcelJS.Worksheet, title: string, subtitle: string): void {
  const t = ws.getCell(TITLE_ROW, 1);
  t.value = neutralise(title);
  t.font = { bold: true, size: 14 };
  ws.getCell(PERIOD_ROW, 1).value = subtitle;
}

function header(ws: ExcelJS.Worksheet, headers: string[]): void {
  const row = ws.getRow(HEADER_ROW);
  row.values = headers.map(neutralise);
  row.font = { bold: true };
  row.alignment = { wrapText: true, vertical: 'top' };
  ws.views = [{ state: 'frozen', ySplit: HEADER_ROW }];
}

function countRow(ws: ExcelJS.Worksheet, columns: CountColumn[], key: Array<string | Date | null>, counts: LeCounts, extra: number[] = []): ExcelJS.Row {
  const row = ws.addRow([...key.map((k) => (typeof k === 'string' ? neutralise(k) : k)), ...columns.map(([, value]) => value(counts)), ...extra]);
  columns.forEach(([, , format], i) => {
    if (format) row.getCell(key.length + i + 1).numFmt = format;
  });
  return row;
}

function total(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.eachCell((cell) => {
    cell.border = { top: { style: 'thin' } };
  });
}

function columns(ws: ExcelJS.Worksheet, keyWidths: number[], countColumns: number): void {
  keyWidths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  for (let i = 0; i < countColumns; i++) ws.getColumn(keyWidths.length + i + 1).width = 14;
}

/** A calendar day as Excel stores it: exceljs counts days from a UTC instant. */
function excelDate(isoDate: string): Date {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d));
}

const germanDate = (isoDate: string) => isoDate.split('-').reverse().join('.');

function periodText(report: LeReport): string {
  return `Zeitraum ${germanDate(report.from)} – ${germanDate(report.to)} · ${report.groupBy === 'agent' ? 'je Mitarbeiter' : 'je Tag'}`;
}

/** Excel refuses two sheets whose names differ only in case (client codes `swm` and `SWM`). */
class SheetNames {
  // Excel reserves "History" (exceljs refuses it): a client coded so gets `History (2)`.
  readonly #taken = new Set<string>(['history']);
  take(wanted: string): string {
    let name = wanted;
    for (let n = 2; this.#taken.has(name.toLowerCase()); n++) name = `${wanted} (${n})`;
    this.#taken.add(name.toLowerCase());
    return name;
  }
}
