import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from './helpers/env.js';
import { eventually } from './helpers/eventually.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * The code as tsx runs it (`npm start`) and as compiled by `npm run build` (what `start:api` and
 * `start:workers` run): a module that loads only under one of them fails here. The build goes
 * into a folder of its own inside the project, so packages resolve from its node_modules.
 */
const runs = [
  { name: 'npm start (tsx)', entry: () => ['--import', 'tsx', 'src/main.ts'] },
  {
    name: 'the compiled build',
    entry: () => {
      const out = mkdtempSync(path.join(ROOT, '.test-build-'));
      builds.push(out);
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', out], { cwd: ROOT, stdio: 'inherit' });
      return [path.join(out, 'src/main.js')];
    },
  },
];
const builds: string[] = [];
afterAll(() => {
  for (const dir of builds) rmSync(dir, { recursive: true, force: true });
});

/**
 * The README's run command as a newcomer meets it: no DATABASE_URL (embedded PGlite in a fresh
 * DATA_DIR), Redis on the default address, mail to the outbox. It must print the URL and a
 * password that logs in.
 */
describe.each(runs)('$name on embedded defaults', ({ entry }) => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mahn-start-'));
  const prefix = `t-start-${randomUUID().slice(0, 6)}`;
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('prints the URL and credentials that log in, then shuts down cleanly', async () => {
    child = spawn(process.execPath, entry(), {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: '0', QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const started = await new Promise<RegExpMatchArray>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start-up banner within 60 s:\n${out}`)), 60_000);
      const check = () => {
        const m = out.match(/running: (http:\/\/\S+)[\s\S]*Log in with user "admin", password in (\S+) /);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        }
      };
      child!.stdout!.on('data', check);
      child!.once('exit', (code) => reject(new Error(`exited with ${code}:\n${out}`)));
    });
    const [, url, passwordFile] = started;
    // The generated password is in DATA_DIR, readable by its owner only, and not on the console.
    expect(passwordFile).toBe(path.join(dataDir, 'initial_admin_password'));
    expect(statSync(passwordFile!).mode & 0o777).toBe(0o600);
    const password = readFileSync(passwordFile!, 'utf8').trim();
    expect(out).not.toContain(password);
    expect(out).toContain(`embedded PGlite in ${dataDir}/pglite`);
    expect(out).toContain(`.eml files in ${dataDir}/outbox`);

    const login = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const me = await fetch(`${url}/api/me`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ username: 'admin', role: 'admin' });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    // Idle connections outlive a load balancer's 60 s (Node's 5 s gave the agents 502s).
    expect(ready.headers.get('keep-alive')).toBe('timeout=65');

    // The README's first list on the embedded database: import, then an agent gets a case.
    const headers = { cookie, origin: url!, 'content-type': 'application/json' };
    const post = (path: string, body: unknown, h: Record<string, string> = headers) =>
      fetch(`${url}${path}`, { method: 'POST', headers: h, body: JSON.stringify(body) });
    // Calling hours all day: the test must not depend on the hour it runs at.
    const allDay = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]));
    const client = (await (await post('/api/clients', { code: 'SWM', name: 'Stadtwerke Muster', holidays: null, callingHours: allDay, windows: { ganztags: ['00:00', '24:00'] } })).json()) as { id: string };
    const form = new FormData();
    form.set('file', new File([readFileSync(new URL('../examples/mahnliste-stadtwerke-muster.xlsx', import.meta.url))], 'liste.xlsx'));
    const upload = await fetch(`${url}/api/clients/${client.id}/lists`, { method: 'POST', headers: { cookie, origin: url! }, body: form });
    expect(upload.status).toBe(202);
    const { listId } = (await upload.json()) as { listId: string };
    const list = await eventually(async () => {
      const l = (await (await fetch(`${url}/api/lists/${listId}`, { headers: { cookie } })).json()) as { status: string };
      return l.status !== 'importing' ? l : null;
    }, 30_000, 'the import on PGlite');
    expect(list.status).toBe('active');
    await post('/api/users', { username: 'anna', password: 'anna-password', displayName: 'Anna', role: 'agent', clientIds: [client.id] });
    const anna = await post('/api/session', { username: 'anna', password: 'anna-password' }, { 'content-type': 'application/json' });
    const annaCookie = anna.headers.get('set-cookie')!.split(';')[0]!;
    const next = (await (await fetch(`${url}/api/agent/next`, { method: 'POST', headers: { cookie: annaCookie, origin: url! } })).json()) as {
      case: { clientName: string; attemptNo: number } | undefined;
    };
    expect(next.case).toMatchObject({ clientName: 'Stadtwerke Muster', attemptNo: 1 });

    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 150_000);
});
