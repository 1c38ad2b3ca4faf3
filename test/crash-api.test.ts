import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { dunningLists } from '../src/db/schema.js';
import { agents, client, freePort, listFile, services, verifyNothingLost } from './helpers/crash-harness.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';

/**
 * The API process killed (SIGKILL) between its PostgreSQL and its Redis write, at each such
 * point, then started again: the list is worked to its end and nothing is lost or doubled.
 * The workers process runs throughout.
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
  svc = services(t, await freePort());
  call = client(svc.base);
  await svc.workers.start();
}, 90_000);
afterAll(async () => {
  await svc?.api.stop();
  await svc?.workers.stop();
  await t?.close();
});

const listStatus = async (id: string) => (await t.db.select().from(dunningLists).where(eq(dunningLists.id, id)))[0]?.status;

async function uploadList(name: string, n = 6): Promise<string | null> {
  const form = new FormData();
  form.set('file', new File([await listFile(n, name)], `${name}.xlsx`));
  const res = await call('POST', `/api/clients/${clientId}/lists?name=${name}`, lead, form);
  return res?.status === 202 ? (res.body.listId as string) : null;
}

async function activeList(id: string) {
  await eventually(async () => (await listStatus(id)) === 'active', 60_000, `list ${id} active`);
}

describe('the API killed between two writes', () => {
  it('upload.afterStore: the list stored but its import not queued is imported after the restart', async () => {
    await svc.api.start('upload.afterStore');
    expect(await uploadList('U')).toBeNull(); // the process died answering
    await svc.api.crashed();
    const [stored] = await t.db.select().from(dunningLists).where(eq(dunningLists.clientId, clientId)).orderBy(desc(dunningLists.createdAt)).limit(1);
    expect(stored!.status).toBe('importing');
    await svc.api.start();
    await activeList(stored!.id);
    const run = agents(call, agentCookies, async () => (await listStatus(stored!.id)) === 'completed');
    await run.finish(60_000, 'the list worked to its end');
    await verifyNothingLost(t, stored!.id, run.accepted);
    await svc.api.stop();
  }, 150_000);

  it('outcome.afterClaim: every outcome answered 202 is recorded once, and the list ends', async () => {
    await svc.api.start();
    const listId = (await uploadList('outcome-afterClaim'))!;
    await activeList(listId);
    await svc.api.stop();
    await svc.api.start('outcome.afterClaim');
    const run = agents(call, agentCookies, async () => (await listStatus(listId)) === 'completed');
    await svc.api.crashed();
    await svc.api.start();
    await run.finish(90_000, 'the list worked to its end');
    await verifyNothingLost(t, listId, run.accepted);
    await svc.api.stop();
  }, 180_000);

  it('cancel.afterCommit: a list cancelled just before the API died stays cancelled and nobody gets its cases', async () => {
    await svc.api.start('cancel.afterCommit');
    const listId = (await uploadList('C', 60))!;
    await activeList(listId);
    const run = agents(call, agentCookies, async () => (await listStatus(listId)) === 'cancelled');
    await eventually(async () => run.accepted.length >= 2, 30_000, 'a few outcomes');
    const cancel = await call('POST', `/api/lists/${listId}/cancel`, lead);
    expect(cancel, JSON.stringify(cancel)).toBeNull();
    await svc.api.crashed();
    await svc.api.start();
    await run.finish(30_000, 'the list cancelled');
    // The call jobs left behind are dropped at their pull: nobody gets a case of the list.
    const fresh = (await t.userSession('agent', [clientId])).cookie;
    expect((await call('POST', '/api/agent/next', fresh))!.body.assignment).toBeNull();
    await verifyNothingLost(t, listId, run.accepted, 'cancelled');
    await svc.api.stop();
  }, 150_000);

  it('SIGKILL at no particular point while agents hold cases: after the restart their cases come back to them or, once the lock ran out, to others; none lost, none doubled', async () => {
    await svc.api.start();
    const listId = (await uploadList('K', 12))!;
    await activeList(listId);
    const run = agents(call, agentCookies, async () => (await listStatus(listId)) === 'completed');
    await eventually(async () => run.accepted.length >= 2, 30_000, 'a few outcomes');
    svc.api.proc!.proc.kill('SIGKILL');
    expect((await svc.api.proc!.exited).signal).toBe('SIGKILL');
    await svc.api.start();
    await run.finish(90_000, 'the list worked to its end');
    await verifyNothingLost(t, listId, run.accepted);
    await svc.api.stop();
  }, 180_000);
});
