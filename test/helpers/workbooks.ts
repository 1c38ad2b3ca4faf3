/** Import fixtures built in memory (never committed) and the steps the import tests share. */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { expect } from 'vitest';
import type { ServiceDeps } from '../../src/deps.js';
import { standardRow, STANDARD_HEADER, tempDir, writeLargeXlsx } from '../../src/lists/import/test-helpers.js';
import { runImport } from '../../src/lists/run-import.js';
import type { TestContext } from './context.js';

export { buildOle2, excelLikeXlsx } from '../../src/lists/import/test-helpers.js';

/** A multipart body as a browser sends it: the file plus optional form fields. */
export function uploadForm(content: Uint8Array, fileName = 'mahnliste.xlsx', fields: Record<string, string> = {}): FormData {
  const f = new FormData();
  f.set('file', new File([content], fileName));
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

/** A small workbook (first sheet `Liste`); rows are exceljs cell values, the first is the header. */
export async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Liste');
  for (const row of rows) ws.addRow(row as ExcelJS.CellValue[]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * A workbook of `rowCount` valid rows like the unit tests' standard list (Karlsruhe numbers,
 * customer numbers `K100000`…), written with the streaming writer; `prefix` keeps customer
 * numbers and the file's sha256 apart between tests.
 */
export async function largeXlsx(rowCount: number, prefix = 'K'): Promise<Buffer> {
  const tmp = tempDir();
  try {
    const file = tmp.file('large.xlsx');
    await writeLargeXlsx(file, STANDARD_HEADER, rowCount, (i) => {
      const row = standardRow(i);
      row[0] = `${prefix}${100000 + i}`;
      return row;
    });
    return await readFile(file);
  } finally {
    tmp.cleanup();
  }
}

/** A CSV as German Excel saves it: Windows-1252, `;`-separated, CRLF, no BOM. */
export function cp1252Csv(rows: string[][]): Buffer {
  return iconv.encode(rows.map((r) => r.join(';')).join('\r\n') + '\r\n', 'win1252');
}

/** The deps `runImport` takes, from a test context. */
export function serviceDeps(t: TestContext, override: Partial<ServiceDeps> = {}): ServiceDeps {
  return { db: t.db, calls: t.calls, queues: t.queues, clock: t.clock, config: t.config, log: t.deps.log, ...override };
}

/** Uploads over HTTP (202, the list stored as `importing`) and returns the list id; no worker runs it. */
export async function upload(t: TestContext, cookie: string, clientId: string, content: Uint8Array, fileName = 'mahnliste.xlsx'): Promise<string> {
  const res = await t.request('POST', `/api/clients/${clientId}/lists`, { cookie, body: uploadForm(content, fileName) });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.listId as string;
}

/** Uploads, runs the import in this process, and returns the list as `GET /api/lists/:id` shows it. */
export async function uploadAndImport(t: TestContext, cookie: string, clientId: string, content: Uint8Array, fileName = 'mahnliste.xlsx') {
  const listId = await upload(t, cookie, clientId, content, fileName);
  await runImport(serviceDeps(t), listId);
  const res = await t.request('GET', `/api/lists/${listId}`, { cookie });
  expect(res.status).toBe(200);
  return res.body;
}

/** Call jobs of any state in a BullMQ queue (delayed, waiting, prioritized, active, …). */
export async function jobCount(t: TestContext, queueName: string): Promise<number> {
  const counts = await t.queues.calls(queueName).getJobCounts('delayed', 'waiting', 'prioritized', 'active', 'waiting-children', 'completed', 'failed');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
