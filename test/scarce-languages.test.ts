import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { users } from '../src/db/schema.js';
import { forgetSpeakers, scarceQueues } from '../src/dispatch/scarce-languages.js';
import { callQueueName } from '../src/queues/registry.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules, next } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

describe('scarceQueues', () => {
  const speakers = (counts: Record<string, number>) => (clientId: string, language: string) => counts[`${clientId}/${language}`] ?? 0;
  it('puts a bilingual agent\'s language spoken by fewer colleagues first, per client', () => {
    const agent = { callClientIds: ['a', 'b'], languages: ['de', 'fr'] };
    expect(scarceQueues(agent, speakers({ 'a/de': 9, 'a/fr': 2, 'b/de': 3, 'b/fr': 3 }))).toEqual([callQueueName('a', 'fr')]);
    expect(scarceQueues(agent, speakers({ 'a/de': 1, 'a/fr': 4, 'b/de': 2, 'b/fr': 5 }))).toEqual([callQueueName('a', 'de'), callQueueName('b', 'de')]);
  });
  it('prefers nothing for one language, or languages spoken alike', () => {
    expect(scarceQueues({ callClientIds: ['a'], languages: ['de'] }, speakers({ 'a/de': 1 }))).toEqual([]);
    expect(scarceQueues({ callClientIds: ['a'], languages: ['de', 'fr'] }, speakers({ 'a/de': 2, 'a/fr': 2 }))).toEqual([]);
  });
  it('orders three languages by how few speak them', () => {
    const agent = { callClientIds: ['a'], languages: ['de', 'fr', 'it'] };
    expect(scarceQueues(agent, speakers({ 'a/de': 8, 'a/fr': 3, 'a/it': 1 }))).toEqual([callQueueName('a', 'it'), callQueueName('a', 'fr')]);
  });
});

let t: TestContext;
let admin: string;
beforeAll(async () => {
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
});
afterAll(() => t?.close());

describe('a bilingual agent at the pull', () => {
  it('takes the case in the language few colleagues at work speak, before the longer-waiting common one', async () => {
    const clientId = await createClient(t, admin, { ...fastRules, languageRouting: 'strict' });
    await seedList(t, clientId, [{ language: 'de' }, { language: 'de' }]);
    const { cases: [french] } = await seedList(t, clientId, [{ language: 'fr', postalCode: '1204', country: 'CH' }]);
    const scores = new Map((await t.calls.ready.scores()).map((s) => [s.queue, s.readyAt]));
    // Taking turns alone, the German queue (ready first) would come first.
    expect(scores.get(callQueueName(clientId, 'de'))!).toBeLessThanOrEqual(scores.get(callQueueName(clientId, 'fr'))!);

    const bilingual = await t.userSession('agent', [clientId], { languages: ['de', 'fr'] });
    const german = await t.userSession('agent', [clientId], { languages: ['de'] });
    // Both at work (as after their first request).
    await t.db.update(users).set({ lastActiveAt: new Date() }).where(inArray(users.id, [bilingual.user.id, german.user.id]));
    forgetSpeakers(t.db);
    expect((await next(t, bilingual.cookie)).case.id).toBe(french!.id);
    expect((await next(t, german.cookie)).case.language).toBe('de');
  });

  it('takes turns as before when every colleague at work speaks both', async () => {
    const clientId = await createClient(t, admin, { ...fastRules, languageRouting: 'strict' });
    await seedList(t, clientId, [{ language: 'de' }]);
    await seedList(t, clientId, [{ language: 'fr', postalCode: '1204', country: 'CH' }]);
    const scores = new Map((await t.calls.ready.scores()).map((s) => [s.queue, s.readyAt]));
    const first = scores.get(callQueueName(clientId, 'de'))! <= scores.get(callQueueName(clientId, 'fr'))! ? 'de' : 'fr';
    const a = await t.userSession('agent', [clientId], { languages: ['de', 'fr'] });
    const b = await t.userSession('agent', [clientId], { languages: ['fr', 'de'] });
    await t.db.update(users).set({ lastActiveAt: new Date() }).where(inArray(users.id, [a.user.id, b.user.id]));
    forgetSpeakers(t.db);
    expect((await next(t, a.cookie)).case.language).toBe(first);
  });

  it('counts a colleague speaking German and Romansh (both served from German) once for German', async () => {
    const clientId = await createClient(t, admin, { ...fastRules, languageRouting: 'strict' });
    await seedList(t, clientId, [{ language: 'de' }]);
    await seedList(t, clientId, [{ language: 'fr', postalCode: '1204', country: 'CH' }]);
    const scores = new Map((await t.calls.ready.scores()).map((s) => [s.queue, s.readyAt]));
    expect(scores.get(callQueueName(clientId, 'de'))!).toBeLessThanOrEqual(scores.get(callQueueName(clientId, 'fr'))!);
    // German: the bilingual agent and one colleague; French: the bilingual agent and one colleague.
    const bilingual = await t.userSession('agent', [clientId], { languages: ['de', 'fr'] });
    const swiss = await t.userSession('agent', [clientId], { languages: ['de', 'rm'] });
    const french = await t.userSession('agent', [clientId], { languages: ['fr'] });
    await t.db.update(users).set({ lastActiveAt: new Date() }).where(inArray(users.id, [bilingual.user.id, swiss.user.id, french.user.id]));
    forgetSpeakers(t.db);
    // Alike, so the queues take turns (German first); counted twice, German would look common and French go first.
    expect((await next(t, bilingual.cookie)).case.language).toBe('de');
  });
});
