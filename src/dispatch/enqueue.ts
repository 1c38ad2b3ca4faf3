import type { CallQueues } from '../queues/call-queues.js';
import { callPriority } from '../queues/call-queues.js';
import type { CallJob } from '../queues/registry.js';
import { personalCallbackOpensToAllAt, type ScheduleRequest, type Scheduled, type SchedulingSettings } from '../scheduling/index.js';
import { personalQueue, type CaseRow } from './case-state.js';
import { caseQueues } from './routing.js';

export type CallKind = ScheduleRequest['kind'];

/** What scheduling a call needs of its case. */
export type CallCase = Pick<CaseRow, 'id' | 'listId' | 'clientId' | 'language' | 'secondLanguage' | 'attemptsMade' | 'amountCents'>;

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
 * Adds the call job of the case's current attempt. A personal callback is added under the same
 * job id to the owner's queue at its time, and to the client's queues (`caseQueues`: language
 * routing) when the grace period ends; whichever copy is pulled first wins, the others are
 * dropped as stale at their pull.
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
    await scheduleCopies(calls, c, data, personalCallbackOpensToAllAt(plan.at, opts.settings), { priority, now, settings: opts.settings });
    return;
  }
  await scheduleCopies(calls, c, data, plan.at, { priority, now, settings: opts.settings });
}

/** Adds `data` to each of the case's client queues, each copy at `at` plus its routing delay. */
export async function scheduleCopies(calls: CallQueues, c: CallCase, data: CallJob, at: Date, opts: { priority: number; now: Date; settings: SchedulingSettings }): Promise<void> {
  for (const { queue, delayMs } of caseQueues(c, opts.settings)) {
    await calls.schedule(queue, data, new Date(at.getTime() + delayMs), { priority: opts.priority, now: opts.now });
  }
}
