import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module of the browser UI, checked by `tsc -p web`
import { zonedToIsoWithOffset } from '../web/js/format.js';

/** The agent types a callback time meant in the client's zone, whatever the PC's zone is. */
describe('zonedToIsoWithOffset', () => {
  it.each([
    ['2026-11-27T15:30', 'Europe/Berlin', '2026-11-27T15:30:00+01:00'],
    ['2026-07-01T15:30', 'Europe/Berlin', '2026-07-01T15:30:00+02:00'],
    ['2026-03-29T03:30', 'Europe/Berlin', '2026-03-29T03:30:00+02:00'], // right after the spring switch
    ['2026-10-25T03:30', 'Europe/Berlin', '2026-10-25T03:30:00+01:00'], // right after the autumn switch
    ['2026-11-27T15:30', 'Europe/Zurich', '2026-11-27T15:30:00+01:00'],
    ['2026-11-27T15:30', 'America/New_York', '2026-11-27T15:30:00-05:00'],
    ['not a time', 'Europe/Berlin', null],
  ])('%s in %s → %s', (local, zone, expected) => {
    expect(zonedToIsoWithOffset(local, zone)).toBe(expected);
  });
});
