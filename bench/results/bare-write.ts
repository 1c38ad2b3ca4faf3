/**
 * The baseline: exceljs' streaming writer writing the same cells the result list has (three
 * sheets, typed cells, the same number formats), generated in memory, into a file. No database,
 * no HTTP. Prints one JSON line: time, CPU, peak RSS, bytes.
 *
 *   npx tsx bench/results/bare-write.ts <cases> <out.xlsx>
 */
import { createWriteStream, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { isoToDate, type SourceCell } from '../../src/lists/import/source-cells.js';
import { attemptRows, ATTEMPT_COLUMNS, mainColumns, mainRow, refusedColumns, type ResultContext } from '../../src/results/result-rows.js';
import { defaultSchedulingSettings } from '../../src/scheduling/settings.js';
import { emit, peakRssMb } from '../import/measure.js';
import { benchCase, COLUMNS } from './data.js';

const [casesArg, out] = process.argv.slice(2);
const n = Number(casesArg);
const ctx: ResultContext = { report: { sourceColumns: COLUMNS, extraColumns: [], columns: {} }, outcomes: defaultSchedulingSettings.outcomes, timezone: 'Europe/Berlin' };

const value = (c: SourceCell): ExcelJS.CellValue => (c !== null && typeof c === 'object' ? ('d' in c ? isoToDate(c.d) : c.e) : c);

const cpu = process.cpuUsage();
const start = performance.now();
const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(out!), useStyles: true, useSharedStrings: false });
const sheets: Array<[string, { header: string; numFmt?: string }[], (i: number) => SourceCell[][]]> = [
  ['Ergebnisliste', mainColumns(ctx), (i) => [mainRow(ctx, benchCase(i))]],
  ['Versuche', ATTEMPT_COLUMNS, (i) => attemptRows(ctx, benchCase(i))],
  ['Nicht importiert', refusedColumns(ctx), () => []],
];
for (const [name, columns, rows] of sheets) {
  const ws = workbook.addWorksheet(name);
  ws.columns = columns.map((c) => ({ header: c.header, width: 14, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  for (let i = 0; i < n; i++) for (const cells of rows(i)) ws.addRow(cells.map(value)).commit();
  ws.commit();
}
await workbook.commit();
const used = process.cpuUsage(cpu);
emit({ ms: Math.round(performance.now() - start), cpuMs: Math.round((used.user + used.system) / 1000), rssMb: peakRssMb(), bytes: statSync(out!).size });
