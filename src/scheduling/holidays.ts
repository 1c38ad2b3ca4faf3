import Holidays from 'date-holidays';
import { isoDate, yearOf, type LocalDay } from './zoned.js';

/**
 * Public holidays per region, from `date-holidays`. Only holidays of type `public` count
 * (not `bank` like Heiligabend afternoon, nor `optional` like Berchtoldstag in Zürich), and a
 * public holiday blocks the whole local day even where the library gives it a start time.
 */

/**
 * A holiday region: ISO country plus optional state/canton code as `date-holidays` names it.
 * `alsoState`: a second state whose holidays count too — a German postcode that spans two
 * Länder, where the customer may live in either.
 */
export interface HolidayRegion {
  country: string;
  state?: string | undefined;
  alsoState?: string | undefined;
}

const catalogue = new Holidays();
let countries: Set<string> | null = null;
const statesByCountry = new Map<string, string[]>();

/** Known country codes of `date-holidays` (ISO 3166-1 alpha-2). */
export function isKnownHolidayCountry(country: string): boolean {
  countries ??= new Set(Object.keys(catalogue.getCountries() ?? {}));
  return countries.has(country);
}

/** The state codes `date-holidays` knows for a country (empty when it has none). */
export function holidayStatesOf(country: string): string[] {
  let states = statesByCountry.get(country);
  if (!states) {
    states = Object.keys(catalogue.getStates(country) ?? {});
    statesByCountry.set(country, states);
  }
  return states;
}

export const regionKey = (region: HolidayRegion) =>
  region.state ? `${region.country}-${region.state}${region.alsoState ? `/${region.alsoState}` : ''}` : region.country;

/** The single-state regions whose holidays a region observes (two for a border postcode). */
const partsOf = (region: HolidayRegion): HolidayRegion[] =>
  region.alsoState ? [{ country: region.country, state: region.state }, { country: region.country, state: region.alsoState }] : [region];

/** Per region and year the set of `YYYY-MM-DD` public holidays; built once, then reused. */
const cache = new Map<string, Set<string>>();
const instances = new Map<string, Holidays>();

function holidaysOf(region: HolidayRegion): Holidays {
  // One state only: `partsOf` splits a two-state region before it gets here.
  const key = regionKey(region);
  let hd = instances.get(key);
  if (!hd) {
    hd = region.state ? new Holidays(region.country, region.state) : new Holidays(region.country);
    instances.set(key, hd);
  }
  return hd;
}

function publicHolidayDates(region: HolidayRegion, year: number): Set<string> {
  const key = `${regionKey(region)}/${year}`;
  let dates = cache.get(key);
  if (!dates) {
    // `date` is the local calendar date of the region ("2026-01-02 00:00:00"), independent of
    // the machine's time zone, which is what we compare local days with.
    dates = new Set(
      partsOf(region).flatMap((part) =>
        holidaysOf(part)
          .getHolidays(year)
          .filter((h) => h.type === 'public')
          .map((h) => h.date.slice(0, 10)),
      ),
    );
    cache.set(key, dates);
  }
  return dates;
}

/** True when the local day is a public holiday in the region. */
export function isPublicHoliday(day: LocalDay, region: HolidayRegion | null): boolean {
  return region !== null && publicHolidayDates(region, yearOf(day)).has(isoDate(day));
}

/** The name of the public holiday on that local day, for explanations; null if none. */
export function publicHolidayName(day: LocalDay, region: HolidayRegion | null): string | null {
  if (!isPublicHoliday(day, region) || region === null) return null;
  const date = isoDate(day);
  const found = partsOf(region)
    .flatMap((part) => holidaysOf(part).getHolidays(yearOf(day)))
    .find((h) => h.type === 'public' && h.date.startsWith(date));
  return found?.name ?? null;
}
