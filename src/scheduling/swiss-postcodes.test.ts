import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSwissPostcodeModule } from './data/generate-swiss-postcodes.js';
import {
  normalizeSwissPostcode,
  swissCantonForPostcode,
  swissLanguageForPostcode,
  swissPostcodeInfo,
} from './swiss-postcodes.js';

describe('Swiss postcodes', () => {
  // The spot checks of /work/shared/data/README.md, plus canton answers.
  it.each([
    ['1000', 'VD', ['fr'], 'plz4'], // Lausanne
    ['1700', 'FR', ['fr', 'de'], 'plz4'], // Fribourg, curated bilingual
    ['2500', 'BE', ['de', 'fr'], 'plz3'], // Biel/Bienne: no addresses, prefix 250
    ['3000', 'BE', ['de'], 'plz3'], // Bern PO boxes
    ['3011', 'BE', ['de'], 'plz4'],
    ['6900', 'TI', ['it'], 'plz4'], // Lugano
    ['7500', 'GR', ['de', 'rm'], 'plz4'], // St. Moritz
    ['7130', 'GR', ['de', 'rm'], 'plz4'], // Ilanz
    ['8001', 'ZH', ['de'], 'plz4'],
    ['8000', 'ZH', ['de'], 'plz3'], // Zürich large customers
    ['1200', 'GE', ['fr'], 'plz3'],
    ['1201', 'GE', ['fr'], 'plz4'],
    ['2800', 'JU', ['fr'], 'plz4'], // Delémont
    // The canton of the town the postcode is named after, not of a hamlet sharing it.
    ['1290', 'GE', ['fr'], 'plz4'], // Versoix
    ['6010', 'LU', ['de'], 'plz4'], // Kriens
    ['1534', 'VD', ['fr'], 'plz4'], // Sassel
  ])('%s → %s %j (%s)', (plz, canton, languages, match) => {
    expect(swissPostcodeInfo(plz)).toEqual({ canton, languages, match });
    expect(swissCantonForPostcode(plz)).toBe(canton);
    expect(swissLanguageForPostcode(plz)).toEqual(languages);
  });

  it.each([
    ['8001', '8001'],
    [' 8001 ', '8001'],
    ['CH-8001', '8001'],
    ['ch 8001', '8001'],
    ['CH8001', '8001'],
    ['0800', null],
    ['80011', null],
    ['D-80331', null],
    ['80 01', null],
    ['', null],
  ])('normalizes %j → %j', (input, expected) => {
    expect(normalizeSwissPostcode(input)).toBe(expected);
  });

  it.each(['9490', '9485', '9498', '0000', 'abc', null, undefined])('unknown or not Swiss: %j', (plz) => {
    expect(swissPostcodeInfo(plz)).toBeNull();
    expect(swissCantonForPostcode(plz)).toBeNull();
    expect(swissLanguageForPostcode(plz)).toBeNull();
  });

  it('returns copies, so callers cannot change the table', () => {
    swissLanguageForPostcode('8001')!.push('xx');
    expect(swissLanguageForPostcode('8001')).toEqual(['de']);
  });

  it('the generated module matches the copied CSVs (rerun data/generate-swiss-postcodes.ts)', () => {
    const read = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');
    expect(read('./swiss-postcodes.data.ts')).toBe(
      renderSwissPostcodeModule(read('./data/ch_plz_language.csv'), read('./data/ch_plz3_language_fallback.csv')),
    );
  });

  it('the generator refuses a malformed CSV', () => {
    expect(() => renderSwissPostcodeModule('plz,language,canton,locality\n80x1,de,ZH,Zürich\n', 'plz_prefix3,language,canton\n')).toThrow(
      /line 2: cannot read/,
    );
    expect(() => renderSwissPostcodeModule('postcode,lang\n', 'plz_prefix3,language,canton\n')).toThrow(/expected header/);
  });
});
