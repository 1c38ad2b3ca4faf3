import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { cellText, cellValue, isFormulaWithoutResult } from './cell-text.js';
import { postalCodeFits, type CountrySource } from './country.js';
import { numbersIn, phoneE164Of } from './phone.js';

/** One of a case's phone numbers: E.164, as delivered (for the agent), and its column (its kind). */
export interface CasePhone {
  e164: string;
  raw: string;
  /** The file's header of its column: `Telefon`, `Mobil`, `Telefon geschäftlich`. */
  kind: string;
}

export interface PhoneColumn {
  index: number;
  header: string;
}

/** Every number written in a row's phone cells, column by column (a cell may hold several). */
export function phoneTexts(cells: unknown[], columns: PhoneColumn[]): PhoneText[] {
  const out: PhoneText[] = [];
  for (const column of columns) {
    const cell = cells[column.index];
    const value = cellValue(cell);
    if (value === null) continue;
    if (typeof value === 'number') {
      out.push({ column, input: value, text: cellText(cell), raw: cellText(cell) });
      continue;
    }
    // A cell of text without digits ("keine") is kept whole, so its reason says what is wrong.
    const found = numbersIn(value);
    const parts = found.length || value.trim() === '' ? found : [value.trim()];
    // One number: the cell as delivered is what the agent sees; several: each its own part.
    for (const part of parts) out.push({ column, input: part, text: part, raw: parts.length === 1 ? cellText(cell) : part });
  }
  return out;
}

interface PhoneText {
  column: PhoneColumn;
  /** What is parsed: the number as Excel stored it, or one number of a text cell. */
  input: string | number;
  text: string;
  raw: string;
}

/**
 * For a customer marked `townNotSwiss` (a Swiss postcode, a town not in the directory for it):
 * the country of the first number that reads as a Swiss or an Austrian one, with the text that
 * decided; `unclear` when it reads as both, two different numbers (`0316 123456`: Graz, or
 * Bern), so the row is refused rather than dialled in the wrong country; null when none does.
 * Read as every number is (`phoneE164Of`), so one Excel stored as a number (`316123456`,
 * `43316123456`) counts as its text would.
 */
export function swissOrAustrian(texts: PhoneText[]): { country: 'CH' | 'AT' | 'unclear'; from: PhoneText } | null {
  for (const from of texts) {
    const numbers = new Map<string, string | null>();
    for (const region of ['CH', 'AT']) {
      const read = phoneE164Of(from.input, region);
      if (read.ok) numbers.set(read.e164, read.country);
    }
    if (numbers.size > 1) return { country: 'unclear', from };
    const [country] = numbers.values();
    if (country === 'CH' || country === 'AT') return { country, from };
  }
  return null;
}

/** The country of the first number written internationally (`+41 …`, `0043 …`), or null. */
export function internationalCountry(texts: Array<{ text: string }>): string | null {
  for (const { text } of texts) {
    if (!/^(\+|00[1-9])/.test(text)) continue;
    const n = parsePhoneNumberFromString(text.replace(/^00/, '+'));
    if (n?.isValid() && n.country) return n.country;
  }
  return null;
}

/**
 * For a customer whose country nothing in the row says: Austria or Germany (whichever is not
 * home, if its postcodes look like `postalCode`) when a nationally written number is valid
 * there but not at home, e.g. `0316 123456` with `8010 Graz` for a German client. Switzerland
 * and Liechtenstein are decided by the postcode directory alone (their area codes overlap with
 * both). Null when no number decides.
 */
export function countryByNationalNumber(texts: Array<{ text: string }>, home: string, postalCode: string | null): string | null {
  const neighbours = (['AT', 'DE'] as const).filter((c) => c !== home && (!postalCode || postalCodeFits(c, postalCode)));
  for (const { text } of texts) {
    if (!text.startsWith('0') || text.startsWith('00')) continue;
    if (validIn(text, home)) return null;
    const fits = neighbours.filter((c) => validIn(text, c));
    if (fits.length === 1) return fits[0]!;
  }
  return null;
}

function validIn(text: string, country: string): boolean {
  return isSupportedCountry(country) && parsePhoneNumberFromString(text, country as CountryCode)?.isValid() === true;
}

export type RowPhones = { ok: true; phones: CasePhone[] } | { ok: false; column: PhoneColumn; value: string; reason: string };

/**
 * The row's numbers in column order, each read in the customer's country (an internationally
 * written one as it says); a Liechtenstein customer's is tried as Swiss next; a national number
 * valid in neither is taken in the client's own country only when it is a mobile there (a German
 * mobile of a Swiss customer). The same number twice counts once. Refused only when no number is
 * valid: the first problem is the reason.
 *
 * `source` says how `country` was found; without it, a country other than `home` counts as found
 * in the row. A country found in the row prefers its own reading of a number Excel stored as a
 * number (`phoneE164Of`'s `countryKnown`).
 */
export function rowPhones(cells: unknown[], columns: PhoneColumn[], country: string, home: string, source?: CountrySource): RowPhones {
  const texts = phoneTexts(cells, columns);
  const phones: CasePhone[] = [];
  let problem: Extract<RowPhones, { ok: false }> | null = null;
  const countryKnown = source ? source !== 'default' && source !== 'postcodeWithoutZero' : country !== home;
  for (const { column, input, text, raw } of texts) {
    const parsed = readNumber(input, country, home, countryKnown);
    if (!parsed.ok) {
      problem ??= { ok: false, column, value: text, reason: parsed.reason };
      continue;
    }
    if (!phones.some((p) => p.e164 === parsed.e164)) phones.push({ e164: parsed.e164, raw, kind: column.header });
  }
  if (phones.length > 0) return { ok: true, phones };
  if (problem) return problem;
  const first = columns[0]!;
  return { ok: false, column: first, value: '', reason: isFormulaWithoutResult(cells[first.index]) ? 'formula without a saved result: open the file in Excel, save it and upload it again' : 'phone number is empty' };
}

/**
 * One number in the customer's country; a Liechtenstein customer's also as Swiss (the two share
 * one phone market). A number valid in neither is not re-read as a landline of the client's own
 * country: for a German customer of an Austrian client, `0151 1234567` (a mobile missing a
 * digit) would ring `+431511234567`, a Vienna landline. Only a mobile of the client's country
 * is taken (a German customer living in Austria keeps the German mobile); anything else keeps
 * the customer's country's refusal, so the client can correct the number.
 */
function readNumber(input: string | number, country: string, home: string, countryKnown: boolean): ReturnType<typeof phoneE164Of> {
  const parsed = phoneE164Of(input, country, countryKnown);
  if (parsed.ok) return parsed;
  const swiss = country === 'LI' ? phoneE164Of(input, 'CH') : parsed;
  if (swiss.ok) return swiss;
  if (home === country) return parsed;
  const there = phoneE164Of(input, home);
  return there.ok && there.country === home && isMobile(there.e164) ? there : parsed;
}

function isMobile(e164: string): boolean {
  return parsePhoneNumberFromString(e164)?.getType() === 'MOBILE';
}
