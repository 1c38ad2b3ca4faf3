import { count, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignments, cases, dunningLists, importFiles } from '../src/db/schema.js';
import { ALREADY_OPEN } from '../src/lists/open-customers.js';
import { runImport } from '../src/lists/run-import.js';
import { callQueueName } from '../src/queues/registry.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { cp1252Csv, jobCount, largeXlsx, serviceDeps, upload, uploadAndImport, uploadForm, xlsx } from './helpers/workbooks.js';
import { waitingForALock } from './helpers/db.js';

/**
 * What an import does with the rows: progress, customers open elsewhere, encodings and Swiss
 * customers, cancelling. No worker runs: each test runs `runImport` itself after the upload.
 */
const HEADER = ['Kundennummer', 'Name', 'Telefon', 'Offener Betrag'];

let t: TestContext;
let admin: string;

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.userSession('admin')).cookie;
});
afterAll(() => t.close());

const casesOf = (listId: string) => t.db.select().from(cases).where(eq(cases.listId, listId));

describe('import progress', () => {
  it('reports rising {percent, rows} while 10,000 rows import, and 100 % at the end', async () => {
    const clientId = await createClient(t, admin, {});
    const listId = await upload(t, admin, clientId, await largeXlsx(10_000, 'P'));
    // The upload queued the `imports` job; report progress on it as the worker does (workers/imports.ts).
    const job = (await t.queues.get('imports').getJob(`import-${listId}`))!;
    const reported: Array<{ percent: number; rows: number }> = [];
    const shown: unknown[] = [];
    await runImport(serviceDeps(t), listId, async (p) => {
      reported.push(p);
      await job.updateProgress(p);
      // What a lead polling the list sees at this moment.
      if (shown.length < 2) shown.push((await t.request('GET', `/api/lists/${listId}`, { cookie: admin })).body);
    });

    expect(reported.length).toBeGreaterThan(1);
    for (const [i, p] of reported.entries()) {
      expect(p.percent).toBeGreaterThanOrEqual(0);
      expect(p.percent).toBeLessThanOrEqual(100);
      if (i > 0) {
        expect(p.rows).toBeGreaterThanOrEqual(reported[i - 1]!.rows);
        expect(p.percent).toBeGreaterThanOrEqual(reported[i - 1]!.percent);
      }
    }
    expect(reported[0]!.rows).toBeLessThan(10_000);
    expect(reported.at(-1)!.rows).toBe(10_000);
    expect(new Set(reported.map((p) => p.rows)).size).toBeGreaterThan(1);
    expect(shown[0]).toMatchObject({ status: 'importing', importProgress: reported[0] });

    const list = (await t.request('GET', `/api/lists/${listId}`, { cookie: admin })).body;
    expect(list).toMatchObject({ status: 'active', importProgress: { percent: 100, rows: 10_000 }, report: { accepted: 10_000, rejectedRows: 0 } });
    const [n] = await t.db.select({ n: count() }).from(cases).where(eq(cases.listId, listId));
    expect(n!.n).toBe(10_000);
    expect(await jobCount(t, callQueueName(clientId, 'de'))).toBe(10_000);
  }, 120_000);
});

describe('a customer open in another active list of the client', () => {
  it('is rejected with its row and reason until the other list is cancelled', async () => {
    const clientId = await createClient(t, admin, {});
    const first = await uploadAndImport(t, admin, clientId, await xlsx([HEADER, ['O-1', 'Anna Schmidt', '0721 1234567', 10], ['O-SHARED', 'Hans Müller', '0721 2345678', 20]]));
    expect(first).toMatchObject({ status: 'active', report: { accepted: 2 } });

    const second = await xlsx([
      HEADER,
      ['O-2', 'Eva Klein', '0721 3456789', 30],
      ['O-SHARED', 'Hans Müller', '0721 2345678', 25],
      ['O-3', 'Otto Weiß', '0721 4567890', 40],
    ]);
    const expected = { row: 3, column: 'Kundennummer', value: 'O-SHARED', reason: ALREADY_OPEN };
    const dry = await t.request('POST', `/api/clients/${clientId}/lists?dryRun=true`, { cookie: admin, body: uploadForm(second) });
    expect(dry.body.report).toMatchObject({ accepted: 2, rejectedRows: 1, rejected: [expected] });

    const imported = await uploadAndImport(t, admin, clientId, second);
    expect(imported).toMatchObject({ status: 'active', report: { accepted: 2, rejectedRows: 1, dataRows: 3, rejected: [expected] } });
    expect((await casesOf(imported.id)).map((c) => c.customerNo).sort()).toEqual(['O-2', 'O-3']);
    // The open case stays where it was.
    expect((await casesOf(first.id)).find((c) => c.customerNo === 'O-SHARED')).toMatchObject({ status: 'open' });

    const cancelled = await t.request('POST', `/api/lists/${first.id}/cancel`, { cookie: admin });
    expect(cancelled.status).toBe(200);
    expect((await casesOf(first.id)).every((c) => c.status === 'closed' && c.finalOutcome === 'cancelled')).toBe(true);

    const third = await uploadAndImport(t, admin, clientId, await xlsx([HEADER, ['O-SHARED', 'Hans Müller', '0721 2345678', 25], ['O-4', 'Jana Berg', '0721 5678901', 50]]));
    expect(third).toMatchObject({ status: 'active', report: { accepted: 2, rejectedRows: 0, rejected: [] } });
    expect((await casesOf(third.id)).find((c) => c.customerNo === 'O-SHARED')).toMatchObject({ status: 'open', amountCents: 2500 });
  });
});

describe('a CSV as German Excel writes it', () => {
  it('reads Windows-1252 with ";", keeps umlauts, and routes a Geneva customer in French with a +41 number', async () => {
    const clientId = await createClient(t, admin, {});
    const file = cp1252Csv([
      ['Kundennummer', 'Name', 'Straße', 'PLZ', 'Ort', 'Land', 'Telefon', 'Offener Betrag'],
      ['U-1', 'Hans Müller', 'Hauptstraße 5', '76133', 'Karlsruhe', 'Deutschland', '0721 1234567', '1.234,56 €'],
      ['U-2', 'Renate Weiß', 'Kaiserstraße 12', '76131', 'Karlsruhe', '', '0721 7654321', '89,90'],
      ['U-3', 'Jérôme Dufour', 'Rue du Rhône 12', '1200', 'Genève', 'Schweiz', '022 318 40 00', '250,00'],
    ]);
    expect(file.includes(Buffer.from('Müller', 'utf8'))).toBe(false); // really not UTF-8
    const list = await uploadAndImport(t, admin, clientId, file, 'mahnliste.csv');
    expect(list).toMatchObject({ status: 'active', report: { accepted: 3, rejectedRows: 0, columns: { customerNo: 'Kundennummer', phone: 'Telefon' } } });

    const byNo = new Map((await casesOf(list.id)).map((c) => [c.customerNo, c]));
    expect(byNo.get('U-1')).toMatchObject({ name: 'Hans Müller', amountCents: 123_456, phoneE164: '+497211234567', country: 'DE', language: 'de' });
    expect(byNo.get('U-1')!.address).toContain('Hauptstraße 5');
    expect(byNo.get('U-2')).toMatchObject({ name: 'Renate Weiß', amountCents: 8_990, country: 'DE' });
    const swiss = byNo.get('U-3')!;
    expect(swiss).toMatchObject({ name: 'Jérôme Dufour', country: 'CH', postalCode: '1200', language: 'fr', phoneE164: '+41223184000', phoneRaw: '022 318 40 00' });
    expect(swiss.address).toContain('Genève');
    // Its call job waits in the client's French queue.
    expect(await jobCount(t, callQueueName(clientId, 'fr'))).toBe(1);
    expect(await jobCount(t, callQueueName(clientId, 'de'))).toBe(2);
  });
});

describe('cancelling a list', () => {
  it('closes the open cases as cancelled, refuses a second cancel, and agents get nothing from it', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const queue = callQueueName(clientId, 'de');
    const list = await uploadAndImport(t, admin, clientId, await xlsx([HEADER, ['C-1', 'Anna Schmidt', '0721 1234567', 10], ['C-2', 'Otto Weiß', '0721 2345678', 20], ['C-3', 'Eva Klein', '0721 3456789', 30]]));
    expect(list.status).toBe('active');
    // Callable right now: without the cancel, the next agent would get one of these.
    expect(await jobCount(t, queue)).toBe(3);
    expect(await t.calls.ready.due(t.clock.now().getTime())).toContain(queue);

    const res = await t.request('POST', `/api/lists/${list.id}/cancel`, { cookie: admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: list.id, status: 'cancelled', completedAt: t.clock.now().toISOString() });
    const rows = await casesOf(list.id);
    expect(rows).toHaveLength(3);
    for (const c of rows) expect(c).toMatchObject({ status: 'closed', finalOutcome: 'cancelled', closedAt: t.clock.now(), nextDueAt: null });

    const again = await t.request('POST', `/api/lists/${list.id}/cancel`, { cookie: admin });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('list_closed');

    const agent = (await t.userSession('agent', [clientId])).cookie;
    const next = await t.request('POST', '/api/agent/next', { cookie: agent });
    expect(next.status).toBe(200);
    expect(next.body.assignment).toBeNull();
    const [held] = await t.db.select({ n: count() }).from(assignments).innerJoin(cases, eq(assignments.caseId, cases.id)).where(eq(cases.listId, list.id));
    expect(held!.n).toBe(0);
    // The stale jobs were dropped on the way.
    expect(await jobCount(t, queue)).toBe(0);
  });
  it('refuses a cancel whose list was completed while it ran, and leaves the list completed', async () => {
    // The cancel read the list as active; its last case closed and completed it meanwhile. A
    // completed list must stay so: only completed lists have their result list sent.
    const clientId = await createClient(t, admin, fastRules);
    const list = await uploadAndImport(t, admin, clientId, await xlsx([HEADER, ['R-1', 'Anna Schmidt', '0721 1234567', 10]]));
    const other = postgres(t.config.DATABASE_URL!, { max: 1, onnotice: () => {} });
    let commit = () => {};
    try {
      // The list row held as the outcome's completion holds it, until it commits.
      let locked = () => {};
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const committed = new Promise<void>((resolve) => (commit = resolve));
      const completing = other.begin(async (tx) => {
        await tx`select 1 from dunning_lists where id = ${list.id} for update`;
        locked();
        await committed;
        await tx`update dunning_lists set status = 'completed', completed_at = now() where id = ${list.id}`;
      });
      await isLocked;
      const cancel = t.request('POST', `/api/lists/${list.id}/cancel`, { cookie: admin });
      await eventually(() => waitingForALock(t.db), 10_000, 'the cancel waiting on the list row');
      commit();
      await completing;
      const res = await cancel;
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('list_closed');
    } finally {
      commit(); // also when an expectation failed: the other transaction must end
      await other.end();
    }
    const [after] = await t.db.select().from(dunningLists).where(eq(dunningLists.id, list.id));
    expect(after!.status).toBe('completed');
    expect((await casesOf(list.id)).map((c) => c.status)).toEqual(['open']); // nothing of the cancel stayed
  });

  it('a list cancelled before its import ran stays cancelled, and its stored file is deleted', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const listId = await upload(t, admin, clientId, await xlsx([HEADER, ['W-1', 'Anna Schmidt', '0721 1234567', 10]]));
    expect((await t.request('POST', `/api/lists/${listId}/cancel`, { cookie: admin })).body.status).toBe('cancelled');
    await runImport(serviceDeps(t), listId);
    const list = (await t.request('GET', `/api/lists/${listId}`, { cookie: admin })).body;
    expect(list.status).toBe('cancelled');
    expect(await casesOf(listId)).toHaveLength(0);
    const [files] = await t.db.select({ n: count() }).from(importFiles).where(eq(importFiles.listId, listId));
    expect(files!.n).toBe(0);
  });

  it('a list cancelled while an earlier version\'s import committed and then died before the activation keeps no open cases when the import runs again', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const list = await uploadAndImport(t, admin, clientId, await xlsx([HEADER, ['K-1', 'Anna Schmidt', '0721 1234567', 10]]));
    // The state such a run left (an earlier version activated the list after its commit; the
    // import now does both in one transaction): cases committed, the list cancelled meanwhile
    // (closing none: it saw none), never activated.
    await t.db.update(dunningLists).set({ status: 'cancelled', activatedAt: null }).where(eq(dunningLists.id, list.id));
    expect((await casesOf(list.id)).map((c) => c.status)).toEqual(['open']);
    await runImport(serviceDeps(t), list.id); // the job, retried after the crash
    expect(await casesOf(list.id)).toHaveLength(0);
    const [after] = await t.db.select().from(dunningLists).where(eq(dunningLists.id, list.id));
    expect(after!.status).toBe('cancelled');
    // Its customer is not "open in another list" for the next one.
    const again = await uploadAndImport(t, admin, clientId, await xlsx([HEADER, ['K-1', 'Anna Schmidt', '0721 1234567', 10], ['K-2', 'Otto Weiß', '0721 2345678', 20]]));
    expect(again.report.accepted).toBe(2);
  });

  it('a list cancelled during its import stays cancelled and keeps no cases or jobs', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const listId = await upload(t, admin, clientId, await xlsx([HEADER, ['X-1', 'Anna Schmidt', '0721 1234567', 10], ['X-2', 'Otto Weiß', '0721 2345678', 20]]));
    let cancelStatus = 0;
    await runImport(serviceDeps(t), listId, async () => {
      // The lead presses "cancel" while the rows are being written.
      cancelStatus ||= (await t.request('POST', `/api/lists/${listId}/cancel`, { cookie: admin })).status;
    });
    expect(cancelStatus).toBe(200);
    const list = (await t.request('GET', `/api/lists/${listId}`, { cookie: admin })).body;
    expect(list.status).toBe('cancelled');
    expect(await casesOf(listId)).toHaveLength(0);
    expect(await jobCount(t, callQueueName(clientId, 'de'))).toBe(0);
    const [files] = await t.db.select({ n: count() }).from(importFiles).where(eq(importFiles.listId, listId));
    expect(files!.n).toBe(0);
  });
});

describe('extra columns on the agent’s card', () => {
  it('are shown as the client’s file formats them, and every cell is kept as delivered for the result list', async () => {
    const clientId = await createClient(t, admin, {});
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Liste');
    ws.addRow([...HEADER, 'Mahngebühren', 'Fällig seit', 'Vertragskonto']);
    const row = ws.addRow(['X-1', 'Jürgen Weiß', '0721 1234567', 99.5, 2372.25, new Date(Date.UTC(2026, 8, 11)), 210012345678]);
    row.getCell(5).numFmt = '#,##0.00';
    row.getCell(6).numFmt = 'mm-dd-yy'; // Excel's built-in short date, German Excel shows 11.09.2026
    const list = await uploadAndImport(t, admin, clientId, Buffer.from(await wb.xlsx.writeBuffer()));
    const [c] = await casesOf(list.id);
    expect(c!.extra).toEqual({ Mahngebühren: '2.372,25', 'Fällig seit': '11.09.2026', Vertragskonto: '210012345678' });
    expect(c!.source).toEqual(['X-1', 'Jürgen Weiß', '0721 1234567', 99.5, 2372.25, { d: '2026-09-11' }, 210012345678]);
    expect(list.report.sourceColumns).toEqual([
      { header: 'Kundennummer' }, { header: 'Name' }, { header: 'Telefon' }, { header: 'Offener Betrag' },
      { header: 'Mahngebühren', numFmt: '#,##0.00' }, { header: 'Fällig seit', numFmt: 'mm-dd-yy' }, { header: 'Vertragskonto' },
    ]);
  });
});
