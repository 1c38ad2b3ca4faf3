import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../src/db/schema.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient } from './helpers/dispatch.js';
import { uploadAndImport } from './helpers/workbooks.js';

/** Workbooks shaped like billing-system exports: a cover sheet, no country column, several numbers. */
let t: TestContext;
let admin: string;

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.userSession('admin')).cookie;
});
afterAll(() => t.close());

async function workbook(sheets: Array<[string, unknown[][]]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of sheets) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r as ExcelJS.CellValue[]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const COVER: [string, unknown[][]] = ['Info', [['Mahnliste Dezember'], ['Hinweis an das Callcenter: bitte bis 15.12. abarbeiten.']]];
const HEADER = ['Kundennummer', 'Name', 'PLZ', 'Ort', 'Telefon', 'Mobil', 'Offener Betrag'];

describe('lists as clients send them', () => {
  it('finds the list behind a cover sheet, tells each customer’s country from the address, and keeps every number', async () => {
    const clientId = await createClient(t, admin, { code: 'SWM', name: 'Stadtwerke Muster' });
    const list = await uploadAndImport(t, admin, clientId, await workbook([
      COVER,
      ['Mahnliste', [
        HEADER,
        ['D-1', 'Karl Karlsruhe', '76133', 'Karlsruhe', '0721 1234567', '', 100],
        ['CH-1', 'Zora Zürich', '8001', 'Zürich', '044 123 45 67', '', 100],
        ['CH-2', 'Gilles Genève', '1204', 'Genève', '022 123 45 67', '', 100],
        ['CH-3', 'Bea Biel', '2502', 'Biel/Bienne', '032 123 45 67', '', 100],
        ['CH-4', 'Fritz Fribourg', '1700', 'Freiburg', '026 123 45 67', '', 100],
        ['CH-5', 'Dieter Deutschhandy', '8001', 'Zürich', '', '+49 171 2345678', 100],
        ['AT-1', 'Wilma Wien', '1010', 'Wien', '01 5123456', '', 100],
        ['AT-2', 'Gerda Graz', 8010, 'Graz', '0316 123456', '', 100],
        ['D-2', 'Dora Dresden', 1067, 'Dresden', '0351 1234567', '', 100],
        ['D-3', 'Mia Mobil', '10115', 'Berlin', '', '0171 7654321', 100],
        ['D-4', 'Zwei Nummern', '10115', 'Berlin', '030 1234567; 030 7654321', '0171 1111111', 100],
        // A CSV Excel wrote from a number cell: the 0 is gone from the text too. Not Austria.
        ['D-5', 'Tom Text', '1069', 'Dresden', '', '0171 2345678', 100],
        ['CH-6', 'Susi Space', 'CH 8004', 'Zürich', '044 123 45 68', '', 100],
        ['X-1', 'Keine Nummer', '10115', 'Berlin', '', '', 100],
        ['X-2', 'Kaputte Nummern', '10115', 'Berlin', '12', 'keine', 100],
      ]],
    ]));
    expect(list.status).toBe('active');
    expect(list.report.sheet).toEqual({ name: 'Mahnliste', skipped: [{ name: 'Info', code: 'no_header' }] });
    expect(list.report.countries).toEqual({
      DE: { rows: 5, by: { postcode: 3, postcodeWithoutZero: 2 } },
      CH: { rows: 6, by: { postcodeTown: 5, postalPrefix: 1 } },
      AT: { rows: 2, by: { phone: 2 } },
    });
    expect(list.report.rejected.map((r: { row: number; column: string; reason: string }) => [r.row, r.column, r.reason])).toEqual([
      [15, 'Telefon', 'phone number is empty'],
      [16, 'Telefon', 'phone number too short'],
    ]);

    const rows = await t.db.select().from(cases).where(eq(cases.listId, list.id));
    const byNo = new Map(rows.map((c) => [c.customerNo, c]));
    const of = (no: string) => byNo.get(no)!;
    expect([of('D-1').country, of('D-1').phoneE164]).toEqual(['DE', '+497211234567']);
    // Not Oldenburg and Köln: Swiss numbers, Swiss holidays, the region's language.
    expect([of('CH-1').country, of('CH-1').phoneE164, of('CH-1').language]).toEqual(['CH', '+41441234567', 'de']);
    expect([of('CH-2').country, of('CH-2').phoneE164, of('CH-2').language]).toEqual(['CH', '+41221234567', 'fr']);
    expect(of('CH-3').country).toBe('CH');
    expect([of('CH-4').country, of('CH-4').phoneE164]).toEqual(['CH', '+41261234567']);
    // A Swiss customer with a German mobile: the customer is Swiss, the number German.
    expect([of('CH-5').country, of('CH-5').phoneE164]).toEqual(['CH', '+491712345678']);
    expect([of('AT-1').country, of('AT-1').phoneE164]).toEqual(['AT', '+4315123456']);
    expect([of('AT-2').country, of('AT-2').phoneE164]).toEqual(['AT', '+43316123456']);
    expect([of('D-2').country, of('D-2').postalCode, of('D-2').phoneE164]).toEqual(['DE', '01067', '+493511234567']);
    expect([of('D-5').country, of('D-5').postalCode, of('D-5').phoneE164]).toEqual(['DE', '01069', '+491712345678']);
    expect([of('CH-6').country, of('CH-6').postalCode, of('CH-6').phoneE164]).toEqual(['CH', '8004', '+41441234568']);
    // Mobile only: taken. Several numbers: all, in column order, each with its kind.
    expect(of('D-3').phones).toEqual([{ e164: '+491717654321', raw: '0171 7654321', kind: 'Mobil', status: 'active' }]);
    expect(of('D-4').phones.map((p) => [p.e164, p.raw, p.kind])).toEqual([
      ['+49301234567', '030 1234567', 'Telefon'],
      ['+49307654321', '030 7654321', 'Telefon'],
      ['+491711111111', '0171 1111111', 'Mobil'],
    ]);
    expect(of('D-4').phoneE164).toBe('+49301234567');
  });

  it('takes the sheet with the most rows when several have a header, and says which it skipped', async () => {
    const clientId = await createClient(t, admin, { name: 'Zwei Blätter' });
    const row = (i: number) => [`K${i}`, `Kunde ${i}`, '76133', 'Karlsruhe', `0721 ${1_000_000 + i}`, '', 10];
    const list = await uploadAndImport(t, admin, clientId, await workbook([
      ['Vorschau', [HEADER, row(10), row(11)]], // an extract of the full list
      ['Alle Fälle', [HEADER, ...Array.from({ length: 5 }, (_, i) => row(i + 10))]],
    ]));
    expect(list.report.accepted).toBe(5);
    expect(list.report.sheet).toEqual({ name: 'Alle Fälle', skipped: [{ name: 'Vorschau', code: 'fewer_rows', rows: 2 }] });
  });
});
