import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { freePort, listBeingWorked, overlappingAssignments, services, verifyNothingLost } from './helpers/crash-harness.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { eventually } from './helpers/eventually.js';
import { askRedis as ask } from './helpers/local-redis.js';

/**
 * Redis with failover: a primary, a replica and a sentinel of this test's own; the API and the
 * workers (real processes) find the primary through the sentinel (REDIS_SENTINELS). Mid-list the
 * sentinel promotes the replica (SENTINEL FAILOVER): agents see at most a short 503, and the list
 * is worked to its end with nothing lost or doubled.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'mahn-sentinel-'));
const children: ChildProcess[] = [];
let ports: { primary: number; replica: number; sentinel: number };
let t: TestContext;
let svc: ReturnType<typeof services>;

function redisServer(args: string[]): void {
  const p = spawn('redis-server', args, { stdio: 'ignore' });
  children.push(p);
}


const primaryPort = async () => Number((await ask<string[]>(ports.sentinel, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster'))?.[1]);

beforeAll(async () => {
  ports = { primary: await freePort(), replica: await freePort(), sentinel: await freePort() };
  const common = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'];
  for (const [name, port, extra] of [['primary', ports.primary, []], ['replica', ports.replica, ['--replicaof', '127.0.0.1', String(ports.primary)]]] as const) {
    mkdirSync(path.join(dir, name));
    redisServer(['--port', String(port), '--dir', path.join(dir, name), ...common, ...extra]);
  }
  const conf = path.join(dir, 'sentinel.conf');
  writeFileSync(conf, [
    `port ${ports.sentinel}`,
    'bind 127.0.0.1',
    `dir ${dir}`,
    `sentinel monitor mymaster 127.0.0.1 ${ports.primary} 1`,
    'sentinel down-after-milliseconds mymaster 2000',
    'sentinel failover-timeout mymaster 10000',
  ].join('\n'));
  redisServer([conf, '--sentinel']);
  // Ready once the sentinel knows a replica that is in sync.
  await eventually(async () => {
    const replicas = await ask<string[][]>(ports.sentinel, 'SENTINEL', 'REPLICAS', 'mymaster');
    return replicas?.some((r) => r.includes('master-link-status') && r[r.indexOf('master-link-status') + 1] === 'ok') ?? false;
  }, 30_000, 'the sentinel to see the replica in sync');

  t = await createTestContext({ REDIS_URL: `redis://127.0.0.1:${ports.primary}` }, { clock: systemClock });
  svc = services(t, await freePort(), { REDIS_SENTINELS: `127.0.0.1:${ports.sentinel}`, REDIS_SENTINEL_NAME: 'mymaster' });
  await svc.workers.start();
  await svc.api.start();
}, 90_000);
afterAll(async () => {
  await svc?.api.stop();
  await svc?.workers.stop();
  await t?.close().catch(() => {}); // its own connection went to the demoted primary
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('Redis Sentinel', () => {
  it('a failover mid-list: agents wait a moment, the list is worked to its end, nothing lost or doubled', async () => {
    const { listId, run, call, idle } = await listBeingWorked(t, svc.base, 20, 'S', 4);
    expect(await primaryPort()).toBe(ports.primary);
    expect(await ask(ports.sentinel, 'SENTINEL', 'FAILOVER', 'mymaster')).toBe('OK');
    await eventually(async () => (await primaryPort()) === ports.replica, 30_000, 'the replica promoted');
    const promoted = Date.now();
    // The API follows the sentinel to the new primary: an agent is answered again within moments.
    await eventually(async () => (await call('POST', '/api/agent/next', idle))?.status === 200, 30_000, 'the API answering after the failover');
    expect(Date.now() - promoted).toBeLessThan(15_000);
    await run.finish(120_000, 'the list worked to its end');
    await verifyNothingLost(t, listId, run.accepted);
    expect(await overlappingAssignments(t, listId)).toEqual([]);
  }, 240_000);
});
