import { cellText, cellValue, isFormulaWithoutResult } from './cell-text.js';
import { headerCurrency, type CaseField, type HeaderRow } from './headers.js';
import type { CountrySource } from './country.js';
import { cleanText, countryFromAddress, currencyCode, languageCode, parseAmountCents, postalCodeFits } from './normalise.js';
import { countryByNationalNumber, internationalCountry, phoneTexts, rowPhones, swissOrAustrian, type CasePhone } from './row-phones.js';
import { displayText, storable, toSourceCell, type SourceCell } from './source-cells.js';

/** One customer + claim, ready to become a `cases` row. */
export interface ParsedCase {
  /** Row number as the spreadsheet shows it. */
  rowNumber: number;
  customerNo: string;
  name: string;
  /** The first number's cell as delivered (shown to the agent). */
  phoneRaw: string;
  /** The first number, E.164. */
  phoneE164: string;
  /** Every valid number of the row's phone columns, the first first. */
  phones: CasePhone[];
  /** One line: the address column, or `Straße Nr, PLZ Ort[, Land]` built from the parts; may be empty. */
  address: string;
  postalCode: string | null;
  /** ISO-2. */
  country: string;
  /** How the country was found (counted in the import report). */
  countrySource: CountrySource;
  amountCents: number;
  /** ISO 4217. */
  currency: string;
  /** ISO 639-1 from a language column, else null (the client's default applies). */
  language: string | null;
  /** Extra columns: the file's header → the cell as the file shows it (`11.09.2026`, `2.372,25`). Empty cells are left out; order is `ImportReport.extraColumns`. */
  extra: Record<string, string>;
  /** Every cell of the row under the header, as delivered (for the result list). */
  source: SourceCell[];
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
const NO_RESULT = 'formula without a saved result: open the file in Excel, save it and upload it again';
/** A Swiss client's customer whose town is not the postcode's and whose number is valid in CH and AT alike (`swissOrAustrian`). */
const TOWN_NOT_SWISS = 'country unclear: the town is not in the Swiss directory for this postcode and the number is valid in Switzerland and in Austria; add the country or write the number with +41 or +43';
/**
 * exceljs drops a formula's saved result when it is 0, empty or FALSE (`FormulaValue._copyModel`
 * keeps only truthy ones), so `=100-100` saved by Excel reads as a formula without a result:
 * saving again cannot help, a value instead of the formula does (a 0 would be refused anyway).
 */
const NO_AMOUNT_RESULT = 'formula without a saved result, or with a result of 0 or empty: enter the amount as a value instead of the formula';

export type RowResult = { customerNo: string; source: SourceCell[] } & ({ case: ParsedCase; rejections?: never } | { case?: never; rejections: Rejection[] });

/**
 * Builds the per-row parser for one list. The column plan is computed once; each row's mapped
 * cells are converted to text once (this runs 100,000 times per large list).
 */
export function createRowParser(ctx: RowContext): (rowNumber: number, cells: unknown[], formats?: (string | undefined)[]) => RowResult {
  const { header } = ctx;
  const fields = Object.entries(header.columns) as [CaseField, number][];
  const headerOf = (f: CaseField) => {
    const i = header.columns[f];
    return i === undefined ? f : (header.headers[i]?.trim() ?? f);
  };
  const headers = Object.fromEntries(fields.map(([f]) => [f, headerOf(f)])) as Record<CaseField, string>;
  const has = (f: CaseField) => header.columns[f] !== undefined;
  const nameField: CaseField = has('name') ? 'name' : has('lastName') ? 'lastName' : 'firstName';
  const amountCurrency = headerCurrency(headers.amount ?? '');
  const amountIndex = header.columns.amount;
  const width = header.headers.length;
  const phoneColumns = header.phones.map((index) => ({ index, header: header.headers[index]?.trim() || 'Telefon' }));
  const date1904 = header.date1904 === true;

  return (rowNumber, cells, formats) => {
    const source: SourceCell[] = new Array(width);
    for (let i = 0; i < width; i++) source[i] = toSourceCell(cells[i], formats?.[i], date1904);
    const raw: Partial<Record<CaseField, unknown>> = {};
    const text: Partial<Record<CaseField, string>> = {};
    for (const [field, index] of fields) {
      raw[field] = cells[index];
      text[field] = cleanText(field === 'customerNo' ? customerNoText(cells[index], formats?.[index]) : cellText(cells[index]));
    }
    const problems = new RowProblems(rowNumber, headers, text);
    const rejections = problems.list;

    if (!text.customerNo && !text.name && !text.firstName && !text.lastName && !text.phone) {
      const all = cells.map((c) => cellText(c)).filter(Boolean).join(' | ');
      problems.reject(text.amount ? 'amount' : 'customerNo', 'row has no customer number, name or phone (a totals or remark row?)', all);
      return { customerNo: '', source, rejections };
    }

    const customerNo = problems.required('customerNo', 'customer number', raw.customerNo);
    const name = joinName(text.firstName ?? '', has('name') ? (text.name ?? '') : (text.lastName ?? ''));
    if (name === '') problems.reject(nameField, 'name is empty');
    else if (name.length > MAX_TEXT) problems.reject(nameField, `name longer than ${MAX_TEXT} characters`);

    // Country first: the phones are read as national numbers of the customer's country.
    const postalCity = splitPostalCity(text.postalCity ?? '');
    const place = countryFromAddress(
      {
        country: text.country,
        postalCode: text.postalCode || postalCity.postalCode,
        town: text.city || postalCity.city,
        address: text.address,
      },
      ctx.defaultCountry,
    );
    let { country, postalCode, source: countrySource } = place;
    if (countrySource === 'default') {
      // Nothing in the address said: a number written internationally, or one that is only valid in a neighbour, does.
      const texts = phoneTexts(cells, phoneColumns);
      const international = internationalCountry(texts);
      let byPhone = international && (!postalCode || postalCodeFits(international, postalCode)) ? international : null;
      if (!byPhone && place.townNotSwiss) {
        const decided = swissOrAustrian(texts);
        if (decided?.country === 'unclear') problems.rejectAt(decided.from.column.header, TOWN_NOT_SWISS, decided.from.text);
        else byPhone = decided?.country ?? null;
      } else byPhone ??= countryByNationalNumber(texts, country, postalCode);
      if (byPhone && byPhone !== country) [country, countrySource] = [byPhone, 'phone'];
    }

    const numbers = rowPhones(cells, phoneColumns, country, ctx.defaultCountry, countrySource);
    if (!numbers.ok) problems.rejectAt(numbers.column.header, numbers.reason, numbers.value || text.phone || '');
    const phones = numbers.ok ? numbers.phones : [];
    if (country === 'DE' && postalCode && /^\d{4}$/.test(postalCode)) {
      // German postcodes have five digits: Excel dropped the 0 of 01067 Dresden (a number cell,
      // or the CSV it writes from one). Counted apart where only this made the customer German:
      // an Austrian one whose number is valid in Germany too reads the same (`0664 …`).
      postalCode = `0${postalCode}`;
      if (countrySource === 'default') countrySource = 'postcodeWithoutZero';
    }

    const amount = parseAmountCents(cellValue(raw.amount));
    if (!amount.ok) problems.reject('amount', isFormulaWithoutResult(raw.amount) ? NO_AMOUNT_RESULT : amount.reason);
    // The header's unit is the author's word for the whole column; a cell's format may be a
    // template's default (German Excel formats currency as € by default).
    const unit = amountCurrency ?? formatCurrency(amountIndex === undefined ? undefined : formats?.[amountIndex]) ?? null;
    const currency = resolveCurrency(text.currency ?? '', amount.ok ? amount.currency : undefined, unit, ctx.defaultCurrency);
    if (!currency.ok) problems.reject(currency.field, currency.reason);

    if (rejections.length > 0 || !amount.ok || !currency.ok) return { customerNo, source, rejections };

    const address = text.address || buildAddress(text.street ?? '', text.houseNo ?? '', postalCode, text.city || postalCity.city, text.country ?? '');
    const extra: Record<string, string> = {};
    for (const { index, header: h } of header.extras) {
      const v = displayText(source[index] ?? null, formats?.[index]).trim();
      if (v !== '') extra[h] = v;
    }
    const [first] = phones;
    return {
      customerNo,
      source,
      case: {
        rowNumber, customerNo, name, phoneRaw: first!.raw, phoneE164: first!.e164, phones, address, postalCode, country, countrySource,
        amountCents: amount.cents, currency: currency.code, language: text.language ? languageCode(text.language) : null, extra, source,
      },
    };
  };
}

/** Collects the problems of one row (a class, not closures: this runs for every row). */
class RowProblems {
  readonly list: Rejection[] = [];

  constructor(
    private readonly rowNumber: number,
    private readonly headers: Partial<Record<CaseField, string>>,
    private readonly text: Partial<Record<CaseField, string>>,
  ) {}

  reject(f: CaseField, reason: string, value = this.text[f] ?? ''): void {
    this.rejectAt(this.headers[f] ?? f, reason, value);
  }

  /** A problem in a column named by its header (one of several phone columns). */
  rejectAt(column: string, reason: string, value: string): void {
    this.list.push({ row: this.rowNumber, column: storable(column), value: storable(value.slice(0, 200)), reason });
  }

  required(f: CaseField, what: string, raw: unknown): string {
    const v = this.text[f] ?? '';
    if (v === '') this.reject(f, isFormulaWithoutResult(raw) ? NO_RESULT : `${what} is empty`);
    else if (v.length > MAX_TEXT) this.reject(f, `${what} longer than ${MAX_TEXT} characters`);
    return v;
  }
}

/**
 * A customer number as the file shows it: a number cell formatted with leading zeros (`000000`,
 * Excel's way of keeping them on a number) keeps them — `123` shown as `000123` is `000123` —
 * and one formatted with a fixed prefix or suffix (`"K"00000`, `\K00000`) is the text shown,
 * `K00123`.
 */
function customerNoText(cell: unknown, numFmt: string | undefined): string {
  if (typeof cell === 'number' && Number.isSafeInteger(cell) && cell >= 0 && numFmt) {
    if (/^0+$/.test(numFmt)) return String(cell).padStart(numFmt.length, '0');
    if (LITERAL_DIGITS_FORMAT.test(numFmt)) return displayText(cell, numFmt);
  }
  return cellText(cell);
}

/** Digits (`0`, `#`) with literal text around them, nothing else (no separators, no decimals). */
const LITERAL_DIGITS_FORMAT = /^(?=.*[0#])(?:"[^"]*"|\\.|[0#])+$/;

function joinName(first: string, last: string): string {
  return [first, last].filter(Boolean).join(' ');
}

function splitPostalCity(value: string): { postalCode: string; city: string } {
  const m = /^((?:[A-Z]{1,2}\s*-?\s*)?\d{4,5})\s+(.+)$/.exec(value);
  return m ? { postalCode: m[1] ?? '', city: m[2] ?? '' } : { postalCode: '', city: value };
}

function buildAddress(street: string, houseNo: string, postalCode: string | null, city: string, country: string): string {
  const line1 = [street, houseNo].filter(Boolean).join(' ');
  const line2 = [postalCode, city].filter(Boolean).join(' ');
  return [line1, line2, country].filter(Boolean).join(', ');
}

/**
 * The currency an amount cell's number format shows (`#,##0.00 [$CHF-100C]`, `[$€-407] #,##0.00`,
 * `#,##0.00 "CHF"`, `"CHF "#,##0.00`, `#,##0.00" Fr."`: the quoted text may hold the space before or
 * after the sign), or undefined: Excel keeps the currency of a typed amount there, not in the value.
 */
export function formatCurrency(numFmt: string | undefined): string | undefined {
  if (!numFmt) return undefined;
  const m = /\[\$(CHF|SFr\.?|Fr\.|EUR|€)|"\s*(CHF|SFr\.?|Fr\.|EUR|€)\s*"|(€)/i.exec(numFmt);
  const sign = m?.[1] ?? m?.[2] ?? m?.[3];
  if (!sign) return undefined;
  return /^(€|EUR)$/i.test(sign) ? 'EUR' : 'CHF';
}

/** Currency column → currency written in the amount → unit in the amount header, else its cell's number format → client default. */
function resolveCurrency(
  column: string,
  inAmount: string | undefined,
  inHeader: string | null,
  fallback: string,
): { ok: true; code: string } | { ok: false; field: 'currency' | 'amount'; reason: string } {
  const fromColumn = column ? currencyCode(column) : null;
  if (column && !fromColumn) return { ok: false, field: 'currency', reason: 'unknown currency (expected e.g. EUR or CHF)' };
  if (fromColumn && inAmount && fromColumn !== inAmount) {
    return { ok: false, field: 'amount', reason: `amount is in ${inAmount} but the currency column says ${fromColumn}` };
  }
  return { ok: true, code: fromColumn ?? inAmount ?? inHeader ?? fallback };
}
