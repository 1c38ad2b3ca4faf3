// Dialling the case on screen: through the phone system (click-to-dial) or by following a
// number's tel:/sip: link, and no dialling once the customer may no longer be called.
import { api, ApiError, germanError, serverNow } from '../api.js';
import { h, notice, replace } from '../dom.js';
import { formatTime } from '../format.js';

/**
 * @param {string} assignmentId
 * @param {import('../types.js').AgentCase} c
 * @param {() => boolean} current whether the case is still the one on screen
 */
export function caseDialing(assignmentId, c, current) {
  // Click-to-dial: the phone system rings the agent's extension; the case stays assigned either way.
  const status = h('div', { class: 'dial-status', 'aria-live': 'polite', 'data-testid': 'dial-status' });
  /** A dial is on its way: a second click would ring the customer twice, a release hand the case on while it rings. */
  let dialling = false;
  /** The last followed link's report (CTI_MODE=link): a release waits for it, so it counts the dial. */
  let linkReported = Promise.resolve();

  return {
    status,
    /** @param {string} e164 */
    async through(e164) {
      if (dialling) return;
      dialling = true;
      replace(status, notice('info', 'Telefonanlage wird beauftragt …'));
      try {
        await api('POST', `/api/agent/assignments/${assignmentId}/dial`, { json: { phone: e164 } });
        if (current()) replace(status, notice('success', 'Ihr Telefon klingelt gleich – nach dem Abheben wird der Kunde angerufen.'));
      } catch (err) {
        if (current()) replace(status, notice('error', dialError(err)));
      } finally {
        dialling = false;
      }
    },
    /**
     * A number's link was followed: without a phone system the link itself dials, and the server
     * is told so (a release then holds the case).
     * @param {string} e164
     */
    linkFollowed(e164) {
      if (c.dial) return;
      linkReported = api('POST', `/api/agent/assignments/${assignmentId}/link-dialled`, { json: { phone: e164 }, keepalive: true }).then(
        () => undefined,
        () => undefined,
      );
    },
    /** What a release waits for: no dial on its way, the last link's report sent. */
    async beforeRelease() {
      if (dialling) throw new Error('Die Telefonanlage baut den Anruf gerade auf. Bitte warten, bis sie geantwortet hat.');
      await linkReported;
    },
    /**
     * A case handed out at 19:58 stays on screen past 20:00: its numbers are not dialled then.
     * Returns the timer that stops them at `callableUntil`, if one was set.
     * @param {HTMLElement} view
     */
    stopAtCallingEnd(view) {
      const endsIn = c.callableUntil === null ? Infinity : Date.parse(c.callableUntil) - serverNow();
      // Shown outside them (a reload at 20:05): when they ended is not known here, so no time is said.
      if (endsIn <= 0) stopDialling(view, null);
      else if (endsIn < MAX_TIMER_MS) return setTimeout(() => stopDialling(view, c.callableUntil), endsIn);
      return undefined;
    },
  };
}

/** setTimeout's longest delay (about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The customer may no longer be called (calling hours over, or the case shown outside them): the
 * numbers stay readable but their links stop dialling, and the agent is told what to do.
 * @param {HTMLElement} view
 * @param {string | null} until
 */
function stopDialling(view, until) {
  disableDialLinks(view, 'Außerhalb der Anrufzeit: nicht mehr wählen');
  const when = until ? ` (seit ${formatTime(until)} Uhr)` : '';
  view.querySelector('[data-testid="dial-status"]')?.replaceChildren(
    notice('warning', `Dieser Kunde darf jetzt nicht mehr angerufen werden${when}: Anrufzeit, Feiertag oder Wunschzeit des Kunden. Bitte das Ergebnis eintragen oder den Fall zurückgeben.`),
  );
}

/**
 * The numbers stay readable, their links (the `tel:`/CTI link and the phone system's dial) stop.
 * @param {HTMLElement} view
 * @param {string} why the links' title
 */
export function disableDialLinks(view, why) {
  for (const link of view.querySelectorAll('a.phone, a.phone-alt')) {
    link.removeAttribute('href');
    link.setAttribute('aria-disabled', 'true');
    link.setAttribute('title', why);
    link.addEventListener('click', (e) => e.stopImmediatePropagation(), { capture: true });
  }
}

/**
 * What the agent reads when click-to-dial failed: the server's German message where it has one.
 * @param {unknown} err
 */
function dialError(err) {
  const details = err instanceof ApiError && typeof err.details === 'object' && err.details !== null ? /** @type {{ messageDe?: string }} */ (err.details) : {};
  return details.messageDe ?? `Wählen fehlgeschlagen: ${germanError(err)}`;
}
