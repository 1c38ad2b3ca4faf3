import type { CallJob } from '../queues/registry.js';

/**
 * How long a case an agent gave back ("Zurückgeben") is not handed to the same agent again
 * while other work is there for them. Given back at once, it is the best case of its queue and
 * came straight back to the agent who just put it down (a conflict of interest, a case they
 * cannot work, the end of their shift). Other agents get it at once; this agent gets it again
 * only when nothing else is due for them, or after this time.
 */
export const RELEASED_AVOID_MS = 15 * 60_000;

/** The call job's data as a release returns it: who gave it back, when (ms). */
export function markReleased(data: CallJob, agentId: string, at: Date): CallJob {
  return { ...data, releasedBy: { agentId, at: at.getTime() } };
}

/** Whether `agentId` gave this job's case back within {@link RELEASED_AVOID_MS} before `now`. */
export function releasedByAgent(data: CallJob, agentId: string, now: Date): boolean {
  const r = data.releasedBy;
  return r !== undefined && r.agentId === agentId && now.getTime() - r.at < RELEASED_AVOID_MS;
}
