import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { cases } from '../db/schema.js';

/** Of `customerNos`, those with an open case in any list of the client (an active or importing one). */
export async function openCustomerNos(db: Db | Tx, clientId: string, customerNos: string[]): Promise<Set<string>> {
  if (customerNos.length === 0) return new Set();
  const rows = await db
    .select({ no: cases.customerNo })
    .from(cases)
    .where(and(eq(cases.clientId, clientId), eq(cases.status, 'open'), inArray(cases.customerNo, customerNos)));
  return new Set(rows.map((r) => r.no));
}

export const ALREADY_OPEN = 'customer number is open in another active list of this client';
