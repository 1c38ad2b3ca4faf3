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
    const name = encodeURIComponent(`SWM (de) ${callQueueName(own, 'de')}`);
    expect((await t.request('GET', `/admin/queues/api/queues/${name}/workers`, { cookie: lead })).status).toBe(403);
    expect((await t.request('GET', `/admin/queues/api/queues/${name}/workers`, { cookie: admin })).status).toBe(200);
  });

  it("shows a lead their clients' call queues by client code, name and language", async () => {
    const list = await queues(lead);
    // The sidebar and its search show the board's name: code and language first.
    const de = `SWM (de) ${callQueueName(own, 'de')}`;
    const fr = `SWM (fr) ${callQueueName(own, 'fr')}`;
    // The French case's fallback copy (language routing "prefer") waits in the any-language queue.
    const any = `SWM (any) ${callQueueName(own, 'any')}`;
    expect(list.map((q) => q.name).sort()).toEqual([any, de, fr]);
    const byName = new Map(list.map((q) => [q.name, q]));
    expect(byName.get(de)?.displayName).toBe('SWM · Stadtwerke Muster · Deutsch');
    expect(byName.get(fr)?.displayName).toBe('SWM · Stadtwerke Muster · Französisch');
    expect(byName.get(any)?.displayName).toBe('SWM · Stadtwerke Muster · alle Sprachen');
    expect(byName.get(de)?.description).toContain(callQueueName(own, 'de'));
  });

  it("opens a queue's jobs by the board's name of the queue", async () => {
    const name = `SWM (de) ${callQueueName(own, 'de')}`;
    const res = await t.request('GET', `/admin/queues/api/queues?activeQueue=${encodeURIComponent(name)}&status=latest&page=1&jobsPerPage=10`, { cookie: lead });
    const queue = (res.body.queues as { name: string; jobs: { id: string }[] }[]).find((q) => q.name === name)!;
    expect(queue.jobs).toHaveLength(1);
    const job = await t.request('GET', `/admin/queues/api/queues/${encodeURIComponent(name)}/${queue.jobs[0]!.id}`, { cookie: lead });
    expect(job.status, JSON.stringify(job.body)).toBe(200);
    expect(job.body.job.data.clientId).toBe(own);
  });

  it('names every client queue for an admin too', async () => {
    const list = await queues(admin);
    const foreignQueue = list.find((q) => q.name === `FRD (de) ${callQueueName(foreign, 'de')}`);
    expect(foreignQueue?.displayName).toBe('FRD · Fremde GmbH · Deutsch');
    expect(list.find((q) => q.name === 'outcomes')).toBeDefined();
  });
});
