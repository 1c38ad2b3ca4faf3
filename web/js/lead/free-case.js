// Freeing a case an agent holds (gone with it on screen), from the list's page or the team view.
import { api, ApiError, germanError } from '../api.js';
import { h, notice } from '../dom.js';

/** Why a case a lead wanted to free was no longer held, by the assignment's end reason. @type {Record<string, (agent: string) => string>} */
const ENDED_BEFORE_FREE = {
  outcome: (agent) => `${agent} hat das Ergebnis inzwischen gespeichert.`,
  released: (agent) => `${agent} hat den Fall inzwischen zurückgegeben.`,
  expired: (agent) => `Die Sperre von ${agent} war abgelaufen; der Fall ist wieder in der Warteschlange.`,
  freed: () => 'Der Fall wurde bereits freigegeben.',
  dropped: (agent) => `Der Mandant ist ${agent} nicht mehr zugewiesen; der Fall ist wieder in der Warteschlange.`,
};

/**
 * Asks, then frees the case: back to its queue, no attempt counted. The notice to show, or null
 * when the lead said no.
 * @param {string} agent the agent's name
 * @param {string} assignmentId
 * @returns {Promise<HTMLElement | null>}
 */
export async function freeCase(agent, assignmentId) {
  const ask = `Fall von ${agent} freigeben? Der Fall geht zurück in die Warteschlange (kein Versuch gezählt). ${agent} kann nicht mehr wählen; ein Ergebnis, das ${agent} danach noch speichert, zählt nur, solange kein anderer Mitarbeiter den Fall übernommen hat. Nur freigeben, wenn ${agent} nicht mehr am Platz ist.`;
  if (!window.confirm(ask)) return null;
  try {
    await api('POST', `/api/assignments/${encodeURIComponent(assignmentId)}/free`);
    return notice('success', `Fall von ${agent} freigegeben; er ist wieder in der Warteschlange.`);
  } catch (err) {
    // Ended meanwhile: nothing left to free; the reason says how.
    const ended = err instanceof ApiError && err.status === 409 ? ENDED_BEFORE_FREE[/** @type {{ endReason?: string }} */ (err.details ?? {}).endReason ?? ''] : undefined;
    return ended ? notice('info', `Nicht mehr nötig: ${ended(agent)}`) : notice('error', `Freigeben fehlgeschlagen: ${germanError(err)}`);
  }
}

/**
 * The button beside an agent in a call.
 * @param {string} agent
 * @param {() => void} onClick
 */
export const freeButton = (agent, onClick) =>
  h('button', { type: 'button', class: 'btn btn-small', title: `Fall von ${agent} freigeben (zurück in die Warteschlange)`, onclick: onClick }, 'Freigeben');
