import { audit } from '../audit/audit.js';
import type { Tx } from '../db/client.js';
import { assertClientAccess } from '../auth/guard.js';
import type { SessionUser } from '../http/context.js';
import { AppError } from '../http/errors.js';
import type { DispatchDeps } from '../deps.js';
import { giveBack, readAssignment } from './held-assignment.js';

/**
 * A team lead frees a case an agent holds („Freigeben“ on the list's page): the agent left with
 * the case on screen (a tab open over lunch keeps its lock alive up to HOLD_MAX_MINUTES), or
 * their browser hangs. The assignment ends as `freed`, no attempt counted, and the case goes
 * back to its queue as at a release — after the client's retry delay when its customer was
 * dialled for it (the agent may be on the line still), and not to the same agent while other
 * work is there for them. The agent's screen learns it at its next heartbeat; an outcome the
 * agent saves after is still recorded while nobody took the case (`late-outcome.ts`). In the
 * audit trail with the lead, the agent and the attempt.
 */
export async function freeAssignment(d: DispatchDeps, by: SessionUser, id: string): Promise<void> {
  const now = d.clock.now();
  const { a, ctx } = await readAssignment(d, id);
  assertClientAccess(by, ctx.case.clientId);
  const details = { listId: ctx.case.listId, assignmentId: a.id, agentId: a.agentId, attemptNo: a.attemptNo };
  const audited = (tx: Tx) => audit(tx, { at: now, actorId: by.id, action: 'assignment.freed', entityType: 'case', entityId: a.caseId, details });
  if (a.endedAt || !(await giveBack(d, a, 'freed', now, () => ctx.settings.retryDelaySeconds, audited))) {
    const ended = a.endedAt ? a : (await readAssignment(d, id)).a;
    throw new AppError(409, 'assignment_ended', 'This case is no longer held: its agent saved its outcome or gave it back, or its lock ran out', { endReason: ended.endReason });
  }
}
