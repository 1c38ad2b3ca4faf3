import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { privateDirSync } from './private-dir.js';
import net from 'node:net';
import path from 'node:path';

/** True when something accepts TCP connections on host:port within `timeoutMs`. */
export function portAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function redisServerOnPath(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts `redis-server` as a child for a newcomer's first run: AOF on (a queue that forgets
 * its jobs on restart would only be rescued by reconcile), noeviction, data under `dataDir/redis`.
 */
export async function startEmbeddedRedis(dataDir: string, port = 6379): Promise<ChildProcess> {
  const dir = path.resolve(dataDir, 'redis');
  privateDirSync(dir);
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--maxmemory-policy', 'noeviction', '--save', ''],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (await portAnswers('127.0.0.1', port, 200)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('redis-server did not start within 10 s');
}
