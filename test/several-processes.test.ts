import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { deliveries } from '../src/db/schema.js';
import { agents, client, freePort, importList, overlappingAssignments, services, team, verifyNothingLost } from './helpers/crash-harness.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { eventually } from './helpers/eventually.js';
import { startSmtp, type TestSmtp } from './helpers/smtp.js';

/**
 * Several processes on one Redis and one PostgreSQL: two API and two workers processes (real
 * child processes). Agents send every request to the other API than the one before; one workers
 * process is SIGKILLed mid-run and not restarted. The list is worked to its end with nothing lost
 * or doubled, its result list is mailed once, and the job schedulers run once per period, not
 * once per process.
 */
let t: TestContext;
let smtp: TestSmtp;
let first: ReturnType<typeof services>;
let second: ReturnType<typeof services>;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestContext({}, { clock: systemClock });
  const env = { SMTP_URL: smtp.url, DELIVERY_CRON: '* * * * * *' };
  first = services(t, await freePort(), env);
  second = services(t, await freePort(), env);
  await Promise.all([first.workers.start(), second.workers.start()]);
  await Promise.all([first.api.start(), second.api.start()]);
}, 120_000);
afterAll(async () => {
  for (const s of [first, second]) await Promise.all([s?.api.stop(), s?.workers.stop()]);
  await t?.close();
  await smtp?.close();
});

describe('two API and two workers processes', () => {
  it('work a list to its end through either API, survive a workers process killed, mail the result once and run each schedule once', async () => {
    const { clientId, lead, cookies } = await team(t, 8, { maxAttempts: 2, code: 'MPR', name: 'Mehrprozess', resultEmail: 'ergebnis@mpr.example' });

    // Every request goes to the other API than the one before: nothing may live in one process.
    const apis = [client(first.base), client(second.base)];
    const served = [0, 0];
    let turn = 0;
    const call: ReturnType<typeof client> = (...args) => {
      const k = turn++ % 2;
      served[k]!++;
      return apis[k]!(...args);
    };

    const { listId, status } = await importList(t, call, lead, clientId, 60, 'Mehrprozess', 'MP');

    const run = agents(call, cookies, async () => (await status()) === 'completed');
    await eventually(async () => run.accepted.length >= 20, 60_000, 'outcomes flowing');
    first.workers.proc!.proc.kill('SIGKILL'); // not restarted: the other one carries on
    await run.finish(180_000, 'the list worked to its end by the remaining processes');

    await verifyNothingLost(t, listId, run.accepted);
    expect(await overlappingAssignments(t, listId)).toEqual([]);
    expect(Math.min(...served)).toBeGreaterThan(50);

    // Mailed once, however many sweeps both processes ran.
    const mails = () => smtp.mails.filter((m) => m.subject?.startsWith('Ergebnisliste Mehrprozess –')).length;
    await eventually(async () => mails() === 1, 60_000, 'the result list mailed');
    const maintenance = t.queues.get('maintenance');
    const sweeps = async () => (await maintenance.getJobs(['completed'], 0, -1)).filter((j) => j.name === 'deliver-due' && j.id?.startsWith('repeat:'));
    const firstSeen = new Set((await sweeps()).map((j) => j.id));
    await eventually(async () => (await sweeps()).filter((j) => !firstSeen.has(j.id)).length >= 4, 30_000, 'four more sweeps');
    expect(mails()).toBe(1);
    expect((await t.db.select().from(deliveries).where(eq(deliveries.listId, listId))).map((d) => d.status)).toEqual(['sent']);

    // One scheduler per task, whichever process upserted it; a sweep per second, not one per process.
    const schedulers = (await maintenance.getJobSchedulers()).map((s) => s.key).sort();
    expect(schedulers).toEqual([...new Set(schedulers)]);
    expect(schedulers).toHaveLength(5);
    // A scheduled sweep's id ends with its due time: one job per second, never two for the same one.
    const due = (await sweeps()).map((j) => Number(/:(\d+)$/.exec(j.id!)![1])).sort((a, b) => a - b);
    expect(due.length).toBeGreaterThanOrEqual(4);
    expect(due.slice(1).map((at, k) => at - due[k]!).filter((gap) => gap < 1_000)).toEqual([]);
  }, 360_000);
});
