import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { LeClient, LeCounts, LeReport } from './le.schemas.js';
import { leWorkbook } from './le-xlsx.js';

const counts: LeCounts = { attempts: 1, reached: 1, rightParty: 1, promises: 0, promiseAmountCents: 0, promiseAmountsCents: {}, byOutcome: { paid: 1 } };
const client = (code: string, n: number): LeClient => ({
  clientId: `00000000-0000-4000-8000-00000000000${n}`,
  code,
  name: `Mandant ${code}`,
  timezone: 'Europe/Berlin',
  outcomes: [{ code: 'paid', label: 'Erledigt – bezahlt', effect: 'close' }],
  rows: [{ ...counts, date: '2026-11-02', agent: null }],
  totals: counts,
});

describe('leWorkbook sheet names', () => {
  it('names a sheet for every client code, also the ones Excel reserves or that differ only in case', async () => {
    const report: LeReport = { from: '2026-11-01', to: '2026-11-30', groupBy: 'day', clients: [client('History', 1), client('swm', 2), client('SWM', 3)], totals: counts };
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await leWorkbook(report, new Date('2026-12-01T08:00:00Z'))) as unknown as ArrayBuffer);
    expect(book.worksheets.map((ws) => ws.name)).toEqual(['Übersicht', 'History (2)', 'swm', 'SWM (2)']);
  });
});
