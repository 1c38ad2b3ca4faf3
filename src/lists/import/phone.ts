import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { numberText } from './cell-text.js';

export type PhoneResult = { ok: true; e164: string; display: string; country: string | null } | { ok: false; reason: string };

/** Countries whose calling code we recognise at the start of a bare digit string (Excel lost the `00`/`+`). */
const NEIGHBOUR_CALLING_CODES = ['49', '43', '41', '423', '352', '31', '32', '33', '39', '45', '48', '420'];

/** The longest German, Austrian or Swiss number people have at home, without its trunk `0`. */
const NATIONAL_MAX_DIGITS = 11;

/** E.164 allows at most 15 digits, the country code included. */
const MAX_E164_DIGITS = 15;

/**
 * A phone cell → E.164, using `country` (ISO-2, from the case's address, else the client's
 * default) for national numbers. Accepts `0721 123456`, `(0721) 12 34 56`, `0721/123456`,
 * `+49 (0) 721 …`, `0049 721 …`, `0041 44 …`, and national Austrian/Swiss numbers when
 * `country` is AT/CH.
 *
 * A number Excel stored as a number has lost its leading zero(s): `7211234567` was
 * `0721 1234567`, `41446681800` may have been `0041 44 668 18 00`. A bare digit string that
 * does not start with 0 is therefore read both ways: as a national number of `country` (the
 * lost trunk `0`) and as an international one (the lost `00`). If only one is valid it wins;
 * if both are, the international reading wins when the digits start with the calling code of a
 * neighbouring country and are 11+ digits long (DE/AT/CH national numbers without the `0`
 * have at most 10–11 digits and rarely start like that), else the national one. When
 * `countryKnown` (the row's address, not the client's default, gave `country`), a valid national
 * reading of up to 11 digits wins over a foreign international one: `33197761234` of a customer
 * in Potsdam is `0331 97761234`, not `+33 1 97 76 12 34`.
 *
 * `display` is the international format (`+49 721 1234567`); `country` the number's own.
 */
export function normalisePhone(raw: unknown, country: string): PhoneResult {
  const parsed = parsePhone(raw, country);
  if (!parsed.ok) return parsed;
  return { ok: true, e164: parsed.number.number, display: parsed.number.formatInternational(), country: parsed.number.country ?? null };
}

/** `normalisePhone` without the display format (formatting costs as much as parsing; the import does not need it). */
export function phoneE164Of(raw: unknown, country: string, countryKnown = false): { ok: true; e164: string; country: string | null } | { ok: false; reason: string } {
  const parsed = parsePhone(raw, country, countryKnown);
  return parsed.ok ? { ok: true, e164: parsed.number.number, country: parsed.number.country ?? null } : parsed;
}

function parsePhone(raw: unknown, country: string, countryKnown = false): { ok: true; number: PhoneNumber } | { ok: false; reason: string } {
  const text = typeof raw === 'number' ? (Number.isInteger(raw) ? numberText(raw) : '') : typeof raw === 'string' ? withoutFloatTail(raw.normalize('NFKC').trim()) : '';
  if (text === '') return { ok: false, reason: typeof raw === 'number' ? 'not a phone number' : 'phone number is empty' };
  if (!/\d/.test(text)) return { ok: false, reason: 'not a phone number (no digits)' };
  const region = toRegion(country);
  // German words for an extension read as libphonenumber's `ext.` (the extension is no part of
  // the number dialled).
  const cleaned = firstNumber(text).replace(/\s*\b(durchwahl|dw)\b\.?:?\s*(?=\d)/i, ' ext. ');
  if (/\p{L}/u.test(cleaned.replace(/\s*\b(ext|x)\b.*$/i, ''))) return { ok: false, reason: 'not a phone number (contains text)' };

  const digits = cleaned.replace(/\D/g, '');
  if (digits.length < 5) return { ok: false, reason: 'phone number too short' };
  if (digits.length > 17) return { ok: false, reason: 'phone number too long' };

  let parsed: PhoneNumber | undefined;
  if (/^[1-9]\d*$/.test(cleaned.replace(/[\s/().-]/g, '')) && !cleaned.startsWith('+')) {
    parsed = bareDigits(digits, region, countryKnown);
  } else {
    parsed = parsePhoneNumberFromString(cleaned.replace(/^00(?=[1-9])/, '+'), region);
  }
  if (!parsed || !parsed.isValid()) {
    return { ok: false, reason: `not a valid phone number${region ? ` for ${region}` : ''}` };
  }
  // libphonenumber accepts some longer ones (`0721 123456 / 654321` → 17 digits); no network dials them.
  if (parsed.number.length - 1 > MAX_E164_DIGITS) return { ok: false, reason: 'phone number too long' };
  return { ok: true, number: parsed };
}

/**
 * Lists are written by people: `Tel.: 0721 123456 (privat)`, `Telefon 0721 123456`,
 * `0171 2345678 mobil`, `0171 2345678 ab 18 Uhr`, `0721 123456; 0171 2345678`,
 * `0721 123456/0171 2345678`. Labels and remarks go; each number of the cell is one entry; a fax
 * number (`Fax: …`) is none. `+49 (0) 721` loses its `(0)`.
 */
export function numbersIn(text: string): string[] {
  // Most cells hold one number and nothing else; they need none of the steps below but the `(0)`.
  if (PLAIN_NUMBER.test(text)) return /\d/.test(text) ? wholeNumbers(text).map((part) => part.replace(INTERNATIONAL_TRUNK_ZERO, '+$1').trim()) : [];
  const withoutRemarks = text.replace(/\([^)]*\p{L}[^)]*\)/gu, ' ');
  return withoutRemarks
    .split(/\s*(?:;|,|\||[\r\n]+|\boder\b|\bor\b|\bund\b|\bbzw\.|\bu\.)\s*/iu)
    .flatMap(wholeNumbers)
    .filter((part) => /\d/.test(part) && !FAX.test(part))
    .map((part) =>
      part
        // A label before the number (`Tel.-Nr.`, `Natel`, `privat:`): everything before its first `+`, `(` or digit.
        .replace(/^[^\d+(]*/u, '')
        // A remark after a whole number (`mobil`, `ab 18 Uhr`), not an extension (`DW 12`,
        // `ext. 12`); after a few digits (`0721 abc 123`) the cell is garbled and stays refused.
        .replace(REMARK, (remark, offset: number, whole: string) => (digitCount(whole.slice(0, offset)) >= 6 ? '' : remark))
        .replace(INTERNATIONAL_TRUNK_ZERO, '+$1')
        .trim(),
    );
}

/** Only what a phone number is written with: no letters, no separator between numbers (a line break is one). */
const PLAIN_NUMBER = /^[\d \t\u00a0+()/.-]*$/;

/**
 * `0171 2345678 / 0721 123456`, `0721 123456 - 0171 2345678`: whole numbers joined by a spaced
 * slash or dash. Split only where the text before holds a number's worth of digits (6 or more)
 * and what follows starts as a number does (`0`, `+`) with as many: `0721 / 123456` is an area
 * code and its number.
 */
function wholeNumbers(text: string): string[] {
  if (!JOINT_HINT.test(text)) return [text];
  const [first = '', ...rest] = text.split(JOINT);
  const out = [first];
  for (let i = 0; i + 1 < rest.length; i += 2) {
    const [joint = '', next = ''] = [rest[i], rest[i + 1]];
    // What follows must hold a number's worth of digits up to the end (`0721 - 123456` counts
    // whole), so `0171 - 2345678 / 0721 - 123456` splits at the slash only.
    const following = rest.slice(i + 1).join('');
    if (digitCount(out[out.length - 1]!) >= 6 && /^(\p{L}[\p{L}.-]*\s*:?\s*)?[+0]/u.test(next.trim()) && digitCount(following) >= 6) out.push(next);
    else out[out.length - 1] += joint + next;
  }
  return out;
}

const JOINT = /(\s*\/\s*|\s+[\-–—]\s+)/;
const JOINT_HINT = /\/|\s[\-–—]\s/;
const REMARK = /\s+(?!(?:dw|durchwahl|ext|x)\b\.?)\p{L}.*$/iu;
/** A part labelled as a fax number: never dialled. */
const FAX = /^\s*(tele)?fax\b/iu;

const digitCount = (text: string) => text.replace(/\D/g, '').length;
const INTERNATIONAL_TRUNK_ZERO = /^\+(\d{1,3})\s*\(0\)/;

/** Of several numbers in a cell, the first (the full cell stays in `phoneRaw` for the agent). */
function firstNumber(text: string): string {
  return numbersIn(text)[0] ?? '';
}

function bareDigits(digits: string, region: CountryCode | undefined, countryKnown: boolean): PhoneNumber | undefined {
  const national = parsePhoneNumberFromString(`0${digits}`, region);
  const international = parsePhoneNumberFromString(`+${digits}`);
  const nationalOk = national?.isValid() === true;
  const internationalOk = international?.isValid() === true;
  if (nationalOk && internationalOk) {
    // The address said where the customer lives: a number of that country beats a foreign
    // reading, up to the length of a national number there (12 digits and more are `00…`).
    if (countryKnown && international!.country !== region && digits.length <= NATIONAL_MAX_DIGITS) return national;
    const neighbour = NEIGHBOUR_CALLING_CODES.some((cc) => digits.startsWith(cc));
    return neighbour && digits.length >= 11 ? international : national;
  }
  if (nationalOk) return national;
  if (internationalOk) return international;
  // Countries without a trunk 0 (e.g. IT landlines keep theirs; US has none): try as written.
  const asIs = parsePhoneNumberFromString(digits, region);
  return asIs?.isValid() ? asIs : national;
}

/**
 * `7211234567.0`: a number a CSV export wrote as a float. Its `.0` is no part of the number (as
 * a separator it would make it `…670`); only after seven digits or more, so `030.0` stays as
 * written.
 */
function withoutFloatTail(text: string): string {
  return /^\d{7,}\.0+$/.test(text) ? text.slice(0, text.indexOf('.')) : text;
}

function toRegion(country: string): CountryCode | undefined {
  const c = country.toUpperCase();
  return isSupportedCountry(c) ? c : undefined;
}
