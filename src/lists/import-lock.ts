import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { rowsOf } from '../db/rows.js';

/**
 * One run of a list's import at a time, across processes: a transaction-level advisory lock on
 * the list, taken by the import's transaction. A second run (`recover` queued the job again after
 * Redis lost it — a flush, a failover to an empty replica — while the first still ran) finds it
 * taken and leaves the list to the first; `recover` does not queue an import whose lock is held.
 * The lock ends with the transaction that activates the list (`run-import.ts`), so a list is
 * never free of it while still `importing` with committed cases: a run after it finds the list
 * active, and `recover` looks only at `importing` lists.
 */
const IMPORT_LOCK_SPACE = 0x4d494d50; // "MIMP": this project's imports, apart from other advisory locks

const lockKey = (listId: string) => sql`${IMPORT_LOCK_SPACE}::int4, hashtext(${listId})`;

/** Takes the import lock of `listId` for the rest of `tx`; false when another run holds it. */
export async function lockImport(tx: Tx, listId: string): Promise<boolean> {
  const [row] = rowsOf<{ locked: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${lockKey(listId)}) as locked`));
  return row!.locked;
}

/** Whether a run of `listId`'s import holds its lock right now. */
export async function importRunning(db: Db, listId: string): Promise<boolean> {
  return !(await db.transaction((tx) => lockImport(tx, listId)));
}
