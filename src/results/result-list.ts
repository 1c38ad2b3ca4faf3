import { DateTime } from 'luxon';
import type { Db } from '../db/client.js';
import { casePages, refusedPages, resultContext, type ClientRow, type ListRow } from './load-results.js';
import { attemptRows, ATTEMPT_COLUMNS, mainColumns, mainRow, refusedColumns, refusedRow } from './result-rows.js';
import type { ResultSheet } from './sheet.js';
import { resultFileName } from './file-name.js';

/**
 * The result list of one dunning list (DESIGN.md section 8): the cases in file order with
 * their outcome, every attempt, and the rows refused at import. Each sheet reads the database
 * page by page while it is written.
 */
export function resultSheets(db: Db, list: ListRow, client: ClientRow): ResultSheet[] {
  const ctx = resultContext(list, client);
  return [
    {
      name: 'Ergebnisliste',
      columns: mainColumns(ctx),
      rows: async function* () {
        for await (const page of casePages(db, list.id)) yield page.map((c) => mainRow(ctx, c));
      },
    },
    {
      name: 'Versuche',
      columns: ATTEMPT_COLUMNS,
      rows: async function* () {
        for await (const page of casePages(db, list.id)) yield page.flatMap((c) => attemptRows(ctx, c));
      },
    },
    {
      name: 'Nicht importiert',
      columns: refusedColumns(ctx),
      rows: async function* () {
        for await (const page of refusedPages(db, list.id)) yield page.map((r) => refusedRow(ctx, r));
      },
    },
  ];
}

/** A list still being worked (or paused) gets an interim result list; a completed or cancelled one the final. */
export function isInterim(list: ListRow): boolean {
  return list.status === 'active' || list.status === 'paused' || list.status === 'importing';
}

export function resultListName(list: ListRow, client: ClientRow, now: Date, ext: 'xlsx' | 'csv'): string {
  const day = DateTime.fromJSDate(now, { zone: client.settings.timezone }).toISODate() ?? now.toISOString().slice(0, 10);
  return resultFileName({ clientCode: client.code, listName: list.name, day, interim: isInterim(list), ext });
}

/** Switzerland writes 1234.50, Germany and Austria 1234,50. */
export function csvDecimal(client: ClientRow): ',' | '.' {
  return client.settings.defaultCountry === 'CH' || client.settings.defaultCountry === 'LI' ? '.' : ',';
}
