import { asc, eq, getTableColumns } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { attempts, cases } from '../db/schema.js';
import { callQueueName } from '../queues/registry.js';
import type { CaseSchedulingState } from '../scheduling/index.js';

/**
 * A case as dispatch reads it: every column but `source`, the row's cells as delivered (every
 * column of the client's file, for the result list), which no pull, outcome or schedule reads.
 */
export type CaseRow = Omit<typeof cases.$inferSelect, 'source'>;

const { source: _source, ...dispatchColumns } = getTableColumns(cases);
/** The columns of `CaseRow`, for `select({ case: caseColumns })`. */
export const caseColumns = dispatchColumns;

/**
 * The language a case is routed by. Romansh speakers all speak German (shared/data/README.md),
 * so `rm` cases go to German-speaking agents rather than wait for a Romansh one.
 */
export function routingLanguage(language: string): string {
  return language === 'rm' ? 'de' : language;
}

/** The client queue a case's call jobs live in: `calls-<clientId>-<language>`. */
export const caseQueue = (c: Pick<CaseRow, 'clientId' | 'language'>) => callQueueName(c.clientId, routingLanguage(c.language));

/** An agent's own queue, for personal callbacks (`owner: "me"`). */
export const personalQueue = (agentId: string) => `calls-u-${agentId}`;

/**
 * A case's place and stated windows with no attempts counted: for asking whether a time can be
 * met at all (the cap and the per-day limit aside).
 */
export function placeState(
  c: Pick<CaseRow, 'postalCode' | 'country' | 'preferredWindows'>,
  preferredWindows: CaseRow['preferredWindows'] = c.preferredWindows,
): CaseSchedulingState {
  return { postalCode: c.postalCode, country: c.country, preferredWindows, attemptsMade: 0, attemptTimes: [] };
}

/** What the scheduling core needs about a case, with its recorded attempt times. */
export async function schedulingState(db: Db | Tx, c: CaseRow): Promise<CaseSchedulingState> {
  const rows = await db.select({ at: attempts.recordedAt }).from(attempts).where(eq(attempts.caseId, c.id)).orderBy(asc(attempts.attemptNo));
  return {
    postalCode: c.postalCode,
    country: c.country,
    preferredWindows: c.preferredWindows,
    attemptsMade: c.attemptsMade,
    attemptTimes: rows.map((r) => r.at),
    lastWindow: c.lastWindow,
  };
}
