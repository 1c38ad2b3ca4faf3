import { describe, expect, it } from 'vitest';
import { parseList, type ParsedCase } from './parse-list.js';
import type { RawRow } from './read-sheet.js';

const HEADER = ['Kunden-Nr.', 'Name', 'PLZ', 'Ort', 'Telefon', 'Offener Betrag'];

/** Each accepted row as `customer number → [country, how found, first number]`. */
async function countries(home: string, rows: unknown[][]): Promise<Record<string, [string, string, string]>> {
  const cases: ParsedCase[] = [];
  async function* raw(): AsyncGenerator<RawRow> {
    for (const [i, cells] of [HEADER, ...rows].entries()) yield { rowNumber: i + 1, cells };
  }
  await parseList(raw(), { defaultCountry: home }, (c) => void cases.push(c));
  return Object.fromEntries(cases.map((c) => [c.customerNo, [c.country, c.countrySource, c.phoneE164]]));
}

describe('a Swiss client’s Austrian customers', () => {
  it('are Austrian where the Swiss directory has the postcode for other towns, their numbers dialled in Austria', async () => {
    expect(
      await countries('CH', [
        ['1', 'Gerda Graz', 8010, 'Graz', '0316 123456', 10],
        ['2', 'Paul Pölten', '3100', 'St. Pölten', '02742 123456', 10],
        ['3', 'Eva Eisenstadt', '7000', 'Eisenstadt', '02682 123456', 10],
        ['4', 'Ines Innsbruck', '6020', 'Innsbruck', '0512 123456', 10],
        ['5', 'Zora Zürich', '8001', 'Zürich', '044 123 45 67', 10],
        ['6', 'Chris Chur', '7000', 'Chur', '081 123 45 67', 10],
        // 6850 is Mendrisio; the Dornbirn number is valid in Switzerland too.
        ['7', 'Doris Dornbirn', '6850', 'Dornbirn', '05572 12345', 10],
      ]),
    ).toEqual({
      1: ['AT', 'postcode', '+43316123456'],
      2: ['AT', 'postcode', '+432742123456'],
      3: ['AT', 'postcode', '+432682123456'],
      4: ['AT', 'postcode', '+43512123456'],
      5: ['CH', 'postcodeTown', '+41441234567'],
      6: ['CH', 'postcodeTown', '+41811234567'],
      7: ['AT', 'postcode', '+43557212345'],
    });
  });
});
