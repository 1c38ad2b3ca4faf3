import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../src/db/schema.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { eventually } from './helpers/eventually.js';

let t: TestContext;
let admin: string;
let clientId: string;
const sample = readFileSync(new URL('../examples/mahnliste-stadtwerke-muster.xlsx', import.meta.url));

function form(content: Uint8Array, name = 'mahnliste.xlsx', fields: Record<string, string> = {}): FormData {
  const f = new FormData();
  f.set('file', new File([content], name));
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.userSession('admin')).cookie;
  clientId = (await t.request('POST', '/api/clients', { cookie: admin, body: { code: 'SWM', name: 'Stadtwerke Muster' } })).body.id;
  await t.runWorkers();
});
afterAll(() => t.close());

describe('list import over HTTP', () => {
  it('imports the sample list: the job reports progress, the list becomes active with its report', async () => {
    const res = await t.request('POST', `/api/clients/${clientId}/lists?name=November`, { cookie: admin, body: form(sample) });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const listId = res.body.listId;
    const list = await eventually(async () => {
      const r = await t.request('GET', `/api/lists/${listId}`, { cookie: admin });
      return r.body.status !== 'importing' ? r.body : null;
    }, 30_000, 'the import');
    expect(list).toMatchObject({ status: 'active', name: 'November', error: null, importProgress: { percent: 100 } });
    expect(list.report.accepted).toBeGreaterThan(250);
    expect(list.report.rejected.length).toBeGreaterThan(0);
    const rows = await t.db.select().from(cases).where(eq(cases.listId, listId));
    expect(rows).toHaveLength(list.report.accepted);
    expect(rows.every((c) => c.phoneE164.startsWith('+') && c.amountCents > 0 && c.nextDueAt)).toBe(true);
    // One call job per case, in the queue of the case's language (Swiss customers: fr/it).
    let queued = 0;
    for (const language of new Set(rows.map((c) => c.language))) {
      const jobs = await t.queues.calls(`calls-${clientId}-${language}`).getJobCounts('delayed', 'waiting', 'prioritized');
      queued += (jobs.delayed ?? 0) + (jobs.waiting ?? 0) + (jobs.prioritized ?? 0);
    }
    expect(queued).toBe(list.report.accepted);

    // The overview carries the report's counts, not its rows.
    const overview = (await t.request('GET', `/api/lists?clientId=${clientId}`, { cookie: admin })).body.find((l: { id: string }) => l.id === listId);
    expect(overview.report).toMatchObject({ accepted: list.report.accepted, rejectedRows: list.report.rejectedRows, rejected: [], rejectedTruncated: true });

    const again = await t.request('POST', `/api/clients/${clientId}/lists`, { cookie: admin, body: form(sample) });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'duplicate_file', details: { listId } });
  }, 60_000);

  it('dryRun returns the report and stores nothing', async () => {
    const before = await t.request('GET', '/api/lists', { cookie: admin });
    const res = await t.request('POST', `/api/clients/${clientId}/lists?dryRun=true&force=true`, { cookie: admin, body: form(sample) });
    expect(res.status).toBe(200);
    expect(res.body.report.dataRows).toBeGreaterThan(250);
    expect(res.body.report.rejected[0]).toMatchObject({ row: expect.any(Number), column: expect.any(String), reason: expect.any(String) });
    const after = await t.request('GET', '/api/lists', { cookie: admin });
    expect(after.body).toHaveLength(before.body.length);
  });

  it.each([
    ['a PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), 'liste.pdf', 415, 'not_spreadsheet'],
    ['a legacy .xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]), 'liste.xls', 415, 'xls_format'],
    ['a truncated workbook', sample.subarray(0, Math.floor(sample.length / 2)), 'liste.xlsx', 422, 'corrupt'],
    ['a CSV without the required columns', Buffer.from('Name;Ort\nMüller;Karlsruhe\n'), 'liste.csv', 400, 'missing_columns'],
    ['a CSV with a header and no rows', Buffer.from('Kundennummer;Name;Telefon;Betrag\n'), 'liste.csv', 422, 'no_data'],
  ])('refuses %s with a clear 4xx and stores nothing', async (_what, content, name, status, code) => {
    const before = await t.request('GET', '/api/lists', { cookie: admin });
    const res = await t.request('POST', `/api/clients/${clientId}/lists`, { cookie: admin, body: form(content, name) });
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message.length).toBeGreaterThan(20);
    const after = await t.request('GET', '/api/lists', { cookie: admin });
    expect(after.body).toHaveLength(before.body.length);
  });

  it('refuses a request without a file', async () => {
    const f = new FormData();
    f.set('name', 'x');
    const res = await t.request('POST', `/api/clients/${clientId}/lists`, { cookie: admin, body: f });
    expect(res.status).toBe(400);
  });
});
