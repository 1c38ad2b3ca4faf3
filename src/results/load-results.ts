import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { attempts, cases, clients, dunningLists, rejectedRows } from '../db/schema.js';
import type { RefusedRow, ResultAttempt, ResultCase, ResultContext } from './result-rows.js';

export type ListRow = typeof dunningLists.$inferSelect;
export type ClientRow = typeof clients.$inferSelect;

/** A page of cases is read, written and let go: a 100,000-case list never sits in memory. */
export const PAGE_SIZE = 1000;

export function resultContext(list: ListRow, client: ClientRow): ResultContext {
  return { report: list.report ?? null, outcomes: client.settings.outcomes, timezone: client.settings.timezone };
}

/** The list's cases in file order with their attempts, page by page (keyset on the row number). */
export async function* casePages(db: Db, listId: string, pageSize = PAGE_SIZE): AsyncGenerator<ResultCase[]> {
  let after = 0;
  for (;;) {
    const rows = await db
      .select({
        id: cases.id,
        rowNumber: cases.rowNumber,
        customerNo: cases.customerNo,
        name: cases.name,
        phoneRaw: cases.phoneRaw,
        phones: cases.phones,
        address: cases.address,
        amountCents: cases.amountCents,
        language: cases.language,
        secondLanguage: cases.secondLanguage,
        extra: cases.extra,
        source: cases.source,
        status: cases.status,
        finalOutcome: cases.finalOutcome,
        promiseAmountCents: cases.promiseAmountCents,
        promiseDate: cases.promiseDate,
      })
      .from(cases)
      .where(and(eq(cases.listId, listId), gt(cases.rowNumber, after)))
      .orderBy(asc(cases.rowNumber))
      .limit(pageSize);
    if (rows.length === 0) return;
    const byCase = await attemptsOf(db, rows.map((r) => r.id));
    yield rows.map(({ id, ...r }) => ({ ...r, attempts: byCase.get(id) ?? [] }));
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.rowNumber;
  }
}

async function attemptsOf(db: Db, caseIds: string[]): Promise<Map<string, ResultAttempt[]>> {
  const rows = await db
    .select({
      caseId: attempts.caseId,
      attemptNo: attempts.attemptNo,
      recordedAt: attempts.recordedAt,
      phoneE164: attempts.phoneE164,
      outcome: attempts.outcome,
      rightParty: attempts.rightParty,
      note: attempts.note,
      promiseAmountCents: attempts.promiseAmountCents,
      promiseDate: attempts.promiseDate,
      callback: attempts.callback,
    })
    .from(attempts)
    .where(inArray(attempts.caseId, caseIds))
    .orderBy(asc(attempts.caseId), asc(attempts.attemptNo));
  const byCase = new Map<string, ResultAttempt[]>();
  for (const { caseId, ...a } of rows) {
    let list = byCase.get(caseId);
    if (!list) byCase.set(caseId, (list = []));
    list.push({ ...a, callback: a.callback as ResultAttempt['callback'] });
  }
  return byCase;
}

/** The rows refused at import, in file order, page by page. */
export async function* refusedPages(db: Db, listId: string, pageSize = PAGE_SIZE): AsyncGenerator<RefusedRow[]> {
  let after = 0;
  for (;;) {
    const rows = await db
      .select({ rowNumber: rejectedRows.rowNumber, problems: rejectedRows.problems, source: rejectedRows.source })
      .from(rejectedRows)
      .where(and(eq(rejectedRows.listId, listId), gt(rejectedRows.rowNumber, after)))
      .orderBy(asc(rejectedRows.rowNumber))
      .limit(pageSize);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.rowNumber;
  }
}
