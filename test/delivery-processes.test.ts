import { eq, inArray } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliveries, dunningLists } from '../src/db/schema.js';
import { deliveryJobId } from '../src/delivery/deliveries.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { startProcess, type TestProcess } from './helpers/processes.js';
import { completedList } from './helpers/results.js';
import { startSmtp, type TestSmtp } from './helpers/smtp.js';

/**
 * Delivery with real workers processes: two racing for the same lists, and one killed between
 * handing the mail to the server and recording it.
 */
let t: TestContext;
let smtp: TestSmtp;
let clientId: string;
let agentId: string;
const running: TestProcess[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestContext();
  const admin = (await t.userSession('admin')).cookie;
  clientId = await createClient(t, admin, { ...fastRules, code: 'SWM', name: 'Stadtwerke Muster', resultEmail: 'forderung@swm.example' });
  agentId = (await t.userSession('agent', [clientId])).user.id;
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

function workers(env: Record<string, string> = {}): TestProcess {
  const p = startProcess('workers/index.ts', {
    DATABASE_URL: t.config.DATABASE_URL!,
    REDIS_URL: t.config.redisUrl,
    QUEUE_PREFIX: t.prefix,
    SMTP_URL: smtp.url,
    DELIVERY_CRON: '* * * * * *',
    // A short delivery lock: a killed process's round is taken over within seconds.
    JOB_LOCK_SECONDS: '3',
    ...env,
  });
  running.push(p);
  return p;
}

async function namedList(name: string): Promise<string> {
  const listId = await completedList(t, clientId, agentId, 2);
  await t.db.update(dunningLists).set({ name }).where(eq(dunningLists.id, listId));
  return listId;
}

const mailsFor = (name: string) => smtp.mails.filter((m) => m.subject?.startsWith(`Ergebnisliste ${name} –`)).length;

describe('delivery with several workers processes', () => {
  it('two processes sweeping every second send each completed list exactly once', async () => {
    const names = ['Race A', 'Race B', 'Race C', 'Race D'];
    const ids: string[] = [];
    for (const name of names) ids.push(await namedList(name));
    const [a, b] = [workers(), workers()];
    await eventually(async () => {
      const rows = await t.db.select().from(deliveries).where(inArray(deliveries.listId, ids));
      return rows.length === 4 && rows.every((r) => r.status === 'sent');
    }, 45_000, `4 deliveries sent (workers said: ${a.output()}${b.output()})`);
    // Let both processes sweep a few more times before counting.
    const maintenance = t.queues.get('maintenance');
    const sweeps = (await maintenance.getJobCounts('completed')).completed ?? 0;
    await eventually(async () => ((await maintenance.getJobCounts('completed')).completed ?? 0) >= sweeps + 4, 20_000, 'four more sweeps');
    expect(names.map(mailsFor)).toEqual([1, 1, 1, 1]);
    expect((await t.db.select().from(deliveries).where(inArray(deliveries.listId, ids))).map((r) => r.round)).toEqual([1, 1, 1, 1]);
  }, 90_000);

  it('a process killed while it wrote the result list, before its claim, leaves the round to the next process, which sends it once', async () => {
    const listId = await namedList('Beim Schreiben');
    const crashing = workers({ FAILPOINT: 'delivery.afterWrite' });
    expect((await crashing.exited).signal).toBe('SIGKILL');
    expect(mailsFor('Beim Schreiben')).toBe(0);
    const [unclaimed] = await t.db.select().from(deliveries).where(eq(deliveries.listId, listId));
    expect(unclaimed).toMatchObject({ status: 'pending', tries: 1 });

    const next = workers();
    await eventually(async () => {
      const rows = await t.db.select().from(deliveries).where(eq(deliveries.listId, listId));
      return rows[0]?.status === 'sent' ? rows : null;
    }, 45_000, `the round sent by the next process (${next.output()})`);
    expect(mailsFor('Beim Schreiben')).toBe(1);
  }, 90_000);

  it('a process killed after sending, before recording, leaves the delivery "unknown" and sends no second mail', async () => {
    const listId = await namedList('Absturz');
    const crashing = workers({ FAILPOINT: 'delivery.afterSend' });
    expect((await crashing.exited).signal).toBe('SIGKILL');
    expect(mailsFor('Absturz')).toBe(1);
    const [claimed] = await t.db.select().from(deliveries).where(eq(deliveries.listId, listId));
    expect(claimed).toMatchObject({ status: 'sending', messageId: null });

    const next = workers();
    const [row] = await eventually(async () => {
      const rows = await t.db.select().from(deliveries).where(eq(deliveries.listId, listId));
      return rows[0]?.status === 'unknown' ? rows : null;
    }, 45_000, `the interrupted delivery marked unknown (${next.output()})`);
    expect(row!.lastError).toMatch(/may or may not have left/);
    // Its job is done: nothing will send it again by itself.
    await eventually(async () => (await t.queues.get('delivery').getJob(deliveryJobId(row!.id)))?.isCompleted(), 20_000, 'the delivery job completed');
    expect(mailsFor('Absturz')).toBe(1);
  }, 90_000);
});
