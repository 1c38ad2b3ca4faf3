import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm start` with no Redis on 127.0.0.1:6379 says which condition stopped it. A Redis runs on
 * this machine, so the start runs in a network namespace of its own (`unshare -rn`: its loopback
 * is down, nothing answers). The machines this runs on allow unprivileged user namespaces; where
 * one does not, the tests fail saying so rather than pass unseen.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
// By its full path: one start runs with a PATH that has nothing on it.
const unshare = spawnSync('sh', ['-c', 'command -v unshare'], { encoding: 'utf8' }).stdout.trim();
const isolated = unshare !== '' && spawnSync(unshare, ['-rn', 'true']).status === 0;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mahn-no-redis-'));
const emptyPath = mkdtempSync(path.join(os.tmpdir(), 'mahn-no-path-'));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(emptyPath, { recursive: true, force: true });
});

function start(env: Record<string, string>) {
  const child = spawnSync(unshare, ['-rn', process.execPath, '--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: child.status, out: child.stdout + child.stderr };
}

describe('npm start without a Redis', () => {
  it('runs isolated from the machine\'s Redis (unshare -rn)', () => {
    expect(isolated, 'unshare -rn is not allowed here').toBe(true);
  });

  it('with EMBEDDED_REDIS=false says that it may not start one, not that none is on the PATH', () => {
    const { status, out } = start({ EMBEDDED_REDIS: 'false' });
    expect(status).toBe(1);
    expect(out).toContain('No Redis answers on 127.0.0.1:6379, and EMBEDDED_REDIS=false forbids starting one');
    expect(out).not.toContain('PATH');
  });

  it('without a redis-server on the PATH says so', () => {
    // main.ts looks for redis-server in an empty PATH.
    const { status, out } = start({ PATH: emptyPath });
    expect(status).toBe(1);
    expect(out).toContain('No Redis answers on 127.0.0.1:6379 and no redis-server is on the PATH');
  });
});
