import type { Job } from 'bullmq';
import { eq } from 'drizzle-orm';
import { assignments, cases } from '../db/schema.js';
import type { SessionUser } from '../http/context.js';
import { AppError, notFound } from '../http/errors.js';
import type { CallJob } from '../queues/registry.js';
import { endAssignment } from './assignment-end.js';
import type { DispatchDeps } from '../deps.js';
import type { AssignmentRow } from './load-case.js';

export interface Held {
  assignment: AssignmentRow;
  job: Job<CallJob>;
}

/**
 * The assignment `id` if `agent` holds it right now, with its call job; otherwise a 409 that
 * says why (another agent's, already ended, lock expired). An expired lock is recorded as such.
 */
export async function heldAssignment(d: DispatchDeps, agent: SessionUser, id: string, now: Date): Promise<Held> {
  const [row] = await d.db
    .select({ a: assignments, clientId: cases.clientId })
    .from(assignments)
    .innerJoin(cases, eq(cases.id, assignments.caseId))
    .where(eq(assignments.id, id));
  if (!row) throw notFound('Assignment');
  const { a } = row;
  if (a.agentId !== agent.id) throw new AppError(409, 'not_your_assignment', 'This case is assigned to another agent');
  if (!a.endedAt && !agent.clientIds.includes(row.clientId)) {
    // The client was taken from the agent during the call: the case is no longer theirs to see.
    await giveBack(d, a, 'dropped', now);
    throw new AppError(403, 'client_not_assigned', 'This case belongs to a client no longer assigned to you; it went back to its queue');
  }
  if (a.endedAt) {
    const why = a.endReason === 'outcome' ? 'its outcome is recorded already' : `it ended (${a.endReason})`;
    throw new AppError(409, 'assignment_ended', `This assignment is no longer held: ${why}`, { endReason: a.endReason });
  }
  const job = a.expiresAt > now ? await d.calls.getJob(a.queue, a.jobId) : undefined;
  if (!job) return lost(d, a, now);
  return { assignment: a, job };
}

/** Ends an assignment and returns its case to the queue at once, no attempt counted. */
export async function giveBack(d: DispatchDeps, a: AssignmentRow, reason: 'released' | 'dropped', now: Date): Promise<boolean> {
  // Postgres first: a pull in between must not find the case still held and push it back.
  if (!(await endAssignment(d.db, a.id, reason, now))) return false;
  try {
    const job = await d.calls.getJob(a.queue, a.jobId);
    await job?.moveToDelayed(Date.now(), a.lockToken);
  } catch (err) {
    // The lock ran out meanwhile: the stalled checker returns the job all the same.
    d.log.info({ caseId: a.caseId, err }, 'returned job was no longer locked');
  }
  await d.calls.ready.refresh([a.queue], now.getTime());
  return true;
}

/** Records the assignment as expired and answers 409: the case went back to the queue. */
export async function lost(d: DispatchDeps, a: AssignmentRow, now: Date): Promise<never> {
  await endAssignment(d.db, a.id, 'expired', now);
  throw new AppError(409, 'lock_expired', 'The lock on this case expired; it went back to the queue without counting an attempt');
}
