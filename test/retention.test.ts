import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { count, eq, sql } from 'drizzle-orm';
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../src/clock.js';
import { assignments, attempts, cases, deliveries, dials, dunningLists, rejectedRows } from '../src/db/schema.js';
import { callJobId } from '../src/queues/registry.js';
import { removeStaleTempFiles, sweepTempFiles } from '../src/lists/temp-file.js';
import { purgeExpiredLists } from '../src/retention/purge.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { caseIdsByCustomer, completedList, record, resultWorkbook } from './helpers/results.js';
import { seedList } from './helpers/seed.js';
import { serviceDeps, uploadAndImport } from './helpers/workbooks.js';

const DAY = 86_400_000;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mahn-retention-'));
let t: TestContext;
let clock: ManualClock;
let lead: string;
let admin: string;
let clientId: string;
let delivered: string;
let undelivered: string;
let running: string;

/** Attempts by outcome, right-party contacts and promises of the client: what the LE report counts. */
async function leCounts() {
  return t.db
    .select({
      outcome: attempts.outcome,
      n: count(),
      rightParty: sql<number>`count(*) filter (where ${attempts.rightParty})::int`,
      promised: sql<number>`coalesce(sum(${attempts.promiseAmountCents}), 0)::int`,
    })
    .from(attempts)
    .where(eq(attempts.clientId, clientId))
    .groupBy(attempts.outcome)
    .orderBy(attempts.outcome);
}

beforeAll(async () => {
  t = await createTestContext({ RETENTION_DAYS: '90', DATA_DIR: dataDir });
  clock = t.clock as ManualClock;
  admin = (await t.userSession('admin')).cookie;
  clientId = await createClient(t, admin, { ...fastRules, code: 'SWM', name: 'Stadtwerke Muster', resultEmail: 'forderung@swm.example' });
  lead = (await t.userSession('lead', [clientId])).cookie;
  const agentId = (await t.userSession('agent', [clientId])).user.id;

  delivered = (await uploadAndImport(t, lead, clientId, await resultWorkbook())).id;
  const ids = await caseIdsByCustomer(t, delivered);
  for (const [no, id] of ids) {
    await record(t, id, agentId, 1, clock.now().toISOString(), no === 'K-1'
      ? { outcome: 'promise_to_pay', rightParty: true, promise: { amountCents: 5000, date: '2026-12-15' }, note: 'Herr Weiß zahlt am 15.' }
      : { outcome: 'paid', rightParty: true, note: `Notiz zu ${no}` });
  }
  await t.db.insert(deliveries).values({ listId: delivered, round: 1, recipient: 'forderung@swm.example', status: 'sent', messageId: '<m1@x>', sentAt: new Date(clock.now().getTime() + 5 * DAY) });
  undelivered = await completedList(t, clientId, agentId, 2, 'refused');
  running = (await seedList(t, clientId, 2)).listId;
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('retention', () => {
  it('keeps everything until RETENTION_DAYS after delivery', async () => {
    clock.set(new Date(clock.now().getTime() + 5 * DAY + 89 * DAY));
    const before = await leCounts();
    const { purged } = await purgeExpiredLists(serviceDeps(t));
    // The undelivered list ended on day 0: its 90 days are over first.
    expect(purged).toEqual([undelivered]);
    const [c] = await t.db.select().from(cases).where(eq(cases.listId, delivered)).limit(1);
    expect(c!.name).not.toBe('');
    expect(await leCounts()).toEqual(before);
  });

  it('then deletes the personal data, keeps the counts, and refuses the result list with 410', async () => {
    const before = await leCounts();
    // A copy outside the database: an outcome never recorded (a poison job kept for an admin, the
    // agent's note in it). The outbox's mails: test/delivery-outbox.test.ts.
    const [held] = await t.db.select({ id: cases.id }).from(cases).where(eq(cases.listId, delivered)).limit(1);
    const [agent] = await t.db.select({ id: attempts.agentId }).from(attempts).where(eq(attempts.caseId, held!.id));
    const poison = { caseId: held!.id, attemptNo: 9, note: 'Herr Weiß zahlt nie' };
    const [poisoned] = await t.db
      .insert(assignments)
      .values({ caseId: held!.id, agentId: agent!.id!, attemptNo: 9, queue: 'q', jobId: 'j', lockToken: 't', assignedAt: clock.now(), expiresAt: clock.now(), endedAt: clock.now(), endReason: 'outcome', outcome: poison as never })
      .returning({ id: assignments.id });
    // The number dialled for it (a case has several).
    await t.db.insert(dials).values({ assignmentId: poisoned!.id, agentId: agent!.id!, at: clock.now(), mode: 'link', result: 'link', durationMs: 0, phoneE164: '+497211234567' });
    await t.queues.get('outcomes').add('outcome', poison as never, { jobId: callJobId(held!.id, 9), delay: 3_600_000 });
    // And one that failed after its attempt was recorded (its outbox cleared): the note is in it too.
    const late = { caseId: held!.id, attemptNo: 8, note: 'Herr Weiß zahlt später' };
    await t.queues.get('outcomes').add('outcome', late as never, { jobId: callJobId(held!.id, 8) });
    const taker = new Worker('outcomes', null, { connection: t.redis.duplicate({ maxRetriesPerRequest: null }), prefix: t.prefix, autorun: false });
    try {
      const job = await taker.getNextJob('w');
      expect(job?.id).toBe(callJobId(held!.id, 8));
      await job!.moveToFailed(new UnrecoverableError('permanent failure: test'), 'w');
    } finally {
      await taker.close();
    }

    clock.set(new Date(clock.now().getTime() + 2 * DAY));
    const { purged } = await purgeExpiredLists(serviceDeps(t));
    expect(purged).toEqual([delivered]);
    expect(await t.queues.get('outcomes').getJob(callJobId(held!.id, 9))).toBeUndefined();
    expect(await t.queues.get('outcomes').getJob(callJobId(held!.id, 8))).toBeUndefined();
    const kept = await t.db.select({ outcome: assignments.outcome }).from(assignments).where(eq(assignments.caseId, held!.id));
    expect(kept.map((a) => a.outcome)).toEqual([null]);

    const rows = await t.db.select().from(cases).where(eq(cases.listId, delivered));
    expect(rows).toHaveLength(7);
    for (const c of rows) {
      expect(c).toMatchObject({ customerNo: '', name: '', phoneRaw: '', phoneE164: '', phones: [], address: '', postalCode: null, extra: {}, source: null, status: 'closed' });
      expect(c.amountCents).toBeGreaterThan(0);
    }
    const notes = await t.db.select({ note: attempts.note, dialled: attempts.phoneE164 }).from(attempts).innerJoin(cases, eq(cases.id, attempts.caseId)).where(eq(cases.listId, delivered));
    expect(notes.length).toBe(7);
    expect(notes.every((n) => n.note === null && n.dialled === null)).toBe(true);
    const dialled = await t.db.select({ phone: dials.phoneE164 }).from(dials).innerJoin(assignments, eq(assignments.id, dials.assignmentId)).innerJoin(cases, eq(cases.id, assignments.caseId)).where(eq(cases.listId, delivered));
    expect(dialled).toEqual([{ phone: null }]);
    expect(await t.db.select().from(rejectedRows).where(eq(rejectedRows.listId, delivered))).toEqual([]);
    const [list] = await t.db.select().from(dunningLists).where(eq(dunningLists.id, delivered));
    expect(list!.report!.rejected).toEqual([expect.objectContaining({ row: 10, column: 'Mahnsumme', value: '' })]);
    expect(list!.report!.rejectedRows).toBe(1);
    // Ids and the file's hash are random hex: they may hold "0721" or "abc" by chance.
    const { id: _id, clientId: _client, fileSha256: _sha, importedBy: _by, ...shown } = list!;
    expect(JSON.stringify(shown)).not.toMatch(/Weiß|0721|"abc"/);

    // The LE counts are the same as before.
    expect(await leCounts()).toEqual(before);
    expect(before.find((r) => r.outcome === 'promise_to_pay')).toMatchObject({ n: 1, promised: 5000 });

    // Months passed: log in again.
    lead = (await t.userSession('lead', [clientId])).cookie;
    const view = await t.request('GET', `/api/lists/${delivered}`, { cookie: lead });
    expect(view.body.purgedAt).toBe(clock.now().toISOString());
    for (const ext of ['xlsx', 'csv']) {
      const res = await t.request('GET', `/api/lists/${delivered}/results.${ext}`, { cookie: lead });
      expect(res.status).toBe(410);
      expect(res.body.error.code).toBe('purged');
    }
    const resend = await t.request('POST', `/api/lists/${delivered}/deliveries`, { cookie: lead, body: {} });
    expect(resend.status).toBe(410);
  });

  it('never touches a running list, and records each deletion in the audit trail', async () => {
    clock.set(new Date(clock.now().getTime() + 400 * DAY));
    expect((await purgeExpiredLists(serviceDeps(t))).purged).toEqual([]);
    const [c] = await t.db.select().from(cases).where(eq(cases.listId, running)).limit(1);
    expect(c!.name).toMatch(/^Kunde/);
    admin = (await t.userSession('admin')).cookie;
    const audit = await t.request('GET', '/api/audit?actor=&limit=100', { cookie: admin });
    expect(audit.status).toBe(400); // an empty actor is not a filter
    const trail = await t.request('GET', `/api/audit?list=${delivered}`, { cookie: admin });
    expect(trail.body.filter((e: { action: string }) => e.action === 'list.purged')).toHaveLength(1);
  });
});

describe('temporary files of killed jobs', () => {
  it('deletes uploads and result lists a killed import or delivery left for more than a day, and nothing else', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mahn-tmp-'));
    try {
      const old = ['mahn-import-0b0e0c9a-5b8e-4a3c-9d1e-2f4a6b8c0d1e.xlsx', 'mahn-result-1b0e0c9a-5b8e-4a3c-9d1e-2f4a6b8c0d1e.xlsx'];
      const kept = ['mahn-import-2b0e0c9a-5b8e-4a3c-9d1e-2f4a6b8c0d1e.csv', 'other-0b0e0c9a-5b8e-4a3c-9d1e-2f4a6b8c0d1e.xlsx', 'mahn-notes.txt'];
      const now = new Date();
      const twoDaysAgo = new Date(now.getTime() - 2 * DAY);
      for (const name of [...old, ...kept]) writeFileSync(path.join(dir, name), 'Herr Weiß');
      // The first kept one is fresh (a job running now); the others are old but not ours.
      for (const name of [...old, ...kept.slice(1)]) utimesSync(path.join(dir, name), twoDaysAgo, twoDaysAgo);
      expect(await removeStaleTempFiles(now, DAY, dir)).toBe(2);
      expect(readdirSync(dir).sort()).toEqual([...kept].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are swept by every process at its start (each replica has its own temporary directory), saying how many', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mahn-tmp-'));
    const tmpdir = process.env.TMPDIR;
    process.env.TMPDIR = dir; // what os.tmpdir() answers
    try {
      const left = 'mahn-import-3b0e0c9a-5b8e-4a3c-9d1e-2f4a6b8c0d1e.xlsx';
      writeFileSync(path.join(dir, left), 'Herr Weiß');
      const now = new Date();
      utimesSync(path.join(dir, left), new Date(now.getTime() - 2 * DAY), new Date(now.getTime() - 2 * DAY));
      const logged: unknown[] = [];
      await sweepTempFiles({ info: (o: unknown) => void logged.push(o), warn: (o: unknown) => void logged.push(o) } as never);
      expect(readdirSync(dir)).toEqual([]);
      expect(logged).toEqual([{ removed: 1 }]);
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
