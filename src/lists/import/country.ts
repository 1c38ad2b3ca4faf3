import { isSupportedCountry } from 'libphonenumber-js/max';
import { swissCountryOf } from './swiss-towns.js';

/** Country names and codes as they appear in German-speaking client lists → ISO-2. */
const COUNTRY_NAMES: Record<string, string> = Object.fromEntries(
  (
    [
      ['DE', 'deutschland germany allemagne germania brd bundesrepublikdeutschland d deu ger'],
      ['AT', 'oesterreich osterreich austria autriche a aut'],
      ['CH', 'schweiz suisse svizzera svizra switzerland swiss che confoederatiohelvetica'],
      ['LI', 'liechtenstein fl lie'],
      ['LU', 'luxemburg luxembourg l lux'],
      ['NL', 'niederlande netherlands holland nederland nld'],
      ['BE', 'belgien belgium belgique belgie b bel'],
      ['FR', 'frankreich france f fra'],
      ['IT', 'italien italy italia i ita'],
      ['PL', 'polen poland polska pol'],
      ['CZ', 'tschechien czechia tschechischerepublik czechrepublic cze'],
      ['DK', 'daenemark danmark denmark dnk'],
    ] as const
  ).flatMap(([iso, names]) => names.split(' ').map((n) => [n, iso])),
);

/** Postal code written with the old country prefix: `D-76133`, `A-1010`, `CH-8001`, `FL-9490` (also `CH 8001`). */
const POSTAL_PREFIX = /^(D|A|CH|FL|L|B|F|I|NL)\s*-?\s*(\d{4,5})$/i;
const PREFIX_COUNTRY: Record<string, string> = { D: 'DE', A: 'AT', CH: 'CH', FL: 'LI', L: 'LU', B: 'BE', F: 'FR', I: 'IT', NL: 'NL' };

/** A country cell (`Deutschland`, `DE`, `Österreich`, `Suisse`, `Svizzera`) → ISO-2, or null if unknown. */
export function countryCode(value: string): string | null {
  const key = value
    .normalize('NFC')
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .normalize('NFD')
    .replace(/[^a-z]/g, '');
  if (key === '') return null;
  // Own keys only: a cell "Constructor" must not find Object's.
  if (Object.hasOwn(COUNTRY_NAMES, key)) return COUNTRY_NAMES[key]!;
  const upper = key.toUpperCase();
  return upper.length === 2 && isSupportedCountry(upper) ? upper : null;
}

/**
 * How a customer's country was found: a country column; a prefixed postcode (`CH-8001`); a
 * country named at the end of a one-column address; a 5-digit postcode (Germany); a 4-digit
 * postcode with its town in the Swiss directory (Switzerland or Liechtenstein); a phone number
 * (set by the row parser); a German client's 4-digit postcode read as German without its
 * leading 0 (set by the row parser: Austria would be as likely, nothing in the row said); or
 * nothing, the client's default.
 */
export type CountrySource = 'column' | 'postalPrefix' | 'address' | 'postcode' | 'postcodeTown' | 'phone' | 'postcodeWithoutZero' | 'default';

export interface AddressCountry {
  /** ISO-2 country of the customer. */
  country: string;
  source: CountrySource;
  /** The postal code without a country prefix (from the address when there is no postcode column), or null. */
  postalCode: string | null;
  /** The town as written, or null. */
  town: string | null;
  /**
   * A Swiss or Liechtenstein client's customer at a 4-digit postcode the Swiss directory has for
   * other towns (`8010 Graz`: 8010 is Zürich's): maybe Austrian, maybe Swiss with a town written
   * beyond the directory's matching. The phone decides (`swissOrAustrian`); `country` is the default.
   */
  townNotSwiss?: true;
}

/** Countries whose postcodes have five digits like Germany's: for their clients a 5-digit postcode proves nothing. */
const FIVE_DIGIT_COUNTRIES = new Set(['FR', 'IT', 'ES', 'FI', 'EE', 'HR', 'MC', 'SM', 'VA', 'MX', 'US']);

/** `…, 8001 Zürich` or `76133 Karlsruhe, Deutschland` inside a one-column address. */
const ADDRESS_PLACE = /(?:^|[,\n]\s*|\s)(\d{4,5})\s+([^,\n\d][^,\n]*)/g;

/**
 * The customer's country, in this order: the country column; a prefixed postal code
 * (`CH-8001`); a country named at the end of a one-column address (`…, Schweiz`); a 5-digit
 * postcode → Germany (unless the client's own country has 5-digit postcodes too); a 4-digit
 * postcode whose town the Swiss directory has for it → Switzerland or Liechtenstein; else
 * `fallback` (the client's default country) — for a Swiss or Liechtenstein client's 4-digit
 * postcode with a town the directory does not have for it, marked `townNotSwiss`. Any other 4-digit postcode
 * stays undecided: it may be Austrian, or German without its 0 (01067 Dresden → 1067: Excel
 * drops it in a number cell, and in the CSV it writes from one).
 * The row parser may still decide by a phone number.
 */
export function countryFromAddress(
  input: { country?: string | null; postalCode?: string | null; town?: string | null; address?: string | null },
  fallback: string,
): AddressCountry {
  const postal = input.postalCode?.trim() ?? '';
  const prefixed = POSTAL_PREFIX.exec(postal);
  const address = input.address?.trim() ?? '';
  const inAddress = postal ? null : placeInAddress(address);
  const postalCode = prefixed ? (prefixed[2] ?? null) : postal || inAddress?.postalCode || null;
  const town = input.town?.trim() || inAddress?.town || null;
  const found = (country: string, source: CountrySource): AddressCountry => ({ country, source, postalCode, town });

  const fromColumn = input.country ? countryCode(input.country) : null;
  if (fromColumn) return found(fromColumn, 'column');
  if (prefixed?.[1]) return found(PREFIX_COUNTRY[prefixed[1].toUpperCase()] ?? fallback, 'postalPrefix');
  if (address) {
    const inline = /\b(D|A|CH|FL)-(\d{4,5})\b/.exec(address);
    if (inline?.[1]) return { country: PREFIX_COUNTRY[inline[1]] ?? fallback, source: 'postalPrefix', postalCode: postalCode ?? inline[2] ?? null, town };
    const last = address.split(/[,\n]/).pop() ?? '';
    const named = last.trim().length > 2 ? countryCode(last) : null;
    if (named) return found(named, 'address');
  }
  const home = fallback.toUpperCase();
  if (postalCode && /^\d{5}$/.test(postalCode) && (home === 'DE' || !FIVE_DIGIT_COUNTRIES.has(home))) return found('DE', 'postcode');
  const swiss = swissCountryOf(postalCode, town);
  if (swiss) return found(swiss, 'postcodeTown');
  // No German postcode starts with 05 (the region does not exist): four digits from 5000 up
  // cannot be a German one without its 0. (Austria's start 1–9; the rest stay undecided.)
  if (home === 'DE' && postalCode && /^5\d{3}$/.test(postalCode)) return found('AT', 'postcode');
  if (notSwissTown(home, postalCode, town)) return { ...found(home, 'default'), townNotSwiss: true };
  return found(home, 'default');
}

/**
 * A Swiss (or Liechtenstein) client's customer at four digits and a town the Swiss directory does
 * not have for them (`8010 Graz`, `7000 Eisenstadt`: 7000 is Chur): perhaps Austrian. Not
 * decided by the address: taken as Swiss, `0316 123456` rang Bern; taken as Austrian, a Swiss
 * customer written `3000 Bärn` or `8000 ZH` had `031 …` rung in Austria (031, 026, 052, …
 * are valid there too). The phone decides (`swissOrAustrian`).
 */
function notSwissTown(home: string, postalCode: string | null, town: string | null): boolean {
  return (home === 'CH' || home === 'LI') && !!postalCode && /^[1-9]\d{3}$/.test(postalCode) && !!town && /\p{L}/u.test(town);
}

/** The last `PLZ Ort` in a one-column address. */
function placeInAddress(address: string): { postalCode: string; town: string } | null {
  let last: RegExpExecArray | null = null;
  for (const m of address.matchAll(ADDRESS_PLACE)) last = m;
  return last ? { postalCode: last[1]!, town: last[2]!.trim() } : null;
}

/** Whether a postal code has the shape used in `country` (DE five digits; AT, CH, LI four). */
export function postalCodeFits(country: string, postalCode: string | null): boolean {
  if (!postalCode) return false;
  if (country === 'DE') return /^\d{5}$/.test(postalCode);
  if (country === 'AT' || country === 'CH' || country === 'LI') return /^\d{4}$/.test(postalCode);
  return false;
}
