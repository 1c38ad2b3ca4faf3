import { and, asc, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { audit } from '../audit/audit.js';
import { isUniqueViolation } from '../db/errors.js';
import { rowsOf } from '../db/rows.js';
import { clients, deliveries, dunningLists } from '../db/schema.js';
import type { ServiceDeps } from '../deps.js';
import { removed } from '../queues/remove-job.js';
import { safeError } from '../safe-error.js';

/**
 * The `deliveries` table: one row per list and round, numbered per list in the order they were
 * made — the automatic delivery of a completed list and each manual send alike, so the automatic
 * one is round 1 only when no manual send came before the sweep. PostgreSQL is the outbox: a row
 * is written before its job is queued, and `queueDueDeliveries` re-queues any row whose job was lost.
 */

export type DeliveryRow = typeof deliveries.$inferSelect;

export function deliveryJobId(deliveryId: string): string {
  return `delivery-${deliveryId}`;
}

/** Queues the job that sends one delivery; a job that exists already is left as it is. */
export async function queueDelivery(d: ServiceDeps, deliveryId: string): Promise<void> {
  await d.queues.get('delivery').add(
    'deliver',
    { deliveryId },
    {
      jobId: deliveryJobId(deliveryId),
      attempts: d.config.DELIVERY_ATTEMPTS,
      backoff: { type: 'exponential', delay: d.config.DELIVERY_RETRY_SECONDS * 1000 },
    },
  );
}

/**
 * Whether the completed list `l` is still owed its automatic delivery: not when it has the
 * client's delivery already (`to_client`): its automatic round, whatever became of it, or a
 * manual send to the client's result address as it was then, made after the list completed
 * (`requestDelivery`; also one that failed: the lead has taken that delivery in hand and sees
 * its outcome). A manual send to another address (the client's accounting, an admin's copy) is
 * not it: the client still gets its list. Decided when the round is made, so a result address
 * changed later does not make lists delivered to the old one owed again.
 */
const owedAutomaticDelivery = sql`not exists (select 1 from ${deliveries} o where o.list_id = l.id and o.to_client)`;

/** The list's next round number: rounds are numbered per list in the order they are made. */
const nextRound = (listId: SQL | string) => sql`(select coalesce(max(${deliveries.round}), 0) + 1 from ${deliveries} where ${deliveries.listId} = ${listId})`;

/**
 * The scheduled sweep (`DELIVERY_CRON`): every completed list whose client has a result address
 * and that is still owed its automatic delivery (`owedAutomaticDelivery`) gets it, as the list's
 * next round — if it completed since the client has an address (`result_email_since`: older ones
 * were the lead's to download); then every delivery still to be sent is queued
 * (a no-op for those whose job is still to run), and one left `sending` without a job still to
 * run (its worker and Redis state gone, or its job ended) becomes `unknown`.
 */
export async function queueDueDeliveries(d: ServiceDeps): Promise<{ created: number; queued: number; unknown: number }> {
  const now = d.clock.now();
  // The next round of the list: a manual send committed meanwhile may take the same number, and
  // the unique index (`deliveries_list_round`) then skips the list here — the next sweep makes
  // its round. Two sweeps at once take the same number too: one round, never two.
  const created = rowsOf<{ id: string }>(
    await d.db.execute(sql`
      insert into ${deliveries} (list_id, round, recipient, to_client)
      select l.id, ${nextRound(sql`l.id`)}, c.result_email, true
      from ${dunningLists} l join ${clients} c on c.id = l.client_id
      where l.status = 'completed' and l.purged_at is null and c.result_email is not null
        and l.completed_at >= c.result_email_since
        and ${owedAutomaticDelivery}
      on conflict do nothing
      returning id`),
  );

  const due = await d.db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(inArray(deliveries.status, ['pending', 'retrying']));
  for (const { id } of due) {
    // A round still to be sent whose job has run its course (failed: e.g. PostgreSQL was away
    // for all its tries) gets a new one: the job id is the round's, so adding alone would be a no-op.
    const { job, finished } = await roundJob(d, id);
    // Another process's sweep may have queued it again meanwhile, and a worker be sending it:
    // its removal then fails, and this round is left to that job (the rest of the sweep goes on).
    if (finished && !(await removed(d, job!))) continue;
    await queueDelivery(d, id);
  }

  let unknown = 0;
  const stale = await d.db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.status, 'sending'), lt(deliveries.claimedAt, new Date(now.getTime() - 60_000))));
  for (const { id } of stale) {
    const { job, finished } = await roundJob(d, id);
    if (job && !finished) continue; // its job will find it
    if (await markUnknown(d.db, id, now)) unknown++;
  }
  return { created: created.length, queued: due.length, unknown };
}

/** The round's job, if there is one, and whether it has run its course (failed or completed). */
async function roundJob(d: ServiceDeps, deliveryId: string) {
  const job = await d.queues.get('delivery').getJob(deliveryJobId(deliveryId));
  const state = job ? await job.getState() : null;
  return { job, finished: state === 'failed' || state === 'completed' };
}

export class NoRecipientError extends Error {
  override name = 'NoRecipientError';
}

/** A round asked for by hand (the lead's "Erneut senden"), optionally to another address. */
export async function requestDelivery(d: ServiceDeps, listId: string, requestedBy: string, to: string | null): Promise<DeliveryRow> {
  const [target] = await d.db
    .select({ email: clients.resultEmail, listStatus: dunningLists.status })
    .from(dunningLists)
    .innerJoin(clients, eq(clients.id, dunningLists.clientId))
    .where(eq(dunningLists.id, listId));
  const recipient = to ?? target?.email ?? null;
  if (!recipient) throw new NoRecipientError('The client has no result address; give one (to) or download the result list');
  const insert = (db: Tx) =>
    db
      .insert(deliveries)
      .values({
        listId,
        recipient,
        requestedBy,
        // The client's delivery when it goes to the client's result address as it is now, for a
        // completed list (`owedAutomaticDelivery`).
        toClient: target?.listStatus === 'completed' && recipient.toLowerCase() === target.email?.toLowerCase(),
        round: nextRound(listId),
      })
      .returning();
  const row = await d.db.transaction(async (tx) => {
    // Two leads clicking at once take the same next round: the second simply takes the one after
    // (each try in a savepoint, so the first one's unique violation leaves the transaction usable).
    const [row] = await tx.transaction(insert).catch((err: unknown) => {
      if (isUniqueViolation(err, 'deliveries_list_round')) return tx.transaction(insert);
      throw err;
    });
    await audit(tx, { at: d.clock.now(), actorId: requestedBy, action: 'delivery.requested', entityType: 'list', entityId: listId, details: { deliveryId: row!.id, round: row!.round, to: recipient } });
    return row!;
  });
  // Stored is asked for: a 503 now would make the lead ask again, and both rounds would be sent.
  // Redis away, the sweep (DELIVERY_CRON) queues the round like any other still to be sent.
  await queueDelivery(d, row.id).catch((err: unknown) => d.log.warn({ err: safeError(err), deliveryId: row.id }, 'could not queue a requested delivery; the sweep will'));
  return row;
}

export async function listDeliveries(db: Db, listId: string): Promise<DeliveryRow[]> {
  return db.select().from(deliveries).where(eq(deliveries.listId, listId)).orderBy(desc(deliveries.round));
}

/** The newest round of each of these lists. */
export async function latestDeliveries(db: Db, listIds: string[]): Promise<Map<string, DeliveryRow>> {
  if (listIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([deliveries.listId])
    .from(deliveries)
    .where(inArray(deliveries.listId, listIds))
    .orderBy(asc(deliveries.listId), desc(deliveries.round));
  return new Map(rows.map((r) => [r.listId, r]));
}

/**
 * Counts a try of a round still to be sent, before its file is written; null when it is settled
 * or being sent. Counted here, not at the claim, so that a list whose writing kills the worker
 * every time runs out of tries too.
 */
export async function startTry(db: Db, id: string, now: Date): Promise<DeliveryRow | null> {
  const [row] = await db
    .update(deliveries)
    .set({ tries: sql`${deliveries.tries} + 1`, updatedAt: now })
    .where(and(eq(deliveries.id, id), inArray(deliveries.status, ['pending', 'retrying'])))
    .returning();
  return row ?? null;
}

/** Takes back the try `startTry` counted, for one that stopped before it claimed the round (a shutdown). */
export async function giveTryBack(db: Db, id: string, now: Date): Promise<void> {
  await db
    .update(deliveries)
    .set({ tries: sql`greatest(${deliveries.tries} - 1, 0)`, updatedAt: now })
    .where(and(eq(deliveries.id, id), inArray(deliveries.status, ['pending', 'retrying'])));
}

/** Claims a round for sending; false when another worker has it or it is settled. */
export async function claimDelivery(db: Db, id: string, now: Date): Promise<DeliveryRow | null> {
  const [row] = await db
    .update(deliveries)
    .set({ status: 'sending', claimedAt: now, updatedAt: now })
    .where(and(eq(deliveries.id, id), inArray(deliveries.status, ['pending', 'retrying'])))
    .returning();
  return row ?? null;
}

export async function getDelivery(db: Db, id: string): Promise<DeliveryRow | null> {
  const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id));
  return row ?? null;
}

/** Sent: also when the round was marked `unknown` meanwhile (its worker was only slow). */
export async function recordSent(db: Db, id: string, messageId: string, now: Date): Promise<void> {
  await db
    .update(deliveries)
    .set({ status: 'sent', messageId, sentAt: now, lastError: null, updatedAt: now })
    .where(and(eq(deliveries.id, id), inArray(deliveries.status, ['sending', 'unknown'])));
}

/**
 * A failed try: `retrying`, or `failed` on the last one. `from` is where the try failed: after its
 * claim (`sending`), or before it (`unclaimed`: writing the file), when the round must still be
 * unclaimed — never one another worker claimed and is sending meanwhile.
 */
export async function recordFailure(db: Db, id: string, error: string, final: boolean, now: Date, from: 'sending' | 'unclaimed' = 'sending'): Promise<void> {
  await db
    .update(deliveries)
    .set({ status: final ? 'failed' : 'retrying', lastError: error.slice(0, 1000), updatedAt: now })
    .where(and(eq(deliveries.id, id), from === 'sending' ? eq(deliveries.status, 'sending') : inArray(deliveries.status, ['pending', 'retrying'])));
}

export const UNKNOWN_OUTCOME =
  'The worker stopped while sending: the mail may or may not have left. Not sent again automatically; check with the recipient or send again.';

/** A round left `sending` by a worker that died: never re-sent silently, the lead decides. */
export async function markUnknown(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(deliveries)
    .set({ status: 'unknown', lastError: UNKNOWN_OUTCOME, updatedAt: now })
    .where(and(eq(deliveries.id, id), eq(deliveries.status, 'sending')))
    .returning({ id: deliveries.id });
  return rows.length > 0;
}
