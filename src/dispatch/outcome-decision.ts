import type { PendingCallback } from '../db/schema.js';
import {
  nextCallableAt,
  windowAt,
  type CaseSchedulingState,
  type ReachRates,
  type ScheduleRequest,
  type Scheduled,
  type SchedulingSettings,
} from '../scheduling/index.js';
import { markPhones, phoneColumns } from './case-phones.js';
import type { CaseRow } from './case-state.js';
import type { OutcomeBody } from './dispatch.schemas.js';
import type { CallKind } from './enqueue.js';
import type { OutcomeCase } from './seen-case.js';

/** What is known when an outcome is recorded: the case as it stands, its rules and attempt times. */
export interface OutcomeContext {
  case: OutcomeCase;
  settings: SchedulingSettings;
  /** Times of the attempts recorded before this one. */
  attemptTimes: Date[];
  /** Their outcome codes, in the same order (a customer reached before in a window prefers it). */
  attemptOutcomes?: string[];
  /** The client's loaded reach rates, for the learned retry strategy; absent: retries rotate. */
  reach?: ReachRates | null;
}

export interface RecordedOutcome {
  attemptNo: number;
  agentId: string;
  recordedAt: Date;
  /** When the case was handed out for the call; the attempt's window is the call's, not that of saving its outcome. */
  calledAt?: Date;
  body: OutcomeBody;
}

/** The case's new columns, and whether it closes or gets its next call. */
export type OutcomeVerdict = {
  set: Partial<CaseRow>;
} & ({ kind: 'close'; finalOutcome: string } | { kind: 'schedule'; plan: Scheduled; callKind: CallKind; personalAgentId: string | null } | { kind: 'keep' });

/**
 * What recording an outcome does to its case (DESIGN.md sections 5 and 6), as a pure function
 * of the case, its rules, the outcome and the clock: the attempt counts; a closing outcome or
 * the cap closes the case; "Falsche Nummer" marks the number dialled and goes on with the next
 * one at once, closing when none is left; a callback or retry is planned by the scheduling core,
 * and a case with no callable time left closes. A case closed meanwhile (list cancelled) counts
 * the attempt and keeps a promise and a closing outcome; it is not planned again.
 */
export function decideOutcome(ctx: OutcomeContext, o: RecordedOutcome, now: Date): OutcomeVerdict {
  const c = ctx.case;
  const { settings } = ctx;
  const attemptsMade = Math.max(c.attemptsMade, o.attemptNo);
  const effect = settings.outcomes.find((x) => x.code === o.body.outcome)?.effect ?? 'retry';
  if (c.status !== 'open') {
    // Closed during the call (its list cancelled): the attempt counts, and what the customer
    // said stands in the result list — a promise, and a closing outcome instead of "cancelled".
    const set: Partial<CaseRow> = { attemptsMade, updatedAt: now };
    if (o.body.promise) Object.assign(set, { promiseAmountCents: o.body.promise.amountCents, promiseDate: o.body.promise.date });
    if (c.finalOutcome === 'cancelled' && effect === 'close') set.finalOutcome = o.body.outcome;
    return { kind: 'keep', set };
  }

  const set: Partial<CaseRow> = {
    attemptsMade,
    lastWindow: windowAt(o.calledAt ?? o.recordedAt, settings),
    preferredWindows: o.body.preferredWindows ?? c.preferredWindows,
    promiseAmountCents: o.body.promise?.amountCents ?? c.promiseAmountCents,
    promiseDate: o.body.promise?.date ?? c.promiseDate,
    updatedAt: now,
  };
  const close = (finalOutcome: string): OutcomeVerdict => ({ kind: 'close', finalOutcome, set });
  if (effect === 'close') return close(o.body.outcome);

  const delaySeconds = settings.outcomes.find((d) => d.code === o.body.outcome)?.retryDelaySeconds;
  let request: ScheduleRequest =
    effect === 'callback' && o.body.callback ? callbackRequest(o.body.callback, o.recordedAt) : { kind: 'retry', recordedAt: o.recordedAt, ...(delaySeconds !== undefined ? { delaySeconds } : {}) };
  if (effect === 'wrong_number') {
    Object.assign(set, phoneColumns(markPhones(c.phones, [o.body.phone ?? c.phoneE164], 'wrong')));
    if (!set.phoneE164) return close(o.body.outcome);
    request = { kind: 'first' };
  }
  if (attemptsMade >= settings.maxAttempts) return close('max_attempts');

  const state: CaseSchedulingState = {
    postalCode: c.postalCode,
    country: c.country,
    preferredWindows: set.preferredWindows ?? null,
    attemptsMade,
    attemptTimes: [...ctx.attemptTimes, o.recordedAt],
    lastWindow: set.lastWindow ?? null,
    reachedTimes: reachedTimes(ctx),
  };
  const reach = ctx.reach ? { rates: ctx.reach, seed: `${c.id}-a${attemptsMade + 1}` } : null;
  const plan = nextCallableAt(now, settings, state, request, reach);
  if (plan.at === null) return close(plan.cause === 'cap_reached' ? 'max_attempts' : 'no_callable_time');
  const personalAgentId = o.body.callback?.owner === 'me' ? o.agentId : null;
  const callback: PendingCallback | null =
    request.kind === 'callback' ? { agentId: personalAgentId, at: plan.at.toISOString(), window: 'window' in request ? request.window : null } : null;
  Object.assign(set, { nextDueAt: plan.at, waitReason: plan.reason, callback, retryChoice: plan.choice ?? null });
  return { kind: 'schedule', set, plan, callKind: request.kind, personalAgentId };
}

/**
 * Times of the earlier attempts that reached the customer: an outcome whose effect is neither
 * `retry` nor `wrong_number` (a stranger answering a number that is not the customer's says
 * nothing about when the customer answers).
 */
function reachedTimes(ctx: OutcomeContext): Date[] {
  const effects = new Map(ctx.settings.outcomes.map((o) => [o.code, o.effect]));
  return ctx.attemptTimes.filter((_, i) => {
    const effect = effects.get(ctx.attemptOutcomes?.[i] ?? '');
    return effect !== undefined && effect !== 'retry' && effect !== 'wrong_number';
  });
}

/**
 * The scheduling request of a callback outcome. With `recordedAt` (planning the callback just
 * recorded) a window callback keeps the least gap after it (`callbackGapMs`); without, only
 * whether the request can be met at all is asked (the outcome API's check).
 */
export function callbackRequest(callback: NonNullable<OutcomeBody['callback']>, recordedAt?: Date): ScheduleRequest {
  if ('at' in callback) return { kind: 'callback', at: new Date(callback.at) };
  return { kind: 'callback', window: callback.window, date: callback.date, ...(recordedAt ? { recordedAt } : {}) };
}
