import { and, eq, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { audit } from '../audit/audit.js';
import { assignments, attempts, cases, deliveries, dials, dunningLists, importFiles, rejectedRows } from '../db/schema.js';
import { removeOutboxCopies } from '../delivery/mailer.js';
import { removeStaleTempFiles } from '../lists/temp-file.js';
import type { ServiceDeps } from '../deps.js';
import { callJobId } from '../queues/registry.js';

const DAY_MS = 86_400_000;

/**
 * Retention (DESIGN.md section 9): the personal data of a list — names, phone numbers (every
 * number of a case, and the one each attempt dialled), addresses, customer numbers, the
 * client's own columns, agents' notes, the refused rows, the stored upload — is deleted `RETENTION_DAYS` after the list was delivered. A list that ended
 * without a delivery (no result address, cancelled, failed, delivery given up) counts from its
 * end, so nothing personal is kept for ever. What stays is anonymous: the cases' outcomes,
 * amounts and attempt counts, the attempts (LE report) and the audit trail (ids only).
 */
export async function purgeExpiredLists(d: ServiceDeps): Promise<{ purged: string[] }> {
  const now = d.clock.now();
  const cutoff = new Date(now.getTime() - d.config.RETENTION_DAYS * DAY_MS);
  const firstSent = d.db
    .select({ listId: deliveries.listId, at: sql<Date>`min(${deliveries.sentAt})`.as('first_sent') })
    .from(deliveries)
    .where(eq(deliveries.status, 'sent'))
    .groupBy(deliveries.listId)
    .as('first_sent');
  const due = await d.db
    .select({ id: dunningLists.id })
    .from(dunningLists)
    .leftJoin(firstSent, eq(firstSent.listId, dunningLists.id))
    .where(
      and(
        isNull(dunningLists.purgedAt),
        inArray(dunningLists.status, ['completed', 'cancelled', 'failed']),
        lt(sql`coalesce(${firstSent.at}, ${dunningLists.completedAt}, ${dunningLists.createdAt})`, sql`${cutoff.toISOString()}::timestamptz`),
      ),
    );
  const purged: string[] = [];
  for (const { id } of due) {
    await purgeList(d, id, now);
    purged.push(id);
  }
  if (purged.length) d.log.info({ lists: purged.length }, 'retention: personal data deleted');
  // Files age by the file system's clock, not the injected one.
  const files = await removeStaleTempFiles(new Date());
  if (files) d.log.info({ files }, 'retention: temporary files of killed jobs deleted');
  return { purged };
}

/**
 * Blanks one list's personal data in one transaction; the anonymous counts stay. Copies outside
 * the database go before the commit (a crash after them purges the list again at the next run):
 * the outcome jobs never recorded or failed (a poison job kept for an admin, holding the agent's
 * note and the numbers), and the outbox's `.eml` of each mailed round — these after the list is
 * marked purged, under its row lock, so that a delivery writing one meanwhile either is seen
 * here or sees the list purged (`purgedWhileSent` in `delivery/deliver.ts`).
 */
export async function purgeList(d: ServiceDeps, listId: string, now: Date): Promise<void> {
  const unrecorded = await d.db
    .select({ caseId: assignments.caseId, attemptNo: assignments.attemptNo })
    .from(assignments)
    .innerJoin(cases, eq(cases.id, assignments.caseId))
    .where(and(eq(cases.listId, listId), isNotNull(assignments.outcome)));
  const outcomes = d.queues.get('outcomes');
  for (const a of unrecorded) await outcomes.remove(callJobId(a.caseId, a.attemptNo));
  // A job that failed after its attempt was recorded (the outbox cleared) keeps the note too.
  const failed = await outcomes.getFailed(0, -1);
  const failedCases = [...new Set(failed.map((j) => j.data.caseId))];
  const ofList = failedCases.length
    ? new Set((await d.db.select({ id: cases.id }).from(cases).where(and(eq(cases.listId, listId), inArray(cases.id, failedCases)))).map((c) => c.id))
    : new Set<string>();
  for (const job of failed) if (ofList.has(job.data.caseId)) await job.remove();
  await d.db.transaction(async (tx) => {
    const listCases = tx.select({ id: cases.id }).from(cases).where(eq(cases.listId, listId));
    await tx.update(assignments).set({ outcome: null }).where(and(isNotNull(assignments.outcome), inArray(assignments.caseId, listCases)));
    const listAssignments = tx.select({ id: assignments.id }).from(assignments).where(inArray(assignments.caseId, listCases));
    await tx.update(dials).set({ phoneE164: null }).where(inArray(dials.assignmentId, listAssignments));
    await tx
      .update(cases)
      .set({ customerNo: '', name: '', phoneRaw: '', phoneE164: '', phones: [], address: '', postalCode: null, extra: {}, source: null, preferredWindows: null, callback: null, updatedAt: now })
      .where(eq(cases.listId, listId));
    await tx
      .update(attempts)
      .set({ note: null, callback: null, phoneE164: null })
      .where(inArray(attempts.caseId, listCases));
    await tx.delete(rejectedRows).where(eq(rejectedRows.listId, listId));
    await tx.delete(importFiles).where(eq(importFiles.listId, listId));
    // The import report keeps its counts and reasons; the refused values were customer data.
    await tx
      .update(dunningLists)
      .set({
        purgedAt: now,
        report: sql`case when ${dunningLists.report} is null then null else jsonb_set(${dunningLists.report}, '{rejected}', coalesce((select jsonb_agg(r || '{"value": ""}'::jsonb) from jsonb_array_elements(${dunningLists.report} -> 'rejected') r), '[]'::jsonb)) end`,
      })
      .where(eq(dunningLists.id, listId));
    const rounds = await tx.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.listId, listId));
    await removeOutboxCopies(d.config, rounds.map((r) => r.id));
    await audit(tx, { at: now, actorId: null, action: 'list.purged', entityType: 'list', entityId: listId, details: { retentionDays: d.config.RETENTION_DAYS } });
  });
}
