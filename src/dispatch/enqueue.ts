import type { CallQueues } from '../queues/call-queues.js';
import { callPriority } from '../queues/call-queues.js';
import type { CallJob } from '../queues/registry.js';
import { personalCallbackOpensToAllAt, type ScheduleRequest, type Scheduled, type SchedulingSettings } from '../scheduling/index.js';
import { caseQueue, personalQueue, type CaseRow } from './case-state.js';

export type CallKind = ScheduleRequest['kind'];

/** What scheduling a call needs of its case. */
export type CallCase = Pick<CaseRow, 'id' | 'listId' | 'clientId' | 'language' | 'attemptsMade' | 'amountCents'>;

export function callJobData(c: CallCase, plan: Scheduled, kind: CallKind): CallJob {
  return {
    caseId: c.id,
    listId: c.listId,
    clientId: c.clientId,
    attemptNo: c.attemptsMade + 1,
    slot: { start: plan.at.toISOString(), end: plan.windowEnd?.toISOString() ?? null, window: plan.window, kind },
  };
}

/**
 * Adds the call job of the case's current attempt. A personal callback is added twice under the
 * same job id: to the owner's queue at its time, and to the client queue when the grace period
 * ends; whichever is pulled first wins, the other copy is dropped as stale at its pull.
 */
export async function enqueueCall(
  calls: CallQueues,
  c: CallCase,
  plan: Scheduled,
  kind: CallKind,
  now: Date,
  opts: { settings: SchedulingSettings; personalAgentId?: string | null },
): Promise<void> {
  const data = callJobData(c, plan, kind);
  const priority = callPriority(c.amountCents, kind === 'callback');
  if (opts.personalAgentId) {
    await calls.schedule(personalQueue(opts.personalAgentId), data, plan.at, { priority, now });
    const opensAt = personalCallbackOpensToAllAt(plan.at, opts.settings);
    await calls.schedule(caseQueue(c), data, opensAt, { priority, now });
    return;
  }
  await calls.schedule(caseQueue(c), data, plan.at, { priority, now });
}
