import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { freePort, listBeingWorked, services, verifyNothingLost } from './helpers/crash-harness.js';
import { createTestContext, type TestContext } from './helpers/context.js';
import { eventually } from './helpers/eventually.js';
import { askRedis } from './helpers/local-redis.js';

/**
 * Redis restarted mid-list: a redis-server of this test's own (AOF on, its own port and folder)
 * is killed while agents work a list through the real API and workers processes, then started
 * again on the same files. Agents see 503s meanwhile; afterwards the list is worked to its end
 * with nothing lost or doubled (what the AOF did not keep, reconcile and recover rebuild).
 */
let dir: string;
let port: number;
let redis: ChildProcess | undefined;
let t: TestContext;
let svc: ReturnType<typeof services>;

async function startRedis(): Promise<void> {
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  await eventually(async () => (await askRedis(port, 'PING')) === 'PONG', 20_000, 'the test redis-server');
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mahn-redis-'));
  port = await freePort();
  await startRedis();
  t = await createTestContext({ REDIS_URL: `redis://127.0.0.1:${port}` }, { clock: systemClock });
  svc = services(t, await freePort());
  await svc.workers.start();
  await svc.api.start();
}, 90_000);
afterAll(async () => {
  await svc?.api.stop();
  await svc?.workers.stop();
  await t?.close().catch(() => {});
  redis?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('Redis restarted mid-list', () => {
  it('agents wait through it; afterwards the list is worked to its end, nothing lost or doubled', async () => {
    // `idle` holds no case: one who does gets it from PostgreSQL alone, Redis or not.
    const { listId, run, call, idle } = await listBeingWorked(t, svc.base, 10, 'R', 2);
    redis!.kill('SIGKILL');
    await new Promise((resolve) => redis!.once('exit', resolve));
    // Meanwhile the API answers 503 at once (the agents' loop waits it out and asks again).
    expect((await call('POST', '/api/agent/next', idle))?.status).toBe(503);
    await startRedis();
    await run.finish(120_000, 'the list worked to its end');
    await verifyNothingLost(t, listId, run.accepted);
  }, 240_000);
});
