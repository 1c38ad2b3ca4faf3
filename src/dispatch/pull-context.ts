import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { cases, clients } from '../db/schema.js';
import type { CaseSchedulingState } from '../scheduling/index.js';
import { attemptTimesSql, epochMs, historyJson, preparedCaseQuery, settingsFromText, type CaseContext, type HistoryEntry } from './load-case.js';

/** Everything the pull-time check needs about one case. */
export interface PullContext extends CaseContext {
  /** An outcome for this attempt was posted but is not recorded yet. */
  outcomePending: boolean;
  /** The live assignment of the case (someone else holds it), if any. */
  holder: { id: string; expiresAt: Date } | null;
  /** The case's active numbers that are on the client's do-not-call list. */
  blockedPhones: string[];
  state: CaseSchedulingState;
  /** Its recorded attempts, for the agent's card should it be handed out. */
  history: HistoryEntry[];
  /** The versions (`xmin`) of the case and client rows read (see `handed-out.ts`). */
  caseVersion: string;
  clientVersion: string;
}

const buildQuery = (db: Db) =>
  preparedCaseQuery(db, 'pull_context', {
    outcomePending: sql<boolean>`exists (select 1 from assignments a where a.case_id = ${cases.id} and a.attempt_no = ${sql.placeholder('attemptNo')} and a.end_reason = 'outcome')`,
    holder: sql<string | null>`(select a.id::text || ' ' || ${epochMs('a.expires_at')} from assignments a where a.case_id = ${cases.id} and a.ended_at is null)`,
    blockedPhones: sql<string[]>`array(select p ->> 'e164' from jsonb_array_elements(${cases.phones}) p where p ->> 'status' = 'active' and exists (select 1 from do_not_call n where n.client_id = ${cases.clientId} and n.phone_e164 = p ->> 'e164'))`,
    history: historyJson(),
    attemptTimes: attemptTimesSql(),
    caseVersion: sql<string>`${cases}.xmin::text`,
    clientVersion: sql<string>`${clients}.xmin::text`,
  });

/**
 * One round trip instead of five: the pull checks every job it takes, up to 25 per `next`, so
 * this query is the hot path of dispatch.
 */
export async function loadPullContext(db: Db, caseId: string, attemptNo: number): Promise<PullContext | null> {
  const [row] = await prepared(db, 'pull_context', buildQuery).execute({ caseId, attemptNo });
  if (!row) return null;
  const [holderId, holderMs] = row.holder?.split(' ') ?? [];
  const c = row.case;
  return {
    case: c,
    listStatus: row.listStatus,
    settings: settingsFromText(row.settingsText),
    clientName: row.clientName,
    outcomePending: row.outcomePending,
    holder: holderId ? { id: holderId, expiresAt: new Date(Number(holderMs)) } : null,
    blockedPhones: row.blockedPhones,
    history: row.history,
    caseVersion: row.caseVersion,
    clientVersion: row.clientVersion,
    state: {
      postalCode: c.postalCode,
      country: c.country,
      preferredWindows: c.preferredWindows,
      attemptsMade: c.attemptsMade,
      attemptTimes: row.attemptTimes.map((ms) => new Date(Number(ms))),
      lastWindow: c.lastWindow,
    },
  };
}
