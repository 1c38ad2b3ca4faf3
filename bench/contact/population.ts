import { dayTypeOf, type DayType } from '../../src/scheduling/index.js';

/**
 * Simulated customers with a hidden chance of answering per weekday type and window. The
 * scheduling core never sees it; it only sees the outcomes of the attempts it placed.
 */

export type PopulationKind = 'preferences' | 'flat';

export interface Customer {
  id: string;
  /** Chance of answering, per `dayType:window`. */
  answers: Record<string, number>;
}

type Profile = Record<DayType, Record<string, number>>;

/** People at work in the day: mostly reachable in the evening and on Saturday. */
const WORKING: Profile = {
  weekday: { morning: 0.08, midday: 0.15, afternoon: 0.12, evening: 0.55 },
  weekend: { morning: 0.45, midday: 0.45, afternoon: 0.4, evening: 0.4 },
};
/** People at home (retired, caring, shift workers off): mornings and early afternoons. */
const AT_HOME: Profile = {
  weekday: { morning: 0.5, midday: 0.35, afternoon: 0.4, evening: 0.2 },
  weekend: { morning: 0.35, midday: 0.3, afternoon: 0.3, evening: 0.3 },
};
/** Share of working people per region: cities work in the day, the countryside less so. */
const REGIONS = [
  { name: 'city', working: 0.75 },
  { name: 'suburb', working: 0.55 },
  { name: 'country', working: 0.35 },
];

/** The mean of the profiles above, weighted as the regions mix them: the flat population's level. */
const FLAT_MEAN = 0.3;

export const cellKey = (dayType: DayType, window: string) => `${dayType}:${window}`;

/** `n` customers; `rand` is the bench's seeded generator. */
export function population(kind: PopulationKind, n: number, rand: () => number): Customer[] {
  return Array.from({ length: n }, (_, i) => {
    // Each person differs from their type by up to ±30 %.
    const jitter = 0.7 + 0.6 * rand();
    const answers: Record<string, number> = {};
    if (kind === 'flat') {
      for (const dayType of ['weekday', 'weekend'] as const) {
        for (const w of Object.keys(WORKING.weekday)) answers[cellKey(dayType, w)] = FLAT_MEAN * jitter;
      }
    } else {
      const region = REGIONS[i % REGIONS.length]!;
      const profile = rand() < region.working ? WORKING : AT_HOME;
      for (const dayType of ['weekday', 'weekend'] as const) {
        for (const [w, p] of Object.entries(profile[dayType])) answers[cellKey(dayType, w)] = Math.min(0.95, p * jitter);
      }
    }
    return { id: `c${String(i).padStart(6, '0')}`, answers };
  });
}

/** The customer's chance of answering at a weekday and window (outside every window: the lowest). */
export function answerChance(c: Customer, weekday: Parameters<typeof dayTypeOf>[0], window: string | null): number {
  const dayType = dayTypeOf(weekday);
  if (window === null) return Math.min(...Object.values(c.answers));
  return c.answers[cellKey(dayType, window)] ?? 0;
}
