import { and, asc, eq, gt, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { attempts, cases, clients, dunningLists, rejectedRows } from '../db/schema.js';
import type { RefusedRow, ResultAttempt, ResultCase, ResultContext } from './result-rows.js';

export type ListRow = typeof dunningLists.$inferSelect;
export type ClientRow = typeof clients.$inferSelect;

/** A page of cases is read, written and let go: a 100,000-case list never sits in memory. */
export const PAGE_SIZE = 1000;

export function resultContext(list: ListRow, client: ClientRow): ResultContext {
  return { report: list.report ?? null, outcomes: client.settings.outcomes, timezone: client.settings.timezone };
}

/**
 * The list's cases in file order with their attempts, page by page (keyset on the row number).
 * The next page is read while the caller writes this one, so the writer does not wait for the
 * database between pages (two pages in memory at most).
 */
export async function* casePages(db: Db, listId: string, pageSize = PAGE_SIZE): AsyncGenerator<ResultCase[]> {
  let next: Promise<ResultCase[]> | null = casePage(db, listId, 0, pageSize);
  while (next) {
    const page: ResultCase[] = await next;
    if (page.length === 0) return;
    next = page.length < pageSize ? null : casePage(db, listId, page.at(-1)!.rowNumber, pageSize);
    // A caller that stops here (a cancelled download) never awaits it: its failure is nobody's.
    next?.catch(() => {});
    yield page;
  }
}

/**
 * Both queries are prepared (built once, planned once per connection): the attempts are found by
 * the page's row range, not by a list of its 1,000 case ids — as `in (…)` that was a statement
 * of 1,000 parameters, built, sent and parsed anew for every page, most of the download's CPU.
 */
async function casePage(db: Db, listId: string, after: number, limit: number): Promise<ResultCase[]> {
  const rows = await prepared(db, 'result_case_page', buildCasePage).execute({ listId, after, limit });
  if (rows.length === 0) return [];
  const last = rows.at(-1)!.rowNumber;
  const byCase = new Map<string, ResultAttempt[]>();
  for (const { caseId, ...a } of await prepared(db, 'result_attempts_page', buildAttemptsPage).execute({ listId, after, last })) {
    let list = byCase.get(caseId);
    if (!list) byCase.set(caseId, (list = []));
    list.push({ ...a, callback: a.callback as ResultAttempt['callback'] });
  }
  return rows.map(({ id, ...r }) => ({ ...r, attempts: byCase.get(id) ?? [] }));
}

const buildCasePage = (db: Db) =>
  db
    .select({
      id: cases.id,
      rowNumber: cases.rowNumber,
      customerNo: cases.customerNo,
      name: cases.name,
      phoneRaw: cases.phoneRaw,
      phones: cases.phones,
      address: cases.address,
      amountCents: cases.amountCents,
      currency: cases.currency,
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
    .where(and(eq(cases.listId, sql.placeholder('listId')), gt(cases.rowNumber, sql.placeholder('after'))))
    .orderBy(asc(cases.rowNumber))
    .limit(sql.placeholder('limit'))
    .prepare('result_case_page');

/** The attempts of the cases in rows (after, last] of the list, in file order then attempt order. */
const buildAttemptsPage = (db: Db) =>
  db
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
    .innerJoin(cases, eq(cases.id, attempts.caseId))
    .where(and(eq(cases.listId, sql.placeholder('listId')), gt(cases.rowNumber, sql.placeholder('after')), lte(cases.rowNumber, sql.placeholder('last'))))
    .orderBy(asc(cases.rowNumber), asc(attempts.attemptNo))
    .prepare('result_attempts_page');

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
