import { describe, expect, it } from 'vitest';
import { parseList, type ParsedCase, type Rejection } from './parse-list.js';
import type { RawRow } from './read-sheet.js';

const HEADER = ['Kunden-Nr.', 'Name', 'PLZ', 'Ort', 'Telefon', 'Offener Betrag'];

/** Each row as `customer number → [country, how found, first number]`, or the reason it was refused. */
async function countries(home: string, rows: unknown[][]): Promise<Record<string, [string, string, string] | string>> {
  const cases: ParsedCase[] = [];
  const refused: Record<string, string> = {};
  async function* raw(): AsyncGenerator<RawRow> {
    for (const [i, cells] of [HEADER, ...rows].entries()) yield { rowNumber: i + 1, cells };
  }
  await parseList(raw(), { defaultCountry: home }, (c) => void cases.push(c), (r) => {
    for (const x of r.rejections) refused[String(rows[x.row - 2]![0])] ??= x.reason.split(':')[0]!;
  });
  return { ...refused, ...Object.fromEntries(cases.map((c) => [c.customerNo, [c.country, c.countrySource, c.phoneE164]])) };
}

describe('a Swiss client’s customers at a Swiss postcode with a town the directory does not have for it', () => {
  it('are Austrian or Swiss as their number says, and refused when it is valid in both: never rung in the wrong country', async () => {
    expect(
      await countries('CH', [
        // Austrian mobiles and landlines that are no Swiss numbers: Austrian.
        ['1', 'Gerda Graz', 8010, 'Graz', '0664 1234567', 10],
        ['2', 'Paul Pölten', '3100', 'St. Pölten', '02742 123456', 10],
        ['3', 'Eva Eisenstadt', '7000', 'Eisenstadt', '02682 123456', 10],
        // Valid in Bern as in Graz, in Bern as in „Bärn“: the client must say which.
        ['4', 'Gustav Graz', 8010, 'Graz', '0316 123456', 10],
        ['5', 'Beat Bärn', '3000', 'Bärn', '031 321 11 11', 10],
        ['6', 'Zeno ZH', '8000', 'ZH', '031 322 21 11', 10],
        // A district the directory does not know, its number only Swiss: Swiss.
        ['7', 'Beatrice Bümpliz', '3018', 'Bümpliz', '031 992 11 11', 10],
        // The directory's own towns, as before.
        ['8', 'Zora Zürich', '8001', 'Zürich', '044 123 45 67', 10],
        ['9', 'Chris Chur', '7000', 'Chur', '081 123 45 67', 10],
        // Numbers Excel stored as numbers (the 0 or the 00 lost) decide as their text would.
        ['10', 'Mia Mobil', 8010, 'Graz', 6641234567, 10],
        ['11', 'Ida International', 8010, 'Graz', 43316123456, 10],
        ['12', 'Gert Graz', 8010, 'Graz', 316123456, 10],
      ]),
    ).toEqual({
      1: ['AT', 'phone', '+436641234567'],
      2: ['AT', 'phone', '+432742123456'],
      3: ['AT', 'phone', '+432682123456'],
      4: 'country unclear',
      5: 'country unclear',
      6: 'country unclear',
      7: ['CH', 'default', '+41319921111'],
      8: ['CH', 'postcodeTown', '+41441234567'],
      9: ['CH', 'postcodeTown', '+41811234567'],
      10: ['AT', 'phone', '+436641234567'],
      11: ['AT', 'phone', '+43316123456'],
      12: 'country unclear',
    });
  });

  it('names the number that left the country unclear, in its own column', async () => {
    const refused: Rejection[] = [];
    async function* raw(): AsyncGenerator<RawRow> {
      yield { rowNumber: 1, cells: ['Kunden-Nr.', 'Name', 'PLZ', 'Ort', 'Telefon', 'Mobil', 'Offener Betrag'] };
      yield { rowNumber: 2, cells: ['1', 'Gustav Graz', '8010', 'Graz', 'keine', '0316 123456', 10] };
    }
    await parseList(raw(), { defaultCountry: 'CH' }, () => {}, (r) => void refused.push(...r.rejections));
    expect(refused).toMatchObject([{ row: 2, column: 'Mobil', value: '0316 123456', reason: expect.stringMatching(/^country unclear/) }]);
  });
});
