import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { auditLog } from '../db/schema.js';

export interface AuditEntry {
  at: Date;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details?: Record<string, unknown>;
}

/** One audit row; `details` must never hold customer data (ids and reasons only). */
export async function audit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}

/** A screen that polls (a list's page every few seconds) is one read per this long, not hundreds. */
export const READ_DEDUP_MS = 15 * 60_000;

/**
 * Records that a lead or admin read case data (DESIGN.md section 9): once per actor, action and
 * record within `READ_DEDUP_MS`, so a polling screen leaves one row, not one per poll.
 */
export async function auditRead(db: Db, entry: AuditEntry & { actorId: string; entityId: string }): Promise<void> {
  const since = new Date(entry.at.getTime() - READ_DEDUP_MS);
  const [seen] = await db
    .select({ n: sql<number>`1` })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityType, entry.entityType),
        eq(auditLog.entityId, entry.entityId),
        eq(auditLog.actorId, entry.actorId),
        eq(auditLog.action, entry.action),
        gt(auditLog.at, since),
      ),
    )
    .limit(1);
  if (!seen) await audit(db, entry);
}
