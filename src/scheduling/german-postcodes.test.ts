import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { postcodeRuns, renderGermanPostcodeModule, sourceRows } from './data/generate-german-postcodes.js';
import { germanStatesForPostcode, normalizeGermanPostcode } from './german-postcodes.js';

describe('German postcode → Land', () => {
  it.each([
    ['10115', ['BE']],
    ['80331', ['BY']],
    ['01067', ['SN']],
    ['99998', ['TH']],
    // Towns on the far side of their routing region's border (Deutsche Post's regions are not Länder).
    ['63739', ['BY']], // Aschaffenburg, in a Hessian region
    ['89231', ['BY']], // Neu-Ulm, in Ulm's region
    ['66482', ['RP']], // Zweibrücken, in the Saarland's region
    ['68519', ['HE']], // Viernheim, in Mannheim's region
    ['22844', ['SH']], // Norderstedt, in Hamburg's region
    ['21335', ['NI']], // Lüneburg
    ['27568', ['HB']], // Bremerhaven
    ['96515', ['TH']], // Sonneberg
    ['97877', ['BW']], // Wertheim
    ['88131', ['BY']], // Lindau
    // Postcodes whose localities lie in two Länder.
    ['21039', ['HH', 'SH']],
    ['89081', ['BW', 'BY']],
    ['63776', ['BY', 'HE']],
  ])('%s → %j', (plz, states) => {
    expect(germanStatesForPostcode(plz)).toEqual(states);
  });

  it('reads postcodes as lists write them', () => {
    expect(normalizeGermanPostcode(' D-80331 ')).toBe('80331');
    expect(normalizeGermanPostcode('DE 80331')).toBe('80331');
    expect(normalizeGermanPostcode('1067')).toBe('01067'); // Excel dropped the 0
    expect(germanStatesForPostcode('1067')).toEqual(['SN']);
    expect(germanStatesForPostcode('d-50667')).toEqual(['NW']);
  });

  it.each([null, undefined, '', 'unbekannt', '00999', '123', '123456', '8001 Zürich', 'A-1010'])('not a German postcode: %j', (plz) => {
    expect(germanStatesForPostcode(plz)).toBeNull();
  });

  it('a postcode the table does not list takes the Land of the nearest one below it', () => {
    // 80330 and 01001 (Dresden's PO boxes) are not in the table.
    expect(germanStatesForPostcode('80330')).toEqual(germanStatesForPostcode('80329'));
    expect(germanStatesForPostcode('01001')).toEqual(['SN']);
  });

  it('every postcode of the source answers its own Land or Länder', () => {
    const expected = new Map<number, Set<string>>();
    const rows = sourceRows();
    const code = (row: (typeof rows)[number]) => postcodeRuns([row])[0]!.split(' ')[1]!;
    for (const row of rows) expected.set(row.plz, (expected.get(row.plz) ?? new Set()).add(code(row)));
    expect(expected.size).toBeGreaterThan(8000);
    for (const [plz, states] of expected) {
      expect(germanStatesForPostcode(String(plz).padStart(5, '0')), String(plz)).toEqual([...states].sort());
    }
  });

  it('the generated module matches the package (rerun data/generate-german-postcodes.ts)', () => {
    expect(readFileSync(new URL('./german-postcodes.data.ts', import.meta.url), 'utf8')).toBe(renderGermanPostcodeModule(sourceRows()));
  });

  it('the generator refuses a Land or postcode it cannot read', () => {
    expect(() => postcodeRuns([{ plz: 80331, bundesland: 'Bavaria' }])).toThrow(/cannot read/);
    expect(() => postcodeRuns([{ plz: 999, bundesland: 'Bayern' }])).toThrow(/cannot read/);
  });
});
