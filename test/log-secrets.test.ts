import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { createLogger } from '../src/log.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { createClient, fastRules, next, postOutcome, useFakeDate } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { seedList } from './helpers/seed.js';

/**
 * Statements that fail with customer data and secrets among their parameters: the log says
 * what failed, never with what. The database refuses the values by CHECK constraints added here.
 */
let t: TestContext;
let admin: string;
let logged = '';
const sink = new Writable({ write: (chunk: Buffer, _e, cb) => void ((logged += chunk.toString()), cb()) });

beforeAll(async () => {
  useFakeDate('2026-11-25T10:00:00+01:00');
  t = await createTestContext({}, { clock: systemClock, log: createLogger('info', 'test', sink) });
  admin = (await t.userSession('admin')).cookie;
  await t.db.execute(sql`alter table users add constraint t_refuse check (display_name <> 'Geheim Müller')`);
  await t.db.execute(sql`alter table clients add constraint t_refuse check (name <> 'Geheimkunde AG')`);
  await t.db.execute(sql`alter table attempts add constraint t_refuse check (note is null or note <> 'Geheimnotiz')`);
  await t.runWorkers();
});
afterAll(() => t.close());

const SECRETS = ['Geheim Müller', 'sehr-geheimes-passwort', '$argon2', 'Geheimkunde AG', 'Geheimnotiz', '+49721'];

describe('logs', () => {
  it('name a failed statement without its values, stacks included', async () => {
    const user = await t.request('POST', '/api/users', { cookie: admin, body: { username: 'gm', password: 'sehr-geheimes-passwort', displayName: 'Geheim Müller', role: 'agent' } });
    expect(user.status).toBe(500);
    const client = await t.request('POST', '/api/clients', { cookie: admin, body: { code: 'GK', name: 'Geheimkunde AG' } });
    expect(client.status).toBe(500);

    const clientId = await createClient(t, admin, fastRules);
    await seedList(t, clientId, 1);
    const { cookie } = await t.userSession('agent', [clientId]);
    const a = await next(t, cookie);
    expect((await postOutcome(t, cookie, a.assignment.id, { outcome: 'paid', note: 'Geheimnotiz' })).status).toBe(202);
    await eventually(async () => logged.includes('recording an outcome failed'), 20_000, 'the failed outcome logged');

    expect(logged.match(/unhandled error/g)).toHaveLength(2);
    expect(logged).toContain('"code":"23514"'); // check_violation: what failed is there
    for (const secret of SECRETS) expect(logged).not.toContain(secret);
  });
});
