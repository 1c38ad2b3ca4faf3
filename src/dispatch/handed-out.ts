import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { assignments } from '../db/schema.js';
import type { OutcomeJob } from '../queues/registry.js';
import type { AssignmentRow } from './load-case.js';
import type { SchedulingSettings } from '../scheduling/index.js';
import type { CaseRow } from './case-state.js';
import type { PullContext } from './pull-context.js';
import { seenCase, type SeenCase } from './seen-case.js';

/**
 * What this process handed out, kept for the outcome that follows: the assignment and what of the
 * case context the pull read an outcome needs, with the versions (`xmin`) of the case and client
 * rows it read them at.
 * An outcome for such an assignment is validated against that context and claimed by one
 * statement that applies only while the agent holds it and neither row changed
 * (`claimUnchanged`); anything else — another process handed it out, the entry was evicted, a
 * lead edited the case or the client's rules, a body the kept rules refuse — takes the full
 * path (`heldAssignment`: read it all again). So the kept copy decides nothing the database
 * would decide differently; it saves the outcome's read.
 */
export interface HandedOut {
  assignment: AssignmentRow;
  /** What the outcome is validated against, with the versions of the case and client rows read. */
  ctx: KeptContext;
}

/**
 * Of the pull's read, what validating and recording an outcome need (`validateOutcome` in
 * outcome.ts; `seen`, which the outcome's job carries, with the versions of the case and client
 * rows read). Kept for the length of a call, up to 2,000 at once: not the whole case row (its
 * address, the history's notes), which nothing after the pull reads.
 */
export interface KeptContext {
  /** The case as validated: `seen.case`, not a copy. */
  case: Pick<CaseRow, 'clientId' | 'phones' | 'postalCode' | 'country' | 'preferredWindows'>;
  settings: SchedulingSettings;
  seen: SeenCase;
}

/** The kept part of a pull's read. */
export function keptContext(ctx: PullContext): KeptContext {
  const seen = seenCase(ctx.case, { caseVersion: ctx.caseVersion, clientVersion: ctx.clientVersion }, ctx.history);
  return { case: seen.case, settings: ctx.settings, seen };
}

/** Per database, as `prepared` keeps its queries; bounded (an assignment released or expired is never taken). */
const byDb = new WeakMap<Db, Map<string, HandedOut>>();
const MAX_KEPT = 2_000;

export function rememberHandedOut(db: Db, handed: HandedOut): void {
  let kept = byDb.get(db);
  if (!kept) byDb.set(db, (kept = new Map()));
  kept.set(handed.assignment.id, handed);
  // The oldest first (a Map iterates in insertion order).
  if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
}

/** The kept copy of assignment `id` handed to `agentId`, removed: an outcome is claimed once. */
export function takeHandedOut(db: Db, id: string, agentId: string): HandedOut | undefined {
  const kept = byDb.get(db);
  const handed = kept?.get(id);
  if (handed?.assignment.agentId !== agentId) return undefined; // someone else's request takes nothing
  kept!.delete(id);
  return handed;
}

const buildClaimUnchanged = (db: Db) =>
  db
    .update(assignments)
    .set({ endedAt: sql`${sql.placeholder('now')}::timestamptz`, endReason: 'outcome', outcome: sql`${sql.placeholder('outcome')}::jsonb` })
    .where(
      and(
        eq(assignments.id, sql.placeholder('id')),
        eq(assignments.agentId, sql.placeholder('agentId')),
        isNull(assignments.endedAt),
        gt(assignments.expiresAt, sql`${sql.placeholder('now')}::timestamptz`),
        sql`exists (select 1 from cases c join clients k on k.id = c.client_id
          where c.id = ${assignments.caseId} and c.xmin = ${sql.placeholder('caseVersion')}::text::xid and k.xmin = ${sql.placeholder('clientVersion')}::text::xid)`,
      ),
    )
    .returning({ id: assignments.id })
    .prepare('claim_unchanged');

/**
 * Ends the kept assignment for its outcome (the outbox, as `claimForOutcome`) if `agentId` still
 * holds it, its lock has not run out and its case and client rows are the versions kept; false
 * otherwise (nothing written).
 */
export async function claimUnchanged(db: Db, handed: HandedOut, agentId: string, now: Date, outcome: OutcomeJob): Promise<boolean> {
  const rows = await prepared(db, 'claim_unchanged', buildClaimUnchanged).execute({
    id: handed.assignment.id,
    agentId,
    now: now.toISOString(),
    outcome: JSON.stringify(outcome),
    caseVersion: handed.ctx.seen.caseVersion,
    clientVersion: handed.ctx.seen.clientVersion,
  });
  return rows.length > 0;
}
