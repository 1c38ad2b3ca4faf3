import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { assignments, dunningLists } from '../src/db/schema.js';
import { recover } from '../src/recovery/recover.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { attemptsRecorded, createClient, fastRules, next } from './helpers/dispatch.js';
import { eventually } from './helpers/eventually.js';
import { seedList } from './helpers/seed.js';
import { serviceDeps, uploadForm, xlsx } from './helpers/workbooks.js';
import { appLosingRedis, appWithoutRedis } from './helpers/without-redis.js';

let t: TestContext;
let admin: string;
const closers: Array<() => unknown> = [];

beforeAll(async () => {
  t = await createTestContext({}, { clock: systemClock });
  admin = (await t.userSession('admin')).cookie;
  await t.runWorkers();
});
afterAll(async () => {
  for (const close of closers) await Promise.resolve(close()).catch(() => {});
  await t?.close();
});

describe('an outcome whose hand-over to Redis fails', () => {
  it('is accepted from its claim in PostgreSQL (the outbox) and recorded by recover; the case is not shown again', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { cases: [seeded] } = await seedList(t, clientId, 1);
    const { cookie } = await t.userSession('agent', [clientId]);
    const a = await next(t, cookie);

    // A second API process on the same database, whose Redis is gone.
    const away = appWithoutRedis({ databaseUrl: t.config.DATABASE_URL!, database: t.runtime.database, prefix: t.prefix, clock: systemClock });
    closers.push(away.close);
    const res = await away.app.fetch(
      new Request(`http://localhost/api/agent/assignments/${a.assignment.id}/outcome`, {
        method: 'POST',
        headers: { cookie, origin: 'http://localhost', 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'paid', note: 'Zahlt heute' }),
      }),
    );
    expect(res.status).toBe(202);
    const [claimed] = await t.db.select().from(assignments).where(eq(assignments.id, a.assignment.id));
    expect(claimed).toMatchObject({ endReason: 'outcome', outcome: expect.objectContaining({ body: expect.objectContaining({ outcome: 'paid' }) }) });
    // The agent's next "Nächster Anruf" does not bring the case back.
    expect((await next(t, cookie)).assignment).toBeNull();

    expect((await recover(serviceDeps(t))).outcomes).toBeGreaterThanOrEqual(1);
    await attemptsRecorded(t, seeded!.id, 1);
    const live = await t.db.select().from(assignments).where(and(eq(assignments.caseId, seeded!.id), eq(assignments.endReason, 'outcome')));
    expect(live.map((r) => r.outcome)).toEqual([null]); // the outbox cleared by the recording
  });
});

/** A second API process on the same database whose Redis was up and is now gone: a request to it. */
function viaProcessWithoutRedis() {
  const losing = appLosingRedis({ databaseUrl: t.config.DATABASE_URL!, redisUrl: t.config.redisUrl, database: t.runtime.database, prefix: t.prefix, clock: systemClock });
  closers.push(losing.close);
  const gone = losing.goAway();
  return async (method: string, path: string, cookie: string, body?: FormData) => {
    await gone;
    return losing.app.fetch(new Request(`http://localhost${path}`, { method, headers: { cookie, origin: 'http://localhost' }, ...(body ? { body } : {}) }));
  };
}

describe('a write committed in PostgreSQL whose Redis step fails after it', () => {
  it('an upload is answered 202 (not 503, which would have the lead upload the file again and be refused): recover queues its import', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const send = viaProcessWithoutRedis();
    const file = await xlsx([['Kundennummer', 'Name', 'Telefon', 'Betrag'], ['R1', 'Anna', '0721 1234567', 10]]);
    const res = await send('POST', `/api/clients/${clientId}/lists`, admin, uploadForm(file));
    expect(res.status).toBe(202);
    const { listId } = (await res.json()) as { listId: string };
    expect((await recover(serviceDeps(t))).imports).toBeGreaterThanOrEqual(1);
    await eventually(async () => (await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId)))[0]?.status === 'active', 20_000, 'the list imported');
  });

  it('a cancel and a release are answered as done: a retry would be refused as already done', async () => {
    const clientId = await createClient(t, admin, fastRules);
    const { listId } = await seedList(t, clientId, 2);
    const { cookie } = await t.userSession('agent', [clientId]);
    const a = await next(t, cookie);
    const send = viaProcessWithoutRedis();
    expect((await send('POST', `/api/agent/assignments/${a.assignment.id}/release`, cookie)).status).toBe(204);
    const [released] = await t.db.select().from(assignments).where(eq(assignments.id, a.assignment.id));
    expect(released!.endReason).toBe('released');
    const cancelled = await send('POST', `/api/lists/${listId}/cancel`, admin);
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as { status: string }).status).toBe('cancelled');
    expect((await next(t, cookie)).assignment).toBeNull();
  });
});
