import { and, eq, sql } from 'drizzle-orm';
import { loadSettings } from '../clients/clients.service.js';
import type { Tx } from '../db/client.js';
import { rowsOf } from '../db/rows.js';
import { cases, dunningLists, importFiles, rejectedRows } from '../db/schema.js';
import type { ServiceDeps } from '../deps.js';
import { addFirstCalls, firstCallPlanner, type FirstCallRow } from '../dispatch/first-calls.js';
import { isServiceUnavailable } from '../unavailable.js';
import { callJobId } from '../queues/registry.js';
import { caseQueues } from '../dispatch/routing.js';
import type { NextCallable, SchedulingSettings } from '../scheduling/index.js';
import { caseLanguageOf } from './case-language.js';
import { detectFileKind, HEADER_SEARCH_ROWS, ImportFileError, readList, SNIFF_BYTES, type ImportFileErrorCode, type ImportReport, type ParsedCase, type RejectedRow } from './import/index.js';
import { ALREADY_OPEN } from './open-customers.js';
import { failpoint } from '../failpoint.js';
import { safeError } from '../safe-error.js';
import { withMoreRejections } from './merge-rejections.js';
import { withTempFile } from './temp-file.js';
import { loadImportFile } from './stored-file.js';
import { lockImport } from './import-lock.js';

const BATCH = 1000;

/**
 * The `imports` job: streams the stored file into cases (in one transaction, in batches of
 * 1000), plans each case's first call and adds its call job once the batch is inserted, and
 * makes the list `active` in the same transaction: a list is never seen with committed cases
 * and still `importing`, and a run queued again once the first has committed (`recover`, Redis
 * having lost the job) finds it active and leaves it. Parsing, inserting and adding overlap:
 * while one batch is parsed, the one before is inserted and the one before that added. A job
 * added before the commit points at a case no one else sees yet; the pull and reconcile keep
 * such a job while its list is `importing` (see `pull-triage.ts`). Any failure before the
 * commit removes what was added — cases and jobs — and leaves the list `failed` with the reason
 * (a list cancelled meanwhile stays `cancelled`), or, when PostgreSQL or Redis was away,
 * `importing` for `recover` to queue again; the stored file is deleted with the activation or
 * the failure. After the commit only the ready index's refresh is left: best effort, as
 * reconcile refreshes the queues of every active list's open cases.
 */
export async function runImport(d: ServiceDeps, listId: string, onProgress: (p: { percent: number; rows: number }) => Promise<void> = async () => {}): Promise<void> {
  const [list] = await d.db.select().from(dunningLists).where(eq(dunningLists.id, listId));
  if (!list) return;
  if (list.status !== 'importing') return leaveEnded(d, list);
  const content = await loadImportFile(d.db, listId);
  if (!content) return failImport(d, listId, 'file_missing', 'The uploaded file is missing; upload the list again.');
  const settings = await loadSettings(d.db, list.clientId);
  const now = d.clock.now();
  const plan = firstCallPlanner(now, settings);
  // Each inserted case with its first call, kept to remove its job if the import fails: little, as a list has up to 200,000.
  const planned: FirstCallRow[] = [];
  const queues = new Set<string>();
  let run: ImportRun;
  try {
    const kind = detectFileKind(content.subarray(0, SNIFF_BYTES), list.fileName);
    run = await withTempFile(content, kind, (path) =>
      d.db.transaction(async (tx): Promise<ImportRun> => {
        // Another run of this list is under way (its job was queued again while it ran): it is the list's.
        if (!(await lockImport(tx, listId))) return { kind: 'running' };
        // Read again under the lock: a run that held it until a moment ago ended the list in its
        // transaction (activated it, or found it cancelled), after this run read it `importing`.
        const [current] = await tx.select({ id: dunningLists.id, status: dunningLists.status, activatedAt: dunningLists.activatedAt }).from(dunningLists).where(eq(dunningLists.id, listId));
        if (current?.status !== 'importing') return { kind: 'ended', list: current };
        // Cases an earlier version committed before it activated the list, and then died: start over from the file.
        await tx.delete(cases).where(eq(cases.listId, listId));
        await tx.delete(rejectedRows).where(eq(rejectedRows.listId, listId));
        const batch: ParsedCase[] = [];
        const refusedRows: RejectedRow[] = [];
        const rejected: ImportReport['rejected'] = [];
        let rows = 0;
        // One batch is written while the next is parsed (the database works on another core),
        // and its jobs are added while the next is written (Redis, on another core too); waiting
        // for each before sending the next keeps memory bounded and surfaces its error.
        let writing: Promise<void> = Promise.resolve();
        let adding: Promise<void> = Promise.resolve();
        const flush = async () => {
          const next = batch.splice(0);
          const refusedByParser = refusedRows.splice(0);
          await writing;
          rows += next.length + refusedByParser.length;
          writing = insertBatch(tx, list, settings, plan, next).then(async ({ inserted, refused }) => {
            for (const p of inserted) planned.push(p);
            for (const r of refused) rejected.push(...r.rejections);
            await adding;
            adding = addFirstCalls(d, inserted, now, settings).then((added) => {
              for (const q of added) queues.add(q);
            });
            adding.catch(() => {}); // awaited by the next batch or below
            await insertRejectedRows(tx, listId, [...refusedByParser, ...refused]);
            await onProgress(estimateProgress(rows, content.byteLength));
          });
          // Handled here for now (no unhandled rejection while parsing goes on); awaited below.
          writing.catch(() => {});
        };
        const limits = { maxRows: d.config.IMPORT_MAX_ROWS + HEADER_SEARCH_ROWS, maxUncompressedBytes: 8 * d.config.IMPORT_MAX_BYTES };
        let parsed: ImportReport;
        try {
          parsed = await readList(
            { path },
            kind,
            limits,
            { defaultCountry: settings.defaultCountry },
            async (c) => {
              batch.push(c);
              if (batch.length >= BATCH) await flush();
            },
            async (r) => {
              refusedRows.push(r);
              if (refusedRows.length >= BATCH) await flush();
            },
          );
          await flush();
        } finally {
          // Never leave the transaction with a write still running, also when parsing failed.
          await writing.catch(() => {});
          await adding.catch(() => {});
        }
        await writing;
        await adding;
        failpoint(d.config, 'import.beforeCommit');
        // The header is known only now: name the customer-number column as the file does (as a dry run does).
        const openElsewhere = rejected.map((r) => (r.column === 'customerNo' ? { ...r, column: parsed.columns.customerNo ?? r.column } : r));
        const report = withMoreRejections(parsed, openElsewhere, planned.length);
        if (planned.length === 0) throw new ImportFileError('none_accepted', 'No row of the list could be imported; see the report.', { report });
        await activate(tx, listId, report, d.clock.now());
        return { kind: 'imported', report };
      }),
    );
  } catch (err) {
    await removeJobs(d, planned, settings);
    if (err instanceof NoLongerImporting) {
      // Rolled back; the list stays cancelled, its stored file goes.
      d.log.info({ listId }, 'list cancelled during its import; nothing imported');
      return failImport(d, listId, 'cancelled', 'cancelled');
    }
    if (isServiceUnavailable(err)) {
      // PostgreSQL or Redis away for a moment (a restart, a failover): the list stays importing
      // with its file, and `recover` queues the failed job again (a few times at most), which
      // starts over from the file. Failing the list would have the lead upload it again for nothing.
      d.log.warn({ listId, err: safeError(err) }, 'import interrupted by an unavailable service; it will be tried again');
      throw err;
    }
    const message = err instanceof ImportFileError ? err.message : 'The import failed on an internal error; nothing was imported. Try again later.';
    if (!(err instanceof ImportFileError)) d.log.error({ listId, err: safeError(err) }, 'import failed');
    // Every row refused: the report says why, so it stays with the failed list.
    const report = err instanceof ImportFileError ? (err.details?.report as ImportReport | undefined) : undefined;
    await failImport(d, listId, err instanceof ImportFileError ? err.code : 'internal', message, report);
    return;
  }
  if (run.kind === 'running') {
    d.log.info({ listId }, 'import already running in another process; left to it');
    return;
  }
  if (run.kind === 'ended') {
    d.log.info({ listId, status: run.list?.status }, 'list no longer importing once its import held the lock (another run activated it, or a cancel); left as it is');
    return run.list ? leaveEnded(d, run.list) : undefined;
  }
  // Committed: the list is active with its cases and their jobs. Nothing after this may fail it.
  failpoint(d.config, 'import.afterCommit');
  await refreshReadyIndex(d, listId, [...queues], now);
  d.log.info({ listId, accepted: run.report.accepted, rejected: run.report.rejectedRows }, 'list imported');
}

/** How a run's transaction ended, when it did not throw. */
type ImportRun =
  | { kind: 'imported'; report: ImportReport }
  /** Another run holds the list's import lock. */
  | { kind: 'running' }
  /** The list was no longer `importing` once this run held the lock (undefined: deleted). */
  | { kind: 'ended'; list: Pick<typeof dunningLists.$inferSelect, 'id' | 'status' | 'activatedAt'> | undefined };

/**
 * The list left `importing` while its import ran (a cancel; or `recover` failing it, having seen
 * no run hold the lock just before this one took it): thrown inside the import's transaction to
 * roll it back.
 */
class NoLongerImporting extends Error {
  constructor(listId: string) {
    super(`list ${listId} is no longer importing (cancelled during its import)`);
    this.name = 'NoLongerImporting';
  }
}

/**
 * Makes the list `active` with its report, inside the import's transaction, and deletes its
 * stored file: the cases and the activation commit together. A list cancelled meanwhile
 * (`cancelList` committed first) is not activated; the import rolls back instead.
 */
async function activate(tx: Tx, listId: string, report: ImportReport, at: Date): Promise<void> {
  const activated = await tx
    .update(dunningLists)
    .set({ status: 'active', activatedAt: at, report, extraColumns: report.extraColumns, importProgress: { percent: 100, rows: report.dataRows } })
    .where(and(eq(dunningLists.id, listId), eq(dunningLists.status, 'importing')))
    .returning({ id: dunningLists.id });
  if (activated.length === 0) throw new NoLongerImporting(listId);
  await tx.delete(importFiles).where(eq(importFiles.listId, listId));
}

/**
 * Names the import's queues in the ready index, so agents' pulls find its jobs. Best effort:
 * with Redis away the list stays active; a queue the index does not name is not pulled from
 * (nothing is handed out or dropped) until reconcile, which refreshes the queues of every
 * active list's open cases (at worker start and every 5 minutes), or any other refresh of it.
 */
async function refreshReadyIndex(d: ServiceDeps, listId: string, queues: string[], now: Date): Promise<void> {
  try {
    await d.calls.ready.refresh(queues, now.getTime());
  } catch (err) {
    d.log.warn({ listId, err: safeError(err) }, 'ready index not refreshed after the import (Redis away?); reconcile refreshes it');
  }
}

/** A run that finds its list no longer `importing`: nothing to import. */
async function leaveEnded(d: ServiceDeps, list: Pick<typeof dunningLists.$inferSelect, 'id' | 'status' | 'activatedAt'>): Promise<void> {
  // Cancelled before it ran: its file must go. (Also the cases an earlier version committed
  // before activating, when the list was cancelled meanwhile and that run died: they would stay
  // open in a cancelled list, their customers counted as open in every later list.)
  if (list.status === 'cancelled' && !list.activatedAt) return failImport(d, list.id, 'cancelled', 'cancelled');
  // Done before (a retried job, a run queued again once the first had committed): the run that
  // ended the list deleted its file; one left over goes.
  await d.db.delete(importFiles).where(eq(importFiles.listId, list.id));
}

/** The columns an import writes; names and types come from the Drizzle table. */
const IMPORTED = [
  'listId', 'clientId', 'rowNumber', 'customerNo', 'name', 'phoneRaw', 'phoneE164', 'phones', 'address', 'postalCode',
  'country', 'language', 'secondLanguage', 'amountCents', 'currency', 'extra', 'source', 'nextDueAt', 'waitReason',
] as const satisfies ReadonlyArray<keyof typeof cases.$inferInsert>;
/** A row as the batch's JSON carries it: the planned call as ISO text (see `insertBatch`). */
type ImportedCase = Omit<Required<Pick<typeof cases.$inferInsert, (typeof IMPORTED)[number]>>, 'nextDueAt'> & { nextDueAt: string };

/**
 * `insert … select … from jsonb_to_recordset($1)`: a batch goes as one JSON parameter instead of
 * 16 parameters per row, which the query builder would assemble value by value (most of an
 * import's time) and the server would plan as a 16,000-parameter statement.
 */
const INSERT_COLUMNS = sql.join(IMPORTED.map((k) => sql.identifier(cases[k].name)), sql`, `);
const RECORD_FIELDS = sql.join(IMPORTED.map((k) => sql`${sql.identifier(k)} ${sql.raw(cases[k].getSQLType())}`), sql`, `);
const RECORD_SELECT = sql.join(IMPORTED.map((k) => sql.identifier(k)), sql`, `);

/** Inserts one batch; a customer already open in another list is refused by the partial unique index. */
async function insertBatch(tx: Tx, list: typeof dunningLists.$inferSelect, settings: SchedulingSettings, plan: (c: ParsedCase) => NextCallable, batch: ParsedCase[]) {
  const refused: RejectedRow[] = [];
  if (batch.length === 0) return { inserted: [] as FirstCallRow[], refused };
  const refuse = (c: ParsedCase, rejection: RejectedRow['rejections'][number]) =>
    refused.push({ rowNumber: c.rowNumber, source: c.source, rejections: [rejection] });
  const plans = new Map<number, { at: Date; windowEnd: Date | null; window: string | null }>();
  // Plans are shared by every case of a place: each time is written as text once, not per row
  // by JSON.stringify (a third of the batch's serialisation).
  const isoTexts = new Map<Date, string>();
  const values: ImportedCase[] = [];
  for (const c of batch) {
    const p = plan(c);
    if (p.at === null) {
      refuse(c, { row: c.rowNumber, column: '', value: '', reason: `never callable: ${p.explanation}` });
      continue;
    }
    plans.set(c.rowNumber, { at: p.at, windowEnd: p.windowEnd, window: p.window });
    let iso = isoTexts.get(p.at);
    if (iso === undefined) isoTexts.set(p.at, (iso = p.at.toISOString()));
    values.push({
      listId: list.id,
      clientId: list.clientId,
      rowNumber: c.rowNumber,
      customerNo: c.customerNo,
      name: c.name,
      phoneRaw: c.phoneRaw,
      phoneE164: c.phoneE164,
      phones: c.phones.map((p) => ({ ...p, status: 'active' as const })),
      address: c.address,
      postalCode: c.postalCode,
      country: c.country,
      ...caseLanguageOf(c, settings),
      amountCents: c.amountCents,
      currency: c.currency,
      extra: c.extra,
      source: c.source,
      nextDueAt: iso,
      waitReason: p.reason,
    });
  }
  const rows = values.length ? await insertCases(tx, values) : [];
  const insertedRows = new Map(rows.map((r) => [Number(r.row_number), r.id]));
  const inserted: FirstCallRow[] = [];
  const byRow = new Map(batch.map((c) => [c.rowNumber, c]));
  for (const v of values) {
    const id = insertedRows.get(v.rowNumber);
    if (id === undefined) refuse(byRow.get(v.rowNumber)!, { row: v.rowNumber, column: 'customerNo', value: v.customerNo, reason: ALREADY_OPEN });
    else {
      const { at, windowEnd, window } = plans.get(v.rowNumber)!;
      inserted.push({ case: { id, listId: v.listId, clientId: v.clientId, language: v.language, secondLanguage: v.secondLanguage, amountCents: v.amountCents, nextDueAt: at }, windowEnd, window });
    }
  }
  return { inserted, refused };
}

async function insertRejectedRows(tx: Tx, listId: string, rows: RejectedRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insert(rejectedRows)
    .values(rows.map((r) => ({ listId, rowNumber: r.rowNumber, problems: r.rejections, source: r.source })))
    .onConflictDoNothing();
}

async function insertCases(tx: Tx, values: ImportedCase[]): Promise<Array<{ id: string; row_number: number | string }>> {
  const result: unknown = await tx.execute(sql`
    insert into ${cases} (${INSERT_COLUMNS})
    select ${RECORD_SELECT} from jsonb_to_recordset(${batchJson(values)}::text::jsonb) as r(${RECORD_FIELDS})
    on conflict (${sql.identifier(cases.clientId.name)}, ${sql.identifier(cases.customerNo.name)}) where status = 'open' do nothing
    returning ${sql.identifier(cases.id.name)}, ${sql.identifier(cases.rowNumber.name)}`);
  return rowsOf<{ id: string; row_number: number | string }>(result);
}

/**
 * The batch as JSON. A lone UTF-16 surrogate (possible from a UTF-16 CSV) becomes U+FFFD, as it
 * did when the values went as text parameters: jsonb refuses its `\udXXX` escape outright.
 */
function batchJson(values: ImportedCase[]): string {
  const json = JSON.stringify(values);
  // JSON.stringify writes a lone surrogate as a lowercase `\udXXX` escape; a plain substring
  // search over the batch's ~600 kB costs far less than a regular expression.
  if (!json.includes('\\ud')) return json;
  return JSON.stringify(values, (_key, v: unknown) => (typeof v === 'string' ? v.replace(/\p{Cs}/gu, '\uFFFD') : v));
}

/**
 * The percentage is estimated from rows and file size (about 30 bytes of compressed xlsx per
 * row of a typical list), capped below 100 until done. It goes to the BullMQ job, not to the
 * list row: the import's own transaction holds the embedded database's only connection.
 */
function estimateProgress(rows: number, bytes: number): { percent: number; rows: number } {
  return { percent: Math.min(95, Math.round((rows * 30 * 100) / Math.max(bytes, 1))), rows };
}

/** Removes the first call jobs of a failed import (one that fails late has added up to 200,000). */
async function removeJobs(d: ServiceDeps, planned: FirstCallRow[], settings: SchedulingSettings): Promise<void> {
  await d.queues.removeCalls(planned.flatMap(({ case: c }) => caseQueues(c, settings).map(({ queue }) => ({ queue, id: callJobId(c.id, 1) }))));
}

/**
 * Why an import failed, for the lead's German text (the web UI's `IMPORT_FAILURES`): what was
 * wrong with the file (`ImportFileErrorCode`), or the upload gone (`file_missing`), the job
 * interrupted with its file gone (`interrupted`) or stopped too often (`stalled`), an error of
 * ours (`internal`), a cancel.
 */
export type ImportFailureCode = ImportFileErrorCode | (typeof IMPORT_JOB_FAILURE_CODES)[number];
/** The failures of the import's run (not of the file); `cancelled` is never shown, the list stays cancelled. */
export const IMPORT_JOB_FAILURE_CODES = ['file_missing', 'interrupted', 'stalled', 'internal', 'cancelled'] as const;

/** Ends an import as failed: its cases, refused rows and file go; a cancelled list stays cancelled. */
export async function failImport(d: Pick<ServiceDeps, 'db'>, listId: string, code: ImportFailureCode, error: string, report?: ImportReport): Promise<void> {
  await d.db.transaction(async (tx) => {
    // Only a list that never became active: one imported (and worked) must never lose its cases.
    const [list] = await tx.select({ status: dunningLists.status, activatedAt: dunningLists.activatedAt }).from(dunningLists).where(eq(dunningLists.id, listId)).for('update');
    if (!list || list.activatedAt || (list.status !== 'importing' && list.status !== 'cancelled')) return;
    await tx.delete(cases).where(eq(cases.listId, listId));
    await tx.delete(rejectedRows).where(eq(rejectedRows.listId, listId));
    await tx.delete(importFiles).where(eq(importFiles.listId, listId));
    // A list cancelled during its import stays cancelled (its cases are removed all the same).
    await tx
      .update(dunningLists)
      .set({ status: 'failed', error, errorCode: code, importProgress: null, ...(report ? { report } : {}) })
      .where(and(eq(dunningLists.id, listId), eq(dunningLists.status, 'importing')));
  });
}
