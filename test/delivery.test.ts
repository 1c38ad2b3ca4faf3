import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../src/clock.js';
import { deliveries, dunningLists } from '../src/db/schema.js';
import { deliveryJobId, queueDueDeliveries, requestDelivery } from '../src/delivery/deliveries.js';
import { deliver } from '../src/delivery/deliver.js';
import { createMailer } from '../src/delivery/mailer.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { completedList, readXlsx } from './helpers/results.js';
import { seedList } from './helpers/seed.js';
import { startSmtp, type TestSmtp } from './helpers/smtp.js';
import { serviceDeps } from './helpers/workbooks.js';

let t: TestContext;
let smtp: TestSmtp;
let admin: string;
let lead: string;
let agentId: string;
let clientId: string;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestContext({ SMTP_URL: smtp.url, MAIL_FROM: 'Mahnanrufe <mahn@callcenter.example>', DELIVERY_ATTEMPTS: '3', DELIVERY_RETRY_SECONDS: '0.2' });
  admin = (await t.userSession('admin')).cookie;
  clientId = await createClient(t, admin, { ...fastRules, code: 'SWM', name: 'Stadtwerke Muster', resultEmail: 'forderung@swm.example' });
  lead = (await t.userSession('lead', [clientId])).cookie;
  agentId = (await t.userSession('agent', [clientId])).user.id;
  await t.runWorkers();
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const mailsTo = (address: string) => smtp.mails.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === address);
const deliveryOf = async (listId: string) => (await t.db.select().from(deliveries).where(eq(deliveries.listId, listId)).orderBy(deliveries.round));
const settled = (listId: string, status: string, rounds = 1) =>
  eventually(async () => {
    const rows = await deliveryOf(listId);
    return rows.length === rounds && rows.at(-1)!.status === status ? rows : null;
  }, 20_000, `delivery of ${listId} ${status}`);

describe('result-list delivery', () => {
  it('mails a completed list once, with the result list attached and the counts in German, and records the message id', async () => {
    const listId = await completedList(t, clientId, agentId, 3);
    await t.db.update(dunningLists).set({ name: 'Mahnlauf Dezember' }).where(eq(dunningLists.id, listId));
    // The sweep the workers ran at their start may have found it first: either way, one round.
    await queueDueDeliveries(serviceDeps(t));
    const [row] = await settled(listId, 'sent');
    const mails = smtp.mails.filter((m) => m.subject === 'Ergebnisliste Mahnlauf Dezember – Stadtwerke Muster');
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(row).toMatchObject({ round: 1, recipient: 'forderung@swm.example', tries: 1, requestedBy: null, lastError: null, messageId: mail.messageId });
    expect(mail.from?.value[0]).toMatchObject({ name: 'Mahnanrufe', address: 'mahn@callcenter.example' });
    expect(mail.text).toContain('3 Fälle, Ergebnisse:');
    expect(mail.text).toContain('Erledigt – bezahlt: 3');
    expect(mail.attachments).toHaveLength(1);
    const file = mail.attachments[0]!;
    expect(file.filename).toBe('Ergebnisliste_SWM_Mahnlauf-Dezember_2026-11-25.xlsx');
    const attached = await readXlsx(file.content);
    const res = await t.app.fetch(new Request(`http://localhost/api/lists/${listId}/results.xlsx`, { headers: { cookie: lead } }));
    expect(attached).toEqual(await readXlsx(new Uint8Array(await res.arrayBuffer())));
    expect(attached.get('Ergebnisliste')!.slice(1).map((r) => r.at(-11))).toEqual(['paid', 'paid', 'paid']);

    // The next sweeps find it delivered: no second mail.
    await queueDueDeliveries(serviceDeps(t));
    await queueDueDeliveries(serviceDeps(t));
    expect(await deliveryOf(listId)).toHaveLength(1);
    const view = await t.request('GET', `/api/lists/${listId}`, { cookie: lead });
    expect(view.body.delivery).toMatchObject({ status: 'sent', round: 1, manual: false, messageId: mail.messageId, recipient: 'forderung@swm.example' });
  });

  it('mails only the lists completed since the client has an address: those before were the lead\'s to download', async () => {
    const quiet = await createClient(t, admin, { ...fastRules, code: 'SPAET', name: 'Spätwerke' });
    const before = await completedList(t, quiet, agentId, 1);
    (t.clock as ManualClock).advance(60_000);
    expect((await t.request('PATCH', `/api/clients/${quiet}`, { cookie: admin, body: { resultEmail: 'neu@spaet.example' } })).status).toBe(200);
    (t.clock as ManualClock).advance(60_000);
    const after = await completedList(t, quiet, agentId, 1);
    (t.clock as ManualClock).advance(60_000);
    // Another address before the sweep keeps the time: the list completed under the first is mailed, to the new one.
    expect((await t.request('PATCH', `/api/clients/${quiet}`, { cookie: admin, body: { resultEmail: 'ergebnis@spaet.example' } })).status).toBe(200);
    await queueDueDeliveries(serviceDeps(t));
    await settled(after, 'sent');
    expect(await deliveryOf(before)).toEqual([]);
    expect(mailsTo('ergebnis@spaet.example')).toHaveLength(1);
  });

  it('retries an SMTP refusal with backoff and sends one mail', async () => {
    const listId = await completedList(t, clientId, agentId, 2);
    smtp.refuseNext(2, 451, 'Mailbox busy, try later');
    const refusedBefore = smtp.refused;
    const before = mailsTo('forderung@swm.example').length;
    await queueDueDeliveries(serviceDeps(t));
    const [row] = await settled(listId, 'sent');
    expect(smtp.refused - refusedBefore).toBe(2);
    expect(row).toMatchObject({ tries: 3, lastError: null });
    expect(mailsTo('forderung@swm.example').length - before).toBe(1);
  });

  it('gives up after its tries and shows the server’s answer', async () => {
    const listId = await completedList(t, clientId, agentId, 1);
    smtp.refuseNext(3, 550, 'No such mailbox here');
    await queueDueDeliveries(serviceDeps(t));
    const [row] = await settled(listId, 'failed');
    expect(row!.tries).toBe(3);
    expect(row!.lastError).toMatch(/550.*No such mailbox here/);
    const res = await t.request('GET', `/api/lists/${listId}/deliveries`, { cookie: lead });
    expect(res.body[0]).toMatchObject({ status: 'failed', lastError: expect.stringContaining('550') });
  });

  it('sends again by hand, also to another address, as the next round', async () => {
    const listId = await completedList(t, clientId, agentId, 1);
    await queueDueDeliveries(serviceDeps(t));
    await settled(listId, 'sent');
    // Another address sends customer data elsewhere: admins only.
    expect((await t.request('POST', `/api/lists/${listId}/deliveries`, { cookie: lead, body: { to: 'buchhaltung@swm.example' } })).status).toBe(403);
    const res = await t.request('POST', `/api/lists/${listId}/deliveries`, { cookie: admin, body: { to: 'buchhaltung@swm.example' } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ round: 2, manual: true, recipient: 'buchhaltung@swm.example' });
    const rows = await settled(listId, 'sent', 2);
    expect(rows[1]!.requestedBy).not.toBeNull();
    expect(mailsTo('buchhaltung@swm.example').length).toBeGreaterThanOrEqual(1);
    const again = await t.request('POST', `/api/lists/${listId}/deliveries`, { cookie: lead, body: {} });
    expect([again.status, again.body.round, again.body.recipient]).toEqual([202, 3, 'forderung@swm.example']);
    const bad = await t.request('POST', `/api/lists/${listId}/deliveries`, { cookie: admin, body: { to: 'kein-mail' } });
    expect(bad.status).toBe(400);
  });

  it('a round asked for while Redis is away is stored and answered 202, and the sweep sends it once (no 503 that would make the lead ask twice)', async () => {
    const listId = await completedList(t, clientId, agentId, 1);
    await queueDueDeliveries(serviceDeps(t));
    await settled(listId, 'sent');
    const queue = t.queues.get('delivery');
    const add = queue.add.bind(queue);
    queue.add = () => Promise.reject(new Error('Connection is closed.'));
    let res;
    try {
      res = await t.request('POST', `/api/lists/${listId}/deliveries`, { cookie: admin, body: { to: 'einmal@swm.example' } });
    } finally {
      queue.add = add;
    }
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect((await deliveryOf(listId)).map((r) => [r.round, r.status])).toEqual([[1, 'sent'], [2, 'pending']]);
    await queueDueDeliveries(serviceDeps(t));
    await settled(listId, 'sent', 2);
    expect(mailsTo('einmal@swm.example')).toHaveLength(1);
  });

  it('needs an address: a client without one gets no automatic mail, the lead sends to one or downloads', async () => {
    const silent = await createClient(t, admin, { ...fastRules, name: 'Ohne Adresse' });
    const silentLead = (await t.userSession('lead', [silent])).cookie;
    const silentAgent = (await t.userSession('agent', [silent])).user.id;
    const listId = await completedList(t, silent, silentAgent, 1);
    await queueDueDeliveries(serviceDeps(t));
    expect(await deliveryOf(listId)).toHaveLength(0);
    const refused = await t.request('POST', `/api/lists/${listId}/deliveries`, { cookie: silentLead, body: {} });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('no_recipient');
    const sent = await t.request('POST', `/api/lists/${listId}/deliveries`, { cookie: admin, body: { to: 'chef@ohne.example' } });
    expect(sent.status).toBe(202);
    await settled(listId, 'sent');
  });

  it('claims a round in PostgreSQL before sending: runs racing for the same round send one mail', async () => {
    const listId = await completedList(t, clientId, agentId, 1);
    const { id } = await requestDelivery(serviceDeps(t), listId, agentId, 'race@swm.example');
    const mailer = createMailer(t.config);
    const runs = await Promise.all(Array.from({ length: 4 }, () => deliver({ ...serviceDeps(t), mailer }, id, { finalTry: false })));
    mailer.close();
    expect(runs.filter((r) => r === 'sent')).toHaveLength(1);
    await settled(listId, 'sent');
    expect(mailsTo('race@swm.example')).toHaveLength(1);
  });

  it('queues a round again whose job ran its course without sending it (as when PostgreSQL was away for all its tries)', async () => {
    // A client without a result address: no sweep makes a round of its own for the list.
    const quiet = await createClient(t, admin, { ...fastRules, name: 'Nachzügler' });
    const listId = await completedList(t, quiet, (await t.userSession('agent', [quiet])).user.id, 1);
    // The round's job ran and ended without claiming it (here: it named no round to send)…
    const id = randomUUID();
    await t.queues.get('delivery').add('deliver', { deliveryId: '00000000-0000-4000-8000-00000000dead' }, { jobId: deliveryJobId(id) });
    await eventually(async () => (await t.queues.get('delivery').getJob(deliveryJobId(id)))?.isCompleted(), 20_000, 'the job done');
    // …and the round is still to be sent.
    await t.db.insert(deliveries).values({ id, listId, round: 1, recipient: 'nachgeholt@swm.example' });

    await queueDueDeliveries(serviceDeps(t));
    await settled(listId, 'sent');
    expect(mailsTo('nachgeholt@swm.example')).toHaveLength(1);
  });

  it('gives a round up when its tries ran out without an answer (each stopped while the list was written)', async () => {
    const quiet = await createClient(t, admin, { ...fastRules, name: 'Absturzliste' });
    const listId = await completedList(t, quiet, (await t.userSession('agent', [quiet])).user.id, 1);
    // Twice DELIVERY_ATTEMPTS (3 here) tries started and never came back.
    const [round] = await t.db.insert(deliveries).values({ listId, round: 1, recipient: 'nie@swm.example', tries: 6 }).returning();
    const mailer = createMailer(t.config);
    expect(await deliver({ ...serviceDeps(t), mailer }, round!.id, { finalTry: false })).toBe('failed');
    mailer.close();
    expect((await deliveryOf(listId))[0]).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/stopped while the result list was written/) });
    expect(mailsTo('nie@swm.example')).toHaveLength(0);
  });

  it('does not mail a running list', async () => {
    const { listId } = await seedList(t, clientId, 1);
    const res = await t.request('POST', `/api/lists/${listId}/deliveries`, { cookie: lead, body: {} });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('list_running');
    expect(await deliveryOf(listId)).toHaveLength(0);
  });
});
