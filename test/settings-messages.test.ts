import { describe, expect, it } from 'vitest';
import { ClientCreateSchema } from '../src/clients/clients.schemas.js';
import { defaultSchedulingSettings, schedulingSettingsSchema } from '../src/scheduling/settings.js';
// @ts-expect-error plain JS module of the browser UI, checked by `tsc -p web`
import { germanSettingsMessage } from '../web/js/client-settings/german-messages.js';

const weekdays = (hours: string[][]) => Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, hours]));

/** Inputs that produce every message the settings' validation has (see src/scheduling/settings.ts). */
const INVALID: unknown[] = [
  { windows: { evening: ['17:00', '21:00'] } },
  { windows: { early: ['07:00', '09:00'] } },
  { windows: { night: ['21:00', '23:00'] } },
  { callingHours: { ...weekdays([['08:00', '12:00'], ['13:00', '18:00']]), sat: [] }, windows: { lunch: ['11:00', '14:00'] } },
  { windows: { morning: ['8:00', '12:00'] } },
  { callingHours: { mon: [['20:00', '08:00']] } },
  { callingHours: { mon: [['08:00', '13:00'], ['12:00', '14:00']] } },
  { callingHours: { monday: [['08:00', '20:00']] } },
  { callingHours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, []])) },
  { windows: {} },
  { windows: Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`w${i}`, ['09:00', '10:00']])) },
  { windows: { 'late evening': ['18:00', '20:00'] } },
  { timezone: 'Europe/Berln' },
  { holidays: { country: 'de' } },
  { holidays: { country: 'XX' } },
  { holidays: { country: 'DE', state: 'BA' } },
  { holidays: { country: 'DE', state: 'b' } },
  { maxAttempts: 0 },
  { retryDelaySeconds: 0 },
  { personalCallbackGraceMinutes: -1 },
  { defaultLanguage: 'German' },
  { defaultCountry: 'de' },
  { retryStrategy: 'fast' },
  { languageRouting: 'always' },
  {
    outcomes: [
      { code: 'paid', label: 'Bezahlt', effect: 'close' },
      { code: 'paid', label: 'Nochmal', effect: 'close' },
      { code: 'max_attempts', label: 'Max', effect: 'close' },
    ],
  },
  { outcomes: [{ code: 'Paid!', label: ' ', effect: 'closes' }] },
  { outcomes: [{ code: 'paid', label: 'x'.repeat(81), effect: 'close' }] },
  { callingHours: { mon: Array.from({ length: 13 }, (_, i) => [`${String(i + 8).padStart(2, '0')}:00`, `${String(i + 8).padStart(2, '0')}:30`]) } },
  { outcomes: [] },
  { outcomes: Array.from({ length: 51 }, (_, i) => ({ code: `o${i}`, label: `O${i}`, effect: 'close' })) },
  { learningDays: 3 },
];

describe('the lead reads the server\'s settings messages in German', () => {
  const messages = new Set<string>();
  for (const input of INVALID) {
    const result = schedulingSettingsSchema.safeParse({ ...defaultSchedulingSettings, ...(input as object) });
    for (const issue of result.error?.issues ?? []) messages.add(issue.message);
  }
  const client = ClientCreateSchema.safeParse({ code: 'A B', name: '', resultEmail: 'nicht-mail' });
  for (const issue of client.error?.issues ?? []) messages.add(issue.message);

  it('the inputs produce many distinct messages', () => {
    expect(messages.size).toBeGreaterThan(25);
  });

  it.each([...messages])('%s', (message) => {
    const german: string = germanSettingsMessage(message);
    expect(german).not.toBe(message);
    // What the lead typed (times, a code or name the message starts with) survives the translation.
    for (const typed of [...(message.match(/\d{1,2}:\d{2}/g) ?? []), ...(/^"([^"]*)"/.exec(message)?.slice(1) ?? [])]) expect(german).toContain(typed);
  });
});

describe('the do-not-call list\'s refusal (src/clients/clients.service.ts, after "doNotCall: ")', () => {
  it.each([
    ['not a valid phone number: keine Nummer', 'Keine gültige Telefonnummer: keine Nummer'],
    ['not a valid phone number: 0721, abc, 12', 'Keine gültigen Telefonnummern: 0721, abc, 12'],
  ])('%s', (message, german) => {
    expect(germanSettingsMessage(message)).toBe(german);
  });
});
