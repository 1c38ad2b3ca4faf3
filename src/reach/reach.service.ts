import { loadSettings } from '../clients/clients.service.js';
import type { Db } from '../db/client.js';
import {
  AUTO_LEARNED_MIN_ATTEMPTS,
  DAY_TYPES,
  PRIOR_ATTEMPTS,
  cellOf,
  clientAttempts,
  effectiveStrategy,
  expectedReach,
  priorRate,
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
      return { dayType, window: name, ...counts, rate: expectedReach(rates, dayType, name), observedRate: counts.attempts ? counts.reached / counts.attempts : null };
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
