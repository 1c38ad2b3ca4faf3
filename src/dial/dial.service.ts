import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { audit } from '../audit/audit.js';
import { dials, doNotCall, users } from '../db/schema.js';
import type { DispatchDeps } from '../deps.js';
import { heldAssignment } from '../dispatch/held-assignment.js';
import { placeState } from '../dispatch/case-state.js';
import type { CaseContext } from '../dispatch/load-case.js';
import { isCallableNow, type NotCallableReason } from '../scheduling/index.js';
import type { SessionUser } from '../http/context.js';
import { AppError } from '../http/errors.js';
import { finishDial, startDial } from './dial-record.js';
import { DialError, type Dialer, type DialFailure } from './dialer.js';

export interface DialView {
  result: 'ok';
  at: string;
  /** The number the phone system was asked to connect (E.164). */
  phone: string;
}

const KEEP = 'Der Fall bleibt Ihnen zugewiesen; bitte die Nummer von Hand wählen oder es gleich noch einmal versuchen.';

/** What the agent reads when the phone system did not take the call. */
function germanFailure(reason: DialFailure, httpStatus: number | null): string {
  // Too late is not a refusal: the phone system may still ring the agent's phone.
  if (reason === 'timeout') {
    return 'Die Telefonanlage hat nicht rechtzeitig geantwortet; der Anruf wird eventuell trotzdem aufgebaut. Bitte einige Sekunden warten, ob Ihr Telefon klingelt, und erst dann von Hand wählen. Der Fall bleibt Ihnen zugewiesen.';
  }
  if (reason === 'unreachable') return `Die Telefonanlage ist nicht erreichbar. ${KEEP}`;
  if (reason === 'unexpected') return `Die Telefonanlage hat geantwortet (Antwort ${httpStatus}), aber keinen Anruf angelegt. ${KEEP}`;
  return `Die Telefonanlage hat den Anruf abgelehnt (Antwort ${httpStatus}). ${KEEP}`;
}

const NOT_NOW_DE: Partial<Record<NotCallableReason, string>> = {
  calling_hours: 'außerhalb der Anrufzeiten',
  holiday: 'Feiertag',
  preferred_window: 'außerhalb der Zeiten, die der Kunde genannt hat',
};

/**
 * A case handed out a minute before calling hours end may stay on screen past them (the
 * heartbeat keeps it): the phone system is asked to ring the customer only while the calling
 * hours, the holidays and the customer's stated windows allow it now — the rules of the pull,
 * checked again at the moment of dialling. The per-day limit is the pull's (this call is the
 * attempt it allowed), so it is not checked again.
 */
function notCallableNow(now: Date, ctx: CaseContext): void {
  const check = isCallableNow(now, ctx.settings, placeState(ctx.case));
  if (check.callable) return;
  const next = check.nextAt ? `; wieder ab ${DateTime.fromJSDate(check.nextAt, { zone: ctx.settings.timezone }).toFormat('dd.MM.yyyy HH:mm')} Uhr` : '';
  throw new AppError(409, 'not_callable_now', `The customer may not be called now: ${check.explanation}`, {
    reason: check.reason,
    nextAt: check.nextAt?.toISOString() ?? null,
    messageDe: `Dieser Kunde darf jetzt nicht angerufen werden (${NOT_NOW_DE[check.reason] ?? 'Anrufregeln'})${next}. Bitte den Fall zurückgeben.`,
  });
}

/**
 * Click-to-dial for the agent's own live assignment: the phone system rings the agent's
 * extension and connects it with `phone` (one of the case's active numbers; default the current
 * one) — never a number on the client's do-not-call list, nor a case closed meanwhile, nor outside
 * the calling hours, on a holiday or outside the customer's stated windows. Every request is
 * recorded in `dials` before the phone system is asked (`pending`: a release meanwhile holds the
 * case) and then with its result, and in the audit trail; a failure is a 502 with a German
 * message in `details.messageDe`, and the assignment stays as it was. While an earlier dial of
 * the assignment may still be setting the call up, another is a 409.
 */
export async function dialAssignment(d: DispatchDeps, dialer: Dialer | null, agent: SessionUser, assignmentId: string, phone: string | undefined): Promise<DialView> {
  const started = d.clock.now();
  const { assignment, ctx } = await heldAssignment(d, agent, assignmentId, started);
  if (!dialer) {
    throw new AppError(409, 'dial_not_configured', 'Click-to-dial is not configured (CTI_MODE=link): dial with the link on the case card', {
      messageDe: 'Wählen über die Telefonanlage ist nicht eingerichtet; bitte den Link an der Nummer benutzen.',
    });
  }
  const [user] = await d.db.select({ extension: users.extension }).from(users).where(eq(users.id, agent.id));
  if (!user?.extension) {
    throw new AppError(409, 'no_extension', 'Your user has no phone extension; an administrator sets it in your user profile', {
      messageDe: 'Für Ihren Benutzer ist keine Nebenstelle hinterlegt. Bitte lassen Sie Ihre Nebenstelle von der Administration im Benutzerprofil eintragen.',
    });
  }
  // Held still, but its list may have been paused meanwhile: the client asked not to call it now.
  if (ctx.case.status === 'open' && ctx.listStatus === 'paused') {
    throw new AppError(409, 'list_paused', 'The case\'s list was paused during the call: it is not dialled any more', {
      messageDe: 'Die Liste dieses Falls wurde von der Teamleitung pausiert; es wird nicht mehr gewählt. Bitte den Fall zurückgeben oder das Ergebnis eines bereits geführten Gesprächs speichern.',
    });
  }
  // Held still, but the case or its list may have closed meanwhile (a lead cancelled the list).
  if (ctx.case.status !== 'open' || ctx.listStatus !== 'active') {
    throw new AppError(409, 'case_closed', 'The case or its list was closed during the call: it is not dialled any more', {
      messageDe: 'Dieser Fall oder seine Liste wurde inzwischen abgeschlossen; es wird nicht mehr gewählt.',
    });
  }
  const e164 = numberOfCase(ctx, phone);
  // Checked now, not only at the hand-out: a lead may have put the number on the list since.
  const [blocked] = await d.db
    .select({ phone: doNotCall.phoneE164 })
    .from(doNotCall)
    .where(and(eq(doNotCall.clientId, ctx.case.clientId), eq(doNotCall.phoneE164, e164)));
  if (blocked) {
    throw new AppError(409, 'do_not_call', 'This number is on the client\'s do-not-call list', {
      messageDe: 'Diese Nummer steht auf der Sperrliste des Mandanten und wird nicht gewählt.',
    });
  }
  notCallableNow(started, ctx);

  const dialId = await startDial(d, { assignmentId: assignment.id, agentId: agent.id, at: started, mode: dialer.mode, phoneE164: e164 });
  const t0 = performance.now();
  let outcome: { result: 'ok' | DialFailure; httpStatus: number | null };
  try {
    const answer = await dialer.dial({ e164, extension: user.extension });
    outcome = { result: 'ok', httpStatus: answer.httpStatus };
  } catch (err) {
    if (!(err instanceof DialError)) throw err;
    outcome = { result: err.reason, httpStatus: err.httpStatus };
  }
  await finishDial(d, dialId, { ...outcome, durationMs: Math.round(performance.now() - t0) });
  // In the audit trail admins read too (ids and the answer only, never the number).
  await audit(d.db, { at: started, actorId: agent.id, action: 'dial', entityType: 'assignment', entityId: assignment.id, details: { caseId: ctx.case.id, mode: dialer.mode, ...outcome } });
  if (outcome.result !== 'ok') {
    // Neither the number nor the phone system's URL or credentials: ids and the answer only.
    d.log.warn({ assignmentId, reason: outcome.result, httpStatus: outcome.httpStatus }, 'click-to-dial failed');
    throw new AppError(502, 'dial_failed', `The phone system did not take the call: ${new DialError(outcome.result, outcome.httpStatus).message}`, {
      reason: outcome.result,
      httpStatus: outcome.httpStatus,
      messageDe: germanFailure(outcome.result, outcome.httpStatus),
    });
  }
  return { result: 'ok', at: started.toISOString(), phone: e164 };
}

/** `phone`, or the case's current number, when it is one of the case's active numbers. */
function numberOfCase(ctx: CaseContext, phone: string | undefined): string {
  const e164 = phone ?? ctx.case.phoneE164;
  if (!ctx.case.phones.some((p) => p.e164 === e164 && p.status === 'active') && e164 !== ctx.case.phoneE164) {
    throw new AppError(400, 'unknown_phone', `${e164} is not an active number of this case`, { messageDe: 'Diese Nummer gehört nicht (mehr) zu diesem Fall.' });
  }
  return e164;
}

/**
 * Without a phone system (`CTI_MODE=link`) the agent dials with the number's `tel:`/`sip:` link,
 * which nothing here can stop or see; the screen reports the click so that it counts as a dial
 * (mode and result `link`): given back, or its lock run out, the case then waits the client's
 * retry delay (`holdAfterDial`) as after a dial through the phone system.
 */
export async function recordLinkDial(d: DispatchDeps, agent: SessionUser, assignmentId: string, phone: string | undefined): Promise<void> {
  const at = d.clock.now();
  const { assignment, ctx } = await heldAssignment(d, agent, assignmentId, at);
  const e164 = numberOfCase(ctx, phone);
  await d.db.insert(dials).values({ assignmentId: assignment.id, agentId: agent.id, at, mode: 'link', result: 'link', httpStatus: null, durationMs: 0, phoneE164: e164 });
  await audit(d.db, { at, actorId: agent.id, action: 'dial', entityType: 'assignment', entityId: assignment.id, details: { caseId: ctx.case.id, mode: 'link', result: 'link' } });
}
