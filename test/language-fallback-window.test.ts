import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { cases } from '../src/db/schema.js';
import { fallbackCountsFrom } from '../src/dispatch/language-check.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, next, setTime, useFakeDate } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

let t: TestContext;
let admin: string;
beforeAll(async () => {
  useFakeDate('2026-11-25T10:00:00+01:00'); // a Wednesday
  t = await createTestContext({ LOCK_SECONDS: '600', SESSION_HOURS: '168' }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
});
afterAll(() => t?.close());

describe('the prefer fallback and a customer window shorter than it', () => {
  it('counts the wait from when the case first became callable, not from each day\'s window: it reaches a non-speaker', async () => {
    const clientId = await createClient(t, admin, { holidays: null }); // prefer, 60 minutes
    const { cases: [c] } = await seedList(t, clientId, [{ language: 'fr' }]);
    // The customer said (on an earlier call) "only 17:00–17:45 on weekdays": 45 minutes a day, less than the fallback.
    await t.db.update(cases).set({ preferredWindows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '17:00', to: '17:45' }] }).where(eq(cases.id, c!.id));
    const german = (await t.userSession('agent', [clientId], { languages: ['de'] })).cookie;
    try {
      setTime('2026-11-25T11:05:00+01:00'); // the fallback copy is due, the customer's window is not
      expect((await next(t, german)).assignment).toBeNull();
      // It was callable from 10:00 and no French speaker took it: at the window, the German agent gets it.
      setTime('2026-11-25T17:05:00+01:00');
      const got = await next(t, german);
      expect(got.case).toMatchObject({ id: c!.id, languageNote: 'Kunde spricht vermutlich Französisch' });
    } finally {
      setTime('2026-11-25T10:00:00+01:00');
    }
  });
});

describe('fallbackCountsFrom', () => {
  const since = '2026-11-24T16:00:00.000Z';
  it.each([
    ['a day of calling hours: from the slot (the speakers get the morning first)', { start: '2026-11-25T07:00:00.000Z', end: '2026-11-25T19:00:00.000Z', since }, '2026-11-25T07:00:00.000Z'],
    ['open-ended: from the slot', { start: '2026-11-25T07:00:00.000Z', end: null, since }, '2026-11-25T07:00:00.000Z'],
    ['45 minutes: from when the attempt first became callable', { start: '2026-11-25T16:00:00.000Z', end: '2026-11-25T16:45:00.000Z', since }, since],
    ['45 minutes, first slot: from it', { start: '2026-11-25T16:00:00.000Z', end: '2026-11-25T16:45:00.000Z' }, '2026-11-25T16:00:00.000Z'],
  ])('%s', (_name, slot, expected) => {
    expect(fallbackCountsFrom({ window: null, kind: 'first', ...slot }, 60).toISOString()).toBe(expected);
  });
});
