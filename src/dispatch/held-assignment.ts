import type { Job } from 'bullmq';
import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { prepared } from '../db/prepared.js';
import { assignments, cases, clients, dunningLists } from '../db/schema.js';
import type { SessionUser } from '../http/context.js';
import { AppError, notFound } from '../http/errors.js';
import type { CallJob } from '../queues/registry.js';
import { endWithoutOutcome } from './assignment-end.js';
import { markReleased } from './released-by.js';
import type { DispatchDeps } from '../deps.js';
import type { AssignmentRow, CaseContext } from './load-case.js';

export interface Held {
  assignment: AssignmentRow;
  job: Job<CallJob>;
  /** The case with its list's status and its client's rules (one query with the assignment). */
  ctx: CaseContext;
}

// The assignment with everything an outcome needs about its case: one round trip on the hot path.
const buildHeldQuery = (db: Db) =>
  db
    .select({ a: assignments, case: cases, listStatus: dunningLists.status, settings: clients.settings, clientName: clients.name })
    .from(assignments)
    .innerJoin(cases, eq(cases.id, assignments.caseId))
    .innerJoin(dunningLists, eq(dunningLists.id, cases.listId))
    .innerJoin(clients, eq(clients.id, cases.clientId))
    .where(eq(assignments.id, sql.placeholder('id')))
    .prepare('held_assignment');

/** The assignment `id` with its case, list status and client rules; 404 when there is none. */
export async function readAssignment(d: Pick<DispatchDeps, 'db'>, id: string): Promise<{ a: AssignmentRow; ctx: CaseContext }> {
  const [row] = await prepared(d.db, 'held_assignment', buildHeldQuery).execute({ id });
  if (!row) throw notFound('Assignment');
  return { a: row.a, ctx: { case: row.case, listStatus: row.listStatus, settings: row.settings, clientName: row.clientName } };
}

/**
 * The assignment `id` if `agent` holds it right now, with its call job and its case; otherwise
 * a 409 that says why (another agent's, already ended, lock expired). An expired lock is
 * recorded as such.
 */
export async function heldAssignment(d: DispatchDeps, agent: SessionUser, id: string, now: Date): Promise<Held> {
  const { a, ctx } = await readAssignment(d, id);
  if (a.agentId !== agent.id) throw new AppError(409, 'not_your_assignment', 'This case is assigned to another agent');
  if (!a.endedAt && !agent.clientIds.includes(ctx.case.clientId)) {
    // The client was taken from the agent during the call: the case is no longer theirs to see.
    await giveBack(d, a, 'dropped', now);
    throw new AppError(403, 'client_not_assigned', 'This case belongs to a client no longer assigned to you; it went back to its queue');
  }
  if (a.endedAt) throw endedError(a);
  // PostgreSQL decides whether the lock holds; the lock watch records an expiry it missed.
  if (a.expiresAt <= now) return lost(d, a, now);
  return { assignment: a, job: d.calls.heldJob(a.queue, a.jobId), ctx };
}

/**
 * Ends an assignment and returns its case to the queue, no attempt counted: at once, or after
 * the client's retry delay when its customer was dialled for it (`endWithoutOutcome`).
 */
export async function giveBack(
  d: DispatchDeps,
  a: AssignmentRow,
  reason: 'released' | 'dropped' | 'freed',
  now: Date,
  retryDelaySeconds?: () => number,
  also?: (tx: Tx) => Promise<void>,
): Promise<boolean> {
  // Postgres first: a pull in between must not find the case still held and push it back.
  const delayMs = await endWithoutOutcome(d.db, a, reason, now, retryDelaySeconds, also);
  if (delayMs === null) return false;
  try {
    const job = await d.calls.getJob(a.queue, a.jobId);
    // Given back, or freed by a lead: not straight back to the same agent while other work is
    // there (`released-by.ts`).
    if (job && reason !== 'dropped') await job.updateData(markReleased(job.data, a.agentId, now));
    await job?.moveToDelayed(Date.now() + delayMs, a.lockToken);
  } catch (err) {
    // The lock ran out meanwhile: the lock watch returns the job all the same.
    d.log.info({ caseId: a.caseId, err }, 'returned job was no longer locked');
  }
  // Given back all the same (a retry would find it ended): a job not moved stays locked until
  // the lock watch returns it, and the ready index learns of it at its next refresh.
  await d.calls.ready.refresh([a.queue], now.getTime()).catch((err: unknown) => d.log.warn({ caseId: a.caseId, err }, 'ready index not refreshed (Redis away?)'));
  return true;
}

/** 409 for an assignment that ended, saying how (the agent's screen tells a lead's free apart). */
function endedError(a: AssignmentRow): AppError {
  const why = a.endReason === 'outcome' ? 'its outcome is recorded already' : a.endReason === 'freed' ? 'a team lead freed it' : `it ended (${a.endReason})`;
  return new AppError(409, 'assignment_ended', `This assignment is no longer held: ${why}`, { endReason: a.endReason });
}

/**
 * Records the assignment as expired and answers 409: the case went back to the queue. One that
 * ended otherwise meanwhile (a lead freed it between the caller's read and its lock's check)
 * answers how it ended instead.
 */
export async function lost(d: DispatchDeps, a: AssignmentRow, now: Date): Promise<never> {
  if ((await endWithoutOutcome(d.db, a, 'expired', now)) === null) {
    const { a: ended } = await readAssignment(d, a.id);
    if (ended.endReason !== 'expired') throw endedError(ended);
  }
  throw new AppError(409, 'lock_expired', 'The lock on this case expired; it went back to the queue without counting an attempt');
}
