import { and, eq, isNotNull, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import { assignments, attempts, cases, dunningLists } from '../../src/db/schema.js';
import type { TestContext } from './context.js';
import { createClient, fastRules } from './dispatch.js';
import { eventually } from './eventually.js';
import { startProcess, type TestProcess } from './processes.js';
import { freePort } from './local-redis.js';

export { freePort };

/**
 * Real API and workers processes for crash tests: either can be started with a `FAILPOINT`
 * (it SIGKILLs itself there) and started again without; simulated agents work a list over
 * HTTP throughout; `verifyNothingLost` checks PostgreSQL afterwards.
 */


export class Service {
  proc: TestProcess | undefined;
  constructor(
    readonly script: 'src/server.ts' | 'workers/index.ts',
    readonly env: Record<string, string>,
    readonly ready: (p: TestProcess) => Promise<void>,
  ) {}

  async start(failpoint?: string): Promise<TestProcess> {
    const p = startProcess(this.script, { ...this.env, ...(failpoint ? { FAILPOINT: failpoint } : {}) });
    this.proc = p;
    await this.ready(p);
    return p;
  }

  /** Waits for the process to kill itself at its failpoint. */
  async crashed(): Promise<void> {
    const exit = await this.proc!.exited;
    expect(exit.signal, this.proc!.output()).toBe('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.proc?.stop();
  }
}

export function services(t: TestContext, port: number, extraEnv: Record<string, string> = {}) {
  const cluster = t.config.redis.clusterNodes?.map((n) => `${n.host}:${n.port}`).join(',');
  const env = { DATABASE_URL: t.config.DATABASE_URL!, REDIS_URL: t.config.redisUrl, ...(cluster ? { REDIS_CLUSTER_NODES: cluster } : {}), QUEUE_PREFIX: t.prefix, LOCK_SECONDS: '5', LOG_LEVEL: 'info', ...extraEnv };
  const base = `http://127.0.0.1:${port}`;
  const api = new Service('src/server.ts', { ...env, PORT: String(port), HOST: '127.0.0.1' }, async (p) => {
    await eventually(async () => {
      if (p.proc.exitCode !== null || p.proc.signalCode !== null) throw new Error(`the API exited:\n${p.output()}`);
      return (await fetch(`${base}/healthz`)).ok;
    }, 60_000, 'the API to listen');
  });
  const workers = new Service('workers/index.ts', env, async (p) => {
    await eventually(async () => {
      if (p.proc.exitCode !== null || p.proc.signalCode !== null) throw new Error(`the workers exited:\n${p.output()}`);
      return p.output().includes('"workers started"');
    }, 60_000, 'the workers to start');
  });
  return { api, workers, base };
}

/** HTTP as a browser would do it: cookie and Origin; a connection refused (API down) is `null`. */
export function client(base: string) {
  return async function call(method: string, path: string, cookie?: string, body?: unknown): Promise<{ status: number; body: any } | null> {
    const headers: Record<string, string> = { origin: base };
    if (cookie) headers.cookie = cookie;
    let payload: RequestInit['body'];
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    try {
      const res = await fetch(`${base}${path}`, { method, headers, body: payload });
      const text = await res.text();
      return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
    } catch {
      return null;
    }
  };
}

/** Cases of the list that were ever held by two agents at once (assignments overlapping in time). */
export async function overlappingAssignments(t: TestContext, listId: string): Promise<unknown[]> {
  const rows = await t.db.execute(sql`
    select a.case_id from ${assignments} a join ${assignments} b on a.case_id = b.case_id and a.id < b.id
    join ${cases} c on c.id = a.case_id
    where c.list_id = ${listId}
      and tstzrange(a.assigned_at, coalesce(a.ended_at, 'infinity')) && tstzrange(b.assigned_at, coalesce(b.ended_at, 'infinity'))
    limit 5`);
  return [...(rows as unknown as Iterable<unknown>)];
}

/** A client (the fast test rules, changed by `rules`) with its lead and `agents` agents, as session cookies. */
export async function team(t: TestContext, agents: number, rules: Record<string, unknown> = {}) {
  const admin = (await t.userSession('admin')).cookie;
  const clientId = await createClient(t, admin, { ...fastRules, ...rules });
  const lead = (await t.userSession('lead', [clientId])).cookie;
  const cookies = await Promise.all(Array.from({ length: agents }, async () => (await t.userSession('agent', [clientId])).cookie));
  return { clientId, lead, cookies };
}

/**
 * A list of `rows` customers uploaded through the API as the lead does, once it is active;
 * `status()` reads the list's status from PostgreSQL.
 */
export async function importList(t: TestContext, call: ReturnType<typeof client>, lead: string, clientId: string, rows: number, name: string, prefix = name) {
  const form = new FormData();
  form.set('file', new File([await listFile(rows, prefix)], `${prefix}.xlsx`));
  const upload = await call('POST', `/api/clients/${clientId}/lists?name=${encodeURIComponent(name)}`, lead, form);
  expect(upload?.status, JSON.stringify(upload?.body)).toBe(202);
  const listId = upload!.body.listId as string;
  const status = async () => (await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId)))[0]?.status;
  await eventually(async () => (await status()) === 'active', 90_000, 'the import');
  return { listId, status };
}

/**
 * A list of `rows` cases of a new client, worked through the API at `base` by two agents until it
 * is completed, returned once `flowing` outcomes were accepted; `idle` is a third agent of the
 * client who holds no case.
 */
export async function listBeingWorked(t: TestContext, base: string, rows: number, name: string, flowing: number) {
  const { clientId, lead, cookies: [first, second, idle] } = await team(t, 3, { maxAttempts: 2 });
  const call = client(base);
  const { listId, status } = await importList(t, call, lead, clientId, rows, name);
  const run = agents(call, [first!, second!], async () => (await status()) === 'completed');
  await eventually(async () => run.accepted.length >= flowing, 30_000, 'outcomes flowing');
  return { listId, run, call, idle: idle! };
}

/** A list of `n` customers in Karlsruhe, as a client would send it. */
export async function listFile(n: number, prefix: string): Promise<Blob> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Liste');
  ws.addRow(['Kundennummer', 'Name', 'PLZ', 'Ort', 'Telefon', 'Offener Betrag']);
  for (let i = 0; i < n; i++) ws.addRow([`${prefix}${i}`, `Kunde ${i}`, '76133', 'Karlsruhe', `0721 ${2_000_000 + i}`, 10 + i]);
  return new Blob([Buffer.from(await wb.xlsx.writeBuffer())]);
}

/**
 * Agents working until `done()` says so: next → an outcome (paid or not reached, by turns) →
 * next. Every outcome answered 202 is remembered; a refused connection (the API is down) or a
 * 409/503 is waited out and tried again.
 */
export function agents(call: ReturnType<typeof client>, cookies: string[], done: () => Promise<boolean>) {
  const accepted: Array<{ assignmentId: string; outcome: string }> = [];
  let stop = false;
  const work = async (cookie: string, k: number) => {
    let turn = k;
    while (!stop) {
      const next = await call('POST', '/api/agent/next', cookie);
      const a = next?.status === 200 ? next.body.assignment : null;
      if (!a) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      const outcome = turn++ % 2 === 0 ? 'paid' : 'not_reached';
      const res = await call('POST', `/api/agent/assignments/${a.id}/outcome`, cookie, { outcome });
      if (res?.status === 202) accepted.push({ assignmentId: a.id, outcome });
    }
  };
  const running = cookies.map((c, k) => work(c, k));
  return {
    accepted,
    async finish(timeoutMs: number, what: string): Promise<void> {
      try {
        await eventually(done, timeoutMs, what);
      } finally {
        stop = true;
        await Promise.all(running);
      }
    },
  };
}

/**
 * After the run: the list ended, every case closed, every outcome answered 202 recorded (by
 * its assignment), no attempt twice (the unique index) and each case's attempts counted, no
 * outcome left in the outbox.
 */
export async function verifyNothingLost(t: TestContext, listId: string, accepted: Array<{ assignmentId: string }>, listStatus = 'completed'): Promise<void> {
  const [list] = await t.db.select().from(dunningLists).where(eq(dunningLists.id, listId));
  expect(list!.status).toBe(listStatus);
  const open = await t.db.select({ id: cases.id }).from(cases).where(and(eq(cases.listId, listId), eq(cases.status, 'open')));
  expect(open).toEqual([]);
  const recorded = new Set((await t.db.select({ a: attempts.assignmentId }).from(attempts)).map((r) => r.a));
  expect(accepted.filter((a) => !recorded.has(a.assignmentId))).toEqual([]);
  const miscounted = await t.db
    .select({ id: cases.id })
    .from(cases)
    .where(and(eq(cases.listId, listId), sql`${cases.attemptsMade} <> (select count(*) from attempts a where a.case_id = ${cases.id})`));
  expect(miscounted).toEqual([]);
  expect(await t.db.select({ id: assignments.id }).from(assignments).where(isNotNull(assignments.outcome))).toEqual([]);
}
