// The agent's screen: "Nächster Anruf", the locked case with its outcome form, and why the
// queue is empty when it is.
import { api, ApiError, germanError, serverNow } from '../api.js';
import { h, notice, replace } from '../dom.js';
import { formatTime } from '../format.js';
import { caseCard } from './case-card.js';
import { alreadyRecorded, CLIENT_TAKEN, clientTaken, entered, FREED_BY_LEAD, freedByLead, LOCK_RAN_OUT, lockExpired, lockGone, lockLost, notSaved, RECORDED_BEFORE } from './case-ended.js';
import { caseDialing, disableDialLinks, MAX_TIMER_MS } from './case-dialing.js';
import { drafts } from './drafts.js';
import { emptyQueue } from './empty-queue.js';
import { outcomeError } from './outcome-errors.js';
import { outcomeForm } from './outcome-form.js';

/** @typedef {import('../types.js').NextResponse} NextResponse */
/** @typedef {import('../types.js').Assignment} Assignment */

/**
 * Heartbeat: every third of the remaining lock time (LOCK_SECONDS/3), at least every 2 min,
 * never more often than once a second; the remaining time by the server's clock (`serverNow`:
 * a PC clock minutes ahead made it a heartbeat a second, one behind let the lock run out).
 */
const MIN_BEAT_MS = 1_000;
const MAX_BEAT_MS = 120_000;
/** After a failed heartbeat (network), try again this soon. */
const RETRY_BEAT_MS = 3_000;
/** An empty answer due now is asked again this often, this far apart, before the empty screen. */
const ASK_AGAIN = 5;
const ASK_AGAIN_MS = 300;
/**
 * While the start screen is in view, the agent says this often that they are there
 * (`/api/agent/presence`): the team view and the language figures count an agent as at work for
 * an hour after their last request, and one waiting on an empty queue makes none. A page in the
 * background says nothing: its agent is at something else.
 */
const PRESENCE_MS = 5 * 60_000;
/** @param {string | null} at within a few seconds of the server's clock */
const dueNow = (at) => at !== null && new Date(at).getTime() <= serverNow() + 5_000;

/**
 * @param {string} userId the agent (what they entered is kept per agent and case)
 * @returns {import('../types.js').View}
 */
export function agentView(userId) {
  const el = h('div', { class: 'agent' });
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let beatTimer;
  /** When the customer may no longer be called (`callableUntil`). */
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let hoursTimer;
  /** When the lock runs out unless renewed: the dial links stop then, whether or not a heartbeat got through. */
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let lockTimer;
  /** When the next case of an empty queue is due (`nextDueAt`). */
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let dueTimer;
  /** While the start screen shows: says every PRESENCE_MS that the agent is there. */
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let presenceTimer;
  /** @type {((e: KeyboardEvent) => void) | null} */
  let keyHandler = null;
  let stopped = false;
  /** Bumped whenever the shown case goes away, so late heartbeat answers are ignored. */
  let caseGeneration = 0;
  /** The assignment on screen, for giving it back on logout. */
  /** @type {string | null} */
  let shownAssignment = null;

  const stopCase = () => {
    caseGeneration++;
    shownAssignment = null;
    clearTimeout(beatTimer);
    beatTimer = undefined;
    clearTimeout(hoursTimer);
    hoursTimer = undefined;
    clearTimeout(lockTimer);
    lockTimer = undefined;
    clearTimeout(dueTimer);
    dueTimer = undefined;
    clearInterval(presenceTimer);
    presenceTimer = undefined;
    keyHandler = null;
  };
  const sayPresent = () => {
    if (presenceTimer !== undefined && document.visibilityState === 'visible') void api('POST', '/api/agent/presence').catch(() => {});
  };
  // Back in view after a while in the background: said at once, not at the next interval.
  document.addEventListener('visibilitychange', sayPresent);
  /** @param {KeyboardEvent} e */
  const onKey = (e) => keyHandler?.(e);
  document.addEventListener('keydown', onKey);
  // Closing the tab with a case on screen loses what was entered (kept per tab) and leaves the
  // case locked until its lock runs out: the browser asks first. A reload asks too.
  /** @param {BeforeUnloadEvent} e */
  const onUnload = (e) => {
    if (shownAssignment === null) return;
    e.preventDefault();
    e.returnValue = '';
  };
  window.addEventListener('beforeunload', onUnload);

  /**
   * The start: the big button, and a message about what just happened or why nothing is due.
   * @param {HTMLElement | null} [message]
   * @param {HTMLElement | null} [explanation]
   */
  function showStart(message = null, explanation = null) {
    stopCase();
    presenceTimer = setInterval(sayPresent, PRESENCE_MS);
    const button = h('button', { type: 'button', class: 'btn btn-primary btn-huge', onclick: () => void pull(button) }, 'Nächster Anruf');
    replace(
      el,
      h(
        'section',
        { class: 'agent-start' },
        message,
        h('div', { class: 'start-panel card' }, button, h('p', { class: 'hint' }, 'Sie erhalten genau einen Fall, der für Sie gesperrt ist.')),
        explanation,
      ),
    );
    button.focus();
  }

  /**
   * At the time the next case is due, the empty-queue screen says so (it asks nothing itself: a
   * case handed to an agent who stepped away would stay locked while the page beats).
   * @param {string | null} nextDueAt
   */
  function announceWhenDue(nextDueAt) {
    if (!nextDueAt) return;
    const inMs = Date.parse(nextDueAt) - serverNow();
    if (inMs >= MAX_TIMER_MS) return;
    dueTimer = setTimeout(() => {
      el.querySelector('.agent-start')?.prepend(notice('info', 'Jetzt ist ein Fall fällig: bitte „Nächster Anruf“ drücken.'));
      /** @type {HTMLButtonElement | null} */ (el.querySelector('.start-panel button'))?.focus();
    }, Math.max(0, inMs));
  }

  /** @param {HTMLButtonElement} button */
  async function pull(button) {
    button.disabled = true;
    replace(button, 'Suche nächsten Fall …');
    try {
      /** @type {NextResponse} */
      let res = await api('POST', '/api/agent/next');
      // "Due now" with nothing handed out: the server looked at as many jobs as one request may
      // (stale ones, e.g. of a list just cancelled) and says more may be due: asked again.
      for (let again = 0; !res.assignment && dueNow(res.nextDueAt) && again < ASK_AGAIN && !stopped; again++) {
        await new Promise((resolve) => setTimeout(resolve, ASK_AGAIN_MS));
        res = await api('POST', '/api/agent/next');
      }
      if (stopped) return;
      if (res.assignment) showCase(res);
      else {
        showStart(null, emptyQueue(res.nextDueAt, res.waiting, res.languageGaps, res.clients));
        announceWhenDue(res.nextDueAt);
      }
    } catch (err) {
      if (!stopped) showStart(notice('error', germanError(err)));
    }
  }

  /** @param {Extract<NextResponse, { assignment: Assignment }>} res */
  function showCase(res) {
    // The case's heartbeat says it from now on.
    clearInterval(presenceTimer);
    presenceTimer = undefined;
    const { case: c, history } = res;
    let assignment = res.assignment;
    // The same case at the same attempt: after a lost lock, an ended session or a reload.
    const draft = drafts.of(userId, c.id, c.attemptNo);
    const generation = caseGeneration;
    const current = () => generation === caseGeneration && !stopped;
    /**
     * The case is no longer this screen's (a 409 or 404 said so): back to the start, saying why.
     * An outcome found recorded (the first answer was lost on the way, or another window saved)
     * counts whichever came first, not necessarily this one.
     * @param {unknown} err
     */
    const endedElsewhere = (err) => {
      if (clientTaken(err)) {
        // Never this agent's again: what was entered cannot be saved, only written down.
        const note = draft.read()?.note?.trim();
        draft.drop();
        showStart(notice('warning', `${CLIENT_TAKEN} – ${c.name}${note ? `. Ihre Notiz: „${note}“` : ''}`));
      } else if (alreadyRecorded(err)) {
        draft.drop();
        showStart(notice('info', `${RECORDED_BEFORE} – ${c.name}`));
      } else if (freedByLead(err)) {
        // A release (an outcome is tried late, `finish`): the case is back in its queue either way.
        draft.drop();
        showStart(notice('info', `Ihre Teamleitung hatte den Fall bereits freigegeben; er ist wieder in der Warteschlange – ${c.name}`));
      } else if (lockGone(err)) showStart(lockLost(draft));
      else return false;
      return true;
    };
    /** An outcome or release is on its way: a heartbeat now could only race it. */
    let finishing = false;
    const lockInfo = h('span', { class: 'lock-info', 'data-testid': 'lock-info' });
    const lockWarning = h('div', { class: 'lock-warning' });
    const setLock = () => replace(lockInfo, `Für Sie gesperrt bis ${formatTime(assignment.expiresAt)} Uhr (wird automatisch verlängert)`);
    /**
     * Held as long as one case may be (HOLD_MAX_MINUTES): no more heartbeats, the lock runs out at
     * its time; the form stays, and an outcome saved after is still taken while nobody took the case.
     * @param {number} minutes
     */
    const holdLimitReached = (minutes) => {
      replace(lockInfo, `Für Sie gesperrt bis ${formatTime(assignment.expiresAt)} Uhr – wird nicht mehr verlängert`);
      replace(
        lockWarning,
        notice('warning', `Dieser Fall ist seit ${minutes} Minuten für Sie gesperrt, länger nicht: Die Sperre endet um ${formatTime(assignment.expiresAt)} Uhr. Bitte jetzt das Ergebnis speichern oder den Fall zurückgeben.`),
      );
    };
    /**
     * The heartbeat found the lock gone, or the case freed by a team lead: the form stays, for an
     * outcome that may still be saved.
     */
    const lockRanOut = (freed = false) => {
      // Freed: the lock's own timer would later say only that it ran out.
      if (freed) clearTimeout(lockTimer);
      replace(lockInfo, freed ? 'Von Ihrer Teamleitung freigegeben' : `Sperre abgelaufen um ${formatTime(assignment.expiresAt)} Uhr`);
      replace(lockWarning, notice('warning', freed ? FREED_BY_LEAD : LOCK_RAN_OUT));
      // The case may be with another agent by now: only the outcome of the call made is left to enter.
      disableDialLinks(el, freed ? 'Freigegeben: nicht mehr wählen' : 'Sperre abgelaufen: nicht mehr wählen');
    };

    const scheduleBeat = () => {
      const remaining = Date.parse(assignment.expiresAt) - serverNow();
      // No network, or the hold limit reached: nobody tells the screen the lock ran out; its clock does.
      clearTimeout(lockTimer);
      if (remaining < MAX_TIMER_MS) lockTimer = setTimeout(() => void (current() && lockRanOut()), Math.max(0, remaining));
      const delay = Math.min(MAX_BEAT_MS, Math.max(MIN_BEAT_MS, remaining / 3));
      beatTimer = setTimeout(() => void beat(), delay);
    };
    const beat = async () => {
      if (finishing) return void (beatTimer = setTimeout(() => void beat(), MIN_BEAT_MS));
      try {
        const renewed = await api('POST', `/api/agent/assignments/${assignment.id}/heartbeat`);
        if (!current()) return;
        assignment = renewed;
        replace(lockWarning);
        setLock();
        scheduleBeat();
      } catch (err) {
        if (!current() || finishing) return;
        if (lockExpired(err)) return lockRanOut();
        if (freedByLead(err)) return lockRanOut(true);
        if (err instanceof ApiError && err.code === 'hold_limit') return holdLimitReached(/** @type {{ holdMaxMinutes: number }} */ (err.details).holdMaxMinutes);
        if (endedElsewhere(err)) return;
        // A network blip: keep trying; the lock lasts longer than a few failed beats.
        replace(lockInfo, `Für Sie gesperrt bis ${formatTime(assignment.expiresAt)} Uhr – Verlängerung fehlgeschlagen`);
        replace(
          lockWarning,
          notice('warning', `Sperre konnte nicht verlängert werden (${germanError(err)}); sie läuft um ${formatTime(assignment.expiresAt)} Uhr ab. Neuer Versuch läuft …`),
        );
        beatTimer = setTimeout(() => void beat(), RETRY_BEAT_MS);
      }
    };

    /**
     * Posts the outcome or the release; 409/404 mean the case is not ours any more.
     * @param {string} action
     * @param {unknown} body
     * @param {HTMLElement} done shown on the start screen afterwards
     */
    const finish = async (action, body, done) => {
      finishing = true;
      try {
        await api('POST', `/api/agent/assignments/${assignment.id}/${action}`, body === undefined ? {} : { json: body });
      } catch (err) {
        finishing = false;
        if (!current()) return;
        // The late outcome was refused: someone else has the case. What was entered is shown, not lost.
        if (action === 'outcome' && (lockExpired(err) || freedByLead(err))) return void showStart(notice('error', `${notSaved(err)} – ${c.name}. ${entered(c, form.draft())}`));
        if (endedElsewhere(err)) return;
        throw new Error(outcomeError(err));
      }
      draft.drop();
      if (current()) showStart(done);
    };
    const dialing = caseDialing(assignment.id, c, current);
    const form = outcomeForm(c, {
      submit: (body, label) => finish('outcome', body, notice('success', `Ergebnis gespeichert: ${label} – ${c.name}`)),
      release: async () => {
        await dialing.beforeRelease();
        await finish('release', undefined, notice('info', `Fall zurückgegeben (kein Versuch gezählt): ${c.name}`));
      },
    });
    /**
     * A number's link was clicked: it is the number dialled, and without a phone system the link
     * itself dials.
     * @param {string} e164
     */
    const onLink = (e164) => {
      form.selectPhone(e164);
      dialing.linkFollowed(e164);
    };
    const saved = draft.read();
    if (saved) form.restore(saved);
    form.onChange(() => draft.write(form.draft()));
    keyHandler = form.onKey;
    shownAssignment = assignment.id;
    setLock();
    replace(
      el,
      h('div', { class: 'case-bar' }, lockInfo, h('span', { class: 'hint' }, 'Tasten 1–9: Ergebnis wählen · J/N: richtige Person · Strg+Enter: speichern')),
      lockWarning,
      dialing.status,
      h('div', { class: 'case-layout' }, caseCard(c, history, onLink, (e164) => void dialing.through(e164)), form.el),
    );
    scheduleBeat();
    hoursTimer = dialing.stopAtCallingEnd(el);
    el.querySelector('a.phone')?.scrollIntoView({ block: 'nearest' });
  }

  showStart();
  return {
    el,
    // Logging out with a case on screen gives it back at once (no attempt counted) instead of
    // leaving it locked until LOCK_SECONDS run out. A reload keeps it: "next" returns it again.
    holdsCase: () => shownAssignment !== null,
    leave: async () => {
      drafts.clear();
      if (shownAssignment) await api('POST', `/api/agent/assignments/${shownAssignment}/release`);
    },
    stop: () => {
      stopped = true;
      stopCase();
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('visibilitychange', sayPresent);
      window.removeEventListener('beforeunload', onUnload);
    },
  };
}
