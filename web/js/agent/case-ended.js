// Why a case left the agent's screen, as the start screen says it: the lock gone, the outcome
// recorded before, the client taken away, freed by a team lead, a late outcome refused — with
// what was entered.
import { ApiError } from '../api.js';
import { notice } from '../dom.js';
import { formatCalendarDay, formatMoney, parseGermanAmount, windowLabel } from '../format.js';

const LOCK_LOST = 'Die Sperre ist abgelaufen – der Fall ging zurück in die Warteschlange.';
const DRAFT_KEPT = 'Ihre Eingaben sind in diesem Fenster aufbewahrt und erscheinen wieder, sobald Sie diesen Fall erneut erhalten.';
export const CLIENT_TAKEN = 'Dieser Mandant ist Ihnen nicht mehr zugewiesen; der Fall ging zurück in die Warteschlange. Das Ergebnis wurde NICHT gespeichert – bitte Ihre Teamleitung informieren';
export const RECORDED_BEFORE = 'Für diesen Fall war bereits ein Ergebnis gespeichert (das zuerst gesendete gilt)';
/** The lock ran out with the case on screen: the call may still be going on, and its outcome still counts (`late-outcome.ts`). */
export const LOCK_RAN_OUT =
  'Die Sperre ist abgelaufen – der Fall ist wieder in der Warteschlange. Ein jetzt gespeichertes Ergebnis zählt, solange kein anderer Mitarbeiter den Fall übernommen hat: bitte gleich speichern.';
/** A team lead freed the case with it on screen: as a lock run out, the call's outcome still counts. */
export const FREED_BY_LEAD =
  'Ihre Teamleitung hat diesen Fall freigegeben – er ist wieder in der Warteschlange. Ein jetzt gespeichertes Ergebnis zählt, solange kein anderer Mitarbeiter den Fall übernommen hat: bitte gleich speichern.';
/** Why a late outcome was refused (`details.why` of the 409 `lock_expired`), in German. */
const LATE_REFUSED = {
  'another agent has the case now': 'ein anderer Mitarbeiter hat den Fall inzwischen übernommen',
  'the case was called again since': 'der Fall wurde inzwischen erneut angerufen',
  'the case is closed': 'der Fall ist inzwischen abgeschlossen',
  'its client is no longer assigned to you': 'der Mandant ist Ihnen nicht mehr zugewiesen',
};
/** @param {unknown} err */
export const notSaved = (err) => {
  const why = err instanceof ApiError ? /** @type {{ why?: string } | undefined} */ (err.details)?.why : undefined;
  const text = LATE_REFUSED[/** @type {keyof typeof LATE_REFUSED} */ (why ?? '')] ?? 'der Fall hat sich inzwischen geändert';
  const ended = freedByLead(err) ? 'Ihre Teamleitung hatte den Fall freigegeben' : 'Die Sperre war abgelaufen';
  return `Ergebnis NICHT gespeichert: ${ended}, und ${text}. Bitte geben Sie Ihre Eingaben an Ihre Teamleitung weiter`;
};

/**
 * The start screen's message after a lost lock; with what was entered kept for this case.
 * @param {ReturnType<typeof import('./drafts.js').drafts.of>} draft
 */
export function lockLost(draft) {
  return notice('warning', draft.read() ? `${LOCK_LOST} ${DRAFT_KEPT}` : LOCK_LOST);
}

/**
 * What the agent entered, in one line for the start screen when it could not be saved.
 * @param {import('../types.js').AgentCase} c
 * @param {import('./outcome-form.js').Draft} d
 */
export function entered(c, d) {
  const outcome = c.outcomes.find((o) => o.code === d.code);
  const parts = [`Ihre Eingaben: ${outcome?.label ?? d.code ?? 'kein Ergebnis'}`];
  const cents = d.amount ? parseGermanAmount(d.amount, c.currency) : null;
  const amount = cents === null ? d.amount : formatMoney(cents, c.currency);
  if (amount || d.promiseDate) parts.push(['Zusage', amount, d.promiseDate && `zum ${formatCalendarDay(d.promiseDate)}`].filter(Boolean).join(' '));
  if (outcome?.effect === 'callback') {
    const range = c.windows[d.window];
    if (d.exact && d.at) parts.push(`Rückruf am ${d.at.replace('T', ' um ')} Uhr`);
    else if (!d.exact && range) parts.push(`Rückruf ${windowLabel(d.window, range)}${d.windowDate ? ` am ${formatCalendarDay(d.windowDate)}` : ''}`);
  }
  if (d.note.trim()) parts.push(`Notiz: „${d.note.trim()}“`);
  return parts.join(', ');
}

/**
 * How a 409 says the assignment ended (`details.endReason`), if it does.
 * @param {unknown} err
 */
const endReasonOf = (err) =>
  err instanceof ApiError && typeof err.details === 'object' && err.details !== null ? /** @type {{ endReason?: string }} */ (err.details).endReason : undefined;

/**
 * The agent's own lock ran out (the heartbeat or the outcome says so).
 * @param {unknown} err
 */
export const lockExpired = (err) => err instanceof ApiError && (err.code === 'lock_expired' || (err.code === 'assignment_ended' && endReasonOf(err) === 'expired'));

/**
 * A team lead freed the case (the heartbeat's 409 says so; a refused late outcome too).
 * @param {unknown} err
 */
export const freedByLead = (err) => err instanceof ApiError && err.status === 409 && endReasonOf(err) === 'freed';

/**
 * The outcome of this assignment is recorded already (its 409 says so).
 * @param {unknown} err
 */
export const alreadyRecorded = (err) => err instanceof ApiError && err.code === 'assignment_ended' && endReasonOf(err) === 'outcome';

/**
 * The case's client was taken from the agent during the call (the case went back to its queue):
 * said by the first request after it, and as `dropped` by any later one.
 * @param {unknown} err
 */
export const clientTaken = (err) =>
  err instanceof ApiError && ((err.status === 403 && err.code === 'client_not_assigned') || (err.status === 409 && endReasonOf(err) === 'dropped'));

/**
 * 409 (not held any more) and 404 (assignment unknown) both mean: this case is not ours now.
 * @param {unknown} err
 */
export const lockGone = (err) => err instanceof ApiError && (err.status === 409 || err.status === 404);
