import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { cases, dunningLists } from '../src/db/schema.js';
import { agents, client, freePort, listFile, services, verifyNothingLost } from './helpers/crash-harness.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';

/**
 * The workers process killed (SIGKILL) between its PostgreSQL and its Redis write, at each
 * such point, then started again: the list is worked to its end and nothing is lost or
 * doubled. The API runs throughout.
 */
let t: TestContext;
let svc: ReturnType<typeof services>;
let call: ReturnType<typeof client>;
let lead: string;
let agentCookies: string[];
let clientId: string;

beforeAll(async () => {
  t = await createTestContext({}, { clock: systemClock });
  const admin = (await t.userSession('admin')).cookie;
  clientId = await createClient(t, admin, { ...fastRules, maxAttempts: 2 });
  lead = (await t.userSession('lead', [clientId])).cookie;
  agentCookies = [(await t.userSession('agent', [clientId])).cookie, (await t.userSession('agent', [clientId])).cookie];
  // A short import lock: the killed process's import is taken over within seconds.
  svc = services(t, await freePort(), { JOB_LOCK_SECONDS: '3' });
  call = client(svc.base);
  await svc.api.start();
}, 90_000);
afterAll(async () => {
  await svc?.workers.stop();
  await svc?.api.stop();
  await t?.close();
});

const listStatus = async (id: string) => (await t.db.select().from(dunningLists).where(eq(dunningLists.id, id)))[0]?.status;
const caseIdsOf = async (id: string) => (await t.db.select({ id: cases.id }).from(cases).where(eq(cases.listId, id)).orderBy(asc(cases.id))).map((c) => c.id);

async function uploadList(name: string): Promise<string> {
  const form = new FormData();
  form.set('file', new File([await listFile(6, name)], `${name}.xlsx`));
  const res = await call('POST', `/api/clients/${clientId}/lists?name=${name}`, lead, form);
  expect(res?.status, JSON.stringify(res?.body)).toBe(202);
  return res!.body.listId as string;
}

async function workToTheEnd(listId: string, run?: ReturnType<typeof agents>): Promise<void> {
  await eventually(async () => (await listStatus(listId)) === 'active', 90_000, `list ${listId} active`);
  const r = run ?? agents(call, agentCookies, async () => (await listStatus(listId)) === 'completed');
  await r.finish(90_000, 'the list worked to its end');
  await verifyNothingLost(t, listId, r.accepted);
}

describe('the workers killed between two writes', () => {
  it('import.beforeCommit: the import starts over after the restart and the list is worked to its end', async () => {
    await svc.workers.start('import.beforeCommit');
    const listId = await uploadList('import-beforeCommit');
    await svc.workers.crashed();
    expect(await listStatus(listId)).toBe('importing');
    expect(await caseIdsOf(listId)).toEqual([]);
    await svc.workers.start();
    await workToTheEnd(listId);
    // Started over, not imported twice.
    expect(await caseIdsOf(listId)).toHaveLength(6);
    await svc.workers.stop();
  }, 180_000);

  it('import.afterCommit: the list is active with its cases, kept as they are by the restart, and worked to its end', async () => {
    await svc.workers.start('import.afterCommit');
    const listId = await uploadList('import-afterCommit');
    await svc.workers.crashed();
    // Activated with the commit; only the ready index's refresh was left, which reconcile does at the restart.
    expect(await listStatus(listId)).toBe('active');
    const imported = await caseIdsOf(listId);
    expect(imported).toHaveLength(6);
    await svc.workers.start();
    await workToTheEnd(listId);
    // Not imported again: the same cases.
    expect(await caseIdsOf(listId)).toEqual(imported);
    await svc.workers.stop();
  }, 180_000);

  it('outcome.afterRecord: a recorded attempt whose next call was not queued comes back; nothing is recorded twice', async () => {
    await svc.workers.start();
    const listId = await uploadList('R');
    await eventually(async () => (await listStatus(listId)) === 'active', 60_000, 'the import');
    await svc.workers.stop();
    await svc.workers.start('outcome.afterRecord');
    const run = agents(call, agentCookies, async () => (await listStatus(listId)) === 'completed');
    await svc.workers.crashed();
    await svc.workers.start();
    await workToTheEnd(listId, run);
    await svc.workers.stop();
  }, 180_000);

  it('SIGKILL at no particular point while outcomes flow: restarted, the list is worked to its end, nothing lost or doubled', async () => {
    await svc.workers.start();
    const listId = await uploadList('K');
    await eventually(async () => (await listStatus(listId)) === 'active', 60_000, 'the import');
    const run = agents(call, agentCookies, async () => (await listStatus(listId)) === 'completed');
    await eventually(async () => run.accepted.length >= 2, 30_000, 'outcomes flowing');
    svc.workers.proc!.proc.kill('SIGKILL');
    expect((await svc.workers.proc!.exited).signal).toBe('SIGKILL');
    await svc.workers.start();
    await workToTheEnd(listId, run);
    await svc.workers.stop();
  }, 180_000);
});
