import type { Db, Tx } from '../db/client.js';
import { auditLog } from '../db/schema.js';

/** One audit row; `details` must never hold customer data (ids and reasons only). */
export async function audit(
  db: Db | Tx,
  entry: { at: Date; actorId: string | null; action: string; entityType: string; entityId: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await db.insert(auditLog).values(entry);
}
