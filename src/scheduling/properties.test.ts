import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { CaseSchedulingState } from './calendar.js';
import { isCallableNow, nextCallableAt } from './next-callable.js';
import { LEARNED_MAX_EXTRA_MS } from './learned-retry.js';
import { DAY_TYPES, type ReachCell, type ReachContext, type ReachRates } from './reach-rates.js';
import type { ScheduleRequest } from './result.js';
import { ROTATION_MAX_EXTRA_MS } from './retry.js';
import { schedulingSettingsSchema, type PreferredWindow, type SchedulingSettings } from './settings.js';
import { germanStatesForPostcode } from './german-postcodes.js';
import { swissCantonForPostcode } from './swiss-postcodes.js';
import { seeded } from './test-helpers.js';

/*
 * Property tests: thousands of seeded random settings, cases, requests and `now`s (biased to
 * DST switch weeks), each result checked against an oracle written independently of the code
 * under test (luxon wall clock + date-holidays directly).
 */

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const ZONES = ['Europe/Berlin', 'Europe/Berlin', 'Europe/Zurich', 'Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC', 'America/St_Johns', 'Pacific/Chatham'];
const HOLIDAYS = [null, { country: 'DE' }, { country: 'DE', state: 'BY' }, { country: 'DE', state: 'NW' }, { country: 'CH', state: 'ZH' }, { country: 'AT' }, { country: 'US' }];
const POSTCODES = ['8001', '3011', '2800', '1201', '6900', '3000', '0000', null, '80331', '50667', '01067', '21039', '89081'];

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const toMin = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));

/** Random loaded rates for the client's windows (some cells empty, some tiny, some large). */
function randomRates(rand: () => number, windows: string[]): ReachRates {
  const cells: ReachCell[] = [];
  for (const window of windows) {
    for (const dayType of DAY_TYPES) {
      if (rand() < 0.2) continue;
      const attempts = Math.floor(rand() * (rand() < 0.3 ? 3 : 2000));
      const reached = Math.floor(rand() * (attempts + 1));
      cells.push({ dayType, window, attempts, reached, rightParty: Math.floor(rand() * (reached + 1)) });
    }
  }
  const attempts = 1000 + Math.floor(rand() * 100_000);
  return { cells, prior: { attempts, reached: Math.floor(attempts * rand()), rightParty: 0 } };
}

function generate(rand: () => number, strategy: 'rotation' | 'learned') {
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const quarter = () => int(0, 96) * 15;
  const cuts = (n: number) => [...new Set(Array.from({ length: n }, quarter))].sort((a, b) => a - b);

  const callingHours = Object.fromEntries(
    WEEKDAYS.map((d) => {
      const r = rand();
      if (r < 0.15) return [d, []];
      if (r < 0.25) return [d, [['00:00', '24:00']]];
      const c = cuts(r < 0.6 ? 2 : 4);
      const pairs: [string, string][] = [];
      for (let i = 0; i + 1 < c.length; i += 2) pairs.push([hhmm(c[i]!), hhmm(c[i + 1]!)]);
      return [d, pairs];
    }),
  ) as Record<(typeof WEEKDAYS)[number], [string, string][]>;
  const open = WEEKDAYS.flatMap((d) => callingHours[d]);
  if (open.length === 0) {
    callingHours.mon = [['08:00', '20:00']];
    open.push(['08:00', '20:00']);
  }

  const windows: Record<string, [string, string]> = {};
  for (let i = 0, n = int(1, 4); i < n; i++) {
    const [from, to] = pick(open);
    const c = [toMin(from), toMin(to), ...Array.from({ length: 2 }, () => int(toMin(from) / 15, toMin(to) / 15) * 15)].sort((a, b) => a - b);
    const s = rand() < 0.5 ? c[0]! : c[1]!;
    const e = rand() < 0.5 ? c[3]! : c[2]!;
    if (s < e) windows[`w${i}`] = [hhmm(s), hhmm(e)];
  }
  if (Object.keys(windows).length === 0) windows['all'] = open[0]!;

  const settings = schedulingSettingsSchema.parse({
    timezone: pick(ZONES),
    holidays: pick(HOLIDAYS),
    callingHours,
    windows,
    maxAttempts: int(1, 6),
    maxAttemptsPerDay: int(1, 3),
    retryDelaySeconds: pick([1, 5, 60, 900, 3600, 7200, 86_400]),
    retryStrategy: strategy,
  });

  const year = int(2024, 2028);
  const base =
    rand() < 0.4
      ? DateTime.fromObject({ year, month: pick([3, 4, 10, 11]), day: int(1, 30) }, { zone: settings.timezone })
      : DateTime.fromObject({ year, month: int(1, 12), day: int(1, 28) }, { zone: settings.timezone });
  const now = base.plus({ minutes: int(0, 1439), seconds: rand() < 0.2 ? int(0, 59) : 0 }).toJSDate();

  const attemptTimes = Array.from({ length: int(0, 3) }, () => new Date(now.getTime() - int(0, 3 * 86_400) * 1000));
  const preferredWindows: PreferredWindow[] | null =
    rand() < 0.3
      ? Array.from({ length: int(1, 2) }, () => {
          const c = cuts(2);
          const [s, e] = c.length === 2 ? c : [0, 1440];
          return { days: WEEKDAYS.filter(() => rand() < 0.5), from: hhmm(s!), to: hhmm(e!) };
        }).filter((w) => w.days.length > 0 && w.from < w.to)
      : null;
  const state: CaseSchedulingState = {
    country: pick([null, 'DE', 'CH', 'CH', 'AT']),
    postalCode: pick(POSTCODES),
    preferredWindows,
    attemptsMade: attemptTimes.length,
    attemptTimes,
    lastWindow: rand() < 0.2 ? pick([...Object.keys(windows), null]) : undefined,
    reachedTimes: attemptTimes.filter(() => rand() < 0.2),
  };
  const reach: ReachContext | null = strategy === 'learned' ? { rates: randomRates(rand, Object.keys(windows)), seed: `case-${int(0, 1e6)}-a${attemptTimes.length + 1}` } : null;

  const names = Object.keys(settings.windows);
  const r = rand();
  const request: ScheduleRequest =
    r < 0.3
      ? { kind: 'first', ...(strategy === 'learned' && rand() < 0.5 ? { window: pick(names) } : {}) }
      : r < 0.6
        ? { kind: 'retry', recordedAt: new Date(now.getTime() - int(0, 4 * 3600) * 1000) }
        : r < 0.85
          ? { kind: 'callback', window: pick(names), date: rand() < 0.4 ? DateTime.fromJSDate(now, { zone: settings.timezone }).plus({ days: int(-1, 10) }).toISODate()! : null }
          : { kind: 'callback', at: new Date(Math.round((now.getTime() + int(-2 * 60, 3 * 1440) * 60_000) / 60_000) * 60_000) };
  return { settings, now, state, request, reach };
}

/** The oracle, written against luxon and date-holidays directly. */
const holidayCache = new Map<string, Set<string>>();
function oracleHoliday(settings: SchedulingSettings, state: CaseSchedulingState, isoDate: string): boolean {
  if (settings.holidays === null) return false;
  let regions: Array<{ country: string; state?: string | undefined }> = [settings.holidays];
  const country = state.country ?? settings.defaultCountry;
  const lands = country === 'DE' ? germanStatesForPostcode(state.postalCode) : null;
  if (country === 'CH') {
    const canton = swissCantonForPostcode(state.postalCode);
    regions = [canton ? { country: 'CH', state: canton } : settings.holidays.country === 'CH' ? settings.holidays : { country: 'CH' }];
  } else if (lands) {
    regions = lands.map((land) => ({ country: 'DE', state: land })); // a border postcode: both Länder
  } else if (country !== settings.holidays.country && new Holidays().getCountries()[country]) {
    regions = [{ country }]; // a customer abroad: that country's nationwide holidays
  }
  return regions.some((region) => {
    const key = `${region.country}-${region.state ?? ''}-${isoDate.slice(0, 4)}`;
    let set = holidayCache.get(key);
    if (!set) {
      const hd = region.state ? new Holidays(region.country, region.state) : new Holidays(region.country);
      set = new Set(hd.getHolidays(Number(isoDate.slice(0, 4))).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
      holidayCache.set(key, set);
    }
    return set.has(isoDate);
  });
}

const inside = (pairs: readonly (readonly [string, string])[], minute: number) => pairs.some(([f, t]) => toMin(f) <= minute && minute < toMin(t));

function oracleParts(t: Date, settings: SchedulingSettings) {
  const dt = DateTime.fromJSDate(t, { zone: settings.timezone });
  return { day: WEEKDAYS[dt.weekday - 1]!, minute: dt.hour * 60 + dt.minute, iso: dt.toISODate()! };
}

/** Callable at `t` under calling hours, holidays and stated windows (no caps, no request). */
function oracleCallable(t: Date, settings: SchedulingSettings, state: CaseSchedulingState): boolean {
  const { day, minute, iso } = oracleParts(t, settings);
  if (!inside(settings.callingHours[day], minute) || oracleHoliday(settings, state, iso)) return false;
  const pw = state.preferredWindows;
  return !pw || pw.length === 0 || pw.some((w) => w.days.includes(day) && inside([[w.from, w.to]], minute));
}

const attemptsOnDay = (settings: SchedulingSettings, state: CaseSchedulingState, iso: string) =>
  state.attemptTimes.filter((a) => oracleParts(a, settings).iso === iso).length;

describe.each(['rotation', 'learned'] as const)('properties of nextCallableAt over seeded random inputs, retries %s', (strategy) => {
  // Four seeds of 1,000 cases each, so each test stays far below the test timeout.
  const RUNS = 1000;
  it.each([20261127, 1, 4711, 987654321])(`seed %i: ${RUNS} random cases`, (seed) => {
    const rand = seeded(seed);
    const seen = { scheduled: 0, never: 0, immediate: 0, dstWeek: 0, learnedMoves: 0 };
    for (let run = 0; run < RUNS; run++) {
      const { settings, now, state, request, reach } = generate(rand, strategy);
      const ctx = JSON.stringify({ run, now: now.toISOString(), request, state, reach, settings: { ...settings, outcomes: undefined } });
      const context = () => ctx;
      const r = nextCallableAt(now, settings, state, request, reach);
      if (r.at === null) {
        seen.never++;
        expect(r.explanation, context()).toMatch(/\w/);
        if (state.attemptsMade >= settings.maxAttempts) expect(r.cause, context()).toBe('cap_reached');
        if (request.kind === 'callback' && 'at' in request && r.cause !== 'cap_reached' && r.cause !== 'no_callable_time') {
          const winCheck = !oracleCallable(request.at, settings, state);
          expect(winCheck, context()).toBe(true);
        }
        if (r.cause === 'outside_preferred_windows' && !(request.kind === 'callback' && 'at' in request) && !(request.kind === 'callback' && 'window' in request)) {
          // No minute of a whole week is callable (times are quarter hours, so a 15-min scan is exact).
          for (let m = 0; m < 8 * 96; m++) {
            const t = new Date(now.getTime() + m * 15 * 60_000);
            const { day, minute } = oracleParts(t, settings);
            const pw = state.preferredWindows ?? [];
            const ok = inside(settings.callingHours[day], minute) && pw.some((w) => w.days.includes(day) && inside([[w.from, w.to]], minute));
            expect(ok, context()).toBe(false);
          }
        }
        continue;
      }
      seen.scheduled++;
      if (r.reason === 'immediate') seen.immediate++;
      const at = r.at;
      const { minute, iso } = oracleParts(at, settings);
      if (DateTime.fromJSDate(at, { zone: settings.timezone }).isInDST !== DateTime.fromJSDate(now, { zone: settings.timezone }).isInDST) seen.dstWeek++;

      expect(at.getTime(), `never before now ${context()}`).toBeGreaterThanOrEqual(now.getTime());
      expect(oracleCallable(at, settings, state), `callable (hours, holiday, stated windows) ${context()}`).toBe(true);
      expect(state.attemptsMade, context()).toBeLessThan(settings.maxAttempts);
      if (r.windowEnd) expect(r.windowEnd.getTime(), context()).toBeGreaterThan(at.getTime());
      expect(r.reason === 'immediate', context()).toBe(at.getTime() === now.getTime());

      const isCallback = request.kind === 'callback';
      if (!isCallback) expect(attemptsOnDay(settings, state, iso), `per-day cap ${context()}`).toBeLessThan(settings.maxAttemptsPerDay);
      if (request.kind === 'retry') {
        const due = request.recordedAt.getTime() + settings.retryDelaySeconds * 1000;
        expect(at.getTime(), context()).toBeGreaterThanOrEqual(due);
        // The earliest allowed retry, found as a first attempt from the end of the delay.
        const earliest = nextCallableAt(new Date(Math.max(due, now.getTime())), settings, state, { kind: 'first' });
        expect(earliest.at, context()).not.toBeNull();
        const extra = strategy === 'learned' ? LEARNED_MAX_EXTRA_MS : ROTATION_MAX_EXTRA_MS;
        expect(at.getTime() - earliest.at!.getTime(), `at most ${extra} ms after the earliest retry ${context()}`).toBeLessThanOrEqual(extra);
        if (r.choice) {
          expect(strategy, context()).toBe('learned');
          expect(r.window, `inside the chosen window ${context()}`).toBe(r.choice.window);
          if (at.getTime() !== earliest.at!.getTime()) seen.learnedMoves++;
        }
      }
      if (isCallback && 'window' in request) {
        expect(inside([settings.windows[request.window]!], minute), `inside the requested window ${context()}`).toBe(true);
        expect(r.window, context()).toBe(request.window);
        const today = oracleParts(now, settings).iso;
        if (request.date && request.date > today) expect(iso, context()).toBe(request.date);
      }
      if (isCallback && 'at' in request && request.at.getTime() >= now.getTime()) expect(at.getTime(), context()).toBe(request.at.getTime());

      // Minimal: the instant before `at` was not callable (first attempts and window callbacks).
      if (request.kind === 'first' && request.window) {
        // A learned retry resumed in its window: there, or the earliest time, within two days of it.
        const earliest = nextCallableAt(now, settings, state, { kind: 'first' });
        expect(at.getTime() - earliest.at!.getTime(), context()).toBeLessThanOrEqual(LEARNED_MAX_EXTRA_MS);
        if (at.getTime() !== earliest.at!.getTime()) expect(r.window, context()).toBe(request.window);
      }
      if (((request.kind === 'first' && !request.window) || (isCallback && 'window' in request && !request.date)) && at.getTime() > now.getTime()) {
        const before = new Date(at.getTime() - 1);
        const { day: bDay, minute: bMinute, iso: bIso } = oracleParts(before, settings);
        const blocked =
          !oracleCallable(before, settings, state) ||
          (request.kind === 'first' && attemptsOnDay(settings, state, bIso) >= settings.maxAttemptsPerDay) ||
          (isCallback && 'window' in request && !inside([settings.windows[request.window]!], bMinute));
        expect(blocked, `minimal ${context()} ${bDay}`).toBe(true);
      }

      // The pull-time check agrees: callable at `at` within its slot.
      const slot = { start: at, end: r.windowEnd, window: r.window, kind: request.kind };
      expect(isCallableNow(at, settings, state, slot), context()).toEqual({ callable: true });
    }
    // The generator must actually exercise both outcomes and DST switches.
    expect(seen.scheduled).toBeGreaterThan(RUNS / 2);
    expect(seen.never).toBeGreaterThan(10);
    expect(seen.immediate).toBeGreaterThan(25);
    expect(seen.dstWeek).toBeGreaterThan(2);
    if (strategy === 'learned') expect(seen.learnedMoves).toBeGreaterThan(10);
  });
});
