import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { assignments, cases, dunningLists, importFiles } from '../db/schema.js';
import type { ServiceDeps } from '../deps.js';
import { completeFinishedLists } from '../dispatch/close-case.js';
import { queueOutcome } from '../dispatch/outcome.js';
import { importJobId, queueImport } from '../lists/upload.js';
import { failImport } from '../lists/run-import.js';
import { removed } from '../queues/remove-job.js';
import { importRunning } from '../lists/import-lock.js';

export interface RecoveryReport {
  /** Outcomes stored in PostgreSQL whose job was queued again. */
  outcomes: number;
  /** Lists left `importing` whose import was queued again, or failed when its file was gone. */
  imports: number;
  failedImports: number;
  /** Active lists without an open case (a process died between closing the last and completing). */
  completedLists: number;
}

/**
 * The outbox sweep: every write pair goes PostgreSQL first, so what a killed process or a lost
 * Redis left undone is found in PostgreSQL and done again. Queuing twice is harmless: job ids
 * are per outcome and per list. Runs when any process starts and every minute (maintenance).
 * Call jobs of open cases are `reconcile`'s; result-list mails `queueDueDeliveries`'.
 */
/** How often a failed import is queued again before its list fails. */
const IMPORT_REQUEUES = 3;

export async function recover(d: ServiceDeps): Promise<RecoveryReport> {
  const report: RecoveryReport = { outcomes: 0, imports: 0, failedImports: 0, completedLists: 0 };
  const pending = await d.db.select({ outcome: assignments.outcome }).from(assignments).where(isNotNull(assignments.outcome));
  for (const { outcome } of pending) {
    if (!outcome) continue;
    await queueOutcome(d, outcome);
    report.outcomes++;
  }

  // A list is `importing` from its upload until its import ends: with its job gone or failed
  // (Redis lost it, the API died before queueing it, a worker died twice on it) it would stay
  // so for ever. Queued while the uploading API is about to queue it, the job is simply one.
  const importing = await d.db
    .select({ id: dunningLists.id, hasFile: isNotNull(importFiles.listId) })
    .from(dunningLists)
    .leftJoin(importFiles, eq(importFiles.listId, dunningLists.id))
    .where(eq(dunningLists.status, 'importing'));
  const queue = d.queues.get('imports');
  for (const list of importing) {
    const job = await queue.getJob(importJobId(list.id));
    const state = job ? await job.getState() : 'missing';
    if (state !== 'missing' && state !== 'failed' && state !== 'completed') continue;
    // Its job lost by Redis (a flush, a failover) while a process still imports it: that run finishes it.
    if (await importRunning(d.db, list.id)) continue;
    if (!list.hasFile) {
      await failImport(d, list.id, 'interrupted', 'The import was interrupted and the uploaded file is gone; upload the list again.');
      report.failedImports++;
      continue;
    }
    // A file that kills the worker (out of memory) would be queued again every minute for ever,
    // each time stalling the outcomes in hand: given up after a few rounds. (Redis losing the
    // job starts the count anew: rare, and bounded all the same.)
    const requeued = (job?.data.requeued ?? 0) + (state === 'failed' ? 1 : 0);
    // Another process's sweep may have queued it again meanwhile, and a worker taken it up.
    if (job && !(await removed(d, job))) continue;
    if (requeued > IMPORT_REQUEUES) {
      await failImport(d, list.id, 'stalled', 'The import stopped several times without finishing (a file too large or damaged?); nothing was imported. Check the file and upload it again.');
      report.failedImports++;
      continue;
    }
    await queueImport(d, list.id, requeued);
    report.imports++;
  }
  report.failedImports += await clearCancelledImports(d);
  report.completedLists = await completeFinishedLists(d.db, d.clock.now());
  if (report.outcomes || report.imports || report.failedImports || report.completedLists) d.log.info(report, 'recovered work left undone');
  return report;
}

/**
 * A list cancelled during its import, whose import died after its commit: the import's re-run
 * removes the committed cases (`failImport`), but when Redis lost the job too there is no re-run,
 * and the cases stayed open for ever in a cancelled list — their customers refused as open in
 * every later list. Their import is ended here, as the re-run would have (the list stays cancelled).
 * Only an earlier version left this (it activated the list after the commit); the import now
 * commits its cases with the activation, and a cancel before that rolls them back.
 */
async function clearCancelledImports(d: ServiceDeps): Promise<number> {
  const left = await d.db
    .select({ id: dunningLists.id })
    .from(dunningLists)
    .where(and(eq(dunningLists.status, 'cancelled'), isNull(dunningLists.activatedAt), sql`exists (select 1 from ${cases} where ${cases.listId} = ${dunningLists.id})`));
  let cleared = 0;
  for (const list of left) {
    const job = await d.queues.get('imports').getJob(importJobId(list.id));
    // Still running or queued: its own run ends it.
    if (job && !['failed', 'completed'].includes(await job.getState())) continue;
    await failImport(d, list.id, 'cancelled', 'The list was cancelled during its import.');
    cleared++;
  }
  return cleared;
}
