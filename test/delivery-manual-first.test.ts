import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../src/clock.js';
import { deliveries, dunningLists } from '../src/db/schema.js';
import { queueDueDeliveries } from '../src/delivery/deliveries.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { completedList, record } from './helpers/results.js';
import { seedList } from './helpers/seed.js';
import { startSmtp, type TestSmtp } from './helpers/smtp.js';
import { serviceDeps } from './helpers/workbooks.js';
import { waitingForALock } from './helpers/db.js';

/**
 * A lead's manual send made before the scheduled sweep (`DELIVERY_CRON`) found the completed
 * list: the client's result address still gets the list, unless the manual send went to it.
 */
let t: TestContext;
let smtp: TestSmtp;
let admin: string;

beforeAll(async () => {
  smtp = await startSmtp();
  // The sweep runs only when a test calls it: once a year (1 January) by the schedule.
  t = await createTestContext({ SMTP_URL: smtp.url, DELIVERY_CRON: '0 0 1 1 *', DELIVERY_ATTEMPTS: '3', DELIVERY_RETRY_SECONDS: '0.2' });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
  // …and the one the workers run at their start is over before any list completes.
  await eventually(async () => !(await t.queues.get('maintenance').getJob('deliver-due-at-start')), 20_000, 'the sweep at start');
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

/** A client of its own (its own result address) with one completed list. */
async function completedListOf(code: string, resultEmail: string) {
  const clientId = await createClient(t, admin, { ...fastRules, code, name: `Kunde ${code}`, resultEmail });
  const agentId = (await t.userSession('agent', [clientId])).user.id;
  return { clientId, listId: await completedList(t, clientId, agentId, 1) };
}

const mailsTo = (address: string) => smtp.mails.filter((m) => m.to && !Array.isArray(m.to) && m.to.text.toLowerCase() === address.toLowerCase());
const roundsOf = (listId: string) => t.db.select().from(deliveries).where(eq(deliveries.listId, listId)).orderBy(deliveries.round);
const allSent = (listId: string, rounds: number) =>
  eventually(async () => {
    const rows = await roundsOf(listId);
    return rows.length === rounds && rows.every((r) => r.status === 'sent') ? rows : null;
  }, 20_000, `${rounds} rounds of ${listId} sent`);

describe('a manual send before the sweep', () => {
  it('to another address: the sweep still mails the client’s address, as the next round', async () => {
    const { listId } = await completedListOf('VORHER', 'ergebnis@vorher.example');
    const manual = await t.request('POST', `/api/lists/${listId}/deliveries`, { cookie: admin, body: { to: 'buchhaltung@vorher.example' } });
    expect([manual.status, manual.body.round, manual.body.manual]).toEqual([202, 1, true]);
    await allSent(listId, 1);

    expect((await queueDueDeliveries(serviceDeps(t))).created).toBe(1);
    const rows = await allSent(listId, 2);
    expect(rows[1]).toMatchObject({ round: 2, requestedBy: null, recipient: 'ergebnis@vorher.example' });
    expect(mailsTo('ergebnis@vorher.example')).toHaveLength(1);
    expect(mailsTo('buchhaltung@vorher.example')).toHaveLength(1);
    // The overview shows the client's own delivery; the next sweep makes no other.
    const view = await t.request('GET', `/api/lists/${listId}`, { cookie: admin });
    expect(view.body.delivery).toMatchObject({ status: 'sent', round: 2, manual: false, recipient: 'ergebnis@vorher.example' });
    expect((await queueDueDeliveries(serviceDeps(t))).created).toBe(0);
    expect(await roundsOf(listId)).toHaveLength(2);
  });

  it('to the client’s own address (written otherwise): no second, automatic mail', async () => {
    const { listId } = await completedListOf('SELBST', 'ergebnis@selbst.example');
    const manual = await t.request('POST', `/api/lists/${listId}/deliveries`, { cookie: admin, body: { to: 'Ergebnis@Selbst.example' } });
    expect(manual.status, JSON.stringify(manual.body)).toBe(202);
    await allSent(listId, 1);

    expect((await queueDueDeliveries(serviceDeps(t))).created).toBe(0);
    expect((await roundsOf(listId)).map((r) => [r.round, r.requestedBy !== null])).toEqual([[1, true]]);
    expect(mailsTo('ergebnis@selbst.example')).toHaveLength(1);
  });

  it('to the client’s address of then: a result address changed later does not mail the list again', async () => {
    const { clientId, listId } = await completedListOf('UMZUG', 'alt@umzug.example');
    expect((await t.request('POST', `/api/lists/${listId}/deliveries`, { cookie: admin, body: {} })).status).toBe(202);
    await allSent(listId, 1);
    const moved = await t.request('PATCH', `/api/clients/${clientId}`, { cookie: admin, body: { resultEmail: 'neu@umzug.example' } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);

    expect((await queueDueDeliveries(serviceDeps(t))).created).toBe(0);
    expect(mailsTo('neu@umzug.example')).toHaveLength(0);
    expect((await roundsOf(listId)).map((r) => [r.round, r.recipient])).toEqual([[1, 'alt@umzug.example']]);
  });

  it('to the client’s address before the list completed (no way through the API): the sweep mails the finished list all the same', async () => {
    const clientId = await createClient(t, admin, { ...fastRules, code: 'FRUEH', name: 'Kunde FRUEH', resultEmail: 'ergebnis@frueh.example' });
    const agentId = (await t.userSession('agent', [clientId])).user.id;
    const lead = (await t.userSession('lead', [clientId])).user.id;
    const { listId, cases } = await seedList(t, clientId, 1);
    // An interim list the client got while its calls went on: not the finished one.
    await t.db.insert(deliveries).values({ listId, round: 1, recipient: 'ergebnis@frueh.example', requestedBy: lead, status: 'sent', createdAt: t.clock.now() });
    (t.clock as ManualClock).advance(60_000);
    await record(t, cases[0]!.id, agentId, 1, t.clock.now().toISOString(), { outcome: 'paid', rightParty: true });
    expect((await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId)))[0]!.status).toBe('completed');

    expect((await queueDueDeliveries(serviceDeps(t))).created).toBe(1);
    const rows = await allSent(listId, 2);
    expect(rows[1]).toMatchObject({ round: 2, requestedBy: null, recipient: 'ergebnis@frueh.example' });
  });

  it('committed while the sweep inserts its round: the sweep skips the list, the next one mails the client', async () => {
    const { listId } = await completedListOf('GLEICH', 'ergebnis@gleich.example');
    const manual = await t.request('POST', `/api/lists/${listId}/deliveries`, { cookie: admin, body: { to: 'erste@gleich.example' } });
    expect(manual.status).toBe(202);
    await allSent(listId, 1);

    // A second manual send (round 2), not yet committed as the sweep picks the same number.
    const lead = (await t.userSession('lead')).user.id;
    let commit!: () => void;
    const committed = new Promise<void>((resolve) => (commit = resolve));
    let inserted!: () => void;
    const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
    const manualTx = t.db.transaction(async (tx) => {
      await tx.insert(deliveries).values({ listId, round: 2, recipient: 'zweite@gleich.example', requestedBy: lead });
      inserted();
      await committed;
    });
    await insertedYet;
    const sweep = queueDueDeliveries(serviceDeps(t));
    try {
      // The sweep waits for that transaction on the index `deliveries_list_round`.
      await eventually(() => waitingForALock(t.db, '%insert into "deliveries"%'), 10_000, 'the sweep waiting for the manual round');
    } finally {
      commit();
    }
    await manualTx;
    expect((await sweep).created).toBe(0);

    expect((await queueDueDeliveries(serviceDeps(t))).created).toBe(1);
    const rows = await allSent(listId, 3);
    expect(rows[2]).toMatchObject({ round: 3, requestedBy: null, recipient: 'ergebnis@gleich.example' });
    expect(mailsTo('ergebnis@gleich.example')).toHaveLength(1);
  });
});
