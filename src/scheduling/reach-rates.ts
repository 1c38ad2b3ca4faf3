import type { RetryStrategy, SchedulingSettings } from './settings.js';
import type { Weekday } from './time-of-day.js';

/**
 * Reach rates: how often this client's customers answer, per weekday type and named window,
 * from the recorded attempts of the last `learningDays`, smoothed by a prior over all clients
 * (docs/scheduling.md, "Best time to call"). Pure: the counts are loaded elsewhere.
 */

/** Mon–Fri, and the weekend (Saturday; Sunday too where a client calls then). */
export const DAY_TYPES = ['weekday', 'weekend'] as const;
export type DayType = (typeof DAY_TYPES)[number];

export const dayTypeOf = (day: Weekday): DayType => (day === 'sat' || day === 'sun' ? 'weekend' : 'weekday');

/** Attempts and what came of them. */
export interface ReachCounts {
  attempts: number;
  /** Somebody answered: an outcome whose effect (in the client's current settings) is not `retry`. */
  reached: number;
  /** The right person was reached (`rightParty` recorded true). */
  rightParty: number;
}

/** The counts of one client, weekday type and window. */
export interface ReachCell extends ReachCounts {
  dayType: DayType;
  window: string;
}

/** What the scheduling core gets: one client's cells and the pooled counts of all clients. */
export interface ReachRates {
  cells: readonly ReachCell[];
  /** All clients' attempts in their windows, pooled: the prior's mean. */
  prior: ReachCounts;
}

/** What a learned retry needs besides the rates: a seed for its exploration (case and attempt). */
export interface ReachContext {
  rates: ReachRates;
  /** `<caseId>-a<attemptNo>`: the same case and attempt always explores the same way. */
  seed: string;
}

/** The prior weighs as much as this many attempts (Beta(m·p₀, m·(1−p₀))). */
export const PRIOR_ATTEMPTS = 20;
/** The prior's mean when no client has any attempt yet. */
export const DEFAULT_PRIOR_RATE = 0.3;
/** With `retryStrategy: "auto"`, the client's attempts (within `learningDays`) from which `learned` applies. */
export const AUTO_LEARNED_MIN_ATTEMPTS = 200;

export const emptyCounts = (): ReachCounts => ({ attempts: 0, reached: 0, rightParty: 0 });

export function addCounts(into: ReachCounts, add: ReachCounts): ReachCounts {
  into.attempts += add.attempts;
  into.reached += add.reached;
  into.rightParty += add.rightParty;
  return into;
}

/** The prior's mean reach rate: the pooled rate of all clients, or {@link DEFAULT_PRIOR_RATE}. */
export const priorRate = (prior: ReachCounts) => (prior.attempts > 0 ? prior.reached / prior.attempts : DEFAULT_PRIOR_RATE);

/**
 * Posterior mean reach rate of a cell under a two-level Beta–Binomial model. The client's own
 * rate over all its cells is shrunk towards p₀, the pooled rate of all clients:
 * p_c = (reached_c + m·p₀) / (attempts_c + m); each cell is then shrunk towards p_c:
 * (reached + m·p_c) / (attempts + m), m = {@link PRIOR_ATTEMPTS}. A window with 2 attempts
 * moves 2/22 of the way from the client's rate to its own. Shrunk straight to p₀, a window the
 * client never called (Saturday) looked as good as all clients' average — 30 % against this
 * client's 12 % everywhere — and drew every retry to it until hundreds of its own attempts
 * there said otherwise.
 */
export function expectedReach(rates: ReachRates, dayType: DayType, window: string): number {
  const cell = cellOf(rates, dayType, window);
  const own = rates.cells.reduce((sum, c) => addCounts(sum, c), emptyCounts());
  const pc = (own.reached + PRIOR_ATTEMPTS * priorRate(rates.prior)) / (own.attempts + PRIOR_ATTEMPTS);
  return ((cell?.reached ?? 0) + PRIOR_ATTEMPTS * pc) / ((cell?.attempts ?? 0) + PRIOR_ATTEMPTS);
}

export const cellOf = (rates: ReachRates, dayType: DayType, window: string): ReachCell | undefined =>
  rates.cells.find((c) => c.dayType === dayType && c.window === window);

/** The client's attempts behind its rates. */
export const clientAttempts = (rates: ReachRates) => rates.cells.reduce((n, c) => n + c.attempts, 0);

/** The strategy a retry uses: `auto` is `learned` from {@link AUTO_LEARNED_MIN_ATTEMPTS} attempts on. */
export function effectiveStrategy(settings: Pick<SchedulingSettings, 'retryStrategy'>, rates: ReachRates | null): Exclude<RetryStrategy, 'auto'> {
  if (settings.retryStrategy !== 'auto') return settings.retryStrategy;
  return rates && clientAttempts(rates) >= AUTO_LEARNED_MIN_ATTEMPTS ? 'learned' : 'rotation';
}

/** One attempt, or a group of equal attempts, as the rates count it. */
export interface AttemptGroup {
  dayType: DayType;
  /** The attempt's window (narrowest named window at its wall-clock time); null: outside every window. */
  window: string | null;
  outcome: string;
  rightParty: boolean | null;
  /** The outcome of the case's attempt before this one; null for a first attempt. */
  previousOutcome?: string | null;
  count: number;
}

/**
 * Folds attempts into cells. Reached = the outcome's effect in the client's current settings is
 * not `retry` (as in the LE report; a code the settings no longer have counts as not reached).
 * Attempts outside every window are not counted: no retry can be placed there by name. Nor are
 * those of a retry outcome with its own delay („Besetzt“): somebody was there, and a line busy
 * again and again within a quarter of an hour would make the hours people are home look like
 * the ones nobody answers. Nor a call back (the attempt before had effect `callback`): the
 * customer chose its time and expects the call, which says nothing of when others are home.
 */
export function foldAttempts(groups: Iterable<AttemptGroup>, outcomes: SchedulingSettings['outcomes']): ReachCell[] {
  const effects = new Map(outcomes.map((o) => [o.code, o.effect]));
  const ownDelay = new Set(outcomes.filter((o) => o.retryDelaySeconds !== undefined).map((o) => o.code));
  const cells = new Map<string, ReachCell>();
  for (const g of groups) {
    if (g.window === null || ownDelay.has(g.outcome)) continue;
    if (g.previousOutcome != null && effects.get(g.previousOutcome) === 'callback') continue;
    const key = `${g.dayType}\u0000${g.window}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { dayType: g.dayType, window: g.window, ...emptyCounts() }));
    const effect = effects.get(g.outcome);
    addCounts(cell, {
      attempts: g.count,
      reached: effect !== undefined && effect !== 'retry' ? g.count : 0,
      rightParty: g.rightParty === true ? g.count : 0,
    });
  }
  return [...cells.values()];
}
