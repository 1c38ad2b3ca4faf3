import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { eq, sql } from 'drizzle-orm';
import { audit } from '../audit/audit.js';
import { cases, clients, dunningLists } from '../db/schema.js';
import type { ServiceDeps } from '../deps.js';
import { failpoint } from '../failpoint.js';
import { isPermanentFailure } from '../queues/poison.js';
import { XLSX_TYPE } from '../http/download.js';
import { tempFilePath } from '../lists/temp-file.js';
import { resultListName, resultSheets } from '../results/result-list.js';
import { writeXlsx } from '../results/write-xlsx.js';
import { claimDelivery, getDelivery, giveTryBack, markUnknown, recordFailure, recordSent, startTry } from './deliveries.js';
import { removeOutboxCopies, type Mailer } from './mailer.js';
import { resultMailText } from './mail-text.js';

export type DeliveryOutcome = 'sent' | 'unknown' | 'settled' | 'failed';

/**
 * The `delivery` job: writes the result list to a temporary file, claims the round in
 * PostgreSQL, mails the file, records the message id. A round found `sending` was claimed by a
 * worker that died (BullMQ gives a stalled job to the next worker): whether its mail left is
 * unknown, so it becomes `unknown` for the lead to decide, never a silent second mail. A failed
 * try throws, so BullMQ retries it with backoff; the last one leaves the round `failed` with the
 * answer.
 */
export async function deliver(d: ServiceDeps & { mailer: Mailer }, deliveryId: string, opts: { finalTry: boolean; stopping?: () => boolean }): Promise<DeliveryOutcome> {
  const round = await startTry(d.db, deliveryId, d.clock.now());
  if (!round) return settle(d, deliveryId);
  // Far more tries than a job has, none with an answer to record: each stopped before the mail
  // went (a list whose writing kills the worker). Twice, so that tries racing for the round (a
  // stalled job given to a second worker) never use it up.
  if (round.tries > 2 * d.config.DELIVERY_ATTEMPTS) {
    await recordFailure(d.db, deliveryId, round.lastError ?? STOPPED_WHILE_WRITING, true, d.clock.now(), 'unclaimed');
    return 'failed';
  }
  const file = tempFilePath('result', 'xlsx');
  let claimedHere = false;
  let mailed = false;
  try {
    // The file first, the claim after: a worker that dies while it writes a large list leaves the
    // round as it was (to be tried again), not `sending` (a mail that may have left).
    const found = await listAndClient(d, round.listId);
    if (found) await writeXlsx(createWriteStream(file, { mode: 0o600 }), resultSheets(d.db, found.list, found.client));
    failpoint(d.config, 'delivery.afterWrite');
    // Retention may have deleted the list's personal data while it was written: then it is not sent.
    const sendable = found && (await listAndClient(d, round.listId)) ? found : null;
    // The process is shutting down: a send it started now could be cut off by the kill that
    // follows a grace period, and the round would be `unknown` for the lead to decide.
    if (opts.stopping?.()) throw new StoppedForShutdown();
    // Another try (its job given to a second worker while this one wrote) claimed it first.
    const claimed = await claimDelivery(d.db, deliveryId, d.clock.now());
    if (!claimed) return 'settled';
    claimedHere = true;
    if (!sendable) {
      await recordFailure(d.db, deliveryId, 'The personal data of this list has been deleted (retention); there is no result list to send.', true, d.clock.now());
      return 'failed';
    }
    const { list, client } = sendable;
    const { subject, text } = resultMailText({
      clientName: client.name,
      listName: list.name,
      completedAt: list.completedAt,
      cancelled: list.status === 'cancelled',
      timezone: client.settings.timezone,
      refusedRows: list.report?.rejectedRows ?? 0,
      outcomes: client.settings.outcomes,
      ...(await outcomeCounts(d, list.id)),
    });
    const { messageId } = await d.mailer.send({
      to: claimed.recipient,
      subject,
      text,
      attachment: { fileName: resultListName(list, client, d.clock.now(), 'xlsx'), path: file, contentType: XLSX_TYPE },
      ref: deliveryId,
    });
    mailed = true;
    if (await purgedWhileSent(d, list.id, deliveryId)) {
      await recordFailure(d.db, deliveryId, PURGED_WHILE_SENT, true, d.clock.now());
      return 'failed';
    }
    failpoint(d.config, 'delivery.afterSend');
    await recordSent(d.db, deliveryId, messageId, d.clock.now());
    await audit(d.db, { at: d.clock.now(), actorId: claimed.requestedBy, action: 'delivery.sent', entityType: 'list', entityId: list.id, details: { deliveryId, round: claimed.round } });
    d.log.info({ deliveryId, listId: list.id, round: claimed.round }, 'result list sent');
    return 'sent';
  } catch (err) {
    if (err instanceof StoppedForShutdown) {
      // No try of the round either: deploys must not use up its tries.
      await giveTryBack(d.db, deliveryId, d.clock.now());
      throw err;
    }
    // After the mail left, a failure to record it must not make it look unsent: the round stays
    // `sending` and the retry marks it `unknown`. A failure no try can mend ends the round now.
    if (!mailed) await recordFailure(d.db, deliveryId, serverAnswer(err), opts.finalTry || isPermanentFailure(err), d.clock.now(), claimedHere ? 'sending' : 'unclaimed');
    throw err;
  } finally {
    await rm(file, { force: true });
  }
}

/** A try that stopped before claiming its round because the process is shutting down: to be run again elsewhere, no failure. */
export class StoppedForShutdown extends Error {
  override name = 'StoppedForShutdown';
  constructor() {
    super('the process is shutting down; the delivery is tried again');
  }
}

const STOPPED_WHILE_WRITING = 'Every try stopped while the result list was written (the worker died); not tried again automatically. Download the result list, or send again.';

/** The round is not this try's to send: settled, or claimed by a worker that died (`unknown`). */
async function settle(d: ServiceDeps, deliveryId: string): Promise<DeliveryOutcome> {
  const row = await getDelivery(d.db, deliveryId);
  if (row?.status === 'sending' && (await markUnknown(d.db, deliveryId, d.clock.now()))) {
    d.log.warn({ deliveryId, listId: row.listId }, 'delivery interrupted while sending: marked unknown');
    return 'unknown';
  }
  return 'settled';
}

const PURGED_WHILE_SENT = 'The personal data of this list was deleted (retention) while its mail was written to the outbox; the copy was deleted with it.';

/**
 * Without `SMTP_URL` the mail is an `.eml` in the outbox, holding the result list. A purge of the
 * list that ran while it was written found no copy to delete, and nothing would delete it later:
 * so once it is written, a list purged meanwhile loses it here. The window is closed with the
 * purge's order (`purgeList`): it marks the list purged, then deletes the copies, in one
 * transaction. This read waits for that transaction (`for share` against its row lock) and sees
 * its outcome: if it read before the purge marked the list, the copy was written before and the
 * purge's deletion finds it; if after, the list reads purged here. True when a copy was deleted
 * (none with SMTP: that mail has left, and stays sent).
 */
async function purgedWhileSent(d: ServiceDeps, listId: string, deliveryId: string): Promise<boolean> {
  const [row] = await d.db.select({ purgedAt: dunningLists.purgedAt }).from(dunningLists).where(eq(dunningLists.id, listId)).for('share');
  if (row && !row.purgedAt) return false;
  return (await removeOutboxCopies(d.config, [deliveryId])) > 0;
}

/** The list with its client, or null when its personal data was deleted (retention). */
async function listAndClient(d: ServiceDeps, listId: string) {
  const [found] = await d.db
    .select({ list: dunningLists, client: clients })
    .from(dunningLists)
    .innerJoin(clients, eq(clients.id, dunningLists.clientId))
    .where(eq(dunningLists.id, listId));
  return found && !found.list.purgedAt ? found : null;
}

async function outcomeCounts(d: ServiceDeps, listId: string): Promise<{ total: number; byOutcome: Record<string, number> }> {
  const rows = await d.db
    .select({ outcome: sql<string>`coalesce(${cases.finalOutcome}, 'open')`, n: sql<number>`count(*)::int` })
    .from(cases)
    .where(eq(cases.listId, listId))
    .groupBy(sql`1`);
  return { total: rows.reduce((sum, r) => sum + r.n, 0), byOutcome: Object.fromEntries(rows.map((r) => [r.outcome, r.n])) };
}

/** What the mail server said (`550 5.1.1 … unknown`), or the connection problem; no stack. */
export function serverAnswer(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 500);
  const e = err as Error & { response?: string; code?: string; responseCode?: number };
  if (e.response) return e.response.slice(0, 500);
  return `${e.code ? `${e.code}: ` : ''}${e.message}`.slice(0, 500);
}
