import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, clients, dunningLists, users } from '../src/db/schema.js';
import { caseQueue, personalQueue } from '../src/dispatch/case-state.js';
import { anyLanguageQueue, caseLanguages } from '../src/dispatch/routing.js';
import { defaultSchedulingSettings } from '../src/scheduling/settings.js';
import { createTestDatabase } from '../test/helpers/db.js';
import { openCaseQueues, personalQueues } from './open-case-queues.js';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

/** Open cases (language, second language) per client; each client also gets a closed case in Italian. */
const CLIENTS: Array<Array<[string, string | null]>> = [
  [['de', null], ['de', null], ['fr', 'de'], ['de', 'fr']],
  [['fr', null], ['it', 'fr'], ['rm', null], ['de', 'de']],
  [],
  // Italian only as the second language, after a row with the same first language.
  [['de', null], ['de', 'it']],
];

describe('the queues of the open cases (loose index scan)', () => {
  it('finds every language queue and any-language queue of the open cases, and nothing of closed ones', async () => {
    const db = t.database.db;
    const ids: string[] = [];
    for (const [i, open] of CLIENTS.entries()) {
      const [client] = await db.insert(clients).values({ code: `OQ${i}`, name: `Client ${i}`, settings: defaultSchedulingSettings }).returning({ id: clients.id });
      const [list] = await db.insert(dunningLists).values({ clientId: client!.id, name: 'l', fileName: 'l.xlsx', fileSha256: `sha${i}`, fileBytes: 1 }).returning({ id: dunningLists.id });
      const row = (n: number, language: string, secondLanguage: string | null, status: 'open' | 'closed') => ({
        listId: list!.id, clientId: client!.id, rowNumber: n, customerNo: `${i}-${n}`, name: 'N', phoneRaw: '0721 123456', phoneE164: '+49721123456', country: 'DE', amountCents: 100, language, secondLanguage, status,
      });
      await db.insert(cases).values([...open.map(([l, s], n) => row(n, l, s, 'open')), row(99, 'it', 'en', 'closed')]);
      ids.push(client!.id);
    }
    const found = await openCaseQueues(db);

    // What reading every open case gives, as the watch did before.
    const expected = new Set<string>();
    for (const c of await db.selectDistinct({ clientId: cases.clientId, language: cases.language, secondLanguage: cases.secondLanguage }).from(cases).where(eq(cases.status, 'open'))) {
      for (const language of caseLanguages(c)) expected.add(caseQueue({ clientId: c.clientId, language }));
      expected.add(anyLanguageQueue(c.clientId));
    }
    expect([...found].sort()).toEqual([...expected].sort());
    // And concretely: the first client's German and French queues, nothing of the third (no open case) or of the closed Italian one.
    expect(found).toContain(caseQueue({ clientId: ids[0]!, language: 'fr' }));
    expect(found).toContain(anyLanguageQueue(ids[1]!));
    expect(found).not.toContain(caseQueue({ clientId: ids[0]!, language: 'it' }));
    expect([...found].some((q) => q.includes(ids[2]!))).toBe(false);
    expect(found).toContain(caseQueue({ clientId: ids[3]!, language: 'it' }));
    expect(found.size).toBe(expected.size);
  });
});

describe('the personal-callback queues', () => {
  it('names one per agent, deactivated ones included, and none for leads', async () => {
    const db = t.database.db;
    const made = await db
      .insert(users)
      .values([
        { username: 'pq-anna', displayName: 'Anna', role: 'agent', passwordHash: 'x' },
        { username: 'pq-bert', displayName: 'Bert', role: 'agent', passwordHash: 'x', active: false },
        { username: 'pq-lena', displayName: 'Lena', role: 'lead', passwordHash: 'x' },
      ])
      .returning({ id: users.id, role: users.role });
    const found = await personalQueues(db);
    for (const u of made) expect(found.has(personalQueue(u.id))).toBe(u.role === 'agent');
  });
});
