import { DateTime } from 'luxon';
import type { SessionUser } from '../http/context.js';
import { AppError, badRequest } from '../http/errors.js';
import { failpoint } from '../failpoint.js';
import { callJobId, type OutcomeJob } from '../queues/registry.js';
import { nextCallableAt } from '../scheduling/index.js';
import { callbackRequest } from './outcome-decision.js';
import { placeState } from './case-state.js';
import { claimForOutcome } from './assignment-end.js';
import { safeError } from '../safe-error.js';
import type { DispatchDeps } from '../deps.js';
import type { OutcomeBody } from './dispatch.schemas.js';
import { heldAssignment } from './held-assignment.js';
import { claimLate, isOwnLockExpired } from './late-outcome.js';
import type { AssignmentRow, CaseContext } from './load-case.js';
import { claimUnchanged, takeHandedOut, type KeptContext } from './handed-out.js';
import type { SeenCase } from './seen-case.js';

/**
 * Records the agent's outcome for a held assignment: validates it against the client's
 * outcomes and calling rules, queues an `outcomes` job (id `<caseId>-a<attemptNo>`, so a
 * repeated post is one attempt) and completes the call job with the agent's token, in one Redis
 * call (`handOverOutcome`). The outcomes worker does the rest (`recordOutcome`).
 */
export async function submitOutcome(d: DispatchDeps, agent: SessionUser, id: string, body: OutcomeBody): Promise<{ attemptNo: number; effect: string }> {
  const now = d.clock.now();
  // Claim first, with the outcome itself (the outbox): of two posts at once exactly one ends the
  // assignment, and only its body is kept. From here on a pull of this attempt's job is held
  // back (`vet`) until it is recorded; were this process to die now, `recover` queues it.
  const outcomeOf = (a: AssignmentRow): OutcomeJob => ({ assignmentId: id, caseId: a.caseId, attemptNo: a.attemptNo, agentId: agent.id, recordedAt: now.toISOString(), calledAt: a.assignedAt.toISOString(), body });
  const { assignment, ctx, seen } = (await claimAsHandedOut(d, agent, id, body, now, outcomeOf)) ?? (await claimHeld(d, agent, id, body, now, outcomeOf));
  // Claimed on the pull's copy: the job carries what the pull read, for the worker to decide on.
  const outcome = { ...outcomeOf(assignment), ...(seen ? { seen } : {}) };
  failpoint(d.config, 'outcome.afterClaim');
  let completed: number;
  try {
    // The outcome job and the call job's completion, in one Redis call: both or neither.
    completed = await d.calls.handOverOutcome(outcome, { queue: assignment.queue, jobId: assignment.jobId, token: assignment.lockToken });
  } catch (err) {
    // Redis away or too slow: whether the script ran is unknown (a timed-out call may still
    // have run). The outcome is stored with its claim (the outbox), so it stands either way:
    // `recover` queues it within a minute, the case is held back at its pull until it is
    // recorded, and the call job comes back through the lock watch. Giving the assignment back
    // instead would show the case again for an outcome that may be recorded all the same.
    d.log.warn({ caseId: assignment.caseId, err: safeError(err) }, 'outcome stored, handing it to Redis failed: recover queues it');
    return { attemptNo: assignment.attemptNo, effect: effectOf(ctx, body) };
  }
  // The outcome is queued; a call job that survived (its lock ran out just now) is held back at
  // its pull until the outcome is recorded.
  if (completed < 0) d.log.warn({ caseId: assignment.caseId, code: completed }, 'completing the call job failed');
  return { attemptNo: assignment.attemptNo, effect: effectOf(ctx, body) };
}

const effectOf = (ctx: Held['ctx'], body: OutcomeBody) => ctx.settings.outcomes.find((o) => o.code === body.outcome)!.effect;

/**
 * The claim of an assignment this process handed out (`handed-out.ts`): validated against the
 * context its pull read and claimed only if nothing changed since, in one statement. Null when
 * that does not hold; the caller then takes the full path, which decides as if this never ran.
 */
async function claimAsHandedOut(d: DispatchDeps, agent: SessionUser, id: string, body: OutcomeBody, now: Date, outcomeOf: (a: AssignmentRow) => OutcomeJob): Promise<Held | null> {
  const handed = takeHandedOut(d.db, id, agent.id);
  // The claim itself checks that the agent holds it and its lock has not run out.
  if (!handed || !agent.clientIds.includes(handed.ctx.case.clientId)) return null;
  try {
    validateOutcome(handed.ctx, body, now);
  } catch {
    return null; // decided on the current rules by the full path
  }
  return (await claimUnchanged(d.db, handed, agent.id, now, outcomeOf(handed.assignment))) ? { assignment: handed.assignment, ctx: handed.ctx, seen: handed.ctx.seen } : null;
}

/**
 * The claim after reading the assignment and its case (`heldAssignment`: 409/403 with the reason
 * when not held). One whose lock ran out is claimed late if nobody took the case since (`late-outcome.ts`).
 */
async function claimHeld(d: DispatchDeps, agent: SessionUser, id: string, body: OutcomeBody, now: Date, outcomeOf: (a: AssignmentRow) => OutcomeJob): Promise<Held> {
  const late = async (err: unknown): Promise<Held> => {
    if (!isOwnLockExpired(err)) throw err;
    const claimed = await claimLate(d, agent, id, now, outcomeOf, (ctx) => validateOutcome(ctx, body, now));
    d.log.info({ caseId: claimed.assignment.caseId }, 'outcome accepted after the lock ran out or a lead freed the case: nobody had taken it since');
    return claimed;
  };
  let held: Awaited<ReturnType<typeof heldAssignment>>;
  try {
    held = await heldAssignment(d, agent, id, now);
  } catch (err) {
    return late(err);
  }
  const { assignment, ctx } = held;
  validateOutcome(ctx, body, now);
  if (!(await claimForOutcome(d.db, id, now, outcomeOf(assignment)))) {
    // It ended between the read and the claim: another post of its outcome, or its release, its
    // expiry, its drop or a lead freeing it. Read again, the 409 says which; only the first means
    // "saved". Run out or freed just now, it is claimed late as if that had been read first.
    try {
      await heldAssignment(d, agent, id, now);
    } catch (err) {
      return late(err);
    }
    throw new AppError(409, 'assignment_ended', 'This assignment is no longer held', {});
  }
  return { assignment, ctx };
}

/** An assignment claimed for its outcome, with what its outcome was validated against (and, claimed on the pull's copy, what the pull read). */
type Held = { assignment: AssignmentRow; ctx: KeptContext | CaseContext; seen?: SeenCase };

function validateOutcome(ctx: Held['ctx'], body: OutcomeBody, now: Date): void {
  const { settings } = ctx;
  const def = settings.outcomes.find((o) => o.code === body.outcome);
  if (!def) {
    throw badRequest(`Unknown outcome "${body.outcome}"; this client's outcomes are ${settings.outcomes.map((o) => o.code).join(', ')}`, { cause: 'unknown_outcome' });
  }
  if (body.phone && !ctx.case.phones.some((p) => p.e164 === body.phone && p.status === 'active')) {
    throw badRequest(`"phone" ${body.phone} is not one of this case's numbers that may be dialled (${ctx.case.phones.filter((p) => p.status === 'active').map((p) => p.e164).join(', ')})`, { cause: 'phone_not_dialable' });
  }
  // The identity check needs somebody on the line: not with "nicht erreicht" or "falsche Nummer"
  // (a forgotten tick would read „Richtige Person: ja“ in the result list and count in the LE report).
  if (body.rightParty === true && (def.effect === 'retry' || def.effect === 'wrong_number')) {
    throw badRequest(`"rightParty" cannot be true with "${def.code}", an outcome that reached nobody`, { cause: 'right_party_not_reached' });
  }
  // A promise needs somebody who made it, and a callback an outcome that asks for one: carried
  // along with „nicht erreicht“ (an API client's leftover field) a promise would count in the
  // LE report and the result list, and a callback's owner would take the plain retry to one agent.
  if (body.promise && (def.effect === 'retry' || def.effect === 'wrong_number')) {
    throw badRequest(`"promise" cannot go with "${def.code}", an outcome that reached nobody`, { cause: 'promise_not_reached' });
  }
  if (body.callback && def.effect !== 'callback') {
    throw badRequest(`"callback" goes only with an outcome that asks for one (${settings.outcomes.filter((o) => o.effect === 'callback').map((o) => o.code).join(', ')}), not with "${def.code}"`, { cause: 'callback_not_expected' });
  }
  if (body.outcome === 'promise_to_pay' && !body.promise) {
    throw badRequest('A payment promise needs "promise": {"amountCents", "date"}', { cause: 'promise_missing' });
  }
  if (body.promise) {
    // Dates in the client's zone, only for a promise (luxon is the most of a plain check's cost).
    const today = DateTime.fromJSDate(now, { zone: settings.timezone });
    if (body.promise.date < today.toISODate()!) throw badRequest(`The promised payment date ${body.promise.date} lies in the past`, { cause: 'promise_in_past' });
    if (body.promise.date > today.plus({ years: 3 }).toISODate()!) {
      throw badRequest(`The promised payment date ${body.promise.date} is more than three years ahead; a promise is for the next payment`, { cause: 'promise_too_far' });
    }
  }
  if (body.preferredWindows && (def.effect === 'retry' || def.effect === 'wrong_number')) {
    // New windows the calling hours never meet would close the case at once as never callable.
    const plan = nextCallableAt(now, settings, placeState(ctx.case, body.preferredWindows), { kind: 'first' });
    if (plan.at === null) throw badRequest(`The customer's windows cannot be met: ${plan.explanation}`, { cause: plan.cause });
  }
  if (def.effect === 'callback') {
    if (!body.callback) throw badRequest('A callback needs "callback": {"window"} or {"at"}');
    const outOfRange = callbackOutOfRange(body.callback, now, settings.timezone);
    if (outOfRange) throw badRequest(outOfRange.message, { cause: outOfRange.cause });
    // Only whether the request can be met at all; the cap and the per-day limit do not apply
    // here (a callback that would exceed the cap closes the case as max_attempts instead).
    // As the outcomes worker will plan it (recorded now: the gap after the call applies).
    const plan = nextCallableAt(now, settings, placeState(ctx.case, body.preferredWindows), callbackRequest(body.callback, now));
    if (plan.at === null) throw badRequest(`The callback cannot be scheduled: ${plan.explanation}`, { cause: plan.cause });
    // „Heute Abend“ is a promise for today: one that cannot be kept today (the window over, or
    // ending within the gap after the call) is refused, not moved to another day unseen. (The
    // scheduler itself moves it: a job rebuilt later is late, not wrong.)
    if ('window' in body.callback && body.callback.date === DateTime.fromJSDate(now, { zone: settings.timezone }).toISODate() && DateTime.fromJSDate(plan.at, { zone: settings.timezone }).toISODate() !== body.callback.date) {
      throw badRequest(`The callback window "${body.callback.window}" cannot be met today any more; it would be ${plan.at.toISOString()}. Leave the date out for the next one, or pick another day`, { cause: 'not_on_requested_date' });
    }
  }
}

/** How far in the past a callback time may lie when it arrives: the agent's form and its request take a moment. */
const CALLBACK_PAST_GRACE_MS = 60_000;
/** How far ahead a callback may be: the list stays open until it, and its result list unsent. */
const CALLBACK_HORIZON_MONTHS = 12;

/**
 * A new callback lies ahead, within a year. One in the past (a mistyped year, "15:30" typed at
 * 16:00, a date before today) would be due at once, first in line and exempt from the per-day
 * limit: the customer who just hung up would be rung again within seconds. The scheduler itself
 * does not judge a past time again (a job rebuilt by reconcile is late, not wrong), so the API
 * does. One a year or more ahead (9999) would hold the list open, its result list unsent, until then.
 */
function callbackOutOfRange(callback: NonNullable<OutcomeBody['callback']>, now: Date, zone: string): { cause: string; message: string } | null {
  const today = DateTime.fromJSDate(now, { zone });
  const last = today.plus({ months: CALLBACK_HORIZON_MONTHS });
  if ('at' in callback) {
    const at = new Date(callback.at).getTime();
    if (at < now.getTime() - CALLBACK_PAST_GRACE_MS) return { cause: 'callback_in_past', message: `The callback time ${callback.at} lies in the past; pick a time ahead` };
    if (at > last.toMillis()) return { cause: 'callback_too_far', message: `The callback time ${callback.at} is more than ${CALLBACK_HORIZON_MONTHS} months ahead` };
    return null;
  }
  if (callback.date === undefined) return null;
  if (callback.date < today.toISODate()!) return { cause: 'callback_in_past', message: `The callback date ${callback.date} lies in the past; pick today or a day ahead` };
  if (callback.date > last.toISODate()!) return { cause: 'callback_too_far', message: `The callback date ${callback.date} is more than ${CALLBACK_HORIZON_MONTHS} months ahead` };
  return null;
}

/** The `outcomes` job of one attempt (id `<caseId>-a<attemptNo>`: queued twice, it is one job). */
export async function queueOutcome(d: Pick<DispatchDeps, 'queues'>, outcome: OutcomeJob): Promise<void> {
  await d.queues.get('outcomes').add('outcome', outcome, { jobId: callJobId(outcome.caseId, outcome.attemptNo) });
}

