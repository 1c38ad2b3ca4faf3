// Freeing a case an agent holds (gone with it on screen), from the list's page or the team view.
import { api, ApiError, germanError } from '../api.js';
import { h, notice, replace } from '../dom.js';

/** Why a case a lead wanted to free was no longer held, by the assignment's end reason. @type {Record<string, (agent: string) => string>} */
const ENDED_BEFORE_FREE = {
  outcome: (agent) => `${agent} hat das Ergebnis inzwischen gespeichert.`,
  released: (agent) => `${agent} hat den Fall inzwischen zurückgegeben.`,
  expired: (agent) => `Die Sperre von ${agent} war abgelaufen; der Fall ist wieder in der Warteschlange.`,
  freed: () => 'Der Fall wurde bereits freigegeben.',
  dropped: (agent) => `Der Mandant ist ${agent} nicht mehr zugewiesen; der Fall ist wieder in der Warteschlange.`,
};

/** @typedef {{ message: HTMLElement, refresh: () => Promise<void> }} FreeingPage where the outcome is said, and what to read again after */

/**
 * Asks, then frees the case: back to its queue, no attempt counted; says how it went on the
 * page and reads it again (nothing when the lead said no).
 * @param {string} agent the agent's name
 * @param {string} assignmentId
 * @param {FreeingPage} page
 */
async function freeCase(agent, assignmentId, page) {
  const ask = `Fall von ${agent} freigeben? Der Fall geht zurück in die Warteschlange (kein Versuch gezählt). ${agent} kann nicht mehr wählen; ein Ergebnis, das ${agent} danach noch speichert, zählt nur, solange kein anderer Mitarbeiter den Fall übernommen hat. Nur freigeben, wenn ${agent} nicht mehr am Platz ist.`;
  if (!window.confirm(ask)) return;
  try {
    await api('POST', `/api/assignments/${encodeURIComponent(assignmentId)}/free`);
    replace(page.message, notice('success', `Fall von ${agent} freigegeben; er ist wieder in der Warteschlange.`));
  } catch (err) {
    // Ended meanwhile: nothing left to free; the reason says how.
    const ended = err instanceof ApiError && err.status === 409 ? ENDED_BEFORE_FREE[/** @type {{ endReason?: string }} */ (err.details ?? {}).endReason ?? ''] : undefined;
    replace(page.message, ended ? notice('info', `Nicht mehr nötig: ${ended(agent)}`) : notice('error', `Freigeben fehlgeschlagen: ${germanError(err)}`));
  }
  await page.refresh();
}

/**
 * The button beside an agent in a call: frees the case they hold (`freeCase`).
 * @param {string} agent
 * @param {string} assignmentId
 * @param {FreeingPage} page
 */
export const freeButton = (agent, assignmentId, page) =>
  h('button', { type: 'button', class: 'btn btn-small', title: `Fall von ${agent} freigeben (zurück in die Warteschlange)`, onclick: () => void freeCase(agent, assignmentId, page) }, 'Freigeben');
