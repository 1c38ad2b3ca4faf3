import { cellText, cellValue, isFormulaWithoutResult } from './cell-text.js';
import { headerCurrency, type CaseField, type HeaderRow } from './headers.js';
import { cleanText, countryFromAddress, currencyCode, languageCode, normalisePhone, parseAmountCents, postalCodeFits } from './normalise.js';

/** One customer + claim, ready to become a `cases` row. */
export interface ParsedCase {
  /** Row number as the spreadsheet shows it. */
  rowNumber: number;
  customerNo: string;
  name: string;
  /** The phone cell as delivered (shown to the agent). */
  phoneRaw: string;
  phoneE164: string;
  /** One line: the address column, or `Straße Nr, PLZ Ort[, Land]` built from the parts; may be empty. */
  address: string;
  postalCode: string | null;
  /** ISO-2. */
  country: string;
  amountCents: number;
  /** ISO 4217. */
  currency: string;
  /** ISO 639-1 from a language column, else null (the client's default applies). */
  language: string | null;
  /** Extra columns: the file's header → cell text. Empty cells are left out; order is `ImportReport.extraColumns`. */
  extra: Record<string, string>;
}

export interface Rejection {
  row: number;
  /** The file's own header text of the offending column. */
  column: string;
  value: string;
  reason: string;
}

export interface RowContext {
  header: HeaderRow;
  defaultCountry: string;
  defaultCurrency: string;
}

const MAX_TEXT = 500;

export type RowResult = { customerNo: string } & ({ case: ParsedCase; rejections?: never } | { case?: never; rejections: Rejection[] });

/** Parses one data row; returns the case or every problem found in it, and the customer number either way. */
export function parseRow(rowNumber: number, cells: unknown[], ctx: RowContext): RowResult {
  const { header } = ctx;
  const col = (f: CaseField) => header.columns[f];
  const raw = (f: CaseField): unknown => {
    const i = col(f);
    return i === undefined ? undefined : cells[i];
  };
  const text = (f: CaseField) => cleanText(cellText(raw(f)));
  const headerOf = (f: CaseField) => {
    const i = col(f);
    return i === undefined ? f : (header.headers[i]?.trim() ?? f);
  };
  const rejections: Rejection[] = [];
  const reject = (f: CaseField, reason: string, value = cellText(raw(f))) =>
    rejections.push({ row: rowNumber, column: headerOf(f), value: value.slice(0, 200), reason });
  const required = (f: CaseField, what: string): string => {
    const v = text(f);
    if (v === '') reject(f, isFormulaWithoutResult(raw(f)) ? 'formula without a saved result: open the file in Excel, save it and upload it again' : `${what} is empty`);
    else if (v.length > MAX_TEXT) reject(f, `${what} longer than ${MAX_TEXT} characters`);
    return v;
  };

  const nameField: CaseField = col('name') !== undefined ? 'name' : col('lastName') !== undefined ? 'lastName' : 'firstName';
  if (text('customerNo') === '' && text(nameField) === '' && text('firstName') === '' && cellText(raw('phone')) === '') {
    reject(cellText(raw('amount')) !== '' ? 'amount' : 'customerNo', 'row has no customer number, name or phone (a totals or remark row?)', cells.map((c) => cellText(c)).filter(Boolean).join(' | '));
    return { customerNo: '', rejections };
  }

  const customerNo = required('customerNo', 'customer number');
  const name = joinName(text('firstName'), col('name') !== undefined ? text('name') : text('lastName'));
  if (name === '') reject(nameField, 'name is empty');

  // Country first: the phone is read as a national number of the customer's country.
  const postalCity = splitPostalCity(text('postalCity'));
  const postalRaw = postalText(raw('postalCode')) || postalCity.postalCode;
  const place = countryFromAddress({ country: text('country'), postalCode: postalRaw, address: text('address') }, ctx.defaultCountry);
  let { country, postalCode } = place;

  const phoneCell = cellValue(raw('phone'));
  const phoneRaw = cellText(raw('phone'));
  let phoneE164 = '';
  if (phoneRaw === '') reject('phone', 'phone number is empty');
  else {
    const phone = normalisePhone(phoneCell, country);
    if (!phone.ok) reject('phone', phone.reason);
    else {
      phoneE164 = phone.e164;
      // Nothing in the row named a country, but the number is foreign and the postcode fits it.
      if (place.source === 'default' && phone.country && phone.country !== country && postalCodeFits(phone.country, postalCode)) {
        country = phone.country;
      }
    }
  }
  if (country === 'DE' && postalCode && /^\d{4}$/.test(postalCode) && typeof cellValue(raw('postalCode')) === 'number') {
    postalCode = `0${postalCode}`; // Excel dropped the leading zero of 01067 Dresden
  }

  const amount = parseAmountCents(cellValue(raw('amount')));
  if (!amount.ok) reject('amount', isFormulaWithoutResult(raw('amount')) ? 'formula without a saved result: open the file in Excel, save it and upload it again' : amount.reason);
  const currency = resolveCurrency(text('currency'), amount.ok ? amount.currency : undefined, headerOf('amount'), ctx.defaultCurrency);
  if (!currency.ok) reject(currency.field === 'currency' ? 'currency' : 'amount', currency.reason);

  if (rejections.length > 0 || !amount.ok || !currency.ok) return { customerNo, rejections };

  const city = text('city') || postalCity.city;
  const address = text('address') || buildAddress(text('street'), text('houseNo'), postalCode, city, text('country'));
  const language = text('language') ? languageCode(text('language')) : null;
  const extra: Record<string, string> = {};
  for (const { index, header: h } of header.extras) {
    const v = cellText(cells[index]);
    if (v !== '') extra[h] = v;
  }
  return {
    customerNo,
    case: {
      rowNumber, customerNo, name, phoneRaw, phoneE164, address, postalCode, country,
      amountCents: amount.cents, currency: currency.code, language, extra,
    },
  };
}

function joinName(first: string, last: string): string {
  return [first, last].filter(Boolean).join(' ');
}

/** Postal codes are text even when Excel stored them as numbers. */
function postalText(value: unknown): string {
  return cleanText(cellText(value));
}

function splitPostalCity(value: string): { postalCode: string; city: string } {
  const m = /^((?:[A-Z]{1,2}\s*-\s*)?\d{4,5})\s+(.+)$/.exec(value);
  return m ? { postalCode: m[1] ?? '', city: m[2] ?? '' } : { postalCode: '', city: value };
}

function buildAddress(street: string, houseNo: string, postalCode: string | null, city: string, country: string): string {
  const line1 = [street, houseNo].filter(Boolean).join(' ');
  const line2 = [postalCode, city].filter(Boolean).join(' ');
  return [line1, line2, country].filter(Boolean).join(', ');
}

/** Currency column → currency written in the amount → unit in the amount header → client default. */
function resolveCurrency(
  column: string,
  inAmount: string | undefined,
  amountHeader: string,
  fallback: string,
): { ok: true; code: string } | { ok: false; field: 'currency' | 'amount'; reason: string } {
  const fromColumn = column ? currencyCode(column) : null;
  if (column && !fromColumn) return { ok: false, field: 'currency', reason: 'unknown currency (expected e.g. EUR or CHF)' };
  if (fromColumn && inAmount && fromColumn !== inAmount) {
    return { ok: false, field: 'amount', reason: `amount is in ${inAmount} but the currency column says ${fromColumn}` };
  }
  return { ok: true, code: fromColumn ?? inAmount ?? headerCurrency(amountHeader) ?? fallback };
}
