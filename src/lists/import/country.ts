import { isSupportedCountry } from 'libphonenumber-js/max';

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

/** Postal code written with the old country prefix: `D-76133`, `A-1010`, `CH-8001`, `FL-9490`. */
const POSTAL_PREFIX = /^(D|A|CH|FL|L|B|F|I|NL)\s*-\s*(\d{4,5})$/i;
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
  const named = COUNTRY_NAMES[key];
  if (named) return named;
  const upper = key.toUpperCase();
  return upper.length === 2 && isSupportedCountry(upper) ? upper : null;
}

export interface AddressCountry {
  /** ISO-2 country of the customer. */
  country: string;
  /** How it was found; `default` means nothing in the row said so. */
  source: 'column' | 'postalPrefix' | 'address' | 'default';
  /** The postal code without a country prefix, or null. */
  postalCode: string | null;
}

/**
 * The customer's country, in this order: the country column; a prefixed postal code
 * (`CH-8001`); the last part of a one-column address (`…, 8001 Zürich, Schweiz`); else
 * `fallback` (the client's default country). Deliberately no guessing from a bare 4-digit
 * postal code: Austria and Switzerland both use them. parse-list additionally takes the
 * country of an internationally written phone number when nothing else said so and the
 * postal code has that country's shape.
 */
export function countryFromAddress(
  input: { country?: string | null; postalCode?: string | null; address?: string | null },
  fallback: string,
): AddressCountry {
  const postal = input.postalCode?.trim() ?? '';
  const prefixed = POSTAL_PREFIX.exec(postal);
  const postalCode = prefixed ? (prefixed[2] ?? null) : postal || null;
  const fromColumn = input.country ? countryCode(input.country) : null;
  if (fromColumn) return { country: fromColumn, source: 'column', postalCode };
  if (prefixed?.[1]) return { country: PREFIX_COUNTRY[prefixed[1].toUpperCase()] ?? fallback, source: 'postalPrefix', postalCode };
  const address = input.address?.trim() ?? '';
  if (address) {
    const inline = /\b(D|A|CH|FL)-(\d{4,5})\b/.exec(address);
    if (inline?.[1]) return { country: PREFIX_COUNTRY[inline[1]] ?? fallback, source: 'postalPrefix', postalCode: postalCode ?? inline[2] ?? null };
    const last = address.split(/[,\n]/).pop() ?? '';
    const named = last.trim().length > 2 ? countryCode(last) : null;
    if (named) return { country: named, source: 'address', postalCode };
  }
  return { country: fallback.toUpperCase(), source: 'default', postalCode };
}

/** Whether a postal code has the shape used in `country` (DE five digits; AT, CH, LI four). */
export function postalCodeFits(country: string, postalCode: string | null): boolean {
  if (!postalCode) return false;
  if (country === 'DE') return /^\d{5}$/.test(postalCode);
  if (country === 'AT' || country === 'CH' || country === 'LI') return /^\d{4}$/.test(postalCode);
  return false;
}
