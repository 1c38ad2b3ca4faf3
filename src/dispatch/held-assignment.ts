import type { Job } from 'bullmq';
import { eq } from 'drizzle-orm';
import { assignments } from '../db/schema.js';
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
  const [a] = await d.db.select().from(assignments).where(eq(assignments.id, id));
  if (!a) throw notFound('Assignment');
  if (a.agentId !== agent.id) throw new AppError(409, 'not_your_assignment', 'This case is assigned to another agent');
  if (a.endedAt) {
    const why = a.endReason === 'outcome' ? 'its outcome is recorded already' : `it ended (${a.endReason})`;
    throw new AppError(409, 'assignment_ended', `This assignment is no longer held: ${why}`, { endReason: a.endReason });
  }
  const job = a.expiresAt > now ? await d.calls.getJob(a.queue, a.jobId) : undefined;
  if (!job) return lost(d, a, now);
  return { assignment: a, job };
}

/** Records the assignment as expired and answers 409: the case went back to the queue. */
export async function lost(d: DispatchDeps, a: AssignmentRow, now: Date): Promise<never> {
  await endAssignment(d.db, a.id, 'expired', now);
  throw new AppError(409, 'lock_expired', 'The lock on this case expired; it went back to the queue without counting an attempt');
}
