import { describe, expect, it } from 'vitest';
import { planFirstCall } from '../../dispatch/first-calls.js';
import { schedulingSettingsObject, type SchedulingSettings } from '../../scheduling/settings.js';
import { ALREADY_OPEN } from '../open-customers.js';
import { parseAmountCents } from './amount.js';
import { parseList, type Rejection } from './parse-list.js';
import type { RawRow } from './read-sheet.js';
import { germanReason } from './reasons-de.js';

const PHONE = '0721 1234567';
const NO_RESULT = { formula: 'B2*2' };

/*
 * The reasons are those of parse-row.ts, phone.ts, amount.ts, row-phones.ts, parse-list.ts and
 * run-import.ts (`reason:`, `reject(`); a new one needs a row here and a pattern in reasons-de.ts.
 */

/** Rows that together hit every refusal of the row parser. */
const ROWS: unknown[][] = [
  ['Kunden-Nr.', 'Name', 'Telefon', 'Mahnsumme', 'Währung'],
  ['', '', '', '5,00', ''],
  ['', 'Anna', PHONE, '10', ''],
  [NO_RESULT, 'Anna', PHONE, '10', ''],
  ['x'.repeat(501), 'Anna', PHONE, '10', ''],
  ['K-1', '', PHONE, '10', ''],
  ['K-2', 'x'.repeat(501), PHONE, '10', ''],
  ['K-3', 'Anna', '', '10', ''],
  ['K-4', 'Anna', NO_RESULT, '10', ''],
  ['K-5', 'Anna', 721.5, '10', ''],
  ['K-6', 'Anna', '---', '10', ''],
  ['K-7', 'Anna', '0721 abc 123', '10', ''],
  ['K-8', 'Anna', '0721', '10', ''],
  ['K-9', 'Anna', '0721 1234567 8901234567', '10', ''],
  ['K-10', 'Anna', '0000 123456', '10', ''],
  ['K-11', 'Anna', PHONE, '', ''],
  ['K-12', 'Anna', PHONE, NO_RESULT, ''],
  ['K-13', 'Anna', PHONE, '0', ''],
  ['K-14', 'Anna', PHONE, '-5', ''],
  ['K-15', 'Anna', PHONE, '1234567890123456', ''],
  ['K-16', 'Anna', PHONE, '2000000000', ''],
  ['K-17', 'Anna', PHONE, '12 50', ''],
  ['K-18', 'Anna', PHONE, 'zehn', ''],
  ['K-19', 'Anna', PHONE, '1.23,4', ''],
  ['K-20', 'Anna', PHONE, 'EUR 5 CHF', ''],
  ['K-21', 'Anna', PHONE, '10', 'Taler'],
  ['K-22', 'Anna', PHONE, 'CHF 10', 'EUR'],
  ['K-24', 'Anna', PHONE, '10', ''],
  ['K-24', 'Anna', PHONE, '10', ''],
];

async function parserReasons(): Promise<string[]> {
  const refused: Rejection[] = [];
  async function* rows(): AsyncGenerator<RawRow> {
    for (const [i, cells] of ROWS.entries()) yield { rowNumber: i + 1, cells };
  }
  await parseList(rows(), { defaultCountry: 'DE' }, () => {}, (r) => void refused.push(...r.rejections));
  return refused.map((r) => r.reason);
}

/** What the import adds when storing (run-import.ts): a customer open elsewhere, a place never callable. */
function storingReasons(): string[] {
  const settings = schedulingSettingsObject.parse({}) as SchedulingSettings;
  const noHours = Object.fromEntries(Object.keys(settings.callingHours).map((d) => [d, []])) as unknown as SchedulingSettings['callingHours'];
  const never = planFirstCall(new Date('2026-11-25T10:00:00Z'), { ...settings, callingHours: noHours }, { postalCode: null, country: 'DE' });
  const explanations = [
    never.at === null ? never.explanation : 'planned',
    "Never callable: the customer's preferred windows never overlap the calling hours.",
    'Never callable: no callable time within 400 days (holidays and the per-day cap leave nothing).',
    'Never callable.',
  ];
  return [ALREADY_OPEN, ...explanations.map((e) => `never callable: ${e}`)];
}

const ENGLISH =
  /\b(the|is|are|a|an|of|or|for|not|no|never|too|than|and|within|without|number|phone|amount|customer|empty|longer|characters|formula|saved|result|open|file|save|upload|again|callable|calling|hours|time|days|holidays|cap|valid|short|long|currency|column|says|row|first|duplicate|another|active|list|client|zero|negative|credit|claim|large|above|probably|wrong|unknown|unclear|different|two|digits|separated|spaces|contains|expected|preferred|windows|requested|lies|inside|overlap|leave|nothing)\b/i;

describe('germanReason', () => {
  it('renders every reason the importer can give in German, without English words', async () => {
    const parsed = new Set(await parserReasons());
    expect(parsed.size).toBe(26); // one of each: the rows above still hit every refusal
    const amount = parseAmountCents(Infinity);
    // Not reached by a German client's rows: a Swiss client's customer whose country stays unclear.
    const swissOnly = 'country unclear: the town is not in the Swiss directory for this postcode and the number is valid in Switzerland and in Austria; add the country or write the number with +41 or +43';
    const unreached = ['not an amount', 'not a valid phone number', amount.ok ? '' : amount.reason, swissOnly];
    const reasons = [...parsed, ...storingReasons(), ...unreached];
    for (const reason of reasons) {
      const german = germanReason(reason);
      expect(german, reason).not.toBe(reason);
      expect(german, reason).not.toMatch(ENGLISH);
    }
  });

  it('translates what the scheduler says about a case never callable, without the doubled prefix', () => {
    expect(germanReason('never callable: Never callable: the requested time never lies inside the calling hours.')).toBe('Nie anrufbar: die gewünschte Zeit liegt nie in den Anrufzeiten');
    expect(germanReason('never callable: Never callable: no callable time within 400 days (holidays and the per-day cap leave nothing).')).toBe(
      'Nie anrufbar: keine erlaubte Anrufzeit in den nächsten 400 Tagen (Feiertage und die Höchstzahl Versuche pro Tag lassen keine übrig)',
    );
  });

  it('says which limit a long name or customer number broke', () => {
    expect(germanReason('name longer than 500 characters')).toBe('Name länger als 500 Zeichen');
    expect(germanReason('customer number longer than 500 characters')).toBe('Kundennummer länger als 500 Zeichen');
  });
});
