import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { endAssignment } from '../src/dispatch/assignment-end.js';
import { queueOutcome } from '../src/dispatch/outcome.js';
import { isPermanentFailure, POISON_PREFIX } from '../src/queues/poison.js';
import { retryFailedOutcomes } from '../workers/maintenance.js';
import { loginAs, startUi } from './helpers/browser.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules, next } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { seedList } from './helpers/seed.js';

const METRICS_TOKEN = 'scrape-token-poison-0123456789';
let t: TestContext;
let admin: string;

let ui: Awaited<ReturnType<typeof startUi>>;

beforeAll(async () => {
  t = await createTestContext({ METRICS_TOKEN }, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
  ui = await startUi(t);
});
afterAll(async () => {
  await ui?.close();
  await t?.close();
});

describe('poison jobs', () => {
  it('an outcome PostgreSQL refuses stops after one try, is not retried by maintenance, is listed and counted for admins and shown to the lead', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { listId, cases: [seeded] } = await seedList(t, clientId, 1);
    const { cookie, user } = await t.userSession('agent', [clientId]);
    const a = await next(t, cookie);
    // A body the API would refuse today (no such date), as an older version or a bug could have queued it.
    const outcome = {
      assignmentId: a.assignment.id,
      caseId: seeded!.id,
      attemptNo: 1,
      agentId: user.id,
      recordedAt: new Date().toISOString(),
      body: { outcome: 'promise_to_pay', promise: { amountCents: 5000, date: '2027-02-30' } },
    };
    expect(await endAssignment(t.db, a.assignment.id, 'outcome', new Date(), outcome)).toBe(true);
    await queueOutcome(t.deps, outcome);

    const job = await eventually(async () => {
      const outcomes = t.queues.get('outcomes');
      // The job read after its state: read before, it may show the hash as it was before the failing script ran.
      return (await outcomes.getJobState(`${seeded!.id}-a1`)) === 'failed' ? outcomes.getJob(`${seeded!.id}-a1`) : null;
    }, 20_000, 'the outcome job failed');
    expect(job!.attemptsMade).toBe(1); // of 20: not retried for days
    expect(job!.failedReason).toMatch(new RegExp(`^${POISON_PREFIX}`));
    expect(job!.failedReason).not.toContain('2027-02-30');
    expect(await retryFailedOutcomes(t.runtime)).toBe(0);
    expect(await job!.getState()).toBe('failed');

    const listed = await t.request('GET', '/api/admin/failed-jobs', { cookie: admin });
    expect(listed.status).toBe(200);
    expect(listed.body).toContainEqual(expect.objectContaining({ queue: 'outcomes', jobId: `${seeded!.id}-a1`, caseId: seeded!.id, permanent: true, tries: 1 }));
    expect(JSON.stringify(listed.body)).not.toContain('2027-02-30');
    const metrics = await t.request('GET', '/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(metrics.body).toMatch(/^mahn_failed_jobs\{queue="outcomes"\} 1$/m);

    // The lead sees it on the list page: the outcome was not stored, the case stays open.
    const { user: lead, cookie: leadCookie } = await t.userSession('lead', [clientId]);
    const progress = await t.request('GET', `/api/lists/${listId}/progress`, { cookie: leadCookie });
    expect(progress.body.failedJobs).toEqual([expect.objectContaining({ queue: 'outcomes', caseId: seeded!.id, permanent: true, customerNo: seeded!.customerNo, customerName: seeded!.name })]);
    const { page, errors } = await ui.newPage();
    await loginAs(page, lead.username);
    await page.goto(`/#/liste/${listId}`);
    const shown = page.getByTestId('failed-jobs');
    await shown.waitFor();
    // Named as the lead finds the case, not by its id; what it means in German before the system's reason.
    const text = await shown.textContent();
    expect(text).toContain(`Ein Anrufergebnis konnte nicht gespeichert werden: Kunde ${seeded!.name} (Kd.-Nr. ${seeded!.customerNo}).`);
    expect(text).not.toContain(seeded!.id);
    expect(text).toMatch(/Das Ergebnis ist nicht gespeichert, der Fall bleibt offen\. Ein erneuter Versuch hilft nicht\. Bitte einen Administrator informieren: Er sieht den Auftrag in der Warteschlangen-Übersicht \(\/admin\/queues, Warteschlange „outcomes“, fehlgeschlagen\)\.Meldung des Systems: permanent failure: /);
    expect(errors).toEqual([]);
  });

  it('tells permanent failures (the data refused) from transient ones (the database away)', () => {
    const pg = (code: string) => Object.assign(new Error('db'), { code });
    expect(isPermanentFailure(pg('22008'))).toBe(true); // date/time field out of range
    expect(isPermanentFailure(pg('23503'))).toBe(true); // the row it points at is gone
    expect(isPermanentFailure(new TypeError('x is undefined'))).toBe(true);
    expect(isPermanentFailure(pg('57P01'))).toBe(false); // admin shutdown
    expect(isPermanentFailure(pg('08006'))).toBe(false); // connection failure
    expect(isPermanentFailure(pg('40P01'))).toBe(false); // deadlock
    expect(isPermanentFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isPermanentFailure(new Error('Connection terminated unexpectedly'))).toBe(false);
  });
});
