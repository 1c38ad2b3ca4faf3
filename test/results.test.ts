import { parse } from 'csv-parse/sync';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempts, cases, dunningLists } from '../src/db/schema.js';
import { casePages } from '../src/results/load-results.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { caseIdsByCustomer, readXlsx, record, RESULT_HEADER, resultWorkbook } from './helpers/results.js';
import { seedList } from './helpers/seed.js';
import { uploadAndImport } from './helpers/workbooks.js';

let t: TestContext;
let admin: string;
let lead: string;
let agentId: string;
let clientId: string;
let listId: string;
let ids: Map<string, string>;

const RESULT_COLUMNS = ['Ergebnis', 'Ergebnis-Code', 'Zusage Betrag', 'Zusage Datum', 'Versuche', 'Letzter Versuch', 'Richtige Person', 'Notizen', 'Erreicht unter', 'Falsche Nummern', 'Sprache', 'Währung'];
const utc = (iso: string) => new Date(`${iso}Z`);

async function download(path: string, cookie: string) {
  const res = await t.app.fetch(new Request(`http://localhost${path}`, { headers: { cookie } }));
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.userSession('admin')).cookie;
  clientId = await createClient(t, admin, { ...fastRules, code: 'SWM', name: 'Stadtwerke Muster', resultEmail: 'forderung@example.de' });
  lead = (await t.userSession('lead', [clientId])).cookie;
  agentId = (await t.userSession('agent', [clientId])).user.id;
  const list = await uploadAndImport(t, lead, clientId, await resultWorkbook(), 'Mahnlauf November.xlsx');
  listId = list.id;
  ids = await caseIdsByCustomer(t, listId);
  // K-1: not reached, then a promise; K-2: paid; the others are still open.
  // Sent as the agent's form sends it (the box not ticked): nobody answered, so no „nein“ in the list.
  await record(t, ids.get('K-1')!, agentId, 1, '2026-11-25T08:30:00Z', { outcome: 'not_reached', rightParty: false, note: 'Mailbox' });
  await record(t, ids.get('K-1')!, agentId, 2, '2026-11-25T16:05:00Z', { outcome: 'promise_to_pay', rightParty: true, promise: { amountCents: 5000, date: '2026-12-15' }, note: 'zahlt =sofort' });
  await record(t, ids.get('K-2')!, agentId, 1, '2026-11-25T09:10:00Z', { outcome: 'paid', rightParty: true });
});
afterAll(() => t.close());

describe('result list', () => {
  it('as xlsx: the client’s columns as delivered, the outcome, every attempt and the refused rows', async () => {
    const res = await download(`/api/lists/${listId}/results.xlsx`, lead);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="Ergebnisliste_SWM_Mahnlauf-November_Zwischenstand_2026-11-25.xlsx"');
    const sheets = await readXlsx(res.bytes);
    expect([...sheets.keys()]).toEqual(['Ergebnisliste', 'Versuche', 'Nicht importiert']);

    const main = sheets.get('Ergebnisliste')!;
    expect(main[0]).toEqual([...RESULT_HEADER, ...RESULT_COLUMNS]);
    expect(main).toHaveLength(8); // header + 7 cases, in file order
    expect(main.slice(1).map((r) => r[0])).toEqual(['K-1', 'K-2', 'K-3', 'K-4', 'K-5', 'K-6', 'K-7']);
    expect(main[1]).toEqual([
      'K-1', 'Jürgen Weiß', '0721 1234567', 2372.25, utc('2026-09-11T00:00:00'), 210012345678, `'=HYPERLINK("http://evil.example","Klick")`, null,
      'Zahlungszusage', 'promise_to_pay', 50, utc('2026-12-15T00:00:00'), 2, utc('2026-11-25T17:05:00'), 'ja',
      '25.11.2026 09:30: Mailbox\n25.11.2026 17:05: zahlt =sofort', '0721 1234567', null, 'Deutsch', 'EUR',
    ]);
    expect(main[2]!.slice(8, 18)).toEqual(['Erledigt – bezahlt', 'paid', null, null, 1, utc('2026-11-25T10:10:00'), 'ja', null, '+49 721 123456', null]);
    expect(main[3]!.slice(0, 8)).toEqual(['K-3', 'Zoë Straße', '0721 7654321', 1000, null, null, "'@cmd", null]);
    expect(main[3]!.slice(8, 20)).toEqual(['Offen', 'open', null, null, 0, null, null, null, null, null, 'Deutsch', 'EUR']);
    // Neutralised: -2+3, a leading tab; untouched: a phone number and a plain negative number.
    expect(main.slice(4).map((r) => r[6])).toEqual(["'-2+3", "'\tTab voran", '+49 721 123456', '-12,50']);
    expect(main[2]![2]).toBe('+49 721 123456');

    const attempts = sheets.get('Versuche')!;
    expect(attempts[0]).toEqual(['Zeile', 'Kundennummer', 'Name', 'Versuch', 'Zeitpunkt', 'Nummer', 'Ergebnis', 'Ergebnis-Code', 'Richtige Person', 'Zusage Betrag', 'Zusage Datum', 'Rückruf', 'Notiz']);
    expect(attempts.slice(1)).toEqual([
      [3, 'K-1', 'Jürgen Weiß', 1, utc('2026-11-25T09:30:00'), '0721 1234567', 'Kunde nicht erreicht', 'not_reached', null, null, null, null, 'Mailbox'],
      [3, 'K-1', 'Jürgen Weiß', 2, utc('2026-11-25T17:05:00'), '0721 1234567', 'Zahlungszusage', 'promise_to_pay', 'ja', 50, utc('2026-12-15T00:00:00'), null, 'zahlt =sofort'],
      [4, 'K-2', 'Anna Öztürk', 1, utc('2026-11-25T10:10:00'), '+49 721 123456', 'Erledigt – bezahlt', 'paid', 'ja', null, null, null, null],
    ]);

    const refused = sheets.get('Nicht importiert')!;
    expect(refused[0]).toEqual(['Zeile', 'Spalte', 'Wert', 'Grund', ...RESULT_HEADER]);
    expect(refused.slice(1)).toEqual([[10, 'Mahnsumme', 'abc', 'Kein Betrag (erwartet z. B. 1.234,56 oder 1234.56)', 'K-8', 'Falsch Betrag', '0721 9999999', 'abc', null, null, 'kaputt', null]]);
  });

  it('keeps the client’s number and date formats and writes no formula', async () => {
    const { bytes } = await download(`/api/lists/${listId}/results.xlsx`, lead);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Ergebnisliste')!;
    expect(ws.getCell('D2').numFmt).toBe('#,##0.00');
    expect(ws.getCell('E2').numFmt).toBe('dd.mm.yyyy');
    expect(ws.getCell('K2').numFmt).toBe('#,##0.00');
    let formulas = 0;
    wb.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => void (cell.type === ExcelJS.ValueType.Formula && formulas++))));
    expect(formulas).toBe(0);
  });

  it('as CSV: UTF-8 with BOM, ";", German numbers and dates, the same neutralising', async () => {
    const res = await download(`/api/lists/${listId}/results.csv`, lead);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('Ergebnisliste_SWM_Mahnlauf-November_Zwischenstand_2026-11-25.csv');
    expect([...res.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(res.bytes);
    expect(text).toContain('\r\n');
    // Rows as Excel splits them: at any line break outside quotes, not only at CRLF.
    const rows: string[][] = parse(text, { delimiter: ';', bom: true, record_delimiter: ['\r\n', '\n', '\r'] });
    expect(rows[0]).toEqual([...RESULT_HEADER, ...RESULT_COLUMNS]);
    expect(rows).toHaveLength(8);
    expect(rows[1]).toEqual([
      'K-1', 'Jürgen Weiß', '0721 1234567', '2372,25', '11.09.2026', '210012345678', `'=HYPERLINK("http://evil.example","Klick")`, '',
      'Zahlungszusage', 'promise_to_pay', '50', '15.12.2026', '2', '25.11.2026 17:05', 'ja', '25.11.2026 09:30: Mailbox\n25.11.2026 17:05: zahlt =sofort', '0721 1234567', '', 'Deutsch', 'EUR',
    ]);
    expect(rows.slice(2).map((r) => r[6])).toEqual(["'+SUM(1)", "'@cmd", "'-2+3", "'\tTab voran", '+49 721 123456', '-12,50']);
    expect(rows[2]![3]).toBe('89,9');
  });

  it('is refused to agents and to leads of other clients, and a download is audited', async () => {
    const agent = (await t.userSession('agent', [clientId])).cookie;
    expect((await download(`/api/lists/${listId}/results.xlsx`, agent)).status).toBe(403);
    const otherClient = await createClient(t, admin, { name: 'Andere' });
    const foreignLead = (await t.userSession('lead', [otherClient])).cookie;
    expect((await download(`/api/lists/${listId}/results.csv`, foreignLead)).status).toBe(403);
    expect((await t.request('GET', `/api/audit?list=${listId}`, { cookie: lead })).status).toBe(403);

    const audit = await t.request('GET', `/api/audit?list=${listId}`, { cookie: admin });
    expect(audit.status).toBe(200);
    const downloads = audit.body.filter((e: { action: string }) => e.action === 'results.download');
    expect(downloads.length).toBeGreaterThanOrEqual(3);
    expect(downloads[0]).toMatchObject({ entityType: 'list', entityId: listId, actor: { username: expect.stringMatching(/^lead-/) }, details: { interim: true } });
    expect(JSON.stringify(audit.body)).not.toContain('Jürgen');
  });

  it('reads the cases page by page with each case’s own attempts, whatever the page size', async () => {
    // What the database holds now (other tests record more attempts): file order, attempts per case.
    const held = await t.db
      .select({ customerNo: cases.customerNo, attemptNo: attempts.attemptNo })
      .from(cases)
      .leftJoin(attempts, eq(attempts.caseId, cases.id))
      .where(eq(cases.listId, listId))
      .orderBy(asc(cases.rowNumber), asc(attempts.attemptNo));
    const expected = [...new Set(held.map((r) => r.customerNo))].map((customerNo) => ({
      customerNo,
      attempts: held.filter((r) => r.customerNo === customerNo && r.attemptNo !== null).map((r) => r.attemptNo),
    }));
    expect(expected.map((c) => c.customerNo)).toEqual(['K-1', 'K-2', 'K-3', 'K-4', 'K-5', 'K-6', 'K-7']);
    expect(expected[0]!.attempts).toEqual([1, 2]);
    for (const pageSize of [1, 2, 3, 7, 1000]) {
      const pages: Array<Array<{ customerNo: string; attempts: number[] }>> = [];
      for await (const page of casePages(t.db, listId, pageSize)) pages.push(page.map((c) => ({ customerNo: c.customerNo, attempts: c.attempts.map((a) => a.attemptNo) })));
      expect(pages.map((p) => p.length)).toEqual(Array.from({ length: Math.ceil(7 / pageSize) }, (_, k) => Math.min(pageSize, 7 - k * pageSize)));
      expect(pages.flat()).toEqual(expected);
    }
  });

  it('is final once the list is done, and says so in the name', async () => {
    for (const no of ['K-3', 'K-4', 'K-5', 'K-6', 'K-7']) await record(t, ids.get(no)!, agentId, 1, '2026-11-25T10:00:00Z', { outcome: 'refused' });
    const list = await t.request('GET', `/api/lists/${listId}`, { cookie: lead });
    expect(list.body).toMatchObject({ status: 'completed', counts: { total: 7, closed: 7 }, delivery: null, purgedAt: null });
    const res = await download(`/api/lists/${listId}/results.xlsx`, lead);
    expect(res.headers.get('content-disposition')).toContain('filename="Ergebnisliste_SWM_Mahnlauf-November_2026-11-25.xlsx"');
    const main = (await readXlsx(res.bytes)).get('Ergebnisliste')!;
    expect(main.slice(1).map((r) => r[9])).toEqual(['promise_to_pay', 'paid', 'refused', 'refused', 'refused', 'refused', 'refused']);
    expect(main.slice(1).map((r) => r[16])).toEqual(['0721 1234567', '+49 721 123456', '0721 7654321', '0721 5555555', '0721 6666666', '0721 7777777', '0721 8888888']);
  });

  it('downloads a list whose long name is cut next to an emoji: the header encodes the cut name', async () => {
    const { listId: long } = await seedList(t, clientId, 1);
    // 📎 is two UTF-16 units, the 80th the first half: a cut there made every download a 500.
    await t.db.update(dunningLists).set({ name: `${'A'.repeat(79)}📎 Teil 2` }).where(eq(dunningLists.id, long));
    const res = await download(`/api/lists/${long}/results.xlsx`, lead);
    expect(res.status).toBe(200);
    const encoded = /filename\*=UTF-8''(\S+)$/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? '';
    expect(decodeURIComponent(encoded)).toBe(`Ergebnisliste_SWM_${'A'.repeat(79)}📎_Zwischenstand_2026-11-25.xlsx`);
    expect((await readXlsx(res.bytes)).get('Ergebnisliste')).toHaveLength(2);
  });
});
