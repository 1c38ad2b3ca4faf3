import { describe, expect, it } from 'vitest';
import { internationalOf } from '../src/dispatch/views.js';
// @ts-expect-error plain JS module of the browser UI, checked by `tsc -p web`
import { listedNumber } from '../web/js/agent/phone-list.js';

/**
 * The agent screen shows every number in its international form, grouped as its country writes
 * it, so that an agent dialling by hand from a German desk phone reaches the customer's country,
 * not Germany; the list's own writing follows where it differs.
 */
describe('internationalOf', () => {
  it.each([
    ['+41795551234', '+41 79 555 12 34'],
    ['+497211234567', '+49 721 1234567'],
    ['+4366412345678', '+43 664 12345678'],
    ['+390612345678', '+39 06 1234 5678'], // Italy keeps its 0
    ['+12125551234', '+1 212 555 1234'],
    ['+4237812345', '+423 781 23 45'],
  ])('%s → %s', (e164, shown) => {
    expect(internationalOf(e164)).toBe(shown);
  });

  it('leaves what it cannot read as it is', () => {
    expect(internationalOf('unbekannt')).toBe('unbekannt');
  });
});

describe('listedNumber', () => {
  it('is the list\'s writing where it reads differently, else nothing', () => {
    expect(listedNumber('+41795551234', '079 555 12 34')).toBe('079 555 12 34');
    expect(listedNumber('+41795551234', ' +41 79 555 12 34 ')).toBeNull();
    expect(listedNumber('+41795551234', '+41795551234')).toBeNull();
    expect(listedNumber('+41795551234', '')).toBeNull();
  });
});
