import { numberText } from './cell-text.js';

export type AmountResult = { ok: true; cents: number; currency?: 'EUR' | 'CHF' } | { ok: false; reason: string };

/** Larger claims are almost surely a misplaced column (a phone or account number). */
export const MAX_AMOUNT_CENTS = 100_000_000_00;

/**
 * Currency signs and codes, also written against the digits (`EUR1234`, `1.234,56EUR`): a code
 * counts where no other letter touches it (`\b` would not part `EUR` from `1234`).
 */
const CURRENCY_TOKENS: { re: RegExp; currency: 'EUR' | 'CHF' }[] = [
  { re: /€|(?<!\p{L})(?:EUR|Euros?)(?!\p{L})/giu, currency: 'EUR' },
  { re: /(?<!\p{L})(?:CHF|(?:Schweizer\s+)?Franken|SFr\.?|Fr\.?)(?!\p{L})/giu, currency: 'CHF' },
];

/**
 * An amount cell → integer cents (always rounded half up to the cent).
 *
 * Accepted: numeric cells (float noise such as 12.3400000001 rounds away), and text like
 * `1.234,56 €`, `1234.56`, `1,234.56`, `89,9`, `EUR 12`, `EUR1234`, `CHF 1'234.50`, `100 Franken`,
 * `1 234,50`, `20,-`.
 * Separator rule: when both `.` and `,` occur, the last one is the decimal separator; a single
 * kind occurring more than once separates thousands; a single separator followed by exactly
 * three digits separates thousands too (`1.234` and `1,234` are 1234.00: money is never
 * written with three decimals, and German lists write `1.234` for a thousand-something);
 * otherwise it is the decimal separator (`89,9`, `12.5`). Thousands groups must have three
 * digits (`1.23.4` is refused). Spaces, apostrophes (Swiss `1'234.50`) and a currency sign or
 * code are ignored; the currency found (€/EUR/Euro, CHF/Fr./SFr./Franken) is returned.
 *
 * Refused with a reason: empty, not a number, negative (incl. `12,50-` and `(12,50)`), zero,
 * more than 1,000,000,000.00.
 */
export function parseAmountCents(value: unknown): AmountResult {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { ok: false, reason: 'not a number' };
    return fromDecimal(numberText(value), null);
  }
  const text = typeof value === 'string' ? value.normalize('NFKC').replace(/[\u00a0\u202f]/g, ' ').trim() : '';
  if (text === '') return { ok: false, reason: 'amount is empty' };

  let currency: 'EUR' | 'CHF' | null = null;
  let rest = text;
  for (const { re, currency: c } of CURRENCY_TOKENS) {
    if (rest.match(re)) {
      if (currency && currency !== c) return { ok: false, reason: 'two different currencies in one amount' };
      currency = c;
      rest = rest.replace(re, ' ');
    }
  }
  // Spaces and apostrophes may only separate thousands: `1 234,50`, `1'234.50`, not `12 50`.
  if (/\d[\s'’]+(?!\d{3}(?!\d))\d/u.test(rest)) return { ok: false, reason: 'not an amount (digits separated by spaces)' };
  rest = rest.replace(/[\s'’]/gu, '');
  // `20,-` (German) and `20.–` (Swiss) mean whole units, not a negative amount.
  rest = rest.replace(/^(\d[\d.,'’]*)[.,][-–—]$/u, '$1');
  let negative = false;
  if (/^\(.*\)$/.test(rest)) {
    negative = true;
    rest = rest.slice(1, -1);
  }
  if (/^[-−–]|[-−–]$/u.test(rest)) {
    negative = true;
    rest = rest.replace(/^[-−–]|[-−–]$/gu, '');
  }
  rest = rest.replace(/^\+/, '');
  if (!/^[\d.,]+$/.test(rest) || !/\d/.test(rest)) return { ok: false, reason: 'not an amount (expected e.g. 1.234,56 or 1234.56)' };
  const decimal = toPlainDecimal(rest);
  if (decimal === null) return { ok: false, reason: 'unclear number format (expected e.g. 1.234,56 or 1234.56)' };
  return fromDecimal(negative ? `-${decimal}` : decimal, currency);
}

/** `1.234,56` → `1234.56`; null when the separators do not follow one consistent pattern. */
function toPlainDecimal(s: string): string | null {
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  let decimalSep: '.' | ',' | null = null;
  if (lastDot >= 0 && lastComma >= 0) decimalSep = lastDot > lastComma ? '.' : ',';
  else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? '.' : ',';
    const occurrences = s.split(sep).length - 1;
    const digitsAfter = s.length - s.lastIndexOf(sep) - 1;
    // `1.500` may be 1500 (a thousands group) or 1,5; `0,500` and `,500` only 0,5: no thousands
    // group follows a lone 0.
    const noThousands = /^0?$/.test(s.slice(0, s.indexOf(sep)));
    decimalSep = occurrences === 1 && (digitsAfter !== 3 || noThousands) ? sep : null;
  }
  const thousandsSep = decimalSep === '.' ? ',' : decimalSep === ',' ? '.' : lastDot >= 0 ? '.' : ',';
  const [intPart = '', fracPart, ...more] = decimalSep ? s.split(decimalSep) : [s];
  if (more.length > 0 || fracPart === '' || (fracPart !== undefined && fracPart.includes(thousandsSep))) return null;
  const groups = intPart.split(thousandsSep);
  if (groups.length > 1 && (groups[0] === '' || groups[0]!.length > 3 || groups.slice(1).some((g) => g.length !== 3))) return null;
  const digits = groups.join('');
  if (digits === '' && fracPart === undefined) return null;
  return fracPart === undefined ? digits : `${digits || '0'}.${fracPart}`;
}

function fromDecimal(decimal: string, currency: 'EUR' | 'CHF' | null): AmountResult {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(decimal);
  if (!m) return { ok: false, reason: 'not an amount' };
  const [, sign, int = '', frac = ''] = m;
  const roundUp = (frac[2] ?? '0') >= '5';
  const centsText = `${int || '0'}${frac.slice(0, 2).padEnd(2, '0')}`;
  if (centsText.replace(/^0+/, '').length > 15) return { ok: false, reason: 'amount too large' };
  const cents = Number(centsText) + (roundUp ? 1 : 0);
  if (sign === '-' && cents > 0) return { ok: false, reason: 'amount is negative (a credit, not a claim)' };
  if (cents === 0) return { ok: false, reason: 'amount is zero' };
  if (cents > MAX_AMOUNT_CENTS) return { ok: false, reason: 'amount above 1,000,000,000.00 (probably a wrong column)' };
  return currency ? { ok: true, cents, currency } : { ok: true, cents };
}
