// The lead's view of "best time to call": how often this client's customers are reached, per
// weekday type and window, as a heat map (SVG) with the counts behind each cell.
import { api, germanError } from '../api.js';
import { h, notice, replace, svg } from '../dom.js';
import { formatPercent, formatShortDateTime, windowLabel } from '../format.js';

/** @typedef {import('../types.js').ReachRates} ReachRates */
/** @typedef {import('../types.js').ReachCell} ReachCell */

/** @type {Record<string, string>} */
const DAY_TYPES = { weekday: 'Mo–Fr', weekend: 'Sa/So' };
/** @type {Record<string, string>} */
const STRATEGY = { learned: 'gelernt', rotation: 'wechselnde Tageszeit' };

const CELL_W = 150;
const CELL_H = 64;
const LEFT = 70;
const TOP = 52;

/**
 * A card that loads and shows the client's reach rates.
 * @param {string} clientId
 */
export function reachHeatmap(clientId) {
  const el = h('section', { class: 'card reach-rates', 'aria-labelledby': 'reach-title' }, h('h2', { id: 'reach-title' }, 'Erreichbarkeit'), h('p', { class: 'muted' }, 'Wird geladen …'));
  (async () => {
    try {
      /** @type {ReachRates} */
      const rates = await api('GET', `/api/clients/${encodeURIComponent(clientId)}/reach-rates`);
      replace(el, h('h2', { id: 'reach-title' }, 'Erreichbarkeit'), summary(rates), chart(rates), legend(rates));
    } catch (err) {
      replace(el, h('h2', { id: 'reach-title' }, 'Erreichbarkeit'), notice('error', germanError(err)));
    }
  })();
  return el;
}

/** @param {ReachRates} r */
function summary(r) {
  const how = r.retryStrategy === 'auto' ? `automatisch, gelernt ab ${r.learnedFromAttempts} Versuchen` : 'fest eingestellt';
  const when = r.refreshedAt ? `Stand ${formatShortDateTime(r.refreshedAt)}` : 'noch nicht berechnet';
  return h(
    'p',
    { 'data-testid': 'reach-summary' },
    `Nach „nicht erreicht“: ${STRATEGY[r.effectiveStrategy] ?? r.effectiveStrategy} (${how}). `,
    `${r.clientAttempts} Versuche der letzten ${r.learningDays} Tage; ${when}.`,
  );
}

/**
 * Cell colour: light (least reached) to dark blue (most reached), scaled between this client's
 * worst and best cell so that differences show.
 * @param {number} rate
 * @param {{ min: number, max: number }} range
 */
function shade(rate, { min, max }) {
  const t = max > min ? (rate - min) / (max - min) : 0.5;
  return `hsl(212, 70%, ${Math.round(92 - t * 52)}%)`;
}

/** @param {ReachRates} r */
function chart(r) {
  const width = LEFT + CELL_W * r.windows.length;
  const dayTypes = Object.keys(DAY_TYPES);
  const height = TOP + CELL_H * dayTypes.length;
  // Slots outside the calling hours (Saturday evening) get no retry: neither scale nor "best".
  const callable = r.cells.filter((c) => c.callable);
  const range = { min: Math.min(...callable.map((c) => c.rate)), max: Math.max(...callable.map((c) => c.rate)) };
  const heads = r.windows.map((w, i) => {
    const x = LEFT + i * CELL_W + CELL_W / 2;
    return svg(
      'g',
      {},
      svg('text', { x, y: TOP - 26, 'text-anchor': 'middle', class: 'reach-head' }, windowLabel(w.name)),
      svg('text', { x, y: TOP - 10, 'text-anchor': 'middle', class: 'reach-head' }, `${w.from}–${w.to}`),
    );
  });
  const rows = dayTypes.map((dayType, j) =>
    svg(
      'g',
      {},
      svg('text', { x: LEFT - 8, y: TOP + j * CELL_H + CELL_H / 2 + 5, 'text-anchor': 'end', class: 'reach-head' }, DAY_TYPES[dayType] ?? dayType),
      r.windows.map((w, i) => {
        const cell = r.cells.find((c) => c.dayType === dayType && c.window === w.name);
        return cell ? cellOf(cell, LEFT + i * CELL_W, TOP + j * CELL_H, range) : null;
      }),
    ),
  );
  const best = callable.length ? callable.reduce((a, b) => (b.rate > a.rate ? b : a)) : null;
  const label = best
    ? `Erreichbarkeit je Wochentag und Zeitfenster; am besten ${DAY_TYPES[best.dayType] ?? ''} ${windowLabel(best.window)} mit ${formatPercent(best.rate)}`
    : 'Erreichbarkeit je Wochentag und Zeitfenster';
  return h(
    'div',
    { class: 'table-scroll' },
    svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label, 'data-testid': 'reach-heatmap', class: 'reach-heatmap' }, heads, rows),
  );
}

/**
 * @param {ReachCell} c
 * @param {number} x
 * @param {number} y
 * @param {{ min: number, max: number }} range
 */
function cellOf(c, x, y, range) {
  if (!c.callable) {
    return svg(
      'g',
      { 'data-testid': 'reach-cell', 'data-day-type': c.dayType, 'data-window': c.window, 'data-attempts': c.attempts, 'data-reached': c.reached, 'data-callable': 'false' },
      svg('title', {}, `${DAY_TYPES[c.dayType]} ${windowLabel(c.window)}: keine Anrufzeit`),
      svg('rect', { x: x + 2, y: y + 2, width: CELL_W - 4, height: CELL_H - 4, rx: 6, fill: '#f1f5f9' }),
      svg('text', { x: x + CELL_W / 2, y: y + 38, 'text-anchor': 'middle', fill: '#64748b', class: 'reach-count' }, 'keine Anrufzeit'),
    );
  }
  const fill = shade(c.rate, range);
  const dark = range.max > range.min ? (c.rate - range.min) / (range.max - range.min) > 0.45 : false;
  const ink = dark ? '#fff' : '#1f2937';
  const counts = `${c.reached} von ${c.attempts} erreicht · ${c.rightParty} richtige Person`;
  return svg(
    'g',
    { 'data-testid': 'reach-cell', 'data-day-type': c.dayType, 'data-window': c.window, 'data-attempts': c.attempts, 'data-reached': c.reached },
    svg('title', {}, `${DAY_TYPES[c.dayType]} ${windowLabel(c.window)}: ${formatPercent(c.rate)} erwartet; ${counts}`),
    svg('rect', { x: x + 2, y: y + 2, width: CELL_W - 4, height: CELL_H - 4, rx: 6, fill }),
    svg('text', { x: x + CELL_W / 2, y: y + 28, 'text-anchor': 'middle', fill: ink, class: 'reach-rate' }, formatPercent(c.rate)),
    svg('text', { x: x + CELL_W / 2, y: y + 48, 'text-anchor': 'middle', fill: ink, class: 'reach-count' }, `${c.reached}/${c.attempts} · RP ${c.rightParty}`),
  );
}

/** @param {ReachRates} r */
function legend(r) {
  return h(
    'p',
    { class: 'muted hint' },
    'Je Feld: erwartete Erreichbarkeit (erreichte Kunden je Versuch), darunter erreicht/Versuche und richtige Person (RP). ',
    `Wenige Versuche zählen wenig: jedes Feld beginnt bei der Erreichbarkeit dieses Mandanten über alle Felder; diese beginnt ihrerseits beim Mittel aller Mandanten (${formatPercent(r.prior.rate)}). Beide Schritte wiegen wie ${r.prior.weight} Versuche.`,
  );
}
