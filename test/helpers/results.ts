import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { cases } from '../../src/db/schema.js';
import { recordOutcome } from '../../src/dispatch/record-outcome.js';
import type { TestContext } from './context.js';
import { seedList } from './seed.js';
import { serviceDeps } from './workbooks.js';

/** The header of the client file the result-list tests import: recognised and extra columns mixed. */
export const RESULT_HEADER = ['Kundennummer', 'Name', 'Telefon', 'Mahnsumme', 'Fällig seit', 'Vertragskonto', 'Bemerkung', 'Leer'];

/**
 * A client's workbook with a title row and typed cells: amounts with a number format, dates,
 * account numbers as numbers, umlauts, empty cells, and remarks a spreadsheet would run.
 */
export async function resultWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Mahnliste');
  ws.addRow(['Stadtwerke Müster – Mahnlauf November']);
  ws.addRow(RESULT_HEADER);
  const rows: ExcelJS.CellValue[][] = [
    ['K-1', 'Jürgen Weiß', '0721 1234567', 2372.25, new Date(Date.UTC(2026, 8, 11)), 210012345678, '=HYPERLINK("http://evil.example","Klick")', null],
    ['K-2', 'Anna Öztürk', '+49 721 123456', 89.9, new Date(Date.UTC(2026, 9, 1)), 210012345679, '+SUM(1)', null],
    ['K-3', 'Zoë Straße', '0721 7654321', 1000, null, null, '@cmd', null],
    ['K-4', 'Bernd Brot', '0721 5555555', 12.5, null, null, '-2+3', null],
    ['K-5', 'Carla Cäsar', '0721 6666666', 50, null, null, '\tTab voran', null],
    ['K-6', 'Dora Düsentrieb', '0721 7777777', 75, null, null, '+49 721 123456', null],
    ['K-7', 'Emil Ärger', '0721 8888888', 60, null, null, '-12,50', null],
    ['K-8', 'Falsch Betrag', '0721 9999999', 'abc', null, null, 'kaputt', null],
  ];
  for (const values of rows) {
    const row = ws.addRow(values);
    row.getCell(4).numFmt = '#,##0.00';
    row.getCell(5).numFmt = 'dd.mm.yyyy';
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Records an outcome as the outcomes worker does (attempt, case update, close or next job). */
export async function record(t: TestContext, caseId: string, agentId: string, attemptNo: number, recordedAt: string, body: Record<string, unknown>): Promise<void> {
  await recordOutcome(serviceDeps(t), { assignmentId: randomUUID(), caseId, attemptNo, agentId, recordedAt, body });
}

export async function caseIdsByCustomer(t: TestContext, listId: string): Promise<Map<string, string>> {
  const rows = await t.db.select({ id: cases.id, customerNo: cases.customerNo }).from(cases).where(eq(cases.listId, listId));
  return new Map(rows.map((r) => [r.customerNo, r.id]));
}

/** Reads an xlsx answer back: every sheet's rows as cell values (row 1 = header). */
export async function readXlsx(content: Uint8Array): Promise<Map<string, ExcelJS.CellValue[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(content) as unknown as ArrayBuffer);
  const sheets = new Map<string, ExcelJS.CellValue[][]>();
  wb.eachSheet((ws) => {
    const rows: ExcelJS.CellValue[][] = [];
    ws.eachRow({ includeEmpty: true }, (row) => {
      const values = row.values as ExcelJS.CellValue[];
      rows.push(Array.from({ length: ws.columnCount }, (_, i) => values[i + 1] ?? null));
    });
    sheets.set(ws.name, rows);
  });
  return sheets;
}

/** A list of `n` cases, all worked to a closing outcome: the list is `completed`. */
export async function completedList(t: TestContext, clientId: string, agentId: string, n = 3, outcome = 'paid'): Promise<string> {
  const { listId, cases: seeded } = await seedList(t, clientId, n);
  for (const c of seeded) await record(t, c.id, agentId, 1, t.clock.now().toISOString(), { outcome, rightParty: true });
  return listId;
}
