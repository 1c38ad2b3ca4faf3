import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { attempts, cases, clients, dunningLists, users } from '../src/db/schema.js';
import { XLSX_TYPE } from '../src/http/download.js';
import { leReport } from '../src/reports/le.service.js';
import { defaultSchedulingSettings } from '../src/scheduling/settings.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { seedLeFixture, type LeFixture } from './helpers/le-seed.js';

let t: TestContext;
let f: LeFixture;
let admin: string;
let lead: string;

const NOV = 'from=2026-11-01&to=2026-11-30';
const counts = (attempts: number, reached: number, rightParty: number, promises: number, promiseAmountsCents: Record<string, number>, byOutcome: Record<string, number>) => ({
  attempts, reached, rightParty, promises, promiseAmountCents: promiseAmountsCents.EUR ?? 0, promiseAmountsCents, byOutcome,
});

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.userSession('admin')).cookie;
  f = await seedLeFixture(t, admin);
  lead = (await t.userSession('lead', [f.swm])).cookie;
});
afterAll(() => t.close());

const get = (query: string, cookie = lead) => t.request('GET', `/api/reports/le?${query}`, { cookie });

async function download(query: string, cookie = lead) {
  const res = await t.app.fetch(new Request(`http://localhost/api/reports/le.xlsx?${query}`, { headers: { cookie } }));
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

async function workbook(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
  return wb;
}

/** Cell values of a row without exceljs' unused index 0. */
const values = (ws: ExcelJS.Worksheet, row: number) => (ws.getRow(row).values as unknown[]).slice(1);

describe('GET /api/reports/le', () => {
  it("counts a client's attempts per day in its own time zone, by outcome, reached, right party and promises", async () => {
    const res = await get(`clientId=${f.swm}&${NOV}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ from: '2026-11-01', to: '2026-11-30', groupBy: 'day' });
    expect(res.body.clients).toHaveLength(1);
    const swm = res.body.clients[0];
    expect(swm).toMatchObject({ clientId: f.swm, code: 'SWM', name: 'Stadtwerke Muster', timezone: 'Europe/Berlin' });
    // 31 Oct 23:30 UTC is 1 Nov in Berlin; 2 Nov 23:30 UTC is 3 Nov; 30 Nov 23:30 UTC is December.
    expect(swm.rows).toEqual([
      { date: '2026-11-01', agent: null, ...counts(1, 0, 0, 0, {}, { not_reached: 1 }) },
      { date: '2026-11-02', agent: null, ...counts(2, 2, 2, 1, { EUR: 12_345 }, { paid: 1, promise_to_pay: 1 }) },
      // callback is reached; voicemail is a retry outcome; an unknown code is not reached.
      { date: '2026-11-03', agent: null, ...counts(3, 1, 0, 0, {}, { callback: 1, voicemail: 1, legacy_code: 1 }) },
      { date: '2026-11-04', agent: null, ...counts(1, 1, 1, 1, { EUR: 5_000 }, { promise_to_pay: 1 }) },
    ]);
    expect(swm.totals).toEqual(counts(7, 4, 3, 2, { EUR: 17_345 }, { not_reached: 1, paid: 1, promise_to_pay: 2, callback: 1, voicemail: 1, legacy_code: 1 }));
    expect(res.body.totals).toEqual(swm.totals);
    // The client's outcomes in settings order, then the code the settings no longer know.
    expect(swm.outcomes.map((o: { code: string }) => o.code)).toEqual([
      'paid', 'promise_to_pay', 'dispute', 'wrong_number', 'refused', 'not_reached', 'callback', 'voicemail', 'legacy_code',
    ]);
    expect(swm.outcomes.at(-2)).toEqual({ code: 'voicemail', label: 'Mailbox', effect: 'retry' });
    expect(swm.outcomes.at(-1)).toEqual({ code: 'legacy_code', label: 'legacy_code', effect: null });
  });

  it('reads each client in its own zone: the same instant is another day for London', async () => {
    const res = await get(`clientId=${f.evl}&${NOV}`, admin);
    expect(res.status).toBe(200);
    expect(res.body.clients[0].rows).toEqual([
      { date: '2026-11-02', agent: null, ...counts(1, 0, 0, 0, {}, { not_reached: 1 }) },
      { date: '2026-11-30', agent: null, ...counts(1, 1, 1, 1, { CHF: 20_000 }, { promise_to_pay: 1 }) },
    ]);
  });

  it('counts per agent with username and display name; attempts without agent come last', async () => {
    const res = await get(`clientId=${f.swm}&${NOV}&groupBy=agent`);
    expect(res.status).toBe(200);
    expect(res.body.clients[0].rows).toEqual([
      { date: null, agent: { id: f.anna.id, username: 'anna', displayName: 'Anna Schmidt' }, ...counts(3, 2, 1, 0, {}, { not_reached: 1, paid: 1, callback: 1 }) },
      { date: null, agent: { id: f.bernd.id, username: 'bernd', displayName: 'Bernd Weber' }, ...counts(3, 1, 1, 1, { EUR: 12_345 }, { promise_to_pay: 1, voicemail: 1, legacy_code: 1 }) },
      { date: null, agent: null, ...counts(1, 1, 1, 1, { EUR: 5_000 }, { promise_to_pay: 1 }) },
    ]);
  });

  it('takes from and to as whole days: a one-day period', async () => {
    const res = await get(`clientId=${f.swm}&from=2026-11-03&to=2026-11-03`);
    expect(res.body.clients[0].rows.map((r: { date: string }) => r.date)).toEqual(['2026-11-03']);
    expect(res.body.clients[0].totals.attempts).toBe(3);
  });

  it('without clientId covers every client in scope: a lead only theirs, an admin all with attempts', async () => {
    const mine = await get(NOV);
    expect(mine.status).toBe(200);
    expect(mine.body.clients.map((c: { code: string }) => c.code)).toEqual(['SWM']);
    expect(mine.body.totals.attempts).toBe(7);

    const all = await get(NOV, admin);
    expect(all.body.clients.map((c: { code: string }) => c.code)).toEqual(['EVL', 'SWM']);
    // EVL's promise is in Swiss francs: a sum of its own, never added to SWM's euros.
    expect(all.body.totals).toEqual(counts(9, 5, 4, 3, { EUR: 17_345, CHF: 20_000 }, { not_reached: 2, paid: 1, promise_to_pay: 3, callback: 1, voicemail: 1, legacy_code: 1 }));
  });

  it('shows a client asked for by id even without attempts', async () => {
    const res = await get(`clientId=${f.empty}&${NOV}`, admin);
    expect(res.status).toBe(200);
    expect(res.body.clients).toEqual([expect.objectContaining({ code: 'LEER', rows: [], totals: counts(0, 0, 0, 0, {}, {}) })]);
  });

  it('refuses a foreign client (403), agents (403) and an unknown client (404)', async () => {
    const foreign = await get(`clientId=${f.evl}&${NOV}`);
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'forbidden']);
    const agent = await t.userSession('agent', [f.swm]);
    expect((await get(`clientId=${f.swm}&${NOV}`, agent.cookie)).status).toBe(403);
    expect((await download(`clientId=${f.evl}&${NOV}`)).res.status).toBe(403);
    expect((await get(`clientId=00000000-0000-4000-8000-000000000000&${NOV}`, admin)).status).toBe(404);
    expect((await t.request('GET', `/api/reports/le?${NOV}`)).status).toBe(401);
  });

  it.each([
    ['from=2026-02-30&to=2026-03-01', 'from: "2026-02-30" is not a calendar date; use YYYY-MM-DD'],
    ['from=2026-11-1&to=2026-11-30', 'from: "2026-11-1" is not a calendar date'],
    ['from=01.11.2026&to=2026-11-30', 'from: "01.11.2026" is not a calendar date'],
    ['from=2026-11-01', 'to: to is required'],
    ['from=2026-11-30&to=2026-11-01', 'to: to 2026-11-01 is before from 2026-11-30'],
    ['from=2025-01-01&to=2026-01-02', 'to: the period has 367 days; at most 366 per report'],
    [`${NOV}&groupBy=week`, 'groupBy: groupBy must be "day" or "agent"'],
    [`${NOV}&clientId=swm`, 'clientId:'],
  ])('400 for %s', async (query, message) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation');
    expect(res.body.error.message).toContain(message);
    expect((await download(query)).res.status).toBe(400);
  });

  it('accepts a whole leap year (366 days)', async () => {
    expect((await get('from=2028-01-01&to=2028-12-31')).status).toBe(200);
  });
});

describe('GET /api/reports/le.xlsx', () => {
  it('downloads one sheet per day with German headers, date cells and amounts in euro', async () => {
    const { res, body } = await download(`clientId=${f.swm}&${NOV}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX_TYPE);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="LE-Bericht_SWM_2026-11-01_2026-11-30.xlsx"');
    const wb = await workbook(body);
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['SWM']);
    const ws = wb.getWorksheet('SWM')!;
    expect(ws.getCell('A1').value).toBe('LE-Bericht Stadtwerke Muster (SWM)');
    expect(ws.getCell('A2').value).toBe('Zeitraum 01.11.2026 – 30.11.2026 · je Tag · Zeitzone Europe/Berlin');
    expect(values(ws, 4)).toEqual([
      'Datum', 'Versuche (LE)', 'Erreicht', 'Richtige Person', 'Zusagen', 'Zusagen Summe EUR',
      'Erledigt – bezahlt', 'Zahlungszusage', 'Forderung bestritten', 'Falsche Nummer', 'Gespräch verweigert',
      'Kunde nicht erreicht', 'Später noch mal anrufen', 'Mailbox', 'legacy_code',
    ]);
    const day = (isoDate: string) => new Date(`${isoDate}T00:00:00Z`);
    expect(values(ws, 5)).toEqual([day('2026-11-01'), 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect(values(ws, 6)).toEqual([day('2026-11-02'), 2, 2, 2, 1, 123.45, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(values(ws, 7)).toEqual([day('2026-11-03'), 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
    expect(values(ws, 8)).toEqual([day('2026-11-04'), 1, 1, 1, 1, 50, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(values(ws, 9)).toEqual(['Summe', 7, 4, 3, 2, 173.45, 1, 2, 0, 0, 0, 1, 1, 1, 1]);
    expect(ws.getCell('A5').numFmt).toBe('dd.mm.yyyy');
    expect(ws.getCell('F6').numFmt).toBe('#,##0.00 "€"');
    expect(ws.getCell('F6').type).toBe(ExcelJS.ValueType.Number);
    expect(ws.rowCount).toBe(9);
  });

  it('per agent for all clients: an overview first, then a sheet per client', async () => {
    const { res, body } = await download(`${NOV}&groupBy=agent`, admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="LE-Bericht_alle_2026-11-01_2026-11-30.xlsx"');
    const wb = await workbook(body);
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['Übersicht', 'EVL', 'SWM']);
    const overview = wb.getWorksheet('Übersicht')!;
    // Francs and euros each in their own column, never added up.
    expect(values(overview, 4)).toEqual(['Mandant', 'Kürzel', 'Versuche (LE)', 'Erreicht', 'Richtige Person', 'Zusagen', 'Zusagen Summe CHF', 'Zusagen Summe EUR']);
    expect(values(overview, 5)).toEqual(['Energie London', 'EVL', 2, 1, 1, 1, 200, 0]);
    expect(values(overview, 6)).toEqual(['Stadtwerke Muster', 'SWM', 7, 4, 3, 2, 0, 173.45]);
    expect(values(overview, 7)).toEqual(['Summe', undefined, 9, 5, 4, 3, 200, 173.45]);
    expect(overview.getCell('G7').numFmt).toBe('#,##0.00 "CHF"');
    expect(overview.getCell('H7').numFmt).toBe('#,##0.00 "€"');
    expect(values(wb.getWorksheet('EVL')!, 4).slice(0, 7)).toEqual(['Mitarbeiter', 'Benutzername', 'Versuche (LE)', 'Erreicht', 'Richtige Person', 'Zusagen', 'Zusagen Summe CHF']);
    const swm = wb.getWorksheet('SWM')!;
    expect(values(swm, 4).slice(0, 7)).toEqual(['Mitarbeiter', 'Benutzername', 'Versuche (LE)', 'Erreicht', 'Richtige Person', 'Zusagen', 'Zusagen Summe EUR']);
    expect(values(swm, 5).slice(0, 7)).toEqual(['Anna Schmidt', 'anna', 3, 2, 1, 0, 0]);
    expect(values(swm, 6).slice(0, 7)).toEqual(['Bernd Weber', 'bernd', 3, 1, 1, 1, 123.45]);
    expect(values(swm, 7).slice(0, 7)).toEqual(['ohne Mitarbeiter', undefined, 1, 1, 1, 1, 50]);
  });

  it('still is a workbook when nothing was called', async () => {
    const { res, body } = await download('from=2026-01-01&to=2026-01-31', admin);
    expect(res.status).toBe(200);
    const wb = await workbook(body);
    expect(wb.worksheets.map((ws) => ws.name)).toEqual(['LE-Bericht']);
    expect(wb.getWorksheet('LE-Bericht')!.getCell('A4').value).toBe('Keine Versuche im Zeitraum.');
  });
});

describe('on the embedded PGlite database (npm start without DATABASE_URL)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mahn-le-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same counts and sums as PostgreSQL', async () => {
    const database = openDatabase({ dataDir: dir });
    try {
      await database.migrate();
      const { db } = database;
      const [client] = await db.insert(clients).values({ code: 'SWM', name: 'Stadtwerke Muster', settings: defaultSchedulingSettings }).returning();
      const [agent] = await db.insert(users).values({ username: 'anna', passwordHash: 'x', displayName: 'Anna Schmidt', role: 'agent' }).returning();
      const [list] = await db.insert(dunningLists).values({ clientId: client!.id, name: 'L', fileName: 'l.xlsx', fileSha256: 'x', fileBytes: 1 }).returning();
      const [c] = await db
        .insert(cases)
        .values({ listId: list!.id, clientId: client!.id, rowNumber: 2, customerNo: 'K1', name: 'N', phoneRaw: '+49', phoneE164: '+49', country: 'DE', amountCents: 1 })
        .returning();
      await db.insert(attempts).values([
        { caseId: c!.id, clientId: client!.id, attemptNo: 1, agentId: agent!.id, outcome: 'not_reached', recordedAt: new Date('2026-11-02T23:30:00Z') },
        { caseId: c!.id, clientId: client!.id, attemptNo: 2, agentId: agent!.id, outcome: 'promise_to_pay', rightParty: true, promiseAmountCents: 12_345, recordedAt: new Date('2026-11-03T10:00:00Z') },
      ]);
      const byDay = await leReport(db, null, { from: '2026-11-01', to: '2026-11-30', groupBy: 'day' });
      expect(byDay.clients[0]!.rows.map((r) => [r.date, r.attempts, r.reached])).toEqual([['2026-11-03', 2, 1]]);
      expect(byDay.totals).toEqual(counts(2, 1, 1, 1, { EUR: 12_345 }, { not_reached: 1, promise_to_pay: 1 }));
      const byAgent = await leReport(db, [client!.id], { from: '2026-11-01', to: '2026-11-30', groupBy: 'agent' });
      expect(byAgent.clients[0]!.rows[0]!.agent).toEqual({ id: agent!.id, username: 'anna', displayName: 'Anna Schmidt' });
    } finally {
      await database.close();
    }
  });
});
