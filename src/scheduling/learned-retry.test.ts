import { describe, expect, it } from 'vitest';
import type { CaseSchedulingState } from './calendar.js';
import { EXPLORATION_RATE, unitHash } from './learned-retry.js';
import { nextCallableAt } from './next-callable.js';
import { AUTO_LEARNED_MIN_ATTEMPTS, expectedReach, foldAttempts, type ReachCell, type ReachContext, type ReachRates } from './reach-rates.js';
import type { SchedulingSettings } from './settings.js';
import { caseWith, local, settingsWith, show } from './test-helpers.js';

/** Weekday cells: `[window, attempts, reached]`. */
function rates(cells: Array<[string, number, number]>, prior = { attempts: 10_000, reached: 3000, rightParty: 2500 }): ReachRates {
  const list: ReachCell[] = cells.map(([window, attempts, reached]) => ({ dayType: 'weekday', window, attempts, reached, rightParty: reached }));
  return { cells: list, prior };
}

/** Seeds whose exploration draw does (or does not) fire. */
const seeds = Array.from({ length: 200 }, (_, i) => `case-${i}-a2`);
const EXPLOIT = seeds.find((s) => unitHash(s, 'explore') >= EXPLORATION_RATE)!;
const EXPLORE = seeds.find((s) => unitHash(s, 'explore') < EXPLORATION_RATE)!;

const EVENING_BEST = rates([
  ['morning', 1000, 150],
  ['midday', 1000, 180],
  ['afternoon', 1000, 250],
  ['evening', 1000, 410],
]);

function retry(settings: SchedulingSettings, attempts: string[], recorded: string, reach: ReachContext | null, extra: Partial<CaseSchedulingState> = {}) {
  const state = caseWith({ attemptsMade: attempts.length, attemptTimes: attempts.map((a) => local(a)), ...extra });
  return nextCallableAt(local(recorded), settings, state, { kind: 'retry', recordedAt: local(recorded) }, reach);
}

const learned = settingsWith({ retryStrategy: 'learned' });

describe('expected reach (Beta–Binomial: each window shrunk towards the client’s rate, that towards all clients’)', () => {
  it('is the posterior mean (reached + m·p_c) / (attempts + m), p_c = (client reached + m·p₀) / (client attempts + m), m = 20', () => {
    const r = rates([
      ['evening', 1000, 410],
      ['morning', 1000, 110],
    ]);
    const pc = (520 + 20 * 0.3) / 2020;
    expect(expectedReach(r, 'weekday', 'evening')).toBeCloseTo((410 + 20 * pc) / 1020, 10);
    // No data: the client's own rate, not all clients'.
    expect(expectedReach(r, 'weekend', 'evening')).toBeCloseTo(pc, 10);
    // A client with no attempts at all: all clients' rate.
    expect(expectedReach(rates([]), 'weekday', 'evening')).toBeCloseTo(0.3, 10);
  });

  it('does not send retries to a window the client never called because all clients reach more people than this one', () => {
    // 12 % in every weekday window (5,800 attempts), no weekend attempts, all clients 30 %.
    const r = rates(['morning', 'midday', 'afternoon', 'evening'].map((w): [string, number, number] => [w, 1450, 174]));
    expect(expectedReach(r, 'weekend', 'morning')).toBeLessThan(0.125);
    expect(expectedReach(r, 'weekend', 'morning')).toBeCloseTo(expectedReach(r, 'weekday', 'morning'), 2);
    // Not reached Thursday 15:00 and Friday 10:00: the retries stay on working days, not Saturday.
    for (const [called, recorded] of [['2026-12-03 14:58', '2026-12-03 15:00'], ['2026-12-04 09:58', '2026-12-04 10:00']]) {
      const plan = retry(learned, [called!], recorded!, { rates: r, seed: EXPLOIT });
      expect(plan.at && plan.choice?.dayType, recorded).toBe('weekday');
    }
  });

  it('keeps a window with 2 attempts (both reached) from dominating a well-measured one', () => {
    const r = rates([
      ['midday', 2, 2],
      ['morning', 1000, 150],
      ['afternoon', 1000, 150],
      ['evening', 1000, 410],
    ]);
    expect(expectedReach(r, 'weekday', 'midday')).toBeLessThan(expectedReach(r, 'weekday', 'evening'));
    // Monday 09:00 not reached: midday (2 of 2) is closer, the evening wins all the same.
    const plan = retry(learned, ['2026-11-30 09:00'], '2026-11-30 09:01', { rates: r, seed: EXPLOIT });
    expect({ at: show(plan.at), window: plan.at && plan.window }).toEqual({ at: show(local('2026-11-30 17:00')), window: 'evening' });
  });
});

describe('learned retry strategy', () => {
  it('sends a retry to the window with the highest expected reach, and says why', () => {
    const plan = retry(learned, ['2026-11-30 09:00'], '2026-11-30 09:01', { rates: EVENING_BEST, seed: EXPLOIT });
    if (plan.at === null) throw new Error(plan.explanation);
    expect(show(plan.at)).toBe(show(local('2026-11-30 17:00')));
    expect(plan.reason).toBe('retry_delay');
    expect(plan.choice).toMatchObject({ basis: 'rates', window: 'evening', dayType: 'weekday' });
    const pc = (990 + 20 * 0.3) / 4020;
    expect(plan.choice!.rate).toBeCloseTo((410 + 20 * pc) / 1020, 6);
    expect(plan.choice!.others.map((o) => o.window)).toEqual(['afternoon', 'midday', 'morning']);
  });

  it('a customer reached before in the evening gets the evening, though the client reaches more people in the morning', () => {
    const morningBest = rates([
      ['morning', 1000, 500],
      ['midday', 1000, 200],
      ['afternoon', 1000, 200],
      ['evening', 1000, 150],
    ]);
    // Reached Friday evening (asked for a callback), the callback on Monday morning failed.
    const attempts = ['2026-11-27 18:10', '2026-11-30 09:00'];
    const plan = retry(learned, attempts, '2026-11-30 09:01', { rates: morningBest, seed: EXPLORE }, { reachedTimes: [local('2026-11-27 18:10')] });
    expect({ at: show(plan.at), window: plan.at && plan.window, basis: plan.at && plan.choice?.basis }).toEqual({
      at: show(local('2026-11-30 17:00')),
      window: 'evening',
      basis: 'customer',
    });
    // Without that contact the morning rates win (the next morning: today's morning is spent).
    const without = retry(learned, attempts, '2026-11-30 09:01', { rates: morningBest, seed: EXPLOIT });
    expect(without.at && without.window).toBe('morning');
  });

  it('explores deterministically: the same case and attempt always give the same time, about 10 % explore', () => {
    const once = retry(learned, ['2026-11-30 09:00'], '2026-11-30 09:01', { rates: EVENING_BEST, seed: EXPLORE });
    const again = retry(learned, ['2026-11-30 09:00'], '2026-11-30 09:01', { rates: EVENING_BEST, seed: EXPLORE });
    expect(once).toEqual(again);
    expect(once.at && once.choice?.basis).toBe('exploration');
    const draws = Array.from({ length: 2000 }, (_, i) => unitHash(`case-${i}-a2`, 'explore') < EXPLORATION_RATE);
    const share = draws.filter(Boolean).length / draws.length;
    expect(share).toBeGreaterThan(0.07);
    expect(share).toBeLessThan(0.13);
  });

  it('a window missed before for this customer loses to the next best', () => {
    // One evening miss: 41 % × 0.6 still beats tomorrow's afternoon (25 % × 0.95 for the day's
    // wait); a second miss tips it.
    const one = retry(learned, ['2026-11-30 17:30'], '2026-11-30 17:31', { rates: EVENING_BEST, seed: EXPLOIT });
    expect(one.at && one.window).toBe('evening');
    const two = retry(learned, ['2026-11-27 17:30', '2026-11-30 17:30'], '2026-11-30 17:31', { rates: EVENING_BEST, seed: EXPLOIT }, { attemptsMade: 2 });
    expect(two.at && two.window).toBe('afternoon');
  });

  it('never goes more than two days beyond the earliest allowed retry', () => {
    // Only the weekend has data saying "Saturday morning is best"; Monday's evening is reachable.
    const saturdayOnly = { ...EVENING_BEST, cells: [{ dayType: 'weekend' as const, window: 'morning', attempts: 5000, reached: 4500, rightParty: 4000 }] };
    const plan = retry(learned, ['2026-11-30 09:00'], '2026-11-30 09:01', { rates: saturdayOnly, seed: EXPLOIT });
    expect(plan.at!.getTime() - local('2026-11-30 11:01').getTime()).toBeLessThanOrEqual(2 * 86_400_000);
    expect(plan.at && plan.choice?.dayType).toBe('weekday');
  });
});

describe('retryStrategy', () => {
  const many = rates([['evening', AUTO_LEARNED_MIN_ATTEMPTS, 100]]);
  const few = rates([['evening', AUTO_LEARNED_MIN_ATTEMPTS - 1, 100]]);

  it(`auto: rotation below ${AUTO_LEARNED_MIN_ATTEMPTS} attempts of the client, learned from then on`, () => {
    const auto = settingsWith();
    expect(auto.retryStrategy).toBe('auto');
    const before = retry(auto, ['2026-11-30 09:00'], '2026-11-30 09:01', { rates: few, seed: EXPLOIT });
    expect(before.at && { window: before.window, choice: before.choice }).toEqual({ window: 'midday', choice: undefined }); // rotation: next other window
    const after = retry(auto, ['2026-11-30 09:00'], '2026-11-30 09:01', { rates: many, seed: EXPLOIT });
    expect(after.at && after.choice?.window).toBe('evening');
  });

  it('rotation ignores the rates; learned without loaded rates rotates', () => {
    const rotation = retry(settingsWith({ retryStrategy: 'rotation' }), ['2026-11-30 09:00'], '2026-11-30 09:01', { rates: many, seed: EXPLOIT });
    expect(rotation.at && [rotation.window, rotation.choice]).toEqual(['midday', undefined]);
    const unloaded = retry(learned, ['2026-11-30 09:00'], '2026-11-30 09:01', null);
    expect(unloaded.at && [unloaded.window, unloaded.choice]).toEqual(['midday', undefined]);
  });
});

describe('a learned retry keeps its window', () => {
  it('its slot ends with the chosen window', () => {
    const morningBest = rates([
      ['morning', 1000, 500],
      ['evening', 1000, 150],
    ]);
    const plan = retry(learned, ['2026-11-30 14:00'], '2026-11-30 14:01', { rates: morningBest, seed: EXPLOIT });
    expect({ at: show(plan.at), end: plan.at && show(plan.windowEnd) }).toEqual({ at: show(local('2026-12-01 08:00')), end: show(local('2026-12-01 12:00')) });
  });

  it('a job whose window passed before an agent took it goes to the next occurrence, within two days', () => {
    const resume = (now: string, window: string) => nextCallableAt(local(now), learned, caseWith({ attemptsMade: 1, attemptTimes: [local('2026-11-30 09:00')] }), { kind: 'first', window });
    const evening = resume('2026-12-01 08:00', 'evening');
    expect({ at: show(evening.at), end: evening.at && show(evening.windowEnd), window: evening.at && evening.window, reason: evening.reason }).toEqual({
      at: show(local('2026-12-01 17:00')),
      end: show(local('2026-12-01 20:00')),
      window: 'evening',
      reason: 'retry_delay',
    });
    // Friday 20:30: no evening on Saturday (09–14), Monday's evening is more than two days after Saturday 09:00.
    const weekend = resume('2026-12-04 20:30', 'evening');
    expect({ at: show(weekend.at), window: weekend.at && weekend.window }).toEqual({ at: show(local('2026-12-05 09:00')), window: 'morning' });
  });
});

describe('what the reach rates count', () => {
  it('leaves out a retry outcome with its own delay („Besetzt“): somebody was there', () => {
    const outcomes = [
      { code: 'paid', label: 'bezahlt', effect: 'close' as const },
      { code: 'not_reached', label: 'nicht erreicht', effect: 'retry' as const },
      { code: 'busy', label: 'Besetzt', effect: 'retry' as const, retryDelaySeconds: 900 },
    ];
    const cells = foldAttempts(
      [
        { dayType: 'weekday', window: 'evening', outcome: 'paid', rightParty: true, count: 2 },
        { dayType: 'weekday', window: 'evening', outcome: 'not_reached', rightParty: null, count: 3 },
        { dayType: 'weekday', window: 'evening', outcome: 'busy', rightParty: null, count: 40 },
      ],
      outcomes,
    );
    expect(cells).toEqual([expect.objectContaining({ dayType: 'weekday', window: 'evening', attempts: 5, reached: 2, rightParty: 2 })]);
  });
});
