import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { ClientCreateSchema } from '../../src/clients/clients.schemas.js';
import { createClient, loadSettings } from '../../src/clients/clients.service.js';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { cases, dunningLists } from '../../src/db/schema.js';
import type { DispatchDeps } from '../../src/deps.js';
import { enqueueFirstCalls, planFirstCall } from '../../src/dispatch/first-calls.js';
import type { SessionUser } from '../../src/http/context.js';
import { createLogger } from '../../src/log.js';
import { CallQueues } from '../../src/queues/call-queues.js';
import { Queues } from '../../src/queues/registry.js';
import { createRedis, waitForRedis } from '../../src/redis/connection.js';
import { createUser } from '../../src/users/users.service.js';
import { mapLimit, seededRandom } from './stats.js';

export const AGENT_PASSWORD = 'bench-agent-password';

/** A database of its own for one bench run; `drop()` removes it even while connections are open. */
export async function createBenchDatabase(adminUrl: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}

/** The app's own pieces, built as the API builds them, for seeding with the app's functions. */
export async function openSeedDeps(databaseUrl: string, redisUrl: string, prefix: string) {
  const config = loadConfig({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent' });
  const log = createLogger('silent');
  const database: Database = openDatabase({ url: databaseUrl, dataDir: '/nonexistent', poolSize: 10 });
  await database.migrate();
  const redis = createRedis(redisUrl, 'command', log);
  await waitForRedis(redis);
  const queues = new Queues(redis, prefix);
  const manual = createRedis(redisUrl, 'manual', log);
  const calls = new CallQueues(queues, manual, config.LOCK_SECONDS * 1000, log);
  const deps: DispatchDeps = { db: database.db, calls, queues, clock: systemClock, config, log };
  return {
    deps,
    database,
    redis,
    close: async () => {
      await calls.close();
      await manual.quit();
      await queues.close();
      await redis.quit();
      await database.close();
    },
  };
}

type Week = Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', [string, string][]>;
const ALL_DAY: Week = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) as Week;
const SEEDER: SessionUser = { id: randomUUID(), username: 'bench', displayName: 'bench', role: 'admin', clientIds: [], callClientIds: [], languages: ['de'] };

/** `n` clients callable around the clock, one all-day window, a 1 s retry delay. */
export async function seedClients(deps: DispatchDeps, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const input = ClientCreateSchema.parse({
      code: `B${String(i).padStart(3, '0')}`,
      name: `Bench-Mandant ${i}`,
      callingHours: ALL_DAY,
      windows: { ganztags: ['00:00', '24:00'] },
      holidays: null,
      retryDelaySeconds: 1,
      maxAttemptsPerDay: 20,
    });
    ids.push((await createClient(deps.db, input, SEEDER)).id);
  }
  return ids;
}

/**
 * One active list of `perClient` cases per client, each case's first call planned by the
 * scheduling core and enqueued with `enqueueFirstCalls`, as the import does (and as
 * test/helpers/seed.ts does for tests).
 */
export async function seedCases(deps: DispatchDeps, clientIds: string[], perClient: number, onProgress: (done: number) => void): Promise<void> {
  let done = 0;
  const random = seededRandom(42);
  await mapLimit(clientIds, 4, async (clientId, ci) => {
    const now = deps.clock.now();
    const settings = await loadSettings(deps.db, clientId);
    const [list] = await deps.db
      .insert(dunningLists)
      .values({ clientId, name: `Bench-Liste ${ci}`, status: 'importing', fileName: 'bench.xlsx', fileSha256: randomUUID(), fileBytes: 1 })
      .returning();
    const plans: Array<ReturnType<typeof planFirstCall>> = [];
    const rows: Array<typeof cases.$inferInsert> = [];
    for (let i = 0; i < perClient; i++) {
      const plan = planFirstCall(now, settings, { postalCode: null, country: 'DE' });
      if (plan.at === null) throw new Error(`bench case ${i} of client ${ci} is never callable: ${plan.explanation}`);
      const phone = `+4972${String(ci).padStart(3, '0')}${String(100_000 + i)}`;
      const amountCents = 1_000 + Math.floor(random() * 500_000);
      plans.push(plan);
      rows.push({
        listId: list!.id,
        clientId,
        rowNumber: i + 2,
        customerNo: `K${ci}-${i}`,
        name: `Kunde ${ci}-${i}`,
        phoneRaw: phone,
        phoneE164: phone,
        // As an import stores a row: its number, and the row's cells as delivered (a typical
        // client file: twelve columns), which the result list gives back.
        phones: [{ e164: phone, raw: phone, kind: 'Telefon', status: 'active' }],
        source: [`K${ci}-${i}`, 'Herr', `Kunde ${ci}-${i}`, `Musterstraße ${i % 200}`, '76131', 'Karlsruhe', phone, amountCents / 100, { d: '2026-10-01' }, `R-2026-${i}`, 'Mahnstufe 2', null],
        country: 'DE',
        language: 'de',
        amountCents,
        nextDueAt: plan.at,
        waitReason: plan.reason,
      });
    }
    const byRow = new Map(rows.map((r, i) => [r.rowNumber, plans[i]!]));
    for (let i = 0; i < rows.length; i += 2_000) {
      const inserted = await deps.db.insert(cases).values(rows.slice(i, i + 2_000)).returning();
      await enqueueFirstCalls(
        deps,
        inserted.map((c) => {
          const plan = byRow.get(c.rowNumber)!;
          return { case: c, windowEnd: plan.at ? plan.windowEnd : null, window: plan.at ? plan.window : null };
        }),
        now,
        settings,
      );
      done += inserted.length;
      onProgress(done);
    }
    await deps.db.update(dunningLists).set({ status: 'active', activatedAt: now }).where(eq(dunningLists.id, list!.id));
  });
}

export interface BenchAgent {
  index: number;
  id: string;
  username: string;
  clientIds: string[];
}

/** `n` agents, each working for `perAgent` clients drawn at random (seeded). */
export async function seedAgents(deps: DispatchDeps, clientIds: string[], n: number, perAgent: number): Promise<BenchAgent[]> {
  const random = seededRandom(7);
  const scopes = Array.from({ length: n }, () => {
    const pool = [...clientIds];
    const mine: string[] = [];
    while (mine.length < Math.min(perAgent, clientIds.length)) mine.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
    return mine;
  });
  // argon2 hashing dominates; a few at once use both cores.
  return mapLimit(scopes, 4, async (mine, index) => {
    const username = `agent${String(index).padStart(3, '0')}`;
    const user = await createUser(deps.db, { username, password: AGENT_PASSWORD, displayName: `Agent ${index}`, role: 'agent', clientIds: mine, languages: ['de'] });
    return { index, id: user.id, username, clientIds: mine };
  });
}
