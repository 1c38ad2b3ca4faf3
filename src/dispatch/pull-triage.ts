import type { SessionUser } from '../http/context.js';
import type { MissingCase, PullContext } from './pull-context.js';

/**
 * The first look at a pulled job, from its case as loaded and the clock alone: hand it on to
 * the language, do-not-call and calling-hour checks (`go`), drop it, or put it back until a
 * given time. `vet` in pull.ts carries the verdict out.
 */
export type Triage =
  | { kind: 'go'; ctx: PullContext }
  | { kind: 'drop'; reason: 'stale' | 'list_not_active' | 'client_not_assigned' }
  | { kind: 'later'; at: number };

/** A list still importing becomes active within moments; its jobs look again after this. */
const IMPORTING_RECHECK_MS = 5_000;
/** An outcome posted for this attempt is recorded within moments; then the job is stale. */
const OUTCOME_PENDING_RECHECK_MS = 30_000;
/** After a live holder's lock runs out, this much later. */
const AFTER_HOLDER_MS = 1_000;
/** A personal callback of a client set inactive waits; it looks again after this. */
const CLIENT_INACTIVE_RECHECK_MS = 5 * 60_000;

/**
 * `ctx` is null when the job's case was not found; `missing` is then the second look at it
 * (`lookAtMissingCase`). An import adds its jobs before it commits their cases: until its list
 * is no longer `importing`, a job whose case is not (yet) visible is held, not dropped; a case
 * committed between the two reads is looked at again at once.
 */
export function triage(ctx: PullContext | null, attemptNo: number, agent: Pick<SessionUser, 'clientIds' | 'callClientIds'>, now: Date, missing: MissingCase | null = null): Triage {
  if (!ctx && missing?.listStatus === 'importing') return { kind: 'later', at: now.getTime() + IMPORTING_RECHECK_MS };
  if (!ctx && missing?.caseVisible) return { kind: 'later', at: now.getTime() };
  if (!ctx || ctx.case.status !== 'open' || attemptNo !== ctx.case.attemptsMade + 1) return { kind: 'drop', reason: 'stale' };
  if (ctx.listStatus === 'importing') return { kind: 'later', at: now.getTime() + IMPORTING_RECHECK_MS };
  if (ctx.listStatus !== 'active') return { kind: 'drop', reason: 'list_not_active' };
  // A personal callback stays the agent's only while the client is still theirs; the client
  // queue holds the other copy for everyone else.
  if (!agent.clientIds.includes(ctx.case.clientId)) return { kind: 'drop', reason: 'client_not_assigned' };
  // A client set inactive is not called (its client queues are not pulled from); a personal
  // callback of it waits in the agent's queue, the agent's still, until the client is active.
  if (!agent.callClientIds.includes(ctx.case.clientId)) return { kind: 'later', at: now.getTime() + CLIENT_INACTIVE_RECHECK_MS };
  // This attempt's outcome is queued but not yet recorded: hold the job until it is (then it
  // is stale), instead of calling the customer a second time for the same attempt.
  if (ctx.outcomePending) return { kind: 'later', at: now.getTime() + OUTCOME_PENDING_RECHECK_MS };
  // The other copy of a personal callback is held, or a lock expired in Redis a moment before
  // Postgres says so: keep the job until the holder is done (its outcome makes it stale).
  if (ctx.holder && ctx.holder.expiresAt > now) return { kind: 'later', at: ctx.holder.expiresAt.getTime() + AFTER_HOLDER_MS };
  // Given back after the phone system dialled it: no copy of the job (another language's queue,
  // the fallback, a callback's client queue) rings the customer again before the hold ends.
  if (ctx.case.waitReason === 'dialled' && ctx.case.nextDueAt !== null && ctx.case.nextDueAt > now) return { kind: 'later', at: ctx.case.nextDueAt.getTime() };
  return { kind: 'go', ctx };
}
