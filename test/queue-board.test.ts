import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callQueueName } from '../src/queues/registry.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient } from './helpers/dispatch.js';
import { seedList } from './helpers/seed.js';

/** Bull Board (/admin/queues): what a lead sees of the call queues and of Redis. */
let t: TestContext;
let own: string;
let foreign: string;
let lead: string;
let admin: string;

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.userSession('admin')).cookie;
  own = await createClient(t, admin, { code: 'SWM', name: 'Stadtwerke Muster' });
  foreign = await createClient(t, admin, { code: 'FRD', name: 'Fremde GmbH' });
  await seedList(t, own, [{ language: 'de' }, { language: 'fr' }]);
  await seedList(t, foreign, 1);
  lead = (await t.userSession('lead', [own])).cookie;
});
afterAll(() => t.close());

const queues = async (cookie: string) => {
  const res = await t.request('GET', '/admin/queues/api/queues?page=1&jobsPerPage=10', { cookie });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.queues as { name: string; displayName?: string; description?: string }[];
};

describe('Bull Board', () => {
  it("refuses a lead the Redis server's details; an admin gets them", async () => {
    const forLead = await t.request('GET', '/admin/queues/api/redis/stats', { cookie: lead });
    expect(forLead.status).toBe(403);
    expect(JSON.stringify(forLead.body)).not.toMatch(/version|"os"|memory|clients/);
    const forAdmin = await t.request('GET', '/admin/queues/api/redis/stats', { cookie: admin });
    expect(forAdmin.status).toBe(200);
    expect(forAdmin.body.version).toMatch(/^\d+\./);
    expect(forAdmin.body.memory.used).toBeGreaterThan(0);
  });

  it("does not list a lead the connections (addresses) of a queue's workers", async () => {
    const name = encodeURIComponent(callQueueName(own, 'de'));
    expect((await t.request('GET', `/admin/queues/api/queues/${name}/workers`, { cookie: lead })).status).toBe(403);
    expect((await t.request('GET', `/admin/queues/api/queues/${name}/workers`, { cookie: admin })).status).toBe(200);
  });

  it("shows a lead their clients' call queues by client code, name and language", async () => {
    const list = await queues(lead);
    expect(list.map((q) => q.name).sort()).toEqual([callQueueName(own, 'de'), callQueueName(own, 'fr')].sort());
    const byName = new Map(list.map((q) => [q.name, q]));
    expect(byName.get(callQueueName(own, 'de'))?.displayName).toBe('SWM · Stadtwerke Muster · Deutsch');
    expect(byName.get(callQueueName(own, 'fr'))?.displayName).toBe('SWM · Stadtwerke Muster · Französisch');
  });

  it('names every client queue for an admin too', async () => {
    const list = await queues(admin);
    const foreignQueue = list.find((q) => q.name === callQueueName(foreign, 'de'));
    expect(foreignQueue?.displayName).toBe('FRD · Fremde GmbH · Deutsch');
    expect(list.find((q) => q.name === 'outcomes')).toBeDefined();
  });
});
