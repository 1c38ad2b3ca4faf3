import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { askRedis as ask, freePort } from './helpers/local-redis.js';

/**
 * For the `redis-cluster` project of vitest.config.ts: a local 3-master Redis Cluster on
 * loopback ports of its own (`redis-server --cluster-enabled yes`, joined with
 * `redis-cli --cluster create`), stopped and removed after the run. The dispatch integration
 * tests and the several-processes test run once more against it (`redisClusterNodes`).
 */
export default async function setup({ provide }: { provide: (key: 'redisClusterNodes', value: string) => void }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'mahn-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const servers: ChildProcess[] = ports.map((port) => {
    const own = path.join(dir, String(port));
    mkdirSync(own);
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--dir', own, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'];
    return spawn('redis-server', args, { stdio: 'ignore' });
  });
  const stop = () => {
    for (const s of servers) s.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) await until(async () => (await ask(port, 'PING')) === 'PONG', `redis-server on ${port}`);
    const nodes = ports.map((p) => `127.0.0.1:${p}`);
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-yes'], { encoding: 'utf8' });
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${created.stdout}${created.stderr}`);
    for (const port of ports) await until(async () => ((await ask<string>(port, 'CLUSTER', 'INFO')) ?? '').includes('cluster_state:ok'), `the cluster seen from ${port}`);
    provide('redisClusterNodes', nodes.join(','));
  } catch (err) {
    stop();
    throw err;
  }
  return stop;
}


async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}


declare module 'vitest' {
  export interface ProvidedContext {
    redisClusterNodes: string;
  }
}
