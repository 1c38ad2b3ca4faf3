import { describe, expect, it } from 'vitest';
import { swissCountryOf } from './swiss-towns.js';

describe('swissCountryOf', () => {
  it.each([
    ['8001', 'Zürich', 'CH'],
    ['8021', 'Zürich', 'CH'], // a PO-box postcode the directory lacks: its region's towns decide
    ['8010', 'Zürich', 'CH'],
    ['8910', 'Affoltern a.A.', 'CH'], // abbreviated: "Affoltern am Albis"
    ['9490', 'Vaduz', 'LI'],
    ['6850', 'Dornbirn', null], // Austria
    ['8010', 'Graz', null],
    ['1067', 'Dresden', null], // a German postcode without its 0
    ['8001', '', null],
  ])('%s %s → %s', (postcode, town, country) => {
    expect(swissCountryOf(postcode, town)).toBe(country);
  });
});
