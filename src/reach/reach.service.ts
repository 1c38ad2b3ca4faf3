import { loadSettings } from '../clients/clients.service.js';
import type { Db } from '../db/client.js';
import {
  AUTO_LEARNED_MIN_ATTEMPTS,
  DAY_TYPES,
  dayTypeOf,
  PRIOR_ATTEMPTS,
  cellOf,
  clientAttempts,
  effectiveStrategy,
  expectedReach,
  priorRate,
  type DayType,
  type SchedulingSettings,
} from '../scheduling/index.js';
import { loadReachRates } from './load-reach-rates.js';
import type { ReachRatesView } from './reach.schemas.js';

/** The client's rates as the lead's heat map shows them: every weekday type × window, with counts. */
export async function reachRatesView(db: Db, clientId: string, now: Date): Promise<ReachRatesView> {
  const settings = await loadSettings(db, clientId);
  const rates = await loadReachRates(db, clientId, now);
  const windows = Object.entries(settings.windows)
    .map(([name, [from, to]]) => ({ name, from, to }))
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const cells = DAY_TYPES.flatMap((dayType) =>
    windows.map(({ name }) => {
      const cell = cellOf(rates, dayType, name);
      const counts = { attempts: cell?.attempts ?? 0, reached: cell?.reached ?? 0, rightParty: cell?.rightParty ?? 0 };
      return {
        dayType,
        window: name,
        ...counts,
        rate: expectedReach(rates, dayType, name),
        observedRate: counts.attempts ? counts.reached / counts.attempts : null,
        callable: callableIn(settings, dayType, settings.windows[name]!),
      };
    }),
  );
  return {
    clientId,
    retryStrategy: settings.retryStrategy,
    effectiveStrategy: effectiveStrategy(settings, rates),
    learnedFromAttempts: AUTO_LEARNED_MIN_ATTEMPTS,
    learningDays: settings.learningDays,
    refreshedAt: rates.refreshedAt?.toISOString() ?? null,
    windows,
    prior: { ...rates.prior, rate: priorRate(rates.prior), weight: PRIOR_ATTEMPTS },
    clientAttempts: clientAttempts(rates),
    cells,
  };
}

/**
 * Whether the client's calling hours reach into the window on some day of the weekday type
 * (Saturday afternoon with calls until 14:00: no). Holidays and customers' windows aside.
 */
function callableIn(settings: SchedulingSettings, dayType: DayType, [from, to]: [string, string]): boolean {
  return Object.entries(settings.callingHours).some(([day, intervals]) => dayTypeOf(day as keyof SchedulingSettings['callingHours']) === dayType && intervals.some(([a, b]) => a < to && from < b));
}
