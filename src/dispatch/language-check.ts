import type { Job } from 'bullmq';
import type { SessionUser } from '../http/context.js';
import { callPriority } from '../queues/call-queues.js';
import type { CallJob } from '../queues/registry.js';
import type { DispatchDeps } from '../deps.js';
import { scheduleCopies } from './enqueue.js';
import type { CaseContext } from './load-case.js';
import { anyQueueVerdict, isAnyLanguageQueue, languagePolicy, speaks } from './routing.js';

/**
 * The pull-time language check (DESIGN.md section 4): a job from the client's "any language"
 * queue goes to an agent who speaks none of the case's languages only when the client's policy
 * allows it now. Otherwise the job is held until the fallback opens, or — under `strict`, set
 * after the job was queued — dropped once its language copies are there. Either way the case
 * keeps a job in its language queues (adding an existing job id is a no-op).
 * Returns true when the job was dealt with (not to be handed out).
 */
export async function heldBackByLanguage(d: DispatchDeps, agent: SessionUser, queue: string, job: Job<CallJob>, token: string, ctx: CaseContext, now: Date): Promise<boolean> {
  const verdict = languageVerdict(agent, queue, job.data, ctx, now);
  if (verdict.kind === 'hand_out') return false;
  const at = new Date(Math.max(now.getTime(), new Date(job.data.slot.start).getTime()));
  const opts = { priority: callPriority(ctx.case.amountCents, job.data.slot.kind === 'callback'), now, settings: { ...ctx.settings, languageRouting: 'strict' as const } };
  await scheduleCopies(d.calls, ctx.case, job.data, at, opts);
  if (verdict.kind === 'hold') await job.moveToDelayed(verdict.until.getTime(), token);
  else await job.moveToCompleted(null, token, false);
  d.log.debug({ caseId: ctx.case.id, verdict: verdict.kind }, 'language check held back a job');
  return true;
}

/** The check alone, acting on nothing: may a job from `queue` go to `agent` now? */
export function languageVerdict(agent: Pick<SessionUser, 'languages'>, queue: string, data: CallJob, ctx: CaseContext, now: Date): ReturnType<typeof anyQueueVerdict> {
  if (!isAnyLanguageQueue(queue) || speaks(agent.languages, ctx.case)) return { kind: 'hand_out' };
  const policy = languagePolicy(ctx.settings);
  return anyQueueVerdict(policy, fallbackCountsFrom(data.slot, policy.fallbackMinutes), now);
}

/**
 * Since when a case counts as waiting for the fallback: its slot's start — after a night the
 * speakers get the first minutes of the morning again — unless the slot is no longer than the
 * fallback (a customer's „17:00–17:45“): counted from then, the fallback would open after the
 * slot ended, every day, for ever. Such a case counts from when its attempt first became callable.
 */
export function fallbackCountsFrom(slot: CallJob['slot'], fallbackMinutes: number): Date {
  const start = new Date(slot.start);
  const short = slot.end !== null && new Date(slot.end).getTime() - start.getTime() <= fallbackMinutes * 60_000;
  return short && slot.since ? new Date(slot.since) : start;
}
